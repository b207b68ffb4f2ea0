"""``-q``: the action list one line each and the verdict, in plain text.

Kept apart from :mod:`cbcheck.render.text` because it needs no console: a quiet check (cron
jobs, batch scripts) does not import rich (~40 ms of start-up).
"""

from __future__ import annotations

from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.safe import terminal_safe
from cbcheck.render.view import build


def remarks(report: Report, lang: str) -> list[str]:
    """What the verdict's word alone would hide from a job that reads one line, as the text verdict's
    reason says it (cbcheck.render.view.reasons): which year was judged when the file says another (a
    2025 title over 2024's columns is not a 合规 for 2025), and why nothing could be judged (an
    enterprise's indicator table: 无法完整评估 with no action line to say why)."""
    from cbcheck.i18n.message import Msg

    said = [] if report.year_reason is None else [report.year_reason]
    if report.nothing_judged():
        said.append(Msg("reason.no_facility_table", policy=report.policy.id))
    return [s.text(lang) for s in said]


def quiet_lines(report: Report, opts: RenderOptions) -> str:
    """``-q``: one line per item of the action list, conftest-style (``未达标 · JN-ENERGY-INTENSITY-2025 ·
    表1!F5 · 4.729%，要求 ≥ 15.6%``), then the file's verdict, what it alone would hide (:func:`remarks`),
    and the counts."""
    v = build(report, opts.m, opts.catalogue, facility_limit=0)
    m = v.m
    lines = []
    for r in v.actions:
        detail = r.arithmetic.rsplit("；" if v.lang == "zh" else "; ", 1)[-1] if r.arithmetic else r.message
        lines.append(m("quiet.line", status=r.status_label, rule=r.rule_id, location=r.location or "—",
                       detail=detail))
    why = remarks(report, v.lang)
    lines.append(m("quiet.summary_why", path=v.submission["path"], verdict=v.verdict_label,
                   why=m("reason.sep").join(why), line=v.summary_line) if why else
                 m("quiet.summary", path=v.submission["path"], verdict=v.verdict_label, line=v.summary_line))
    return "".join(terminal_safe(line) + "\n" for line in lines)
