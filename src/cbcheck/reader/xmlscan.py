"""What a sheet's XML holds, from a few vectorised passes over its bytes.

The xlsx reader asks a dozen questions of each sheet XML before parsing it: how many rows and
cells (the budgets), whether any formula, error cell, ISO date cell, ``_xHHHH_`` escape,
single-quoted or line-broken attribute is there, which style ids the cells use. Each
``bytes.find``/``count`` is a full pass (about 45 ms over the 23 MB of a 100,000-row sheet on
the benchmark machine), so asking them one by one cost more than calamine's whole read.
Here every ``<`` and every ``="`` is located once with numpy, and the questions are answered
from the bytes that follow them; the rarely present characters (``'``, ``_``, ``:``, tabs and
line breaks) are looked for in one pass, and only when one is there does a question fall back
to the plain byte search. The answers are exactly those of the plain searches
(``tests/reader/test_xmlscan.py`` compares them on every workbook in the repository and on
generated XML).
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from cbcheck.reader.sidebyside import cores, side_by_side

_RARE = b"'_:\t\n\r"
_REF = re.compile(rb"([A-Z]{0,3})(\d{1,10})")
_ALL_BUT_RARE = bytes(b for b in range(256) if b not in _RARE)
SIDE_BY_SIDE_MIN_BYTES = 4 << 20      # below, a second thread costs more than it saves


class SheetBytes:
    def __init__(self, xml: bytes) -> None:
        import numpy as np

        self.xml = xml
        self._a = np.frombuffer(xml, dtype=np.uint8)
        # the cells: the XML declaration's line break and the namespaces' colons are outside
        start, end = xml.find(b"sheetData"), xml.rfind(b"sheetData")
        self._inner = (start, end) if 0 <= start < end else (0, 0)

    @cached_property
    def _rare(self) -> frozenset[int]:
        """Which of ``_RARE`` occur between the first and the last ``sheetData``: those found more
        often in the whole XML than outside the cells (no copy of the cells' bytes to search)."""
        start, end = self._inner
        found = self.xml.translate(None, _ALL_BUT_RARE)
        outside = self.xml[:start].translate(None, _ALL_BUT_RARE) + self.xml[end:].translate(None, _ALL_BUT_RARE)
        return frozenset(b for b in frozenset(found) if found.count(b) > outside.count(b))

    def may_hold(self, char: bytes) -> bool:
        """False when the byte (one of ``_RARE``) is not among the cells."""
        assert char in _RARE and len(char) == 1
        return char[0] in self._rare

    def _outer(self, needle: bytes) -> tuple[bytes, bytes] | None:
        """The XML before and after the cells, overlapping them by one needle less a byte, when an
        occurrence of ``needle`` cannot lie inside them (it holds a rare byte they lack)."""
        start, end = self._inner
        if end - start < 2 * len(needle) or not any(b in _RARE and b not in self._rare for b in needle):
            return None
        return self.xml[:start + len(needle) - 1], self.xml[end - len(needle) + 1:]

    def has(self, needle: bytes) -> bool:
        """``needle in xml``."""
        outer = self._outer(needle)
        return needle in self.xml if outer is None else (needle in outer[0] or needle in outer[1])

    def _count(self, needle: bytes) -> int:
        outer = self._outer(needle)
        return self.xml.count(needle) if outer is None else outer[0].count(needle) + outer[1].count(needle)

    @cached_property
    def _tags(self) -> Any:
        """Positions of ``<``, and the byte after each."""
        import numpy as np

        a = self._a
        if len(a) >= SIDE_BY_SIDE_MIN_BYTES and "_quotes" not in self.__dict__ and cores() >= 2:
            # the quotes, which the questions locate next, on the other core meanwhile
            lt, self._quotes = side_by_side([lambda: np.flatnonzero(a == 60), lambda: np.flatnonzero(a == 34)])
        else:
            lt = np.flatnonzero(a == 60)
        return lt, self._after(lt, 1)

    def _tags_of(self, letter: int) -> Any:
        """The second and third bytes after each ``<`` + ``letter``: gathered for the tags asked
        about only (a closing ``</…>`` or a ``<v>`` is half of all tags)."""
        cache: dict[int, Any] = self.__dict__.setdefault("_tag_bytes", {})
        if letter not in cache:
            lt, b1 = self._tags
            at = lt[b1 == letter]
            cache[letter] = self._after(at, 2), self._after(at, 3)
        return cache[letter]

    def count_tag(self, name: bytes, then: bytes | None) -> int:
        """``xml.count(b"<" + name + then)`` for a 1- or 3-letter ``name`` (``then``: one byte or None)."""
        import numpy as np

        if len(name) == 1 and then is None:
            return int(np.count_nonzero(self._tags[1] == name[0]))
        b2, b3 = self._tags_of(name[0])
        if len(name) == 1:
            assert then is not None
            return int(np.count_nonzero(b2 == then[0]))
        assert len(name) == 3 and then is None
        return int(np.count_nonzero((b2 == name[1]) & (b3 == name[2])))

    def count(self, needle: bytes) -> int:
        """``xml.count(needle)`` for the budget patterns, from the tag positions where it can be."""
        if needle == b"<row":
            return self.count_tag(b"row", None)
        if needle in (b"<c ", b"<c>"):
            return self.count_tag(b"c", needle[2:])
        return self._count(needle)

    @cached_property
    def _attributes(self) -> Any:
        """(name byte, first value byte, second value byte, value start) of every ``X="``
        attribute written with a space before its one-letter name (``t="e"``, `` s="12"``)."""
        import numpy as np

        a = self._a
        quotes = self.__dict__.get("_quotes")
        if quotes is None:
            quotes = np.flatnonzero(a == 34)
        self._quotes = quotes
        i = np.flatnonzero(quotes >= 3)
        q = quotes[i]
        keep = (a[q - 1] == 61) & (a[q - 3] == 32)
        # each value's closing quote is the next quote (an index, not a search over all of them)
        self._closing = i[keep] + 1
        q = q[keep]
        return a[q - 2], self._after(q, 1), self._after(q, 2), q + 1

    def _after(self, at: Any, k: int) -> Any:
        """``_byte(at + k)`` for increasing positions: gathered from the XML ``k`` bytes on (a view),
        without a shifted copy of the positions, unless the last one runs past the end."""
        if len(at) and 0 <= k and int(at[-1]) + k < len(self._a):
            return self._a[k:].take(at)
        return self._byte(at + k)

    def _byte(self, at: Any) -> Any:
        """The bytes at these positions, a quote past the end (no tag name or number goes on with
        one), without copying the XML."""
        import numpy as np

        n = len(self._a)
        if not n:
            return np.full(len(at), 34, dtype=np.uint8)
        out = self._a.take(np.minimum(at, n - 1))
        out[at >= n] = 34
        return out

    def one_letter_values(self, name: bytes) -> frozenset[bytes]:
        """Values of one letter of the attribute (``t="e"`` gives b"e"); longer values are left out."""
        import numpy as np

        names, v1, v2, start = self._attributes
        m = (names == name[0]) & (v2 == 34) & (start + 1 < len(self._a))
        return frozenset(bytes([int(b)]) for b in np.unique(v1[m]))

    def numbers_of(self, name: bytes) -> frozenset[int]:
        """The numeric values of the attribute (`` s="12"`` gives 12), up to six digits."""
        import numpy as np

        names, _, _, start = self._attributes
        closed = self._closing < len(self._quotes)      # a value cut off by the end of the bytes is none
        at = start[(names == name[0]) & closed]
        value = np.zeros(len(at), dtype=np.int64)
        going = np.ones(len(at), dtype=bool)
        for k in range(7):
            b = self._byte(at + k).astype(np.int64)
            digit = going & (b >= 48) & (b <= 57)
            value = np.where(digit, value * 10 + (b - 48), value)
            going = digit
        return frozenset(int(v) for v in np.unique(value))

    def ref_extent(self) -> tuple[int, int, int]:
        """From the `` r="…"`` attributes: (how many start with a capital letter: cell references,
        the largest row number, the largest column, A = 1). Only a value of up to three capital
        letters then one to ten digits, up to its closing quote, gives a row and a column (``A1``,
        ``XFD1048576``, a row's ``7``). The largest are found without reading every number: the
        longest digit runs narrowed byte by byte, the largest letters, each checked in full."""
        import numpy as np

        names, _, _, start = self._attributes
        is_r = names == ord("r")
        at = start[is_r]
        if not len(at):
            return 0, 0, 0
        quotes = self._quotes
        closing = self._closing[is_r]
        length = np.where(closing < len(quotes), quotes[np.minimum(closing, len(quotes) - 1)], len(self._a)) - at
        letters = np.zeros(len(at), dtype=np.int64)
        going = np.ones(len(at), dtype=bool)
        col = np.zeros(len(at), dtype=np.int64)
        for k in range(3):
            b = self._byte(at + k).astype(np.int64)
            going &= (b >= 65) & (b <= 90) & (k < length)
            np.add(col * 26, b - 64, out=col, where=going)
            letters += going
        digits = length - letters
        plausible = (digits >= 1) & (digits <= 10)
        refs = int(((self._byte(at) >= 65) & (self._byte(at) <= 90) & (length > 0)).sum())
        if (plausible & (self._byte(at + letters) == 48) & (digits > 1)).any():   # a leading zero: read them all
            rows = (int(m.group(2)) for i in np.flatnonzero(plausible) if (m := self._ref(at[i], length[i])))
            return refs, max(rows, default=0), self._max_col(at, length, col, plausible)
        return refs, self._max_row(at, letters, length, plausible), self._max_col(at, length, col, plausible)

    def _ref(self, at: Any, length: Any) -> Any:
        return _REF.fullmatch(self.xml, int(at), int(at + length))

    def _max_row(self, at: Any, letters: Any, length: Any, plausible: Any) -> int:
        import numpy as np

        digits = length - letters
        candidates = plausible.copy()
        while candidates.any():
            keep = np.flatnonzero(candidates & (digits == digits[candidates].max()))
            for k in range(int(digits[keep[0]])):
                b = self._byte(at[keep] + letters[keep] + k)
                keep = keep[b == b.max()]
            m = self._ref(at[keep[0]], length[keep[0]])
            if m is not None:
                return int(m.group(2))
            candidates[keep] = False           # not a reference after all (a letter inside the digits)
        return 0

    def _max_col(self, at: Any, length: Any, col: Any, plausible: Any) -> int:
        import numpy as np

        cells = np.flatnonzero(plausible & (col > 0))
        while len(cells):     # the largest column first, without sorting every cell (nearly always one step)
            top = col[cells].max()
            for i in cells[col[cells] == top]:
                if self._ref(at[i], length[i]) is not None:
                    return int(top)
            cells = cells[col[cells] < top]
        return 0

    def keep_only_positions(self) -> None:
        """Let go of what only the questions use (the attributes' names, values and closing
        quotes), keeping the XML and the positions of ``<`` and ``"``: kept past the head read for
        reader/xlsxcells.py, which reads the body from them. Asked again, they are found again."""
        import numpy as np

        self.__dict__.pop("_attributes", None)
        self.__dict__.pop("_tag_bytes", None)
        self.__dict__.pop("_rare", None)
        self.__dict__.pop("_closing", None)
        if len(self.xml) < 2**31 - 64 and "_quotes" in self.__dict__:      # positions as int32: half the memory kept
            lt, b1 = self._tags
            self.__dict__["_tags"] = lt.astype(np.int32), b1
            self._quotes = self._quotes.astype(np.int32)

    @property
    def quotes(self) -> Any:
        """Positions of every ``"``."""
        if "_quotes" not in self.__dict__:
            self._attributes        # noqa: B018 - locates them
        return self._quotes

    @cached_property
    def has_formula_tag(self) -> bool:
        """Whether an ``<f`` (or a prefixed ``:f``) can be there: the formula scan's guard."""
        _, b1 = self._tags
        return bool((b1 == ord("f")).any()) or self.has(b":f")


class PlainBytes:
    """The questions :func:`~cbcheck.reader.xlsxfile.check_counts` and ``_scan_sheet_xml`` ask, by
    plain byte searches: for a sheet whose body calamine will not read (a small workbook: nearly
    every county file), where locating every ``<`` with numpy would cost more than it saves, and
    importing numpy alone ~0.12 s."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml

    def has(self, needle: bytes) -> bool:
        return needle in self.xml

    def count(self, needle: bytes) -> int:
        return self.xml.count(needle)

    def count_tag(self, name: bytes, then: bytes | None) -> int:
        return self.xml.count(b"<" + name + (then or b""))

    @property
    def has_formula_tag(self) -> bool:
        return b"<f" in self.xml or b":f" in self.xml

