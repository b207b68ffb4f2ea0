"""How low can a facility CSV check's memory go when the file is judged in record batches? A probe
for the design in README.md ("Memory ≤ 3× the file"), not a cbcheck path.

    python benchmarks/probe_batches.py benchmarks/_data/facilities-1000000.csv stream [ROWS_PER_BATCH]
    python benchmarks/probe_batches.py benchmarks/_data/facilities-1000000.csv whole

``stream``: the file is never held. A tap (a Python file object) hands pyarrow the bytes in the
pieces it asks for and, on the way, feeds the sha256, the strict UTF-8 decoder and the CR/LF
count; ``pyarrow.csv.open_csv`` parses batches (~ROWS_PER_BATCH rows: the block size is the
file's bytes per row times that); each batch's columns cross to numpy, the type column's
dictionary is mapped onto one list of types, and one rule (B-CLINKER: 水泥熟料生产线 at most
110) is judged batch by batch, keeping only its breaches (row, name, value) and counting the rest.
``whole``: the bytes read, the file parsed at once (``read_csv``), the same rule on the whole
columns: the shape of today's path. Prints the breach count (55,674 at 1M rows, as cbcheck
reports), the CPU time and the peak RSS (``ru_maxrss``). ``PROBE_THREADS=0``: pyarrow parses
in the calling thread; ``PROBE_TRACE=1``: the peak RSS after each batch (on stderr).

What it showed (1M rows, 46 MiB; README.md, "Facility CSV in batches"): the streamed read's RSS
grows with pyarrow's block size, not with the file (93 MiB at 4k rows a batch, 114 MiB at 16k,
162 MiB at 64k, while Arrow's pool never holds more than 1-14 MiB), so the batches of the design
should be ~8k rows, not 64k; the whole read of the same three columns peaks at ~250 MiB."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import resource
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

TYPE, VALUE, NAME = "1", "7", "0"        # 设施类型, 可比熟料综合能耗, 设施名称 (column positions)
BOUND = 110 + 1e-9 * (1 + 110)           # at_most's comparison, as the kinds write it


class Tap(io.RawIOBase):
    """The file, read once in the pieces pyarrow asks for, hashed, UTF-8-checked and counted."""

    def __init__(self, path: str) -> None:
        self.fh = open(path, "rb", buffering=0)
        self.sha = hashlib.sha256()
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.line_ends = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self.fh.readinto(buffer)
        if n:
            view = memoryview(buffer)[:n]
            self.sha.update(view)
            for at in range(0, n, 64 * 1024):       # small pieces: no transient of the block's size
                piece = view[at:at + 64 * 1024]
                self.utf8.decode(piece)
                octets = np.frombuffer(piece, dtype=np.uint8)
                self.line_ends += int(np.count_nonzero((octets == 10) | (octets == 13)))
        return n or 0


def _floats(chunk: pa.Array) -> np.ndarray:
    """By the buffers (pyarrow's own conversions import pandas: +60 MiB, not what is measured)."""
    if pa.types.is_null(chunk.type) or chunk.null_count == len(chunk):
        return np.full(len(chunk), np.nan)
    dtype = np.int64 if pa.types.is_int64(chunk.type) else np.float64
    out = np.frombuffer(chunk.buffers()[1], dtype=dtype, count=chunk.offset + len(chunk))[chunk.offset:]
    out = out.astype(np.float64)
    if chunk.null_count:
        bits = np.unpackbits(np.frombuffer(chunk.buffers()[0], dtype=np.uint8), count=chunk.offset + len(chunk),
                             bitorder="little")[chunk.offset:].astype(bool)
        out[~bits] = np.nan
    return out


def main() -> None:
    path, mode = sys.argv[1], sys.argv[2]
    rows_per_batch = int(sys.argv[3]) if len(sys.argv) > 3 else 65536
    t0 = time.process_time()
    width = 10
    names = [str(c) for c in range(width)]
    convert = pacsv.ConvertOptions(include_columns=[NAME, TYPE, VALUE], null_values=[""], strings_can_be_null=True,
                                   column_types={TYPE: pa.dictionary(pa.int32(), pa.string()), NAME: pa.string()})
    parse = pacsv.ParseOptions(delimiter=",", ignore_empty_lines=False)
    types: dict[str, int] = {}
    breach_rows, breach_names, breach_values = [], [], []
    judged = 0
    row0 = 2
    if mode == "stream":
        with open(path, "rb") as fh:     # bytes a row, for the block size (a probe may read the file twice)
            per_row = max(1, os.path.getsize(path) // max(1, sum(1 for _ in fh) - 1))
        tap = Tap(path)
        threads = os.environ.get("PROBE_THREADS", "1") == "1"
        reader = pacsv.open_csv(tap, read_options=pacsv.ReadOptions(skip_rows=1, column_names=names,
                                                                    block_size=per_row * rows_per_batch,
                                                                    use_threads=threads),
                                parse_options=parse, convert_options=convert)
        batches = iter(reader)
    else:
        data = open(path, "rb").read()
        hashlib.sha256(data).hexdigest()
        str(data, "utf-8")
        table = pacsv.read_csv(pa.py_buffer(data), read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
                               parse_options=parse, convert_options=convert)
        del data
        batches = iter(table.to_batches())
    for batch in batches:
        n = batch.num_rows
        tcol = batch.column(batch.schema.get_field_index(TYPE))
        # this batch's dictionary mapped onto the one list of types, once per distinct word
        lut = np.array([types.setdefault(w, len(types)) for w in tcol.dictionary.to_pylist()] + [-1], dtype=np.int32)
        ind = tcol.indices
        idx = np.frombuffer(ind.buffers()[1], dtype=np.int32, count=ind.offset + len(ind))[ind.offset:].copy()
        if ind.null_count:
            bits = np.unpackbits(np.frombuffer(ind.buffers()[0], dtype=np.uint8), count=ind.offset + len(ind),
                                 bitorder="little")[ind.offset:].astype(bool)
            idx[~bits] = -1
        codes = lut[idx]
        values = _floats(batch.column(batch.schema.get_field_index(VALUE)))
        of_type = codes == types.get("水泥熟料生产线", -2)
        judged += int(of_type.sum())
        breach = np.flatnonzero(of_type & (values > BOUND))
        breach_rows.append(breach + row0)
        breach_values.append(values[breach])
        breach_names.append(batch.column(batch.schema.get_field_index(NAME)).take(pa.Array.from_buffers(
            pa.int64(), len(breach), [None, pa.py_buffer(breach.astype(np.int64))])))
        row0 += n
        if os.environ.get("PROBE_TRACE"):
            print(row0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)
    if mode == "stream":
        tap.utf8.decode(b"", final=True)
        tap.sha.hexdigest()
    rows = np.concatenate(breach_rows)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    assert "pandas" not in sys.modules
    print(f"{mode}: {len(rows):,} breaches of {judged:,} judged, {row0 - 2:,} rows; "
          f"CPU {time.process_time() - t0:.3f} s; peak RSS {usage.ru_maxrss / 1024:.0f} MiB; "
          f"Arrow pool peak {pa.default_memory_pool().max_memory() / 2 ** 20:.0f} MiB "
          f"({pa.default_memory_pool().backend_name})")


if __name__ == "__main__":
    main()
