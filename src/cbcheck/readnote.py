"""Notes on how a file was read, as values: what happened (``kind``), the sentence (a
:class:`~cbcheck.i18n.message.Msg` with a key under ``read`` in the catalogues) and the cells
it concerns (:class:`Span`).

A :class:`ReadNote` *is* its English sentence (a ``str``, like ``Msg``), so every caller that
treats ``Submission.notes`` as text keeps working; the report groups notes by ``kind`` and
renders each in the reader's language from its key.

Kinds, in the order the report lists them:

``sheet_skipped``  a sheet that was not read (hidden, empty, no table) — with its used range
``row_unmatched``  a row (or a facility column) whose label names no indicator — did-you-mean
``row_basis``      a recognised row on another basis than the plans' figure (能源消费总量（当量值）), not read
``column_ignored`` a column not read (a target column, 2024年1-9月, 备注 on a facility table)
``value_unused``   a recognised row no judged rule read, and why (added by the engine: cbcheck.unused)
``restated``       a restated figure (五经普修订, 其中：修订后) read in place of the first-published one
``value``          a value read in a way to check (0.132 in a share row read as 0.132 %)
``approximate``    a value written as approximate (约5.2, 5.2左右)
``remark``         a 注：/说明 row or a 填表人/审核人 footer: read (for 现价/比上年, contact), listed
``cleaned``        something removed from the text (NUL bytes)
``option_ignored`` --sheet on a CSV, --encoding on a workbook
``entity``         whose submission the file was read as, when the file says so against the usual reading,
                   or says it both ways, or ``--scope`` chose (reader/scope.py)
``encoding``, ``delimiter``, ``layout``, ``table``, ``facility``: how the rest was read
``scope``          read as a county's because the file says nothing either way (routine: one clause)

``table`` and ``facility`` notes name the cells their table consumed (title and metadata rows,
the header, the name/unit/year columns over the data rows; a facility table's body as one
rectangle), so that "every non-empty cell was either read or listed" can be checked
(``tests/reader/test_consumed_or_listed.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, cast

from cbcheck.i18n.message import Msg

KINDS = ("sheet_skipped", "row_unmatched", "row_basis", "column_ignored", "value_unused", "restated", "value",
         "approximate", "remark", "cleaned", "option_ignored", "entity", "encoding", "delimiter", "layout", "table",
         "facility", "scope", "other")
# Kinds a clean file has: shown as one or two lines, without their cells.
ROUTINE = frozenset({"encoding", "delimiter", "layout", "table", "facility", "scope"})


def column_letters(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (the one spelling of a column number; grid.col_letter and the
    xlsx writer use it too)."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Span:
    """A rectangle of cells of one sheet (or CSV file), 1-based and inclusive."""

    sheet: str
    csv: bool
    row: int
    col: int
    row2: int
    col2: int

    @classmethod
    def cell(cls, sheet: str, csv: bool, row: int, col: int) -> Span:
        return cls(sheet, csv, row, col, row, col)

    def covers(self, row: int, col: int) -> bool:
        return self.row <= row <= self.row2 and self.col <= col <= self.col2

    def __str__(self) -> str:
        one = (self.row, self.col) == (self.row2, self.col2)
        if self.csv:
            start = f"{self.sheet}:{self.row}:{self.col}"
            return start if one else f"{start}-{self.row2}:{self.col2}"
        ref = self.sheet if re.fullmatch(r"\w+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
        start = f"{ref}!{column_letters(self.col)}{self.row}"
        return start if one else f"{start}:{column_letters(self.col2)}{self.row2}"


def _rebuild(kind: str, key: str, cells: tuple[Span, ...], params: dict[str, Any]) -> ReadNote:
    return ReadNote(kind, key, cells, **params)


class ReadNote(Msg):
    """One thing said about how a file was read: ``kind``, the sentence, and its cells."""

    kind: str
    cells: tuple[Span, ...]

    def __new__(cls, kind: str, key: str, cells: Iterable[Span] = (), **params: Any) -> ReadNote:
        assert kind in KINDS, kind
        self = cast(ReadNote, super().__new__(cls, key, **params))
        self.kind = kind
        self.cells = tuple(cells)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.kind, self.key, self.cells, self.params)

    def __repr__(self) -> str:
        return f"ReadNote({self.kind!r}, {self.key!r}, {self.params!r})"

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "message": self.text(lang),
                "cells": [str(c) for c in self.cells]}


def listing(items: Iterable[str]) -> str:
    """``a, b, c`` in English, ``a、b、c`` in Chinese (a ``Msg`` when there are several)."""
    out: str | None = None
    for item in items:
        out = item if out is None else Msg("read.and", a=out, b=item)
    return out or ""


def kind_of(note: str) -> str:
    """A note's kind; ``other`` for a plain string (a warning added after reading)."""
    return note.kind if isinstance(note, ReadNote) else "other"


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Rectangles of one column run down consecutive rows joined into one (a name column over
    200 data rows is one span, not 200)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.sheet, s.col, s.col2, s.row)):
        last = out[-1] if out else None
        if last is not None and (last.sheet, last.csv, last.col, last.col2) == (s.sheet, s.csv, s.col, s.col2) \
                and s.row <= last.row2 + 1:
            out[-1] = Span(last.sheet, last.csv, last.row, last.col, max(last.row2, s.row2), last.col2)
        else:
            out.append(s)
    return out
