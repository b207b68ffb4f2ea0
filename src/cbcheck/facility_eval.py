"""Facility rules over facility tables, evaluated column by column.

For each rule: the facilities of its type, those its ``applies_to.where``
conditions select (a facility missing an attribute a condition needs is
MISSING, never a pass), minus those ``exempt`` (NOT_APPLICABLE, listed with the
reason); then each remaining facility is judged: a threshold (one target, or a
``by_category`` table keyed by an attribute such as feedstock) or a deadline
(done on time, done late, overdue, not yet due). Results stay columnar
(:class:`FacilityResult`) so a table of a million rows is a few arrays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from cbcheck import units
from cbcheck.checks.base import Context, Outcome, fmt, symbol, with_unit
from cbcheck.checks.deadline import DONE_WORDS, NOT_DONE_WORDS, deadline_for
from cbcheck.errors import UnitError
from cbcheck.wording import describe_condition
from cbcheck.model import FacilityTable, Rule, Status
from cbcheck.textnorm import norm_name

# Per-facility result codes: (status, message). Order matters for "breaches first".
CODES: list[tuple[Status, str]] = [
    (Status.FAIL, "breaches the threshold"),            # 0
    (Status.WARN, "misses the threshold (aspirational)"),  # 1
    (Status.FAIL, "done late"),                          # 2
    (Status.WARN, "done late (aspirational)"),           # 3
    (Status.FAIL, "overdue"),                            # 4
    (Status.WARN, "overdue (aspirational)"),             # 5
    (Status.ERROR, "cannot be read"),                    # 6
    (Status.MISSING, "value missing"),                   # 7
    (Status.MISSING, "attribute missing"),               # 8
    (Status.PASS, "meets the threshold"),                # 9
    (Status.PASS, "done on time"),                       # 10
    (Status.PASS, "done (no completion date given)"),    # 11
    (Status.NOT_DUE, "not yet due"),                     # 12
    (Status.NOT_APPLICABLE, "exempt"),                   # 13
    (Status.ERROR, "the plan sets no threshold for this category"),  # 14
]
(BREACH, BREACH_W, LATE, LATE_W, OVERDUE, OVERDUE_W, ERROR, MISSING, MISSING_ATTR, PASS, ON_TIME, DONE_NO_DATE,
 NOT_DUE, EXEMPT, NO_THRESHOLD) = range(len(CODES))
WORST_FIRST = (Status.FAIL, Status.ERROR, Status.MISSING, Status.WARN, Status.PASS, Status.NOT_DUE,
               Status.NOT_APPLICABLE)


@dataclass(frozen=True)
class TablePart:
    """The facilities of one table a rule covers, with one code per facility."""

    table: FacilityTable
    index: np.ndarray          # positions in table.frame
    codes: np.ndarray          # CODES index per facility
    observed: np.ndarray       # object array: value judged (float, date or text) or None
    expected: np.ndarray       # object array: threshold or deadline per facility
    column: str                # the column the observed value comes from (for its cell)
    reason: np.ndarray         # object array: extra words (which attribute is missing, why exempt)


@dataclass(frozen=True)
class FacilityResult:
    rule_id: str
    facility_type: str
    parts: tuple[TablePart, ...]

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in WORST_FIRST}
        for part in self.parts:
            for code, n in zip(*np.unique(part.codes, return_counts=True)):
                out[CODES[int(code)][0].value] += int(n)
        return out

    def keyed_statuses(self, table_ids: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(facility keys, status values) for every facility the rule covers, as arrays: a key is
        the table's number × 2³² + the facility's row, so facilities count across rules cheaply."""
        names = np.array([status.value for status, _ in CODES])
        keys, statuses = [], []
        for part in self.parts:
            rows = part.table.frame["_row"].to_numpy()[part.index].astype(np.int64)
            keys.append(np.int64(table_ids[id(part.table)]) * (1 << 32) + rows)
            statuses.append(names[part.codes])
        return np.concatenate(keys), np.concatenate(statuses)

    @property
    def total(self) -> int:
        return sum(len(p.codes) for p in self.parts)

    def entries(self, include_pass: bool = True) -> Iterator[dict[str, Any]]:
        """Per-facility findings, breaches first, then in table order."""
        ranks = np.array([WORST_FIRST.index(status) for status, _ in CODES])
        keys = [(ranks[part.codes], np.full(len(part.codes), pi), np.arange(len(part.codes)))
                for pi, part in enumerate(self.parts)]
        rank, pis, ks = (np.concatenate(arrays) for arrays in zip(*keys))
        if not include_pass:
            keep = ~np.isin(rank, [WORST_FIRST.index(Status.PASS), WORST_FIRST.index(Status.NOT_DUE)])
            rank, pis, ks = rank[keep], pis[keep], ks[keep]
        order = np.lexsort((ks, pis, rank))
        for j in order:
            pi, k = int(pis[j]), int(ks[j])
            code = int(self.parts[pi].codes[k])
            part = self.parts[pi]
            pos = int(part.index[k])
            frame = part.table.frame
            row = int(frame["_row"].iat[pos])
            status, message = CODES[code]
            if part.reason[k]:
                message = f"{message}: {part.reason[k]}"
            name = frame["_name"].iat[pos]
            yield {
                "facility": name if isinstance(name, str) and name else f"(row {row})",
                "row": row,
                "table": part.table.source,
                "status": status.value,
                "observed": _plain(part.observed[k]),
                "expected": _plain(part.expected[k]),
                "location": part.table.location(part.column, row),
                "message": message,
            }


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (dt.date,)):
        return v.isoformat()
    if isinstance(v, (np.floating, float)):
        return float(f"{float(v):.10g}")
    if isinstance(v, np.integer):
        return int(v)
    return v


def values_in(table: FacilityTable, column: str, unit: str | None, idx: np.ndarray | None = None) -> np.ndarray:
    """A numeric column (the rows ``idx``, default all) in ``unit``: per-cell units (``200MW``) first,
    else the header's unit; a bare number in a column without a unit is taken to be in ``unit``."""
    s = table.frame[column]
    if idx is not None:
        s = s.iloc[idx]
    values = s.to_numpy(dtype=float, na_value=np.nan) if s.dtype.kind in "fiu" else \
        np.array([v if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in s], dtype=float)
    if unit is None:
        return values
    header_unit = table.units.get(column)
    factors = np.full(len(values), units.convert(1.0, header_unit, unit) if header_unit else 1.0)
    per_cell = table.cell_units.get(column)
    if per_cell is not None and idx is not None:
        per_cell = per_cell[idx]
    if per_cell is not None:
        for u in {u for u in per_cell if u is not None}:
            factors[per_cell == u] = units.convert(1.0, u, unit)
    return values * factors


def _truth(v: Any) -> Any:
    """是/已完成/a completion date read as True, 否/未完成 as False, anything else unknown (None)."""
    from cbcheck.reader.facility import BOOL_FALSE, BOOL_TRUE

    if isinstance(v, bool):
        return v
    if isinstance(v, dt.date):
        return True
    if isinstance(v, str):
        text = v.strip().lower()
        if text in BOOL_TRUE or text in DONE_WORDS:
            return True
        if text in BOOL_FALSE or text in NOT_DONE_WORDS:
            return False
    return None


def facility_share(spec: dict[str, Any], tables: tuple[FacilityTable, ...]) -> tuple[float, str, str] | str | None:
    """A share (%) over the facilities of ``spec['facility_type']``: (value, arithmetic, location), or a
    message saying which cell is missing, or None when the submission has no such facilities."""
    ftype, weight = spec["facility_type"], spec.get("weight")
    num = den = 0.0
    locations = []
    seen = False
    for table in tables:
        sel = (table.frame["_type"] == ftype).to_numpy()
        if not sel.any():
            continue
        seen = True
        idx = np.flatnonzero(sel)
        holds = np.ones(len(table.frame), bool)
        for cond in spec["where"]:
            h, missing = _condition(table, cond, sel)
            if (missing & sel).any():
                row = int(table.frame["_row"].iat[int(np.flatnonzero(missing & sel)[0])])
                return (f"{cond['attribute']} is missing for a {ftype} at "
                        f"{table.location(cond['attribute'], row)}; the share cannot be computed")
            holds &= h
        if weight:
            if weight not in table.frame:
                return f"no {weight} column in {table.source}; the share cannot be computed"
            w = values_in(table, weight, spec.get("unit"), idx)
            if np.isnan(w).any():
                row = int(table.frame["_row"].iat[int(idx[np.flatnonzero(np.isnan(w))[0]])])
                return f"{weight} is missing at {table.location(weight, row)}; the share cannot be computed"
        else:
            w = np.ones(len(idx))
        num += float(w[holds[idx]].sum())
        den += float(w.sum())
        locations.append(f"{table.source} ({len(idx)} rows)")
    if not seen:
        return None
    if den == 0:
        return f"the {ftype} facilities have no {weight or 'rows'} to weigh; the share cannot be computed"
    share = num / den * 100
    what = weight or "count"
    cond_text = " and ".join(describe_condition(c) for c in spec["where"])
    arithmetic = (f"{what} of {ftype} where {cond_text}: {fmt(num)} / {fmt(den)} = {fmt(share)}%")
    return share, arithmetic, "; ".join(locations)


def _norm_series(s: Any) -> Any:
    from cbcheck.reader.facility import by_unique

    return by_unique(s, lambda v: norm_name(str(v)))


def _condition(table: FacilityTable, cond: dict[str, Any], sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(holds, missing) boolean arrays for one applies_to condition, judged on the rows in ``sel``."""
    frame = table.frame
    n = len(frame)
    attr = cond["attribute"]
    if attr not in frame:
        return np.zeros(n, bool), np.ones(n, bool)
    s = frame[attr]
    missing = s.isna().to_numpy()
    if "in" in cond or "equals" in cond:
        wanted = cond["in"] if "in" in cond else [cond["equals"]]
        if all(isinstance(w, bool) for w in wanted):
            from cbcheck.reader.facility import by_unique

            truth = by_unique(s, _truth).to_numpy(dtype=object)
            is_bool = np.array([isinstance(v, bool) for v in truth], dtype=bool) if len(truth) else np.zeros(0, bool)
            holds = is_bool & np.isin(truth, [w for w in wanted], assume_unique=False)
            missing = ~is_bool
        elif all(isinstance(w, (int, float)) for w in wanted) and s.dtype.kind == "f":
            holds = s.isin([float(w) for w in wanted]).to_numpy()
        else:
            keys = {norm_name(str(w)) for w in wanted}
            holds = _norm_series(s).isin(keys).to_numpy()
        return holds & ~missing, missing
    idx = np.flatnonzero(sel)
    values = np.full(n, np.nan)
    values[idx] = values_in(table, attr, cond.get("unit"), idx)
    holds = np.ones(n, bool)
    if "min" in cond:
        holds &= values > cond["min"] if cond.get("min_exclusive") else values >= cond["min"]
    if "max" in cond:
        holds &= values < cond["max"] if cond.get("max_exclusive") else values <= cond["max"]
    missing = np.isnan(values)
    return holds & ~missing, missing


def _start_part(rule: Rule, table: FacilityTable, idx: np.ndarray, base_codes: np.ndarray, reasons: np.ndarray,
                expected: Any) -> TablePart:
    """The result arrays for a rule's facilities, pre-filled; all MISSING when the table lacks the column."""
    n = len(idx)
    part = TablePart(table, idx, base_codes.copy(), np.full(n, None, dtype=object),
                     np.full(n, expected, dtype=object), rule.indicator, reasons)
    if rule.indicator not in table.frame:
        todo = part.codes < 0
        part.codes[todo] = MISSING
        reasons[todo] = f"no {rule.indicator} column in the table"
    return part


def _threshold_part(rule: Rule, table: FacilityTable, idx: np.ndarray, base_codes: np.ndarray,
                    reasons: np.ndarray) -> TablePart:
    part = _start_part(rule, table, idx, base_codes, reasons, None)
    if rule.indicator not in table.frame:
        return part
    frame, column, n = table.frame, rule.indicator, len(idx)
    codes, observed, expected = part.codes, part.observed, part.expected
    todo = codes < 0
    values = values_in(table, column, rule.unit, idx)
    by_category = rule.params.get("by_category")
    if by_category:
        attr = by_category["attribute"]
        targets = {norm_name(k): float(v) for k, v in by_category["targets"].items()}
        if attr not in frame:
            cats = np.full(n, None, dtype=object)
            absent = np.ones(n, bool)
            thresholds = np.full(n, np.nan)
        else:
            col = frame[attr].iloc[idx].reset_index(drop=True)
            cats = col.to_numpy(dtype=object)
            absent = col.isna().to_numpy()
            thresholds = _norm_series(col).map(targets).to_numpy(dtype=float, na_value=np.nan)
        no_cat = todo & absent
        unknown = todo & ~no_cat & np.isnan(thresholds)
        codes[no_cat] = MISSING_ATTR
        reasons[no_cat] = f"{attr} is needed to choose the threshold"
        codes[unknown] = NO_THRESHOLD
        known = ", ".join(by_category["targets"])
        for k in np.flatnonzero(unknown):
            reasons[k] = f"{attr} = {cats[k]} (the plan sets: {known})"
        todo &= ~(no_cat | unknown)
    else:
        thresholds = np.full(n, float(rule.target if rule.target is not None else np.nan))
    cell_errors = table.errors
    rows = frame["_row"].to_numpy()[idx]
    for k in np.flatnonzero(todo & np.isnan(values)):
        err = cell_errors.get((column, int(rows[k])))
        codes[k] = ERROR if err else MISSING
        if err:
            reasons[k] = err
    todo &= ~np.isnan(values)
    at_least = rule.kind == "at_least"
    if at_least:
        ok = values > thresholds if rule.exclusive else values >= thresholds - 1e-9 * np.abs(thresholds)
    else:
        ok = values < thresholds if rule.exclusive else values <= thresholds + 1e-9 * np.abs(thresholds)
    codes[todo & ok] = PASS
    codes[todo & ~ok] = BREACH if rule.binding else BREACH_W
    observed[:] = values
    expected[:] = thresholds
    return part


def _deadline_part(rule: Rule, table: FacilityTable, idx: np.ndarray, base_codes: np.ndarray,
                   reasons: np.ndarray, ctx: Context) -> TablePart:
    deadline = deadline_for(rule, ctx)
    part = _start_part(rule, table, idx, base_codes, reasons, deadline)
    if rule.indicator not in table.frame:
        return part
    column = rule.indicator
    codes, observed, expected = part.codes, part.observed, part.expected
    todo = codes < 0
    values = table.frame[column].to_numpy(dtype=object)[idx]
    observed[:] = values
    passed = ctx.as_of >= deadline    # as of 31 December of the reporting year
    late, overdue = (LATE, OVERDUE) if rule.binding else (LATE_W, OVERDUE_W)
    for k in np.flatnonzero(todo):
        v = values[k]
        if v is None or v != v:
            codes[k] = MISSING
        elif isinstance(v, dt.date):
            codes[k] = ON_TIME if v <= deadline else late
            if v > deadline:
                reasons[k] = f"{(v - deadline).days} days after {deadline.isoformat()}"
        elif v is True or (isinstance(v, str) and v.strip().lower() in DONE_WORDS):
            codes[k] = DONE_NO_DATE
        elif v is False or (isinstance(v, str) and v.strip().lower() in NOT_DONE_WORDS):
            codes[k] = overdue if passed else NOT_DUE
        else:
            codes[k] = ERROR
            reasons[k] = f"{v!r} is neither a date nor a completion state (是/否, 已完成/未完成)"
    return part


def evaluate_facility_rule(rule: Rule, tables: tuple[FacilityTable, ...], ctx: Context) -> Outcome:
    applies = rule.params.get("applies_to") or {}
    ftype = applies.get("facility_type")
    parts: list[TablePart] = []
    for table in tables:
        frame = table.frame
        if ftype is not None:
            mask = (frame["_type"] == ftype).to_numpy()
        else:
            mask = np.full(len(frame), rule.indicator in frame)
        if not mask.any():
            continue
        n = len(frame)
        covered = mask.copy()
        missing_attr = np.zeros(n, bool)
        missing_why = np.full(n, None, dtype=object)
        try:
            for cond in applies.get("where", []):
                holds, missing = _condition(table, cond, covered)
                newly = covered & missing & ~missing_attr
                missing_why[newly] = f"{cond['attribute']} is needed to decide whether “{describe_condition(cond)}”"
                missing_attr |= covered & missing
                covered &= holds | missing
            exempt = np.zeros(n, bool)
            exempt_why = np.full(n, None, dtype=object)
            for cond in applies.get("exempt", []):
                holds, _ = _condition(table, cond, covered)
                newly = holds & ~exempt
                exempt_why[newly] = describe_condition(cond)
                exempt |= holds
        except UnitError as exc:
            return Outcome(Status.ERROR, None, None, "", "", f"{table.source}: {exc}")
        idx = np.flatnonzero(covered)
        base = np.full(len(idx), -1, dtype=np.int64)
        reasons = np.full(len(idx), None, dtype=object)
        sel_missing = missing_attr[idx]
        base[sel_missing] = MISSING_ATTR
        reasons[sel_missing] = missing_why[idx][sel_missing]
        sel_exempt = exempt[idx] & ~sel_missing
        base[sel_exempt] = EXEMPT
        reasons[sel_exempt] = exempt_why[idx][sel_exempt]
        if rule.kind == "completed_by":
            parts.append(_deadline_part(rule, table, idx, base, reasons, ctx))
        elif rule.kind in {"at_least", "at_most"}:
            try:
                parts.append(_threshold_part(rule, table, idx, base, reasons))
            except UnitError as exc:
                return Outcome(Status.ERROR, None, None, "", "", f"{table.source}: {exc}",
                               table.header_location(rule.indicator))
        else:
            return Outcome(Status.NOT_APPLICABLE, None, None, "", "",
                           f"a {rule.kind} rule needs a time series; facility tables hold one year")
    if ftype is not None:
        from cbcheck.facilities import facility_catalogue

        known = facility_catalogue().types.get(ftype)
        kind_name = f"{known.name} ({ftype})" if known else ftype
    else:
        kind_name = rule.indicator
    if not parts:
        return Outcome(Status.NOT_APPLICABLE, None, None, "", "", f"no {kind_name} facilities in the submission")
    result = FacilityResult(rule.id, kind_name, tuple(parts))
    counts = result.counts()
    status = next((s for s in WORST_FIRST if counts[s.value]), Status.NOT_APPLICABLE)
    judged = result.total - counts["NOT_APPLICABLE"]
    breaches = counts["FAIL"] + counts["WARN"]
    if rule.kind == "completed_by":
        expected = f"done by {deadline_for(rule, ctx).isoformat()}"
    elif rule.params.get("by_category"):
        bc = rule.params["by_category"]
        expected = f"{symbol(rule.kind == 'at_least', rule.exclusive)} by {bc['attribute']}: " + ", ".join(
            f"{k} {fmt(v)}" for k, v in bc["targets"].items())
    else:
        expected = f"{symbol(rule.kind == 'at_least', rule.exclusive)} {with_unit(rule.target, rule.unit)}"
    summary = f"{breaches} of {judged} {kind_name} breach" if judged else f"no {kind_name} to judge"
    breakdown = " · ".join(f"{n} {'exempt' if s == 'NOT_APPLICABLE' else s}" for s, n in counts.items() if n)
    first = next(result.entries(include_pass=False), None)
    return Outcome(status, f"{breaches}/{judged}", expected, "", f"{result.total} covered: {breakdown}",
                   f"{summary}; {expected}", first["location"] if first and status is not Status.PASS else None,
                   rule.unit, {"facilities": result})
