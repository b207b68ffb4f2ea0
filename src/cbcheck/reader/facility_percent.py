"""Percent-formatted cells of a facility table: 0.45 in a ``0%`` cell shows 45% and reads as 45.

An enterprise's sheet formats its ratio columns (负荷率, 余热回收利用率…) as percentages: the
cell stores 0.45 and shows 45%. Judging the stored 0.45 against "≥ 40%" fails a unit that
meets the plan. The decision is the indicator reader's (:func:`cbcheck.reader.cells._numeric`),
taken once per column instead of once per cell:

- a column in % (``负荷率（%）``, or an indicator whose catalogue unit is %): the shown value
  (×100), and one note naming the column and its percent-formatted cells;
- a column without a unit (``负荷率`` as a bare attribute header): the shown value too, and the
  cells carry the unit % (the indicator reader gives such a cell the unit %), so a rule in % reads
  45 and a rule of another dimension says the unit does not fit instead of reading 45 of it — at
  that cell alone, named, the rest of the column judged (:func:`cbcheck.facility_columns.foreign_cells`);
  the note says the header gives no unit;
- a column in another unit (``供电煤耗(克标准煤/千瓦时)`` formatted ``0%``): an error at each such
  cell, the indicator reader's message: the cell shows 45% where the header says gce/kWh, and
  neither 0.45 nor 45 can be trusted.

Only numbers count (a bool or a text in a percent-formatted cell is read as it is; ``45%`` typed
as text is the number parser's and reads 45). The cells come from openpyxl's ``number_format``
(:func:`from_cells`) or, when calamine read the body (reader/fastxlsx.py), from the sheet XML
(:func:`from_xml`): the style ids whose format is a percentage (``cellXfs`` → ``numFmtId``: built-in
9 and 10, or a custom format with a ``%`` outside quotes, by the one :func:`is_percent_format`),
then the numbers written with them. ``tests/reader/test_fastxlsx.py`` holds the two to the same
reading. CSV and Parquet have no formats.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from cbcheck.i18n.message import Msg
from cbcheck.model import FacilityTable
from cbcheck.readnote import ReadNote, Span
from cbcheck.reader.cells import is_percent_format, is_percent_unit, percent_shown, plain_number
from cbcheck.reader.fastxlsx import BodyCells, cells_with, col_number
from cbcheck.reader.grid import Cell, Grid
from cbcheck.reader.xmlscan import SheetBytes

if TYPE_CHECKING:
    from cbcheck.reader.facility import ColumnPlan


def from_cells(rows: list[list[Cell]], r0: int) -> dict[int, np.ndarray]:
    """Sheet rows (1-based) of the percent-formatted numbers below the header row ``r0`` (0-based),
    by column (0-based), from the cells openpyxl read."""
    found: dict[int, list[int]] = {}
    for i in range(r0 + 1, len(rows)):
        for c, cell in enumerate(rows[i]):
            if type(cell.value) in (int, float) and cell.number_format != "General" \
                    and is_percent_format(cell.number_format):
                found.setdefault(c, []).append(i + 1)
    return {c: np.array(r, dtype=np.int64) for c, r in found.items()}


def _percent_styles(wb: Any) -> frozenset[int] | None:
    """Style ids (``s="N"``, an index into ``cellXfs``) whose number format shows a percentage, by
    openpyxl's own lookup (``ReadOnlyCell.number_format``); None when a style names a custom format
    the workbook does not define (the openpyxl path reports that cell)."""
    from cbcheck.reader.xlsxrules import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    ids = set()
    for sid, style in enumerate(wb._cell_styles):
        fid = style.numFmtId
        if fid < BUILTIN_FORMATS_MAX_SIZE:
            fmt = BUILTIN_FORMATS.get(fid, "General")
        elif fid - BUILTIN_FORMATS_MAX_SIZE < len(wb._number_formats):
            fmt = wb._number_formats[fid - BUILTIN_FORMATS_MAX_SIZE]
        else:
            return None
        if is_percent_format(fmt):
            ids.add(sid)
    return frozenset(ids)


def scan_percent_numbers(sb: SheetBytes, wb: Any, found: BodyCells) -> str | None:
    """Fill ``found.percent`` with the numbers written in a percent style (a text, bool, error or
    empty cell in that style is read as it is on both paths); why the bytes cannot, or None."""
    ids = _percent_styles(wb)
    if ids is None:
        return "a style without its number format"
    if 0 in ids:
        return "the default style is a percentage"      # cells without s="…" would be percentages
    for sid in sorted(ids & sb.numbers_of(b"s")) if ids else ():
        needle = b' s="%d"' % sid
        cells = plain_cells_with(sb.xml, needle)
        if cells is None:
            cells = []
            for r, c, kind, text in cells_with(sb.xml, needle):
                if r is None:
                    return "percent cell without a reference"
                if kind == b"n" and text is not None:
                    cells.append((r, c))
        found.percent.update(cell for cell in cells if cell not in found.dates)
    return None


def plain_cells_with(xml: bytes, needle: bytes) -> list[tuple[int, int]] | None:
    """(row, col) of the numbers with a value among the cells whose opening tag holds ``needle``, in
    one regex pass, when every such tag is written ``<c r="C2" s="3">`` (``t="…"`` after it at most:
    how Excel, WPS, openpyxl and xlsxwriter write them) and each number's ``<v>`` comes first; None
    otherwise (a formula, another attribute, a prefix, a row style), for ``cells_with`` one by
    one. ``cells_with`` costs a few microseconds a cell: a column of 100,000 percentages took
    a quarter of a second."""
    pattern = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"' + re.escape(needle) + rb'(?: t="(\w+)")?(/?)>(<v>(?!<))?')
    out = []
    seen = 0
    for m in pattern.finditer(xml):
        seen += 1
        if m.group(4) or (m.group(3) or b"n") != b"n":
            continue                     # an empty cell, a text, a bool, an error: read as they are
        if m.group(5) is None:
            return None                  # a formula, an empty <v>: the careful way
        out.append((int(m.group(2)), col_number(m.group(1))))
    return out if seen == xml.count(needle) else None


def from_xml(grid: Grid) -> dict[int, np.ndarray]:
    """Sheet rows of the numbers in a percent style, by 0-based column, from the sheet XML scan
    (:func:`scan_percent_numbers`); empty for a grid that is not a workbook sheet."""
    cells: BodyCells | None = getattr(grid, "xlsx_cells", None)
    if cells is None or not cells.percent:
        return {}
    by_col: dict[int, list[int]] = {}
    for r, c in cells.percent:
        by_col.setdefault(c - 1, []).append(r)
    return {c: np.array(sorted(rows), dtype=np.int64) for c, rows in by_col.items()}


def apply(grid: Grid, table: FacilityTable, plan: ColumnPlan, percent: dict[int, np.ndarray], labels: list[str],
          where: Any) -> None:
    """Read the percent-formatted numbers of ``table``'s number columns as they show (see the module)."""
    if not percent:
        return
    rows = table.rows
    for c, (cid, kind, unit) in plan.columns.items():
        at = percent.get(c)
        if kind != "number" or at is None:
            continue
        values = table.column(cid).astype(float, copy=True)
        pos = np.flatnonzero(np.isin(rows, at))
        pos = pos[~np.isnan(values[pos])]
        if not len(pos):
            continue
        distinct, inverse = np.unique(values[pos], return_inverse=True)    # a ratio column repeats its values
        shown = np.array([percent_shown(v) for v in distinct], dtype=float)[inverse]
        if unit is not None and not is_percent_unit(unit):
            for k, s in zip(pos, shown, strict=True):
                table.errors[(cid, int(rows[k]))] = Msg("rest.cell_percent_format", shown=plain_number(s), unit=unit)
            values[pos] = np.nan
        else:
            first = (plain_number(values[pos[0]]), plain_number(shown[0]))
            values[pos] = shown
            if unit is None:
                per_cell = table.cell_units.get(cid)
                if per_cell is None:
                    per_cell = np.full(len(rows), None, dtype=object)
                per_cell[pos] = "%"
                table.cell_units[cid] = per_cell
            cells = _runs(grid, rows[pos], c + 1)
            grid.notes.append(ReadNote(
                "value", "read.facility_percent" if unit is not None else "read.facility_percent_no_unit", cells,
                location=where(c), label=labels[c] if c < len(labels) else "", n=len(pos),
                where_cells=_listed(cells), raw=first[0], shown=first[1]))
        table.set_column(cid, values)


def _runs(grid: Grid, rows: np.ndarray, col: int) -> list[Span]:
    """The cells of one column at these sheet rows, as one span per run of consecutive rows (a
    column of 100,000 percentages is one span, found without a Span per cell)."""
    rows = np.sort(rows)
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts, ends = np.r_[rows[:1], rows[breaks + 1]], np.r_[rows[breaks], rows[-1:]]
    return [grid.span(int(a), col, int(b), col) for a, b in zip(starts, ends, strict=True)]


_LISTED = 6


def _listed(cells: list[Span]) -> Any:
    """The first runs by name (the note's cells hold them all): a column where every other row is a
    percentage must not make a note of thousands of references."""
    names = [str(s) for s in cells[:_LISTED]]
    return Msg.listing(names if len(cells) <= _LISTED else [*names, "…"])
