"""Old Excel 97–2003 (.xls) and WPS (.et) workbook bytes to :class:`~cbcheck.reader.grid.Grid` s.

County offices and plants still send these (WPS saves .et by default on many office machines):
an OLE2 compound file holding a BIFF8 ``Workbook`` stream, read by reader/biff.py into the grids
the xlsx reader makes of the same table saved as .xlsx:

- a number is read as openpyxl reads it from an .xlsx: with its cell's number format (a 0.45 in a
  ``0%`` cell then reads as the 45 % it shows, a year in ``yyyy"年"`` as a year header), a date or
  duration style by openpyxl's own rules (reader/xlsxrules.py), whole numbers as ``int`` below
  10^15, others rounded to the 15 significant digits Excel shows;
- an error cell is its text (``#DIV/0!``), as openpyxl gives it; a formula is its saved result;
- merged ranges are filled as in an .xlsx (every cell shows the top-left value), as far as the
  row writes cells; hidden sheets, rows and columns are known;
- cells are located as in a workbook (``表1!D7``): the sheet kind is ``xlsx``, a workbook sheet.

An Excel 5.0/95 workbook (BIFF5, before Excel 97) is refused with what to do, as is a damaged or
password-protected one: one line each. The user's file is only read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cbcheck import budgets
from cbcheck.errors import SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.reader import biff
from cbcheck.reader.grid import Cell, Grid, Sheet, one_line
from cbcheck.reader.xlsxfile import _Merges
from cbcheck.reader.xlsxrules import (
    BUILTIN_FORMATS,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    from_excel,
    is_date_format,
    is_timedelta_format,
)

_EXACT_WHOLE = 1e15      # an .xlsx holds a whole number below this as digits, which openpyxl reads as an int


def _damaged(path: str, detail: object) -> SubmissionError:
    return SubmissionError(Msg("read.error.xls_damaged", detail=one_line(detail)), where=path,
                           hint=Msg("read.error.save_as_xlsx"))


def plain_number(value: float) -> int | float:
    """A BIFF double as openpyxl reads the same number from an .xlsx (see the module docstring)."""
    if not math.isfinite(value):
        return value
    if value.is_integer() and abs(value) < _EXACT_WHOLE:
        return int(value)
    return float(f"{value:.15g}")


class _Formats:
    """A number's reading by its cell style (an index into the workbook's XF records)."""

    def __init__(self, book: biff.BookRecords) -> None:
        self._formats = [f if f is not None else BUILTIN_FORMATS.get(i, "General")
                         for f, i in zip(book.formats, book.format_ids, strict=True)]
        self._epoch = MAC_EPOCH if book.date1904 else WINDOWS_EPOCH

    def number(self, value: float, xf: int) -> tuple[Any, str]:
        fmt = self._formats[xf] if xf < len(self._formats) else "General"
        if is_date_format(fmt):
            try:
                when = from_excel(value, self._epoch, timedelta=is_timedelta_format(fmt))
            except (OverflowError, ValueError):
                return "#VALUE!", "General"           # openpyxl's reading of a date out of range
            # the xlsx reader keeps the format of a date (a year header: yyyy"年"), not of a time or duration
            return when, fmt if isinstance(when, dt.date) else "General"
        return plain_number(value), fmt


def _sheet_rows(sheet: Sheet, records: biff.SheetRecords, formats: _Formats) -> Iterator[list[Cell]]:
    """Rows of one sheet, 1-based from row 1, each from column 1, trailing blanks trimmed."""
    filler = _Merges(records.merges, sheet)
    max_rows, max_cols = budgets.limit("CBCHECK_MAX_ROWS"), budgets.limit("CBCHECK_MAX_COLUMNS")
    rows, widths = records.rows, records.widths
    last = max(rows, default=0)
    if max_rows and last > max_rows:
        raise budgets.refuse("CBCHECK_MAX_ROWS", Msg("rest.found_sheet_rows_over", n=f"{max_rows:,}"), sheet.where())
    width = 0
    for r in range(1, last + 1):
        written = rows.get(r)
        cells: list[Cell] = []
        if written:
            for c in range(1, max(written) + 1):
                kind, value, xf = written.get(c, ("", None, 0))
                if kind == "n":
                    value, fmt = formats.number(value, xf)
                else:
                    value, fmt = (value if value != "" else None), "General"
                cells.append(Cell(value, r, c, sheet, fmt))
        width = max(width, widths.get(r, 0))
        filler.fill(r, cells, width)
        while cells and cells[-1].value in (None, ""):
            cells.pop()
        if max_cols and len(cells) > max_cols:
            raise budgets.refuse("CBCHECK_MAX_COLUMNS", Msg("rest.found_row_columns", r=r, n=f"{len(cells):,}"),
                                 sheet.where())
        yield cells


def _chosen(names: list[str], sheet: str | None, where: str) -> list[int]:
    """The indices of the sheets to read: all, or the one named."""
    budgets.check("CBCHECK_MAX_SHEETS", len(names), Msg("rest.found_sheets", n=f"{len(names):,}"), where)
    if not names:
        raise SubmissionError(Msg("rest.read_no_worksheets"), where=where, hint=Msg("rest.read_no_worksheets_hint"))
    if sheet is None:
        return list(range(len(names)))
    if sheet not in names:
        raise SubmissionError(Msg("rest.read_no_such_sheet", sheet=sheet), where=where,
                              hint=Msg("rest.read_no_such_sheet_hint", names=Msg.listing(names)))
    return [names.index(sheet)]


@contextlib.contextmanager
def open_xls_grids(data: bytes, path: Path, sheet: str | None = None) -> Iterator[list[Grid]]:
    """One grid per worksheet (or the one named)."""
    where = str(path)
    try:
        book = biff.read_book(data, budgets.limit("CBCHECK_MAX_CELLS"))
    except biff.TooManyCells as exc:
        name, _ = exc.args
        raise budgets.refuse("CBCHECK_MAX_CELLS", Msg("rest.found_sheet_cells_over",
                                                      n=f"{budgets.limit('CBCHECK_MAX_CELLS'):,}"),
                             Sheet(name, where, "xlsx").where()) from None
    except biff.Encrypted:
        raise SubmissionError(Msg("read.error.encrypted"), where=where,
                              hint=Msg("read.error.encrypted_hint")) from None
    except biff.OtherVersion as exc:
        raise SubmissionError(Msg("read.error.xls_old", detail=one_line(exc)), where=where,
                              hint=Msg("read.error.save_as_xlsx")) from None
    except biff.BiffError as exc:
        raise _damaged(where, exc) from None
    grids = []
    formats = _Formats(book)
    for i in _chosen([s.name for s in book.sheets], sheet, where):
        records = book.sheets[i]
        grid = Grid(Sheet(name=records.name, path=where, kind="xlsx"), hidden=records.hidden)
        grid.hidden_rows, grid.hidden_cols = frozenset(records.hidden_rows), tuple(records.hidden_cols)
        grid.stream(_sheet_rows(grid.sheet, records, formats))
        grids.append(grid)
    yield grids
