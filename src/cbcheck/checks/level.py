"""Level checks: a value at or beyond a threshold at the target year.

Used for 达到/提高至/以上/不低于 (at_least), 以下/以内/降至…以下 (at_most) and ranges.
Before the target year the value is judged against the even (linear) path from
the base-year value, when the submission or the plan gives that value.
"""

from __future__ import annotations

from cbcheck.checks.base import (Context, Outcome, Series, Unavailable, behind_status, fmt, gap_text,
                                 judge, linear_milestone, not_due, symbol, with_unit)
from cbcheck.model import Rule, Status


def _judge_year(rule: Rule, ctx: Context) -> int:
    if rule.target_year is None or ctx.year <= rule.target_year:
        return ctx.year
    return rule.target_year


def _threshold(rule: Rule, series: Series, ctx: Context, at_least: bool) -> Outcome:
    assert rule.target is not None
    target, unit = rule.target, series.unit
    cmp = symbol(at_least, rule.exclusive)
    if rule.target_year is not None and ctx.year < rule.target_year:
        return _trajectory(rule, series, ctx, at_least)
    year = _judge_year(rule, ctx)
    v = series.get(year)
    if v is None and year != ctx.year:     # target year not reported: judge the reporting year
        year = ctx.year
    v = series.need(year)
    status, verdict = judge(rule, v.value, target, at_least)
    arithmetic = f"{v.shown} {cmp} {with_unit(target, unit)}" if status is Status.PASS and "tolerance" not in verdict \
        else f"{v.shown} vs {cmp} {with_unit(target, unit)}"
    if v.derived:
        arithmetic = f"{v.derived}; {arithmetic}"
    return Outcome(status, v.value, target, cmp, arithmetic, f"{year}: {verdict}", v.location, unit)


def _trajectory(rule: Rule, series: Series, ctx: Context, at_least: bool) -> Outcome:
    assert rule.target is not None and rule.target_year is not None
    target, unit, T = rule.target, series.unit, rule.target_year
    cmp = symbol(at_least, rule.exclusive)
    current = series.get(ctx.year)
    if current is None:
        series.need(ctx.year)  # raises MISSING/ERROR with the cell
    assert current is not None
    b = rule.base_year or ctx.default_base_year
    status, verdict = judge(rule, current.value, target, at_least)
    if status is Status.PASS:
        return Outcome(Status.PASS, current.value, target, cmp,
                       f"{current.shown} {cmp} {with_unit(target, unit)} (target for {T})",
                       f"{ctx.year}: already meets the {T} target", current.location, unit)
    if rule.base_value is not None:
        base, base_shown = rule.base_value, f"{with_unit(rule.base_value, unit)} (stated in the plan)"
    elif series.get(b) is not None:
        base, base_shown = series.values[b].value, series.values[b].shown
    else:
        return not_due(rule, ctx, f"no {b} base value to judge the trajectory")
    if ctx.year <= b:
        return not_due(rule, ctx, f"the reporting year is not after the base year {b}")
    milestone = linear_milestone(base, target, b, T, ctx.year)
    on_track = judge(rule, current.value, milestone, at_least)[0] is Status.PASS
    arithmetic = (f"milestone {ctx.year} = {fmt(base)} + ({fmt(target)} − {fmt(base)})×"
                  f"({ctx.year}−{b})/({T}−{b}) = {with_unit(milestone, unit)}; "
                  f"{current.shown} {cmp if on_track else 'vs ' + cmp} {with_unit(milestone, unit)}")
    details = {"milestone": milestone, "base_value": base, "base_year": b, "trajectory": "linear"}
    if on_track:
        return Outcome(Status.PASS, current.value, milestone, cmp, arithmetic,
                       f"{ctx.year}: on track for {with_unit(target, unit)} by {T}",
                       current.location, unit, details)
    gap = abs(target - current.value)
    return Outcome(behind_status(rule, ctx), current.value, milestone, cmp, arithmetic,
                   f"{ctx.year}: behind trajectory (base {base_shown}); needs "
                   f"{gap_text(gap, unit)} more by {T}", current.location, unit, details)


def at_least(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """at_least — the value must reach the target: value ≥ target (value > target with
    ``exclusive: true``, for 超过/突破).

    Wording: 达到、提高至、以上、不低于、超过. Before the target year the value is
    compared with the even path from the base-year value (linear): on or above the
    path is PASS ("on track"), below is WARN ("behind trajectory"); without a
    base value the finding is NOT_DUE. Approximate targets (左右) pass within the
    rule's tolerance (default ±5 % of the target).

    Example: 到2025年非化石能源消费比重达到13% — 13.8% ≥ 13% → PASS.
    """
    return _threshold(rule, series, ctx, at_least=True)


def at_most(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """at_most — the value must not exceed the target: value ≤ target (value < target
    with ``exclusive: true``, for 低于/不满). A ban on new capacity (严禁新增) is
    at_most 0.

    Wording: 以下、以内、不高于、降至…以下、控制在…以内. Trajectory before the target
    year as for at_least, mirrored.

    Example: 煤电机组平均供电煤耗降至295克标准煤/千瓦时以下 — 298 vs ≤ 295 → FAIL.
    """
    return _threshold(rule, series, ctx, at_least=False)


def between(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """between — the value must lie in [min, max] (both ends included).

    Wording: 保持在X—Y之间、X至Y. Judged at the target year (or the reporting year
    when the rule has no target year); NOT_DUE before the target year.

    Example: 森林覆盖率保持在20%—22% — 21.3% in [20, 22] → PASS.
    """
    assert rule.minimum is not None and rule.maximum is not None
    if rule.target_year is not None and ctx.year < rule.target_year:
        return not_due(rule, ctx, "a range is judged at the target year")
    year = _judge_year(rule, ctx)
    try:
        v = series.need(year)
    except Unavailable:
        if year == ctx.year:
            raise
        year, v = ctx.year, series.need(ctx.year)
    lo = judge(rule, v.value, rule.minimum, True)[0]
    hi = judge(rule, v.value, rule.maximum, False)[0]
    status = Status.PASS if lo is Status.PASS and hi is Status.PASS else (lo if lo is not Status.PASS else hi)
    expected = f"[{fmt(rule.minimum)}, {fmt(rule.maximum)}]"
    return Outcome(status, v.value, expected, "in", f"{v.shown} in {expected} {series.unit or ''}".rstrip(),
                   f"{year}: {'within' if status is Status.PASS else 'outside'} the range", v.location, series.unit)
