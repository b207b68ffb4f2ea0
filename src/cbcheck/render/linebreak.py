"""Line breaks for Chinese text at a terminal's width.

rich breaks lines at spaces only: a run of Chinese without spaces is one "word", pushed whole
to the next line (leaving a short line behind) or, when longer than the line, cut at any cell,
so a line may start with ``：`` or ``）`` and a number or a rule id written inside Chinese may be
cut in two (``超出5`` / ``2克``). Chinese may break between any two characters, with the
typographers' rules (禁则): no line starts with closing punctuation (，。、；：）” …) and none ends
with an opening one (（“ …). Runs of Latin letters, digits and their punctuation (a number, a
unit, a rule id, a cell address) are kept whole unless longer than the line.

:func:`breaks` gives the offsets to break a plain string at; :class:`Para` is a rich renderable
that wraps its markup with them (styles kept: rich's ``Text.divide``).
"""

from __future__ import annotations

from typing import Iterator

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions
from rich.text import Text

NO_START = frozenset("，。、；：？！）】》」』〕”’％…·～,.;:?!)]}%/")
NO_END = frozenset("（【《「『〔“‘([{/")        # a slash binds both sides: 吨标准煤/万元 is one unit


def _tokens(plain: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind): a run of spaces, a run of narrow non-space characters (a word, a
    number, an id), or one wide character."""
    i, n = 0, len(plain)
    while i < n:
        c = plain[i]
        j = i + 1
        if c.isspace():
            while j < n and plain[j].isspace():
                j += 1
            yield i, j, "space"
        elif cell_len(c) == 2:
            yield i, j, "wide"
        else:
            while j < n and not plain[j].isspace() and cell_len(plain[j]) != 2:
                j += 1
            yield i, j, "narrow"
        i = j


def _clusters(plain: str) -> list[tuple[int, int, int, list[int]]]:
    """(start, end of the printed part, end with trailing spaces, where its tokens start): the
    pieces no break may go inside — a wide character or a narrow run, with closing punctuation
    pulled onto the piece before it and an opening one pushed onto the piece after it (and the
    report's " · " separator kept at the end of a line); trailing spaces hang."""
    out: list[tuple[int, int, int, list[int]]] = []
    glue_next = False
    for start, end, kind in _tokens(plain):
        if kind == "space":
            if out:
                a, b, _, inner = out[-1]
                out[-1] = (a, b, end, inner)
                glue_next = False
            else:
                out.append((start, end, end, [start]))
            continue
        first, last = plain[start], plain[end - 1]
        joins = out and (out[-1][2] == out[-1][1] and (glue_next or first in NO_START)
                         or plain[start:end] == "·")
        if joins:
            a, _, _, inner = out[-1]
            out[-1] = (a, end, end, [*inner, start])
        else:
            out.append((start, end, end, [start]))
        glue_next = last in NO_END
    return out


def breaks(plain: str, width: int) -> list[int]:
    """Offsets at which to break ``plain`` so that no line is wider than ``width`` cells."""
    width = max(1, width)
    offsets: list[int] = []
    used = 0

    def place(start: int, end: int) -> None:
        nonlocal used
        size = cell_len(plain[start:end])
        if used and used + size > width:
            offsets.append(start)
            used = 0
        if size > width:                               # longer than a line: cut by cells
            pos = start
            pieces = chop_cells(plain[start:end], width)
            for piece in pieces[:-1]:
                pos += len(piece)
                offsets.append(pos)
            used = cell_len(pieces[-1])
        else:
            used += size

    for start, end, after, inner in _clusters(plain):
        if cell_len(plain[start:end]) <= width:
            place(start, end)
        else:                                          # too long to keep whole: break between its tokens
            for a, b in zip(inner, [*inner[1:], end], strict=True):
                place(a, b)
        used += cell_len(plain[end:after])
    return offsets


class Para:
    """Markup printed from column ``left``, wrapped by :func:`breaks` (Chinese reports) or by
    rich's own word wrap (``cjk=False``: English, whose breaks are at spaces); ``hang`` more
    columns before each continuation line (a numbered card's head: ``1. 未达标 · …`` continues
    under its text, not under its number)."""

    def __init__(self, markup: str, left: int = 0, cjk: bool = True, hang: int = 0) -> None:
        self.markup, self.left, self.cjk, self.hang = markup, left, cjk, hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        text = console.render_str(self.markup)
        width = options.max_width - self.left
        for part in text.split("\n", allow_blank=True):
            lines = self._wrapped(console, part, width)
            for i, line in enumerate(lines):
                line.rstrip()
                out = Text(" " * (self.left + (self.hang if i else 0))) + line
                out.no_wrap, out.overflow = True, "ignore"
                yield out

    def _wrapped(self, console: Console, part: Text, width: int) -> list[Text]:
        def wrap(text: Text, w: int) -> list[Text]:
            return list(text.divide(breaks(text.plain, w)) if self.cjk else text.wrap(console, w))

        lines = wrap(part, width)
        if not self.hang or len(lines) < 2:
            return lines
        # the first line at full width, the rest re-wrapped ``hang`` columns narrower
        start = len(lines[0].plain)
        while start < len(part.plain) and part.plain[start].isspace():
            start += 1
        return [lines[0], *wrap(part[start:], max(1, width - self.hang))]
