"""Growth rates and directions: 年均增长Z%, 负增长, 持续提高, 逐步减少."""

from __future__ import annotations

from cbcheck.checks.base import (Context, Outcome, Series, Unavailable, fmt, gap_text, judge, miss_status, not_due,
                                 with_unit)
from cbcheck.model import Rule, Status


def growth(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """growth — a growth rate compared with a target rate, in percent.

    ``mode: yoy``: g = v_t / v_{t−1} − 1 (the previous year must be submitted).
    ``mode: cagr``: g = (v_t / v_base)^(1/(t − base)) − 1 over the years so far.
    ``comparator``: at_least (default, 年均增长Z%以上) or at_most (增速控制在Z%以内);
    负增长 is ``mode: yoy, comparator: at_most, target: 0, exclusive: true``.

    Example: 年均增长8% from 2020: 100 → 125.97 in 2023 is
    (125.97/100)^(1/3) − 1 = 8.0 % ≥ 8 % → PASS.
    """
    assert rule.target is not None
    at_least = rule.params.get("comparator", "at_least") == "at_least"
    t = ctx.year
    cur = series.need(t)
    if rule.mode == "cagr":
        b = rule.base_year or ctx.default_base_year
        if t <= b:
            return not_due(rule, ctx, f"the reporting year is not after the base year {b}")
        base = series.need(b, "base year")
        if base.value <= 0 or cur.value < 0:
            raise Unavailable(Status.ERROR, "CAGR needs positive values", base.location)
        g = ((cur.value / base.value) ** (1 / (t - b)) - 1) * 100
        calc = f"g = ({fmt(cur.value)} / {fmt(base.value)})^(1/{t - b}) − 1 = {fmt(g)}%"
    else:
        prev = series.need(t - 1, "previous year")
        if prev.value == 0:
            raise Unavailable(Status.ERROR, f"{series.name} {t - 1} is zero; growth cannot be computed",
                              prev.location)
        g = (cur.value / prev.value - 1) * 100
        calc = f"g = {fmt(cur.value)} / {fmt(prev.value)} − 1 = {fmt(g)}%"
    status, verdict = judge(rule, g, rule.target, at_least)
    cmp = ("≥" if at_least else "≤") if not rule.exclusive else (">" if at_least else "<")
    return Outcome(status, g, rule.target, cmp, f"{calc} {cmp if status is Status.PASS else 'vs ' + cmp} "
                   f"{fmt(rule.target)}%", f"{t}: growth {verdict}", cur.location, "%")


_DIRECTION = {  # mode -> (expectation, test on the year-on-year change)
    "increase": ("should rise", lambda d: d > 0),
    "decrease": ("should fall", lambda d: d < 0),
    "non_increase": ("should not rise", lambda d: d <= 0),
}


def direction(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """direction — the value moves the right way against the previous year.

    ``mode: increase`` (持续提高、稳步增长), ``decrease`` (逐步减少、负增长 of a level),
    ``non_increase`` (不再增长、合理控制). Only the direction is judged, not the size.
    ``base_year``/``target_year`` bound the period the rule covers (e.g. 十五五时期
    逐步减少: 2025 → 2030): before it NOT_DUE, after it NOT_APPLICABLE.

    Example: 煤炭消费量 2029 逐步减少 — 1850 < 1900 (2028) → PASS.
    """
    t = ctx.year
    if rule.base_year is not None and t <= rule.base_year:
        period = (f"{rule.base_year + 1}–{rule.target_year}" if rule.target_year
                  else f"the years from {rule.base_year + 1}")
        return Outcome(Status.NOT_DUE, None, rule.mode, "", "", f"the rule covers {period}; {t} is before it")
    if rule.target_year is not None and t > rule.target_year:
        return Outcome(Status.NOT_APPLICABLE, None, rule.mode, "", "",
                       f"the rule covers the period up to {rule.target_year}")
    cur = series.need(t)
    prev = series.get(t - 1)
    if prev is None:
        series.need(t - 1, "previous year, to judge the direction")
    assert prev is not None
    expectation, ok = _DIRECTION[rule.mode or "increase"]
    delta = cur.value - prev.value
    status = Status.PASS if ok(delta) else miss_status(rule)
    verdict = "as required" if status is Status.PASS else "against the plan"
    change = gap_text(delta, series.unit)
    return Outcome(status, cur.value, f"{expectation} vs {prev.year}", rule.mode or "",
                   f"{t}: {with_unit(cur.value, series.unit)} − {prev.year}: {with_unit(prev.value, series.unit)}"
                   f" = {change}",
                   f"{t}: changed by {change} since {prev.year}, {verdict} (the value {expectation})",
                   cur.location, series.unit)


def peak_by(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """peak_by — the indicator reaches its peak by the target year T: no value after T
    exceeds the highest value submitted for T or earlier.

    Wording: 达到峰值、达峰、2030年前实现碳达峰 (of emissions or a consumption). Up to T a
    peak cannot be confirmed, so the finding is NOT_DUE. After T: PASS when every value
    after T, up to the reporting year, is at or below the maximum up to T; otherwise FAIL
    (binding) or WARN (力争). A plateau counts as peaked.

    Example: 二氧化碳排放量2030年前达峰 — the highest value to 2030 is 5210 万吨 (2029);
    5190 in 2031 → PASS; 5260 in 2032 → FAIL.
    """
    assert rule.target_year is not None
    T, t = rule.target_year, ctx.year
    if t <= T:
        return Outcome(Status.NOT_DUE, None, f"peak by {T}", "", "",
                       f"a peak by {T} can be confirmed only from {T + 1} on")
    cur = series.need(t)
    before = {y: v for y, v in series.values.items() if y <= T}
    if not before:
        series.need(T, f"the values up to {T} are needed to find the peak")
    peak_year = max(before, key=lambda y: before[y].value)
    peak = before[peak_year]
    after = [v for y, v in sorted(series.values.items()) if T < y <= t]
    highest = max(after, key=lambda v: v.value)
    ok = highest.value <= peak.value
    arithmetic = (f"highest up to {T}: {with_unit(peak.value, series.unit)} ({peak_year}); "
                  f"highest {T + 1}–{t}: {with_unit(highest.value, series.unit)} ({highest.year})")
    if ok:
        return Outcome(Status.PASS, cur.value, peak.value, "≤", arithmetic,
                       f"{t}: no value since {T} exceeds the peak of {peak_year}", cur.location, series.unit)
    return Outcome(miss_status(rule), highest.value, peak.value, "≤", arithmetic,
                   f"{highest.year}: {with_unit(highest.value, series.unit)} exceeds the peak of {peak_year}; "
                   f"the value had not peaked by {T}", highest.location, series.unit)
