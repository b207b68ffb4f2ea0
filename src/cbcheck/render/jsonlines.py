"""A facility listing as JSON lines, one entry per line, a block of entries at a time.

Each line is what ``json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))`` gives for
the entry :meth:`cbcheck.facility_results.FacilityResult.entries` yields, but is put together
from the listing's columns by Arrow string kernels: every distinct string (table, status,
message, a threshold, a date) and every distinct number is encoded once, in Python; the
names are quoted by Arrow (escaped in Python only where a name needs it); the lines are one
element-wise join. Building and encoding 220,000 entry dicts one by one was half of a 1M-row
``--format json`` run. Python values reach Arrow as arrays built from their buffers and constant
pieces as scalars taken from them (:mod:`cbcheck.columnar`): pyarrow's own conversion of a list,
a numpy array or a Python scalar imports pandas.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cbcheck.checks.kind import Verdict
from cbcheck.columnar import arrow_indices, arrow_strings
from cbcheck.facility_results import Block, FacilityResult, Wording, name_list, plain

# the encoder json.dumps uses for the entries: a value worded here must read as it would there
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode
_FLOATS = {float, np.float64}
_ESCAPED = r'["\\\x00-\x1f]'         # what json escapes with ensure_ascii=False


def entry_lines(result: FacilityResult, include_pass: bool, indent: int) -> Iterator[str]:
    """The listing as a JSON list at ``indent``, one entry per line, in pieces of one block."""
    wording = Wording(result.binding, result.approximate)
    statuses = arrow_strings([_ENCODE(Verdict(v).status(result.binding).value) for v in range(len(Verdict))])
    messages: list[str] = []
    item = "\n" + " " * (indent + 2)
    first = True
    seen: tuple[dict[Any, str], dict[Any, str]] = ({}, {})
    for block in result.blocks(include_pass):
        said = block.message_ids(wording)
        messages += [_ENCODE(m) for m in wording.distinct[len(messages):]]
        yield ("[" if first else ",") + item + _lines(block, statuses, arrow_strings(messages), said,
                                                      "," + item, seen)
        first = False
    yield "[]" if first else f"\n{' ' * indent}]"


def _lines(block: Block, statuses: pa.Array, messages: pa.Array, said: np.ndarray, sep: str,
           seen: tuple[dict[Any, str], dict[Any, str]]) -> str:
    """The block's entries, one JSON object each, joined with ``sep``; ``seen``: the observed and
    expected values encoded so far."""
    row = pc.cast(arrow_indices(block.rows), pa.string())
    # JSON escapes character by character: the row's digits go between the two encoded halves
    before, after = block.location_parts()
    pieces: list[Any] = [
        '{"facility": "', _names(block.names, row), '", "row": ', row,
        f', "table": {_ENCODE(block.part.table.source)}, "status": ', statuses.take(arrow_indices(block.codes)),
        ', "observed": ', values(block.observed, seen[0]), ', "expected": ', values(block.expected, seen[1]),
        f', "location": {encode_basestring(before)[:-1]}', row, f'{encode_basestring(after)[1:]}, "message": ',
        messages.take(arrow_indices(said)), "}"]
    merged: list[Any] = []
    for piece in pieces:        # constant neighbours as one: each argument is a pass over the block
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    lines = pc.binary_join_element_wise(*[_text(p) if isinstance(p, str) else p for p in merged], _text(""))
    offsets = np.array([0, len(lines)], dtype=np.int32)
    listed = pa.Array.from_buffers(pa.list_(pa.string()), 1, [None, pa.py_buffer(offsets)], children=[lines])
    return str(pc.binary_join(listed, _text(sep))[0].as_py())


def _text(text: str) -> pa.Scalar:
    """A constant piece as an Arrow scalar (a Python str would be converted by pyarrow, which imports pandas)."""
    return arrow_strings([text])[0]


def _names(names: Any, row: pa.Array) -> pa.Array:
    """Each facility's name as the inside of a JSON string; a blank or missing name is ``(row N)``."""
    if isinstance(names, (pa.Array, pa.ChunkedArray)):
        arr = names
    else:
        try:
            arr = arrow_strings(list(names))
        except AttributeError:             # not all text (a number among the names)
            arr = None
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arrow_strings([encode_basestring(n)[1:-1] if isinstance(n, str) and n else f"(row {r})"
                              for n, r in zip(name_list(names), row.to_pylist(), strict=True)])
    arr = arr.cast(pa.string())
    unnamed = pc.or_kleene(pc.is_null(arr), pc.equal(pc.binary_length(arr), pc.binary_length(_text(""))))
    if pc.any(unnamed).as_py():
        arr = pc.if_else(unnamed, pc.binary_join_element_wise(_text("(row "), row, _text(")"), _text("")), arr)
    escape = pc.match_substring_regex(arr, _ESCAPED)
    if pc.any(escape).as_py():                  # quotes, backslashes, control characters: rare
        escaped = [encode_basestring(n)[1:-1] for n in arr.filter(escape).to_pylist()]
        arr = pc.replace_with_mask(arr, escape, arrow_strings(escaped))
    return arr


def values(column: np.ndarray, seen: dict[Any, str] | None = None) -> pa.Array | str:
    """Each value of an object column as JSON (:func:`plain` first), each distinct one encoded once
    (``seen`` keeps them from block to block of a listing)."""
    seen = {} if seen is None else seen
    vals = column.tolist()
    kinds = set(map(type, vals))
    if vals and kinds <= _FLOATS:
        # distinct by bit pattern, not by value: -0.0 == 0.0 but reads "-0.0"
        bits = np.asarray(vals, dtype=np.float64).view(np.int64)
        distinct, where = np.unique(bits, return_inverse=True)
        words = [seen.get(b) for b in distinct.tolist()]
        for i in [i for i, w in enumerate(words) if w is None]:
            words[i] = seen[int(distinct[i])] = _ENCODE(plain(float(distinct[i:i + 1].view(np.float64)[0])))
        return arrow_strings(words).take(arrow_indices(where.reshape(-1)))
    if kinds <= {type(None)}:
        return "null"
    out = []
    for v in vals:
        if isinstance(v, float):        # see above: no dict of floats
            out.append(_ENCODE(plain(v)))
            continue
        try:
            key = (v.__class__, v)
            word = seen.get(key)
        except TypeError:
            key, word = None, None
        if word is None:
            word = _ENCODE(plain(v))
            if key is not None:
                seen[key] = word
        out.append(word)
    return arrow_strings(out)
