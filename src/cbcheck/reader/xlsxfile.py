"""XLSX/XLSM bytes to :class:`~cbcheck.reader.grid.Grid` s, one per worksheet.

The workbook is read the way openpyxl reads it in read-only mode (streamed, so large sheets stay
cheap) with cached formula results (``data_only``), through defusedxml (a dependency;
``tests/reader`` asserts that openpyxl sees it). Where the bytes settle every cell, that reading
is reader/xlsxlight.py's, which does not import openpyxl (0.16 s of a county check); anything else
is openpyxl's own. ``CBCHECK_FASTXLSX=0`` forces openpyxl (and its body reading, reader/fastxlsx.py)
for comparing the two. Before either sees the file the zip directory is checked: a zip bomb, an
encrypted member, a Strict Open XML workbook or a file that is not a workbook at all is refused here.

Read-only mode does not report merged ranges, nor formulas saved without a result; both
are taken from the sheet XML with cheap byte scans (:func:`_scan_sheet_xml`, reader/xmlscan.py)."""

from __future__ import annotations

import bisect
import contextlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbcheck import budgets
from cbcheck.errors import CbcheckError, SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.reader import fastxlsx, xlsxlight
from cbcheck.reader.grid import NO_CACHED_VALUE, Cell, Grid, Sheet, one_line
from cbcheck.reader.xmlscan import PlainBytes, SheetBytes

MAX_MEMBERS = 10_000
# What zipfile raises on damaged archives (a flipped byte can give any of these).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
              NotImplementedError, RuntimeError, struct.error, UnicodeDecodeError, IndexError, OverflowError)
RATIO_CHECK_OVER = 10 * 1024 * 1024
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")
_CELL_REF, _CELL_TYPE = fastxlsx.REF, fastxlsx.TYPE     # one spelling of a cell's r= and t= for both paths
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
        raise SubmissionError(Msg("rest.read_corrupt_workbook", detail=one_line(exc)), where=where,
                              hint=Msg("rest.read_corrupt_workbook_hint")) from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        if "mimetype" in names and b"opendocument.spreadsheet" in _read_member(zf, "mimetype", 100):
            raise SubmissionError(Msg("rest.read_ods"), where=where,
                                  hint=Msg("rest.read_ods_hint"))
        raise SubmissionError(Msg("rest.read_no_content_types"), where=where,
                              hint=Msg("rest.read_no_content_types_hint"))
    if not any(n.startswith("xl/") for n in names):
        other = (Msg("rest.read_what_word") if any(n.startswith("word/") for n in names) else
                 Msg("rest.read_what_ppt") if any(n.startswith("ppt/") for n in names) else
                 Msg("rest.read_what_not_workbook"))
        raise SubmissionError(Msg("rest.read_not_workbook", what=other), where=where,
                              hint=Msg("rest.read_not_workbook_hint"))
    if len(infos) > MAX_MEMBERS:
        raise SubmissionError(Msg("rest.read_too_many_parts", n=f"{len(infos):,}"), where=where,
                              hint=Msg("rest.read_save_again"))
    if any(i.flag_bits & 0x1 for i in infos):
        raise SubmissionError(Msg("rest.read_encrypted"), where=where,
                              hint=Msg("rest.read_encrypted_hint"))
    total = sum(i.file_size for i in infos)
    if budgets.exceeded("CBCHECK_MAX_UNZIPPED", total):
        raise budgets.refuse("CBCHECK_MAX_UNZIPPED", Msg("rest.found_unpacks", n=f"{total:,}"), where)
    for info in infos:
        _check_member(info, where)
    return zf


def _check_member(info: zipfile.ZipInfo, where: str) -> None:
    """Each part on its own: its declared unpacked size and its ratio. A ratio over the whole
    archive can be diluted with a few MB of stored random padding; a part's cannot."""
    size = info.file_size
    ratio = size / max(info.compress_size, 1)
    if size > RATIO_CHECK_OVER and budgets.exceeded("CBCHECK_MAX_RATIO", int(ratio)):
        raise budgets.refuse("CBCHECK_MAX_RATIO", Msg("rest.found_zip_bomb", name=info.filename, n=f"{size:,}",
                                                      ratio=f"{ratio:,.0f}"), where)
    if budgets.exceeded("CBCHECK_MAX_MEMBER", size):
        raise budgets.refuse("CBCHECK_MAX_MEMBER", Msg("rest.found_part_bytes", name=info.filename, n=f"{size:,}"),
                             where)


def read_capped(zf: zipfile.ZipFile, name: str, where: str) -> bytes:
    """A part's bytes, read in chunks and stopped at its budget whatever its header declares."""
    cap = budgets.limit("CBCHECK_MAX_MEMBER") or None
    chunks, got = [], 0
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            got += len(chunk)
            if cap is not None and got > cap:
                raise budgets.refuse("CBCHECK_MAX_MEMBER", Msg("rest.found_part_over", name=name, n=f"{cap:,}"), where)
            chunks.append(chunk)
    return b"".join(chunks)


def _read_member(zf: zipfile.ZipFile, name: str, size: int) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except ZIP_ERRORS:
        return b""          # openpyxl will meet the damage and it is reported there


def _is_strict(zf: zipfile.ZipFile) -> bool:
    return b"purl.oclc.org/ooxml/spreadsheetml" in _read_member(zf, "xl/workbook.xml", 4096)


@dataclass(frozen=True)
class SheetScan:
    merges: list[tuple[int, int, int, int]]      # (row0, col0, row1, col1)
    uncached: set[tuple[int, int]]               # formula cells without a saved result


_CELL_OPEN = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")


def check_counts(xml: bytes | SheetBytes | PlainBytes, where: str) -> None:
    """Rows and cells written in the sheet XML, counted at C speed before anything is parsed
    (a million-row sheet is refused in a fraction of a second). Rows that are skipped in the XML
    (``<row r="1048576">`` alone) and the width are checked as the rows stream in."""
    sb = xml if isinstance(xml, SheetBytes | PlainBytes) else SheetBytes(xml)
    rows = sb.count(b"<row") + sb.count(b":row ")
    if budgets.exceeded("CBCHECK_MAX_ROWS", rows):
        raise budgets.refuse("CBCHECK_MAX_ROWS", Msg("rest.found_sheet_rows", n=f"{rows:,}"), where)
    cells = sb.count(b"<c ") + sb.count(b"<c>") + sb.count(b":c ")
    if budgets.exceeded("CBCHECK_MAX_CELLS", cells):
        raise budgets.refuse("CBCHECK_MAX_CELLS", Msg("rest.found_sheet_cells", n=f"{cells:,}"), where)


def _scan_sheet_xml(xml: bytes, sb: SheetBytes | PlainBytes | None = None) -> SheetScan:
    """Merged ranges and formula cells without a saved result, in linear time.

    A formula cell without ``<v>``, or with an empty one, was written by a program that does
    not calculate (Excel and WPS always save the result); reading it as blank would hide it.
    An empty ``<v/>`` of a text formula (``t="str"``) is a formula that returned "".
    Each ``<f>`` is tied to the nearest cell opening before it by bisection over the openings
    found in one pass (one backward search per tag was quadratic: a comment holding a million
    ``<f>`` took minutes), and each cell is looked at once.
    """
    sb = sb or SheetBytes(xml)
    merges = []
    # the tag positions say at no cost when there is no <mergeCells> (nearly always)
    at = xml.find(b"mergeCells") if sb.count_tag(b"mer", None) or sb.has(b":mergeCell") else -1
    if at != -1:
        for m in _MERGE.finditer(xml, max(0, at - 16)):
            c0, r0 = _col_index(m.group(1)), int(m.group(2))
            c1, r1 = (_col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
            merges.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    uncached: set[tuple[int, int]] = set()
    first = _FORMULA.search(xml) if sb.has_formula_tag else None
    if first is None:
        return SheetScan(merges, uncached)
    opens = [m.start() for m in _CELL_OPEN.finditer(xml)]
    closes = [m.start() for m in _CELL_CLOSE.finditer(xml)]
    seen: set[int] = set()
    for m in _FORMULA.finditer(xml, first.start()):
        i = bisect.bisect_right(opens, m.start()) - 1
        if i < 0 or i in seen:
            continue
        seen.add(i)
        open_at = opens[i]
        j = bisect.bisect_left(closes, m.end())
        if j == len(closes):
            continue
        end = min(closes[j], opens[i + 1] if i + 1 < len(opens) else len(xml))
        tag_end = xml.find(b">", open_at, end)
        if tag_end == -1:
            continue
        tag, body = xml[open_at:tag_end], xml[tag_end:end]
        ref = _CELL_REF.search(tag)
        if ref is None:
            continue
        v = _VALUE.search(body)
        kind = _CELL_TYPE.search(tag)
        if v is None or (not v.group(2) and not (kind and kind.group(1) in (b"str", b"s", b"inlineStr"))):
            uncached.add((int(ref.group(2)), _col_index(ref.group(1))))
    return SheetScan(merges, uncached)


def _value(value: Any, cell: Any) -> tuple[Any, str]:
    """A cell value as the reader wants it, and its number format (numbers and dates only)."""
    if isinstance(value, float):
        # Excel shows 15 significant digits: 274.65999999999997 is 274.66 on screen.
        return (float(f"{value:.15g}") if value == value else value), cell.number_format or "General"
    if isinstance(value, int) and not isinstance(value, bool):
        return value, cell.number_format or "General"
    if isinstance(value, str) and "_x" in value:
        return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value), "General"
    if hasattr(value, "year"):      # a date shown as its year alone (yyyy"年") is a year header
        return value, cell.number_format or "General"
    return value, "General"


class _Merges:
    """Fills merged ranges row by row as rows stream in: every cell shows the top-left value.

    Ranges are clipped to the widest row seen, so a stray A1:XFD1048576 costs nothing.
    """

    def __init__(self, ranges: list[tuple[int, int, int, int]], sheet: Sheet) -> None:
        self._pending = sorted(ranges, reverse=True)       # popped from the end, by top row
        self._active: list[tuple[int, int, int, int, Cell]] = []
        self._sheet = sheet
        self._left = budgets.limit("CBCHECK_MAX_MERGED_CELLS") or None     # cells still allowed

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
            if self._left is not None:
                self._left -= last - c0 + 1
                if self._left < 0:
                    raise budgets.refuse("CBCHECK_MAX_MERGED_CELLS", Msg(
                        "rest.found_merged", n=f"{budgets.limit('CBCHECK_MAX_MERGED_CELLS'):,}"), self._sheet.where())
            for c in range(c0, last + 1):
                if (r, c) != (r0, c0):
                    cells[c - 1] = Cell(top.value, r, c, self._sheet, top.number_format)


_LINE_TAG = re.compile(rb"<(?:\w+:)?(row|col)\s([^<>]*)\Z")
_HIDDEN = re.compile(rb"""hidden\s*=\s*["'](?:1|true)["']""")


def _attr(attrs: bytes, name: bytes) -> int | None:
    m = re.search(rb"\b" + name + rb"""\s*=\s*["'](\d{1,7})["']""", attrs)
    return int(m.group(1)) if m else None


def _hidden_lines(xml: bytes) -> tuple[frozenset[int], tuple[tuple[int, int], ...]]:
    """The rows (``<row r hidden="1">``) and column ranges (``<col min max hidden="1">``) a sheet hides.
    Only the tags around a ``hidden=`` are parsed: a large sheet with one hidden column costs one scan."""
    rows: set[int] = set()
    cols: list[tuple[int, int]] = []
    at = xml.find(b"hidden")
    while at != -1:          # bytes.find, not a regex scan: the sheet may be tens of MB
        m = _HIDDEN.match(xml, at)
        at = xml.find(b"hidden", at + 6)
        if m is None:
            continue
        start = xml.rfind(b"<", 0, m.start())
        end = xml.find(b">", m.end())
        tag = _LINE_TAG.match(xml, start, end if end != -1 else len(xml))
        if tag is None:
            continue
        attrs = tag.group(2)
        if tag.group(1) == b"row":
            if (r := _attr(attrs, b"r")) is not None:
                rows.add(r)
        elif (lo := _attr(attrs, b"min")) is not None:
            cols.append((lo, _attr(attrs, b"max") or lo))
    return frozenset(rows), tuple(cols)


def _sheet_rows(ws: Any, zf: zipfile.ZipFile, grid: Grid) -> Iterator[list[Cell]]:
    """Rows of one worksheet as cells, streamed. Damage found on the way is a SubmissionError.
    The sheet XML, read whole for the scans, also tells ``grid.xlsx_cells`` which cells calamine
    would read otherwise than openpyxl (reader/fastxlsx.py), when calamine may read the body."""
    from cbcheck.reader.fastxlsx import may_read_body, scan_body_cells

    sheet = grid.sheet

    def damaged(exc: Exception) -> SubmissionError:
        detail = f"{type(exc).__name__}: {one_line(exc)}"
        return SubmissionError(Msg("rest.read_sheet_damaged", sheet=ws.title, detail=detail),
                               where=sheet.path, hint=Msg("rest.read_damaged_hint"))

    try:
        xml = read_capped(zf, ws._worksheet_path, sheet.where())
        body = may_read_body(grid)
        sb = SheetBytes(xml) if body else PlainBytes(xml)
        check_counts(sb, sheet.where())
        scan = _scan_sheet_xml(xml, sb)
        if b"hidden" in xml:
            grid.hidden_rows, grid.hidden_cols = _hidden_lines(xml)
        merges, uncached = scan.merges, scan.uncached
        if isinstance(sb, SheetBytes):
            grid.xlsx_cells = scan_body_cells(sb, merges, uncached, ws.parent, ws._shared_strings)
        del xml, sb
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
    max_rows, max_cols = budgets.limit("CBCHECK_MAX_ROWS"), budgets.limit("CBCHECK_MAX_COLUMNS")
    while True:
        try:
            row = next(source, None)
        except CbcheckError:
            raise
        except Exception as exc:  # openpyxl and expat raise many types for broken sheet XML
            raise damaged(exc) from None
        if row is None:
            return
        r += 1
        if max_rows and r > max_rows:
            raise budgets.refuse("CBCHECK_MAX_ROWS", Msg("rest.found_sheet_rows_over", n=f"{max_rows:,}"),
                                 sheet.where())
        cells = []
        for c, xc in enumerate(row, start=1):
            try:
                value, fmt = _value(xc.value, xc)
            except (IndexError, KeyError, TypeError, ValueError):
                # a style index the workbook does not define (openpyxl looks the format up lazily)
                raise SubmissionError(Msg("rest.read_bad_style"),
                                      where=sheet.where(r, c), hint=Msg("rest.read_damaged_hint")) from None
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
        if max_cols and len(cells) > max_cols:
            raise budgets.refuse("CBCHECK_MAX_COLUMNS", Msg("rest.found_row_columns", r=r, n=f"{len(cells):,}"),
                                 sheet.where())
        yield cells


def _load_openpyxl(data: bytes, where: str) -> Any:
    """openpyxl's read-only workbook (cached results); a workbook it cannot open is one line."""
    import openpyxl  # deferred: heavy (numpy, Pillow), and only for what reader/xlsxlight.py does not settle

    from cbcheck.reader.xlsxrules import east_asian_formats_into_openpyxl

    east_asian_formats_into_openpyxl()
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except CbcheckError:
        raise
    except Exception as exc:  # openpyxl raises many unrelated types for broken files
        detail = f"{type(exc).__name__}: {one_line(exc)}"
        raise SubmissionError(Msg("rest.read_cannot_open", detail=detail), where=where,
                              hint=Msg("rest.read_cannot_open_hint")) from None


@contextlib.contextmanager
def open_xlsx_grids(data: bytes, path: Path, sheet: str | None = None) -> Iterator[list[Grid]]:
    """One lazily read grid per worksheet (or the one named); the workbook closes on exit."""
    where = str(path)
    zf = _open_zip(data, where)
    if _is_strict(zf):
        raise SubmissionError(Msg("rest.read_strict"), where=where,
                              hint=Msg("rest.read_strict_hint"))
    with warnings.catch_warnings():
        # openpyxl warns about styles, extensions and data validation it drops (and dates out of
        # range, which it turns into #VALUE!); none of it is for the user's stderr.
        warnings.filterwarnings("ignore", module="openpyxl")
        warnings.filterwarnings("ignore", category=UserWarning)
        book = xlsxlight.open_book(zf, data, lambda: _load_openpyxl(data, where)) if fastxlsx.enabled() else None
        wb = book if book is not None else _load_openpyxl(data, where)
        try:
            worksheets = list(wb.worksheets)
            budgets.check("CBCHECK_MAX_SHEETS", len(worksheets), Msg("rest.found_sheets", n=f"{len(worksheets):,}"),
                          where)
            if not worksheets:
                raise SubmissionError(Msg("rest.read_no_worksheets"), where=where,
                                      hint=Msg("rest.read_no_worksheets_hint"))
            if sheet is not None:
                chosen = [ws for ws in worksheets if ws.title == sheet]
                if not chosen:
                    raise SubmissionError(Msg("rest.read_no_such_sheet", sheet=sheet), where=where,
                                          hint=Msg("rest.read_no_such_sheet_hint",
                                                   names=Msg.listing(ws.title for ws in worksheets)))
                worksheets = chosen
            grids = []
            for ws in worksheets:
                grid = Grid(Sheet(name=ws.title, path=where, kind="xlsx"),
                            hidden=getattr(ws, "sheet_state", "visible") != "visible")
                grid.stream(_sheet_rows(ws, zf, grid))
                grids.append(grid)
            yield grids
        finally:
            wb.close()
            zf.close()
