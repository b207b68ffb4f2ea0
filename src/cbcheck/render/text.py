"""The terminal report, failures first: the verdict and its reason, the action list (整改清单),
then the findings by plan section with a roll-up each (PASS one line each), data quality and
how the file was read.

One card per finding (no status column eating the width), so it reads at 80 columns as well
as at 120. Colour on a terminal; plain, fixed-width text when piped or when NO_COLOR is set.
Every string from a submission or policy is passed through :func:`terminal_safe`.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape as _rich_escape

from cbcheck.checks.base import fmt
from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.linebreak import Para
from cbcheck.render.quiet import quiet_lines as quiet_lines   # noqa: F401 - its old home
from cbcheck.render.safe import terminal_safe
from cbcheck.render.view import Row, View, build


def escape(text: str) -> str:
    """Rich markup escaped and control characters made visible: every string a submission or a
    policy supplies enters the report through here (render/safe.py)."""
    return _rich_escape(terminal_safe(text))


STATUS_STYLE = {"PASS": "green", "FAIL": "bold red", "WARN": "yellow", "MISSING": "magenta", "NOT_DUE": "cyan",
                "NOT_APPLICABLE": "dim", "ERROR": "bold red reverse", "WAIVED": "blue"}
VERDICT_STYLE = {"compliant": "bold green", "non-compliant": "bold red", "incomplete": "bold yellow",
                 "unreadable": "bold red"}
PLAIN_WIDTH = 120


def console_for(buf: io.StringIO, opts: RenderOptions) -> Console:
    return Console(file=buf, width=opts.width or PLAIN_WIDTH, color_system="standard" if opts.color else None,
                   force_terminal=opts.color, no_color=not opts.color, highlight=False, emoji=False,
                   legacy_windows=False)


def s(text: object) -> str:
    """User or policy text, safe for the terminal and for rich markup."""
    return escape(terminal_safe(str(text)))


def _status(row: Row) -> str:
    return f"[{STATUS_STYLE[row.status]}]{s(row.status_label)}[/]"


def _target(row: Row, v: View) -> str:
    year = (v.m("text.by_year", year=row.target_year)
            if row.target_year and str(row.target_year) not in row.title else "")
    return f"{s(row.title)}{s(year)} · {s(row.strength_label)}"


def _pad(text: str, left: int, v: View, hang: int = 0) -> Para:
    """A paragraph from column ``left``: Chinese reports break lines the Chinese way
    (render/linebreak.py), English ones at spaces as rich does."""
    return Para(text, left, cjk=v.lang == "zh", hang=hang)


def _card(console: Console, row: Row, v: View, number: int | None = None, indent: int = 0) -> None:
    m = v.m
    head = f"{number}. " if number is not None else ""
    tail = [s(row.rule_id)]
    if row.location:
        tail.append(s(row.location))
    if row.gap:
        tail.append(f"[bold]{s(row.gap)}[/bold]")
    console.print(_pad(f"{head}{_status(row)} · " + " · ".join(tail), indent, v, hang=3))
    body = [_target(row, v), s(row.message)]
    if row.arithmetic:
        body.append(s(m("text.arith", text=row.arithmetic)))
    if row.todo and row.is_action:
        body.append(s(m("text.todo", text=row.todo)))
    body.append(f"[dim]{s(m('text.quote', quote=row.quote))}[/dim]")
    for e in row.facilities:
        observed = "" if e["observed"] is None else fmt(e["observed"])     # 1532, as the HTML shows it, not 1532.0
        body.append(f"[{STATUS_STYLE[e['status']]}]{s(e['status_label'])}[/] {s(e['facility'])}"
                    f"（{s(e['location'])}）{s(observed)}：{s(e['message'])}" if v.lang == "zh" else
                    f"[{STATUS_STYLE[e['status']]}]{s(e['status_label'])}[/] {s(e['facility'])} "
                    f"({s(e['location'])}){' ' if observed else ''}{s(observed)}: {s(e['message'])}")
    if row.facilities_more:
        body.append(s(m("text.facility_more", n=row.facilities_more).strip()))
    console.print(_pad("\n".join(body), indent + 3, v))


def _one_line(console: Console, row: Row, v: View) -> None:
    where = f" · {s(row.location)}" if row.location else ""
    console.print(_pad(f"{_status(row)} · {s(row.rule_id)} · {_target(row, v)}{where}", 3, v))


def _brief(console: Console, row: Row, v: View, number: int | None) -> None:
    """A finding already in the action list: one line pointing at it."""
    ref = str(v.m("text.see_action", n=number)) if number else ""
    gap = "" if ref.startswith("（") else " "        # a full-width bracket brings its own space
    console.print(_pad(f"{_status(row)} · {s(row.rule_id)} · {_target(row, v)}{gap}{s(ref)}", 3, v))


def render(report: Report, opts: RenderOptions) -> str:
    v = build(report, opts.m, opts.catalogue, show_na=opts.show_all)
    return render_view(v, opts)


def render_view(v: View, opts: RenderOptions) -> str:
    m = v.m
    buf = io.StringIO()
    console = console_for(buf, opts)

    def out(markup: str, left: int = 0) -> None:
        console.print(_pad(markup, left, v))

    out(f"[bold]{s(v.title)}[/bold]")
    out(s(m("text.policy_line", title=v.policy["title_full"], id=v.policy["id"], status=v.policy["status"])))
    out(s(m("text.submission", path=v.submission["path"], sha=v.submission["sha"])))
    out(s(m("text.entity_line", entity=v.submission["entity"], year=v.year, scope=v.submission["scope"])))
    console.print()
    word = v.verdict_label.upper() if v.lang == "en" else v.verdict_label
    out(s(m("text.verdict_prefix")) + f"[{VERDICT_STYLE[v.verdict]}]{s(word)}[/] — {s(v.reason_ref)}")
    notes = m("text.quality_notes", n=len(v.quality)) if v.quality else ""
    out(s(m("text.summary", line=v.summary_line) + notes))

    console.print()
    out(f"[bold]{s(m('report.actions_n', n=len(v.actions)) if v.actions else m('report.actions'))}[/bold]")
    numbers = {}
    if not v.actions:
        out(s(v.actions_none), 3)
    for i, row in enumerate(v.actions, start=1):
        numbers[row.rule_id] = i
        _card(console, row, v, i)

    console.print()
    out(f"[bold]{s(m('report.findings'))}[/bold]")
    for section in v.sections:
        if not section.rows:
            continue
        console.print()
        out(f"[bold]{s(section.name)}[/bold]：{s(section.rollup_text)}" if v.lang == "zh" else
            f"[bold]{s(section.name)}[/bold]: {s(section.rollup_text)}")
        for row in section.rows:
            if row.rule_id in numbers:
                _brief(console, row, v, numbers[row.rule_id])
            elif row.status == "PASS":
                _one_line(console, row, v)
            else:
                _card(console, row, v, indent=3)
    if v.quality:
        console.print()
        note = m("text.data_quality_note")
        gap = "" if note.startswith("（") else " "
        out(f"[bold]{s(m('text.data_quality'))}[/bold]{gap}{s(note)}")
        for q in v.quality:
            where = m("text.cell_paren", location=q["location"]) if q["location"] else ""
            out(f"[yellow]{s(q['label'])}[/yellow] {s(q['message'] + where)}", 3)
    if v.reading or v.unmatched:
        console.print()
        out(f"[bold]{s(m('report.reading'))}[/bold]")
        for group in v.read_groups:
            if group.title is not None:
                out(f"[yellow]{s(group.title)}[/yellow]", 3)
            for line in group.lines:
                out(s(line), 3 if group.title is None else 5)
        for u in v.unmatched:
            out(f"[yellow]{s(m('text.unrecognised'))}[/yellow] {s(u['text'])}", 3)
    if v.hidden_na:
        console.print()
        out(f"[dim]{s(m('report.na_hidden', n=v.hidden_na))}[/dim]")
    if v.facility_summary:
        console.print()
        out(s(m("text.facilities_summary", **v.facility_summary)))
    console.print()
    out(s(m("text.verdict_prefix")) + f"[{VERDICT_STYLE[v.verdict]}]{s(word)}[/]"
        + s(m("text.exit_paren", code=v.exit_code)))
    # rich pads a wrapped block to its widest line; a report has no trailing blanks
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())
