"""``--format xlsx``: a copy of the submitted workbook with the verdicts in it.

The copy gets a results sheet in front (one row per finding, coloured by status, each
cell reference a link to the cell) and every cell a finding names is filled with its
status colour and carries a comment with the rule, the verdict and the arithmetic.

Safety: the submitted file is only read. In the copy no formula survives: a formula cell
keeps its last computed value (or, when the file has none, its formula as text), and
text starting with = + - @ is stored as text. External links, macros, DDE, OLE objects,
defined names that are not plain cell references, data validation and conditional
formatting formulas, and hyperlinks to anything but a cell are dropped
(:func:`cbcheck.render.xlsxio.make_inert`); merged ranges are clipped to the cells written
before openpyxl builds one object per merged cell (:func:`~cbcheck.render.xlsxio.clip_merges`). A
CSV submission gets a fresh workbook holding the results sheet. Bytes are reproducible
(see :mod:`cbcheck.render.xlsxio`). Binary: never printed, needs ``--output``.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from cbcheck.errors import CbcheckError, SubmissionError
from cbcheck.model import Finding, Report, Status
from cbcheck.render import RenderOptions
from cbcheck.render.common import (sections_of, exit_code, indicator_label, policy_status, policy_title, rule_title,
                                   rules_by_id, short_sha, status_label, strength_label, summary_line,
                                   verdict_label, worst)
from cbcheck.render.xlsxio import clip_merges, make_inert, put, set_text, to_bytes

FILL = {Status.PASS: "C6EFCE", Status.FAIL: "FFC7CE", Status.WARN: "FFEB9C", Status.MISSING: "E4DFEC",
        Status.NOT_DUE: "DDEBF7", Status.NOT_APPLICABLE: "EDEDED", Status.ERROR: "FF9999",
        Status.WAIVED: "D9E1F2"}
VERDICT_FILL = {"compliant": "C6EFCE", "non-compliant": "FFC7CE", "incomplete": "FFEB9C"}
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
COLUMNS = ("status", "rule_id", "title", "indicator_name", "strength", "target_year", "observed", "comparator",
           "expected", "unit", "location", "message", "arithmetic", "section", "quote")
WIDTHS = {"status": 10, "rule_id": 26, "title": 40, "indicator_name": 24, "strength": 12, "target_year": 8,
          "observed": 10, "comparator": 6, "expected": 10, "unit": 12, "location": 14, "message": 48,
          "arithmetic": 60, "section": 24, "quote": 60}
WRAP = {"title", "message", "arithmetic", "quote"}
MAX_COMMENT = 30000


def _fill(rgb: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color="FF" + rgb, end_color="FF" + rgb)


def _copy(data: bytes) -> Any:
    """The submitted workbook with every formula replaced by its value (or its text)."""
    import openpyxl
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    data = clip_merges(data)
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False, keep_vba=False)
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, keep_vba=False)
    make_inert(wb)
    for ws in wb.worksheets:
        values = cached[ws.title]
        ws.sheet_view.tabSelected = False
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                v = cell.value
                if cell.data_type == "f" or isinstance(v, (ArrayFormula, DataTableFormula)):
                    last = values.cell(row=cell.row, column=cell.column).value
                    if last is None:
                        text = getattr(v, "text", None) or str(v)
                        set_text(cell, text if text.startswith("=") else f"={text}")
                    elif isinstance(last, str):
                        set_text(cell, last)
                    else:
                        cell.value = last
                elif isinstance(v, str):
                    set_text(cell, v)
    return wb


def _unique_title(wb: Any, wanted: str) -> str:
    taken = {n.lower() for n in wb.sheetnames}
    title, n = wanted[:31], 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = wanted[: 31 - len(suffix)] + suffix, n + 1
    return title


def _cells(wb: Any, location: str | None) -> list[tuple[Any, str]]:
    """(worksheet, coordinate) for each ``Sheet!A1`` part of a finding's location that is in ``wb``."""
    out = []
    for part in (location or "").split("/"):
        sheet, _, coord = part.rpartition("!")
        m = _CELL.match(coord)
        if sheet in wb.sheetnames and m:
            out.append((wb[sheet], f"{m.group(1)}{m.group(2)}"))
    return out


def _anchor(ws: Any, coord: str) -> str:
    """The top-left cell of a merged range holding ``coord`` (comments live there)."""
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return rng.start_cell.coordinate
    return coord


def _link(ws_title: str, coord: str) -> str:
    return "'" + ws_title.replace("'", "''") + "'!" + coord


def _mark(wb: Any, report: Report, opts: RenderOptions) -> None:
    from openpyxl.comments import Comment

    m = opts.m
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        for ws, coord in _cells(wb, f.location):
            by_cell.setdefault((ws.title, _anchor(ws, coord)), []).append(f)
    for (title, coord), findings in sorted(by_cell.items()):
        cell = wb[title][coord]
        cell.fill = _fill(FILL[worst([f.status for f in findings])])
        parts = []
        for f in findings:
            text = f"{f.rule_id} · {status_label(f.status, m)}\n{f.message}"
            parts.append(text + (f"\n{f.arithmetic}" if f.arithmetic else ""))
        text = "cbcheck\n" + "\n\n".join(parts)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text[:MAX_COMMENT], "cbcheck")
        comment.width, comment.height = 360, min(600, 60 + 14 * text.count("\n") + len(text) // 3)
        cell.comment = comment


def _results(wb: Any, report: Report, opts: RenderOptions) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    m, cat = opts.m, opts.cat()
    p, s = report.policy, report.submission
    rules = rules_by_id(p)
    ws = wb.create_sheet(_unique_title(wb, m("xlsx.sheet")), 0)
    wb.active = 0
    ws.sheet_view.tabSelected = True
    put(ws, 1, 1, f"cbcheck · {policy_title(p, m)}").font = Font(bold=True, size=14)
    verdict = report.verdict()
    facts = [(m("html.policy"), f"{p.id} ({policy_status(p, m)}), sha256 {short_sha(p.sha256)}"),
             (m("html.submission"), f"{s.path} (sha256 {short_sha(s.sha256)})"),
             (m("html.entity"), s.entity or m("text.not_stated")), (m("html.year"), report.year),
             (m("batch.verdict"), m("html.verdict", verdict=verdict_label(verdict, m), code=exit_code(report))),
             (m("batch.title"), summary_line(report, m))]
    for i, (key, value) in enumerate(facts, start=2):
        put(ws, i, 1, key).font = Font(bold=True)
        cell = put(ws, i, 2, value)
        if key == m("batch.verdict"):
            cell.fill = _fill(VERDICT_FILL[verdict])
    top = len(facts) + 3
    for c, name in enumerate(COLUMNS, start=1):
        put(ws, top, c, m(f"csv.{name}")).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[name]
    row = top
    for section, findings in sections_of(report.findings):
        for f in findings:
            row += 1
            values = {"status": status_label(f.status, m), "rule_id": f.rule_id, "title": rule_title(f, rules, m),
                      "indicator_name": indicator_label(f, cat, m), "strength": strength_label(f.strength, m),
                      "target_year": f.target_year, "observed": f.observed, "comparator": f.comparator,
                      "expected": f.expected, "unit": f.unit, "location": f.location, "message": f.message,
                      "arithmetic": f.arithmetic, "section": section, "quote": f.source.quote}
            for c, name in enumerate(COLUMNS, start=1):
                cell = put(ws, row, c, values[name])
                if name in WRAP:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row=row, column=1).fill = _fill(FILL[f.status])
            targets = _cells(wb, f.location)
            if targets:
                link = ws.cell(row=row, column=COLUMNS.index("location") + 1)
                link.hyperlink = Hyperlink(ref=link.coordinate, location=_link(targets[0][0].title, targets[0][1]))
                link.font = Font(color="FF0563C1", underline="single")
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(COLUMNS))}{row}"
    extra = [(m("text.data_quality"), [f"{q.check}: {q.message}" + (m("text.cell_paren", location=q.location)
                                                                    if q.location else "") for q in report.quality]),
             (m("text.unrecognised"), [m("text.label_at", label=u.label, location=u.location) for u in s.unmatched])]
    for heading, lines in extra:
        if lines:
            row += 2
            put(ws, row, 1, heading).font = Font(bold=True)
            for line in lines:
                row += 1
                put(ws, row, 2, line)


def render(report: Report, opts: RenderOptions) -> bytes:
    import openpyxl

    src = Path(report.submission.path)
    if src.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise SubmissionError(f"cannot read the submission again to copy it: {exc}", where=str(src)) from None
        if hashlib.sha256(data).hexdigest() != report.submission.sha256:
            raise SubmissionError("the file changed after it was checked; not copying it", where=str(src),
                                  hint="check it again")
        try:
            wb = _copy(data)
        except (MemoryError, CbcheckError):
            raise
        except Exception as exc:  # openpyxl's full mode meets damage the streaming read did not touch
            raise SubmissionError(f"cannot copy the workbook for the xlsx report ({type(exc).__name__}: {exc})",
                                  where=str(src), hint="open and save it again in Excel or WPS, or choose "
                                                       "another --format") from None
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        wb.properties.creator = "cbcheck"
    _results(wb, report, opts)
    _mark(wb, report, opts)
    return to_bytes(wb)
