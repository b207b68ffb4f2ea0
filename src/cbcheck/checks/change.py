"""Change against a base year: 比2020年下降Z% and 比2020年提高Z%/Z个百分点."""

from __future__ import annotations

from cbcheck.checks.base import (Context, Outcome, Series, Unavailable, Value, behind_status,
                                 compound_milestone, fmt, judge, linear_milestone, not_due)
from cbcheck.model import Rule, Status


RATE_DISAGREEMENT_POINTS = 0.1   # a reported rate may differ from the computed one by rounding


def _rate_given(series: Series, year: int) -> Value | None:
    return series.rate.get(year) if series.rate is not None else None


def reduction_vs_base(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """reduction_vs_base — a cumulative reduction against the base year:
    r = 1 − I_t / I_base, PASS when r ≥ R.

    Wording: 比2020年下降Z%、累计下降Z%. The submission may give the level for both
    years (e.g. 单位地区生产总值能耗), the components (energy consumption and GDP at
    comparable prices) from which the engine derives the level, or the reduction
    rate itself; the engine prefers the most primitive data.

    Before the target year T the even path is compound:
    r_t = 1 − (1 − R)^((t − base)/(T − base)); at or above it is PASS (on track),
    below is WARN (behind trajectory; FAIL with --strict-trajectory for binding rules).

    ``mode: points`` (下降Z个百分点, for a rate such as a heat-loss or leakage rate):
    d = v_base − v_t in percentage points, PASS when d ≥ Z; the interim path is linear.

    Example: 单位GDP能耗比2020年下降15.6% by 2025 — 2023 milestone
    1 − (1 − 0.156)^(3/5) = 9.7 %; a 2023 intensity 0.49 against 0.54 in 2020 is
    r = 9.3 % → WARN behind trajectory.
    """
    assert rule.target is not None and rule.base_year is not None and rule.target_year is not None
    R, b, T = rule.target, rule.base_year, rule.target_year
    quality: dict[str, list[tuple[str, int, str, str]]] = {}
    t = min(ctx.year, T) if ctx.year > T and series.get(T) is not None else ctx.year
    if t <= b:
        return not_due(rule, ctx, f"the reporting year is not after the base year {b}")
    points = rule.mode == "points"
    unit = "个百分点" if points else "%"
    try:
        cur, base = series.need(t), series.need(b, "base year")
        if points:
            r = base.value - cur.value
            calc = f"d = {fmt(base.value)} − {fmt(cur.value)} = {fmt(r)} points"
        elif base.value == 0:
            raise Unavailable(Status.ERROR, f"{series.name} {b} is zero; a reduction cannot be computed",
                              base.location)
        else:
            r = (1 - cur.value / base.value) * 100
            calc = f"r = 1 − {fmt(cur.value)} / {fmt(base.value)} = {fmt(r)}%"
        if cur.derived or base.derived:
            calc = "; ".join(d for d in (base.derived, cur.derived) if d) + "; " + calc
        location = cur.location
        given = _rate_given(series, t)
        if given is not None and abs(given.value - r) > RATE_DISAGREEMENT_POINTS:
            quality = {"quality": [("rate_disagreement", t, given.location,
                                    f"{series.name} {t}: the reported reduction {given.shown} disagrees with "
                                    f"{fmt(r)}% computed from the levels; the levels were used")]}
    except Unavailable as missing:
        given = _rate_given(series, t)
        if given is None:
            if t < T and missing.status is Status.MISSING:
                return not_due(rule, ctx, f"{missing.message}, so the trajectory cannot be judged")
            raise missing from None
        r, calc, location = given.value, f"r = {given.shown} (reported rate)", given.location
    sfx = " points" if points else "%"
    if t >= T:
        status, verdict = judge(rule, r, R, True)
        cmp = "≥"
        return Outcome(status, r, R, cmp, f"{calc} {cmp if status is Status.PASS else 'vs ≥'} {fmt(R)}{sfx}",
                       f"{t}: reduction since {b} {verdict}", location, unit, quality)
    if points:
        milestone = linear_milestone(0.0, R, b, T, t)
        arithmetic = f"milestone {t} = {fmt(R)}×({t}−{b})/({T}−{b}) = {fmt(milestone)} points; {calc}"
    else:
        milestone = compound_milestone(R / 100, b, T, t) * 100
        arithmetic = f"milestone {t} = 1 − (1 − {fmt(R)}%)^(({t}−{b})/({T}−{b})) = {fmt(milestone)}%; {calc}"
    details = {"milestone": milestone, "base_year": b, "trajectory": "linear" if points else "compound", **quality}
    if judge(rule, r, milestone, True)[0] is Status.PASS:
        return Outcome(Status.PASS, r, milestone, "≥", arithmetic + f" ≥ {fmt(milestone)}{sfx}",
                       f"{t}: on track for −{fmt(R)}{sfx} by {T}", location, unit, details)
    return Outcome(behind_status(rule, ctx), r, milestone, "≥", arithmetic + f" vs ≥ {fmt(milestone)}{sfx}",
                   f"{t}: behind trajectory; needs {fmt(R - r)} more percentage points of reduction by {T}",
                   location, unit, details)


def increase_vs_base(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """increase_vs_base — growth against the base year, in percent or percentage points.

    ``mode: percent`` (比2020年增长Z%): g = v_t / v_base − 1, PASS when g ≥ Z %.
    ``mode: points`` (提高Z个百分点): d = v_t − v_base (both shares in %), PASS when
    d ≥ Z points. Percent and points are never mixed: the rule's unit says which.
    Before the target year the increase is judged against the linear path from 0
    at the base year to Z at the target year.

    Example: 非化石能源消费比重比2020年提高5个百分点 — 18.1% − 12.6% = 5.5 points ≥ 5 → PASS.
    """
    assert rule.target is not None and rule.base_year is not None and rule.target_year is not None
    Z, b, T = rule.target, rule.base_year, rule.target_year
    points = rule.mode == "points"
    t = ctx.year
    if t <= b:
        return not_due(rule, ctx, f"the reporting year is not after the base year {b}")
    cur, base = series.need(t), series.need(b, "base year")
    if points:
        d = cur.value - base.value
        calc, unit = f"d = {fmt(cur.value)} − {fmt(base.value)} = {fmt(d)} points", "个百分点"
    else:
        if base.value == 0:
            raise Unavailable(Status.ERROR, f"{series.name} {b} is zero; growth cannot be computed", base.location)
        d = (cur.value / base.value - 1) * 100
        calc, unit = f"g = {fmt(cur.value)} / {fmt(base.value)} − 1 = {fmt(d)}%", "%"
    if t >= T:
        status, verdict = judge(rule, d, Z, True)
        return Outcome(status, d, Z, "≥", f"{calc} {'≥' if status is Status.PASS else 'vs ≥'} {fmt(Z)}",
                       f"{t}: increase since {b} {verdict}", cur.location, unit)
    milestone = linear_milestone(0.0, Z, b, T, t)
    details = {"milestone": milestone, "base_year": b, "trajectory": "linear"}
    arithmetic = f"milestone {t} = {fmt(Z)}×({t}−{b})/({T}−{b}) = {fmt(milestone)}; {calc}"
    if judge(rule, d, milestone, True)[0] is Status.PASS:
        return Outcome(Status.PASS, d, milestone, "≥", arithmetic, f"{t}: on track for +{fmt(Z)} by {T}",
                       cur.location, unit, details)
    return Outcome(behind_status(rule, ctx), d, milestone, "≥", arithmetic,
                   f"{t}: behind trajectory; needs {fmt(Z - d)} more by {T}", cur.location, unit, details)
