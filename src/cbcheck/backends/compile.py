"""Facility rules compiled to SQL for the query engines (``--engine duckdb`` / ``spark``).

The same rules as :mod:`cbcheck.facility_rules` (which keeps the numpy selection and preparation),
verdict for verdict: :func:`compile_rule` builds one query per rule and table (the selection of
``facility_rules.select``, the preparation of ``facility_rules.prepare`` and the kind's own part,
:meth:`cbcheck.checks.Kind.facility_sql`), :func:`compile_condition` one ``applies_to`` condition,
:func:`_share_rows_sql` one table's part of a share; :func:`_sql_part` runs a rule on an engine and
turns the rows back into a :class:`~cbcheck.facility_results.TablePart`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cbcheck import backends
from cbcheck.checks import KINDS, Context, Verdict
from cbcheck.checks.base import term
from cbcheck.facilities import name_of
from cbcheck.facility_columns import values_in, written_cells
from cbcheck.facility_listing import Values
from cbcheck.facility_results import TablePart
from cbcheck.facility_rules import CLOSURE_INDICATORS, _share_missing, _share_weights, _year_column
from cbcheck.i18n.message import Msg
from cbcheck.model import FacilityTable, Rule
from cbcheck.wording import describe_condition


def _share_rows_sql(spec: dict[str, Any], table: FacilityTable, engine: str) -> Any:
    """:func:`_share_rows` as one query: the selection and the conditions in SQL; the facilities
    of the type come back (in table order) with their condition flags and weights, and are
    summed as the numpy path sums them (the same doubles in the same order: the same share)."""
    from cbcheck.backends import sql

    ftype, weight = spec["facility_type"], spec.get("weight")
    rel = _relation(table)
    types = rel.dictionary("d:_type", lambda: sql.encode(table.frame["_type"]))
    of_type = types.codes_where(lambda u: u == ftype)
    if not of_type:
        return "skip"
    columns = [sql.col("_pos").as_("pos")]
    for i, cond in enumerate(spec["where"]):
        holds, missing = compile_condition(table, cond, rel)
        columns += [holds.as_(f"h{i}"), missing.as_(f"m{i}")]
    if weight and weight in table.frame:
        w = rel.number(f"u:{weight}:{spec.get('unit')}", lambda: values_in(table, weight, spec.get("unit")))
        columns.append(w.as_("w"))
    rel.arrays.setdefault("_pos", np.arange(rel.n, dtype=np.int64))
    query = sql.exp.select(*columns).from_("facility_relation").where(sql.in_codes(types.code, of_type)) \
        .order_by("pos")
    rows = backends.runner(engine)(sql.Compiled(query, rel, sql.SqlJudgement(sql.exp.null(), sql.exp.null()), None))
    idx = rows["pos"].astype(np.int64)
    holds_all = np.ones(len(idx), bool)
    for i, cond in enumerate(spec["where"]):
        missing = np.asarray(rows[f"m{i}"], dtype=bool)
        if missing.any():
            return _share_missing(table, ftype, cond, int(idx[np.flatnonzero(missing)[0]]))
        holds_all &= np.asarray(rows[f"h{i}"], dtype=bool)
    return _share_weights(spec, table, idx, holds_all, lambda: rows["w"].astype(float))


def compile_condition(table: FacilityTable, cond: dict[str, Any], rel: Any) -> tuple[Any, Any]:
    """:func:`cbcheck.facility_columns.condition` as SQL: (holds, missing), both never NULL.
    Text is read once per distinct value (``norm_name``, ``truth``), as the numpy path does."""
    from cbcheck.backends import sql
    from cbcheck.vocab import truth

    frame = table.frame
    attr = cond["attribute"]
    if attr not in frame:
        return sql.exp.false(), sql.exp.true()
    s = frame[attr]
    if "in" in cond or "equals" in cond:
        wanted = cond["in"] if "in" in cond else [cond["equals"]]
        if all(isinstance(w, bool) for w in wanted):
            d = rel.dictionary(f"d:{attr}", lambda: sql.encode(s))
            said = [truth(v) for v in d.uniques]
            is_bool = [i for i, v in enumerate(said) if isinstance(v, bool)]
            said_wanted = [i for i, v in enumerate(said) if isinstance(v, bool) and v in wanted]
            return sql.in_codes(d.code, said_wanted), sql.not_(sql.in_codes(d.code, is_bool))
        if all(isinstance(w, (int, float)) for w in wanted) and s.dtype.kind == "f":
            v = rel.number(f"n:{attr}", lambda: s.to_numpy(dtype=float, na_value=np.nan))
            return sql.true_where(sql.or_(*[sql.cmp(v, "=", sql.num(float(w))) for w in wanted])), sql.is_null(v)
        from cbcheck.facilities import facility_catalogue

        fc = facility_catalogue()
        keys = {fc.category_key(attr, str(w)) for w in wanted}
        d = rel.dictionary(f"d:{attr}", lambda: sql.encode(s))
        return sql.in_codes(d.code, d.codes_where(lambda u: fc.category_key(attr, str(u)) in keys)), \
            sql.is_null(d.code)
    # per cell, as the numpy path reads it: a cell in a unit of another kind (55% under 米) is blank
    # here and named by written_sql, not a reason to hand the whole table back to numpy
    v = rel.number(f"s:{attr}:{cond.get('unit')}", lambda: values_in(table, attr, cond.get("unit"), strict=False))
    bounds = []
    if "min" in cond:
        bounds.append(sql.cmp(v, ">" if cond.get("min_exclusive") else ">=", sql.num(cond["min"])))
    if "max" in cond:
        bounds.append(sql.cmp(v, "<" if cond.get("max_exclusive") else "<=", sql.num(cond["max"])))
    holds, missing = sql.true_where(sql.and_(*bounds)), sql.is_null(v)
    written = written_sql(table, cond, rel)
    if written is not None:           # 4.3米以下 under ≤ 4.3: decided by the bound (codes 0 yes, 1 no)
        yes, no = sql.in_codes(written.code, [0]), sql.in_codes(written.code, [1])
        holds, missing = sql.or_(holds, yes), sql.and_(missing, sql.not_(sql.or_(yes, no)))
    return holds, missing


def written_sql(table: FacilityTable, cond: dict[str, Any], rel: Any) -> Any:
    """:func:`cbcheck.facility_columns.written_cells` as a dictionary column of the relation (None
    when the attribute has no such cell): codes 0/1 a bound that decides, the rest the words naming
    a cell that cannot decide."""
    if "in" in cond or "equals" in cond or cond["attribute"] not in table.frame:
        return None
    key = f"w:{sorted(cond.items())!r}"
    if key not in rel.names and written_cells(table, cond) is None:
        return None
    return rel.dictionary(key, lambda: written_cells(table, cond))


def compile_rule(rule: Rule, table: FacilityTable, ctx: Context, rel: Any) -> Any:
    """One query for one rule over one table (:class:`cbcheck.backends.sql.Compiled`): the
    selection of :func:`select`, the preparation of :func:`prepare` and the kind's own part
    (:meth:`cbcheck.checks.Kind.facility_sql`), verdict for verdict."""
    from cbcheck.backends import sql

    kind = KINDS[rule.kind]
    applies = rule.params.get("applies_to") or {}
    frame = table.frame
    ftype = applies.get("facility_type")
    if ftype is not None:
        types = rel.dictionary("d:_type", lambda: sql.encode(frame["_type"]))
        of_type = types.codes_where(lambda u: u == ftype)
        if not of_type:
            return None                      # none of the rule's type: the table is not part of it
        covered = sql.in_codes(types.code, of_type)
    else:
        if rule.indicator not in frame or not len(frame):
            return None
        covered = sql.exp.true()
    said = sql.Reasons()                      # the reasons are the numpy path's words, by code
    missing_attr, why, verdict_of = [], [], []
    for cond in applies.get("where", []):
        holds, missing = compile_condition(table, cond, rel)
        covered = sql.and_(covered, sql.or_(holds, missing))
        missing_attr.append(missing)
        blank = said.code(Msg("msg.needed_to_decide", attribute=term(cond["attribute"]),
                              condition=describe_condition(cond)))
        written = written_sql(table, cond, rel)
        if written is None:
            why.append((missing, blank))
            verdict_of.append((missing, sql.integer(Verdict.MISSING_ATTRIBUTE)))
            continue
        # written but not readable for the condition (4.3/5.5, 55% under 米): an ERROR naming the cell
        named = sql.in_codes(written.code, written.codes_where(lambda u: not isinstance(u, bool)))
        why.append((missing, sql.case([(named, said.of(written))], blank)))
        verdict_of.append((missing, sql.case([(named, sql.integer(Verdict.UNREADABLE))],
                                             sql.integer(Verdict.MISSING_ATTRIBUTE))))
    exempt = []
    for cond in applies.get("exempt", []):
        holds, _ = compile_condition(table, cond, rel)
        exempt.append((holds, said.code(describe_condition(cond))))
    pre: list[tuple[Any, Any, Any]] = []          # (when, verdict, reason), first match wins
    if missing_attr:
        pre.append((sql.or_(*missing_attr), sql.case(verdict_of), sql.case(why)))
    if exempt:
        pre.append((sql.or_(*[h for h, _ in exempt]), sql.integer(Verdict.EXEMPT), sql.case(exempt)))

    column = _year_column(table, rule.indicator, ctx.year) or rule.indicator
    cells = None
    states = rel.dictionary("d:status", lambda: sql.encode(frame["status"])) if _reads_states(rule, table) \
        else None
    if column not in frame and states is not None:
        # no closure-date column, but a 运行状态 one: the state answers the closure (as facility_rules.prepare)
        q = sql.FacilitySql(value=None, cells=None, previous=None, threshold=None, states=states, reasons=said)
        return _query(rel, covered, pre, kind.facility_sql(rule, q, ctx), None, said)
    if column not in frame:
        judgement = sql.SqlJudgement(sql.integer(kind.absent(rule, ctx)),
                                     said.code(Msg("msg.no_column", column=name_of(rule.indicator))))
        return _query(rel, covered, pre, judgement, None, said, kind_runs=False)
    value = previous = threshold = None
    if kind.facility_values == "number":
        value = rel.number(f"u:{column}:{rule.unit}", lambda: values_in(table, column, rule.unit))
        prev = _year_column(table, rule.indicator, ctx.year - 1, "prev")
        if prev is not None:
            previous = rel.number(f"u:{prev}:{rule.unit}", lambda: values_in(table, prev, rule.unit))
    else:
        cells = rel.dictionary(f"d:{column}", lambda: sql.encode(frame[column]))
    if any(c == column for c, _ in table.errors):
        err = rel.dictionary(f"e:{column}", lambda: _errors_of(table, column))
        pre.append((sql.not_(sql.is_null(err.code)), sql.integer(Verdict.UNREADABLE), said.of(err)))
    by_category = rule.params.get("by_category")
    if by_category:
        from cbcheck.facilities import facility_catalogue

        attr = by_category["attribute"]
        fc = facility_catalogue()    # one reading with the numpy path: the plan's word for a way plants write it
        targets = {fc.category_key(attr, k): float(v) for k, v in by_category["targets"].items()}
        known = Msg.listing(by_category["targets"])
        if attr not in frame:
            threshold = sql.exp.cast(sql.exp.null(), "DOUBLE")
            pre.append((sql.exp.true(), sql.integer(Verdict.MISSING_ATTRIBUTE),
                        said.code(Msg("msg.needed_threshold", attribute=term(attr)))))
        else:
            cats = rel.dictionary(f"d:{attr}", lambda: sql.encode(frame[attr]))
            threshold = cats.mapped(lambda u: targets.get(fc.category_key(attr, str(u))), sql.num,
                                    sql.exp.cast(sql.exp.null(), "DOUBLE"))
            pre.append((sql.is_null(cats.code), sql.integer(Verdict.MISSING_ATTRIBUTE),
                        said.code(Msg("msg.needed_threshold", attribute=term(attr)))))
            pre.append((sql.is_null(threshold), sql.integer(Verdict.NO_THRESHOLD),
                        cats.mapped(lambda u: Msg("msg.category_unknown", attribute=term(attr), value=u,
                                                  known=known), said.code)))
    q = sql.FacilitySql(value=value, cells=cells, previous=previous, threshold=threshold, states=states,
                        reasons=said)
    return _query(rel, covered, pre, kind.facility_sql(rule, q, ctx), cells, said)


def _reads_states(rule: Rule, table: FacilityTable) -> bool:
    """A closure rule on a table with 运行状态: the state answers a blank closure date."""
    return rule.indicator in CLOSURE_INDICATORS and "status" in table.frame


def _rule_column(rule: Rule, table: FacilityTable, ctx: Context) -> str:
    """The column the table's part of the rule is reported against, as facility_rules.prepare says it."""
    column = _year_column(table, rule.indicator, ctx.year) or rule.indicator
    return "status" if column not in table.frame and _reads_states(rule, table) else column


def _errors_of(table: FacilityTable, column: str) -> tuple[np.ndarray, list[Any]]:
    """The reader's errors in ``column`` dictionary-encoded (codes, distinct errors): few cells,
    and the errors stay the reader's own messages (their keys), not their English."""
    codes = np.full(len(table.frame), np.nan)
    where = {row: msg for (c, row), msg in table.errors.items() if c == column and msg}
    distinct: dict[tuple[Any, str], int] = {}
    uniques: list[Any] = []
    rows = table.frame["_row"].to_numpy()
    for k in np.flatnonzero(np.isin(rows, list(where))):
        msg = where[int(rows[k])]
        key = (getattr(msg, "key", None), msg)
        if key not in distinct:
            distinct[key] = len(uniques)
            uniques.append(msg)
        codes[k] = distinct[key]
    return codes, uniques


def _query(rel: Any, covered: Any, pre: list[tuple[Any, Any, Any]], judgement: Any, cells: Any, said: Any,
           kind_runs: bool = True) -> Any:
    from cbcheck.backends import sql

    decided = sql.case([(when, verdict) for when, verdict, _ in pre], sql.exp.cast(sql.exp.null(), "INT"))
    todo = sql.is_null(decided)
    verdict = sql.case([(todo, judgement.verdict)], decided)
    reason = sql.case([(when, words) for when, _, words in pre], judgement.reason)
    columns = [sql.col("_pos").as_("pos"), verdict.as_("verdict"), reason.as_("reason"), todo.as_("todo")]
    observed = judgement.observed
    if judgement.observed_judged is not None:      # only where the kind judges: a decided row shows its cell
        observed = sql.case([(todo, judgement.observed_judged)], observed)
    if observed is not None:
        columns.append(observed.as_("observed"))
    if judgement.expected is not None:
        columns.append(judgement.expected.as_("expected"))
    rel.arrays.setdefault("_pos", np.arange(rel.n, dtype=np.int64))
    query = sql.exp.select(*columns).from_("facility_relation").where(covered).order_by("pos")
    return sql.Compiled(query, rel, judgement, cells, kind_runs, said)


def part_from_rows(rule: Rule, table: FacilityTable, compiled: Any, rows: dict[str, np.ndarray],
                   column: str) -> TablePart:
    """A :class:`TablePart` from a query's rows (engine-neutral: numpy arrays by column)."""
    pos = rows["pos"].astype(np.int64)
    n = len(pos)
    verdicts = rows["verdict"].astype(np.int64)
    reasons = compiled.reasons.lookup(rows["reason"])
    observed = np.full(n, None, dtype=object)
    expected = np.full(n, None, dtype=object)
    j = compiled.judgement
    if compiled.kind_runs and bool(np.asarray(rows["todo"], dtype=bool).any()):
        if j.observed_cells:
            codes = np.asarray(rows["observed"], dtype=float)
            values = j.observed_uniques if j.observed_uniques is not None else compiled.cells.uniques
            uniques = np.empty(len(values) + 1, dtype=object)
            uniques[:-1] = values
            known = ~np.isnan(codes)
            observed[known] = uniques[codes[known].astype(np.int64)]
            if compiled.cells is not None:                        # blanks as the reader left them
                raw = table.frame[column].to_numpy(dtype=object)[pos]
                observed[~known] = raw[~known]
        elif j.observed is not None:
            observed[:] = rows["observed"].astype(float)
        if j.expected is not None:
            expected[:] = rows["expected"].astype(float)
        else:
            expected[:] = j.expected_constant
    return TablePart(table, pos, verdicts, Values.of(observed), Values.of(expected), column, reasons)


_RELATIONS: list[tuple[FacilityTable, Any]] = []     # the last few tables' relations, shared by rules


def _relation(table: FacilityTable) -> Any:
    from cbcheck.backends.sql import Relation

    for known, rel in _RELATIONS:
        if known is table:
            return rel
    rel = Relation(len(table.frame))
    _RELATIONS.insert(0, (table, rel))
    del _RELATIONS[4:]
    return rel


def _sql_part(rule: Rule, table: FacilityTable, ctx: Context, engine: str) -> tuple[TablePart | None, bool]:
    """(the table's part of the rule, True) from the query engine; (None, True) when the table
    has none of the rule's facilities."""
    compiled = compile_rule(rule, table, ctx, _relation(table))
    if compiled is None:
        return None, True
    rows = backends.runner(engine)(compiled)
    return part_from_rows(rule, table, compiled, rows, _rule_column(rule, table, ctx)), True
