"""Column operations the facility reader and rules need, on numpy and Arrow arrays without pandas.

Importing pandas costs a facility check ~0.25 s (a quarter of a million-row CSV check), and
the rules use three of its operations: factorize, isna and to_numeric. They are here with
pandas' readings, which the results were computed with until now (tests/test_columnar.py holds
each to pandas on generated columns):

- :func:`factorize`: distinct values by Python equality (``1``, ``1.0`` and ``True`` are one value,
  the first seen stands for it), None and NaN blank (code -1);
- :func:`blank`: None and NaN;
- :func:`to_numbers`: ``pd.to_numeric(errors="coerce")`` as float64, for the columns it can read
  with certainty: numbers, blanks, plain decimal texts, texts that cannot be numbers; None for
  the rest (``inf``, a yes/no, a text with spaces round it), which pandas then reads.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from typing import Any

import numpy as np

# A text pandas reads as a float (a point or an exponent), and one it reads as a whole number.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][+-]?\d+)?")
_WHOLE = re.compile(r"[+-]?\d+")
# Only characters pandas' number parser may accept (inf, nan, infinity, spaces, NUL ending a C
# string): such a text may be a number for pandas; any other character makes it not a number.
_MAYBE = re.compile(r"[0-9.+\-eEinfatyINFATY \t\n\v\f\r\x00]*")
_NOT_NUMBERS = (dt.date, dt.time, dt.timedelta)      # datetime is a date
_EXACT = 2 ** 53


def is_arrow(values: Any) -> bool:
    return type(values).__module__.startswith("pyarrow")


def blank(values: np.ndarray) -> np.ndarray:
    """Which cells are blank: NaN in a float array, None or NaN in an object array."""
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind != "O":
        return np.zeros(len(values), dtype=bool)
    # element-wise in numpy's object loops: None, and NaN (the one value unequal to itself)
    return (values == None) | (values != values)  # noqa: E711


def factorize(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """(codes, distinct values) of a numpy column, code -1 for a blank, as ``pandas.factorize``
    gives them: the distinct values in order of first appearance, equal values (by ``==``: ``0.0``
    and ``-0.0``, ``1`` and ``True``) one value represented by the first seen."""
    if values.dtype.kind in "fiub":
        keep = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(len(values), dtype=bool)
        distinct, first, inverse = np.unique(values[keep], return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")          # by first appearance
        rank = np.empty(len(order), dtype=np.intp)
        rank[order] = np.arange(len(order))
        codes = np.full(len(values), -1, dtype=np.intp)
        codes[keep] = rank[inverse.reshape(-1)]
        kept = values[keep]
        return codes, kept[first[order]].tolist()
    items = values.tolist()
    uniques = list(dict.fromkeys(items))        # first seen first; equal values (1, 1.0, True) once
    lookup = {v: i for i, v in enumerate(uniques)}
    raw = np.fromiter(map(lookup.__getitem__, items), dtype=np.intp, count=len(items))
    is_blank = [v is None or (isinstance(v, float) and v != v) for v in uniques]
    if not any(is_blank):
        return raw, uniques
    renumber = np.cumsum([not b for b in is_blank]) - 1
    renumber[np.array(is_blank)] = -1
    return renumber[raw] if len(raw) else raw, [v for v, b in zip(uniques, is_blank, strict=True) if not b]


def by_codes(codes: np.ndarray, uniques: list[Any], convert: Any) -> np.ndarray:
    """``convert`` applied once per distinct value of a factorized column, blanks (code -1) to None,
    as an object array on the rows."""
    return converted(uniques, convert)[codes]


def converted(uniques: list[Any], convert: Any) -> np.ndarray:
    """``convert`` of each distinct value, and None last: the value of code -1 (a blank cell)."""
    mapped = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        mapped[i] = convert(value)
    mapped[-1] = None
    return mapped


def recoded(mapped: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """(codes, distinct values) of ``mapped[codes]`` — values converted once per distinct raw value,
    ``mapped[-1]`` standing for code -1 — from the codes, without looking at a million cells."""
    inner, uniques = factorize(mapped)
    if len(inner) and (inner[:-1] == np.arange(len(inner) - 1)).all() and inner[-1] == -1:
        return codes, uniques              # distinct words, none blank: the codes stand as they are
    return inner[codes], uniques


def to_numbers(values: np.ndarray) -> np.ndarray | None:
    """``pd.to_numeric(values, errors="coerce").astype("float64")`` where that reading is certain,
    else None (see the module)."""
    if values.dtype.kind in "fiub":
        return values.astype("float64")
    items = values.tolist()
    kinds = set(map(type, items))
    if kinds <= {float, int, type(None)}:
        out = np.array(items, dtype="float64")
        if int not in kinds or not (np.abs(out[~np.isnan(out)]) >= _EXACT).any():
            return out
    out = np.empty(len(items), dtype="float64")
    texts: dict[str, float | None] = {}
    for i, v in enumerate(items):
        t = type(v)
        if t is float:
            out[i] = v
        elif v is None:
            out[i] = np.nan
        elif t is int:
            if not -_EXACT < v < _EXACT:
                return None
            out[i] = v
        elif t is str:
            if v in texts:
                got = texts[v]
            else:
                got = texts[v] = _text_number(v)
            if got is None:
                return None
            out[i] = got
        elif issubclass(t, _NOT_NUMBERS) and t.__module__ == "datetime":
            out[i] = np.nan
        else:
            return None           # a yes/no, a number type of another library: pandas reads it
    return out


def _text_number(s: str) -> float | None:
    if not s:
        return np.nan
    if _DECIMAL.fullmatch(s):
        significant = s.split("e")[0].split("E")[0].lstrip("+-").replace(".", "").lstrip("0")
        return float(s) if len(significant) <= 17 else None
    if _WHOLE.fullmatch(s):
        digits = s.lstrip("+-")
        if len(digits) > 15 or (s.startswith("-") and not digits.strip("0")):
            return None           # beyond int64 / float precision, or -0 (0 or -0.0 by the column)
        return float(int(s))
    return None if _MAYBE.fullmatch(s) else np.nan


# --- Arrow columns to numpy and back, by their buffers ------------------------------------------------
# pyarrow's own conversions (Array.to_numpy, pa.array, a Python scalar as a compute argument)
# import pandas when it is installed, to know its NA and NaT for nulls: the quarter of a second
# this module saves. The columns cross by their buffers instead (no copy for numbers).


def arrow_call(name: str, *args: Any, options: Any = None) -> Any:
    """The Arrow compute function ``name`` on ``args``: what ``pyarrow.compute.<name>`` calls,
    without importing pyarrow.compute, which wraps its ~300 kernels with parsed docstrings on
    import (~25 ms of every facility check). The methods that go through it (``Array.cast``,
    ``Table.filter``, ``dictionary_encode``, ``fill_null``...) are not used on the fast paths."""
    import pyarrow._compute as pac

    return pac.call_function(name, list(args), options)


def arrow_cast(raw: Any, to: Any) -> Any:
    """``raw.cast(to)`` (a safe cast) through :func:`arrow_call`."""
    import pyarrow._compute as pac

    return arrow_call("cast", raw, options=pac.CastOptions.safe(to))


def _chunks(raw: Any) -> list[Any]:
    import pyarrow as pa

    return list(raw.chunks) if isinstance(raw, pa.ChunkedArray) else [raw]


def _bits(buffer: Any, offset: int, n: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), count=offset + n, bitorder="little")[offset:] \
        .view(bool)         # 0 and 1 bytes: a bool array as they are, no copy


def _valid(chunk: Any) -> np.ndarray | None:
    """Which entries of one Arrow array are not null; None when none is."""
    if chunk.null_count == 0:
        return None
    if chunk.null_count == len(chunk) or chunk.buffers()[0] is None:
        return np.zeros(len(chunk), dtype=bool)
    return _bits(chunk.buffers()[0], chunk.offset, len(chunk))


def _primitive(chunk: Any, dtype: Any) -> np.ndarray:
    """The values buffer of a fixed-width Arrow array as numpy (a read-only view)."""
    if len(chunk) == 0:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(chunk.buffers()[1], dtype=dtype, count=chunk.offset + len(chunk))[chunk.offset:]


def arrow_floats(raw: Any) -> np.ndarray:
    """An Arrow column of numbers (or nulls) as float64, NaN for a null: as ``cast(float64).to_numpy()``.
    The chunks are joined by Arrow (its allocator reuses the pages the CSV parser freed; a fresh
    numpy array of a million rows faults its pages in again) and seen by numpy without a copy."""
    import pyarrow as pa

    if pa.types.is_null(raw.type):
        return np.full(len(raw), np.nan)
    joined = _joined_floats(raw)
    if joined is not None:
        return joined
    column = arrow_cast(raw, pa.float64())
    if column.null_count:
        nan = pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(np.array([np.nan]))])[0]
        column = arrow_call("coalesce", column, nan)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.nulls(0, pa.float64())
    return _primitive(column, np.float64)


_EXACT_INT = 2 ** 53
# the buffers own_floats gave away, by address, until seen once; a weak reference, so that an
# address reused after its array died is not taken for it
_OWN_FLOATS: dict[int, Any] = {}


def own_floats(values: np.ndarray) -> Any:
    """A float64 numpy array (NaN for a blank) as an Arrow array over the same memory, which
    :func:`arrow_floats` hands back without a copy (once): the streamed CSV read's number columns
    (reader/faststream.py), whose buffers nothing else holds. Other Arrow columns (a Parquet
    file's, a parser's chunks) are copied as before."""
    import pyarrow as pa

    values = np.ascontiguousarray(values, dtype=np.float64)
    out = pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(values)])
    if len(values):
        _OWN_FLOATS[out.buffers()[1].address] = weakref.ref(values)
    return out       # Arrow's safe cast refuses an integer float64 cannot hold exactly


def _joined_floats(raw: Any) -> np.ndarray | None:
    """:func:`arrow_floats` of int64/float64 chunks written into one numpy array, chunk by chunk:
    no float64 copy of each chunk, no NaN-filled copy, no joined copy (three columns' worth of
    allocations a column). None where the cast would not be exact or the type is another: the
    cast says so as before."""
    import pyarrow as pa

    chunks = _chunks(raw)
    if len(chunks) == 1 and len(raw) and pa.types.is_float64(chunks[0].type) and not chunks[0].null_count:
        owner = _OWN_FLOATS.pop(chunks[0].buffers()[1].address, None)
        if owner is not None and owner() is not None:       # still alive: nothing else has its address
            return _primitive(chunks[0], np.float64)        # given away by own_floats: no copy
    if not all(pa.types.is_int64(c.type) or pa.types.is_float64(c.type) or pa.types.is_null(c.type)
               for c in chunks):
        return None
    # in Arrow's pool, as the joined cast was: it reuses the pages the CSV parser freed, where a
    # numpy array of a million rows would fault fresh ones in
    out = np.frombuffer(pa.allocate_buffer(8 * len(raw)), dtype=np.float64) if len(raw) else np.zeros(0)
    at = 0
    for chunk in chunks:
        n = len(chunk)
        if not fill_floats(out[at:at + n], chunk):
            return None
        at += n
    return out


def fill_floats(part: np.ndarray, chunk: Any) -> bool:
    """One int64/float64/null Arrow chunk written into ``part`` as float64, NaN for a null; False
    for an integer float64 cannot hold exactly (beyond 2⁵³: the cast says so)."""
    import pyarrow as pa

    n = len(chunk)
    if pa.types.is_null(chunk.type) or chunk.null_count == n:
        part[:] = np.nan
        return True
    valid = _valid(chunk)
    if pa.types.is_int64(chunk.type):
        ints = _primitive(chunk, np.int64)
        seen = ints if valid is None else ints[valid]
        if len(seen) and (seen.max() > _EXACT_INT or seen.min() < -_EXACT_INT):
            return False
        part[:] = ints
    else:
        part[:] = _primitive(chunk, np.float64)
    if valid is not None:
        np.putmask(part, ~valid, np.nan)     # half a boolean index's cost, a batch at a time
    return True


def arrow_bools(raw: Any) -> np.ndarray:
    """An Arrow boolean column as numpy, a null as False."""
    parts = []
    for chunk in _chunks(raw):
        values = _bits(chunk.buffers()[1], chunk.offset, len(chunk)) if len(chunk) else np.zeros(0, dtype=bool)
        valid = _valid(chunk)
        parts.append(values if valid is None else values & valid)
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def arrow_codes(indices: Any) -> np.ndarray:
    """Dictionary indices (one Arrow integer array) as numpy integers, -1 for a null (a view of
    Arrow's buffer when they are int32, as pyarrow's CSV reader writes them)."""
    import pyarrow as pa

    if not pa.types.is_int32(indices.type):
        indices = arrow_cast(indices, pa.int64())
    dtype = np.int32 if pa.types.is_int32(indices.type) else np.int64
    codes = _primitive(indices, dtype)
    valid = _valid(indices)
    # a null's slot may hold anything: -1 put there by numpy (Arrow's coalesce with a scalar cost
    # 3x as much a batch: ~15 ms of a 1M-row check's main thread)
    return codes if valid is None else np.where(valid, codes, dtype(-1))


def arrow_mask(mask: np.ndarray) -> Any:
    """A numpy boolean array as an Arrow one."""
    import pyarrow as pa

    bits = np.packbits(np.ascontiguousarray(mask, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(bits)])


def arrow_indices(idx: np.ndarray) -> Any:
    """Positions (numpy integers) as an Arrow int64 array, for ``take``."""
    import pyarrow as pa

    idx = np.ascontiguousarray(idx, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(idx), [None, pa.py_buffer(idx)])


def arrow_strings(values: list[Any]) -> Any:
    """Python strings (None: null) as an Arrow string array."""
    import pyarrow as pa

    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    data = pa.py_buffer(b"".join(encoded))
    out = pa.Array.from_buffers(pa.large_string(), len(encoded), [bitmap, pa.py_buffer(offsets), data])
    return arrow_cast(out, pa.string())
