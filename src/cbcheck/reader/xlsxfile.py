"""XLSX/XLSM bytes to :class:`~cbcheck.reader.grid.Grid` s, one per worksheet.

openpyxl reads the workbook in read-only mode (streamed, so large sheets stay cheap) with
cached formula results (``data_only``), and parses XML through defusedxml when it is
installed (it is a dependency; ``tests/reader`` asserts that openpyxl sees it). Before
openpyxl sees the file the zip directory is checked: a zip bomb, an encrypted member, a
Strict Open XML workbook or a file that is not a workbook at all is refused here.

Read-only mode does not report merged ranges, nor formulas saved without a result; both
are taken from the sheet XML with two cheap byte scans (:func:`_scan_sheet_xml`).
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cbcheck.errors import SubmissionError
from cbcheck.reader.grid import NO_CACHED_VALUE, Cell, Grid, Sheet, max_ratio, max_unzipped, one_line

MAX_MEMBERS = 10_000
# What zipfile raises on damaged archives (a flipped byte can give any of these).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
              NotImplementedError, RuntimeError, struct.error, UnicodeDecodeError, IndexError, OverflowError)
RATIO_CHECK_OVER = 10 * 1024 * 1024
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_CELL_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _open_zip(data: bytes, where: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as exc:
        raise SubmissionError(f"corrupt workbook ({one_line(exc)})", where=where,
                              hint="the file is damaged or incomplete; save or download it again") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        if "mimetype" in names and b"opendocument.spreadsheet" in _read_member(zf, "mimetype", 100):
            raise SubmissionError("this is an OpenDocument spreadsheet (.ods), not .xlsx", where=where,
                                  hint="save it as an Excel Workbook (.xlsx) in WPS or LibreOffice")
        raise SubmissionError("corrupt workbook: it is a zip file without [Content_Types].xml", where=where,
                              hint="save it again from Excel or WPS as an Excel Workbook (.xlsx)")
    if not any(n.startswith("xl/") for n in names):
        other = ("a Word document" if any(n.startswith("word/") for n in names) else
                 "a PowerPoint file" if any(n.startswith("ppt/") for n in names) else "not a workbook")
        raise SubmissionError(f"this is {other}, not an Excel workbook", where=where,
                              hint="give the table as .xlsx or .csv")
    if len(infos) > MAX_MEMBERS:
        raise SubmissionError(f"the workbook has {len(infos):,} parts, which no real workbook has", where=where,
                              hint="save it again from Excel or WPS")
    if any(i.flag_bits & 0x1 for i in infos):
        raise SubmissionError("the workbook's parts are encrypted", where=where,
                              hint="remove the password and save again")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    limit, ratio = max_unzipped(), max_ratio()
    if total > limit or (total > RATIO_CHECK_OVER and total / packed > ratio):
        raise SubmissionError(f"the workbook unpacks to {total:,} bytes ({total / packed:.0f} times its size), "
                              f"over the limit ({limit:,} bytes, {ratio} times)", where=where,
                              hint="this looks like a zip bomb; if the file is genuine raise "
                                   "CBCHECK_MAX_UNZIPPED / CBCHECK_MAX_RATIO")
    return zf


def _read_member(zf: zipfile.ZipFile, name: str, size: int) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except ZIP_ERRORS:
        return b""          # openpyxl will meet the damage and it is reported there


def _is_strict(zf: zipfile.ZipFile) -> bool:
    return b"purl.oclc.org/ooxml/spreadsheetml" in _read_member(zf, "xl/workbook.xml", 4096)


def _scan_sheet_xml(xml: bytes) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """(merged ranges as (row0, col0, row1, col1), cells whose formula has no saved result).

    A formula cell without ``<v>``, or with an empty one, was written by a program that does
    not calculate (Excel and WPS always save the result); reading it as blank would hide it.
    An empty ``<v/>`` of a text formula (``t="str"``) is a formula that returned "".
    """
    merges = []
    at = xml.find(b"mergeCells")
    if at != -1:
        for m in _MERGE.finditer(xml, max(0, at - 16)):
            c0, r0 = _col_index(m.group(1)), int(m.group(2))
            c1, r1 = (_col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
            merges.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    uncached: set[tuple[int, int]] = set()
    for m in _FORMULA.finditer(xml):
        prefix = m.group(1) or b""
        open_at = xml.rfind(b"<" + prefix + b"c ", 0, m.start())
        close_at = xml.find(b"</" + prefix + b"c>", m.end())
        if open_at == -1 or close_at == -1:
            continue
        tag_end = xml.find(b">", open_at)
        tag, body = xml[open_at:tag_end], xml[tag_end:close_at]
        ref = _CELL_REF.search(tag)
        if ref is None:
            continue
        v = _VALUE.search(body)
        kind = _CELL_TYPE.search(tag)
        if v is None or (not v.group(2) and not (kind and kind.group(1) in (b"str", b"s", b"inlineStr"))):
            uncached.add((int(ref.group(2)), _col_index(ref.group(1))))
    return merges, uncached


def _value(value: Any, cell: Any) -> tuple[Any, str]:
    """A cell value as the reader wants it, and its number format (numbers only)."""
    if isinstance(value, float):
        # Excel shows 15 significant digits: 274.65999999999997 is 274.66 on screen.
        return (float(f"{value:.15g}") if value == value else value), cell.number_format or "General"
    if isinstance(value, int) and not isinstance(value, bool):
        return value, cell.number_format or "General"
    if isinstance(value, str) and "_x" in value:
        return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value), "General"
    return value, "General"


class _Merges:
    """Fills merged ranges row by row as rows stream in: every cell shows the top-left value.

    Ranges are clipped to the widest row seen, so a stray A1:XFD1048576 costs nothing.
    """

    def __init__(self, ranges: list[tuple[int, int, int, int]], sheet: Sheet) -> None:
        self._pending = sorted(ranges, reverse=True)       # popped from the end, by top row
        self._active: list[tuple[int, int, int, int, Cell]] = []
        self._sheet = sheet

    def fill(self, r: int, cells: list[Cell], width: int) -> None:
        while self._pending and self._pending[-1][0] <= r:
            r0, c0, r1, c1 = self._pending.pop()
            if r0 == r and c0 <= len(cells) and cells[c0 - 1].value is not None:
                self._active.append((r0, c0, r1, c1, cells[c0 - 1]))
        if not self._active:
            return
        self._active = [m for m in self._active if m[2] >= r]
        for r0, c0, _, c1, top in self._active:
            last = min(c1, width)
            if len(cells) < last:
                cells.extend(Cell(None, r, k, self._sheet) for k in range(len(cells) + 1, last + 1))
            for c in range(c0, last + 1):
                if (r, c) != (r0, c0):
                    cells[c - 1] = Cell(top.value, r, c, self._sheet, top.number_format)


def _sheet_rows(ws: Any, zf: zipfile.ZipFile, sheet: Sheet) -> Iterator[list[Cell]]:
    """Rows of one worksheet as cells, streamed. Damage found on the way is a SubmissionError."""

    def damaged(exc: Exception) -> SubmissionError:
        return SubmissionError(f"sheet {ws.title!r} cannot be read ({type(exc).__name__}: {one_line(exc)})",
                               where=sheet.path, hint="the file is damaged; open and save it again in Excel or WPS")

    try:
        merges, uncached = _scan_sheet_xml(zf.read(ws._worksheet_path))
        ws.reset_dimensions()   # a bogus <dimension ref="A1:XFD1048576"/> must not pad every row
        source = ws.iter_rows()
    except ZIP_ERRORS as exc:
        raise damaged(exc) from None
    uncached_in: dict[int, list[int]] = {}
    for r, c in uncached:
        uncached_in.setdefault(r, []).append(c)
    filler = _Merges(merges, sheet)
    width = 0
    r = 0
    while True:
        try:
            row = next(source, None)
        except Exception as exc:  # openpyxl and expat raise many types for broken sheet XML
            raise damaged(exc) from None
        if row is None:
            return
        r += 1
        cells = []
        for c, xc in enumerate(row, start=1):
            value, fmt = _value(xc.value, xc)
            cells.append(Cell(value, r, c, sheet, fmt))
        for c in uncached_in.get(r, ()):
            if c > len(cells):
                cells.extend(Cell(None, r, k, sheet) for k in range(len(cells) + 1, c + 1))
            if cells[c - 1].value is None:
                cells[c - 1] = Cell(NO_CACHED_VALUE, r, c, sheet)
        width = max(width, len(cells))
        filler.fill(r, cells, width)
        while cells and cells[-1].value in (None, ""):   # formatted but empty cells carry nothing
            cells.pop()
        yield cells


@contextlib.contextmanager
def open_xlsx_grids(data: bytes, path: Path, sheet: str | None = None) -> Iterator[list[Grid]]:
    """One lazily read grid per worksheet (or the one named); the workbook closes on exit."""
    where = str(path)
    zf = _open_zip(data, where)
    if _is_strict(zf):
        raise SubmissionError("this workbook is saved as Strict Open XML, which cannot be read", where=where,
                              hint="save it as an ordinary Excel Workbook (.xlsx), not 'Strict Open XML'")
    import openpyxl  # deferred: heavy, and only needed for workbooks

    with warnings.catch_warnings():
        # openpyxl warns about styles, extensions and data validation it drops (and dates out of
        # range, which it turns into #VALUE!); none of it is for the user's stderr.
        warnings.filterwarnings("ignore", module="openpyxl")
        warnings.filterwarnings("ignore", category=UserWarning)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many unrelated types for broken files
            raise SubmissionError(f"cannot open the workbook ({type(exc).__name__}: {one_line(exc)})", where=where,
                                  hint="the file is damaged or not a real .xlsx; open and save it again "
                                       "in Excel or WPS") from None
        try:
            worksheets = list(wb.worksheets)
            if not worksheets:
                raise SubmissionError("the workbook has no worksheets that can be read", where=where,
                                      hint="save it again as an ordinary Excel Workbook (.xlsx)")
            if sheet is not None:
                chosen = [ws for ws in worksheets if ws.title == sheet]
                if not chosen:
                    raise SubmissionError(f"there is no worksheet named {sheet!r}", where=where,
                                          hint="worksheets: " + ", ".join(ws.title for ws in worksheets))
                worksheets = chosen
            grids = []
            for ws in worksheets:
                origin = Sheet(name=ws.title, path=where, kind="xlsx")
                grids.append(Grid(origin, source=_sheet_rows(ws, zf, origin),
                                  hidden=getattr(ws, "sheet_state", "visible") != "visible"))
            yield grids
        finally:
            wb.close()
            zf.close()
