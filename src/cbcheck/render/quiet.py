"""``-q``: the action list one line each and the verdict, in plain text.

Kept apart from :mod:`cbcheck.render.text` because it needs no console: a quiet check (cron
jobs, batch scripts) does not import rich (~40 ms of start-up).
"""

from __future__ import annotations

from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.safe import terminal_safe
from cbcheck.render.view import build


def quiet_lines(report: Report, opts: RenderOptions) -> str:
    """``-q``: one line per item of the action list, conftest-style (``未达标 · JN-ENERGY-INTENSITY-2025 ·
    表1!F5 · 4.729%，要求 ≥ 15.6%``), then the file's verdict and counts."""
    v = build(report, opts.m, opts.catalogue, facility_limit=0)
    m = v.m
    lines = []
    for r in v.actions:
        detail = r.arithmetic.rsplit("；" if v.lang == "zh" else "; ", 1)[-1] if r.arithmetic else r.message
        lines.append(m("quiet.line", status=r.status_label, rule=r.rule_id, location=r.location or "—",
                       detail=detail))
    lines.append(m("quiet.summary", path=v.submission["path"], verdict=v.verdict_label, line=v.summary_line))
    return "".join(terminal_safe(line) + "\n" for line in lines)
