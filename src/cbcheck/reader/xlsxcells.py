"""The body of a facility sheet read from its XML with numpy, where the cells are flat.

calamine parses the whole sheet XML again (~0.28 s for 100,000 rows) and builds a Python object
per cell, after the head read has inflated the same XML and :class:`~cbcheck.reader.xmlscan.SheetBytes`
has located every ``<`` and every ``="`` in it. For a body written the plain way, the cells can
be read from those positions: each tag is classified by its first bytes, the cell tags'
``r``/``s``/``t`` attributes are read column-wise, and the ``<v>`` texts are gathered into one
fixed-width byte array that numpy converts to float64 in one call (Python's own correctly
rounded parser, as openpyxl's ``float()``). Shared-string indices are mapped through the
sheet's shared-string table, inline strings (``<is><t>…</t></is>``, xlsxwriter's way) decoded in
one ``bytes.decode`` of their texts joined. reader/xlsxcolumns.py makes of the cells the raw
columns :func:`~cbcheck.reader.fastxlsx.calamine_body` makes of calamine's values, so what
follows cannot tell the readers apart (tests/reader/test_xlsxcells.py holds them to each other
and to openpyxl).

Only this shape is read, from the first body row to the end of ``sheetData``: ``<row r="N" …>``
tags (any attributes; every row of the sheet written with ``r``, numbers increasing), empty
(``<row …/>``, ``<row …></row>``) or holding cells ``<c r="A2"`` then `` s="1"`` and `` t="…"`` at
most, in either order (``t``: ``n``, ``s``, ``b``, ``e`` or ``inlineStr``; none is a number), the
reference on the cell's own row and in order, each cell ``<c …/>``, ``<c …></c>`` (openpyxl's
empty text), ``<v>text</v>`` or ``<is><t>text</t></is>`` (``<t xml:space="preserve">`` and
``<t/>`` too), no whitespace between tags. Error cells and numbers in a date style take the values
the sheet scan found for them (``BodyCells.values``, openpyxl's). Anything else returns None and
calamine (or openpyxl) reads the body: formulas, ``t="str"`` and ``t="d"``, rich inline text, an
entity the XML parser would refuse or a carriage return in an inline text, an empty ``<v>``, a
number written otherwise than digits, sign, point and exponent (``1_000``, `` 5``), a boolean not
0 or 1, a cell without ``r``, out of order or beyond XFD, prefixed tags, a whole number of 16
digits or more; besides everything :func:`~cbcheck.reader.fastxlsx._reads` sends to openpyxl.
``CBCHECK_XLSXCELLS=0`` turns this reader off (calamine then reads every body it may).
A large body (``SPLIT_MIN_TAGS``) is read in two parts that begin at a ``<row>`` tag, side by side
on two cores (reader/sidebyside.py); the cells are those of one reading.
"""

from __future__ import annotations

import os
import re
from functools import partial
from typing import Any

import numpy as np

from cbcheck.reader.sidebyside import cores, side_by_side
from cbcheck.reader.xmlscan import SheetBytes

# tag kinds, from the two bytes after "<" (distinct for every tag a flat body holds)
_OTHER, _ROW, _ROW_END, _C, _C_END, _V, _V_END, _IS, _IS_END, _T, _T_END, _END, _T_SPACE, _T_NONE = range(14)
_KIND = np.zeros(1 << 16, dtype=np.int8)
for _k, _two in ((_ROW, b"ro"), (_ROW_END, b"/r"), (_C, b"c "), (_C_END, b"/c"), (_V, b"v>"), (_V_END, b"/v"),
                 (_IS, b"is"), (_IS_END, b"/i"), (_T, b"t>"), (_T_END, b"/t"), (_T_SPACE, b"t "), (_T_NONE, b"t/")):
    _KIND[_two[0] << 8 | _two[1]] = _k
_THIRD = np.zeros(16, dtype=np.uint8)      # the third byte each kind must have (0: any)
for _k, _ch in ((_C_END, b">"), (_V_END, b">"), (_T_END, b">"), (_IS, b">"), (_IS_END, b"s"), (_ROW, b"w"),
                (_ROW_END, b"o"), (_T_SPACE, b"x"), (_T_NONE, b">")):
    _THIRD[_k] = _ch[0]
_NUMBER_BYTES = np.zeros(256, dtype=bool)
_NUMBER_BYTES[list(b"0123456789.eE+-")] = True
SPLIT_MIN_TAGS = 400_000   # a body of fewer tags (~15,000 rows) is read in one part: a thread costs more
_SHORT_TEXT = 64           # inline texts up to this many bytes are gathered as rows of a block
_MAX_NUMBER = 64           # bytes of a <v> number; longer ones are left to calamine
_MAX_COLUMN = 16384        # XFD
_REST = 32                 # bytes of a cell tag after its reference (`` s="123456789" t="inlineStr"/>`` is 30)
_TAIL = re.compile(rb'(?: s="(\d{1,9})")?(?: t="(s|n|b|e|inlineStr)")?(?: s="(\d{1,9})")?(?: t="(s|n|b|e|inlineStr)")?'
                   rb'(/?)>')
_TYPES = {b"n": 0, b"s": 1, b"b": 2, b"inlineStr": 3, b"e": 4}
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));")
_PRESERVE = b'<t xml:space="preserve">'
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def enabled() -> bool:
    return os.environ.get("CBCHECK_XLSXCELLS", "1").strip().lower() not in {"0", "no", "false", "off"}


class _Flat(Exception):
    """The body is not of the flat shape (module docstring): calamine reads it."""


def _need(ok: Any) -> None:
    if not bool(np.all(ok)):
        raise _Flat


def read_cells(sb: SheetBytes, strings: list[str], first: int) -> tuple[Any, Any, Any, Any] | None:
    """(sheet row, column (1-based), kind, (values, numbers)) of each cell written from sheet row
    ``first`` on, in document order; kind 0 blank, 1 number (in ``numbers``, float64), 2 text and
    3 bool (in ``values``, objects). None when the body is not flat."""
    try:
        return _read(sb, strings, first)
    except _Flat:
        return None


def _read(sb: SheetBytes, strings: list[str], first: int) -> tuple[Any, Any, Any, Any]:
    i0, i1, rows_at, row_no = _rows(sb)         # each written <row r="N"…, in order; the body from the first >= first
    lt = sb._tags[0]
    body_rows = np.flatnonzero(row_no >= first)
    if not len(body_rows):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8), (np.zeros(0, object), np.zeros(0))
    # the body in parts that begin at a <row> tag, read side by side: numpy lets go of the GIL in
    # most of its passes, so an idle second core takes half the work (each part is checked as the
    # whole was: a part ends at a row's end, and the rows' numbers increase across the parts)
    parts = _parts(len(body_rows), int(i1 - rows_at[body_rows[0]]))
    bounds = [int(rows_at[body_rows[k]]) for k in parts[:-1]] + [i1]
    jobs = [(bounds[p], bounds[p + 1], row_no[body_rows[parts[p]:parts[p + 1]]],
             int(lt[bounds[p + 1]]) if p + 2 < len(parts) else sb._inner[1] - 2) for p in range(len(parts) - 1)]
    if len(jobs) == 1:
        return _read_part(sb, strings, *jobs[0])
    got = side_by_side([partial(_read_part, sb, strings, *job) for job in jobs])
    return (np.concatenate([g[0] for g in got]), np.concatenate([g[1] for g in got]),
            np.concatenate([g[2] for g in got]),
            (np.concatenate([g[3][0] for g in got]), np.concatenate([g[3][1] for g in got])))


def _parts(rows: int, tags: int) -> list[int]:
    """Where the body's parts begin, as indices of its rows, and the end: one part below
    ``SPLIT_MIN_TAGS`` tags or on one core."""
    n = 2 if tags >= SPLIT_MIN_TAGS and rows >= 2 and cores() >= 2 else 1
    return [rows * k // n for k in range(n)] + [rows]


def _read_part(sb: SheetBytes, strings: list[str], j0: int, j1: int, row_no: Any, next_at: int) -> tuple[Any, ...]:
    """The cells of the tags ``j0:j1`` (whole rows, numbered ``row_no``); ``next_at``: where the
    tag after them begins."""
    a = sb._a
    lt, b1 = sb._tags
    tags = lt[j0:j1]
    n = len(tags)
    kind = np.full(n + 6, _END, dtype=np.int8)                 # padded: the patterns look ahead
    kind[:n] = _KIND[(b1[j0:j1].astype(np.uint16) << 8) | a[2:].take(tags)]
    third = _THIRD[kind[:n]]
    _need((kind[:n] != _OTHER) & ((third == 0) | (a[3:].take(tags) == third)))
    spaced = np.flatnonzero(kind[:n] == _T_SPACE)          # <t xml:space="preserve">: a <t> (the parser keeps spaces)
    if len(spaced):
        _need(_window(a, tags[spaced], len(_PRESERVE)) == np.frombuffer(_PRESERVE, dtype=np.uint8))
        kind[spaced] = _T
    # no whitespace or text between tags, but inside <v> and <t>
    _need((a.take(tags - 1) == 62) | (kind[:n] == _V_END) | (kind[:n] == _T_END))
    _need(a[next_at - 1] == 62)

    def ends(at: Any) -> Any:             # each tag's ">": the byte before the next tag
        return np.where(at + 1 < n, tags[np.minimum(at + 1, n - 1)], next_at) - 1

    # rows: <row …/> or <row …>cells</row> (openpyxl writes an empty row <row r="2"></row>), one after another
    row_tags = np.flatnonzero((kind[:n] == _ROW) | (kind[:n] == _ROW_END))
    closed = a.take(ends(row_tags) - 1) == 47
    follows = kind[row_tags + 1]
    to_row = (follows == _ROW) | (follows == _END)
    _need(np.where((kind[row_tags] == _ROW) & ~closed, (follows == _C) | (follows == _ROW_END), to_row))
    cells = np.flatnonzero(kind[:n] == _C)
    in_row = np.cumsum(kind[:n] == _ROW, dtype=np.int32)[cells] - 1     # the <row> each cell is in
    row = row_no[in_row]
    # each cell tag: <c r="A2" then s="…" and t="…" at most, in either order, then "/>" or ">"
    col, cell_type, blank = _cell_tags(sb, tags[cells], ends(cells), row_no, in_row)
    _need(np.diff(row * (_MAX_COLUMN + 1) + col) > 0)
    # the content each cell must hold, and no other tag anywhere: <c …/>, <c …></c> (openpyxl's ""),
    # <v>…</v>, <is><t>…</t></is> or <is><t/></is>
    empty_c = ~blank & (kind[cells + 1] == _C_END)
    blank |= empty_c
    has_v, has_is = ~blank & (cell_type != 3), ~blank & (cell_type == 3)
    v, i = cells[has_v], cells[has_is]
    _need((kind[v + 1] == _V) & (kind[v + 2] == _V_END) & (kind[v + 3] == _C_END))
    empty_t = kind[i + 2] == _T_NONE
    _need((kind[i + 1] == _IS) & np.where(empty_t, (kind[i + 3] == _IS_END) & (kind[i + 4] == _C_END),
                                          (kind[i + 2] == _T) & (kind[i + 3] == _T_END) & (kind[i + 4] == _IS_END)
                                          & (kind[i + 5] == _C_END)))
    length = np.where(blank, np.where(empty_c, 2, 1), 4)           # tags of each cell
    length[has_is] = np.where(empty_t, 5, 6)
    _need(len(row_tags) + int(length.sum()) == n)
    _need(np.isin(kind[cells + length], (_C, _ROW_END)))          # then a cell or </row>
    values = np.empty(len(cells), dtype=object)
    out_kind = np.zeros(len(cells), dtype=np.int8)
    numbers = np.zeros(len(cells))
    v_start, v_end = tags[v + 1] + 3, tags[v + 2]
    _need(v_end > v_start)
    types_v = cell_type[has_v]
    at = np.flatnonzero(has_v)
    out_kind[at[types_v == 4]] = 4            # an error cell: its text is openpyxl's (BodyCells.values)
    for t, k in ((0, 1), (1, 2), (2, 3)):
        m = types_v == t
        if m.any():
            out_kind[at[m]] = k
            got = _texts_of(a, v_start[m], v_end[m])
            if t == 0:
                numbers[at[m]] = _numbers(got)
            elif t == 1:
                values[at[m]] = _shared(got, strings)
            else:
                _need((got == b"0") | (got == b"1"))
                values[at[m]] = (got == b"1").astype(object)
    i = i[~empty_t]                                   # <t/>: "", a blank cell on every path
    if len(i):
        start = np.where(a.take(tags[i + 2] + 2) == 62, tags[i + 2] + 3, tags[i + 2] + len(_PRESERVE))
        values[np.flatnonzero(has_is)[~empty_t]] = _inline(a, start, tags[i + 3])
        out_kind[np.flatnonzero(has_is)[~empty_t]] = 2
    return row, col, out_kind, (values, numbers)


def rows_in_order(sb: SheetBytes) -> bool:
    """Whether every row of the sheet is written ``<row r="N"…`` and the numbers increase. openpyxl
    places a row by its tag (or by counting), calamine each cell by its reference: with rows out
    of order the two readings differ (a row is lost on one path), so calamine must not read it."""
    try:
        _rows(sb)
    except _Flat:
        return False
    return True


def _rows(sb: SheetBytes) -> tuple[int, int, Any, Any]:
    """(first tag index inside <sheetData>, end, the row tags' indices, their numbers)."""
    a = sb._a
    s0, s1 = sb._inner
    _need(s1 > s0)
    lt, b1 = sb._tags
    i0, i1 = (int(i) for i in np.searchsorted(lt, [s0, s1 - 2]))
    rows_at = i0 + np.flatnonzero((b1[i0:i1] == 114) & (a[2:].take(lt[i0:i1]) == 111))
    row_no, _ = _attribute_r(sb, lt[rows_at] + 4, letters=False)
    _need(np.diff(row_no) > 0)
    return i0, i1, rows_at, row_no


def _at(sb: SheetBytes, at: Any) -> Any:
    """The bytes at these positions (all inside the sheet XML: a flat body's tags are followed by more)."""
    return sb._a.take(at, mode="clip")


def _attribute_r(sb: SheetBytes, at: Any, *, letters: bool) -> tuple[Any, Any]:
    """The `` r="…"`` written at these positions, as (digits, letters as a column)."""
    for k, ch in enumerate(b' r="'):
        _need(_at(sb, at + k) == ch)
    quotes = sb.quotes
    closing = np.searchsorted(quotes, at + 3) + 1
    _need(closing < len(quotes))
    return _refs(sb, at + 4, quotes[np.minimum(closing, len(quotes) - 1)], letters=letters)


def _cell_tags(sb: SheetBytes, at: Any, ends: Any, row_no: Any, in_row: Any) -> tuple[Any, Any, Any]:
    """(column, type code 0 n 1 s 2 b 3 inlineStr, self-closing) of the cell tags at ``at`` (their
    ``>`` at ``ends``), each written ``<c r="A2"`` on its row, then `` s="…"`` and `` t="…"`` at most.
    The reference is checked against its row's digits; the rest of each tag (a handful of
    distinct texts in a sheet: `` t="s">``, ``/>``…) is read once per distinct text."""
    a = sb._a
    head = _window(a, at, 9)
    _need(head[:, :6] == np.frombuffer(b'<c r="', dtype=np.uint8))
    upper = (head[:, 6:9] >= 65) & (head[:, 6:9] <= 90)
    letters = 1 + upper[:, 1] + (upper[:, 1] & upper[:, 2])
    _need(upper[:, 0])
    lv = head[:, 6:9].astype(np.int64) - 64
    col = np.where(letters == 1, lv[:, 0], np.where(letters == 2, lv[:, 0] * 26 + lv[:, 1],
                                                     (lv[:, 0] * 26 + lv[:, 1]) * 26 + lv[:, 2]))
    _need(col <= _MAX_COLUMN)
    # the digits: those of the row (and a quote), as the row's own r="…" wrote them
    n_digits = 1 + np.searchsorted(10 ** np.arange(1, 11), row_no, side="right")
    expected = np.zeros((len(row_no), 12), dtype=np.uint8)
    for k in range(int(n_digits.max(initial=0))):
        on = k < n_digits
        expected[on, k] = row_no[on] // 10 ** (n_digits[on] - 1 - k) % 10 + 48
    expected[np.arange(len(row_no)), n_digits] = 34
    mask = np.where(expected != 0, 255, 0).astype(np.uint8)
    n_digits = n_digits[in_row]
    # compared as three 4-byte words a cell, the bytes after the quote masked off
    got = _window(a, at + 6 + letters, 12).view(np.uint32)
    _need((got & mask.view(np.uint32)[in_row]) == expected.view(np.uint32)[in_row])
    rest = at + 7 + letters + n_digits          # after the reference's closing quote
    length = ends + 1 - rest
    _need((length >= 1) & (length <= _REST))
    cell_type = np.zeros(len(at), dtype=np.int8)
    closed = np.zeros(len(at), dtype=bool)
    # tails of one length side by side (">" alone for most numbers), each distinct one matched once
    for width in np.flatnonzero(np.bincount(length, minlength=_REST + 1)):
        members = np.flatnonzero(length == width)
        tails = _window(a, rest[members], int(width))
        while len(members):
            same = (tails == tails[0]).all(axis=1)
            m = _TAIL.fullmatch(tails[0].tobytes())
            _need(m is not None)
            assert m is not None
            _need((m.group(1) is None or m.group(3) is None) and (m.group(2) is None or m.group(4) is None))
            kind = m.group(2) or m.group(4) or b"n"
            cell_type[members[same]] = _TYPES[kind]
            closed[members[same]] = bool(m.group(5))
            tails, members = tails[~same], members[~same]
    return col, cell_type, closed


def _window(a: Any, at: Any, width: int) -> Any:
    """The ``width`` bytes from each position, one row each (a copy; the XML goes on past them)."""
    _need(at + width <= len(a))
    return np.lib.stride_tricks.sliding_window_view(a, width)[at]


def _refs(sb: SheetBytes, start: Any, end: Any, *, letters: bool) -> tuple[Any, Any]:
    """(digits as a number, letters as a column) of attribute values: ``A12`` (letters=True) or
    ``12``; anything else is not flat."""
    length = end - start
    _need((length >= 1) & (length <= 13))
    col = np.zeros(len(start), dtype=np.int64)
    n_letters = np.zeros(len(start), dtype=np.int64)
    going = np.full(len(start), letters)
    for k in range(3 if letters else 0):
        b = _at(sb, start + k).astype(np.int64)
        going &= (b >= 65) & (b <= 90) & (k < length)
        np.add(col * 26, b - 64, out=col, where=going)
        n_letters += going
    digits = length - n_letters
    _need((digits >= 1) & (digits <= 10) & (n_letters >= (1 if letters else 0)))
    number = np.zeros(len(start), dtype=np.int64)
    for k in range(int(digits.max(initial=0))):
        on = k < digits
        b = _at(sb, start + n_letters + k).astype(np.int64)
        _need(~on | ((b >= 48) & (b <= 57)))
        number = np.where(on, number * 10 + b - 48, number)
    return number, col


def _texts_of(a: Any, start: Any, end: Any) -> Any:
    """The bytes between each start and end as a fixed-width ``S`` array."""
    length = end - start
    width = int(length.max(initial=1))
    _need(width <= _MAX_NUMBER)
    k = np.arange(width, dtype=np.int64)
    if int(start.max(initial=0)) + width <= len(a):        # a </v> follows: rows of a window, no index grid
        grid = np.lib.stride_tricks.sliding_window_view(a, width)[start]
    else:
        grid = a.take(start[:, None] + k, mode="clip")
    grid[k >= length[:, None]] = 0
    return grid.view(f"S{width}").ravel()


def _numbers(texts: Any) -> Any:
    """openpyxl's ``_cast_number``: a text with a point or an exponent is a float, any other an int
    (``-0`` is 0, ``-0.0`` stays -0.0)."""
    b = texts.view(np.uint8).reshape(len(texts), -1)
    _need(_NUMBER_BYTES[b] | (b == 0))
    try:
        f = texts.astype(np.float64)
    except ValueError:
        raise _Flat from None
    whole_text = ~((b == 46) | (b == 101) | (b == 69)).any(axis=1)
    f[whole_text] += 0.0
    return f


def _shared(texts: Any, strings: list[str]) -> Any:
    _need(np.char.isdigit(texts))
    index = texts.astype(np.int64)
    _need(index < len(strings))
    table = np.empty(len(strings), dtype=object)
    table[:] = strings
    return table[index]


def _inline(a: Any, start: Any, end: Any) -> Any:
    """The inline texts, decoded in one call (a NUL, which XML cannot hold, between them)."""
    length = end - start
    width = int(length.max(initial=0)) + 1
    # names, types: the bytes of each as a row, the rows' first bytes kept (unless the last row
    # would run past the XML's end: a long text in a short sheet)
    if width <= _SHORT_TEXT and int(start.max(initial=0)) + width <= len(a):
        block = _window(a, start, width)
        block[np.arange(len(start)), length] = 0
        joined = block[np.arange(width) <= length[:, None]]
    else:
        total = int(length.sum())
        offsets = np.cumsum(length + 1) - (length + 1)
        at = np.arange(total + len(start))
        at += np.repeat(start - offsets, length + 1)
        joined = a.take(at, mode="clip")
        del at
        joined[offsets + length] = 0
    _need(joined != 13)                  # a carriage return: the XML parser's line-end rules
    try:
        text = joined[:-1].tobytes().decode("utf-8") if len(start) else ""
    except UnicodeDecodeError:
        raise _Flat from None
    if "&" in text:
        text = _unescaped(text)
    texts = text.split("\x00") if len(start) else []
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _unescaped(text: str) -> str:
    """XML's five named entities and its character references replaced, as the XML parser does;
    any other ``&`` (an entity the parser would refuse) is not flat."""
    def one(m: re.Match[str]) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        code = int(m.group(1), 10) if m.group(1) else int(m.group(2), 16)
        _need(code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)
        return chr(code)

    out, n = _ENTITY.subn(one, text)
    _need(n == text.count("&"))
    return out
