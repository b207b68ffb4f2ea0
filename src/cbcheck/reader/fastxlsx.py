"""The body of a facility sheet (the rows below its header) read in bulk, cell for cell what the
openpyxl path reads: from the sheet XML by numpy where the body is flat (reader/xlsxcells.py),
else by python-calamine.

The workbook is opened and the head of every sheet read as openpyxl reads them (sheet names,
hidden sheets, merged cells, number formats, the header: reader/xlsxlight.py, or openpyxl itself);
only the rows below a facility header go to calamine, which parses them several times faster.
Where the two libraries read a cell differently, the openpyxl value is taken from the sheet XML
that the head read has already decompressed (:func:`scan_body_cells`, byte searches at C speed, no XML parse):

- error cells (``t="e"``): calamine gives them as blank, openpyxl as their text (``#DIV/0!``);
- formulas saved without a result: openpyxl's path marks them ``NO_CACHED_VALUE``;
- numbers in a date or duration style (``wb._date_formats``): openpyxl turns them into
  ``datetime``/``time``/``timedelta`` with its own rules (calamine gives a ``date`` for a day
  without time); those cells are converted from their XML text by openpyxl's own function;
- floats rounded to 15 significant digits, as the openpyxl path shows them; whole numbers
  (calamine reads every number as a float) given as ``int`` in the columns read as text.

Number formats matter for a facility body through dates and percentages: a number in a percent
style (0.45 in a ``0%`` cell) reads as the 45 it shows (reader/facility_percent.py). openpyxl
gives each cell's ``number_format``; here the style ids of the percent formats are found in the
workbook's styles (``cellXfs`` → ``numFmtId``: built-in 9 and 10, or a custom format with a ``%``
outside quotes, decided by the same :func:`~cbcheck.reader.cells.is_percent_format`), and the
cells written with them in the sheet XML, as for dates.

Anything the bytes cannot settle exactly sends the sheet to the openpyxl path: merged cells
reaching the body, ``_xHHHH_`` escapes (decoded by each library in its own way), ISO date
cells (``t="d"``), cells without an ``r`` reference (placed by counting), a percentage as the
default style (cells without ``s="…"``) or a style naming a number format the workbook lacks, attributes written
with single quotes or after a line break, a date or time calamine sees where openpyxl sees a number, a whole number
of 16 digits or more (an ``int`` on one path, a rounded float on the other), a cell beyond
``CBCHECK_MAX_ROWS``/``CBCHECK_MAX_COLUMNS`` (the openpyxl path refuses the sheet and says
where), a sparse sheet (calamine fills the whole rectangle: a cell at XFD2000 would be 32
million cells; openpyxl reads only the cells written), rows written out of order or without
``r`` (openpyxl places a row by its tag, calamine each cell by its reference). ``CBCHECK_FASTXLSX=0``
forces the openpyxl path (for comparing the two); workbooks under
``CBCHECK_CALAMINE_FLAT_MIN_BYTES`` (64 KiB) are read by openpyxl, which has read most of
them for the head already.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbcheck import budgets
from cbcheck.readnote import ReadNote
from cbcheck.reader.grid import NO_CACHED_VALUE, Grid
from cbcheck.reader.xmlscan import SheetBytes

if TYPE_CHECKING:
    from cbcheck.reader.facility import ColumnPlan

CALAMINE_FLAT_MIN_BYTES = 64 * 1024
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\s")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
TYPE = re.compile(rb"\bt=\"(\w+)\"")
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_ESCAPE_TEXT = re.compile(r"_x[0-9A-Fa-f]{4}_")
_TEMPORAL = (dt.date, dt.time, dt.timedelta)      # dt.datetime is a dt.date
_EXACT_WHOLE = 1e15      # from here a whole number is an int on the openpyxl path and a rounded float here
_SPARSE, _ANY_RECTANGLE = 8, 1_000_000    # a rectangle this much larger than the cells written is openpyxl's
_NONE: Any = None          # numpy compares object arrays with None cell by cell


def enabled() -> bool:
    return os.environ.get("CBCHECK_FASTXLSX", "1").strip().lower() not in {"0", "no", "false", "off"}


def _min_bytes() -> int:
    try:
        return int(os.environ.get("CBCHECK_CALAMINE_FLAT_MIN_BYTES", CALAMINE_FLAT_MIN_BYTES))
    except ValueError:
        return CALAMINE_FLAT_MIN_BYTES


@dataclass
class BodyCells:
    """What the sheet XML says about cells calamine reads differently (1-based row, column)."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    values: dict[tuple[int, int], Any] = field(default_factory=dict)     # openpyxl's value, where it differs
    uncached: set[tuple[int, int]] = field(default_factory=set)
    dates: set[tuple[int, int]] = field(default_factory=set)             # cells openpyxl reads as dates
    percent: set[tuple[int, int]] = field(default_factory=set)           # numbers in a percent format
    unsure: str | None = None                                            # why the bytes cannot settle it
    shared_escaped: bool = False
    extent: tuple[int, int, int] | None = None   # cells with a reference, last row, last column: ref_extent()
    written: int = 0                             # cells written (``<c``)
    sheet: SheetBytes | None = None              # the sheet XML and its strings, for reader/xlsxcells.py
    strings: list[str] | None = None

    def ref_extent(self) -> tuple[int, int, int] | None:
        """The references' extent, found when calamine is to read the body (numpy's reader checks
        its cells itself); None once the sheet XML is let go."""
        if self.extent is None and self.sheet is not None:
            self.extent = self.sheet.ref_extent()
        return self.extent


def col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def cells_with(xml: bytes, needle: bytes) -> Any:
    """(row, col, type, <v> text or None) of each cell whose opening tag holds ``needle``; None
    in place of the row when the cell cannot be placed (no ``r`` reference)."""
    at = xml.find(needle)
    while at >= 0:
        start = xml.rfind(b"<", 0, at)
        if _CELL_TAG.match(xml, start):
            tag_end = xml.find(b">", at)
            tag = xml[start:tag_end]
            ref, kind = REF.search(tag), TYPE.search(tag)
            text = None
            if not tag.endswith(b"/"):
                end = _CELL_END.search(xml, tag_end)
                v = _VALUE_TEXT.search(xml, tag_end, end.start() if end else len(xml))
                text = v.group(1) if v is not None and v.group(1) else None
            yield ((int(ref.group(2)) if ref else None), (col_number(ref.group(1)) if ref else 0),
                   kind.group(1) if kind else b"n", text)
        at = xml.find(needle, at + len(needle))


def scan_body_cells(sb: SheetBytes, merges: list[tuple[int, int, int, int]], uncached: set[tuple[int, int]],
                    wb: Any, strings: list[str]) -> BodyCells:
    """Error cells, date-styled numbers and escapes of one sheet's XML (see the module docstring)."""
    from cbcheck.reader.xlsxrules import cast_number, from_excel

    found = BodyCells(merges=merges, uncached=uncached,
                      written=sb.count(b"<c ") + sb.count(b"<c>") + sb.count(b":c "))
    if sb.has(b"_x") and _ESCAPE.search(sb.xml):
        found.unsure = "escape"
        return found
    types = sb.one_letter_values(b"t")
    odd = (b"s='", b"t='", *(space + name + b"=" for space in (b"\t", b"\n", b"\r") for name in (b"s", b"t")))
    if b"d" in types or any(sb.has(needle) for needle in odd):
        found.unsure = "iso date or odd quoting"
        return found
    if b"e" in types:
        for r, c, _, text in cells_with(sb.xml, b't="e"'):
            if r is None:
                found.unsure = "error cell without a reference"
                return found
            found.values[(r, c)] = text.decode("utf-8") if text is not None else None
    date_ids, timedelta_ids = set(wb._date_formats), set(wb._timedelta_formats)
    if 0 in date_ids:
        found.unsure = "the default style is a date"
        return found
    for sid in sorted(date_ids & sb.numbers_of(b"s")):
        for r, c, kind, text in cells_with(sb.xml, b' s="%d"' % sid):
            if r is None:
                found.unsure = "date cell without a reference"
                return found
            found.dates.add((r, c))
            if kind != b"n" or text is None:
                continue
            value = cast_number(text.decode("ascii"))
            try:
                found.values[(r, c)] = from_excel(value, wb.epoch, timedelta=sid in timedelta_ids)
            except (OverflowError, ValueError):
                found.values[(r, c)] = "#VALUE!"          # as openpyxl's reader says it
    from cbcheck.reader.facility_percent import scan_percent_numbers

    why = scan_percent_numbers(sb, wb, found)
    if why is not None:
        found.unsure = why
        return found
    # the sheet's shared strings (openpyxl's read-only Workbook.shared_strings stays empty: the
    # table lives on each ReadOnlyWorksheet)
    found.shared_escaped = any(_ESCAPE_TEXT.search(s) for s in strings if "_x" in s)
    sb.keep_only_positions()
    found.sheet, found.strings = sb, strings
    return found


def may_read_body(grid: Grid) -> bool:
    """Whether calamine may read a body of this sheet (so the sheet XML is worth scanning for it)."""
    try:
        return enabled() and Path(grid.path).stat().st_size >= _min_bytes()
    except OSError:
        return False


def _reads(grid: Grid, r0: int) -> BodyCells | None:
    """The sheet scan's findings when a bulk reader may read the body below ``r0``."""
    cells: BodyCells | None = getattr(grid, "xlsx_cells", None)
    if not enabled() or cells is None or cells.unsure is not None or cells.shared_escaped:
        return None
    if any(r1 >= r0 + 2 for _, _, r1, _ in cells.merges):     # a merged range reaching the body
        return None
    try:
        if Path(grid.path).stat().st_size < _min_bytes():
            return None
    except OSError:
        return None
    return cells


def _calamine_reads(cells: BodyCells) -> bool:
    """Whether calamine reads the body as openpyxl would (see the module docstring)."""
    from cbcheck.reader.xlsxcells import rows_in_order

    extent = cells.ref_extent()
    if extent is None or cells.sheet is None or not rows_in_order(cells.sheet):
        return False                  # openpyxl places rows by their tags, calamine cells by their references
    refs, last_row, last_col = extent
    if refs < cells.written:          # cells placed by counting, not by reference: openpyxl's way
        return False
    max_rows, max_cols = budgets.limit("CBCHECK_MAX_ROWS"), budgets.limit("CBCHECK_MAX_COLUMNS")
    if (max_rows and last_row > max_rows) or (max_cols and last_col > max_cols):
        return False                  # the openpyxl path refuses the sheet and says where
    return last_row * last_col <= _SPARSE * refs + _ANY_RECTANGLE   # calamine fills the whole rectangle


def calamine_body(grid: Grid, r0: int, width: int, plan: ColumnPlan) -> tuple[Any, dict[str, Any]] | None:
    """(row numbers, raw columns by position) below the header at ``r0``, or None for the openpyxl
    path. There is a column for every cell beyond the header too (a value in a column without a
    label is said in a note), as the openpyxl path counts them."""
    import numpy as np

    cells = _reads(grid, r0)
    if cells is None:
        return None
    from cbcheck.reader.xlsxcolumns import body_columns

    read = body_columns(grid, r0, width, cells)        # the sheet XML read by numpy, where it is flat
    if read is not None:
        return read
    if not _calamine_reads(cells):
        return None
    try:
        from python_calamine import CalamineWorkbook

        values = CalamineWorkbook.from_path(grid.path).get_sheet_by_name(grid.name).to_python(skip_empty_area=False)
    except Exception:   # noqa: BLE001 - any calamine failure: the openpyxl path reads it and says why
        return None
    body = values[r0 + 1:]
    del values
    if not _patch(body, r0, cells):
        return None
    n = len(body)
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=n)
    body_width = int(lengths.max(initial=0))
    for i in np.flatnonzero(lengths < body_width):     # rows a patch made longer, or shorter ones
        body[i] = body[i] + [""] * (body_width - int(lengths[i]))
    # every row is body_width long now: one flat pass (a 2-D assignment from the lists costs more)
    block = np.fromiter(chain.from_iterable(body), dtype=object, count=n * body_width).reshape(n, body_width)
    del body
    columns = [block[:, c] for c in range(body_width)]
    kinds = [frozenset(map(type, column)) for column in columns]
    if not _dates_agree(columns, kinds, r0 + 2, cells):
        return None
    blanks = [_blank(column, k) for column, k in zip(columns, kinds, strict=True)]
    used = [c for c in range(body_width) if not blanks[c].all()]
    body_width = used[-1] + 1 if used else 0
    keep = np.zeros(n, dtype=bool)
    for c in used:               # most rows are settled by their first column (the name)
        todo = np.flatnonzero(~keep & ~blanks[c])
        keep[todo] = _filled_cells(columns[c][todo], kinds[c]) if str in kinds[c] else True
    head_width = max((len(row) for row in grid.head(r0 + 1).rows), default=0)
    width = max(width, head_width, body_width)
    raw: dict[str, Any] = {}
    everything = bool(keep.all())
    for c in range(width):
        if c >= len(columns):
            raw[str(c)] = np.full(int(keep.sum()), None, dtype=object)
            continue
        column, blank = (columns[c], blanks[c]) if everything else (columns[c][keep], blanks[c][keep])
        column[blank] = None
        shaped = _as_openpyxl_reads(column, kinds[c], blank)
        if shaped is None:
            return None
        raw[str(c)] = shaped
    rows = np.arange(r0 + 2, r0 + 2 + n, dtype="int64")[keep]
    grid.notes.append(ReadNote("layout", "read.calamine", sheet=grid.name))
    return rows, raw


def _patch(body: list[list[Any]], r0: int, cells: BodyCells) -> bool:
    """openpyxl's values where calamine reads the cell otherwise; False when calamine sees a date
    or time where openpyxl sees a number (their date-format rules differ)."""
    first = r0 + 2

    def put(r: int, c: int, value: Any) -> None:
        while len(body) < r - first + 1:
            body.append([])
        row = body[r - first]
        if len(row) < c:
            row.extend([""] * (c - len(row)))
        row[c - 1] = value

    for r, c in cells.uncached:
        if r >= first:
            put(r, c, NO_CACHED_VALUE)
    for (r, c), value in cells.values.items():
        if r >= first:
            put(r, c, value)
    return True


def _dates_agree(columns: list[Any], kinds: list[frozenset[type]], first: int, cells: BodyCells) -> bool:
    """False when calamine gives a date or time where openpyxl reads a number (their rules for
    which formats are dates differ); the cells openpyxl reads as dates were replaced already."""
    for c, column in enumerate(columns):
        if any(issubclass(t, _TEMPORAL) for t in kinds[c]):
            for i, v in enumerate(column):
                if isinstance(v, _TEMPORAL) and (first + i, c + 1) not in cells.dates:
                    return False
    return True


def _filled_cells(strings: Any, kinds: frozenset[type]) -> Any:
    """Which of these (non-blank) cells make a row a row: the openpyxl path keeps a row when any
    cell's cleaned text is not empty, so a cell of spaces or invisible characters does not count.
    A text starting with a letter or digit is settled without cleaning it (nearly all); in a column
    of text only, a text of letters and digits alone (a name, a code: 1号机组, F0000001) is settled
    by ``str.isalnum`` without a Python call per cell."""
    import numpy as np

    from cbcheck.textnorm import clean_cell_text

    def filled(v: Any) -> bool:
        return type(v) is not str or v[:1].isalnum() or bool(clean_cell_text(v))

    if kinds != {str}:
        return np.fromiter(map(filled, strings), dtype=bool, count=len(strings))
    out = np.fromiter(map(str.isalnum, strings), dtype=bool, count=len(strings))
    rest = np.flatnonzero(~out)
    out[rest] = np.fromiter(map(filled, strings[rest]), dtype=bool, count=len(rest))
    return out


def _blank(column: Any, kinds: frozenset[type]) -> Any:
    """Empty cells (calamine: ""; a patched error cell without a value: None)."""
    import numpy as np

    blank = column == "" if str in kinds else np.zeros(len(column), dtype=bool)
    return blank | np.equal(column, _NONE) if type(None) in kinds else blank


def _as_openpyxl_reads(a: Any, kinds: frozenset[type], blank: Any) -> Any:
    """Floats rounded to 15 significant digits, as the openpyxl path shows them (Excel's digits:
    274.65999999999997 is 274.66); the values already that short, nearly all, are left alone.
    Whole numbers as ``int`` (openpyxl reads ``<v>5</v>`` as 5, calamine as 5.0: a name column
    shows it, and so does a footer row's text, 联系电话 13800138000). None when a whole number is
    too long for either to be sure. ``blank``: where ``a`` holds None (the blanks, set to None)."""
    import numpy as np

    if float not in kinds:
        return a
    if kinds <= {float, str, type(None)} and str in kinds:
        # the text of a number column is nearly always its blanks, None by now: the cells left
        # tell (a third of a sparse column), and a column of floats and None needs no type per cell
        if str not in frozenset(map(type, a[~blank])):
            kinds = frozenset({float, type(None)})
    if kinds <= {float, str, type(None)}:       # blanks are None by now: the rest are floats or text
        is_float = np.fromiter(map(float.__instancecheck__, a), dtype=bool, count=len(a)) \
            if str in kinds else ~blank
    else:
        is_float = np.fromiter((type(v) is float for v in a), dtype=bool, count=len(a))
    at_float = np.flatnonzero(is_float)
    f = a[at_float].astype(float)
    with np.errstate(invalid="ignore"):
        # -0.0 stays a float, as openpyxl's float('-0.0') (an int 0 would report 0)
        whole = np.isfinite(f) & (f == np.round(f)) & ~((f == 0) & np.signbit(f))
        if (whole & (np.abs(f) >= _EXACT_WHOLE)).any():
            return None
        short = ~np.isfinite(f) | ((np.abs(f) < 1e9) & (f == np.round(f, 6)))
    if short.all() and not whole.any():
        return a
    a = a.copy()
    long = at_float[~short]
    a[long] = [float(f"{v:.15g}") for v in a[long]]
    a[at_float[whole]] = f[whole].astype(np.int64).astype(object)      # Python ints, exact: |v| < 1e15
    return a
