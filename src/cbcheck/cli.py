"""Command line: parse arguments, call the layers, map errors to exit codes.

Exit codes: 0 compliant (warnings allowed); 1 non-compliant; 2 usage error;
3 submission or policy cannot be evaluated; 4 internal error.
Heavy libraries are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Callable, Optional

import typer

from cbcheck import __version__

app = typer.Typer(help="Check carbon-peak and energy-saving plan submissions against their plans.",
                  no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None)
policy_app = typer.Typer(help="Inspect and validate policy files.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")

EXIT_OK, EXIT_NONCOMPLIANT, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4
# Several files: the worst result wins; a definite non-compliance outranks an unreadable file.
EXIT_RANK = {EXIT_OK: 0, EXIT_INPUT: 1, EXIT_NONCOMPLIANT: 2, EXIT_USAGE: 3, EXIT_INTERNAL: 4}
_debug = False


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _guard(body: Callable[[], int]) -> None:
    """Run a command body; user mistakes become one line on stderr and an exit code."""
    from cbcheck.errors import CbcheckError

    try:
        code = body()
    except CbcheckError as exc:
        _err(f"cbcheck: error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug, not a user mistake
        if _debug:
            traceback.print_exc()
        _err(f"cbcheck: internal error: {type(exc).__name__}: {exc} "
             "(this is a bug; rerun with --debug for the traceback and report it)")
        raise typer.Exit(EXIT_INTERNAL) from None
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cbcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
) -> None:
    global _debug
    _debug = debug


def _use_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _format_for(path: Path, default: str) -> str:
    from cbcheck.render import EXTENSIONS

    return EXTENSIONS.get(path.suffix.lower(), default)


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Submission files (.xlsx, .xlsm, .csv)."),
    policy: str = typer.Option(..., "--policy", "-p", help="Bundled policy id or path to a policy .yaml."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Reporting year (default: latest in the file)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json | markdown"),
    output: list[Path] = typer.Option([], "--output", "-o", help="Also write the report here (format from extension)."),
    strict: bool = typer.Option(False, "--strict", help="Warnings make the result non-compliant (exit 1)."),
    strict_trajectory: bool = typer.Option(False, "--strict-trajectory",
                                           help="Binding rules behind their trajectory FAIL instead of WARN."),
    params: Optional[Path] = typer.Option(None, "--params", help="Assigned/allocated targets (YAML)."),
    set_: list[str] = typer.Option([], "--set", help="Assigned target for one rule: RULE=VALUE [UNIT]."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="Read only this sheet of a workbook."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Force the CSV encoding (e.g. gb18030)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary and verdict."),
    no_color: bool = typer.Option(False, "--no-color", help="Plain text even on a terminal."),
) -> None:
    """Check one or more submissions against a policy and print the report."""

    def body() -> int:
        from cbcheck.errors import UsageError
        from cbcheck.engine import evaluate
        from cbcheck.outputs import write_atomic
        from cbcheck.params import Params, load_params, parse_set
        from cbcheck.policy import load_policy
        from cbcheck.reader import read_submission
        from cbcheck.render import RENDERERS
        from cbcheck.render.common import exit_code, summary_line

        if fmt not in RENDERERS:
            raise UsageError(f"unknown format {fmt!r}", hint="one of: " + ", ".join(RENDERERS))
        pol, cat = load_policy(policy)
        prm = load_params(params) if params else Params()
        prm = prm.with_overrides(parse_set(set_))
        worst = EXIT_OK
        for path in files:
            submission = read_submission(path, cat, sheet=sheet, encoding=encoding)
            report = evaluate(pol, cat, submission, year=year, params=prm, strict=strict,
                              strict_trajectory=strict_trajectory)
            if quiet:
                typer.echo(f"{path}: {report.verdict()} · {summary_line(report)}")
            else:
                color = fmt == "text" and _use_color(no_color)
                kw = {"color": color, "width": None} if fmt == "text" else {}
                if color:
                    import shutil

                    kw["width"] = shutil.get_terminal_size().columns
                sys.stdout.write(RENDERERS[fmt](report, **kw))
            for out in output:
                write_atomic(out, RENDERERS[_format_for(out, fmt)](report))
            worst = max(worst, exit_code(report), key=EXIT_RANK.__getitem__)
        return worst

    _guard(body)


@app.command("policies")
def list_policies() -> None:
    """List bundled policies: id, title, region, status, number of rules."""

    def body() -> int:
        from cbcheck.policy import bundled_policy_paths
        from cbcheck.yamlio import load_yaml

        for path in bundled_policy_paths():
            data = load_yaml(path)
            typer.echo(f"{data['id']}\t{data['title']}\t{data['region']}\t{data['status']}\t"
                       f"{len(data.get('rules', []))} rules")
        return EXIT_OK

    _guard(body)


@policy_app.command("show")
def policy_show(
    ref: str = typer.Argument(..., help="Policy id or path."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | markdown"),
) -> None:
    """Show a policy's rules grouped by plan section."""

    def body() -> int:
        from cbcheck.policy import load_policy
        from cbcheck.render.policyview import render_policy

        pol, cat = load_policy(ref)
        sys.stdout.write(render_policy(pol, cat, fmt))
        return EXIT_OK

    _guard(body)


@policy_app.command("lint")
def policy_lint(files: list[Path] = typer.Argument(..., help="Policy files to check.")) -> None:
    """Validate policy files: schema, then references, units, years and duplicates."""

    def body() -> int:
        from cbcheck.policy import lint_file

        errors = 0
        owner: dict[str, str] = {}
        for path in files:
            problems, data = lint_file(path)
            for rule in (data or {}).get("rules", []):
                if rule["id"] in owner and owner[rule["id"]] != str(path):
                    _err(f"{path}::rules: error: rule id {rule['id']} is also used in {owner[rule['id']]}")
                    errors += 1
                owner.setdefault(rule["id"], str(path))
            for p in problems:
                typer.echo(str(p))
                errors += p.severity == "error"
            if not problems:
                typer.echo(f"{path}: ok")
        return EXIT_INPUT if errors else EXIT_OK

    _guard(body)


params_app = typer.Typer(help="Validate parameters files (assigned targets).", no_args_is_help=True)
app.add_typer(params_app, name="params")


@params_app.command("lint")
def params_lint(
    file: Path = typer.Argument(..., help="Parameters file (YAML)."),
    policy: str = typer.Option(..., "--policy", "-p", help="The policy the values are for."),
) -> None:
    """Validate a parameters file: schema, keys that exist in the policy, units."""

    def body() -> int:
        from cbcheck.params import lint_params, load_params
        from cbcheck.policy import load_policy

        pol, _ = load_policy(policy)
        problems = lint_params(load_params(file), pol)
        for p in problems:
            typer.echo(f"{file}::{p}")
        if not problems:
            typer.echo(f"{file}: ok")
        return EXIT_INPUT if problems else EXIT_OK

    _guard(body)


@app.command()
def explain(name: str = typer.Argument(..., help="A rule id (e.g. JN-NONFOSSIL-2025) or a check kind.")) -> None:
    """Explain a rule (its clause and how it is judged) or a check kind."""

    def body() -> int:
        from cbcheck.render.policyview import explain_text

        sys.stdout.write(explain_text(name))
        return EXIT_OK

    _guard(body)


def main() -> None:
    app(prog_name="cbcheck")
