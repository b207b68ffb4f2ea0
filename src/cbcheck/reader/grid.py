"""Files to grids of cells: size limits, telling a file's real type, dispatch to CSV, XLSX or XLS.

A :class:`Grid` is a sheet as rows of :class:`Cell` values with their locations
(``表1!D7`` or ``file.csv:12:4``), merged ranges already filled in, so that the
layout detection in :mod:`cbcheck.reader.table` works the same for both formats.

The file is read once, as bytes (:func:`read_file`); its hash and every parser work
from those bytes, and nothing is ever written back.

Limits are the budgets of :mod:`cbcheck.budgets` (environment variables such as
``CBCHECK_MAX_BYTES``, ``CBCHECK_MAX_ROWS``), each refusal naming the variable that raises it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbcheck import budgets
from cbcheck.errors import SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.readnote import ReadNote, Span, column_letters

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})


def max_bytes() -> int:
    return budgets.limit("CBCHECK_MAX_BYTES")


def max_unzipped() -> int:
    return budgets.limit("CBCHECK_MAX_UNZIPPED")


def max_ratio() -> int:
    return budgets.limit("CBCHECK_MAX_RATIO")


class NoCachedValue:
    """A formula cell saved without its result (written by a program, never opened in Excel)."""

    _instance: NoCachedValue | None = None

    def __new__(cls) -> NoCachedValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_CACHED_VALUE"


NO_CACHED_VALUE = NoCachedValue()


def one_line(detail: object, limit: int = 160) -> str:
    """A library's exception text for a one-line message: whitespace folded, shortened."""
    text = " ".join(str(detail).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    return column_letters(index + 1)


@dataclass(frozen=True, slots=True)
class Sheet:
    """Where cells come from: a worksheet of a workbook, or a CSV file."""

    name: str               # sheet name, or the file name for CSV
    path: str               # the file as given on the command line
    kind: str               # "xlsx" (a workbook sheet, .xls and .et too) | "csv"

    @property
    def _ref(self) -> str:
        # Excel quotes sheet names that are not plain words: 'Sheet 1'!A1
        return self.name if re.fullmatch(r"\w+", self.name) else "'" + self.name.replace("'", "''") + "'"

    def location(self, row: int, col: int) -> str:
        """``表1!D7`` or ``file.csv:12:4`` (1-based row and column)."""
        if self.kind == "csv":
            return f"{self.name}:{row}:{col}"
        return f"{self._ref}!{col_letter(col - 1)}{row}"

    def where(self, row: int | None = None, col: int | None = None) -> str:
        """For error messages: the file, then the sheet/cell."""
        if self.kind == "csv":
            return self.path if row is None else f"{self.path}:{row}" + (f":{col}" if col else "")
        if row is None:
            return Msg("rest.where_sheet", path=self.path, sheet=self.name)
        return f"{self.path}:{self.location(row, col or 1)}"


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any              # str, int, float, bool, datetime/date/time/timedelta, None or NO_CACHED_VALUE
    row: int                # 1-based
    col: int                # 1-based
    sheet: Sheet
    number_format: str = "General"

    @property
    def location(self) -> str:
        return self.sheet.location(self.row, self.col)


HEAD_ROWS = 50      # rows read before deciding whether a sheet holds a table at all


class Grid:
    """A sheet's rows (``rows[i]`` is sheet row i + 1; ragged, trailing blanks trimmed).

    Rows may come from a stream (xlsx): they are read on demand, so a sheet that turns out
    to hold no indicator table (a large facility list) is read only as far as its head.
    """

    def __init__(self, sheet: Sheet, rows: list[list[Cell]] | None = None, *,
                 source: Iterator[list[Cell]] | None = None, hidden: bool = False) -> None:
        self.sheet = sheet
        self.hidden = hidden
        self.notes: list[str] = []          # ReadNote values (cbcheck.readnote)
        # Cells the reader consumed, as rectangles (a facility body is one): for the table's note.
        self.read_spans: list[Span] = []
        # CSV only: the text (reader/csvfile.CsvText: a large file decoded only as far as its
        # head until asked) and its delimiter, so a large facility table can be parsed in bulk
        # instead of cell by cell (reader/facility_body.py).
        self.csv_text: Any = None
        self.csv_delimiter: str | None = None
        self.csv_encoding: str | None = None     # how csvfile.decode read it (reader/fastcsv.py)
        self._rows = rows if rows is not None else []
        self._source = source
        # xlsx only: cells the sheet XML says calamine reads otherwise (reader/fastxlsx.BodyCells)
        self.xlsx_cells: Any = None
        # xlsx only: rows and column ranges the sheet hides, so that a message about a cell the
        # clerk cannot see says so (set when the sheet XML is first read)
        self.hidden_rows: frozenset[int] = frozenset()
        self.hidden_cols: tuple[tuple[int, int], ...] = ()

    def hides(self, row: int, col: int) -> str | None:
        """"row" or "column" when the cell is in a hidden row or column, else None."""
        if row in self.hidden_rows:
            return "row"
        return "column" if any(lo <= col <= hi for lo, hi in self.hidden_cols) else None

    def stream(self, source: Iterator[list[Cell]]) -> None:
        """Rows from now on read on demand from ``source``."""
        self._source = source

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def path(self) -> str:
        return self.sheet.path

    @property
    def csv_source(self) -> tuple[str, str] | None:
        """(the whole decoded text, its delimiter) of a CSV; decoded on first use."""
        if self.csv_delimiter is None:
            return None
        return self.csv_text.whole(), self.csv_delimiter

    @property
    def rows(self) -> list[list[Cell]]:
        self._pull(None)
        return self._rows

    def head(self, n: int = HEAD_ROWS) -> Grid:
        """A grid of the first ``n`` rows only (reads no further)."""
        self._pull(n)
        return Grid(self.sheet, self._rows[:n], hidden=self.hidden)

    def _pull(self, upto: int | None) -> None:
        while self._source is not None and (upto is None or len(self._rows) < upto):
            row = next(self._source, None)
            if row is None:
                self._source = None
                while self._rows and not self._rows[-1]:
                    self._rows.pop()
            else:
                self._rows.append(row)

    def span(self, row: int, col: int, row2: int | None = None, col2: int | None = None) -> Span:
        """Cells ``row``..``row2`` × ``col``..``col2`` of this sheet (1-based, inclusive)."""
        return Span(self.sheet.name, self.sheet.kind != "xlsx", row, col, row if row2 is None else row2,
                    col if col2 is None else col2)

    def extent(self, limit: int = HEAD_ROWS) -> Span | None:
        """The rectangle holding every non-empty cell (for a sheet that is skipped: the note names
        it whole). A sheet longer than ``limit`` rows is read no further: the span runs to the
        format's last row."""
        self._pull(limit)
        rows = [(i + 1, [c.col for c in row if c.value not in (None, "")]) for i, row in enumerate(self._rows)]
        rows = [(r, cols) for r, cols in rows if cols]
        if not rows:
            return None
        last = rows[-1][0] if self._source is None else 1_048_576
        return self.span(rows[0][0], min(min(c) for _, c in rows), last, max(max(c) for _, c in rows))

    def is_empty(self) -> bool:
        def blank(rows: list[list[Cell]]) -> bool:
            return not any(c.value not in (None, "") for row in rows for c in row)

        return blank(self.head().rows) and blank(self.rows)


def read_file(path: Path) -> bytes:
    """The file's bytes, read once, after the size checks."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SubmissionError(Msg("read.error.folder"), where=str(path))
    except FileNotFoundError:
        raise SubmissionError(Msg("read.error.not_found"), where=str(path)) from None
    except OSError as exc:
        raise SubmissionError(Msg("rest.read_cannot_read", reason=exc.strerror), where=str(path)) from None
    limit = max_bytes()
    if budgets.exceeded("CBCHECK_MAX_BYTES", size):
        raise budgets.refuse("CBCHECK_MAX_BYTES", Msg("rest.found_file_bytes", n=f"{size:,}"), str(path))
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise SubmissionError(Msg("rest.read_cannot_read", reason=exc.strerror), where=str(path)) from None
    budgets.check("CBCHECK_MAX_BYTES", len(data), Msg("rest.found_file_grew"), str(path))
    if not data or data.isspace():
        raise SubmissionError(Msg("read.error.empty_file"), where=str(path), hint=Msg("read.error.empty_file_hint"))
    return data


# --- what a file really is ------------------------------------------------------------------------

_MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"), (b"{\\rtf", "an RTF document"),
)


def sniff(data: bytes) -> str:
    """``zip``, ``ole``, ``text`` or a description of some other binary format."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return "text"


def describe_ole(data: bytes) -> str:
    """An OLE2 container: ``encrypted`` (a password-protected xlsx), ``xls`` (an old .xls / WPS .et),
    ``doc`` (Word), ``ole`` (something else) or ``damaged``. By the names in its directory; a
    container too damaged to list, by the names' bytes."""
    from cbcheck.reader.biff import BiffError, stream_names

    try:
        names = {n.lower() for n in stream_names(data)}
    except (BiffError, IndexError, ValueError):
        names = None
    if names is not None:
        return ("encrypted" if names & {"encryptioninfo", "encryptedpackage"} else
                "xls" if names & {"workbook", "book"} else "doc" if "worddocument" in names else "ole")
    if "EncryptionInfo".encode("utf-16-le") in data[:1 << 20] or "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    return "damaged"


_KIND_KEYS = {"a PDF document": "pdf", "a PNG image": "png", "a JPEG image": "jpeg", "a GIF image": "gif",
              "a 7-Zip archive": "7z", "a RAR archive": "rar", "a gzip archive": "gzip", "an RTF document": "rtf"}


def _kind_msg(kind: str) -> str:
    """What :func:`sniff` says a file is, in every language."""
    key = _KIND_KEYS.get(kind)
    return Msg(f"read.error.kind_{key}") if key else kind


def _refuse_ole(data: bytes, path: str) -> SubmissionError:
    kind = describe_ole(data)
    if kind == "encrypted":
        return SubmissionError(Msg("read.error.encrypted"), where=path, hint=Msg("read.error.encrypted_hint"))
    if kind == "xls":
        return SubmissionError(Msg("read.error.xls"), where=path, hint=Msg("read.error.save_as_xlsx"))
    if kind == "doc":
        return SubmissionError(Msg("read.error.word"), where=path, hint=Msg("read.error.word_hint"))
    return SubmissionError(Msg("read.error.office_unknown"), where=path, hint=Msg("read.error.save_xlsx"))


@contextlib.contextmanager
def open_grids(data: bytes, path: Path, *, sheet: str | None = None, encoding: str | None = None,
               delimiter: str | None = None) -> Iterator[tuple[list[Grid], list[str]]]:
    """Grids for every worksheet (or the CSV), and notes on how the file was read.

    Workbook rows are streamed while the context is open; the workbook is closed on exit.
    """
    suffix = path.suffix.lower()
    kind = sniff(data)
    where = str(path)
    if suffix in XLSX_SUFFIXES or suffix in {".xls", ".et"}:
        if kind == "zip":
            from cbcheck.reader.xlsxfile import open_xlsx_grids

            if suffix in {".xls", ".et"}:
                raise SubmissionError(Msg("read.error.xlsx_named", suffix=suffix), where=where,
                                      hint=Msg("read.error.rename_xlsx"))
            with open_xlsx_grids(data, path, sheet) as grids:
                yield grids, [ReadNote("option_ignored", "read.encoding_ignored", file=path.name,
                                       encoding=encoding)] if encoding else []
            return
        if kind == "ole":
            what = describe_ole(data)
            # a damaged container named .xls/.et is said to be a damaged workbook (xlsfile says why)
            if what != "xls" and not (what == "damaged" and suffix in {".xls", ".et"}):
                raise _refuse_ole(data, where)
            from cbcheck.reader.xlsfile import open_xls_grids

            # an old .xls or WPS .et, whatever its name says (an .xls renamed .xlsx is still read)
            with open_xls_grids(data, path, sheet) as grids:
                yield grids, [ReadNote("option_ignored", "read.encoding_ignored", file=path.name,
                                       encoding=encoding)] if encoding else []
            return
        if kind != "text":
            raise SubmissionError(Msg("read.error.not_workbook", what=_kind_msg(kind)), where=where,
                                  hint=Msg("read.error.give_xlsx_or_csv"))
        from cbcheck.reader.csvfile import text_kind

        what = text_kind(data)
        if what == "html":
            raise SubmissionError(Msg("read.error.html_named", suffix=suffix), where=where,
                                  hint=Msg("read.error.open_save_xlsx"))
        raise SubmissionError(Msg("read.error.text_named", suffix=suffix), where=where,
                              hint=Msg("read.error.name_csv"))
    if suffix in CSV_SUFFIXES:
        if kind == "zip":
            raise SubmissionError(Msg("read.error.xlsx_as_text", suffix=suffix), where=where,
                                  hint=Msg("read.error.rename_xlsx"))
        if kind == "ole":
            err = _refuse_ole(data, where)
            raise SubmissionError(Msg("read.error.not_text", what=err.message, suffix=suffix), where=where,
                                  hint=Msg("read.error.rename_xls") if describe_ole(data) == "xls" else err.hint)
        if kind != "text":
            raise SubmissionError(Msg("read.error.binary_as_text", what=_kind_msg(kind), suffix=suffix),
                                  where=where, hint=Msg("read.error.export_csv"))
        from cbcheck.reader.csvfile import read_csv_grid

        grid, notes = read_csv_grid(data, path, encoding,
                                    "\t" if suffix == ".tsv" and not delimiter else delimiter)
        del data        # the grid holds the bytes while a reader needs them (csvfile.CsvText.release)
        if sheet is not None:
            notes.append(ReadNote("option_ignored", "read.sheet_ignored", file=path.name, sheet=sheet))
        yield [grid], notes
        return
    if suffix in {".parquet", ".pq"}:                  # facility tables from monitoring platforms
        from cbcheck.reader.parquetfile import read_parquet_grid

        yield read_parquet_grid(data, path)
        return
    raise SubmissionError(Msg("read.error.unsupported", suffix=suffix) if suffix else Msg("read.error.no_suffix"),
                          where=where, hint=Msg("read.error.give_file"))


def read_grids(data: bytes, path: Path, **options: Any) -> tuple[list[Grid], list[str]]:
    """Like :func:`open_grids`, every row read: for tests and tools that want whole grids."""
    with open_grids(data, path, **options) as (grids, notes):
        for grid in grids:
            grid.rows  # noqa: B018  (reads the rest of the stream)
        return grids, notes
