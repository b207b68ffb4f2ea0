"""A share written as a fraction under a "%" unit (0.123 in a 比重（%） row) has two readings:
0.123 % as written, or 12.3 % if the clerk wrote the fraction. A verdict that depends on which
one was meant is no verdict: the rule is ERROR at those cells, with both readings and what to
write. When both readings give the same verdict, the verdict stands and says so.

Decided here, where a rule's series is judged (:func:`cbcheck.engine._judged`), for every kind
alike: the kind judges the series twice, as written and with the ambiguous cells ×100.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from cbcheck.checks.base import Outcome, Series, Value, fmt, with_unit, year_label
from cbcheck.i18n.message import Msg
from cbcheck.model import Observation, Status
from cbcheck.noting import NotedReads
from cbcheck.reader.cells import is_percent_unit, percent_shown


_JUDGED = frozenset({Status.PASS, Status.FAIL, Status.WARN})


def _number(obs: Observation) -> float | None:
    v = obs.value
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def ambiguous_cells(row: dict[int, Observation]) -> dict[int, Observation]:
    """The cells of one share row that may be fractions: 0 < v < 1, no percent format and no "%"
    written (both put "%" in ``raw``), and no year of the row above 1 — beside 2.1 % in 2024, 0.8 in
    2020 is a small share, not a fraction (that mix is the ``share_fraction`` screen's business)."""
    numbers = {y: _number(o) for y, o in row.items()}
    if any(v is not None and abs(v) > 1 for v in numbers.values()):
        return {}
    return {y: o for y, o in row.items()
            if (v := numbers[y]) is not None and 0 < v < 1 and o.error is None and "%" not in (o.raw or "")
            and (o.unit is None or is_percent_unit(o.unit))}


def _times100(v: Value) -> Value:
    shown = percent_shown(float(v.value))      # 7, not 7.000000000000001 for 0.07
    return dataclasses.replace(v, value=shown, shown=with_unit(shown, v.unit))


def settle(series: Series, cells: dict[int, Observation], judge: Callable[[Series], Outcome]) -> Outcome:
    """``judge(series)``, or ERROR when the cells' two readings give different verdicts."""
    cells = {y: o for y, o in cells.items()
             if y in series.values and series.values[y].derived is None and series.unit
             and is_percent_unit(series.unit)}
    if not cells:
        return judge(series)
    seen: set[int] = set()
    written = judge(dataclasses.replace(series, values=NotedReads(series.values, seen)))
    used = {y: o for y, o in sorted(cells.items()) if y in seen}
    if not used:
        return written
    other = judge(dataclasses.replace(series, values={y: _times100(v) if y in used else v
                                                      for y, v in series.values.items()}))
    where = Msg.listing(Msg.concat([year_label(series.name, y), " ", o.location]) for y, o in used.items())
    numbers = [float(o.value) for o in used.values()]                                # type: ignore[arg-type]
    raw = Msg.listing(fmt(v) for v in numbers)
    as_written = Msg.listing(f"{fmt(v)}%" for v in numbers)
    write = Msg.listing(fmt(percent_shown(v)) for v in numbers)
    meant = Msg.listing(f"{fmt(percent_shown(v))}%" for v in numbers)
    if other.status is written.status and written.status not in _JUDGED:
        return written          # missing or not due either way: the values were not what decided it
    if other.status is written.status:
        said = Msg("msg.fraction_same", where=where, written=as_written, meant=meant,
                   status=Msg(f"status.{other.status.value}"))
        return dataclasses.replace(written, message=Msg.join([written.message, said]))
    cells_at = [o.location for o in used.values()]
    where_at = written.location if written.location in cells_at else cells_at[-1]     # the judged year's cell
    return Outcome(Status.ERROR, None, written.expected, written.comparator,
                   Msg("msg.fraction_arithmetic", written=as_written, meant=meant,
                       arith_written=written.arithmetic, arith_meant=other.arithmetic),
                   Msg("msg.fraction_ambiguous", where=where, raw=raw, written=as_written, meant=meant, write=write,
                       status_written=Msg(f"status.{written.status.value}"),
                       status_meant=Msg(f"status.{other.status.value}")),
                   where_at, written.unit,
                   {k: v for k, v in written.details.items() if k == "quality"})
