"""The terminal report: header, findings grouped by plan section, summary, verdict.

Colour on a terminal; plain, fixed-width text when piped or when NO_COLOR is set.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cbcheck.checks.base import fmt
from cbcheck.engine import sections_of
from cbcheck.model import Report, Status
from cbcheck.render.common import (FACILITY_LIST_LIMIT, STRENGTH_LABEL, exit_code, facility_result,
                                   facility_summary, short_sha, summary_line)

STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.WARN: "yellow",
                Status.MISSING: "magenta", Status.NOT_DUE: "cyan", Status.NOT_APPLICABLE: "dim",
                Status.ERROR: "bold red reverse"}
PLAIN_WIDTH = 120


def _facility_lines(f) -> list[str]:
    result = facility_result(f)
    if result is None:
        return []
    lines = []
    entries = result.entries(include_pass=False)
    for n, e in enumerate(entries):
        if n == FACILITY_LIST_LIMIT:
            rest = sum(1 for _ in entries) + 1
            lines.append(f"  … and {rest} more (use --format json for every facility)")
            break
        observed = "" if e["observed"] is None else f" {fmt(e['observed'])}"
        lines.append(f"  [{STATUS_STYLE[Status(e['status'])]}]{e['status']}[/] {escape(str(e['facility']))} "
                     f"({escape(e['location'])}){escape(observed)}: {escape(e['message'])}")
    return lines


def render(report: Report, *, color: bool = False, width: int | None = None,
           show_all: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width or PLAIN_WIDTH, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, emoji=False,
                      legacy_windows=False)
    p, s = report.policy, report.submission
    console.print(f"[bold]cbcheck[/bold] · {escape(p.title)} ({p.id}, {p.status})")
    console.print(f"Submission: {escape(s.path)} (sha256 {short_sha(s.sha256)})")
    console.print(f"Entity: {escape(s.entity or '(not stated)')} · Year: {report.year} · Scope: {s.scope}")
    for unmatched in s.unmatched:
        hint = f" — did you mean: {', '.join(unmatched.suggestions)}?" if unmatched.suggestions else ""
        console.print(f"[yellow]Unrecognised indicator[/yellow] {escape(unmatched.label)!s} at "
                      f"{unmatched.location}{escape(hint)}")
    for section, findings in sections_of(report.findings):
        shown = [f for f in findings if show_all or f.status not in (Status.NOT_APPLICABLE,)]
        if not shown:
            continue
        console.print()
        console.print(f"[bold]{escape(section)}[/bold]")
        table = Table(box=box.SIMPLE_HEAD if color else box.ASCII2, show_edge=False, pad_edge=False,
                      expand=True, show_lines=False)
        table.add_column("Status", no_wrap=True, width=14)
        table.add_column("Rule", no_wrap=True, min_width=max(len(f.rule_id) for f in shown))
        table.add_column("Target and finding", ratio=5, overflow="fold")
        for f in shown:
            target = f"{f.title}" + (f" · by {f.target_year}" if f.target_year else "")
            body = [f"[bold]{escape(target)}[/bold] ({STRENGTH_LABEL[f.strength]})", escape(f.message)]
            if f.arithmetic:
                body.append(escape(f.arithmetic))
            if f.location:
                body.append(f"cell {escape(f.location)}")
            body.append(f"[dim]“{escape(f.source.quote)}”[/dim]")
            body += _facility_lines(f)
            table.add_row(f"[{STATUS_STYLE[f.status]}]{f.status.value}[/]", f.rule_id, "\n".join(body))
        console.print(table)
    if report.quality:
        console.print()
        console.print("[bold]Data quality[/bold] (not targets; with --strict these make the result non-compliant)")
        for q in report.quality:
            console.print(f"  [yellow]{q.check}[/yellow] {escape(q.message)}" + (f" (cell {escape(q.location)})" if q.location else ""))
    hidden = sum(1 for f in report.findings if f.status is Status.NOT_APPLICABLE)
    if hidden and not show_all:
        console.print()
        console.print(f"[dim]{hidden} rules do not apply to this submission and are not shown "
                      "(--format json lists every rule with the reason).[/dim]")
    fsum = facility_summary(report)
    if fsum:
        console.print()
        console.print(f"Facilities: {fsum['submitted']} submitted · {fsum['checked']} checked · "
                      f"{fsum['breached']} breached · {fsum['exempt']} exempt from a rule")
    console.print()
    console.print(f"Summary: {summary_line(report)}" + (f" · {len(report.quality)} data-quality notes" if report.quality else ""))
    verdict = report.verdict()
    style = {"compliant": "bold green", "non-compliant": "bold red", "incomplete": "bold yellow"}[verdict]
    console.print(f"Verdict: [{style}]{verdict.upper()}[/] (exit {exit_code(report)})")
    return buf.getvalue()
