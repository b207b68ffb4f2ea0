"""Files to grids of cells. The only module that knows about CSV and XLSX bytes.

A :class:`Grid` is a sheet as rows of :class:`Cell` values with their locations
(``表1!D7`` or ``file.csv:12:4``), merged ranges already filled in, so that the
layout detection in :mod:`cbcheck.reader.table` works the same for both formats.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbcheck.errors import SubmissionError

DEFAULT_MAX_BYTES = 200 * 1024 * 1024          # on disk
DEFAULT_MAX_UNZIPPED = 1024 * 1024 * 1024      # inside an xlsx
MAX_COMPRESSION_RATIO = 200                     # zip-bomb guard


def max_bytes() -> int:
    return int(os.environ.get("CBCHECK_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any              # str (CSV, XLSX text), float/int, bool, datetime, or None
    location: str
    number_format: str = "General"


@dataclass(frozen=True)
class Grid:
    name: str               # sheet name, or the file name for CSV
    rows: list[list[Cell]]
    path: str

    def loc(self, row: int, col: int) -> str:
        return self.rows[row][col].location


def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SubmissionError("file not found", where=str(path)) from None
    if size == 0:
        raise SubmissionError("the file is empty", where=str(path), hint="export the sheet again")
    if size > max_bytes():
        raise SubmissionError(f"file is {size:,} bytes, over the limit of {max_bytes():,}", where=str(path),
                              hint="raise it with CBCHECK_MAX_BYTES if the file is genuine")
    return size


# --- CSV -----------------------------------------------------------------------------------------

def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode CSV bytes: a forced encoding, a BOM, UTF-8, GB18030, then detection."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise SubmissionError(f"cannot decode as {encoding}: {exc}", where=path,
                                  hint="check --encoding (e.g. utf-8, gb18030, utf-16)") from None
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SubmissionError("cannot tell the text encoding", where=path,
                              hint="save as UTF-8 or pass --encoding gb18030")
    return str(best)


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")) or head.count(b"\x00") > len(head) // 4


def read_csv_grid(path: Path, encoding: str | None = None, delimiter: str | None = None) -> Grid:
    _check_size(path)
    data = path.read_bytes()
    if not (data.startswith((b"\xff\xfe", b"\xfe\xff")) or encoding) and _looks_binary(data):
        raise SubmissionError("this is not a text CSV file (it looks like a spreadsheet or binary file)",
                              where=str(path), hint="give it the right extension (.xlsx) or export CSV again")
    text = decode(data, str(path), encoding).replace("\x00", "")
    if not text.strip():
        raise SubmissionError("the file has no content", where=str(path))
    if delimiter is None:
        sample = "\n".join(text.splitlines()[:50])
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    name = path.name
    rows: list[list[Cell]] = []
    try:
        for r, row in enumerate(reader):
            rows.append([Cell(v, f"{name}:{r + 1}:{c + 1}") for c, v in enumerate(row)])
    except csv.Error as exc:
        raise SubmissionError(f"malformed CSV: {exc}", where=f"{name}:{reader.line_num}") from None
    return Grid(name=name, rows=rows, path=str(path))


# --- XLSX ----------------------------------------------------------------------------------------

def _check_zip(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SubmissionError("the workbook is encrypted or in the old .xls format", where=str(path),
                              hint="remove the password / save as .xlsx in Excel or WPS")
    if not head.startswith(b"PK"):
        raise SubmissionError("this is not an xlsx workbook (not a zip file)", where=str(path),
                              hint="check the file extension; CSV files must end in .csv")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
    except zipfile.BadZipFile as exc:
        raise SubmissionError(f"corrupt workbook: {exc}", where=str(path), hint="save it again from Excel or WPS") from None
    if "[Content_Types].xml" not in names:
        raise SubmissionError("corrupt workbook: no [Content_Types].xml", where=str(path),
                              hint="save it again from Excel or WPS")
    limit = int(os.environ.get("CBCHECK_MAX_UNZIPPED", DEFAULT_MAX_UNZIPPED))
    if total > limit or (total > 10 * 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO):
        raise SubmissionError(f"workbook unpacks to {total:,} bytes (ratio {total / packed:.0f}:1), over the limit",
                              where=str(path), hint="this looks like a zip bomb; raise CBCHECK_MAX_UNZIPPED if genuine")


def read_xlsx_grids(path: Path, sheet: str | None = None) -> list[Grid]:
    _check_size(path)
    _check_zip(path)
    import openpyxl  # deferred: heavy, and only needed for workbooks

    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SubmissionError(f"cannot open workbook: {type(exc).__name__}: {exc}", where=str(path),
                              hint="open and save it again in Excel or WPS") from None
    try:
        if not wb.sheetnames:
            raise SubmissionError("the workbook has no readable sheets (Strict Open XML is not supported)",
                                  where=str(path), hint="save it as an ordinary Excel Workbook (.xlsx)")
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise SubmissionError(f"no sheet named {sheet!r}", where=str(path),
                                      hint="sheets: " + ", ".join(names))
            names = [sheet]
        return [_sheet_grid(wb[n], str(path)) for n in names]
    finally:
        wb.close()


def _sheet_grid(ws: Any, path: str) -> Grid:
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    merged[(r, c)] = (rng.min_row, rng.min_col)
    rows: list[list[Cell]] = []
    raw = [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    for r, row in enumerate(raw, start=1):
        cells = []
        for c, (value, fmt) in enumerate(row, start=1):
            if (r, c) in merged:
                mr, mc = merged[(r, c)]
                value, fmt = raw[mr - 1][mc - 1]
            cells.append(Cell(value, f"{ws.title}!{col_letter(c - 1)}{r}", fmt or "General"))
        rows.append(cells)
    return Grid(name=ws.title, rows=rows, path=path)


def read_grids(path: Path, *, sheet: str | None = None, encoding: str | None = None,
               delimiter: str | None = None) -> list[Grid]:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx_grids(path, sheet)
    if suffix in {".csv", ".tsv", ".txt"}:
        return [read_csv_grid(path, encoding, "\t" if suffix == ".tsv" and not delimiter else delimiter)]
    if suffix == ".xls":
        raise SubmissionError("the old .xls format is not supported", where=str(path),
                              hint="save it as .xlsx in Excel or WPS")
    raise SubmissionError(f"unsupported file type {suffix or '(none)'}", where=str(path),
                          hint="give an .xlsx, .xlsm or .csv file")
