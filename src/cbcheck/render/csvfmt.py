"""``--format csv``: one row per finding, for filtering and pivoting in Excel/WPS.

UTF-8 with a BOM, so Excel on a Chinese Windows opens the Chinese text correctly, and
CRLF line ends. Headers and statuses are in the report language. Numbers are written
plainly to 10 significant figures (``16.378912``); text that a spreadsheet would evaluate as a formula (``=…``, ``+…``,
``-…``, ``@…``, from a submitted cell or a file name) gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.common import COUNTED, defuse_formula, status_label, verdict_label
from cbcheck.render.safe import terminal_safe
from cbcheck.render.view import build

if TYPE_CHECKING:
    from cbcheck.batch import FileResult

BOM = "\ufeff"
COLUMNS = ("file", "entity", "year", "section", "rule_id", "title", "indicator", "indicator_name", "status",
           "strength", "target_year", "observed", "comparator", "expected", "unit", "location", "message",
           "arithmetic", "quote")
SUMMARY_COLUMNS = ("file", "entity", "policy", *[s.value for s in COUNTED], "verdict", "exit", "error")


def _value(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:.10g}"             # full precision for pivoting; no float noise
    return defuse_formula(terminal_safe(str(x)))


def _write(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_value(v) for v in row])
    return buf.getvalue()


def header(opts: RenderOptions) -> list[str]:
    return [opts.m(f"csv.{c}") for c in COLUMNS]


def rows(report: Report, opts: RenderOptions) -> list[list[Any]]:
    """Every finding (the formats scripts read keep NOT_APPLICABLE too), failures first in each section."""
    v = build(report, opts.m, opts.cat(), show_na=True, facility_limit=0)
    s = report.submission
    return [[s.shown_path, s.entity, v.year, r.section, r.rule_id, r.title, r.indicator, r.indicator_name,
             r.status_label, r.strength_label, r.target_year, r.observed, r.comparator, r.expected, r.unit,
             r.location, r.message, r.arithmetic, r.quote] for sec in v.sections for r in sec.rows]


def render(report: Report, opts: RenderOptions) -> str:
    return BOM + _write([header(opts), *rows(report, opts)])


def render_results(results: list[FileResult], opts: RenderOptions) -> str:
    """A batch: every file's findings under one header; a row for a file that could not be read."""
    out: list[list[Any]] = [header(opts)]
    for r in results:
        if r.report is not None:
            out += rows(r.report, opts.with_catalogue(r.catalogue))
        else:
            row: list[Any] = [""] * len(COLUMNS)
            row[COLUMNS.index("file")] = r.label
            row[COLUMNS.index("status")] = verdict_label(r.verdict, opts.m)
            row[COLUMNS.index("message")] = _why(r, opts)
            out.append(row)
    return BOM + _write(out)


def render_summary(results: list[FileResult], opts: RenderOptions) -> str:
    """A batch with --quiet: one row per file."""
    m = opts.m
    out: list[list[Any]] = [[m(f"csv.{c}") if not c.isupper() else status_label(c, m) for c in SUMMARY_COLUMNS]]
    for r in results:
        rep = r.report
        counts = rep.counts() if rep else {}
        out.append([r.label, rep.submission.entity if rep else None, rep.policy.id if rep else None,
                    *[counts.get(s.value) for s in COUNTED], verdict_label(r.verdict, m), r.exit_code,
                    _why(r, opts) if rep is None else None])
    return BOM + _write(out)


def _why(r: FileResult, opts: RenderOptions) -> str:
    """Why a file (or a city workbook's sheet) has no report: the error, or why the sheet was not judged."""
    return r.left_out.text(opts.lang) if r.left_out is not None else str(r.error)
