"""Command line: parse arguments, call the layers, map errors to exit codes.

Exit codes: 0 compliant (warnings allowed); 1 non-compliant; 2 usage error;
3 submission or policy cannot be evaluated; 4 internal error.
Heavy libraries are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from cbcheck import __version__, cli_guard
from cbcheck.cli_guard import LANG_OPTION_HELP, _err, _guard, say, use_lang
from cbcheck.cli_policy import policy_app
from cbcheck.exitcodes import Exit

# numpy's OpenBLAS starts a thread per core at import (~0.04 s CPU, more wall on a busy machine)
# and cbcheck does no linear algebra large enough to use them; a user's own setting wins
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

app = typer.Typer(help="Check carbon-peak and energy-saving plan submissions against their plans.",
                  cls=cli_guard.Group, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None)
app.add_typer(policy_app, name="policy")         # cbcheck policy show|coverage|lint|draft (cli_policy.py)


AS_OF_HELP = ("Judge waivers at this date (YYYY-MM-DD) instead of each file's 填报日期 (a roll-up: its latest "
              "county file's).")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cbcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
) -> None:
    cli_guard._debug = debug


def _use_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _width(color: bool) -> int | None:
    """The terminal's width; when the report goes to a pipe or a file, COLUMNS if the user set it
    (``COLUMNS=80 cbcheck check … | less``), else None (the renderer's plain width, 120)."""
    if color:
        import shutil

        return shutil.get_terminal_size().columns
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and 40 <= int(value) <= 1000 else None


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Submission files (.xlsx, .xlsm, .xls, .et, .csv) or folders "
                                                 "of them."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p",
                                         help="Bundled policy id or path to a policy .yaml (default: the "
                                              "config file, else the policy the file names)."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Reporting year (default: latest in the file)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                      help="text | json | markdown | html | junit | csv | xlsx | docx (default text)."),
    output: list[Path] = typer.Option([], "--output", "-o",
                                      help="Also write the report here (format from the extension); repeatable."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir",
                                              help="Write one report per file into this folder."),
    output_format: list[str] = typer.Option([], "--output-format",
                                            help="Format(s) for --output-dir (default: --format); repeatable."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
    strict: Optional[bool] = typer.Option(None, "--strict/--no-strict",
                                          help="Warnings make the result non-compliant (exit 1)."),
    strict_trajectory: Optional[bool] = typer.Option(
        None, "--strict-trajectory/--no-strict-trajectory",
        help="Binding rules behind their trajectory FAIL instead of WARN."),
    params: Optional[Path] = typer.Option(None, "--params", help="Assigned/allocated targets (YAML)."),
    set_: list[str] = typer.Option([], "--set", help="Assigned target for one rule: RULE=VALUE [UNIT]; or what "
                                                     "the enterprise is: 重点用能单位=是."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="Read only this sheet of a workbook."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Force the CSV encoding (e.g. gb18030)."),
    scope: Optional[str] = typer.Option(None, "--scope",
                                        help="Whose submission the files are: county | enterprise (default: "
                                             "what each file says; see its reading notes)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary and verdict."),
    no_color: bool = typer.Option(False, "--no-color", help="Plain text even on a terminal."),
    show_na: bool = typer.Option(False, "--show-na",
                                 help="Text report: also list the rules that do not apply (hidden by default)."),
    record: Optional[bool] = typer.Option(None, "--record/--no-record",
                                          help="Store each checked submission in the ledger (cbcheck.toml: record)."),
    ledger: Optional[str] = typer.Option(None, "--ledger",
                                         help="Ledger: a SQLite file or postgresql://… (enables cross-year checks)."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Approved waivers (waivers.yaml)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    all_facilities: bool = typer.Option(False, "--all-facilities",
                                        help="JSON: list passing facilities too (default: breaches and "
                                             "missing data listed, passing ones counted)."),
    engine: Optional[str] = typer.Option(None, "--engine",
                                         help="Facility rules run on: auto | numpy | duckdb | spark "
                                              "(default auto: numpy; see benchmarks/README.md)."),
) -> None:
    """Check submissions (files or folders) against a policy and print the report.

    Defaults come from cbcheck.toml (see README); flags override it.
    """

    def body() -> int:
        from cbcheck.batch import CheckSettings
        from cbcheck.run import RunOptions, execute

        from cbcheck import backends

        backends.use(engine)
        cfg, language = _config_and_language(lang)
        chosen = fmt or cfg.get("format") or "text"
        dir_formats = [f.strip() for item in output_format for f in item.split(",") if f.strip()]
        settings = CheckSettings(
            policy=policy or cfg.policy(), params=params or _path(cfg.get("params")), sets=set_, year=year,
            strict=strict if strict is not None else cfg.get("strict", False),
            strict_trajectory=strict_trajectory if strict_trajectory is not None
            else cfg.get("strict_trajectory", False),
            sheet=sheet, encoding=encoding, lang=language, scope=scope or cfg.get("scope"))
        color = chosen == "text" and _use_color(no_color)
        opts = RunOptions(
            settings=settings, fmt=chosen, outputs=output, output_dir=output_dir or _path(cfg.get("output_dir")),
            output_formats=dir_formats or cfg.get("output_formats") or [], lang=language, quiet=quiet,
            color=color, width=_width(color),
            progress=sys.stderr.isatty(), show_all=show_na, all_facilities=all_facilities)
        from cbcheck.cityrun import check_hooks

        with check_hooks(cfg, ledger, record, waivers, _err, language, as_of) as hooks:
            settings.hooks = hooks
            return execute(files, opts)

    _guard(body)


def _path(value: Optional[str]) -> Optional[Path]:
    return Path(value) if value else None


@app.command("policies")
def list_policies(lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP)) -> None:
    """List bundled policies: id, title, region, status, number of rules."""

    def body() -> int:
        from cbcheck.i18n import messages
        from cbcheck.policy import bundled_policy_paths
        from cbcheck.yamlio import load_yaml

        _, language = _config_and_language(lang)
        m = messages(language)
        for path in bundled_policy_paths():
            data = load_yaml(path)
            status = m.get(f"policy_status.{data['status']}", data["status"])
            typer.echo(f"{data['id']}\t{data['title']}\t{data['region']}\t{status}\t"
                       + m("cli.policy_rules", n=len(data.get("rules", []))))
        return Exit.OK

    _guard(body)


params_app = typer.Typer(help="Validate parameters files (assigned targets).", no_args_is_help=True)
app.add_typer(params_app, name="params")


@params_app.command("lint")
def params_lint(
    file: Path = typer.Argument(..., help="Parameters file (YAML)."),
    policy: str = typer.Option(..., "--policy", "-p", help="The policy the values are for."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """Validate a parameters file: schema, keys that exist in the policy, units."""

    def body() -> int:
        from cbcheck.errors import in_lang
        from cbcheck.params import lint_params, load_params
        from cbcheck.policy import load_policy

        _, language = _config_and_language(lang)
        pol, _ = load_policy(policy)
        problems = lint_params(load_params(file), pol)
        for p in problems:
            typer.echo(f"{file}::{in_lang(p, language)}")
        if not problems:
            typer.echo(say("cli.ok", path=file))
        return Exit.INPUT if problems else Exit.OK

    _guard(body)


@app.command()
def template(
    output: Path = typer.Option(..., "--output", "-o", help="The workbook to write (.xlsx)."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p",
                                         help="Bundled policy id or path (default: cbcheck.toml)."),
    scope: Optional[str] = typer.Option(None, "--scope", help="county (county and region rules) | enterprise "
                                                              "(default: scope in cbcheck.toml, else county)."),
    years: Optional[str] = typer.Option(None, "--years",
                                        help="Year columns, e.g. 2020,2024,2025 (default: the base year "
                                             "and the last two years)."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """Write a fill-in workbook for a plan: instructions, one row per indicator with its target."""

    def body() -> int:
        from cbcheck.errors import UsageError
        from cbcheck.i18n.message import Msg
        from cbcheck.outputs import write_atomic
        from cbcheck.policy import load_policy
        from cbcheck.template import build_template, parse_years

        cfg, language = _config_and_language(lang)
        ref = policy or cfg.policy()
        if not ref:
            raise UsageError(Msg("cli.no_policy_given"), hint=Msg("cli.see_policies"))
        if output.suffix.lower() != ".xlsx":
            raise UsageError(Msg("cli.template_not_xlsx", path=str(output)), hint=Msg("cli.template_not_xlsx_hint"))
        pol, cat = load_policy(ref)
        chosen = scope or cfg.get("scope") or "county"     # as check reads it, so the form is read as made
        write_atomic(output, build_template(pol, cat, chosen, parse_years(years) if years else None,
                                            lang or "zh"))   # the form is Chinese unless asked: it goes to the city
        _err(say("cli.template_written", path=output, policy=pol.id, scope=say(f"scope.{chosen}")
                 if chosen in ("county", "enterprise") else chosen))
        return Exit.OK

    _guard(body)


@app.command()
def explain(name: str = typer.Argument(..., help="A rule id (e.g. JN-NONFOSSIL-2025) or a check kind."),
            lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP)) -> None:
    """Explain a rule (its clause and how it is judged) or a check kind."""

    def body() -> int:
        from cbcheck.render.policyview import explain_text

        _, language = _config_and_language(lang)
        sys.stdout.write(explain_text(name, language))
        return Exit.OK

    _guard(body)


def _config_and_language(lang: str | None) -> tuple[Any, str]:
    """cbcheck.toml, and the report language: --lang, else the config's, else the locale's.
    Errors from here on are in that language (the guard asks :func:`cli_guard.language`)."""
    from cbcheck.config import load_config
    from cbcheck.i18n import detect_lang, messages

    use_lang(lang)
    cfg = load_config()
    language = lang or cfg.get("lang") or detect_lang()
    messages(language)          # an unknown language is a usage error here, before any work
    use_lang(language)
    return cfg, language


@app.command()
def history(
    entity: str = typer.Argument(..., help="The entity as its files write it (填报单位), e.g. 济宁市兖州区."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p", help="Only submissions checked against this policy."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json | html | xlsx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write it to FILE (xlsx: required)."),
    ledger: Optional[str] = typer.Option(None, "--ledger", help="Ledger: a SQLite file or postgresql://…"),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """An entity's submissions across years: values, verdicts, restatements, trajectory."""

    def body() -> int:
        from cbcheck.cityrun import history as run_history

        cfg, language = _config_and_language(lang)
        return run_history(entity, policy, fmt, ledger, output, language, cfg)

    _guard(body)


@app.command()
def rollup(
    files: list[Path] = typer.Argument(None, help="The counties' files, or a folder of them."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p", help="Bundled policy id or path."),
    year: int = typer.Option(..., "--year", "-y", help="Reporting year."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                      help="text | json | markdown | html | csv | xlsx | docx | junit"),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Also write it to FILE (format from its extension unless -f; "
                                               "xlsx, docx: required)."),
    params: Optional[Path] = typer.Option(None, "--params", help="City targets, county allocations and the roster."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Approved waivers (waivers.yaml)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    from_ledger: bool = typer.Option(False, "--from-ledger", help="Roll up the latest recorded submissions."),
    ledger: Optional[str] = typer.Option(None, "--ledger", help="Ledger: a SQLite file or postgresql://…"),
    strict: bool = typer.Option(False, "--strict", help="Warnings make the result non-compliant (exit 1)."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """Add the counties' submissions up to the city and check the city's rules on the sums."""

    def body() -> int:
        from cbcheck.cityrun import rollup as run_rollup
        from cbcheck.render import format_for_path

        cfg, language = _config_and_language(lang)
        # -o 城市.docx without -f: the format its extension names, as `check -o` picks it
        named = format_for_path(output, "") if output is not None else ""
        return run_rollup(list(files or []), policy, year, fmt or named or cfg.get("format") or "text", ledger,
                          from_ledger, params or _path(cfg.get("params")), waivers, output, strict, language, cfg,
                          as_of)

    _guard(body)


waivers_app = typer.Typer(help="Validate waivers files (approved exemptions).", no_args_is_help=True)
app.add_typer(waivers_app, name="waivers")


@waivers_app.command("lint")
def waivers_lint(
    file: Path = typer.Argument(..., help="Waivers file (YAML)."),
    policy: str = typer.Option(..., "--policy", "-p", help="The policy the rule ids belong to."),
    params: Optional[Path] = typer.Option(None, "--params", help="Params file with the roster of entities."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """Validate a waivers file: schema, rules of the policy, entities on the roster, expiry."""

    def body() -> int:
        from cbcheck.cityrun import waivers_lint as run_lint

        cfg, language = _config_and_language(lang)
        return run_lint(file, policy, params, cfg, typer.echo, language)

    _guard(body)


ledger_app = typer.Typer(help="Look after the ledger: withdraw a submission recorded by mistake.",
                         no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("withdraw")
def ledger_withdraw(
    submission: str = typer.Argument(..., help="Its number (编号, as recorded), the file, or its name."),
    reason: str = typer.Option(..., "--reason", help="Why it is withdrawn (kept in the ledger, shown by history)."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p", help="Only submissions checked against this policy."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Only submissions for this reporting year."),
    ledger: Optional[str] = typer.Option(None, "--ledger", help="Ledger: a SQLite file or postgresql://…"),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """Withdraw (撤回) a recorded submission: never deleted, shown by history, left out of roll-ups."""

    def body() -> int:
        from cbcheck.cityrun import ledger_withdraw as run_withdraw

        cfg, language = _config_and_language(lang)
        return run_withdraw(submission, reason, policy, year, ledger, cfg, typer.echo, language)

    _guard(body)


def _unraisable(args: Any) -> None:
    """A Ctrl-C that lands while a finaliser runs (``ZipFile.__del__`` closing a workbook) is "ignored"
    by Python with a traceback on stderr. The run's own handler has already noted it and stops after
    the file (``run._interruptible``: exit 130, one line, no partial file), so it is dropped here
    without the traceback. Anything else as Python says it."""
    if args.exc_type is not None and issubclass(args.exc_type, KeyboardInterrupt):
        return
    sys.__unraisablehook__(args)


def main() -> None:
    sys.unraisablehook = _unraisable
    # Arrow's buffers from malloc, not the mimalloc pyarrow bundles: a facility CSV judged as it
    # streams frees each group's Arrow columns, and mimalloc kept their pages (1M rows: ~15 MiB of
    # the peak, same CPU; the parser's batches were already malloc's, reader/faststream.py). Read
    # when pyarrow is first imported, which a check does after this; an ARROW_DEFAULT_MEMORY_POOL
    # already set is kept.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    app(prog_name="cbcheck")
