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
from cbcheck.model import Report, Status
from cbcheck.render import RenderOptions
from cbcheck.render.common import worst
from cbcheck.render.view import Row, View, build
from cbcheck.render.xlsxio import clip_merges, make_inert, put, set_text, to_bytes

FILL = {Status.PASS: "C6EFCE", Status.FAIL: "FFC7CE", Status.WARN: "FFEB9C", Status.MISSING: "E4DFEC",
        Status.NOT_DUE: "DDEBF7", Status.NOT_APPLICABLE: "EDEDED", Status.ERROR: "FF9999",
        Status.WAIVED: "D9E1F2"}
VERDICT_FILL = {"compliant": "C6EFCE", "non-compliant": "FFC7CE", "incomplete": "FFEB9C"}
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
COLUMNS = ("status", "rule_id", "title", "gap", "location", "message", "todo", "observed", "comparator",
           "expected", "unit", "target_year", "strength", "indicator_name", "arithmetic", "section", "quote")
WIDTHS = {"status": 10, "rule_id": 26, "title": 40, "indicator_name": 24, "strength": 12, "target_year": 8,
          "observed": 10, "comparator": 6, "expected": 10, "unit": 12, "location": 14, "message": 44,
          "arithmetic": 60, "section": 24, "quote": 60, "gap": 18, "todo": 36}
WRAP = {"title", "message", "arithmetic", "quote", "todo"}
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


def _mark(wb: Any, v: View) -> None:
    """Fill and comment every cell a finding names, and every facility cell a facility rule found
    in breach or missing (not only the first one per rule)."""
    from openpyxl.comments import Comment

    m = v.m
    by_cell: dict[tuple[str, str], list[tuple[Status, str]]] = {}
    for r in v.rows:
        text = f"{r.rule_id} · {r.status_label}\n{r.message}" + (f"\n{r.arithmetic}" if r.arithmetic else "") \
            + (f"\n{r.gap}" if r.gap else "")
        places = {(ws.title, _anchor(ws, coord)) for ws, coord in _cells(wb, r.location)}
        for e in r.facilities:
            for ws, coord in _cells(wb, e["location"]):
                key = (ws.title, _anchor(ws, coord))
                places.discard(key)
                by_cell.setdefault(key, []).append(
                    (Status(e["status"]), f"{r.rule_id} · {e['status_label']}\n{e['facility']}: {e['message']}"
                     + (f"\n{m('report.observed')} {e['observed']} · {m('report.limit')} {e['expected']}"
                        if e["observed"] is not None else "")))
        for key in places:
            by_cell.setdefault(key, []).append((Status(r.status), text))
    for (title, coord), notes in sorted(by_cell.items()):
        cell = wb[title][coord]
        cell.fill = _fill(FILL[worst([st for st, _ in notes])])
        text = "cbcheck\n" + "\n\n".join(n for _, n in notes)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text[:MAX_COMMENT], "cbcheck")
        comment.width, comment.height = 360, min(600, 60 + 14 * text.count("\n") + len(text) // 3)
        cell.comment = comment


def _display(value: Any) -> Any:
    """Numbers rounded for display (4 significant figures); the full value stays in the comment."""
    if isinstance(value, float):
        return float(f"{value:.4g}")
    return value


def _row_values(r: Row) -> dict[str, Any]:
    return {"status": r.status_label, "rule_id": r.rule_id, "title": r.title, "indicator_name": r.indicator_name,
            "strength": r.strength_label, "target_year": r.target_year, "observed": _display(r.observed),
            "comparator": r.comparator, "expected": _display(r.expected), "unit": r.unit, "gap": r.gap,
            "location": r.location, "message": r.message, "arithmetic": r.arithmetic, "todo": r.todo,
            "section": r.section, "quote": r.quote}


def _results(wb: Any, v: View) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    m = v.m
    ws = wb.create_sheet(_unique_title(wb, m("xlsx.sheet")), 0)
    wb.active = 0
    ws.sheet_view.tabSelected = True
    put(ws, 1, 1, v.title).font = Font(bold=True, size=14)
    facts = [(m("report.verdict"), f"{v.verdict_label} — {v.reason}"), (m("batch.title"), v.summary_line),
             (m("html.entity"), v.submission["entity"]), (m("html.year"), v.year),
             (m("html.policy"),
              f"{v.policy['title']}（{v.policy['id']}，{v.policy['status']}），sha256 {v.policy['sha']}"),
             (m("html.submission"), f"{v.submission['path']} (sha256 {v.submission['sha']})")]
    for i, (key, value) in enumerate(facts, start=2):
        put(ws, i, 1, key).font = Font(bold=True)
        cell = put(ws, i, 2, value)
        if i == 2:
            cell.fill = _fill(VERDICT_FILL.get(v.verdict, "FFEB9C"))
            cell.font = Font(bold=True)
    for c, name in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[name]
    row = len(facts) + 3

    def header(title: str, columns: tuple[str, ...]) -> int:
        nonlocal row
        put(ws, row, 1, title).font = Font(bold=True, size=12)
        row += 1
        for c, name in enumerate(columns, start=1):
            put(ws, row, c, m(f"csv.{name}")).font = Font(bold=True)
        return row

    def line(r: Row) -> None:
        nonlocal row
        row += 1
        values = _row_values(r)
        for c, name in enumerate(COLUMNS, start=1):
            cell = put(ws, row, c, values[name])
            if name in WRAP:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if name in ("observed", "expected") and isinstance(r.observed if name == "observed" else r.expected, float):
                cell.comment = Comment(str(r.observed if name == "observed" else r.expected), "cbcheck")
        ws.cell(row=row, column=1).fill = _fill(FILL[Status(r.status)])
        longest = max(len(str(values[n] or "")) / max(WIDTHS[n] / 2, 1) for n in WRAP)
        ws.row_dimensions[row].height = min(409, 15 * max(1, int(longest) + 1))
        targets = _cells(wb, r.location)
        if targets:
            link = ws.cell(row=row, column=COLUMNS.index("location") + 1)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=_link(targets[0][0].title, targets[0][1]))
            link.font = Font(color="FF0563C1", underline="single")

    top = header(m("report.actions"), COLUMNS)
    for r in v.actions:
        line(r)
    if not v.actions:
        row += 1
        put(ws, row, 1, m("report.actions_none"))
    row += 2
    findings_top = header(m("report.findings"), COLUMNS)
    for section in v.sections:
        for r in section.rows:
            line(r)
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.auto_filter.ref = f"A{findings_top}:{get_column_letter(len(COLUMNS))}{row}"
    ws.print_title_rows = f"{top}:{top}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    facility_rows = [(r, e) for r in v.rows for e in r.facilities]
    if facility_rows:
        row += 2
        put(ws, row, 1, m("report.facilities")).font = Font(bold=True, size=12)
        row += 1
        for c, label in enumerate((m("col.status"), m("col.rule"), m("report.facility"), m("report.observed"),
                                   m("report.limit"), m("col.cell"), m("col.finding")), start=1):
            put(ws, row, c, label).font = Font(bold=True)
        for r, e in facility_rows:
            row += 1
            for c, value in enumerate((e["status_label"], r.rule_id, e["facility"], _display(e["observed"]),
                                       _display(e["expected"]), e["location"], e["message"]), start=1):
                put(ws, row, c, value)
            ws.cell(row=row, column=1).fill = _fill(FILL[Status(e["status"])])
            targets = _cells(wb, e["location"])
            if targets:
                link = ws.cell(row=row, column=6)
                link.hyperlink = Hyperlink(ref=link.coordinate, location=_link(targets[0][0].title, targets[0][1]))
                link.font = Font(color="FF0563C1", underline="single")
    extra = [(m("text.data_quality"), [f"{q['label']}：{q['message']}" + (m("text.cell_paren", location=q["location"])
                                                                        if q["location"] else "") for q in v.quality]),
             (m("report.reading"), v.reading + [f"{m('text.unrecognised')}：{u['text']}" for u in v.unmatched])]
    if v.hidden_na:
        extra.append((m("status.NOT_APPLICABLE"), [m("report.na_hidden", n=v.hidden_na)]))
    for heading, lines in extra:
        if lines:
            row += 2
            put(ws, row, 1, heading).font = Font(bold=True)
            for text in lines:
                row += 1
                put(ws, row, 2, text)


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
    v = build(report, opts.m, opts.cat(), show_na=opts.show_all, facility_limit=None)
    _results(wb, v)
    _mark(wb, v)
    return to_bytes(wb)
