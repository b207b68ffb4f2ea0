"""A facility listing as JSON lines, one entry per line, a block of entries at a time.

Each line is what ``json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))`` gives for
the entry :meth:`cbcheck.facility_results.FacilityResult.entries` yields (or, for the batch
report, what ``json.dumps(..., indent=N)`` gives: :class:`Layout`), but is put together from the
listing's columns. Every column but the names and the rows says a handful of different things
(the table, a status, a message, a threshold, a date, a number): each is kept as codes into its
distinct words, each word encoded once in Python, and neighbouring coded columns are fused into
one while the combinations present stay few, so a line is about seven pieces. One Arrow
element-wise join per block puts them together, each line ending with the separator, and the
block's text is that join's data buffer as it lies: no join of the lines, no object per entry.

Arrow's kernels are called by name (:func:`cbcheck.columnar.arrow_call`): importing
``pyarrow.compute`` wraps its ~300 kernels with parsed docstrings (~0.1 s of a report), and
the methods that go through it (``Array.take``, ``cast``, ``filter``, ``combine_chunks``) are
not used here. Python values reach Arrow as arrays built from their buffers (pyarrow's own
conversion of a list or a Python scalar imports pandas).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

import numpy as np
import pyarrow as pa

from cbcheck.checks.kind import Verdict
from cbcheck.columnar import arrow_call, arrow_cast, arrow_indices, arrow_mask, arrow_strings
from cbcheck.facility_listing import Values
from cbcheck.facility_results import Block, FacilityResult, name_list, plain

# the encoder json.dumps uses for the entries: a value worded here must read as it would there
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode
_FUSE_MAX = 4096                     # distinct combinations two fused columns may have


@dataclass(frozen=True)
class Layout:
    """Where an entry's keys go: ``inner`` between one key's value and the next key, ``open`` after
    the opening brace, ``close`` before the closing one, ``item`` before each entry; ``inner``
    ", " and no breaks are one entry a line, as ``separators=(", ", ": ")`` writes it."""

    item: str
    open: str = ""
    inner: str = ", "
    close: str = ""

    @staticmethod
    def one_line(indent: int) -> Layout:
        return Layout("\n" + " " * (indent + 2))

    @staticmethod
    def indented(indent: int, step: int = 2) -> Layout:
        """As ``json.dumps(indent=step)`` writes a list of dicts at ``indent``."""
        inside = "\n" + " " * (indent + 2 * step)
        return Layout("\n" + " " * (indent + step), inside, "," + inside, "\n" + " " * (indent + step))


def entry_lines(result: FacilityResult, include_pass: bool, indent: int, layout: Layout | None = None,
                raw: bool = False) -> Iterator[str | memoryview]:
    """The listing as a JSON list at ``indent``, one entry per line (or as ``layout`` says), in
    pieces of one block; with ``raw``, each block as a view of its UTF-8 bytes where Arrow wrote
    them (a report of 50 MB was 0.1 s of decoding and encoding them again on their way to a file)."""
    layout = layout or Layout.one_line(indent)
    wording = result.wording()
    statuses = [_ENCODE(Verdict(v).status(result.fails).value) for v in range(len(Verdict))]
    messages: list[str] = []
    first = True
    seen: tuple[dict[Any, str], dict[Any, str]] = ({}, {})
    for block in result.blocks(include_pass):
        said = block.message_ids(wording)
        messages += [_ENCODE(m) for m in wording.distinct[len(messages):]]
        data = _lines(block, statuses, messages, said, layout, seen)
        if first:                                 # every line starts with its "," and item
            data = memoryview(b"[" + data[1:])
        yield data if raw else str(data, "utf-8")
        first = False
    yield "[]" if first else f"\n{' ' * indent}]"


@dataclass(frozen=True)
class _Coded:
    """A column of few distinct words: entry i says ``words[codes[i]]`` (codes None: all ``words[0]``)."""

    codes: np.ndarray | None
    words: list[str]

    def compact(self) -> _Coded:
        if self.codes is None or len(self.words) == 1:
            return self
        used, codes = np.unique(self.codes, return_inverse=True)
        return _Coded(codes.reshape(-1), [self.words[i] for i in used.tolist()])

    def then(self, other: _Coded) -> _Coded | None:
        """The two columns as one (each entry's words side by side), or None when they would have
        too many combinations to word one by one."""
        if other.codes is None:
            return _Coded(self.codes, [w + other.words[0] for w in self.words])
        if self.codes is None:
            return _Coded(other.codes, [self.words[0] + w for w in other.words])
        pairs, codes = np.unique(self.codes.astype(np.int64) * len(other.words) + other.codes, return_inverse=True)
        if len(pairs) > _FUSE_MAX:
            return None
        n = len(other.words)
        return _Coded(codes.reshape(-1), [self.words[p // n] + other.words[p % n] for p in pairs.tolist()])

    def arrow(self) -> Any:
        words = arrow_strings(self.words)
        return words[0] if self.codes is None else arrow_call("take", words, arrow_indices(self.codes))


def _lines(block: Block, statuses: list[str], messages: list[str], said: np.ndarray, layout: Layout,
           seen: tuple[dict[Any, str], dict[Any, str]]) -> memoryview:
    """The block's entries as UTF-8, one JSON object each, each preceded by ``,`` and ``layout.item``;
    ``seen``: the observed and expected values encoded so far."""
    row = arrow_cast(arrow_indices(block.rows), pa.string())
    # JSON escapes character by character: the row's digits go between the two encoded halves
    before, after = block.location_parts()
    i = layout.inner

    def text(t: str) -> _Coded:
        return _Coded(None, [t])

    pieces: list[Any] = [
        text(f",{layout.item}{{{layout.open}\"facility\": \""), _names(block.names, block.rows, row),
        text(f'"{i}"row": '), row, text(f'{i}"table": {_ENCODE(block.part.table.source)}{i}"status": '),
        _Coded(block.codes.astype(np.intp), statuses).compact(), text(f'{i}"observed": '),
        values(block.observed, seen[0]), text(f'{i}"expected": '), values(block.expected, seen[1]),
        text(f'{i}"location": {encode_basestring(before)[:-1]}'), row,
        text(f'{encode_basestring(after)[1:]}{i}"message": '), _Coded(said, messages).compact(),
        text(f"{layout.close}}}")]
    fused: list[Any] = []
    for piece in pieces:        # each argument of the join is a pass over the block
        both = fused[-1].then(piece) if fused and isinstance(piece, _Coded) and isinstance(fused[-1], _Coded) else None
        if both is not None:
            fused[-1] = both
        else:
            fused.append(piece)
    args = [p.arrow() if isinstance(p, _Coded) else p for p in fused]
    lines = arrow_call("binary_join_element_wise", *args, arrow_strings([""])[0])
    if isinstance(lines, pa.ChunkedArray):
        lines = pa.concat_arrays(lines.chunks) if lines.num_chunks != 1 else lines.chunk(0)
    if lines.null_count:        # a null piece would drop its entry without a word: never
        raise AssertionError(f"{lines.null_count} facility entries could not be put together")
    # the lines lie end to end in the data buffer: the block's text is the slice they cover
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=lines.offset + len(lines) + 1)
    start, stop = int(offsets[lines.offset]), int(offsets[-1])
    return memoryview(lines.buffers()[2])[start:stop]        # Arrow's memory, kept alive by the view


def _names(names: Any, rows: np.ndarray, row: Any) -> Any:
    """Each facility's name as the inside of a JSON string; a blank or missing name is ``(row N)``."""
    if isinstance(names, pa.ChunkedArray):
        names = pa.concat_arrays(names.chunks) if names.num_chunks != 1 else names.chunk(0)
    if isinstance(names, pa.Array):
        arr = names
    else:
        try:
            arr = arrow_strings(list(names))
        except AttributeError:             # not all text (a number among the names)
            arr = None
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arrow_strings([encode_basestring(n)[1:-1] if isinstance(n, str) and n else f"(row {r})"
                              for n, r in zip(name_list(names), rows.tolist(), strict=True)])
    if not pa.types.is_string(arr.type):
        arr = arrow_cast(arr, pa.string())
    empty = arrow_strings([""])[0]
    offsets, data = _text_buffers(arr)
    if arr.null_count:
        unnamed = arrow_call("or_kleene", arrow_call("is_null", arr), arrow_call("equal", arr, empty))
    else:
        blank = offsets[1:] == offsets[:-1]
        unnamed = blank if blank.any() else None
    if unnamed is not None and (not isinstance(unnamed, np.ndarray) or unnamed.any()):
        said = arrow_call("binary_join_element_wise", arrow_strings(["(row "])[0], row, arrow_strings([")"])[0], empty)
        mask = arrow_mask(unnamed) if isinstance(unnamed, np.ndarray) else unnamed
        arr = arrow_call("if_else", mask, said, arr)
        offsets, data = _text_buffers(arr)
    # what JSON escapes, looked for in the names' bytes (UTF-8 puts no such byte inside a character)
    bad = np.flatnonzero((data < 0x20) | (data == 0x22) | (data == 0x5C))
    if len(bad):                  # quotes, backslashes, control characters: rare
        escape = np.zeros(len(arr), dtype=bool)
        escape[np.searchsorted(offsets, bad + offsets[0], side="right") - 1] = True
        mask = arrow_mask(escape)
        escaped = [encode_basestring(n)[1:-1] for n in arrow_call("filter", arr, mask).to_pylist()]
        arr = arrow_call("replace_with_mask", arr, mask, arrow_strings(escaped))
    return arr


def _text_buffers(arr: Any) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a string array without nulls: entry i is ``bytes[offsets[i] - offsets[0]:
    offsets[i + 1] - offsets[0]]``."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=arr.offset + len(arr) + 1)[arr.offset:]
    if not len(arr) or arr.buffers()[2] is None:
        return offsets, np.zeros(0, dtype=np.uint8)
    return offsets, np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]


def values(column: Any, seen: dict[Any, str] | None = None) -> _Coded:
    """Each value of a listing's column (:class:`Values`, or an array of values) as JSON
    (:func:`plain` first), as codes into the distinct words, each distinct value encoded once
    (``seen`` keeps them from block to block)."""
    seen = {} if seen is None else seen
    column = column if isinstance(column, Values) else Values.of(np.asarray(column, dtype=object))
    n = len(column)
    if not n:
        return _Coded(None, ["null"])
    codes = column.codes
    floats = None if codes is None else np.flatnonzero(codes < 0)
    out = np.zeros(n, dtype=np.intp)
    words: list[str] = []
    if floats is None or len(floats):
        # distinct by bit pattern, not by value: -0.0 == 0.0 but reads "-0.0"
        numbers = column.numbers if floats is None else column.numbers[floats]
        distinct, where = np.unique(np.ascontiguousarray(numbers).view(np.int64), return_inverse=True)
        for b, f in zip(distinct.tolist(), distinct.view(np.float64).tolist(), strict=True):
            word = seen.get(b)
            if word is None:
                word = seen[b] = _ENCODE(plain(f))
            words.append(word)
        if floats is None:
            return _Coded(where.reshape(-1), words)
        out[floats] = where.reshape(-1)
    assert codes is not None
    given = np.flatnonzero(codes >= 0)
    used, where = np.unique(codes[given], return_inverse=True)
    out[given] = where.reshape(-1) + len(words)
    words += [_word(column.objects[c], seen) for c in used.tolist()]
    return _Coded(out, words)


def _word(v: Any, seen: dict[Any, str]) -> str:
    if isinstance(v, float):        # see above: no dict of floats
        return str(_ENCODE(plain(v)))
    try:
        key = (v.__class__, v)
        word = seen.get(key)
    except TypeError:
        key, word = None, None
    if word is None:
        word = _ENCODE(plain(v))
        if key is not None:
            seen[key] = word
    return str(word)
