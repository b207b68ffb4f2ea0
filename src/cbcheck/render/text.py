"""The terminal report: header, findings grouped by plan section, summary, verdict.

Colour on a terminal; plain, fixed-width text when piped or when NO_COLOR is set.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.markup import escape as _rich_escape
from rich.table import Table

from cbcheck.model import Report, Status
from cbcheck.render import RenderOptions
from cbcheck.checks.base import fmt
from cbcheck.render.safe import terminal_safe
from cbcheck.render.common import (sections_of, exit_code, facility_entries, facility_summary, policy_status, policy_title,
                                   rules_by_id, rule_title, scope_label, short_sha, status_label, strength_label,
                                   summary_line, verdict_label)

def escape(text: str) -> str:
    """Rich markup escaped and control characters made visible: every string a submission or a
    policy supplies enters the report through here (render/safe.py)."""
    return _rich_escape(terminal_safe(text))


STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.WARN: "yellow",
                Status.MISSING: "magenta", Status.NOT_DUE: "cyan", Status.NOT_APPLICABLE: "dim",
                Status.ERROR: "bold red reverse", Status.WAIVED: "blue"}
VERDICT_STYLE = {"compliant": "bold green", "non-compliant": "bold red", "incomplete": "bold yellow",
                 "unreadable": "bold red"}
PLAIN_WIDTH = 120


def console_for(buf: io.StringIO, opts: RenderOptions) -> Console:
    return Console(file=buf, width=opts.width or PLAIN_WIDTH, color_system="standard" if opts.color else None,
                   force_terminal=opts.color, no_color=not opts.color, highlight=False, emoji=False,
                   legacy_windows=False)


def _facility_lines(f, m) -> list[str]:
    listed, more = facility_entries(f)
    lines = []
    for e in listed:
        observed = "" if e["observed"] is None else f" {fmt(e['observed'])}"
        lines.append(f"  [{STATUS_STYLE[Status(e['status'])]}]{escape(status_label(e['status'], m))}[/] "
                     f"{escape(str(e['facility']))} ({escape(e['location'])}){escape(observed)}: {escape(e['message'])}")
    if more:
        lines.append(escape(m("text.facility_more", n=more)))
    return lines


def render(report: Report, opts: RenderOptions) -> str:
    m = opts.m
    buf = io.StringIO()
    console = console_for(buf, opts)
    p, s = report.policy, report.submission
    rules = rules_by_id(p)
    console.print(f"[bold]cbcheck[/bold] · {escape(policy_title(p, m))} ({p.id}, {policy_status(p, m)})")
    console.print(escape(m("text.submission", path=s.path, sha=short_sha(s.sha256))))
    console.print(escape(m("text.entity_line", entity=s.entity or m("text.not_stated"), year=report.year,
                           scope=scope_label(s.scope, m))))
    for unmatched in s.unmatched:
        hint = m("text.did_you_mean", names=", ".join(unmatched.suggestions)) if unmatched.suggestions else ""
        console.print(f"[yellow]{escape(m('text.unrecognised'))}[/yellow] "
                      + escape(m("text.label_at", label=unmatched.label, location=unmatched.location) + hint))
    for section, all_findings in sections_of(report.findings):
        findings = [f for f in all_findings if opts.show_all or f.status is not Status.NOT_APPLICABLE]
        if not findings:
            continue
        console.print()
        console.print(f"[bold]{escape(section)}[/bold]")
        table = Table(box=box.SIMPLE_HEAD if opts.color else box.ASCII2, show_edge=False, pad_edge=False,
                      expand=True, show_lines=False)
        table.add_column(m("col.status"), no_wrap=True, width=14)
        table.add_column(m("col.rule"), no_wrap=True, min_width=max(len(f.rule_id) for f in findings))
        # fold, not ellipsis: a Chinese quote has no spaces to wrap at and must be shown whole
        table.add_column(m("col.target_finding"), ratio=5, overflow="fold")
        for f in findings:
            target = rule_title(f, rules, m) + (m("text.by_year", year=f.target_year) if f.target_year else "")
            body = [f"[bold]{escape(target)}[/bold] ({escape(strength_label(f.strength, m))})", escape(f.message)]
            if f.arithmetic:
                body.append(escape(f.arithmetic))
            if f.location:
                body.append(escape(m("text.cell", location=f.location)))
            body.append(f"[dim]“{escape(f.source.quote)}”[/dim]")
            body += _facility_lines(f, m)
            table.add_row(f"[{STATUS_STYLE[f.status]}]{escape(status_label(f.status, m))}[/]", f.rule_id,
                          "\n".join(body))
        console.print(table)
    if report.quality:
        console.print()
        console.print(f"[bold]{escape(m('text.data_quality'))}[/bold] {escape(m('text.data_quality_note'))}")
        for q in report.quality:
            where = m("text.cell_paren", location=q.location) if q.location else ""
            console.print(f"  [yellow]{q.check}[/yellow] {escape(q.message + where)}")
    hidden = sum(1 for f in report.findings if f.status is Status.NOT_APPLICABLE)
    if hidden and not opts.show_all:
        console.print()
        console.print(f"[dim]{escape(m('text.not_applicable_hidden', n=hidden))}[/dim]")
    fsum = facility_summary(report)
    if fsum:
        console.print()
        console.print(escape(m("text.facilities_summary", **fsum)))
    console.print()
    notes = m("text.quality_notes", n=len(report.quality)) if report.quality else ""
    console.print(escape(m("text.summary", line=summary_line(report, m)) + notes))
    verdict = report.verdict()
    word = verdict_label(verdict, m)
    console.print(escape(m("text.verdict_prefix"))
                  + f"[{VERDICT_STYLE[verdict]}]{escape(word.upper() if m.lang == 'en' else word)}[/]"
                  + escape(m("text.exit_paren", code=exit_code(report))))
    return buf.getvalue()
