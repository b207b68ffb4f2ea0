"""A facility rule's listing held as columns of numbers, not as a Python object per entry.

A 1M-row table lists ~220,000 facilities: as object arrays of Python floats and messages they
were ~25 MiB of a check's peak (benchmarks/README.md, "1M in 3× the file"). Here each entry is a
few bytes: what is observed and expected as float64 where it is a float (:class:`Values`; a
blank and "nothing to show" are both NaN, which every report words as ``null``/blank, as it did
None), with int codes into the rule's distinct other values (dates, texts such as 未关停, whole
numbers, yes/no) where it is not; its extra words as int codes into the distinct messages
(:class:`Reasons`). :class:`Listing` writes a rule's entries batch after batch into buffers that
grow (sized by the table's rows where known: pages never written are never resident), so the
listing is never joined from pieces at the end.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

# what a listing shows of a float, np.float64 and None alike (facility_results.plain: NaN and None are null)
_FLOAT_TYPES = frozenset((float, np.float64, type(None)))


class Grown:
    """A numpy buffer written piece after piece; ``capacity`` an upper bound on its length where one
    is known (the untouched rest costs no memory), else doubled as it fills."""

    def __init__(self, dtype: Any, capacity: int | None = None) -> None:
        self.data = np.empty(max(capacity or 0, 64), dtype=dtype)
        self.n = 0

    def room(self, k: int) -> np.ndarray:
        if self.n + k > len(self.data):
            bigger = np.empty(max(2 * len(self.data), self.n + k), dtype=self.data.dtype)
            bigger[:self.n] = self.data[:self.n]
            self.data = bigger
        part = self.data[self.n:self.n + k]
        self.n += k
        return part

    def put(self, values: Any) -> None:
        self.room(len(values))[:] = values

    def done(self) -> np.ndarray:
        return self.data[:self.n]


class Distinct:
    """The distinct objects of a column, each once: an object's code is its place in ``objects``.
    Told apart by type and value (``1``, ``1.0`` and ``True`` are three), by identity when unhashable."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self._codes: dict[Any, int] = {}

    def code(self, v: Any) -> int:
        try:
            key: Any = (v.__class__, v)
            hash(key)
        except TypeError:
            key = ("id", id(v))
        found = self._codes.get(key)
        if found is None:
            found = self._codes[key] = len(self.objects)
            self.objects.append(v)
        return found


class Values:
    """Each entry's value: ``numbers[i]`` (float64, NaN for a blank or none) where ``codes`` is None
    or ``codes[i] < 0``, else ``objects[codes[i]]``. Indexed as an array (a position gives the
    value, positions or a slice give Values); :meth:`tolist` gives the values as Python objects."""

    __slots__ = ("numbers", "codes", "objects")

    def __init__(self, numbers: np.ndarray, codes: np.ndarray | None = None, objects: list[Any] | None = None) -> None:
        self.numbers, self.codes, self.objects = numbers, codes, objects if objects is not None else []

    @staticmethod
    def of(values: Any, distinct: Distinct | None = None) -> Values:
        """An array of values (floats, or objects as the kinds write them) as Values; the other
        values coded a distinct one at a time (a deadline's listing is a few dates and words)."""
        values = np.asarray(values)
        if values.dtype != object:
            return Values(values.astype(np.float64))
        kinds = list(map(type, values.tolist()))
        if set(kinds) <= _FLOAT_TYPES:
            return Values(values.astype(np.float64))        # None casts to NaN
        distinct = distinct if distinct is not None else Distinct()
        floats = np.fromiter(map(_FLOAT_TYPES.__contains__, kinds), dtype=bool, count=len(kinds))
        others = np.flatnonzero(~floats)
        picked = values[others].tolist()
        keys = list(zip([kinds[k] for k in others.tolist()], picked, strict=True))
        codes = np.full(len(kinds), -1, dtype=np.int32)
        try:
            found: dict[Any, Any] = dict.fromkeys(keys)
        except TypeError:                                     # an unhashable value: one at a time
            codes[others] = [distinct.code(v) for v in picked]
        else:
            for key in found:
                found[key] = distinct.code(key[1])
            codes[others] = np.fromiter(map(found.__getitem__, keys), dtype=np.int32, count=len(keys))
        numbers = np.full(len(kinds), np.nan)
        numbers[floats] = values[floats].astype(np.float64)
        return Values(numbers, codes, distinct.objects)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, at: Any) -> Any:
        if isinstance(at, (int, np.integer)):
            code = -1 if self.codes is None else int(self.codes[at])
            return float(self.numbers[at]) if code < 0 else self.objects[code]
        return Values(self.numbers[at], None if self.codes is None else self.codes[at], self.objects)

    def tolist(self) -> list[Any]:
        out = self.numbers.tolist()
        if self.codes is not None:
            for k, code in zip(np.flatnonzero(self.codes >= 0).tolist(), self.codes[self.codes >= 0].tolist(),
                               strict=True):
                out[k] = self.objects[code]
        return out

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def floats(self) -> np.ndarray:
        """The values as distances are taken of them: floats, whole numbers (not yes/no) as floats,
        NaN for anything else (a date, a text, a blank)."""
        if self.codes is None:
            return self.numbers
        out = self.numbers.copy()
        lut = np.array([float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan
                        for v in self.objects] + [np.nan])
        given = self.codes >= 0
        out[given] = lut[self.codes[given]]
        return out


class Reasons:
    """Each entry's extra words: ``objects[codes[i]]``, or None where ``codes[i] < 0``. Indexed and
    set as an object array would be (a reason set on an entry is added to the distinct ones)."""

    __slots__ = ("codes", "objects")

    def __init__(self, codes: np.ndarray, objects: list[Any]) -> None:
        self.codes, self.objects = codes, objects

    @staticmethod
    def of(reasons: Any, objects: list[Any] | None = None, ids: dict[int, int] | None = None) -> Reasons:
        """An object array of reasons (None: none) as codes; the same object once (by identity:
        a batch's reasons are a few objects shared by many entries)."""
        objects = [] if objects is None else objects
        ids = {} if ids is None else ids
        reasons = np.asarray(reasons, dtype=object)
        codes = np.full(len(reasons), -1, dtype=np.int32)
        given = np.flatnonzero(reasons != None)  # noqa: E711 (element-wise)
        for k, v in zip(given.tolist(), reasons[given].tolist(), strict=True):
            code = ids.get(id(v))
            if code is None:
                code = ids[id(v)] = len(objects)
                objects.append(v)
            codes[k] = code
        return Reasons(codes, objects)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, at: Any) -> Any:
        if isinstance(at, (int, np.integer)):
            code = int(self.codes[at])
            return None if code < 0 else self.objects[code]
        return Reasons(self.codes[at], self.objects)

    def __setitem__(self, at: int, reason: Any) -> None:
        self.codes[at] = -1 if reason is None else len(self.objects)
        if reason is not None:
            self.objects.append(reason)

    def tolist(self) -> list[Any]:
        return [None if c < 0 else self.objects[c] for c in self.codes.tolist()]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())


class _ValuesColumn:
    """A Values column written piece after piece (codes only once a piece holds a non-float)."""

    def __init__(self, capacity: int | None) -> None:
        self.capacity = capacity
        self.numbers = Grown(np.float64, capacity)
        self.codes: Grown | None = None
        self.distinct = Distinct()

    def add(self, values: np.ndarray) -> None:
        got = Values.of(values, self.distinct)
        self.numbers.put(got.numbers)
        if got.codes is not None and self.codes is None:
            self.codes = Grown(np.int32, self.capacity)
            self.codes.room(self.numbers.n - len(got.numbers))[:] = -1
        if self.codes is not None:
            self.codes.put(got.codes if got.codes is not None else np.full(len(got.numbers), -1, np.int32))

    def done(self) -> Values:
        return Values(self.numbers.done(), None if self.codes is None else self.codes.done(), self.distinct.objects)


class Listing:
    """A rule's listed entries (positions, verdict codes, observed, expected, reasons), written batch
    after batch in table order: :meth:`add` each batch's, :meth:`done` for the columns."""

    def __init__(self, capacity: int | None = None) -> None:
        wide = capacity is None or capacity >= 2 ** 31
        self.positions = Grown(np.int64 if wide else np.int32, capacity)
        self.verdicts = Grown(np.int8, capacity)
        self.observed, self.expected = _ValuesColumn(capacity), _ValuesColumn(capacity)
        self.reasons = Grown(np.int32, capacity)
        self.reason_objects: list[Any] = []
        self._reason_ids: dict[int, int] = {}

    def __len__(self) -> int:
        return self.positions.n

    def add(self, at: np.ndarray, verdicts: np.ndarray, observed: np.ndarray, expected: np.ndarray,
            reasons: np.ndarray) -> None:
        self.positions.put(at)
        self.verdicts.put(verdicts)
        self.observed.add(observed)
        self.expected.add(expected)
        self.reasons.put(Reasons.of(reasons, self.reason_objects, self._reason_ids).codes)

    def done(self) -> tuple[np.ndarray, np.ndarray, Values, Values, Reasons]:
        return (self.positions.done(), self.verdicts.done(), self.observed.done(), self.expected.done(),
                Reasons(self.reasons.done(), self.reason_objects))
