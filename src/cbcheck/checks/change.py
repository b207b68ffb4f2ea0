"""Change against a base year: 比2020年下降Z% and 比2020年提高Z%/Z个百分点."""

from __future__ import annotations

from typing import Any, Callable

from cbcheck.checks.base import (Context, Outcome, Series, Unavailable, Value, behind_status, fmt, geometric, judge,
                                 linear, not_due, path_end, piecewise, satisfies, vs, with_edge_note, year_label)
from cbcheck.checks.kind import Kind, register
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import Rule, Status

RATE_DISAGREEMENT_POINTS = 0.1   # a reported rate may differ from the computed one by rounding


def _rate_given(series: Series, year: int) -> Value | None:
    return series.rate.get(year) if series.rate is not None else None


def _stops(rule: Rule, base_year: int) -> list[tuple[int, float]]:
    """(year, change) from the base: 0 at the base year, the plan's earlier targets on the same
    base, the target at the target year."""
    assert rule.target is not None and rule.target_year is not None
    inner = [(y, v) for y, v in rule.waypoints if base_year < y < rule.target_year]
    return [(base_year, 0.0), *inner, (rule.target_year, path_end(rule))]


def _segment(stops: list[tuple[int, float]], year: int) -> tuple[tuple[int, float], tuple[int, float]]:
    return next(((a, b) for a, b in zip(stops, stops[1:], strict=False) if year <= b[0]), (stops[-2], stops[-1]))


class Change(Kind):
    fields = frozenset({"target", "base_year", "base_value", "mode", "tolerance"})
    required = ("base_year", "target_year", ("target", "assigned"))
    modes = ("percent", "points")

    def unit_problem(self, rule: dict[str, Any], dimension: str | None) -> str | None:
        from cbcheck import units

        unit = rule.get("unit")
        allowed = "个百分点" if rule.get("mode") == "points" else "%"
        if unit is not None and not units.same_dimension(unit, allowed):
            return Msg("rest.lint_change_unit", kind=self.name, allowed=allowed, unit=unit)
        return None


@register
class ReductionVsBase(Change):
    """reduction_vs_base — a cumulative reduction against the base year:
    r = 1 − I_t / I_base, PASS when r ≥ R.

    Wording: 比2020年下降Z%、累计下降Z%. The submission may give the level for both
    years (e.g. 单位地区生产总值能耗), the components (energy consumption and GDP at
    comparable prices) from which the engine derives the level, or the reduction
    rate itself; the engine prefers the most primitive data.

    Before the target year T the even path is compound:
    r_t = 1 − (1 − R)^((t − base)/(T − base)); at or above it is PASS (on track),
    below is WARN (behind trajectory; FAIL with --strict-trajectory for binding rules).
    When the plan sets an earlier reduction on the same base (下降13.5% by 2025, 下降25%
    by 2030), the path runs through it, compound on each stretch.

    ``mode: points`` (下降Z个百分点, for a rate such as a heat-loss or leakage rate):
    d = v_base − v_t in percentage points, PASS when d ≥ Z; the interim path is linear.

    Example: 单位GDP能耗比2020年下降15.6% by 2025 — 2023 milestone
    1 − (1 − 0.156)^(3/5) = 9.7 %; a 2023 intensity 0.49 against 0.54 in 2020 is
    r = 9.3 % → WARN behind trajectory.
    """

    name = "reduction_vs_base"

    def describe(self, rule: Rule, lang: str = "en") -> str:
        sfx = ("个百分点" if lang == "zh" else " points") if rule.mode == "points" else "%"
        return f"比{rule.base_year}年下降{fmt(rule.target)}{sfx}" if lang == "zh" \
            else f"−{fmt(rule.target)}{sfx} vs {rule.base_year}"

    def milestone(self, rule: Rule, base_year: int, year: int) -> tuple[float, str]:
        """The reduction the even path asks for in ``year``, and its formula."""
        (y0, r0), (y1, r1) = _segment(_stops(rule, base_year), year)
        if rule.mode == "points":
            m = linear(r0, r1, (year - y0) / (y1 - y0))
            head = f"{fmt(r1)}×({year}−{y0})/({y1}−{y0})" if r0 == 0 else \
                f"{fmt(r0)} + ({fmt(r1)} − {fmt(r0)})×({year}−{y0})/({y1}−{y0})"
            return m, Msg("msg.eq_points", calc=head, n=fmt(m))
        m = (1 - geometric(1 - r0 / 100, 1 - r1 / 100, (year - y0) / (y1 - y0))) * 100
        if r0 == 0:
            return m, f"1 − (1 − {fmt(r1)}%)^(({year}−{y0})/({y1}−{y0})) = {fmt(m)}%"
        return m, (f"1 − (1 − {fmt(r0)}%)·((1 − {fmt(r1)}%)/(1 − {fmt(r0)}%))^(({year}−{y0})/({y1}−{y0})) "
                   f"= {fmt(m)}%")

    def path(self, rule: Rule, base_year: int, base_value: float) -> Callable[[int], float] | None:
        if rule.target is None or rule.target_year is None or base_year >= rule.target_year:
            return None
        if rule.mode == "points":
            return piecewise([(y, base_value - d) for y, d in _stops(rule, base_year)], linear)
        return piecewise([(y, base_value * (1 - r / 100)) for y, r in _stops(rule, base_year)], geometric)

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.target is not None and rule.base_year is not None and rule.target_year is not None
        R, b, T = rule.target, rule.base_year, rule.target_year
        quality: dict[str, list[tuple[str, int, str, str]]] = {}
        t = min(ctx.year, T) if ctx.year > T and series.get(T) is not None else ctx.year
        if t <= b:
            return not_due(rule, ctx, Msg("msg.not_after_base", year=b))
        points = rule.mode == "points"
        unit = "个百分点" if points else "%"
        calc: str
        try:
            cur, base = series.need(t), series.need(b, Msg("msg.w_base_year"))
            if points:
                r = base.value - cur.value
                calc = Msg("msg.eq_points", calc=f"d = {fmt(base.value)} − {fmt(cur.value)}", n=fmt(r))
            elif base.value == 0:
                raise Unavailable(Status.ERROR, Msg("msg.zero_reduction", label=series.name, year=b), base.location)
            else:
                r = (1 - cur.value / base.value) * 100
                calc = f"r = 1 − {fmt(cur.value)} / {fmt(base.value)} = {fmt(r)}%"
            if cur.derived or base.derived:
                calc = Msg.join([*(d for d in (base.derived, cur.derived) if d), calc])
            location = cur.location
            given = _rate_given(series, t)
            if given is not None and abs(given.value - r) > RATE_DISAGREEMENT_POINTS:
                quality = {"quality": [("rate_disagreement", t, given.location,
                                        Msg("msg.q_reduction", label=year_label(series.name, t), given=given.shown,
                                            computed=fmt(r)))]}
        except Unavailable as missing:
            given = _rate_given(series, t)
            if given is None:
                if t < T and missing.status is Status.MISSING:
                    return not_due(rule, ctx, Msg("msg.cannot_judge", missing=phrase(missing.message)))
                raise missing from None
            # A rate chained from year-on-year rates shows its chain; a cumulative one is as reported.
            calc = Msg("msg.r_eq" if given.derived else "msg.r_reported", value=given.shown)
            r, location = given.value, given.location

        def amount(x: float) -> str:
            return Msg("msg.n_points", n=fmt(x)) if points else f"{fmt(x)}%"

        if t >= T:
            j = judge(rule, r, R, True, unit=None if points else "%")
            if j.within_tolerance:
                shown = Msg.join([calc, j.comparison])
            else:
                shown = Msg("msg.rel", left=calc, rel="≥", right=amount(R)) if j.status is Status.PASS \
                    else vs(calc, Msg("msg.bound", cmp="≥", value=amount(R)))
            return Outcome(j.status, r, R, "≥", shown, j.said("reduction_", year=t, base_year=b), location, unit,
                           quality)
        milestone, formula = self.milestone(rule, b, t)
        at = with_edge_note(Msg("msg.milestone_is", year=t, formula=formula), rule, b, t, unit if points else "%")
        details = {"milestone": milestone, "base_year": b, "trajectory": "linear" if points else "compound", **quality}
        if satisfies(r, milestone, True, False):
            return Outcome(Status.PASS, r, milestone, "≥",
                           Msg.join([at, Msg("msg.rel", left=calc, rel="≥", right=amount(milestone))]),
                           Msg("msg.on_track", year=t, target=Msg("msg.signed", sign="−", value=amount(R)),
                               target_year=T), location, unit, details)
        return Outcome(behind_status(rule, ctx), r, milestone, "≥",
                       Msg.join([at, vs(calc, Msg("msg.bound", cmp="≥", value=amount(milestone)))]),
                       Msg("msg.behind_reduction", year=t, n=fmt(R - r), target_year=T),
                       location, unit, details)

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        b, T = rule.base_year or default_base, rule.target_year
        if rule.target is None or not T:
            return []
        head: str = (Msg("explain.arith.points_target", formula=f"d = v_{b} − v_{T}", target=fmt(rule.target))
                     if rule.mode == "points" else f"r = 1 − I_{T} / I_{b} ≥ {fmt(rule.target)}%")
        sfx = "" if rule.mode == "points" else "%"
        stops: list[Msg] = [Msg("explain.arith.through", value=f"{fmt(v)}{sfx}", year=y)
                            for y, v in rule.waypoints if b < y < T]
        if path_end(rule) != rule.target:
            stops.append(Msg("explain.arith.to_loosest", value=f"{fmt(path_end(rule))}{sfx}"))
        steps = Msg.listing(f"{t} {fmt(self.milestone(rule, b, t)[0])}{sfx}" for t in range(b + 1, T + 1))
        if rule.mode == "points":
            return [head, Msg("explain.arith.linear", via=Msg.concat(stops), steps=steps)]
        return [head, Msg("explain.arith.compound", formula="r_t = 1 − (1 − R)^((t − b)/(T − b))",
                          via=Msg.concat(stops), steps=steps)]


@register
class IncreaseVsBase(Change):
    """increase_vs_base — growth against the base year, in percent or percentage points.

    ``mode: percent`` (比2020年增长Z%): g = v_t / v_base − 1, PASS when g ≥ Z %.
    ``mode: points`` (提高Z个百分点): d = v_t − v_base (both shares in %), PASS when
    d ≥ Z points. Percent and points are never mixed: the rule's unit says which.
    Before the target year the increase is judged against the linear path from 0
    at the base year to Z at the target year (through the plan's earlier target on the
    same base, when it sets one).

    Example: 非化石能源消费比重比2020年提高5个百分点 — 18.1% − 12.6% = 5.5 points ≥ 5 → PASS.
    """

    name = "increase_vs_base"

    def describe(self, rule: Rule, lang: str = "en") -> str:
        points = rule.mode == "points"
        if lang == "zh":
            return f"比{rule.base_year}年提高{fmt(rule.target)}{'个百分点' if points else '%'}"
        return f"+{fmt(rule.target)}{' points' if points else '%'} vs {rule.base_year}"

    def path(self, rule: Rule, base_year: int, base_value: float) -> Callable[[int], float] | None:
        if rule.target is None or rule.target_year is None or base_year >= rule.target_year:
            return None
        stops = _stops(rule, base_year)
        if rule.mode == "points":
            return piecewise([(y, base_value + d) for y, d in stops], linear)
        return piecewise([(y, base_value * (1 + d / 100)) for y, d in stops], linear)

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.target is not None and rule.base_year is not None and rule.target_year is not None
        Z, b, T = rule.target, rule.base_year, rule.target_year
        points = rule.mode == "points"
        t = ctx.year
        if t <= b:
            return not_due(rule, ctx, Msg("msg.not_after_base", year=b))
        cur, base = series.need(t), series.need(b, Msg("msg.w_base_year"))
        calc: str
        if points:
            d = cur.value - base.value
            calc, unit = Msg("msg.eq_points", calc=f"d = {fmt(cur.value)} − {fmt(base.value)}", n=fmt(d)), "个百分点"
        else:
            if base.value == 0:
                raise Unavailable(Status.ERROR, Msg("msg.zero_growth", label=series.name, year=b), base.location)
            d = (cur.value / base.value - 1) * 100
            calc, unit = f"g = {fmt(cur.value)} / {fmt(base.value)} − 1 = {fmt(d)}%", "%"
        if t >= T:
            j = judge(rule, d, Z, True, unit=None if points else "%")
            if j.within_tolerance:
                shown = Msg.join([calc, j.comparison])
            else:
                shown = Msg("msg.rel", left=calc, rel="≥", right=fmt(Z)) if j.status is Status.PASS \
                    else vs(calc, f"≥ {fmt(Z)}")
            return Outcome(j.status, d, Z, "≥", shown, j.said("increase_", year=t, base_year=b), cur.location, unit)
        (y0, z0), (y1, z1) = _segment(_stops(rule, b), t)
        milestone = linear(z0, z1, (t - y0) / (y1 - y0))
        formula = f"{fmt(z1)}×({t}−{y0})/({y1}−{y0})" if z0 == 0 else \
            f"{fmt(z0)} + ({fmt(z1)} − {fmt(z0)})×({t}−{y0})/({y1}−{y0})"
        details = {"milestone": milestone, "base_year": b, "trajectory": "linear"}
        at = Msg("msg.milestone", year=t, formula=formula, value=fmt(milestone))
        arithmetic = Msg.join([with_edge_note(at, rule, b, t), calc])
        if satisfies(d, milestone, True, False):
            return Outcome(Status.PASS, d, milestone, "≥", arithmetic,
                           Msg("msg.on_track", year=t, target=f"+{fmt(Z)}", target_year=T), cur.location, unit, details)
        return Outcome(behind_status(rule, ctx), d, milestone, "≥", arithmetic,
                       Msg("msg.behind", year=t, gap=fmt(Z - d), target_year=T), cur.location, unit, details)

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        b, T = rule.base_year or default_base, rule.target_year
        if rule.target is None or not T:
            return []
        points = rule.mode == "points"
        stops = _stops(rule, b)
        steps = []
        for t in range(b + 1, T + 1):
            (y0, z0), (y1, z1) = _segment(stops, t)
            steps.append(f"{t} {fmt(linear(z0, z1, (t - y0) / (y1 - y0)))}")
        head = (Msg("explain.arith.points_by", formula=f"d = v_t − v_{b}", target=fmt(rule.target), year=T) if points
                else Msg("explain.arith.formula_by", formula=f"g = v_t / v_{b} − 1", target=fmt(rule.target), year=T))
        return [head, Msg("explain.arith.linear", via="", steps=Msg.listing(steps))]
