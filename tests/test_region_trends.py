"""The region trend judges (growth, peak_by, direction) at their edges, each outcome worked out by hand:
growth at the edges of its CAGR refusal and within an approximate target's tolerance, peak_by in
its target year, with the peak in that year, with a flat year and then a rise, and without any
value up to it, and a direction rule in the last year of its period and on either side of it.

Every field a reader sees is pinned, the words in English or Chinese (as test_region_judges.py)."""

from __future__ import annotations

from typing import Any

import pytest

from cbcheck.checks import KINDS, Context, Series
from cbcheck.checks.base import Outcome, Unavailable
from cbcheck.model import Rule, Status
from tests.kindbuild import kind_rule, year_series



def rule(kind: str, **kw: Any) -> Rule:
    return kind_rule(kind, "co2_emissions", **kw)


def series(by_year: dict[int, float], unit: str | None, name: str = "单位地区生产总值能耗") -> Series:
    return year_series("co2_emissions", name, by_year, unit)


def judged(r: Rule, s: Series, year: int) -> Outcome:
    return KINDS[r.kind].judge(r, s, Context(year))


def zh(text: Any) -> str:
    return text.text("zh")


# --- growth ------------------------------------------------------------------------------------------

def test_an_approximate_growth_rate_within_tolerance() -> None:
    # 年均增长8%左右 from 2020: edge 7.6; 100 → 125 over 3 years: 1.25^(1/3) = e^(ln 1.25 / 3) = e^0.074381
    # = 1.077217 → 7.722 % < 8, ≥ 7.6 → PASS within tolerance (±0.4).
    r = rule("growth", target=8, mode="cagr", base_year=2020, strength="approximate")
    o = judged(r, series({2020: 100, 2023: 125}, "亿元"), 2023)
    assert (o.status, round(o.observed, 3), o.expected, o.unit, o.location) == (Status.PASS, 7.722, 8, "%", "表!C5")
    assert zh(o.arithmetic) == "g = (125 / 100)^(1/3) − 1 = 7.722%；7.722% < 8%，在 ±0.4 容差范围内（≥ 7.6%）"


def test_a_cagr_from_a_base_below_one_is_computed() -> None:
    # 0.5 → 0.605 over 2 years: 1.21^(1/2) = 1.1 → 10 % ≥ 10 → PASS (a positive base below 1 is a base).
    r = rule("growth", target=10, mode="cagr", base_year=2020)
    o = judged(r, series({2020: 0.5, 2022: 0.605}, "亿元"), 2022)
    assert (o.status, round(o.observed, 9)) == (Status.PASS, 10)
    assert o.arithmetic == "g = (0.605 / 0.5)^(1/2) − 1 = 10% ≥ 10%"


def test_a_cagr_down_to_zero_is_minus_one_hundred_percent() -> None:
    # 100 → 0: (0/100)^(1/2) − 1 = −100 % < 10 → FAIL; zero is a value, only a negative one is refused.
    r = rule("growth", target=10, mode="cagr", base_year=2020)
    o = judged(r, series({2020: 100, 2022: 0}, "亿元"), 2022)
    assert (o.status, o.observed) == (Status.FAIL, -100)
    assert zh(o.arithmetic) == "g = (0 / 100)^(1/2) − 1 = -100%，要求 ≥ 10%"


def test_a_cagr_rule_with_a_target_year_in_its_base_year_is_not_due() -> None:
    r = rule("growth", target=10, mode="cagr", base_year=2020, target_year=2025)
    o = judged(r, series({2020: 100}, "亿元"), 2020)
    assert (o.status, o.arithmetic) == (Status.NOT_DUE, "")
    assert zh(o.message) == "目标年份2025年晚于报告年度2020年；报告年度不晚于基期2020年"


# --- peak_by -----------------------------------------------------------------------------------------

PEAK = rule("peak_by", target_year=2030)


def test_a_peak_in_the_target_year_itself_is_not_counted_as_after_it() -> None:
    # highest to 2030: 5210 (2030); since: 2031 only, 5190 ≤ 5210 → PASS; "highest 2031–2031" is 2031's 5190.
    o = judged(PEAK, series({2029: 5100, 2030: 5210, 2031: 5190}, "万吨", name="二氧化碳排放量"), 2031)
    assert (o.status, o.observed, o.expected, o.comparator, o.unit, o.location) == \
        (Status.PASS, 5190, 5210, "≤", "万吨", "表!C13")
    assert o.arithmetic == "highest up to 2030: 5210 万吨 (2030); highest 2031–2031: 5190 万吨 (2031)"
    assert zh(o.message) == "2031年：2030年以来没有数值超过2030年的峰值"


def test_a_flat_year_after_the_peak_then_a_rise_fails_at_the_rise() -> None:
    # 5210 in 2029, 2030 and 2031 (flat: still peaked), 5260 in 2032 > 5210 → FAIL at 2032's cell.
    o = judged(PEAK, series({2029: 5210, 2030: 5210, 2031: 5210, 2032: 5260}, "万吨", name="二氧化碳排放量"), 2032)
    assert (o.status, o.observed, o.expected, o.unit, o.location) == (Status.FAIL, 5260, 5210, "万吨", "表!C14")
    assert zh(o.arithmetic) == "2030年及以前最高：5210 万吨（2029年）；2031–2032最高：5260 万吨（2032年）"
    assert zh(o.message) == "2032年：5260 万吨超过2029年的峰值；到2030年尚未达峰"


def test_a_peak_before_the_target_year_counts_when_the_target_year_is_blank() -> None:
    o = judged(PEAK, series({2029: 5210, 2031: 5190}, "万吨"), 2031)
    assert (o.status, o.expected) == (Status.PASS, 5210)
    assert zh(o.message) == "2031年：2030年以来没有数值超过2029年的峰值"


def test_no_value_up_to_the_target_year_names_what_is_needed() -> None:
    with pytest.raises(Unavailable) as e:
        judged(PEAK, series({2031: 5190}, "万吨", name="二氧化碳排放量"), 2031)
    assert (e.value.status, zh(e.value.message)) == \
        (Status.MISSING, "二氧化碳排放量 2030（需要2030年及以前的数值以确定峰值）：未填报")


def test_in_the_target_year_a_peak_is_not_due_until_the_year_after() -> None:
    o = judged(PEAK, series({2029: 5210}, "万吨"), 2030)
    assert (o.status, o.observed, o.comparator, o.arithmetic, o.unit) == (Status.NOT_DUE, None, "", "", None)
    assert (zh(o.expected), zh(o.message)) == ("2030年前达峰", "2030年前达峰须到2031年起方可确认")


# --- direction ---------------------------------------------------------------------------------------

DECREASE_2026_2030 = rule("direction", mode="decrease", base_year=2025, target_year=2030)


def test_a_direction_rule_is_judged_in_the_last_year_of_its_period() -> None:
    # 十五五时期逐步减少 (2026–2030): 2030 is inside; 1900 → 1850 = −50 → PASS.
    o = judged(DECREASE_2026_2030, series({2029: 1900, 2030: 1850}, "万吨", name="煤炭消费量"), 2030)
    assert (o.status, o.observed, o.comparator, o.unit, o.location) == (Status.PASS, 1850, "decrease", "万吨", "表!C12")
    assert (o.expected, zh(o.expected)) == ("should fall vs 2029", "比2029年下降")
    assert zh(o.message) == "2030年：比2029年变化 -50 万吨，符合要求（应下降）"


def test_after_its_period_a_direction_rule_does_not_apply() -> None:
    o = judged(DECREASE_2026_2030, series({2030: 1900, 2031: 1850}, "万吨"), 2031)
    assert (o.status, o.observed, o.expected, o.comparator, o.arithmetic) == \
        (Status.NOT_APPLICABLE, None, "decrease", "", "")
    assert zh(o.message) == "本规则考核期截至2030年"


def test_before_its_period_a_direction_rule_is_not_due() -> None:
    o = judged(DECREASE_2026_2030, series({2024: 1900, 2025: 1850}, "万吨"), 2025)
    assert (o.status, o.expected, o.comparator, o.arithmetic) == (Status.NOT_DUE, "decrease", "", "")
    assert zh(o.message) == "本规则考核2026–2030；2025年尚未进入考核期"
