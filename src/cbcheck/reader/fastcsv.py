"""A plain facility CSV read by pyarrow straight from the file, as Arrow columns.

The general CSV path (:func:`cbcheck.reader.facility_body._csv_body`) parses the decoded text:
the file is decoded to a Python string, encoded again for pyarrow (or parsed by pandas) and
every text column factorized. For the layout most exports have — UTF-8 (with or without a
byte-order mark), no quote characters, no NUL padding — pyarrow can parse the
file's bytes as read (no decoded copy of them), skip the rows above the header, and give the text
columns dictionary-encoded (each distinct word once, the rows as integer codes), which
:func:`cbcheck.reader.facility.build_table` converts once per distinct value.

Cells are the cells the general path reads: the same rows (numbered as there: the ``sep=`` line
does not count), numbers inferred by the same pyarrow conversion, and a number column holding
anything else comes back as its text and goes through the same number parser, so an unreadable
cell is reported at the same cell with the same words. Only the columns the table's plan reads
(name, type, attributes, indicators) are converted; the others are read only when a row is
empty in all of those, to tell a blank row (dropped) from a row with a value in a column
nobody reads (kept, as the general path keeps it).

Anything else returns None and the general path reads the file: quotes (line breaks inside
fields, escaped delimiters), an empty line (LF or CRLF; the general path then parses with
pandas' C engine, which reads some cells differently: ``true`` in a number column as 1), NUL
padding at the end, other encodings or ``--encoding``, a ragged row, or ``CBCHECK_FASTCSV=0``
(for comparing the two paths).
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any

from cbcheck.columnar import arrow_bools, arrow_call, arrow_codes, arrow_floats, by_codes, factorize
from cbcheck.readnote import ReadNote
from cbcheck.reader import faststream
from cbcheck.reader.grid import Grid

if TYPE_CHECKING:
    from cbcheck.reader.facility import ColumnPlan

# How csvfile.decode names the encodings this path reads (pyarrow reads UTF-8 and skips its mark).
UTF8_READS = frozenset({"utf-8", "utf-8-sig (byte-order mark)"})
_SEP_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?sep=.\s*?\r?(?:\n|$)")


def enabled() -> bool:
    return os.environ.get("CBCHECK_FASTCSV", "1").strip().lower() not in {"0", "no", "false", "off"}


def _plain(data: Any) -> bool:
    """No quote character anywhere (one memchr-speed scan) and no NUL padding at the end (which
    the general path strips from its text). Blank lines are kept by pyarrow as rows of nulls
    (ignore_empty_lines=False), so rows stay numbered as written, and dropped as blank rows;
    bare CRs end lines for pyarrow as for the csv module."""
    return data.find(b'"') < 0 and data[-1:] != b"\x00"


BLOCK_BYTES = 1 << 20       # pyarrow's default; the tests lower it to read small files in many blocks
STREAMS = 2                 # pieces of a large file parsed side by side (this machine has two cores)
SPLIT_BYTES = 4 << 20       # from this size; the tests lower it to cut small files


def arrow_body(grid: Grid, r0: int, width: int, plan: ColumnPlan) -> tuple[Any, dict[str, Any]] | None:
    """(source row numbers, Arrow columns by source index) below the header at ``r0``, or None
    when the file's layout is not plain (see the module docstring). pyarrow parses the bytes the
    file was read as (reader/grid.read_file): not the file again, which might have changed."""
    layout = plain_layout(grid, r0)
    if layout is None:
        return None
    skip, first_row, delimiter = layout
    streamed = faststream.read_grid(grid, skip, first_row, width, delimiter, *_wanted(plan, width))
    if streamed is not None:
        grid.csv_text.release()
        grid.notes.append(ReadNote("layout", "read.fastcsv", sheet=grid.name, n=f"{len(streamed[0]):,}",
                                   k=len(streamed[1]), width=width))
        return streamed
    data = grid.csv_text.raw
    assert data is not None
    body = _read(data, skip, first_row, width, delimiter, plan, stream=False)
    if body is not None and body[2] and _has_empty_line(data):
        return None     # the general path reads a file with empty lines by pandas' C engine: its reading
    if body is not None:
        grid.csv_text.release()     # the table is read: its ~50 MiB a million rows can go before build_table
        grid.notes.append(ReadNote("layout", "read.fastcsv", sheet=grid.name, n=f"{len(body[0]):,}",
                                   k=len(body[1]), width=width))
    return None if body is None else (body[0], body[1])


def plain_layout(grid: Grid, r0: int) -> tuple[int, int, str] | None:
    """(rows to skip, the first body row's number, delimiter) of a CSV whose body is read from its
    bytes as they are (the module docstring), the header at ``r0``; None for the general path."""
    if not enabled() or grid.csv_delimiter is None or grid.csv_encoding not in UTF8_READS:
        return None
    delimiter, data = grid.csv_delimiter, grid.csv_text.raw
    raw_delim = delimiter.encode("utf-8")
    if len(raw_delim) != 1 or raw_delim in b"\r\n" or not data or not _plain(data):
        return None
    sep_line = _SEP_LINE.match(data) is not None and not grid.csv_text.head.startswith("sep=")
    return r0 + 1 + sep_line, r0 + 2, delimiter


def _has_empty_line(data: bytes) -> bool:
    """An empty line (LF or CRLF): looked for only when there are blank rows."""
    return data[:1] in (b"\n", b"\r") or data.find(b"\n\n") >= 0 or data.find(b"\n\r\n") >= 0


def arrow_text_body(text: str, r0: int, width: int, delimiter: str,
                    plan: ColumnPlan) -> tuple[Any, dict[str, Any]] | None:
    """The general path's reading of decoded text without quotes or blank lines (any encoding,
    ``--encoding`` given...): the same Arrow columns from the text encoded as UTF-8."""
    body = _read(text.encode("utf-8"), r0 + 1, r0 + 2, width, delimiter, plan)
    return None if body is None else (body[0], body[1])


def _wanted(plan: ColumnPlan, width: int) -> tuple[list[int], dict[str, Any]]:
    """The columns the plan reads, and the types they are read as: text columns dictionary-encoded,
    names as strings, numbers as pyarrow infers them."""
    import pyarrow as pa

    used = sorted({c for c in (plan.name_col, plan.type_col, *plan.columns) if c is not None and c < width})
    text_cols = {plan.type_col, *(c for c, (_, kind, _) in plan.columns.items() if kind != "number")}
    types: dict[str, Any] = {str(c): pa.dictionary(pa.int32(), pa.string()) for c in used if c in text_cols}
    if plan.name_col is not None:
        types[str(plan.name_col)] = pa.string()
    return used, types


def _read(data: bytes, skip: int, first_row: int, width: int, delimiter: str,
          plan: ColumnPlan, stream: bool = True) -> tuple[Any, dict[str, Any], bool] | None:
    """Only the plan's columns are converted. Empty lines and lines of bare delimiters come back
    as rows of nulls (ignore_empty_lines=False keeps the numbering); a row null in every column
    read may still hold a value in a column nobody reads (kept by the general path), so only
    then is the file read again with every column, to tell blank rows from those."""
    import numpy as np
    import pyarrow as pa
    import pyarrow._compute as pac
    import pyarrow.csv as pacsv

    used, types = _wanted(plan, width)
    streamed = faststream.read(data, skip, first_row, width, delimiter, used, types) if stream else None
    if streamed is not None:
        return streamed[0], streamed[1], False
    buf, cuts = pa.py_buffer(data), _cuts(data)

    def read(include: list[str] | None, column_types: dict[str, Any]) -> Any:
        def options(first: bool) -> dict[str, Any]:
            return {"read_options": pacsv.ReadOptions(skip_rows=skip if first else 0, block_size=BLOCK_BYTES,
                                                      column_names=[str(c) for c in range(width)]),
                    "parse_options": pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
                    "convert_options": pacsv.ConvertOptions(include_columns=include, column_types=column_types,
                                                            null_values=[""], strings_can_be_null=True)}
        try:
            return _streamed(buf, cuts, options)
        except pa.ArrowException:       # a block that does not fit the types streamed: read_csv widens them
            return pacsv.read_csv(pa.BufferReader(buf), **options(True))

    def all_null(table: Any) -> Any:
        if table.num_columns == 0:
            return None
        mask = arrow_call("is_null", table.column(0))
        for c in range(1, table.num_columns):
            mask = arrow_call("and", mask, arrow_call("is_null", table.column(c)))
        return mask

    try:
        table = read([str(c) for c in used], types)
        # a number column pyarrow took for booleans or dates ("true", "2023-09-30"): read again
        # as the text written, which the number parser then judges cell by cell
        odd = [str(c) for c in used if str(c) not in types and not _number_or_text(table.column(str(c)).type)]
        if odd:
            again = read(odd, {name: pa.string() for name in odd})
            for name in odd:
                table = table.set_column(table.schema.get_field_index(name), name, again.column(name))
        blank = all_null(table)
        if blank is not None and table.num_rows and arrow_call("any", blank).as_py() and len(used) < width:
            blank = all_null(read(None, {**types, **{name: pa.string() for name in odd}}))
    except (pa.ArrowException, OSError, ValueError):
        return None           # a ragged row, an invalid UTF-8 byte...: the general path reads it and says why
    rows = np.arange(first_row, first_row + table.num_rows, dtype="int64")
    blanks = blank is not None and table.num_rows > 0 and bool(arrow_call("any", blank).as_py())
    if blanks:
        keep = arrow_call("invert", blank)
        table = arrow_call("filter", table, keep, options=pac.FilterOptions("drop"))
        rows = rows[arrow_bools(keep)]
    return rows, {str(c): table.column(str(c)) for c in used}, blanks


def _cuts(data: bytes) -> list[int]:
    """Where the bytes are cut into ``STREAMS`` pieces of whole lines: just past an LF (quotes do
    not reach this path, so an LF ends a line) that another line follows, not an empty line (a
    stream may read an empty first line otherwise than one inside). One piece for a small file."""
    if len(data) < max(SPLIT_BYTES, 1):
        return [0, len(data)]
    cuts = [0]
    for i in range(1, STREAMS):
        at = data.find(b"\n", len(data) * i // STREAMS) + 1
        if at <= cuts[-1] or data[at:at + 1] in (b"", b"\n", b"\r"):
            return [0, len(data)]
        cuts.append(at)
    return [*cuts, len(data)]


def _streamed(buf: Any, cuts: list[int], options: Any) -> Any:
    """The pieces of the bytes parsed side by side, each batch by batch, and joined. read_csv
    holds the parser's blocks and the converted chunks of the whole file at once (+200 MiB at its
    peak for the 46 MiB of the 1M-row benchmark, +100 MiB this way, in the same time on 2 cores).
    A stream infers each number column's type from its first block and fails on a later block
    that does not fit it, and pieces that inferred different types cannot be joined: an
    ArrowException, for which the caller reads the whole file by read_csv, which widens the type
    (int64 to float64 or text) and converts every block again. Streams that succeed have
    read_csv's types: the first type in the inference order that every block fits, which is the
    first block's type when every block fits it."""
    import functools

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from cbcheck.reader.sidebyside import side_by_side

    def part(i: int) -> Any:
        piece = pa.BufferReader(buf.slice(cuts[i], cuts[i + 1] - cuts[i]))
        stream = pacsv.open_csv(piece, **options(i == 0))
        return pa.Table.from_batches(list(stream), schema=stream.schema)

    parts = side_by_side([functools.partial(part, i) for i in range(len(cuts) - 1)])
    return parts[0] if len(parts) == 1 else pa.concat_tables(parts)


def release_unused() -> None:
    """The pages of Arrow columns already converted (build_table), back to the system: pyarrow's
    allocator (mimalloc) keeps freed pages, which numpy's allocations (malloc) for the rules
    cannot reuse; 30-40 MiB of a 1M-row check's peak, and fewer page faults. Nothing to do when
    pyarrow was not imported (a county file, an xlsx read by openpyxl)."""
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pa.default_memory_pool().release_unused()


def is_arrow(raw: Any) -> bool:
    """Whether a raw column is an Arrow column (this module's, or a Parquet file's)."""
    return type(raw).__module__.startswith("pyarrow")


def factorized(raw: Any) -> tuple[Any, list[Any]]:
    """(codes, distinct values) of a raw column, code -1 for a blank: Arrow columns are
    dictionary-encoded once (free when pyarrow read them so), numpy ones factorized as pandas does
    (:func:`cbcheck.columnar.factorize`)."""
    if not is_arrow(raw):
        return factorize(raw)         # an xlsx body: no pyarrow (~60 ms to import it and its compute)
    import numpy as np
    import pyarrow as pa

    if len(raw) == 0:
        return np.zeros(0, dtype=np.intp), []
    if not pa.types.is_dictionary(raw.type):
        raw = arrow_call("dictionary_encode", raw)
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.unify_dictionaries().combine_chunks()
    return arrow_codes(raw.indices), raw.dictionary.to_pylist()


def by_unique(raw: Any, convert: Any) -> Any:
    """``convert`` once per distinct value, blanks to None, as an object array on the rows; ``raw``
    an Arrow column (this module's, Parquet's) or a numpy array (an xlsx body)."""
    return by_codes(*factorized(raw), convert)


def numeric(raw: Any) -> Any:
    """A float64 array (NaN for blanks) when an Arrow column holds only numbers or blanks, else None."""
    import pyarrow as pa

    t = raw.type
    if pa.types.is_null(t) or pa.types.is_integer(t) or pa.types.is_floating(t):
        return arrow_floats(raw)
    return None


def _number_or_text(t: Any) -> bool:
    import pyarrow as pa

    return (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t) or pa.types.is_string(t)
            or pa.types.is_large_string(t))
