"""Reading a facility table's columns for rules: numbers in a unit, and applies_to conditions,
column-wise (a table of a million rows is a few numpy operations)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from cbcheck import units
from cbcheck.columnar import converted
from cbcheck.errors import UnitError
from cbcheck.i18n.message import Msg
from cbcheck.model import FacilityTable
from cbcheck.textnorm import nfkc
from cbcheck.vocab import truth


# A capacity per year and one per day are not one quantity in two units: a line's annual output is its
# daily rating times the days it runs, which the trade sets (310 for clinker lines by the capacity-swap
# rules, not 365), so 80万吨/年 is no ≤ 2500吨/日 line. Such a cell or header is said, not converted.
_PER = {"year": re.compile(r"(/|每)\s*(年|a|yr|year)\b", re.I), "day": re.compile(r"(/|每)\s*(日|天|d|day)\b", re.I),
        "hour": re.compile(r"(/|每)\s*(小时|时|h|hr|hour)\b", re.I)}


def _time_base(unit: str) -> str | None:
    text = nfkc(unit)
    return next((base for base, pattern in _PER.items() if pattern.search(text)), None)


def factor(from_unit: str, to_unit: str) -> float:
    """:func:`cbcheck.units.convert`'s factor, refusing a rate per year for one per day or hour (and
    back): :class:`UnitError` naming both."""
    a, b = _time_base(from_unit), _time_base(to_unit)
    if a is not None and b is not None and a != b:
        raise UnitError(Msg("rest.unit_other_time_base", unit=from_unit, to=to_unit),
                        hint=Msg("rest.unit_cannot_convert_hint", want=to_unit))
    return units.convert(1.0, from_unit, to_unit)


def values_in(table: FacilityTable, column: str, unit: str | None, idx: np.ndarray | None = None,
              strict: bool = True) -> np.ndarray:
    """A numeric column (the rows ``idx``, default all) in ``unit``: per-cell units (``200MW``) first,
    else the header's unit; a bare number in a column without a unit is taken to be in ``unit``.

    A cell whose own unit is not of ``unit``'s kind (``55%`` shown in a bare 炭化室高度 column, a
    rule in 米) raises :class:`~cbcheck.errors.UnitError` when ``strict`` (the SQL engines: the
    numpy path then says it), else reads NaN, that cell alone: :func:`foreign_cells` names it and
    the rest of the column is used. A header unit of the wrong kind still raises: the whole
    column is in it."""
    s = table.column(column) if idx is None else table.take(column, idx)
    values = s.astype(float) if s.dtype.kind in "fiu" else \
        np.array([v if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in s.tolist()],
                 dtype=float)
    if unit is None:
        return values
    header_unit = table.units.get(column)
    factors = np.full(len(values), factor(header_unit, unit) if header_unit else 1.0)
    per_cell = table.cell_units.get(column)
    if per_cell is not None and idx is not None:
        per_cell = per_cell[idx]
    if per_cell is not None:
        for u in {u for u in per_cell if u is not None}:
            try:
                factors[per_cell == u] = factor(u, unit)
            except UnitError:
                if strict:
                    raise
                factors[per_cell == u] = np.nan
    return values * factors


def foreign_cells(table: FacilityTable, column: str, unit: str | None, idx: np.ndarray | None = None) -> np.ndarray:
    """The cells (of the rows ``idx``) whose own unit cannot be converted to ``unit``: the unit of
    each such cell, None elsewhere (what :func:`values_in` reads as NaN when not ``strict``)."""
    n = len(table) if idx is None else len(idx)
    out = np.full(n, None, dtype=object)
    per_cell = table.cell_units.get(column) if column in table else None
    if per_cell is None or unit is None:
        return out
    if idx is not None:
        per_cell = per_cell[idx]
    for u in {u for u in per_cell if u is not None}:
        try:
            factor(u, unit)
        except UnitError:
            out[per_cell == u] = u
    return out


def other_unit(table: FacilityTable, column: str, pos: int, name: Any, cell_unit: str, unit: str) -> Msg:
    """Why the cell of ``column`` at table position ``pos`` is not read for a rule, naming it: its
    unit is not of the rule's kind (a percentage where the rule is in 米)."""
    return Msg("msg.cell_other_unit", location=table.location(column, int(table.rows[pos])), attribute=name,
               unit=cell_unit, want=unit)


def condition(table: FacilityTable, cond: dict[str, Any], sel: np.ndarray,
              written: Any = False) -> tuple[np.ndarray, np.ndarray]:
    """(holds, missing) boolean arrays for one applies_to condition, judged on the rows in ``sel``
    (``written``: :func:`written_cells` of the condition, when the caller has it already)."""
    n = len(table)
    attr = cond["attribute"]
    if attr not in table:
        return np.zeros(n, bool), np.ones(n, bool)
    missing = table.blank(attr)
    if "in" in cond or "equals" in cond:
        wanted = cond["in"] if "in" in cond else [cond["equals"]]
        # each distinct value is judged once (the last: a blank cell), then looked up by its code
        if all(isinstance(w, bool) for w in wanted):
            codes, uniques = table.factorized(attr)
            said = converted(uniques, truth)
            is_bool = np.array([isinstance(v, bool) for v in said], dtype=bool)
            holds = is_bool & np.isin(said, wanted)
            return holds[codes], ~is_bool[codes]
        # a text column's cells are not made for this (FacilityTable.lazy): its codes answer below
        if all(isinstance(w, (int, float)) for w in wanted) and table.column(attr).dtype.kind == "f":
            holds = np.isin(table.column(attr), [float(w) for w in wanted])
        else:
            from cbcheck.facilities import facility_catalogue

            fc = facility_catalogue()
            keys = {fc.category_key(attr, str(w)) for w in wanted}
            codes, uniques = table.factorized(attr)
            named = converted(uniques, lambda v: fc.category_key(attr, str(v)))
            holds = np.isin(named, list(keys))[codes]
        return holds & ~missing, missing
    # judged at the rows of ``sel`` only (a value of every row, NaN elsewhere, was 8 bytes a row of
    # the table): elsewhere it does not hold and is missing, as a NaN there read
    idx = np.flatnonzero(sel)
    values = values_in(table, attr, cond.get("unit"), idx, strict=False)
    here = np.ones(len(idx), bool)
    if "min" in cond:
        here &= values > cond["min"] if cond.get("min_exclusive") else values >= cond["min"]
    if "max" in cond:
        here &= values < cond["max"] if cond.get("max_exclusive") else values <= cond["max"]
    blank = np.isnan(values)
    holds, missing = np.zeros(n, bool), np.ones(n, bool)
    holds[idx], missing[idx] = here & ~blank, blank
    if written is False:
        written = written_cells(table, cond)
    if written is not None:         # 4.3米以下 under ≤ 4.3: the bound decides (True/False uniques)
        codes, uniques = written
        known = ~np.isnan(codes)
        said = np.array([u if isinstance(u, bool) else None for u in uniques], dtype=object)[codes[known].astype(int)]
        at = np.flatnonzero(known)
        decided = said != None  # noqa: E711
        holds[at[decided]] = said[decided].astype(bool)
        missing[at[decided]] = False
    return holds, missing


_WRITTEN: list[tuple[FacilityTable, str, Any]] = []     # the last (table, condition)s' cells: rules share them


def written_cells(table: FacilityTable, cond: dict[str, Any]) -> tuple[np.ndarray, list[Any]] | None:
    """:func:`_written_cells`, kept for the rules after the first with the same condition (every
    closure and threshold rule on coke ovens of ≤ 4.3 m names the same cells the same way)."""
    key = repr(sorted(cond.items()))
    for known, k, got in _WRITTEN:
        if known is table and k == key:
            return got
    got = _written_cells(table, cond)
    if got is not None:          # kept only for a table that has such cells (it holds the table alive)
        _WRITTEN.insert(0, (table, key, got))
        del _WRITTEN[4:]
    return got


def _written_cells(table: FacilityTable, cond: dict[str, Any]) -> tuple[np.ndarray, list[Any]] | None:
    """The cells of a numeric condition's attribute that hold something other than a number in
    the condition's unit, dictionary-encoded (codes: NaN elsewhere): uniques ``True``/``False``
    for a bound or range that decides the condition with certainty (:mod:`cbcheck.bounds`), else
    the words naming the cell and why it cannot decide (the facility is then an ERROR, never a
    blank: something was written). None when there are none. One reading for the numpy path and
    the SQL engines (which take the codes as a column)."""
    attr, unit = cond["attribute"], cond.get("unit")
    if attr not in table or "in" in cond or "equals" in cond:
        return None
    said: dict[int, Any] = {row: why for (c, row), why in table.errors.items() if c == attr and why}
    # most tables have neither: no array of the column's length is made for them
    foreign = foreign_cells(table, attr, unit) if unit is not None and attr in table.cell_units else None
    odd = np.flatnonzero(foreign != None) if foreign is not None else np.empty(0, np.intp)  # noqa: E711
    if not said and not len(odd):
        return None
    assert foreign is not None or not len(odd)
    rows = table.rows
    codes = np.full(len(table), np.nan)
    uniques: list[Any] = [True, False]
    name, described = _attribute_name(attr), _describe(cond)        # once: a file may hold thousands
    for k in odd.tolist():
        assert foreign is not None
        uniques.append(other_unit(table, attr, k, name, foreign[k], str(unit)))
        codes[k] = len(uniques) - 1
    if said:
        factors: dict[str | None, float | None] = {}
        for k in np.flatnonzero(np.isin(rows, list(said))).tolist():
            row = int(rows[k])
            got = _by_bounds(table, cond, row, factors)
            if got is not None:
                codes[k] = 0 if got else 1
                continue
            b = table.bounds.get((attr, row))
            uniques.append(Msg("msg.attr_range_undecided", location=table.location(attr, row), attribute=name,
                               raw=repr(b.text), condition=described) if b is not None and factors.get(b.unit)
                           is not None else Msg("msg.attr_unreadable", location=table.location(attr, row),
                                                attribute=name, reason=said[row], condition=described))
            codes[k] = len(uniques) - 1
    return codes, uniques


def _by_bounds(table: FacilityTable, cond: dict[str, Any], row: int,
               factors: dict[str | None, float | None]) -> bool | None:
    """What a bound or range written in the cell says of the condition: True/False when certain,
    None when it straddles the condition or states no interval in a unit of the condition's kind
    (``factors``: the conversion of each unit written, filled as they come; None: not convertible)."""
    from cbcheck.bounds import decide

    attr, unit = cond["attribute"], cond.get("unit")
    b = table.bounds.get((attr, row))
    if b is None:
        return None
    if b.unit not in factors:
        written_in = b.unit or table.units.get(attr)
        try:
            factors[b.unit] = units.convert(1.0, written_in, unit) if unit is not None and written_in else 1.0
        except UnitError:
            factors[b.unit] = None                       # 4.3%以下 under a condition in 米: unreadable
    factor = factors[b.unit]
    return None if factor is None else decide(b.scaled(factor), cond)


def _attribute_name(attr: str) -> Any:
    from cbcheck.checks.base import term

    return term(attr)


def _describe(cond: dict[str, Any]) -> Any:
    from cbcheck.wording import describe_condition

    return describe_condition(cond)
