"""What a table read and what it left, so that nothing in it goes unsaid: cells are marked read as
the layouts read them (:func:`mark_used`), the header rows with them but for the columns the header
set aside, and each column holding something no reader took gets a note (:func:`not_read`) — the
target columns and 2024年1-9月 the header recognised, and any other column, by its label or letter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cbcheck.readnote import ReadNote, Span, merge_spans
from cbcheck.reader.grid import Cell, Grid, col_letter
from cbcheck.reader.header import SEQ_HEADERS, Header, cell_at, text_of
from cbcheck.textnorm import norm_name

if TYPE_CHECKING:
    from cbcheck.reader.table import TableRead


def filled(cell: Cell | None) -> bool:
    return cell is not None and cell.value not in (None, "")


def mark_used(out: TableRead, *cells: Cell | None) -> None:
    """The cells a reader took (an empty one holds nothing to account for)."""
    out.used.update((c.row, c.col) for c in cells if c is not None and c.value not in (None, ""))


def use_header(grid: Grid, out: TableRead, header: Header) -> None:
    """The header rows are read, but for the columns it says are not read (target columns…)."""
    skip = {c for c, _, _ in header.ignored}
    for row in grid.rows[header.row:header.data_start]:
        mark_used(out, *(c for c in row if c.col - 1 not in skip))


def _column_label(grid: Grid, header: Header, col: int) -> str:
    parts = [text_of(cell_at(row, col)) for row in grid.rows[header.row:header.data_start]]
    return " ".join(dict.fromkeys(p for p in parts if p))


def not_read(grid: Grid, out: TableRead, header: Header, end: int) -> None:
    """Notes for what the table's rows hold beyond what was read: the columns the header set
    aside (target columns, 2024年1-9月) and any other column with something in it."""
    last = max(end, header.data_start)
    for col, label, key in header.ignored:
        by = {"by": header.restated[col]} if col in header.restated else {}
        out.notes.append(ReadNote("column_ignored", key, [grid.span(header.row + 1, col + 1, last, col + 1)],
                                  sheet=grid.name, row=header.row + 1, label=label, **by))
    ignored = {c for c, _, _ in header.ignored}
    seq = {c for c in range(max((len(r) for r in grid.rows[header.row:header.data_start]), default=0))
           if norm_name(_column_label(grid, header, c)) in SEQ_HEADERS}
    left: dict[int, list[Span]] = {}
    for row in grid.rows[header.data_start:end]:
        for cell in row:
            c = cell.col - 1
            if not filled(cell) or (cell.row, cell.col) in out.used or cell.row in out.listed or c in ignored:
                continue
            if c in seq and re.fullmatch(r"[\d.()（）一二三四五六七八九十、]+", text_of(cell)):
                out.used.add((cell.row, cell.col))       # 序号: the row's number, read as nothing else
                continue
            left.setdefault(c, []).append(grid.span(cell.row, cell.col))
    for c, spans in sorted(left.items()):
        label = _column_label(grid, header, c)
        params = {"sheet": grid.name, "column": col_letter(c)}
        out.notes.append(ReadNote("column_ignored", "read.column_not_read", merge_spans(spans), label=label, **params)
                         if label else ReadNote("column_ignored", "read.column_no_label", merge_spans(spans), **params))
