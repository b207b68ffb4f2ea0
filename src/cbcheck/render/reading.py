"""The "how this file was read" section, as plain data every format renders.

The reader's notes (:class:`~cbcheck.readnote.ReadNote`) are grouped by kind, in the order of
:data:`~cbcheck.readnote.KINDS`: what was *not* read first (sheets skipped, rows not recognised
with did-you-mean, columns not read), then what was read in a way worth checking (approximate
values, 注： rows and footers), then how the rest was read. Each line names its cells.

A clean file — one table read, nothing skipped — is one line: the routine notes (encoding,
delimiter, layout, tables) are joined, each table shown with the range it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import translate
from cbcheck.model import Submission
from cbcheck.readnote import KINDS, ROUTINE, ReadNote, Span, kind_of

SEP = {"zh": "；", "en": "; "}


@dataclass(frozen=True)
class ReadingGroup:
    kind: str
    title: str | None             # None: the routine line of a clean file
    lines: list[str]


def bounds(spans: Iterable[Span]) -> list[Span]:
    """One rectangle per sheet around ``spans`` (a table read is shown by its range)."""
    by_sheet: dict[tuple[str, bool], list[Span]] = {}
    for s in spans:
        by_sheet.setdefault((s.sheet, s.csv), []).append(s)
    return [Span(sheet, csv, min(s.row for s in ss), min(s.col for s in ss), max(s.row2 for s in ss),
                 max(s.col2 for s in ss)) for (sheet, csv), ss in by_sheet.items()]


def _line(note: str, m: Messages) -> str:
    text = translate(note, m.lang)
    if not isinstance(note, ReadNote) or not note.cells:
        return text
    cells = bounds(note.cells) if note.kind in ROUTINE else list(note.cells)
    shown = [str(c) for c in cells if str(c) not in text]
    if not shown:
        return text
    more = len(shown) - 6
    listed = Msg.listing(shown[:6]).text(m.lang)
    if more > 0:
        listed += f" (+{more})"
    return text + (f"（{m('read.cells', cells=listed)}）" if m.lang == "zh" else f" ({m('read.cells', cells=listed)})")


def noted_locations(notes: Iterable[str]) -> set[str]:
    """Locations of unrecognised labels the notes already name (so they are not listed twice)."""
    return {str(n.params.get("at") or n.params.get("location")) for n in notes
            if isinstance(n, ReadNote) and n.kind == "row_unmatched"}


def groups(s: Submission, m: Messages) -> list[ReadingGroup]:
    by_kind: dict[str, list[str]] = {}
    for note in s.notes:
        by_kind.setdefault(kind_of(note), []).append(note)
    out: list[ReadingGroup] = []
    routine = [n for k in KINDS if k in ROUTINE for n in by_kind.get(k, [])]
    unusual = [k for k in KINDS if k not in ROUTINE and k != "other" and k in by_kind]
    if "other" in by_kind:                # said after reading (a roll-up's sources, a region warning): as written
        out.append(ReadingGroup("other", None, [_line(n, m) for n in by_kind["other"]]))
    for kind in unusual:
        out.append(ReadingGroup(kind, m("read.group", title=m(f"read.kind.{kind}"), n=len(by_kind[kind])),
                                [_line(n, m) for n in by_kind[kind]]))
    if routine:
        lines = [_line(n, m) for n in routine]
        if not unusual and len(lines) <= 4:
            out.append(ReadingGroup("routine", None, [SEP.get(m.lang, "; ").join(lines)]))
        else:
            out.append(ReadingGroup("routine", m("read.kind.table"), lines))
    return out


def flat(gs: list[ReadingGroup]) -> list[str]:
    """The section as lines (a heading, then its lines indented): for formats with no nesting."""
    out: list[str] = []
    for g in gs:
        if g.title is None:
            out += g.lines
        else:
            out.append(g.title)
            out += ["  " + line for line in g.lines]
    return out


def as_json(notes: Iterable[str]) -> list[dict[str, Any]]:
    """``kind``, ``message`` (English, as every JSON message), ``key`` and ``cells`` of each note."""
    return [n.as_dict() if isinstance(n, ReadNote) else {"kind": "other", "key": None, "message": str(n), "cells": []}
            for n in notes]
