"""A facility listing as JSON lines, one entry per line, a block of entries at a time.

Each line is what ``json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))`` gives for
the entry :meth:`cbcheck.facility_results.FacilityResult.entries` yields, but is put together
from the listing's columns by Arrow string kernels: every distinct string (table, status,
message, a threshold, a date) and every distinct number is encoded once, in Python; the
names are quoted by Arrow (escaped in Python only where a name needs it); the lines are one
element-wise join. Building and encoding 220,000 entry dicts one by one was half of a 1M-row
``--format json`` run.
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
from cbcheck.facility_results import Block, FacilityResult, Wording, name_list, plain

# the encoder json.dumps uses for the entries: a value worded here must read as it would there
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode
_FLOATS = {float, np.float64}
_ESCAPED = r'["\\\x00-\x1f]'         # what json escapes with ensure_ascii=False


def entry_lines(result: FacilityResult, include_pass: bool, indent: int) -> Iterator[str]:
    """The listing as a JSON list at ``indent``, one entry per line, in pieces of one block."""
    wording = Wording(result.binding, result.approximate)
    statuses = pa.array([_ENCODE(Verdict(v).status(result.binding).value) for v in range(len(Verdict))], pa.string())
    messages: list[str] = []
    item = "\n" + " " * (indent + 2)
    first = True
    seen: tuple[dict[Any, str], dict[Any, str]] = ({}, {})
    for block in result.blocks(include_pass):
        said = block.message_ids(wording)
        messages += [_ENCODE(m) for m in wording.distinct[len(messages):]]
        yield ("[" if first else ",") + item + _lines(block, statuses, pa.array(messages, pa.string()), said,
                                                      "," + item, seen)
        first = False
    yield "[]" if first else f"\n{' ' * indent}]"


def _lines(block: Block, statuses: pa.Array, messages: pa.Array, said: np.ndarray, sep: str,
           seen: tuple[dict[Any, str], dict[Any, str]]) -> str:
    """The block's entries, one JSON object each, joined with ``sep``; ``seen``: the observed and
    expected values encoded so far."""
    row = pc.cast(pa.array(block.rows, pa.int64()), pa.string())
    # JSON escapes character by character: the row's digits go between the two encoded halves
    before, after = block.location_parts()
    pieces: list[Any] = [
        '{"facility": "', _names(block.names, row), '", "row": ', row,
        f', "table": {_ENCODE(block.part.table.source)}, "status": ', statuses.take(pa.array(block.codes, pa.int64())),
        ', "observed": ', values(block.observed, seen[0]), ', "expected": ', values(block.expected, seen[1]),
        f', "location": {encode_basestring(before)[:-1]}', row, f'{encode_basestring(after)[1:]}, "message": ',
        messages.take(pa.array(said, pa.int64())), "}"]
    merged: list[Any] = []
    for piece in pieces:        # constant neighbours as one: each argument is a pass over the block
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    lines = pc.binary_join_element_wise(*merged, "")
    listed = pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines)
    return str(pc.binary_join(listed, sep)[0].as_py())


def _names(names: Any, row: pa.Array) -> pa.Array:
    """Each facility's name as the inside of a JSON string; a blank or missing name is ``(row N)``."""
    if isinstance(names, (pa.Array, pa.ChunkedArray)):
        arr = names
    else:
        try:
            arr = pa.array(names)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = None
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return pa.array([encode_basestring(n)[1:-1] if isinstance(n, str) and n else f"(row {r})"
                         for n, r in zip(name_list(names), row.to_pylist(), strict=True)],
                        pa.string())
    arr = arr.cast(pa.string())
    unnamed = pc.fill_null(pc.equal(pc.binary_length(arr), 0), True)
    if pc.any(unnamed).as_py():
        arr = pc.if_else(unnamed, pc.binary_join_element_wise("(row ", row, ")", ""), arr)
    escape = pc.match_substring_regex(arr, _ESCAPED)
    if pc.any(escape).as_py():                  # quotes, backslashes, control characters: rare
        escaped = [encode_basestring(n)[1:-1] for n in arr.filter(escape).to_pylist()]
        arr = pc.replace_with_mask(arr, escape, pa.array(escaped, pa.string()))
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
        return pa.array(words, pa.string()).take(pa.array(where.reshape(-1)))
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
    return pa.array(out, pa.string())
