"""Growth rates and directions: 年均增长Z%, 负增长, 持续提高, 逐步减少, 达峰."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cbcheck.checks.base import (Context, Outcome, Series, Unavailable, fmt, gap_text, judge, miss_status, not_due,
                                 symbol, vs, with_unit)
from cbcheck.checks.kind import FacilityColumn, Kind, Verdict, register
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule, Status

if TYPE_CHECKING:
    from cbcheck.backends.sql import FacilitySql, SqlJudgement


@register
class Growth(Kind):
    """growth — a growth rate compared with a target rate, in percent.

    ``mode: yoy``: g = v_t / v_{t−1} − 1 (the previous year must be submitted).
    ``mode: cagr``: g = (v_t / v_base)^(1/(t − base)) − 1 over the years so far.
    ``comparator``: at_least (default, 年均增长Z%以上) or at_most (增速控制在Z%以内);
    负增长 is ``mode: yoy, comparator: at_most, target: 0, exclusive: true``.

    Example: 年均增长8% from 2020: 100 → 125.97 in 2023 is
    (125.97/100)^(1/3) − 1 = 8.0 % ≥ 8 % → PASS.
    """

    name = "growth"
    fields = frozenset({"target", "mode", "comparator", "exclusive", "base_year", "tolerance"})
    required = ("mode", ("target", "assigned"))
    modes = ("yoy", "cagr")

    def describe(self, rule: Rule, lang: str = "en") -> str:
        at_most = rule.params.get("comparator") == "at_most"
        if lang == "zh":
            return (f"{'年均' if rule.mode == 'cagr' else '同比'}增长"
                    f"{'不高于' if at_most else '不低于'}{fmt(rule.target)}%")
        return f"{rule.mode} growth {symbol(not at_most, rule.exclusive)} {fmt(rule.target)}%"

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.target is not None
        at_least = rule.params.get("comparator", "at_least") == "at_least"
        t = ctx.year
        cur = series.need(t)
        if rule.mode == "cagr":
            b = rule.base_year or ctx.default_base_year
            if t <= b:
                return not_due(rule, ctx, Msg("msg.not_after_base", year=b))
            base = series.need(b, Msg("msg.w_base_year"))
            if base.value <= 0 or cur.value < 0:
                raise Unavailable(Status.ERROR, Msg("msg.cagr_positive"), base.location)
            g = ((cur.value / base.value) ** (1 / (t - b)) - 1) * 100
            calc = f"g = ({fmt(cur.value)} / {fmt(base.value)})^(1/{t - b}) − 1 = {fmt(g)}%"
        else:
            prev = series.need(t - 1, Msg("msg.w_previous_year"))
            if prev.value == 0:
                raise Unavailable(Status.ERROR, Msg("msg.zero_growth", label=series.name, year=t - 1), prev.location)
            g = (cur.value / prev.value - 1) * 100
            calc = f"g = {fmt(cur.value)} / {fmt(prev.value)} − 1 = {fmt(g)}%"
        j = judge(rule, g, rule.target, at_least, unit="%")
        cmp = symbol(at_least, rule.exclusive)
        if j.within_tolerance:
            shown = Msg.join([calc, j.comparison])
        else:
            shown = Msg("msg.rel", left=calc, rel=cmp, right=f"{fmt(rule.target)}%") if j.status is Status.PASS \
                else vs(calc, f"{cmp} {fmt(rule.target)}%")
        return Outcome(j.status, g, rule.target, cmp, shown, j.said("growth_", year=t), cur.location, "%")

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        if rule.target is None:
            return []
        b = rule.base_year or default_base
        cmp = "≤" if rule.params.get("comparator") == "at_most" else "≥"
        formula = f"(v_t / v_{b})^(1/(t − {b})) − 1" if rule.mode == "cagr" else "v_t / v_(t−1) − 1"
        return [f"g = {formula} {cmp} {fmt(rule.target)}%"]

    def unit_problem(self, rule: dict, dimension: str | None) -> str | None:
        from cbcheck import units

        unit = rule.get("unit")
        if unit is not None and not units.same_dimension(unit, "%"):
            return Msg("rest.lint_change_unit", kind=self.name, allowed="%", unit=unit)
        return None


_DIRECTION = {  # mode -> (expectation, zh wording, test on the year-on-year change)
    "increase": ("should rise", "逐年提高", lambda d: d > 0),
    "decrease": ("should fall", "逐年下降", lambda d: d < 0),
    "non_increase": ("should not rise", "不增加", lambda d: d <= 0),
}
# mode -> (catalogue key of the expectation, of the expectation against a year)
_DIRECTION_KEYS = {"increase": ("msg.should_rise", "msg.rise_vs"), "decrease": ("msg.should_fall", "msg.fall_vs"),
                   "non_increase": ("msg.should_not_rise", "msg.not_rise_vs")}


@register
class Direction(Kind):
    """direction — the value moves the right way against the previous year (in the period's last
    year, when the year before it is not given, against the period's base year: the direction
    over the whole period, said in the message).

    ``mode: increase`` (持续提高、稳步增长), ``decrease`` (逐步减少、负增长 of a level),
    ``non_increase`` (不再增长、合理控制). Only the direction is judged, not the size;
    a flat year is a rise for nobody: it fails ``increase`` and ``decrease`` and passes
    ``non_increase``. ``base_year``/``target_year`` bound the period the rule covers (e.g.
    十五五时期逐步减少: 2025 → 2030): before it NOT_DUE, after it NOT_APPLICABLE.

    Facility rules: each facility's value against its own previous-year value, from a
    column headed with the year (``单位产品综合能耗（2024年）``) or 上年.

    Example: 煤炭消费量 2029 逐步减少 — 1850 < 1900 (2028) → PASS.
    """

    name = "direction"
    fields = frozenset({"mode", "base_year"})
    required = ("mode",)
    modes = ("increase", "decrease", "non_increase")
    facility = True

    def describe(self, rule: Rule, lang: str = "en") -> str:
        expectation, zh, _ = _DIRECTION[rule.mode or "increase"]
        if lang == "zh":
            return zh
        return {"increase": "rising", "decrease": "falling", "non_increase": "not rising"}[rule.mode or "increase"]

    def outside_period(self, rule: Rule, ctx: Context) -> Outcome | None:
        t = ctx.year
        if rule.base_year is not None and t <= rule.base_year:
            period = (f"{rule.base_year + 1}–{rule.target_year}" if rule.target_year
                      else Msg("msg.years_from", year=rule.base_year + 1))
            return Outcome(Status.NOT_DUE, None, rule.mode, "", "", Msg("msg.covers", period=period, year=t))
        if rule.target_year is not None and t > rule.target_year:
            return Outcome(Status.NOT_APPLICABLE, None, rule.mode, "", "",
                           Msg("msg.covers_up_to", target_year=rule.target_year))
        return None

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        outside = self.outside_period(rule, ctx)
        if outside is not None:
            return outside
        t = ctx.year
        cur = series.need(t)
        prev = series.get(t - 1)
        whole_period = False
        if prev is None and rule.base_year is not None and t == rule.target_year and t - 1 > rule.base_year:
            # the period's last year without the year before it (a 十四五 summary gives 2020 and 2025):
            # the direction over the whole period, start to end, which is what the clause covers
            prev = series.get(rule.base_year)
            whole_period = prev is not None
        if prev is None:
            series.need(t - 1, Msg("msg.w_previous_dir"))
        assert prev is not None
        _, _, ok = _DIRECTION[rule.mode or "increase"]
        expectation, versus = _DIRECTION_KEYS[rule.mode or "increase"]
        delta = cur.value - prev.value
        status = Status.PASS if ok(delta) else miss_status(rule)
        change = gap_text(delta, series.unit)
        return Outcome(status, cur.value, Msg(versus, year=prev.year), rule.mode or "",
                       Msg("msg.delta", year=t, value=with_unit(cur.value, series.unit), prev_year=prev.year,
                           prev=with_unit(prev.value, series.unit), change=change),
                       Msg.concat([Msg("msg.changed_ok" if status is Status.PASS else "msg.changed_bad", year=t,
                                       change=change, prev_year=prev.year, expectation=Msg(expectation)),
                                   *([Msg("msg.dir_whole_period", year=t - 1, base_year=prev.year)]
                                     if whole_period else [])]),
                       cur.location, series.unit)

    def judge_facilities(self, rule: Rule, col: FacilityColumn, ctx: Context) -> None:
        import numpy as np

        todo = col.todo
        current = col.values
        previous = col.previous if col.previous is not None else np.full(len(current), np.nan)
        blank = todo & np.isnan(current)
        col.verdicts[blank] = Verdict.MISSING
        no_prev = todo & ~blank & np.isnan(previous)
        col.verdicts[no_prev] = Verdict.MISSING
        col.reasons[no_prev] = Msg("msg.no_prev_value", year=ctx.year - 1, year2=ctx.year - 1)
        todo &= ~(blank | no_prev)
        with np.errstate(invalid="ignore"):
            ok = _DIRECTION[rule.mode or "increase"][2](current - previous)
        col.verdicts[todo & ok] = Verdict.RIGHT_WAY
        col.verdicts[todo & ~ok] = Verdict.WRONG_WAY
        col.observed[:] = current
        col.expected[:] = previous

    def facility_sql(self, rule: Rule, q: FacilitySql, ctx: Context) -> SqlJudgement:
        from cbcheck.backends.sql import SqlJudgement, and_, case, cmp, integer, is_null, not_, num, sub
        from sqlglot import exp

        assert q.value is not None
        current = q.value
        previous = q.previous if q.previous is not None else exp.cast(exp.null(), "DOUBLE")
        delta = sub(current, previous)
        ok = {"increase": cmp(delta, ">", num(0.0)), "decrease": cmp(delta, "<", num(0.0)),
              "non_increase": cmp(delta, "<=", num(0.0))}[rule.mode or "increase"]
        verdict = case([(is_null(current), integer(Verdict.MISSING)), (is_null(previous), integer(Verdict.MISSING)),
                        (ok, integer(Verdict.RIGHT_WAY))], integer(Verdict.WRONG_WAY))
        reason = case([(and_(not_(is_null(current)), is_null(previous)),
                         q.reason(Msg("msg.no_prev_value", year=ctx.year - 1, year2=ctx.year - 1)))])
        return SqlJudgement(verdict, reason, observed=current, expected=previous)

    def facility_expected(self, rule: Rule, ctx: Context) -> str:
        return Msg(_DIRECTION_KEYS[rule.mode or "increase"][1], year=ctx.year - 1)


@register
class PeakBy(Kind):
    """peak_by — the indicator reaches its peak by the target year T: no value after T
    exceeds the highest value submitted for T or earlier.

    Wording: 达到峰值、达峰、2030年前实现碳达峰 (of emissions or a consumption). Up to T a
    peak cannot be confirmed, so the finding is NOT_DUE. After T: PASS when every value
    after T, up to the reporting year, is at or below the maximum up to T; otherwise FAIL
    (binding) or WARN (力争). A plateau counts as peaked.

    Example: 二氧化碳排放量2030年前达峰 — the highest value to 2030 is 5210 万吨 (2029);
    5190 in 2031 → PASS; 5260 in 2032 → FAIL.
    """

    name = "peak_by"
    fields = frozenset({"base_year"})
    required = ("target_year",)

    def describe(self, rule: Rule, lang: str = "en") -> str:
        return "达峰" if lang == "zh" else "peaks"

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        assert rule.target_year is not None
        T, t = rule.target_year, ctx.year
        if t <= T:
            return Outcome(Status.NOT_DUE, None, Msg("msg.peak_by", target_year=T), "", "",
                           Msg("msg.peak_later", target_year=T, year=T + 1))
        cur = series.need(t)
        before = {y: v for y, v in series.values.items() if y <= T}
        if not before:
            series.need(T, Msg("msg.w_values_up_to", year=T))
        peak_year = max(before, key=lambda y: before[y].value)
        peak = before[peak_year]
        after = [v for y, v in sorted(series.values.items()) if T < y <= t]
        highest = max(after, key=lambda v: v.value)
        arithmetic = Msg.join([
            Msg("msg.highest_up_to", target_year=T, value=with_unit(peak.value, series.unit), peak_year=peak_year),
            Msg("msg.highest_since", period=f"{T + 1}–{t}", value=with_unit(highest.value, series.unit),
                year=highest.year)])
        if highest.value <= peak.value:
            return Outcome(Status.PASS, cur.value, peak.value, "≤", arithmetic,
                           Msg("msg.peak_ok", year=t, target_year=T, peak_year=peak_year), cur.location, series.unit)
        return Outcome(miss_status(rule), highest.value, peak.value, "≤", arithmetic,
                       Msg("msg.peak_bad", year=highest.year, value=with_unit(highest.value, series.unit),
                           peak_year=peak_year, target_year=T), highest.location, series.unit)
