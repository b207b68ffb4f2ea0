"""Level checks: a value at or beyond a threshold at the target year (达到、以上、以下、之间)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from cbcheck.checks.base import (Context, Outcome, Series, behind_status, fmt, gap_text, judge, linear, not_due,
                                 path_end, piecewise, satisfies, symbol, term, tolerance, tolerance_edge, vs,
                                 with_edge_note, with_unit)
from cbcheck.checks.kind import FacilityColumn, Kind, Verdict, level_describe, register
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule, Status

if TYPE_CHECKING:
    from cbcheck.backends.sql import FacilitySql, SqlJudgement


def judge_year(rule: Rule, series: Series, ctx: Context) -> int:
    """The year a level is judged in: the reporting year, or the target year once it has passed
    (falling back to the reporting year when the target year was not reported)."""
    if rule.target_year is None or ctx.year <= rule.target_year or series.get(rule.target_year) is None:
        return ctx.year
    return rule.target_year


def level_path(rule: Rule, base_year: int, base_value: float) -> Callable[[int], float] | None:
    """Linear from the base-year value through the plan's earlier targets to the target."""
    if rule.target is None or rule.target_year is None or base_year >= rule.target_year:
        return None
    inner = [(y, v) for y, v in rule.waypoints if base_year < y < rule.target_year]
    return piecewise([(base_year, base_value), *inner, (rule.target_year, path_end(rule))], linear)


def path_formula(rule: Rule, base_year: int, base_value: float, year: int) -> str:
    """``milestone 2023 = 12 + (13 − 12)×(2023−2020)/(2025−2020) = 12.6`` for the segment holding ``year``."""
    assert rule.target is not None and rule.target_year is not None
    points = sorted([(base_year, base_value), *[(y, v) for y, v in rule.waypoints if base_year < y < rule.target_year],
                     (rule.target_year, path_end(rule))])
    (y0, v0), (y1, v1) = next(((a, b) for a, b in zip(points, points[1:], strict=False) if year <= b[0]), points[-2:])
    return f"{fmt(v0)} + ({fmt(v1)} − {fmt(v0)})×({year}−{y0})/({y1}−{y0})"


def _early(rule: Rule, ctx: Context) -> int | None:
    """A facility threshold the plan sets for a target year binds from that year: before it, a unit
    above the cap is behind, not in breach (region rules judge the same years by their path)."""
    return rule.target_year if rule.target_year is not None and ctx.year < rule.target_year else None


class Threshold(Kind):
    fields = frozenset({"target", "exclusive", "base_year", "base_value", "by_category", "tolerance"})
    required = (("target", "assigned", "by_category"),)
    level = True
    facility = True
    at_least: bool = True

    def describe(self, rule: Rule, lang: str = "en") -> str:
        return level_describe(rule, lang)

    def path(self, rule: Rule, base_year: int, base_value: float) -> Callable[[int], float] | None:
        return level_path(rule, base_year, base_value)

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.target is not None
        if rule.target_year is not None and ctx.year < rule.target_year:
            return self._trajectory(rule, series, ctx)
        year = judge_year(rule, series, ctx)
        v = series.need(year)
        j = judge(rule, v.value, rule.target, self.at_least, shown=v.shown, unit=series.unit)
        arithmetic = Msg.join([v.derived, j.comparison]) if v.derived else j.comparison
        return Outcome(j.status, v.value, rule.target, symbol(self.at_least, rule.exclusive), arithmetic,
                       j.said("", year=year), v.location, series.unit)

    def _trajectory(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.target is not None and rule.target_year is not None
        target, unit, T, t = rule.target, series.unit, rule.target_year, ctx.year
        cmp = symbol(self.at_least, rule.exclusive)
        current = series.need(t)
        j = judge(rule, current.value, target, self.at_least, shown=current.shown, unit=unit)
        if j.status is Status.PASS:
            return Outcome(Status.PASS, current.value, target, cmp,
                           Msg("msg.target_for", calc=j.comparison, target_year=T),
                           Msg("msg.already_meets", year=t, target_year=T), current.location, unit)
        b = rule.base_year or ctx.default_base_year
        base_shown: str
        if rule.base_value is not None:
            base, base_shown = rule.base_value, Msg("msg.stated_in_plan", value=with_unit(rule.base_value, unit))
        elif series.get(b) is not None:
            base, base_shown = series.values[b].value, series.values[b].shown
        else:
            return not_due(rule, ctx, Msg("msg.no_base_value", year=b))
        path = level_path(rule, b, base)
        if t <= b or path is None:
            return not_due(rule, ctx, Msg("msg.not_after_base", year=b))
        milestone = path(t)
        on_track = bool(satisfies(current.value, milestone, self.at_least, False))
        at = Msg("msg.milestone", year=t, formula=path_formula(rule, b, base, t), value=with_unit(milestone, unit))
        versus = f"{cmp} {with_unit(milestone, unit)}"
        arithmetic = Msg.join([with_edge_note(at, rule, b, t, unit),
                               f"{current.shown} {versus}" if on_track else vs(current.shown, versus)])
        details = {"milestone": milestone, "base_value": base, "base_year": b, "trajectory": "linear"}
        if on_track:
            return Outcome(Status.PASS, current.value, milestone, cmp, arithmetic,
                           Msg("msg.on_track", year=t, target=with_unit(target, unit), target_year=T),
                           current.location, unit, details)
        gap = abs(target - current.value)
        return Outcome(behind_status(rule, ctx), current.value, milestone, cmp, arithmetic,
                       Msg("msg.behind_base", year=t, base=base_shown, gap=gap_text(gap, unit), target_year=T),
                       current.location, unit, details)

    def early_year(self, rule: Rule, ctx: Context) -> int | None:
        return _early(rule, ctx)

    def judge_facilities(self, rule: Rule, col: FacilityColumn, ctx: Context) -> None:
        import numpy as np

        todo = col.todo
        values = col.values
        assert rule.target is not None or col.thresholds is not None
        thresholds = col.thresholds if col.thresholds is not None else np.full(len(values), float(rule.target or 0))
        blank = todo & np.isnan(values)
        col.verdicts[blank] = Verdict.MISSING
        todo &= ~blank
        ok = satisfies(values, thresholds, self.at_least, rule.exclusive)
        # within an approximate target's tolerance; a rule without one has no band (exclusive bounds too)
        near = ~ok & (tolerance(rule, thresholds) > 0) \
            & satisfies(values, tolerance_edge(rule, thresholds, self.at_least), self.at_least, False)
        col.verdicts[todo & ok] = Verdict.MEETS
        col.verdicts[todo & near] = Verdict.WITHIN_TOLERANCE
        col.verdicts[todo & ~ok & ~near] = Verdict.MISS
        col.observed[:] = values
        col.expected[:] = thresholds

    def facility_sql(self, rule: Rule, q: FacilitySql, ctx: Context) -> SqlJudgement:
        from cbcheck.backends.sql import SqlJudgement, case, integer, is_null, num, satisfies_sql, tolerance_edge_sql
        from sqlglot import exp

        assert q.value is not None
        assert rule.target is not None or q.threshold is not None
        value = q.value
        threshold = q.threshold if q.threshold is not None else num(float(rule.target or 0))
        ok = satisfies_sql(value, threshold, self.at_least, rule.exclusive)
        edge = tolerance_edge_sql(rule, threshold, self.at_least)
        # as judge_facilities: a band only where the rule has a tolerance (an exclusive bound has none)
        # exp.and_ is annotated -> Condition but builds an exp.And, which is an Expression (sqlglot ≥ 30
        # splits the two in its stubs); the cast only tells mypy so, the SQL is unchanged
        near = cast(exp.Expression, exp.and_(satisfies_sql(value, edge, self.at_least, False),
                                             exp.NEQ(this=edge, expression=threshold)))
        verdict = case([(is_null(value), integer(Verdict.MISSING)), (ok, integer(Verdict.MEETS)),
                        (near, integer(Verdict.WITHIN_TOLERANCE))], integer(Verdict.MISS))
        return SqlJudgement(verdict, exp.null(), observed=value, expected=threshold)

    def facility_expected(self, rule: Rule, ctx: Context) -> str:
        cmp = symbol(self.at_least, rule.exclusive)
        by_category = rule.params.get("by_category")
        if by_category:
            return Msg("msg.by_category", cmp=cmp, attribute=term(by_category["attribute"]),
                       values=Msg.listing(f"{k} {fmt(v)}" for k, v in by_category["targets"].items()))
        return f"{cmp} {with_unit(rule.target, rule.unit)}"

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        from cbcheck.checks.base import DEFAULT_APPROX_TOLERANCE_REL

        if rule.target is None or rule.params.get("by_category"):
            return []
        b, T, unit = rule.base_year or default_base, rule.target_year, rule.unit or ""
        cmp, target = symbol(self.at_least, rule.exclusive), with_unit(rule.target, unit)
        lines: list[str] = [Msg("explain.arith.value_in", cmp=cmp, target=target, year=T) if T
                            else Msg("explain.arith.value", cmp=cmp, target=target)]
        edge = tolerance_edge(rule, rule.target, self.at_least)
        if edge != rule.target:
            rel = ("" if rule.tolerance_abs or rule.tolerance_rel
                   else Msg("explain.arith.rel", rel=f"{fmt(DEFAULT_APPROX_TOLERANCE_REL * 100)}%"))
            lines.append(Msg("explain.arith.approximate", width=fmt(abs(rule.target - edge)), rel=rel,
                             edge=with_unit(edge, unit)))
        if T:
            base = fmt(rule.base_value) if rule.base_value is not None else f"v_{b}"
            via = Msg.concat(Msg("explain.arith.via", value=with_unit(v, unit), year=y)
                             for y, v in rule.waypoints if b < y < T)
            end = path_end(rule)
            loosest = Msg("explain.arith.loosest") if end != rule.target else ""
            lines.append(Msg("explain.arith.milestone", year=T, base=base, base_year=b, via=via,
                             end=with_unit(end, unit), loosest=loosest))
        return lines

    def unit_problem(self, rule: dict[str, Any], dimension: str | None) -> str | None:
        return level_unit_problem(rule, dimension)


@register
class AtLeast(Threshold):
    """at_least — the value must reach the target: value ≥ target (value > target with
    ``exclusive: true``, for 超过/突破).

    Wording: 达到、提高至、以上、不低于、超过. Before the target year the value is
    compared with the even path from the base-year value (linear, through the plan's own
    earlier target for the same indicator when it sets one): on or above the path is PASS
    ("on track"), below is WARN ("behind trajectory"); without a base value the finding is
    NOT_DUE. Approximate targets (左右) pass within the rule's tolerance (default ±5 % of the
    target), and the report prints the true comparison with the tolerance.

    Facility rules: each facility's value against the target (or its category's target).

    Example: 到2025年非化石能源消费比重达到13% — 13.8% ≥ 13% → PASS.
    """

    name = "at_least"
    at_least = True


@register
class AtMost(Threshold):
    """at_most — the value must not exceed the target: value ≤ target (value < target
    with ``exclusive: true``, for 低于/不满). A ban on new capacity (严禁新增) is
    at_most 0.

    Wording: 以下、以内、不高于、降至…以下、控制在…以内. Trajectory before the target
    year as for at_least, mirrored.

    Facility rules: each facility's value against the target (or its category's target,
    e.g. ammonia energy by feedstock).

    Example: 煤电机组平均供电煤耗降至295克标准煤/千瓦时以下 — 298 vs ≤ 295 → FAIL.
    """

    name = "at_most"
    at_least = False


@register
class Between(Kind):
    """between — the value must lie in [min, max] (both ends included).

    Wording: 保持在X—Y之间、X至Y. Judged at the target year (or the reporting year
    when the rule has no target year); NOT_DUE before the target year. Facility rules:
    each facility's value in the range.

    Example: 森林覆盖率保持在20%—22% — 21.3% in [20, 22] → PASS.
    """

    name = "between"
    fields = frozenset({"min", "max", "base_year", "tolerance"})
    required = ("min", "max")
    level = True
    facility = True

    def describe(self, rule: Rule, lang: str = "en") -> str:
        unit = f" {rule.unit}" if rule.unit else ""
        if lang == "zh":
            return f"{fmt(rule.minimum)}–{fmt(rule.maximum)}{rule.unit or ''}"
        return f"in [{fmt(rule.minimum)}, {fmt(rule.maximum)}]{unit}"

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.minimum is not None and rule.maximum is not None
        if rule.target_year is not None and ctx.year < rule.target_year:
            return not_due(rule, ctx, Msg("msg.range_at_target"))
        year = judge_year(rule, series, ctx)
        v = series.need(year)
        lo = judge(rule, v.value, rule.minimum, True).status
        hi = judge(rule, v.value, rule.maximum, False).status
        status = lo if lo is not Status.PASS else hi
        expected = f"[{fmt(rule.minimum)}, {fmt(rule.maximum)}]"
        # the arithmetic states where the value truly is; an approximate range may pass just outside it
        inside = satisfies(v.value, rule.minimum, True, False) and satisfies(v.value, rule.maximum, False, False)
        arithmetic = Msg("msg.in_range" if inside else "msg.not_in_range", value=v.shown,
                         range=f"{expected} {series.unit or ''}".rstrip())
        return Outcome(status, v.value, expected, "in", arithmetic,
                       Msg("msg.within_range" if status is Status.PASS else "msg.outside_range", year=year),
                       v.location, series.unit)

    def early_year(self, rule: Rule, ctx: Context) -> int | None:
        return _early(rule, ctx)

    def judge_facilities(self, rule: Rule, col: FacilityColumn, ctx: Context) -> None:
        import numpy as np

        assert rule.minimum is not None and rule.maximum is not None
        todo, values = col.todo, col.values
        blank = todo & np.isnan(values)
        col.verdicts[blank] = Verdict.MISSING
        todo &= ~blank
        (lo_meets, lo_accepts), (hi_meets, hi_accepts) = (_side(rule, values, rule.minimum, True),
                                                          _side(rule, values, rule.maximum, False))
        ok = lo_meets & hi_meets
        near = ~ok & lo_accepts & hi_accepts
        col.verdicts[todo & ok] = Verdict.MEETS
        col.verdicts[todo & near] = Verdict.WITHIN_TOLERANCE
        col.verdicts[todo & ~ok & ~near] = Verdict.MISS
        col.observed[:] = values
        col.expected[:] = f"[{fmt(rule.minimum)}, {fmt(rule.maximum)}]"

    def facility_sql(self, rule: Rule, q: FacilitySql, ctx: Context) -> SqlJudgement:
        from cbcheck.backends.sql import (SqlJudgement, and_, case, integer, is_null, num, or_, satisfies_sql,
                                          tolerance_edge_sql)
        from sqlglot import exp

        assert rule.minimum is not None and rule.maximum is not None and q.value is not None
        value = q.value

        def side(bound: float, at_least: bool) -> tuple[exp.Expression, exp.Expression]:
            # as _side: the bound's own band, where its tolerance leaves one
            meets = satisfies_sql(value, num(bound), at_least, False)
            if tolerance_edge(rule, bound, at_least) == bound:
                return meets, meets
            return meets, or_(meets, satisfies_sql(value, tolerance_edge_sql(rule, num(bound), at_least), at_least,
                                                   False))

        (lo_meets, lo_accepts), (hi_meets, hi_accepts) = side(rule.minimum, True), side(rule.maximum, False)
        ok = and_(lo_meets, hi_meets)
        near = and_(lo_accepts, hi_accepts)
        verdict = case([(is_null(value), integer(Verdict.MISSING)), (ok, integer(Verdict.MEETS)),
                        (near, integer(Verdict.WITHIN_TOLERANCE))], integer(Verdict.MISS))
        return SqlJudgement(verdict, exp.null(), observed=value,
                            expected_constant=f"[{fmt(rule.minimum)}, {fmt(rule.maximum)}]")

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        high = f"{fmt(rule.maximum)} {rule.unit or ''}".rstrip()
        return [Msg("explain.arith.between", low=fmt(rule.minimum), high=high)]

    def unit_problem(self, rule: dict[str, Any], dimension: str | None) -> str | None:
        return level_unit_problem(rule, dimension)

    def lint(self, rule: dict[str, Any]) -> list[tuple[str, str]]:
        if rule.get("min") is not None and rule.get("max") is not None and rule["min"] > rule["max"]:
            return [("min", Msg("rest.lint_min_over_max"))]
        return []


def _side(rule: Rule, values: Any, bound: float, at_least: bool) -> tuple[Any, Any]:
    """(meets, accepts) of one bound of a range, elementwise: as :func:`judge` says of a region's value,
    each bound within its own tolerance (a bound at 0 with a relative tolerance has no band, the
    other bound keeps its own)."""
    meets = satisfies(values, bound, at_least, False)
    edge = tolerance_edge(rule, bound, at_least)
    if edge == bound:
        return meets, meets
    return meets, meets | satisfies(values, edge, at_least, False)


def level_unit_problem(rule: dict[str, Any], dimension: str | None) -> str | None:
    """A level target is in the indicator's own dimension (万千瓦 or MW for a capacity)."""
    from cbcheck import units

    unit = rule.get("unit")
    if unit is None or dimension is None or dimension in units.NON_PHYSICAL:
        return None
    if not units.unit_has_dimension(unit, dimension):
        from cbcheck.i18n import catalogue

        named = Msg(f"rest.dim_{dimension}") if f"rest.dim_{dimension}" in catalogue("en") else dimension
        return Msg("rest.lint_level_unit", unit=unit, dimension=named)
    return None
