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

The parts are still views of a table read whole: the reader does not yet hand the rules its
record batches, so the table is held as before (what is left is listed in the README section).
"""

from __future__ import annotations

import itertools
import os
from typing import Any, Iterator

import numpy as np

from cbcheck.checks import Context
from cbcheck.errors import UnitError
from cbcheck.facility_results import TablePart
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
    The unreadable cells stay keyed by source row (the rules look them up by row), shared."""
    data = {cid: (None if values is None else values[start:stop]) for cid, values in table.data.items()}
    return FacilityTable(
        source=table.source, data=data, columns=table.columns, units=table.units, errors=table.errors,
        csv=table.csv, header_row=table.header_row,
        cell_units={cid: cells[start:stop] for cid, cells in table.cell_units.items()}, types=table.types,
        coded={cid: (codes[start:stop], words) for cid, (codes, words) in table.coded.items()},
        lazy={cid: _Shifted(lazy, start, stop) for cid, lazy in table.lazy.items()})


def parts(table: FacilityTable) -> Iterator[tuple[int, FacilityTable]]:
    """(offset, part) of the table, ``part_rows()`` rows each; the table itself when it is one part."""
    n, size = len(table), part_rows()
    if n <= size:
        yield 0, table
        return
    for start in range(0, n, size):
        yield start, table_part(table, start, min(start + size, n))


def judged(rule: Rule, table: FacilityTable, ctx: Context) -> TablePart | None:
    """The rule's part of ``table`` (None: no facility of its type), judged part by part;
    what ``_judged(rule, table, select(rule, table), ctx)`` gives, byte for byte."""
    from cbcheck.facility_rules import _judged, _judged_chunks, select

    try:
        chunks = _chunks(rule, table)
        first = next(chunks, None)
        if first is None:
            return None
        return _judged_chunks(rule, table, itertools.chain([first], chunks), ctx)
    except UnitError:
        chosen = select(rule, table)        # the whole table's words for it
        return None if chosen is None else _judged(rule, table, chosen, ctx)


def _chunks(rule: Rule, table: FacilityTable) -> Iterator[tuple[FacilityTable, int, tuple[np.ndarray, ...]]]:
    """(part, offset, chosen) of each part covering a facility of the rule; a part of the rule's
    type covering none only when no part covers any (the whole table's empty selection)."""
    from cbcheck.facility_rules import select

    empty: list[tuple[FacilityTable, int, tuple[np.ndarray, ...]]] = []
    covers = False
    for start, part in parts(table):
        chosen = select(rule, part)
        if chosen is None:
            continue
        if len(chosen[0]):
            yield part, start, chosen
            covers = True
        elif not empty:
            empty.append((part, start, chosen))
    if not covers and empty:
        yield empty[0]


def share_rows(spec: dict[str, Any], table: FacilityTable) -> Any:
    """:func:`cbcheck.facility_rules._share_rows` part by part: the same (positions, holds,
    weights), message or "skip"."""
    from cbcheck.facility_rules import _share_rows

    try:
        return _share_in_parts(spec, table)
    except UnitError:
        return _share_rows(spec, table)


def _share_in_parts(spec: dict[str, Any], table: FacilityTable) -> Any:
    from cbcheck.facility_columns import condition, values_in
    from cbcheck.facility_rules import _share_missing, _share_weights

    ftype, weight, where = spec["facility_type"], spec.get("weight"), spec["where"]
    kept: list[tuple[np.ndarray, ...]] = []
    first_missing: tuple[int, int] | None = None     # (condition, table position): the least wins
    weight_said: str | None = None     # the first part's word on its weights (a part words it as the table)
    seen = False
    for start, part in parts(table):
        sel = part.of_type(ftype)
        if not sel.any():
            continue
        seen = True
        idx = np.flatnonzero(sel)
        holds = np.ones(len(part), bool)
        for k, cond in enumerate(where if first_missing is None else where[:first_missing[0]]):
            h, missing = condition(part, cond, sel)
            if (missing & sel).any():
                first_missing = (k, start + int(np.flatnonzero(missing & sel)[0]))
                break
            holds &= h
        if first_missing is not None:
            continue        # the share is a message now: only an earlier condition's miss changes it
        # every part's weights are read, as one pass reads them all: a unit error anywhere is the table's
        got = _share_weights(spec, part, idx, holds[idx],
                             lambda p=part, i=idx: values_in(p, str(weight), spec.get("unit"), i))
        if isinstance(got, str):
            weight_said = weight_said or got
        elif weight_said is None:
            kept.append((got[0] + start, got[1], got[2]))
    if not seen:
        return "skip"
    if first_missing is not None:
        return _share_missing(table, ftype, where[first_missing[0]], first_missing[1])
    if weight_said is not None:
        return weight_said
    if len(kept) == 1:
        return kept[0]
    return tuple(np.concatenate(a) for a in zip(*kept, strict=True))
