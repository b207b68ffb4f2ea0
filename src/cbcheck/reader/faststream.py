"""A plain facility CSV parsed in small record batches, each batch written at once into compact
columns: the Arrow table of the whole file is never made.

:func:`cbcheck.reader.fastcsv.arrow_body` parsed the file into an Arrow table (one chunk a
column a parser block) and ``build_table`` then converted it: at 1M rows the table's chunks
(~90 MiB in Arrow's pool) and the converted columns were alive together, the peak of a check.
Here each batch (``BATCH_BYTES`` of the file, ~5k rows) is parsed, written into buffers that
grow with the rows and dropped: number columns as float64 (NaN for a blank; int64 with its
validity where pyarrow read integers, so a 合计 row's 1350 is still listed as 1350), text
columns as int32 codes into one dictionary (values in order of first appearance, as
``unify_dictionaries`` gives over the whole table's chunks), names as one string array. The
columns handed to ``build_table`` are Arrow arrays over those buffers, cell for cell the
whole-table read's, and a float64 one is seen by numpy without a copy.

pyarrow infers a column's type from the first batch; a later batch that does not fit (an integer
column with a decimal further down, a column blank in the first rows) starts the stream again
with the wider number type given (:func:`_widening`). Cells no number type reads (booleans,
dates, words below numbers, or taken for booleans or dates in the first batch) and a row blank
in every column read (the whole-table read tells blank rows from rows with values in columns
nobody reads, and looks for empty lines) end the stream: None, and the whole-table read does it
as before. ``CBCHECK_FASTCSV_STREAM=0`` turns this off (to
compare the two).
"""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from cbcheck.columnar import _valid, arrow_codes, arrow_strings, fill_floats, own_floats
from cbcheck.facility_listing import Grown
from cbcheck.errors import SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.reader import prefetch

BATCH_BYTES = 256 << 10     # ~5k rows of the benchmark: the parser's working set stays a few MiB
FROM_FILE_BYTES = 4 << 20   # from this size the bytes go and pyarrow reads the file (the tests lower it)


def enabled() -> bool:
    return os.environ.get("CBCHECK_FASTCSV_STREAM", "1").strip().lower() not in {"0", "no", "false", "off"}


class _Numbers:
    """A number column: float64, or int64 and its validity while every batch is integers."""

    def __init__(self, capacity: int, ints: bool) -> None:
        self.values = Grown(np.int64 if ints else np.float64, capacity)
        self.valid = Grown(bool, capacity) if ints else None

    def add(self, chunk: Any) -> bool:
        import pyarrow as pa

        k = len(chunk)
        if self.valid is not None:
            if not pa.types.is_int64(chunk.type):
                return False
            out, valid = self.values.room(k), self.valid.room(k)
            if chunk.null_count == k:
                out[:], valid[:] = 0, False
                return True
            out[:] = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=chunk.offset + k)[chunk.offset:]
            valid[:] = _validity(chunk)
            out[~valid] = 0
            return True
        if not (pa.types.is_float64(chunk.type) or pa.types.is_null(chunk.type)):
            return False
        return fill_floats(self.values.room(k), chunk)

    def array(self) -> Any:
        import pyarrow as pa

        values = self.values.done()
        if self.valid is None:
            return own_floats(values)
        valid = self.valid.done()
        bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
        return pa.Array.from_buffers(pa.int64(), len(values), [bitmap, pa.py_buffer(values)])


class _Codes:
    """A dictionary-encoded text column: codes into one dictionary of every batch's values."""

    def __init__(self, capacity: int) -> None:
        self.codes = Grown(np.int32, capacity)
        self.seen: dict[Any, int] = {}

    def add(self, chunk: Any) -> bool:
        words = chunk.dictionary.to_pylist()
        lut = np.array([self.seen.setdefault(w, len(self.seen)) for w in words] + [-1], dtype=np.int32)
        local = arrow_codes(chunk.indices)
        self.codes.room(len(chunk))[:] = lut[local]        # -1 (a blank) is the lut's last entry
        return True

    def array(self) -> Any:
        import pyarrow as pa

        codes = self.codes.done()
        valid = codes >= 0
        bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
        indices = pa.Array.from_buffers(pa.int32(), len(codes), [bitmap, pa.py_buffer(codes)])
        return pa.DictionaryArray.from_arrays(indices, arrow_strings(list(self.seen)), safe=False)


class _Strings:
    """A string column (names, a number column holding text): offsets and bytes."""

    def __init__(self, capacity: int, data_bytes: int) -> None:
        self.offsets = Grown(np.int32, capacity + 1)
        self.offsets.room(1)[:] = 0
        self.bytes = Grown(np.uint8, data_bytes)
        self.valid = Grown(bool, capacity)

    def add(self, chunk: Any) -> bool:
        import pyarrow as pa

        if not pa.types.is_string(chunk.type):
            return False
        k = len(chunk)
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=chunk.offset + k + 1)[chunk.offset:]
        start, stop = int(offsets[0]), int(offsets[-1])
        base = int(self.offsets.data[self.offsets.n - 1])
        if base + stop - start >= 2 ** 31:
            return False                        # beyond int32 offsets: the whole-table read
        self.offsets.room(k)[:] = offsets[1:] - start + base
        if stop > start:
            self.bytes.room(stop - start)[:] = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)[start:stop]
        self.valid.room(k)[:] = _validity(chunk)
        return True

    def array(self) -> Any:
        import pyarrow as pa

        valid = self.valid.done()
        bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
        return pa.Array.from_buffers(pa.string(), len(valid), [bitmap, pa.py_buffer(self.offsets.done()),
                                                               pa.py_buffer(self.bytes.done())])


def read(data: bytes, skip: int, first_row: int, width: int, delimiter: str, used: list[int],
         types: dict[str, Any], sink: Any = None) -> Any:
    """(row numbers, Arrow column by source index) of the columns ``used`` parsed from ``data``,
    or None (module docstring) for the whole-table read; with ``sink``, what it gives
    (:func:`_parsed`)."""
    import pyarrow as pa

    if not enabled():
        return None
    buf = pa.py_buffer(data)
    return _widening(lambda: pa.BufferReader(buf), data.count(b"\n") + 2, len(data), skip, first_row, width,
                     delimiter, used, types, sink)


def read_grid(grid: Any, skip: int, first_row: int, width: int, delimiter: str, used: list[int],
              types: dict[str, Any], sink: Any = None, seen: dict[str, int] | None = None) -> Any:
    """:func:`read` of a CSV grid's bytes; a file from ``FROM_FILE_BYTES`` is parsed from the file
    instead, its bytes let go first (46 MiB of the 1M-row benchmark's peak). What pyarrow reads
    passes a tap that checks it is the bytes read before (CRC-32 and length): a file changed in
    between is refused, not judged in part. When the stream leaves the file to the whole-table
    read, the bytes are read again (and checked the same way) for it. ``seen`` is given the
    CRC-32 and length of the bytes (``crc``, ``size``), for a later read to check them."""
    text = grid.csv_text
    data = text.raw
    if not enabled() or data is None:
        return None
    path = Path(grid.path)
    try:
        from_file = len(data) >= FROM_FILE_BYTES and path.is_file() and path.stat().st_size == len(data)
    except OSError:
        from_file = False
    if not from_file:
        if seen is not None:
            seen.update(crc=zlib.crc32(data), size=len(data))
        return read(data, skip, first_row, width, delimiter, used, types, sink)
    import pyarrow as pa

    # the rows' bound from the head's UTF-8 pass where it counted the line ends (a CR LF file counts
    # each twice: a bound still), else a pass of its own
    ends = getattr(text, "line_ends", None)
    lines, size, crc = (data.count(b"\n") if ends is None else ends) + 2, len(data), zlib.crc32(data)
    if seen is not None:
        seen.update(crc=crc, size=size)
    text.release()
    del data
    taps: list[_Tap] = []

    def source() -> Any:
        if taps:
            taps[-1].close()
        taps.append(_Tap(path))
        return pa.PythonFile(taps[-1], mode="r")

    try:
        got = _widening(source, lines, size, skip, first_row, width, delimiter, used, types, sink)
        taps[-1].finish()
    except OSError:
        got = None
    finally:
        for tap in taps:
            tap.close()
    if got is not None and (taps[-1].crc, taps[-1].size) == (crc, size):
        return got
    try:
        again = path.read_bytes()
    except OSError:
        again = b""
    if (zlib.crc32(again), len(again)) != (crc, size):
        raise SubmissionError(Msg("rest.read_file_changed"), where=str(path), hint=Msg("rest.read_file_changed_hint"))
    text.raw = again
    return None


class _Tap:
    """The file as pyarrow reads it, with the CRC-32 and length of what was read."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "rb")     # noqa: SIM115 (closed by close(), after the stream)
        self.crc, self.size, self.closed = 0, 0, False

    def read(self, n: int = -1) -> bytes:
        got = self.file.read(n)
        self.crc, self.size = zlib.crc32(got, self.crc), self.size + len(got)
        return got

    def finish(self) -> None:
        while self.read(1 << 20):
            pass

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.file.close()
        self.closed = True


# what pyarrow says when a batch does not fit the type it inferred from the first (or was given)
_WIDER = re.compile(r"In CSV column #(\d+): CSV conversion error to (null|int64): invalid value '(.*)'$", re.S)


def _widening(source: Any, lines: int, size: int, skip: int, first_row: int, width: int, delimiter: str,
              used: list[int], types: dict[str, Any], sink: Any = None) -> Any:
    """:func:`_parsed`, again from the start with a number column's type given when a later batch
    did not fit the type pyarrow inferred from the first (a column blank in the first rows of a
    table sorted by type, integers then a decimal): the next type read_csv's inference would try
    that reads numbers (null → int64 → float64; int64 skipped for a value that is no integer), at
    most twice a column. Booleans, dates and text in a number column fail float64 too: the
    whole-table read, whose inference reaches them. ``sink``: what each start hands its batches
    to (:func:`_parsed`); a start again starts a fresh one."""
    import pyarrow as pa

    types = dict(types)
    widened: dict[str, int] = {}
    while True:
        got = _parsed(source(), lines, size, skip, first_row, width, delimiter, used, types, sink)
        if got is None or not (isinstance(got, tuple) and isinstance(got[0], str)):
            return got
        name, value = str(got[0]), str(got[1])
        if name in types and not (pa.types.is_int64(types[name]) or pa.types.is_null(types[name])):
            return None
        widened[name] = widened.get(name, 0) + 1
        if widened[name] > 2:
            return None
        was_int = pa.types.is_int64(types.get(name, pa.null()))
        types[name] = pa.int64() if re.fullmatch(r"\s*[+-]?\d+\s*", value) and not was_int else pa.float64()


def columns_for(schema: Any, names: list[str], capacity: int, size: int) -> dict[str, Any] | None:
    """A buffer per column read, by the type the stream gives it; None for a type no number
    parser reads as written (booleans, dates: read again as text by the whole-table read)."""
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for name in names:
        t = schema.field(name).type
        if pa.types.is_dictionary(t):
            columns[name] = _Codes(capacity)
        elif pa.types.is_string(t):
            columns[name] = _Strings(capacity, size)
        elif pa.types.is_int64(t) or pa.types.is_float64(t) or pa.types.is_null(t):
            columns[name] = _Numbers(capacity, ints=pa.types.is_int64(t))
        else:
            return None
    return columns


class _Whole:
    """The whole file's columns, batch after batch (what :func:`read` gives)."""

    def __init__(self, schema: Any, names: list[str], lines: int, size: int, first_row: int) -> None:
        self.columns = columns_for(schema, names, lines, size)
        self.first_row, self.rows = first_row, 0

    def add(self, batch: Any) -> bool:
        assert self.columns is not None
        for i, name in enumerate(batch.schema.names):
            if not self.columns[name].add(batch.column(i)):
                return False
        self.rows += batch.num_rows
        return True

    def result(self) -> tuple[Any, dict[str, Any]]:
        assert self.columns is not None
        return (np.arange(self.first_row, self.first_row + self.rows, dtype="int64"),
                {name: column.array() for name, column in self.columns.items()})


def _parsed(source: Any, lines: int, size: int, skip: int, first_row: int, width: int, delimiter: str,
            used: list[int], types: dict[str, Any], sink: Any = None) -> Any:
    """The columns, None for the whole-table read, or (column, value) for a column that did not
    fit its type (:func:`_widening`). ``sink(schema, names, lines, size)`` (None: the whole file's columns)
    makes what takes each batch: ``columns`` (None: a type not read here), ``add(batch)`` (False:
    the whole-table read) and ``result()``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(c) for c in used]
    taker: Any = None
    try:
        stream = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(skip_rows=skip, block_size=BATCH_BYTES,
                                           column_names=[str(c) for c in range(width)]),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(include_columns=names, column_types=types,
                                                 null_values=[""], strings_can_be_null=True),
            # malloc, not mimalloc: nothing of a batch outlives it (the columns are numpy buffers), and
            # the pages a batch frees serve the next one (1M: -5 MiB, 5M: -22 MiB at the same CPU)
            memory_pool=pa.system_memory_pool())
        taker = _Whole(stream.schema, names, lines, size, first_row) if sink is None else \
            sink(stream.schema, names, lines, size)
        if taker.columns is None or not names:
            return None         # booleans, dates: read again as text by the whole-table read
        # the parser a few batches ahead in its own thread pays where each batch is judged as it comes;
        # before a whole-table read it only costs (1M: +6 MiB, no wall gained)
        for batch in (stream if sink is None else prefetch.batches(stream)):
            if batch.num_rows and _has_blank_row(batch):
                return None
            if not taker.add(batch):
                return None
    except pa.ArrowInvalid as exc:
        wider = _WIDER.match(str(exc))
        if wider is not None and int(wider.group(1)) in used:
            return str(wider.group(1)), wider.group(3)
        return None      # a ragged row, an invalid UTF-8 byte...: the whole-table read
    except (pa.ArrowException, OSError, ValueError):
        return None
    return taker.result()


def _has_blank_row(batch: Any) -> bool:
    """A row null in every column read (a column without a null in the batch rules it out)."""
    from cbcheck.columnar import arrow_bools, arrow_call

    if any(batch.column(i).null_count == 0 for i in range(batch.num_columns)):
        return False
    blank = arrow_bools(arrow_call("is_null", batch.column(0)))
    for i in range(1, batch.num_columns):
        blank &= arrow_bools(arrow_call("is_null", batch.column(i)))
    return bool(blank.any())



def _validity(chunk: Any) -> Any:
    valid = _valid(chunk)
    return True if valid is None else valid
