"""Facility rules over facility tables: which facilities a rule covers, and shares over them.

For each rule: the facilities of its type, those its ``applies_to.where`` conditions select (a
facility missing an attribute a condition needs is MISSING, never a pass), minus those
``exempt`` (NOT_APPLICABLE, listed with the reason); the threshold each one is held to when the
rule sets one by category (a category the plan does not list is an ERROR); its value converted
to the rule's unit, and last year's where the table has it. The judging itself is the check
kind's (:meth:`cbcheck.checks.Kind.judge_facilities`), on the same comparisons as region rules.
With ``--engine duckdb`` or ``spark`` the same rules run as SQL, compiled in :mod:`cbcheck.backends.compile`.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from cbcheck import backends, facility_parts
from cbcheck.checks import KINDS, Context, FacilityColumn, Outcome, Verdict
from cbcheck.checks.base import fmt, term
from cbcheck.errors import UnitError
from cbcheck.facility_remarks import with_remarks
from cbcheck.facility_results import WORST_FIRST, FacilityResult, TablePart
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import FacilityTable, Rule, Status
from cbcheck.columnar import by_codes
from cbcheck.facility_columns import condition, foreign_cells, other_unit, values_in, written_cells
from cbcheck.facilities import name_of
from cbcheck.wording import conditions, describe_condition


def facility_share(spec: dict[str, Any], tables: tuple[FacilityTable, ...]) -> tuple[float, str, str] | str | None:
    """A share (%) over the facilities of ``spec['facility_type']``: (value, arithmetic, location), or a
    message saying which cell is missing, or None when the submission has no such facilities."""
    ftype, weight = spec["facility_type"], spec.get("weight")
    num = den = 0.0
    locations = []
    seen = False
    engine = backends.chosen()
    for table in tables:
        got: Any = None
        if engine != "numpy":
            from cbcheck.backends.compile import _share_rows_sql

            try:
                got = _share_rows_sql(spec, table, engine)
            except UnitError:
                got = None                   # a unit pint refuses: the numpy path says it
        if got is None:
            try:
                got = facility_parts.share_rows(spec, table)
            except UnitError as exc:        # 200MW in a 炭化室高度(米) column: the share cannot be computed
                return Msg("msg.share_unit", table=table.source, error=phrase(exc.message))
        if got == "skip":
            continue
        if isinstance(got, str):
            return got
        idx, holds, w = got
        seen = True
        num += float(w[holds].sum())
        den += float(w.sum())
        locations.append(Msg("msg.table_rows", table=table.source, n=len(idx)))
    if not seen:
        return None
    if den == 0:
        return Msg("msg.share_nothing", kind=name_of(ftype, "type"),
                   weight=term(weight) if weight else Msg("msg.w_rows"))
    share = num / den * 100
    arithmetic = Msg("msg.share_calc", weight=term(weight) if weight else Msg("term.count"),
                     kind=name_of(ftype, "type"), condition=conditions(spec["where"]),
                     calc=f"{fmt(num)} / {fmt(den)} = {fmt(share)}%")
    return share, arithmetic, Msg.join(locations)


# Rules on these indicators are closures: a facility's 运行状态 (在产 / 已关停) answers them when its date is blank.
CLOSURE_INDICATORS = frozenset({"facility_retirement_date"})


def _share_rows(spec: dict[str, Any], table: FacilityTable) -> Any:
    """One table's part of a share: (positions, which hold the conditions, weights) of the
    facilities of the type, a message naming the first missing cell, or "skip"."""
    ftype, weight = spec["facility_type"], spec.get("weight")
    sel = table.of_type(ftype)
    if not sel.any():
        return "skip"
    idx = np.flatnonzero(sel)
    holds = np.ones(len(table), bool)
    for cond in spec["where"]:
        h, missing = condition(table, cond, sel)
        if (missing & sel).any():
            return _share_missing(table, ftype, cond, int(np.flatnonzero(missing & sel)[0]))
        holds &= h
    return _share_weights(spec, table, idx, holds[idx], lambda: values_in(table, str(weight), spec.get("unit"), idx))


def _share_missing(table: FacilityTable, ftype: str, cond: dict[str, Any], pos: int) -> str:
    row = int(table.rows[pos])
    return Msg("msg.share_attr_missing", attribute=term(cond["attribute"]), kind=name_of(ftype, "type"),
               location=table.location(cond["attribute"], row))


def _share_weights(spec: dict[str, Any], table: FacilityTable, idx: np.ndarray, holds: np.ndarray, weights: Any) -> Any:
    weight = spec.get("weight")
    if not weight:
        return idx, holds, np.ones(len(idx))
    if weight not in table:
        return Msg("msg.share_no_column", weight=term(weight), table=table.source)
    w = weights()
    if np.isnan(w).any():
        row = int(table.rows[int(idx[np.flatnonzero(np.isnan(w))[0]])])
        return Msg("msg.share_weight_missing", weight=term(weight), location=table.location(weight, row))
    return idx, holds, w


def select(rule: Rule, table: FacilityTable) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The facilities of ``table`` the rule covers: (positions, verdicts, reasons), with verdicts −1
    (to judge), MISSING_ATTRIBUTE (a blank attribute cell), UNREADABLE (an attribute cell written
    but not readable for the condition: its cell named) or EXEMPT; None when the table has none of
    the rule's type."""
    applies = rule.params.get("applies_to") or {}
    n = len(table)
    ftype = applies.get("facility_type")
    covered = table.of_type(ftype) if ftype is not None else np.full(n, rule.indicator in table)
    if not covered.any():
        return None
    # only the rows of the type can be covered: reasons are kept for those (8 bytes a row of the
    # table for `why`, 40 MiB at 5M rows, was a check's peak)
    pos = np.flatnonzero(covered)
    missing_attr, unreadable = np.zeros(n, bool), np.zeros(n, bool)
    why = np.full(len(pos), None, dtype=object)
    for cond in applies.get("where", []):
        written = written_cells(table, cond)
        holds, missing = condition(table, cond, covered, written)
        first = covered & missing & ~missing_attr
        why[first[pos]] = Msg("msg.needed_to_decide", attribute=term(cond["attribute"]),
                              condition=describe_condition(cond))
        if written is not None:   # 4.3/5.5, 55% (under 米), #N/A: written, not blank — an ERROR naming the cell
            codes, uniques = written
            for k in np.flatnonzero(first & ~np.isnan(codes)).tolist():
                said = uniques[int(codes[k])]
                if not isinstance(said, bool):
                    unreadable[k], why[np.searchsorted(pos, k)] = True, said
        missing_attr |= covered & missing
        covered &= holds | missing
    exempt = np.zeros(n, bool)
    for cond in applies.get("exempt", []):
        holds, _ = condition(table, cond, covered)
        why[(holds & ~exempt & ~missing_attr)[pos]] = describe_condition(cond)
        exempt |= holds
    idx = np.flatnonzero(covered)
    verdicts = np.full(len(idx), -1, dtype=np.int64)
    verdicts[exempt[idx]] = Verdict.EXEMPT
    verdicts[missing_attr[idx]] = Verdict.MISSING_ATTRIBUTE
    verdicts[unreadable[idx]] = Verdict.UNREADABLE
    reasons = why[np.searchsorted(pos, idx)]
    reasons[verdicts < 0] = None
    return idx, verdicts, reasons


def _year_column(table: FacilityTable, indicator: str, *years: int | str) -> str | None:
    """The column holding ``indicator`` for the first of ``years`` the table has (``ind@2024``)."""
    return next((f"{indicator}@{y}" for y in years if f"{indicator}@{y}" in table), None)


def prepare(rule: Rule, table: FacilityTable, idx: np.ndarray, verdicts: np.ndarray, reasons: np.ndarray,
            ctx: Context) -> tuple[FacilityColumn, str]:
    """The kind's input for one table: values in the rule's unit (or the cells as read), last
    year's values, per-category thresholds, and unreadable or absent cells already decided."""
    kind = KINDS[rule.kind]
    n = len(idx)
    column = _year_column(table, rule.indicator, ctx.year) or rule.indicator
    col = FacilityColumn(values=np.full(n, np.nan), previous=None, thresholds=None, verdicts=verdicts,
                         observed=np.full(n, None, dtype=object), expected=np.full(n, None, dtype=object),
                         reasons=reasons)
    if column not in table and "status" in table and rule.indicator in CLOSURE_INDICATORS:
        # no 关停日期 column, but a 运行状态 one: the state answers the closure (the kind judges it)
        col.values = np.full(n, None, dtype=object)
        col.states, col.states_coded = _objects(table.take("status", idx)), _coded(table, "status", idx)
        return col, "status"
    if column not in table:
        todo = col.todo                          # before the verdicts are set: todo is verdicts < 0
        col.verdicts[todo] = kind.absent(rule, ctx)
        reasons[todo & (reasons == None)] = Msg("msg.no_column", column=name_of(rule.indicator))  # noqa: E711
        return col, rule.indicator
    if kind.facility_values == "number":
        col.values = values_in(table, column, rule.unit, idx, strict=False)
        # a cell in a unit of its own (200MW) is looked for only where a cell has one: an object
        # comparison a covered facility, a part and rule at a time, was ~10 ms of a 1M-row check
        if table.cell_units.get(column) is not None and rule.unit is not None:
            foreign = foreign_cells(table, column, rule.unit, idx)
            for k in np.flatnonzero(col.todo & (foreign != None)):  # noqa: E711
                col.verdicts[k] = Verdict.UNREADABLE
                col.reasons[k] = other_unit(table, column, int(idx[k]), name_of(rule.indicator), foreign[k],
                                            str(rule.unit))
        prev = _year_column(table, rule.indicator, ctx.year - 1, "prev")
        if prev is not None:
            col.previous = values_in(table, prev, rule.unit, idx)
    else:
        col.values, col.coded = _objects(table.take(column, idx)), _coded(table, column, idx)
    bad = _bad_cells(table, column)
    if bad:                                  # the few unreadable cells, found without a loop over rows
        rows = table.rows[idx]
        for k in np.flatnonzero(col.todo & np.isin(rows, list(bad))):
            col.verdicts[k], col.reasons[k] = Verdict.UNREADABLE, bad[int(rows[k])]
    if "status" in table and rule.indicator in CLOSURE_INDICATORS:
        col.states, col.states_coded = _objects(table.take("status", idx)), _coded(table, "status", idx)
    by_category = rule.params.get("by_category")
    if by_category:
        col.thresholds = _category_thresholds(table, by_category, idx, col)
    return col, column


def _bad_cells(table: FacilityTable, column: str) -> dict[int, Any]:
    """The unreadable cells of a column by source row. The parts of a table share its errors and
    one memo (facility_parts.parts): a rule's pass over them looks through the errors once."""
    memo = table.__dict__.get("_bad_cells")
    if memo is not None and column in memo:
        return memo[column]
    bad = {row: err for (c, row), err in table.errors.items() if c == column and err}
    if memo is not None:
        memo[column] = bad
    return bad


def _objects(values: np.ndarray) -> np.ndarray:
    """A column's cells as Python objects (numbers of a float column as floats, NaN for a blank),
    as ``Series.to_numpy(dtype=object)`` gave them."""
    return values if values.dtype == object else values.astype(object)


def _coded(table: FacilityTable, column: str, idx: np.ndarray) -> tuple[np.ndarray, list[Any]] | None:
    """The reader's codes of a text column at ``idx`` (None where it has none: the kind factorizes)."""
    got = table.coded.get(column)
    return None if got is None else (got[0][idx], got[1])


def _category_thresholds(table: FacilityTable, by_category: dict[str, Any], idx: np.ndarray,
                         col: FacilityColumn) -> np.ndarray:
    from cbcheck.facilities import facility_catalogue

    attr = by_category["attribute"]
    fc = facility_catalogue()        # 无烟块煤（非优质） is the plan's 非优质无烟块煤 (facilities.yaml values)
    targets = {fc.category_key(attr, k): float(v) for k, v in by_category["targets"].items()}
    n = len(idx)
    if attr not in table:
        cats, thresholds, absent = np.full(n, None, dtype=object), np.full(n, np.nan), np.ones(n, bool)
    else:
        codes, uniques = table.factorized(attr)
        cats, absent = _objects(table.take(attr, idx)), codes[idx] < 0
        mapped = by_codes(codes[idx], uniques, lambda v: targets.get(fc.category_key(attr, str(v)), np.nan))
        mapped[absent] = np.nan
        thresholds = mapped.astype(float)
    todo = col.todo
    col.verdicts[todo & absent] = Verdict.MISSING_ATTRIBUTE
    col.reasons[todo & absent] = Msg("msg.needed_threshold", attribute=term(attr))
    unknown = todo & ~absent & np.isnan(thresholds)
    col.verdicts[unknown] = Verdict.NO_THRESHOLD
    known = Msg.listing(by_category["targets"])
    for k in np.flatnonzero(unknown):
        col.reasons[k] = Msg("msg.category_unknown", attribute=term(attr), value=cats[k], known=known)
    return thresholds


def batch_rows() -> int:
    """Facilities judged at a time (``CBCHECK_FACILITY_BATCH``; the tests set 1, 7, 64 to hold
    batches to one batch): each batch's object arrays live only until its PASS entries are counted."""
    return max(1, int(os.environ.get("CBCHECK_FACILITY_BATCH", "") or 65536))


def _judged(rule: Rule, table: FacilityTable, chosen: tuple[np.ndarray, np.ndarray, np.ndarray],
            ctx: Context) -> TablePart:
    """One table's part of a rule, judged ``batch_rows()`` facilities at a time
    (:class:`cbcheck.facility_parts.RuleParts`, the table as its one part). A unit error raises
    from the whole table, as one pass would say it. ``--engine duckdb|spark`` judge the whole
    table in one query and keep every facility."""
    try:
        judging = facility_parts.RuleParts(rule, ctx, len(chosen[0]))
        judging.feed(table, 0, chosen)
        got = judging.result(table)
        assert got is not None
        return got
    except UnitError:
        whole = select(rule, table) if len(chosen[0]) > batch_rows() else None
        if whole is not None:       # the batches' arrays were written: the whole table's error, afresh
            prepare(rule, table, *whole, ctx)
        raise


def evaluate_facility_rule(rule: Rule, tables: tuple[FacilityTable, ...], ctx: Context) -> Outcome:
    kind = KINDS[rule.kind]
    outside = kind.outside_period(rule, ctx)
    if outside is not None:
        return outside
    parts: list[TablePart] = []
    engine = backends.chosen()
    for table in tables:
        if engine != "numpy":
            from cbcheck.backends.compile import _sql_part

            try:
                part, ran = _sql_part(rule, table, ctx, engine)
            except (UnitError, NotImplementedError):
                ran = False       # a unit pint refuses, or a kind without SQL: the numpy path says it
            if ran:
                if part is not None:
                    parts.append(part)
                continue
        try:
            part = facility_parts.judged(rule, table, ctx)
            if part is not None:
                parts.append(part)
        except UnitError as exc:
            # the error's own Msg in the report's language (str(exc) is English, its words half-translated)
            said = exc.message if isinstance(exc.message, Msg) else phrase(str(exc))
            what = Msg("cli.with_hint", message=said, hint=exc.hint) if isinstance(exc.message, Msg) and exc.hint \
                else said
            return Outcome(Status.ERROR, None, None, "", "", Msg("msg.label_colon", label=table.source, what=what),
                           table.header_location(rule.indicator) if rule.indicator in table.columns else None)
    ftype = (rule.params.get("applies_to") or {}).get("facility_type")
    if ftype is not None:
        from cbcheck.facilities import facility_catalogue

        known = facility_catalogue().types.get(ftype)
        kind_name = Msg("msg.facility_kind", name=name_of(ftype, "type"), id=ftype) if known else ftype
    else:
        kind_name = name_of(rule.indicator)
    if not parts:
        return Outcome(Status.NOT_APPLICABLE, None, None, "", "", Msg("msg.no_facilities", kind=kind_name))
    result = FacilityResult(rule.id, kind_name, tuple(with_remarks(p) for p in parts), rule.binding,
                            rule.strength == "approximate", kind.early_year(rule, ctx))
    counts = result.counts()
    status = next((s for s in WORST_FIRST if counts[s.value]), Status.NOT_APPLICABLE)
    judged = result.total - counts["NOT_APPLICABLE"]
    breaches = counts["FAIL"] + counts["WARN"]
    expected = kind.facility_expected(rule, ctx)
    # the facilities of the rule's type, asked only when it covered none (every engine's part holds the table)
    of_kind = 0 if result.total else sum(_of_kind(rule, p.table) for p in parts)
    summary = Msg("msg.breach_summary", n=breaches, total=judged, kind=kind_name, requirement=phrase(expected)) \
        if judged else _nothing_judged(rule, of_kind, result.total, kind_name)
    breakdown: str = ""
    for name, n in counts.items():
        if n:
            said = Msg("msg.n_status", n=n, status=Msg("term.exempt" if name == "NOT_APPLICABLE" else f"term.{name}"))
            breakdown = Msg("msg.dot", left=breakdown, right=said) if breakdown else said
    first = result.first_entry()
    covered = Msg("msg.covered", n=result.total, counts=breakdown) if result.total \
        else Msg("msg.covered_none", n=of_kind)
    return Outcome(status, f"{breaches}/{judged}", expected, "", covered,
                   summary, first["location"] if first and status is not Status.PASS else None,
                   rule.unit, {"facilities": result})


def _of_kind(rule: Rule, table: FacilityTable) -> int:
    """The facilities of ``table`` of the rule's type, before its conditions (:func:`select`'s
    first mask): every engine's part holds the same table, so all say the same number."""
    ftype = (rule.params.get("applies_to") or {}).get("facility_type")
    return int(table.of_type(ftype).sum()) if ftype is not None else len(table) if rule.indicator in table else 0


def _nothing_judged(rule: Rule, of_kind: int, covered: int, kind_name: Any) -> Msg:
    """Why a rule judged none of the facilities the file lists: none is within its conditions (3 个燃煤
    发电机组均不在本规则范围内（要求：状态 属于｛拟关停淘汰｝）), or every one it covers is exempt.
    Not "no facility to judge": the plant listed three."""
    if covered:
        return Msg("msg.all_exempt", n=covered, kind=kind_name)
    where = (rule.params.get("applies_to") or {}).get("where") or []
    return Msg("msg.none_in_scope", n=of_kind, kind=kind_name,
               conditions=conditions(where))
