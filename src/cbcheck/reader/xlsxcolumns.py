"""The raw columns of a facility body from the cells reader/xlsxcells.py read: what
:func:`~cbcheck.reader.fastxlsx.calamine_body` makes of calamine's values (whole numbers as
``int``, floats to 15 significant digits, blanks None, blank rows dropped, every column to the
widest row or header), so that what follows cannot tell the readers apart."""

from __future__ import annotations

from typing import Any

import numpy as np

from cbcheck import budgets
from cbcheck.reader.xlsxcells import _MAX_COLUMN, enabled, read_cells

_EXACT_WHOLE = 1e15        # as reader/fastxlsx.py: from here a whole number is not settled
_SPARSE, _ANY_RECTANGLE = 8, 1_000_000    # as reader/fastxlsx.py: a rectangle this much larger than the cells


def body_columns(grid: Any, r0: int, width: int, cells: Any) -> tuple[Any, dict[str, Any]] | None:
    """(row numbers, raw columns by position) below the header at ``r0``, as
    :func:`~cbcheck.reader.fastxlsx.calamine_body` gives them, or None for calamine. The cells
    openpyxl reads otherwise than their XML text (error cells, numbers in a date style) take the
    values the sheet scan found for them (``BodyCells.values``), as calamine's do."""
    from cbcheck.readnote import ReadNote

    sheet, strings = cells.sheet, cells.strings
    first = r0 + 2
    if not enabled() or sheet is None or any(r >= first for r, _ in cells.uncached):
        return None
    got = read_cells(sheet, strings, first)
    if got is None:
        return None
    row, col, kind, (values, numbers) = got
    max_rows, max_cols = budgets.limit("CBCHECK_MAX_ROWS"), budgets.limit("CBCHECK_MAX_COLUMNS")
    if (max_rows and int(row.max(initial=0)) > max_rows) or (max_cols and int(col.max(initial=0)) > max_cols):
        return None                   # the openpyxl path refuses the sheet and says where
    number = kind == 1
    shaped = openpyxl_numbers(numbers[number])
    if shaped is None:
        return None
    values[number] = shaped
    if cells.values:
        _patch(row, col, kind, values, cells.values)
    nonblank, filled = _filled(row, kind, values)
    rows = row[filled]
    rows = rows[np.r_[True, rows[1:] != rows[:-1]]] if len(rows) else rows      # in order: the rows kept
    head_width = max((len(r) for r in grid.head(r0 + 1).rows), default=0)
    width = max(width, head_width, int(col[nonblank].max(initial=0)))
    if width * len(rows) > _SPARSE * len(row) + _ANY_RECTANGLE:
        return None          # a cell far to the right: the columns would be mostly None
    pos = np.searchsorted(rows, row)
    put = nonblank & (pos < len(rows))
    put[put] = rows[pos[put]] == row[put]
    block = np.full((width, len(rows)), None, dtype=object)      # a column's cells side by side
    block[col[put] - 1, pos[put]] = values[put]
    grid.notes.append(ReadNote("layout", "read.xml_cells", sheet=grid.name))
    cells.sheet = cells.strings = None          # the 23 MB of a 100,000-row sheet, and their positions, go
    return rows.astype(np.int64), {str(c): block[c] for c in range(width)}


def _patch(row: Any, col: Any, kind: Any, values: Any, patches: dict[tuple[int, int], Any]) -> None:
    key = row * (_MAX_COLUMN + 1) + col                  # increasing: cells are in order
    where = np.fromiter((r * (_MAX_COLUMN + 1) + c for r, c in patches), dtype=np.int64, count=len(patches))
    pos = np.minimum(np.searchsorted(key, where), max(len(key) - 1, 0))
    hit = np.flatnonzero((key[pos] == where) if len(key) else np.zeros(len(where), dtype=bool))
    new = np.empty(len(patches), dtype=object)
    new[:] = list(patches.values())
    values[pos[hit]] = new[hit]
    kind[pos[hit]] = 4


def _filled(row: Any, kind: Any, values: Any) -> tuple[Any, Any]:
    """Which cells hold a value (not blank, not ""), and which make their row a row (as
    :func:`~cbcheck.reader.fastxlsx._filled_cells`: a text of spaces alone does not; a text in a
    row already kept by another cell is taken as filled, it changes nothing)."""
    from cbcheck.reader.fastxlsx import _filled_cells

    nonblank = kind != 0
    other = np.flatnonzero(kind == 4)
    nonblank[other] = [v is not None and v != "" for v in values[other]]
    text = np.flatnonzero((kind == 2) | ((kind == 4) & nonblank))
    nonblank[text] = values[text] != ""
    filled = nonblank.copy()
    at = text[nonblank[text]]
    # a row holding a number or a bool is a row whatever its texts say: only the texts (and the
    # error cells' values) of the other rows are cleaned (nearly none: the rules' columns hold numbers)
    held = nonblank.copy()
    held[text] = False
    settled = np.unique(row[held]) if held.any() else np.zeros(0, dtype=row.dtype)
    if len(at) and len(settled):
        pos = np.minimum(np.searchsorted(settled, row[at]), len(settled) - 1)
        at = at[settled[pos] != row[at]]
    if len(at):
        strings = np.fromiter((type(v) is str for v in values[at]), dtype=bool, count=len(at)) \
            if (kind[at] == 4).any() else np.ones(len(at), dtype=bool)
        filled[at[strings]] = _filled_cells(values[at[strings]], frozenset({str}))
    return nonblank, filled


def openpyxl_numbers(f: Any) -> Any:
    """Numbers as the openpyxl path shows them, as :func:`~cbcheck.reader.fastxlsx._as_openpyxl_reads`
    makes calamine's floats: 15 significant digits, whole ones ``int``; None for a whole number
    too long to be sure of."""
    with np.errstate(invalid="ignore"):
        # -0.0 stays a float, as openpyxl's float('-0.0') (an int 0 would report 0)
        whole = np.isfinite(f) & (f == np.round(f)) & ~((f == 0) & np.signbit(f))
        if (whole & (np.abs(f) >= _EXACT_WHOLE)).any():
            return None
        short = ~np.isfinite(f) | ((np.abs(f) < 1e9) & (f == np.round(f, 6)))
    out = f.astype(object)
    long = np.flatnonzero(~short)
    out[long] = [float(f"{v:.15g}") for v in f[long].tolist()]
    out[whole] = f[whole].astype(np.int64).astype(object)
    return out
