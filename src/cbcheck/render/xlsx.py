"""``--format xlsx``: a copy of the submitted workbook with the verdicts in it.

The copy gets a results sheet in front (one row per finding, coloured by status, each
cell reference a link to the cell) and every cell a finding names is filled with its
status colour and carries a comment with the rule, the verdict and the arithmetic — every
cell of a multi-cell reference (``表1!F13/表1!F15``, ``表1!C5:E5``) and every facility cell a
facility rule found in breach, not only the first. The base-year cells the arithmetic used
(2020 for 比2020年下降) get their own fill and a comment saying so. A finding that names more
than one cell lists a link to each in the columns after the last (单元格链接).

The results sheet prints landscape on A4, fit to the page width, with its header row repeated;
wrapped rows are sized to their text; numbers are shown rounded (as the text report writes
them) with the full value in the cell's comment.

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

from cbcheck.checks.base import fmt
from cbcheck.errors import CbcheckError, SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.model import Report, Status
from cbcheck.render import RenderOptions
from cbcheck.render.common import worst
from cbcheck.render.view import Row, View, build
from cbcheck.render.xlsxio import clip_merges, make_inert, put, set_text, to_bytes

FILL = {Status.PASS: "C6EFCE", Status.FAIL: "FFC7CE", Status.WARN: "FFEB9C", Status.MISSING: "E4DFEC",
        Status.NOT_DUE: "DDEBF7", Status.NOT_APPLICABLE: "EDEDED", Status.ERROR: "FF9999",
        Status.WAIVED: "D9E1F2"}
VERDICT_FILL = {"compliant": "C6EFCE", "non-compliant": "FFC7CE", "incomplete": "FFEB9C"}
BASE_FILL = "BDD7EE"           # a base-year cell the arithmetic used: a colour no status has
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})$")
_SEPARATORS = re.compile(r"\s*(?:/|,|，|、|;|；)\s*")
MAX_RANGE_CELLS = 500          # a reference wider than this is linked and marked by its first cell only
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


def refs(location: str | None) -> list[tuple[str, str]]:
    """(sheet, cell) for each cell a location names, in order, each once: ``表1!F13/表1!F15``,
    ``表1!F13, 表1!F15`` and every cell of a range ``表1!C5:E5`` (a sheet-less part after the
    first takes the sheet before it: ``表1!F13/F15``)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import column_index_from_string

    out: dict[tuple[str, str], None] = {}
    sheet = ""
    for part in _SEPARATORS.split(location or ""):
        name, bang, coord = part.rpartition("!")
        if bang:
            sheet = name[1:-1].replace("''", "'") if name.startswith("'") and name.endswith("'") else name
        if not sheet:
            continue
        coord = coord.strip()
        if m := _CELL.match(coord):
            out[(sheet, f"{m.group(1)}{m.group(2)}")] = None
        elif m := _RANGE.match(coord):
            c0, c1 = sorted((column_index_from_string(m.group(1)), column_index_from_string(m.group(3))))
            r0, r1 = sorted((int(m.group(2)), int(m.group(4))))
            if (c1 - c0 + 1) * (r1 - r0 + 1) > MAX_RANGE_CELLS:
                out[(sheet, f"{get_column_letter(c0)}{r0}")] = None
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    out[(sheet, f"{get_column_letter(c)}{r}")] = None
    return list(out)


def _cells(wb: Any, location: str | None) -> list[tuple[Any, str]]:
    """(worksheet, coordinate) for each cell of a finding's location that is in ``wb``."""
    return [(wb[sheet], coord) for sheet, coord in refs(location) if sheet in wb.sheetnames]


# Kinds whose arithmetic always compares with the base year (比2020年下降/提高); other kinds say
# so in their details (``base_year``) when a trajectory from the base year was used.
BASE_KINDS = frozenset({"reduction_vs_base", "increase_vs_base"})


def base_cells(report: Report) -> dict[str, tuple[int, str, list[str]]]:
    """rule id -> (base year, kind, locations of the submitted base-year values its arithmetic
    used): for each cell a finding names, the same indicator's value in the base year (for an
    intensity derived from its components, each component's). Only when the base came from the
    submission: the series the rule judged holds the base year and the plan gives no base_value."""
    from cbcheck.render.common import rules_by_id

    rules = rules_by_id(report.policy)
    by_place = {o.location: o for o in report.submission.observations}
    by_year: dict[tuple[str, int], str] = {}
    for o in report.submission.observations:
        if o.year is not None and o.value is not None and o.error is None:
            by_year.setdefault((o.indicator, o.year), o.location)
    out: dict[str, tuple[int, str, list[str]]] = {}
    for f in report.findings:
        rule = rules.get(f.rule_id)
        if rule is None or rule.base_value is not None or not f.location \
                or f.status in (Status.NOT_APPLICABLE, Status.MISSING):
            continue
        b = f.details.get("base_year") or (rule.base_year if rule.kind in BASE_KINDS else None)
        if not isinstance(b, int) or b == f.year or b not in (f.details.get("history") or {}):
            continue
        cells: list[str] = []
        for part in _SEPARATORS.split(f.location):
            obs = by_place.get(part)
            where = by_year.get((obs.indicator, b)) if obs is not None and obs.year != b else None
            if where and where not in cells:
                cells.append(where)
        if cells:
            out[f.rule_id] = (b, rule.kind, cells)
    return out


def _anchor(ws: Any, coord: str) -> str:
    """The top-left cell of a merged range holding ``coord`` (comments live there)."""
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return rng.start_cell.coordinate
    return coord


def _link(ws_title: str, coord: str) -> str:
    return "'" + ws_title.replace("'", "''") + "'!" + coord


def _mark(wb: Any, v: View, bases: dict[str, tuple[int, str, list[str]]]) -> None:
    """Fill and comment every cell a finding names, every facility cell a facility rule found
    in breach or missing (not only the first one per rule), and every base-year cell a rule's
    arithmetic used."""
    from openpyxl.comments import Comment

    m = v.m
    by_cell: dict[tuple[str, str], list[tuple[Status, str]]] = {}
    base_notes: dict[tuple[str, str], dict[str, list[str]]] = {}
    for rule_id, (year, kind, locations) in bases.items():
        what = m.get(f"xlsx.base_what_{kind}", m("xlsx.base_what_other"))
        for ws, coord in _cells(wb, "/".join(locations)):
            note = m("xlsx.base_cell", year=year, what=what)
            base_notes.setdefault((ws.title, _anchor(ws, coord)), {}).setdefault(note, []).append(rule_id)
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
                     + (f"\n{m('report.observed')} {fmt(e['observed'])}" if e["observed"] is not None else "")
                     # no limit to give: a category the plan sets none for (无烟块煤（非优质）), not "None"
                     + (f" · {m('report.limit')} {fmt(e['expected'])}"
                        if e["observed"] is not None and e["expected"] is not None else "")))
        for key in places:
            by_cell.setdefault(key, []).append((Status(r.status), text))
    for (title, coord) in sorted(set(by_cell) | set(base_notes)):
        cell = wb[title][coord]
        notes = by_cell.get((title, coord), [])
        # a cell that is itself judged keeps its verdict's colour; the base note is added to it
        cell.fill = _fill(FILL[worst([st for st, _ in notes])]) if notes else _fill(BASE_FILL)
        based = [f"{note}\n" + "、".join(ids) for note, ids in base_notes.get((title, coord), {}).items()]
        text = "cbcheck\n" + "\n\n".join([n for _, n in notes] + based)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text[:MAX_COMMENT], "cbcheck")
        comment.width, comment.height = 360, min(600, 60 + 14 * text.count("\n") + len(text) // 3)
        cell.comment = comment


def _display(value: Any) -> Any:
    """A number as the text report writes it (:func:`cbcheck.checks.base.fmt`: short numbers as
    given, others to 4 significant figures, 12345.67 → 12346 rather than 12350); the full value
    goes in the cell's comment (:func:`_full`)."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        try:
            return float(fmt(value))
        except ValueError:
            return value
    return value


def _full(cell: Any, value: Any, m: Any) -> None:
    """The full value in a comment on a cell that shows it rounded."""
    from openpyxl.comments import Comment

    if isinstance(value, float) and _display(value) != value:
        cell.comment = Comment(m("xlsx.full_value", value=repr(value)), "cbcheck")


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a Chinese
    character is two wide), counting its own line breaks."""
    import unicodedata

    total = 0
    for para in text.split("\n"):
        cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in para)
        total += max(1, -(-cols // max(int(width) - 1, 1)))
    return total


def _row_values(r: Row) -> dict[str, Any]:
    return {"status": r.status_label, "rule_id": r.rule_id, "title": r.title, "indicator_name": r.indicator_name,
            "strength": r.strength_label, "target_year": r.target_year, "observed": _display(r.observed),
            "comparator": r.comparator, "expected": _display(r.expected), "unit": r.unit, "gap": r.gap,
            "location": r.location, "message": r.message, "arithmetic": r.arithmetic, "todo": r.todo,
            "section": r.section, "quote": r.quote}


def _hyperlink(cell: Any, ws_title: str, coord: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_link(ws_title, coord))
    cell.font = Font(color="FF0563C1", underline="single")


def _results(wb: Any, v: View, bases: dict[str, tuple[int, str, list[str]]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

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
    links_col = len(COLUMNS) + 1              # the cells of a multi-cell reference, one link each
    row = len(facts) + 3

    def header(title: str, columns: tuple[str, ...]) -> int:
        nonlocal row
        put(ws, row, 1, title).font = Font(bold=True, size=12)
        row += 1
        for c, name in enumerate(columns, start=1):
            put(ws, row, c, m(f"csv.{name}")).font = Font(bold=True)
        put(ws, row, links_col, m("xlsx.links")).font = Font(bold=True)
        return row

    def links(targets: list[tuple[Any, str]], base: list[tuple[Any, str]], at: Any) -> int:
        """Link ``at`` to the first cell; with more than one cell, a link to each (the finding's
        cells, then the base-year cells) from column ``links_col`` on. Returns the columns used."""
        if targets:
            _hyperlink(at, targets[0][0].title, targets[0][1])
        every = [(t, c, False) for t, c in targets] + [(t, c, True) for t, c in base if (t, c) not in targets]
        if len(every) < 2:
            return 0
        for i, (target, coord, is_base) in enumerate(every):
            ref = f"{target.title}!{coord}"
            _hyperlink(put(ws, row, links_col + i, m("xlsx.base_link", cell=ref) if is_base else ref),
                       target.title, coord)
        return len(every)

    widest = 0

    def line(r: Row) -> None:
        nonlocal row, widest
        row += 1
        values = _row_values(r)
        for c, name in enumerate(COLUMNS, start=1):
            cell = put(ws, row, c, values[name])
            if name in WRAP:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if name in ("observed", "expected"):
                _full(cell, r.observed if name == "observed" else r.expected, m)
        ws.cell(row=row, column=1).fill = _fill(FILL[Status(r.status)])
        lines = max(_lines(str(values[n] or ""), WIDTHS[n]) for n in WRAP)
        ws.row_dimensions[row].height = min(409, 15 * lines)
        base = bases.get(r.rule_id)
        used = links(_cells(wb, r.location), _cells(wb, "/".join(base[2])) if base else [],
                     ws.cell(row=row, column=COLUMNS.index("location") + 1))
        widest = max(widest, used)

    top = header(m("report.actions"), COLUMNS)
    for r in v.actions:
        line(r)
    if not v.actions:
        row += 1
        put(ws, row, 1, v.actions_none)
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
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
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
                cell = put(ws, row, c, value)
                if c in (4, 5):
                    _full(cell, e["observed"] if c == 4 else e["expected"], m)
            ws.cell(row=row, column=1).fill = _fill(FILL[Status(e["status"])])
            widest = max(widest, links(_cells(wb, e["location"]), [], ws.cell(row=row, column=6)))
    for c in range(links_col, links_col + widest):
        ws.column_dimensions[get_column_letter(c)].width = 18
    quality = [m("msg.label_colon", label=q["label"], what=q["message"])
               + (m("text.cell_paren", location=q["location"]) if q["location"] else "") for q in v.quality]
    unread = [m("msg.label_colon", label=m("text.unrecognised"), what=u["text"]) for u in v.unmatched]
    extra = [(m("text.data_quality"), quality), (m("report.reading"), v.reading + unread)]
    if v.hidden_na:
        extra.append((m("status.NOT_APPLICABLE"), [m("report.na_hidden", n=v.hidden_na)]))
    for heading, lines in extra:
        if lines:
            row += 2
            put(ws, row, 1, heading).font = Font(bold=True)
            for text in lines:
                row += 1
                put(ws, row, 2, text)
    # the link columns are for clicking, not for paper: printing them would only shrink the rest
    ws.print_area = f"A1:{get_column_letter(len(COLUMNS))}{row}"


def render(report: Report, opts: RenderOptions) -> bytes:
    import openpyxl

    src = Path(report.submission.path)
    if src.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise SubmissionError(Msg("rest.copy_reread", error=exc), where=str(src)) from None
        if hashlib.sha256(data).hexdigest() != report.submission.sha256:
            raise SubmissionError(Msg("rest.copy_changed"), where=str(src), hint=Msg("rest.copy_changed_hint"))
        try:
            wb = _copy(data)
        except (MemoryError, CbcheckError):
            raise
        except Exception as exc:  # openpyxl's full mode meets damage the streaming read did not touch
            raise SubmissionError(Msg("rest.copy_failed", error=f"{type(exc).__name__}: {exc}"),
                                  where=str(src), hint=Msg("rest.copy_failed_hint")) from None
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        wb.properties.creator = "cbcheck"
    v = build(report, opts.m, opts.cat(), show_na=opts.show_all, facility_limit=None)
    bases = base_cells(report)
    _results(wb, v, bases)
    _mark(wb, v, bases)
    return to_bytes(wb)
