"""Facility rules and shares judged a part of the table at a time (``part_rows()`` rows, as a
record batch of the streamed CSV holds them), the results joined into what the whole table gives.

This is the rules' half of judging a facility CSV as it streams (benchmarks/README.md, "Facility
rules judged by parts of the table"): a rule's facilities are chosen (type, ``where``, ``exempt``)
and judged on each part with the table's own dictionaries (one code per word across parts, as
the streamed reader writes them), positions made the table's by the part's offset; what is kept
of a part is what :func:`cbcheck.facility_rules._judged` keeps of a slice (listed entries, and the
verdict code of every facility covered). A share keeps each part's (holds, weights) and sums them
once, so it is the same double as over the whole table; which cell it says is missing is settled
after the last part (the first condition that misses anywhere, then its first row), as one pass
over the whole table says it. A unit error in any part is left to the whole-table path, which
words it as it always did (which cell, which unit).

:class:`RuleParts` and :class:`ShareParts` take parts pushed in order, as a reader streaming
record batches would hand them. Here the parts are still views of a table read whole: the reader
does not yet hand the rules its record batches, so the table is held as before (what is left is
listed in the README section).
"""

from __future__ import annotations

import dataclasses

import os
from typing import Any, Iterator, cast

import numpy as np

from cbcheck.backends import keep_passing
from cbcheck.checks import KINDS, Context
from cbcheck.errors import UnitError
from cbcheck.facility_listing import Grown, Listing
from cbcheck.facility_results import TablePart, listed_codes
from cbcheck.model import FacilityTable, Rule


def part_rows() -> int:
    """Table rows judged at a time (``CBCHECK_TABLE_PART``; the tests set a few rows to hold the
    parts to the whole table). 65,536: a few dozen of the stream's record batches."""
    return max(1, int(os.environ.get("CBCHECK_TABLE_PART", "") or 65536))


class _Shifted:
    """A lazy column (reader/facility_cells.py) of the table, seen from a part starting at ``start``."""

    def __init__(self, lazy: Any, start: int, stop: int) -> None:
        self.lazy, self.start, self.stop = lazy, start, stop

    def whole(self) -> Any:
        return self.lazy.take(np.arange(self.start, self.stop))

    def take(self, idx: np.ndarray) -> Any:
        return self.lazy.take(np.asarray(idx) + self.start)


def table_part(table: FacilityTable, start: int, stop: int) -> FacilityTable:
    """Rows ``start:stop`` of ``table`` as a table of their own: the same columns, types and
    dictionaries (codes mean what they mean in the table), cell units and lazy columns sliced.
    Whatever is keyed by source row (unreadable cells, the bounds and approximations written in
    them: the rules look them up by row) is shared: ``dataclasses.replace`` carries every field
    not sliced here, so a field added to the table later cannot be dropped from the parts."""
    data = {cid: (None if values is None else values[start:stop]) for cid, values in table.data.items()}
    return dataclasses.replace(
        table, data=data, cell_units={cid: cells[start:stop] for cid, cells in table.cell_units.items()},
        coded={cid: (codes[start:stop], words) for cid, (codes, words) in table.coded.items()},
        lazy={cid: _Shifted(lazy, start, stop) for cid, lazy in table.lazy.items()})


def parts(table: FacilityTable) -> Iterator[tuple[int, FacilityTable]]:
    """(offset, part) of the table, ``part_rows()`` rows each; the table itself when it is one part."""
    n, size = len(table), part_rows()
    if n <= size:
        yield 0, table
        return
    memo: dict[str, Any] = {}       # the unreadable cells by column, looked through once (facility_rules.prepare)
    for start in range(0, n, size):
        part = table_part(table, start, min(start + size, n))
        part.__dict__["_bad_cells"] = memo
        yield start, part


def judged(rule: Rule, table: FacilityTable, ctx: Context) -> TablePart | None:
    """The rule's part of ``table`` (None: no facility of its type), judged part by part;
    what ``_judged(rule, table, select(rule, table), ctx)`` gives, byte for byte."""
    from cbcheck.facility_rules import _judged, select
    from cbcheck.streamed import prejudged

    hit, got = prejudged(table, "rule", rule, ctx)      # judged as the file streamed
    if hit:
        return cast("TablePart | None", got)
    try:
        judging = RuleParts(rule, ctx, len(table))
        for offset, part in parts(table):
            judging.add(part, offset)
        return judging.result(table)
    except UnitError:
        chosen = select(rule, table)        # the whole table's words for it
        return None if chosen is None else _judged(rule, table, chosen, ctx)


class RuleParts:
    """A rule judged over pieces of a table handed in order (:meth:`add`: a part, and its first
    row's position in the table), ``batch_rows()`` facilities at a time; :meth:`result` joins
    them into the rule's :class:`TablePart` of the table. Every kind judges a facility from its
    own row (values, threshold, previous value, deadline), so a batch's verdicts are those rows'
    verdicts in one pass; without :func:`keep_passing` only the listed facilities' arrays are
    kept (in table order, the listing's order within a status), the rest counted by their
    codes. Pushed, not pulled: a reader streaming record batches hands each part to every rule."""

    def __init__(self, rule: Rule, ctx: Context, capacity: int | None = None) -> None:
        self.rule, self.ctx = rule, ctx
        self.listed = None if keep_passing() else listed_codes(rule.binding)
        # ``capacity``: the table's rows at most (a bound, where the caller knows one: the buffers are
        # written in place, never joined from pieces)
        self.listing = Listing(capacity)
        self.codes = Grown(np.int8, capacity if self.listed is not None else 0)
        self.positions = Grown(self.listing.positions.data.dtype, capacity if self.listed is not None else 0)
        # One pass judges the whole column when any facility is left to judge, which also fills what
        # is observed and expected for those already decided (a MISSING_ATTRIBUTE row shows its
        # date): batches with nothing left to judge wait until one has something, or the end.
        self.waiting: list[tuple[np.ndarray, Any]] = []
        self.judging = False
        self.column = rule.indicator
        self.covers = False
        self.empty: tuple[FacilityTable, int, Any] | None = None     # a part of the type covering none

    def add(self, part: FacilityTable, offset: int) -> None:
        from cbcheck.facility_rules import select

        chosen = select(self.rule, part)
        if chosen is None:
            return
        if len(chosen[0]):
            self.covers = True
            self.feed(part, offset, chosen)
        elif self.empty is None:        # judged only when no part covers any (the whole table's empty pass)
            self.empty = (part, offset, chosen)

    def feed(self, part: FacilityTable, offset: int, chosen: tuple[np.ndarray, ...]) -> None:
        """The facilities ``chosen`` (``select`` of the part) judged, in batches."""
        from cbcheck.facility_rules import batch_rows, prepare

        kind = KINDS[self.rule.kind]
        idx, verdicts, reasons = chosen
        size = batch_rows()
        cuts = [0, len(idx)] if size >= len(idx) else [*range(0, len(idx), size), len(idx)]
        for start, stop in zip(cuts[:-1], cuts[1:], strict=True):
            at = slice(start, stop)
            col, self.column = prepare(self.rule, part, idx[at], verdicts[at], reasons[at], self.ctx)
            where = idx[at] + offset if offset else idx[at]
            if not self.judging and col.todo.any():
                self.judging = True
                for w_at, w_col in self.waiting:
                    kind.judge_facilities(self.rule, w_col, self.ctx)
                    self._keep(w_at, w_col)
                self.waiting.clear()
            if self.judging:
                kind.judge_facilities(self.rule, col, self.ctx)
                self._keep(where, col)
            else:
                self.waiting.append((where, col))

    def _keep(self, at: np.ndarray, col: Any) -> None:
        if self.listed is None:
            self.listing.add(at, col.verdicts, col.observed, col.expected, col.reasons)
            return
        self.codes.put(col.verdicts)
        self.positions.put(at)
        kept = np.flatnonzero(self.listed[col.verdicts])
        self.listing.add(at[kept], col.verdicts[kept], col.observed[kept], col.expected[kept], col.reasons[kept])

    def result(self, table: FacilityTable) -> TablePart | None:
        """The rule's part of ``table`` (None: no part held a facility of the rule's type)."""
        if not self.covers and not len(self.listing) and not self.positions.n and not self.waiting:
            if self.empty is None:
                return None
            self.feed(*self.empty)
        for w_at, w_col in self.waiting:
            self._keep(w_at, w_col)
        self.waiting.clear()
        index, verdicts, observed, expected, reason = self.listing.done()
        covered = None if self.listed is None else (self.positions.done(), self.codes.done())
        return TablePart(table, index, verdicts, observed, expected, self.column, reason, covered)


def share_rows(spec: dict[str, Any], table: FacilityTable) -> Any:
    """:func:`cbcheck.facility_rules._share_rows` part by part: the same (positions, holds,
    weights), message or "skip"."""
    from cbcheck.facility_rules import _share_rows
    from cbcheck.streamed import prejudged

    hit, got = prejudged(table, "share", spec)
    if hit:
        return got
    try:
        sharing = ShareParts(spec)
        for offset, part in parts(table):
            sharing.add(part, offset)
        return sharing.result(table)
    except UnitError:
        return _share_rows(spec, table)


class ShareParts:
    """A share's facilities over pieces of a table handed in order: each part's (positions,
    holds, weights) kept, joined once by :meth:`result` (so the sums are the whole table's
    doubles); a missing cell settled after the last part: the first condition missing anywhere,
    then its first row, as one pass over the whole table names it."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.kept: list[tuple[np.ndarray, ...]] = []
        self.first_missing: tuple[int, int] | None = None     # (condition, table position): the least wins
        self.weight_said: str | None = None    # the first part's word on its weights (a part words it as the table)
        self.seen = False

    def add(self, part: FacilityTable, offset: int) -> None:
        from cbcheck.facility_columns import condition, values_in
        from cbcheck.facility_rules import _share_weights

        spec, where = self.spec, self.spec["where"]
        sel = part.of_type(spec["facility_type"])
        if not sel.any():
            return
        self.seen = True
        idx = np.flatnonzero(sel)
        holds = np.ones(len(part), bool)
        for k, cond in enumerate(where if self.first_missing is None else where[:self.first_missing[0]]):
            h, missing = condition(part, cond, sel)
            if (missing & sel).any():
                self.first_missing = (k, offset + int(np.flatnonzero(missing & sel)[0]))
                break
            holds &= h
        if self.first_missing is not None:
            return          # the share is a message now: only an earlier condition's miss changes it
        # every part's weights are read, as one pass reads them all: a unit error anywhere is the table's
        got = _share_weights(spec, part, idx, holds[idx],
                             lambda: values_in(part, str(spec.get("weight")), spec.get("unit"), idx))
        if isinstance(got, str):
            self.weight_said = self.weight_said or got
        elif self.weight_said is None:
            self.kept.append((got[0] + offset, got[1], got[2]))

    def result(self, table: FacilityTable) -> Any:
        from cbcheck.facility_rules import _share_missing

        if not self.seen:
            return "skip"
        if self.first_missing is not None:
            k, pos = self.first_missing
            return _share_missing(table, self.spec["facility_type"], self.spec["where"][k], pos)
        if self.weight_said is not None:
            return self.weight_said
        if len(self.kept) == 1:
            return self.kept[0]
        return tuple(np.concatenate(a) for a in zip(*self.kept, strict=True))
