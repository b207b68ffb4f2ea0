"""``cbcheck policy``: show, coverage, lint and draft (registered by :mod:`cbcheck.cli`).
Heavy libraries are imported inside the commands, as in the rest of the CLI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from cbcheck.cli_guard import LANG_OPTION_HELP, _err, _guard, say
from cbcheck.exitcodes import Exit

policy_app = typer.Typer(help="Inspect and validate policy files.", no_args_is_help=True)


@policy_app.command("show")
def policy_show(
    ref: str = typer.Argument(..., help="Policy id or path."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | markdown"),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """Show a policy's rules grouped by plan section."""

    def body() -> int:
        from cbcheck.cli import _config_and_language
        from cbcheck.policy import load_policy
        from cbcheck.render.policyview import render_policy

        _, language = _config_and_language(lang)
        pol, cat = load_policy(ref)
        sys.stdout.write(render_policy(pol, cat, fmt, language))
        return Exit.OK

    _guard(body)


@policy_app.command("coverage")
def policy_coverage(
    ref: str = typer.Argument(..., help="Policy id or path."),
    plan: Optional[Path] = typer.Option(None, "--plan",
                                        help="The plan text (default: docs/plans/simplified/<source_file>)."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP),
) -> None:
    """List the plan's sentences with a number or a deadline that no rule and no not_encoded entry cites."""

    def body() -> int:
        from cbcheck.cli import _config_and_language
        from cbcheck.coverage import coverage, plan_path, render_markdown
        from cbcheck.policy import resolve
        from cbcheck.yamlio import load_yaml

        _, language = _config_and_language(lang)
        data = load_yaml(resolve(ref))
        path = plan or plan_path(data)
        sys.stdout.write(render_markdown(coverage(data, path.read_text(encoding="utf-8"), path.name), language))
        return Exit.OK

    _guard(body)


@policy_app.command("lint")
def policy_lint(files: list[Path] = typer.Argument(..., help="Policy files to check."),
                lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP)) -> None:
    """Validate policy files: schema, then references, units, years and duplicates."""

    def body() -> int:
        from cbcheck.cli import _config_and_language
        from cbcheck.policy import lint_file

        _, language = _config_and_language(lang)
        errors = 0
        owner: dict[str, str] = {}
        for path in files:
            problems, data = lint_file(path)
            for rule in (data or {}).get("rules", []):
                if rule["id"] in owner and owner[rule["id"]] != str(path):
                    _err(say("cli.lint_line", path=path, field="rules", severity=say("cli.severity.error"),
                             message=say("cli.policy_id_twice", rule=rule["id"], other=owner[rule["id"]])))
                    errors += 1
                owner.setdefault(rule["id"], str(path))
            for p in problems:
                typer.echo(p.text(language))
                errors += p.severity == "error"
            if not problems:
                typer.echo(say("cli.ok", path=path))
        return Exit.INPUT if errors else Exit.OK

    _guard(body)


@policy_app.command("draft")
def policy_draft(
    plan: Path = typer.Argument(..., help="The plan: .txt (UTF-8/GB18030), .docx or a text-layer PDF."),
    policy_id: str = typer.Option(..., "--id", help="Policy id for the draft, e.g. moushi-carbon-peak."),
    output: Path = typer.Option(..., "--output", "-o", help="The draft policy to write (.yaml)."),
    lang: Optional[str] = typer.Option(None, "--lang", help=LANG_OPTION_HELP + " Also the language of the "
                                       "draft's review items and notes."),
) -> None:
    """Draft a policy from a plan's text: one candidate rule per target, review items marked."""

    def body() -> int:
        from cbcheck.cli import _config_and_language
        from cbcheck.draft.cli import run_draft

        _, language = _config_and_language(lang)
        return run_draft(plan, policy_id, output, _err, language)

    _guard(body)
