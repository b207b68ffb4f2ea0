"""The region judges in the years around their paths, each outcome worked out by hand.

reduction_vs_base / increase_vs_base / at_least in interim years (approximate targets, whose path
ends at the loosest value they accept; earlier targets on the same footing; --strict-trajectory),
a missing base year, a reported reduction rate beside the levels, and the paths the chart draws
(``Kind.path``, ``level_path``). growth, peak_by and direction: test_region_trends.py.

Every field of an outcome a reader sees is pinned: status, numbers, comparator, unit, cell, and the
arithmetic and message in English and in Chinese. Only the registry, the data model and the
Series/Value/Context views are used, as in test_kind_words.py."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cbcheck.checks import KINDS, Context, Series, Value
from cbcheck.checks.base import Outcome, Unavailable
from cbcheck.checks.level import level_path
from cbcheck.model import Rule, Status
from tests.kindbuild import kind_rule, year_series



def rule(kind: str, **kw: Any) -> Rule:
    return kind_rule(kind, "energy_intensity", **kw)


def series(by_year: dict[int, float], unit: str | None, name: str = "单位地区生产总值能耗") -> Series:
    return year_series("energy_intensity", name, by_year, unit)


def judged(r: Rule, s: Series, year: int, strict_trajectory: bool = False) -> Outcome:
    return KINDS[r.kind].judge(r, s, Context(year, strict_trajectory=strict_trajectory))


def zh(text: Any) -> str:
    return text.text("zh")


# --- reduction_vs_base in an interim year ------------------------------------------------------

def test_an_approximate_reduction_path_ends_at_its_loosest_value_in_percent() -> None:
    # 下降15%左右 by 2025: ±5 % of 15 = 0.75, so the path ends at 14.25 %. 2023 (3 of 5 years):
    # 1 − 0.8575^0.6 = 1 − e^(0.6·ln 0.8575) = 1 − e^(0.6·(−0.153737)) = 1 − e^(−0.092242) = 8.811 %;
    # 0.5 → 0.46: r = 8 % < 8.811 % → behind; needs 15 − 8 = 7 more points by 2025.
    r = rule("reduction_vs_base", target=15, base_year=2020, target_year=2025, strength="approximate")
    o = judged(r, series({2020: 0.5, 2023: 0.46}, "吨标准煤/万元"), 2023)
    assert (o.status, round(o.observed, 6), round(o.expected, 3), o.comparator, o.unit, o.location) == \
        (Status.WARN, 8.0, 8.811, "≥", "%", "表!C5")
    assert o.details["milestone"] == pytest.approx(8.8114, abs=1e-4)
    assert o.arithmetic == ("milestone 2023 = 1 − (1 − 14.25%)^((2023−2020)/(2025−2020)) = 8.811% "
                            "(path to 14.25%, the loosest value the approximate target accepts); "
                            "r = 1 − 0.46 / 0.5 = 8% vs ≥ 8.811%")
    assert zh(o.arithmetic) == ("进度目标 2023 = 1 − (1 − 14.25%)^((2023−2020)/(2025−2020)) = 8.811%"
                                "（路径终点取14.25%，即“左右”目标可接受的最宽值）；"
                                "r = 1 − 0.46 / 0.5 = 8%，要求 ≥ 8.811%")
    assert zh(o.message) == "2023年：落后于目标进度；到2025年还需再下降 7 个百分点"


def test_an_approximate_reduction_path_in_points_names_its_end_in_points() -> None:
    # 下降2个百分点左右: ±5 % of 2 = 0.1, path to 1.9 points; 2023: 1.9·3/5 = 1.14; 12 → 11: d = 1 < 1.14.
    r = rule("reduction_vs_base", target=2, base_year=2020, target_year=2025, strength="approximate",
             mode="points")
    o = judged(r, series({2020: 12, 2023: 11}, "%"), 2023)
    assert (o.status, o.observed, round(o.expected, 6), o.unit) == (Status.WARN, 1, 1.14, "个百分点")
    assert zh(o.arithmetic) == ("进度目标 2023 = 1.9×(2023−2020)/(2025−2020) = 1.14 个百分点"
                                "（路径终点取1.9 个百分点，即“左右”目标可接受的最宽值）；"
                                "d = 12 − 11 = 1 个百分点，要求 ≥ 1.14 个百分点")


def test_a_points_reduction_after_an_earlier_target_runs_from_that_target() -> None:
    # 下降2个百分点 by 2025, 3 by 2030: 2027 on the second stretch, 2 + (3 − 2)·2/5 = 2.4; 12 → 9.5: d = 2.5 ≥ 2.4.
    r = rule("reduction_vs_base", target=3, base_year=2020, target_year=2030, mode="points", waypoints=((2025, 2.0),))
    o = judged(r, series({2020: 12, 2027: 9.5}, "%"), 2027)
    assert (o.status, o.observed, round(o.expected, 6), o.unit) == (Status.PASS, 2.5, 2.4, "个百分点")
    assert o.arithmetic == ("milestone 2027 = 2 + (3 − 2)×(2027−2025)/(2030−2025) = 2.4 points; "
                            "d = 12 − 9.5 = 2.5 points ≥ 2.4 points")
    assert zh(o.message) == "2027年：按进度可于2030年达到−3 个百分点"


def test_in_the_year_of_an_earlier_target_the_path_is_its_first_stretch_at_the_end() -> None:
    # 2025 is the earlier target's year: the first stretch at 5/5, not the second at 0/5 (same number, other words).
    r = rule("reduction_vs_base", target=30, base_year=2020, target_year=2030, waypoints=((2025, 13.5),))
    o = judged(r, series({2020: 0.6, 2025: 0.519}, "吨标准煤/万元"), 2025)
    assert (o.status, round(o.expected, 9)) == (Status.PASS, 13.5)
    assert o.arithmetic == ("milestone 2025 = 1 − (1 − 13.5%)^((2025−2020)/(2025−2020)) = 13.5%; "
                            "r = 1 − 0.519 / 0.6 = 13.5% ≥ 13.5%")


def test_a_missing_base_year_before_the_target_year_is_not_due_and_says_why() -> None:
    r = rule("reduction_vs_base", target=13.5, base_year=2020, target_year=2025)
    o = judged(r, series({2023: 0.45}, "吨标准煤/万元"), 2023)
    assert (o.status, o.observed, o.expected, o.comparator, o.arithmetic, o.unit) == \
        (Status.NOT_DUE, None, 13.5, "", "", None)
    assert zh(o.message) == "目标年份2025年晚于报告年度2023年；单位地区生产总值能耗 2020（基期）：未填报，无法判断进度"


def test_a_missing_target_year_value_after_it_falls_back_to_the_reporting_year_when_the_base_is_missing() -> None:
    # 2026 > 2025, no 2025 value: judged in 2026, where the base year is missing → MISSING, naming 2020 (base year).
    r = rule("reduction_vs_base", target=13.5, base_year=2020, target_year=2025)
    with pytest.raises(Unavailable) as e:
        judged(r, series({2026: 0.4325}, "吨标准煤/万元"), 2026)
    assert (e.value.status, zh(e.value.message)) == (Status.MISSING, "单位地区生产总值能耗 2020（基期）：未填报")


def rates(by_year: dict[int, float], derived: str | None = None) -> Series:
    """The cumulative reduction rate as submitted beside the levels (a row of its own)."""
    return Series("energy_intensity_reduction", "单位地区生产总值能耗累计下降率", "%",
                  {y: Value(v, y, "%", f"表!D{y - 2018}", f"{v}%", derived=derived) for y, v in by_year.items()})


R_13_5 = rule("reduction_vs_base", target=13.5, base_year=2020, target_year=2025)


def test_a_reported_rate_that_disagrees_with_the_levels_is_a_quality_note() -> None:
    # levels 0.5 → 0.45: r = 10 %; the reported rate says 12 %: |12 − 10| = 2 > 0.1 → a note at the rate's cell.
    s = dataclasses.replace(series({2020: 0.5, 2025: 0.45}, "吨标准煤/万元"), rate=rates({2025: 12}))
    o = judged(R_13_5, s, 2025)
    assert o.status is Status.FAIL      # the levels are judged, not the reported rate
    [(check, year, location, said)] = o.details["quality"]
    assert (check, year, location) == ("rate_disagreement", 2025, "表!D7")
    assert zh(said) == "单位地区生产总值能耗 2025：报送的下降率 12% 与按绝对值计算的 10% 不一致；采用绝对值计算结果"


@pytest.mark.parametrize(("levels", "given"), [((0.5, 0.45), 10), ((0.5, 0.5), 0.1)])
def test_a_reported_rate_within_a_tenth_of_a_point_agrees(levels: tuple[float, float], given: float) -> None:
    # 10 vs 10 exactly; 0.1 vs 0 (flat levels): |0.1 − 0| = 0.1 is not more than 0.1.
    s = dataclasses.replace(series({2020: levels[0], 2025: levels[1]}, "吨标准煤/万元"), rate=rates({2025: given}))
    assert "quality" not in judged(R_13_5, s, 2025).details


def test_without_levels_the_reported_rate_is_judged_and_said_to_be_reported() -> None:
    s = dataclasses.replace(series({2025: 0.45}, "吨标准煤/万元"), rate=rates({2025: 14}))
    o = judged(R_13_5, s, 2025)
    assert (o.status, o.observed, o.location) == (Status.PASS, 14, "表!D7")
    assert zh(o.arithmetic) == "r = 14%（报送的下降率） ≥ 13.5%"


def test_a_rate_chained_from_yearly_rates_shows_only_its_value() -> None:
    s = dataclasses.replace(series({2025: 0.45}, "吨标准煤/万元"),
                            rate=rates({2025: 14}, derived="1 − (1 − 5%)·(1 − 9.47%) = 14%"))
    assert zh(judged(R_13_5, s, 2025).arithmetic) == "r = 14% ≥ 13.5%"


def test_a_level_derived_in_one_year_only_shows_its_derivation() -> None:
    # 2025's intensity from its components (450 / 1000), 2020's as submitted: r = 1 − 0.45/0.5 = 10 % < 13.5.
    s = series({2020: 0.5}, "吨标准煤/万元")
    s.values[2025] = Value(0.45, 2025, "吨标准煤/万元", "表!C7", "0.45", derived="I = 450 / 1000 = 0.45")
    assert zh(judged(R_13_5, s, 2025).arithmetic) == "I = 450 / 1000 = 0.45；r = 1 − 0.45 / 0.5 = 10%，要求 ≥ 13.5%"


def test_an_approximate_points_reduction_within_tolerance_has_no_percent_sign() -> None:
    # 下降2个百分点左右: edge 1.9; 12 → 10.1: d = 1.9 < 2, ≥ 1.9 → PASS within ±0.1.
    r = rule("reduction_vs_base", target=2, base_year=2020, target_year=2025, strength="approximate", mode="points")
    o = judged(r, series({2020: 12, 2025: 10.1}, "%"), 2025)
    assert (o.status, o.unit) == (Status.PASS, "个百分点")
    assert zh(o.arithmetic) == "d = 12 − 10.1 = 1.9 个百分点；1.9 < 2，在 ±0.1 容差范围内（≥ 1.9）"


# --- increase_vs_base --------------------------------------------------------------------------

def test_an_approximate_increase_in_percent_within_tolerance_at_its_year() -> None:
    # 增长30%左右: ±5 % of 30 = 1.5, edge 28.5 %; 500 → 643: g = 28.6 % < 30, ≥ 28.5 → PASS within tolerance.
    r = rule("increase_vs_base", target=30, base_year=2020, target_year=2025, mode="percent", strength="approximate")
    o = judged(r, series({2020: 500, 2025: 643}, "亿元"), 2025)
    assert (o.status, round(o.observed, 6), o.expected, o.unit, o.location) == (Status.PASS, 28.6, 30, "%", "表!C7")
    assert o.arithmetic == "g = 643 / 500 − 1 = 28.6%; 28.6% < 30%, within the ±1.5 tolerance (≥ 28.5%)"


def test_an_approximate_increase_in_points_within_tolerance_has_no_percent_sign() -> None:
    # 提高5个百分点左右: edge 4.75; 12.6 → 17.4: d = 4.8 < 5, ≥ 4.75 → PASS within tolerance.
    r = rule("increase_vs_base", target=5, base_year=2020, target_year=2025, mode="points", strength="approximate")
    o = judged(r, series({2020: 12.6, 2025: 17.4}, "%"), 2025)
    assert (o.status, round(o.observed, 6), o.unit) == (Status.PASS, 4.8, "个百分点")
    assert zh(o.arithmetic) == "d = 17.4 − 12.6 = 4.8 个百分点；4.8 < 5，在 ±0.25 容差范围内（≥ 4.75）"


def test_an_increase_after_an_earlier_target_toward_an_approximate_end() -> None:
    # 提高5个百分点 by 2025, 8左右 by 2030 (edge 7.6): 2027 = 5 + (7.6 − 5)·2/5 = 6.04; 12 → 18.1: d = 6.1 ≥ 6.04.
    r = rule("increase_vs_base", target=8, base_year=2020, target_year=2030, mode="points", strength="approximate",
             waypoints=((2025, 5.0),))
    o = judged(r, series({2020: 12, 2027: 18.1}, "%"), 2027)
    assert (o.status, round(o.observed, 6), round(o.expected, 6), o.unit, o.location) == \
        (Status.PASS, 6.1, 6.04, "个百分点", "表!C9")
    assert o.details["milestone"] == pytest.approx(6.04)
    assert zh(o.arithmetic) == ("进度目标 2027 = 5 + (7.6 − 5)×(2027−2025)/(2030−2025) = 6.04"
                                "（路径终点取7.6，即“左右”目标可接受的最宽值）；d = 18.1 − 12 = 6.1 个百分点")
    assert zh(o.message) == "2027年：按进度可于2030年达到+8"


def test_an_increase_behind_its_path_fails_under_strict_trajectory() -> None:
    # 2023: 30·3/5 = 18; 500 → 580: g = 16 % < 18 → behind; binding + --strict-trajectory → FAIL, 14 short.
    r = rule("increase_vs_base", target=30, base_year=2020, target_year=2025, mode="percent")
    o = judged(r, series({2020: 500, 2023: 580}, "亿元"), 2023, strict_trajectory=True)
    assert (o.status, round(o.observed, 6), o.expected, o.unit, o.location) == (Status.FAIL, 16, 18, "%", "表!C5")
    assert o.details["milestone"] == 18
    assert zh(o.message) == "2023年：落后于目标进度；到2025年还差 14"


def test_an_increase_without_its_base_year_names_the_base_year() -> None:
    r = rule("increase_vs_base", target=30, base_year=2020, target_year=2025, mode="percent")
    with pytest.raises(Unavailable) as e:
        judged(r, series({2023: 580}, "亿元", name="地区生产总值"), 2023)
    assert zh(e.value.message) == "地区生产总值 2020（基期）：未填报"


# --- at_least in an interim year -----------------------------------------------------------------

def test_a_level_behind_its_approximate_path_is_a_warning_even_under_strict_trajectory() -> None:
    # 达到20%左右 by 2025: edge 19; 2023 = 10 + (19 − 10)·3/5 = 15.4; 15 < 15.4 → behind. An approximate
    # target is not binding, so WARN even with --strict-trajectory; 20 − 15 = 5 points short.
    r = rule("at_least", target=20, target_year=2025, base_year=2020, strength="approximate")
    o = judged(r, series({2020: 10, 2023: 15}, "%"), 2023, strict_trajectory=True)
    assert (o.status, o.observed, round(o.expected, 6), o.comparator, o.unit, o.location) == \
        (Status.WARN, 15, 15.4, "≥", "%", "表!C5")
    assert o.details["milestone"] == pytest.approx(15.4)
    assert zh(o.arithmetic) == ("进度目标 2023 = 10 + (19 − 10)×(2023−2020)/(2025−2020) = 15.4%"
                                "（路径终点取19%，即“左右”目标可接受的最宽值）；15，要求 ≥ 15.4%")
    assert zh(o.message) == "2023年：落后于目标进度（基期 10）；到2025年还差 5 个百分点"


def test_a_binding_level_behind_its_path_fails_under_strict_trajectory() -> None:
    # 超过20% by 2025: 2023 = 10 + 10·3/5 = 16; 15.5 < 16 → behind; binding + strict → FAIL.
    r = rule("at_least", target=20, target_year=2025, base_year=2020, exclusive=True)
    o = judged(r, series({2020: 10, 2023: 15.5}, "%"), 2023, strict_trajectory=True)
    assert (o.status, o.comparator, o.location, o.unit) == (Status.FAIL, ">", "表!C5", "%")


def test_an_exclusive_level_on_its_path_keeps_its_strict_comparator() -> None:
    r = rule("at_least", target=20, target_year=2025, base_year=2020, exclusive=True)
    o = judged(r, series({2020: 10, 2023: 16.5}, "%"), 2023)
    assert (o.status, o.comparator, o.expected, o.unit, o.location) == (Status.PASS, ">", 16, "%", "表!C5")
    assert o.details["milestone"] == 16
    assert o.arithmetic == "milestone 2023 = 10 + (20 − 10)×(2023−2020)/(2025−2020) = 16%; 16.5 > 16%"


def test_a_level_already_past_its_target_before_the_target_year_shows_the_value_as_written() -> None:
    r = rule("at_least", target=20, target_year=2025, base_year=2020, exclusive=True)
    o = judged(r, series({2020: 10, 2023: 20.5}, "%"), 2023)
    assert (o.status, o.comparator, o.unit, o.location) == (Status.PASS, ">", "%", "表!C5")
    assert o.arithmetic == "20.5 > 20% (target for 2025)"    # "20.5" as written, not "20.5%"
    assert zh(o.message) == "2023年：已达到2025年目标"


def test_a_level_in_its_base_year_is_not_due() -> None:
    # reporting year 2020 = base year: nothing to compare yet, even though 9 < 20.
    r = rule("at_least", target=20, target_year=2025, base_year=2020)
    o = judged(r, series({2019: 10, 2020: 9}, "%"), 2020)
    assert (o.status, o.observed, o.expected, o.comparator, o.arithmetic) == (Status.NOT_DUE, None, 20, "", "")
    assert zh(o.message) == "目标年份2025年晚于报告年度2020年；报告年度不晚于基期2020年"


# --- the paths the chart draws -------------------------------------------------------------------------

def test_a_compound_reduction_path_in_levels() -> None:
    # 0.5 at 2020, −13.5 % by 2025 → 0.4325, −30 % by 2030 through it → 0.35. 2023: 0.5·0.865^(3/5)
    # = 0.5·e^(0.6·ln 0.865) = 0.5·e^(0.6·(−0.145026)) = 0.5·e^(−0.087015) = 0.5·0.916663 = 0.458331;
    # 2027: 0.4325·(0.35/0.4325)^(2/5) = 0.4325·e^(0.4·ln 0.809249) = 0.4325·e^(−0.084652) = 0.397392.
    r = rule("reduction_vs_base", target=30, base_year=2020, target_year=2030, waypoints=((2025, 13.5),))
    path = KINDS["reduction_vs_base"].path(r, 2020, 0.5)
    assert path is not None
    assert [round(path(t), 6) for t in (2020, 2025, 2030, 2031)] == [0.5, 0.4325, 0.35, 0.35]
    assert path(2023) == pytest.approx(0.5 * 0.865 ** 0.6, rel=1e-12)
    assert path(2023) == pytest.approx(0.458331, abs=1e-6)
    assert path(2027) == pytest.approx(0.397392, abs=1e-6)
    assert path(2027) == pytest.approx(0.4325 * (0.35 / 0.4325) ** 0.4, rel=1e-12)


def test_a_points_reduction_path_is_linear_in_points() -> None:
    # 12 % at 2020, −2 points by 2025: 2023 = 12 − 2·3/5 = 10.8.
    r = rule("reduction_vs_base", target=2, base_year=2020, target_year=2025, mode="points")
    path = KINDS["reduction_vs_base"].path(r, 2020, 12)
    assert path is not None and [round(path(t), 9) for t in (2020, 2023, 2025)] == [12, 10.8, 10]


def test_an_increase_path_is_linear_in_percent_and_in_points() -> None:
    # +30 % by 2025 on 500: 2023 = 500·(1 + 0.3·3/5) = 590, 2025 = 650 (linear, not compound: 500·1.3^0.6 = 585.4).
    pct = rule("increase_vs_base", target=30, base_year=2020, target_year=2025, mode="percent")
    path = KINDS["increase_vs_base"].path(pct, 2020, 500)
    assert path is not None and [round(path(t), 9) for t in (2020, 2023, 2025)] == [500, 590, 650]
    # +5 points by 2025 on 12.6: 2023 = 12.6 + 3 = 15.6, 2025 = 17.6.
    pts = rule("increase_vs_base", target=5, base_year=2020, target_year=2025, mode="points")
    path = KINDS["increase_vs_base"].path(pts, 2020, 12.6)
    assert path is not None and [round(path(t), 9) for t in (2020, 2023, 2025)] == [12.6, 15.6, 17.6]


@pytest.mark.parametrize("kind", ["reduction_vs_base", "increase_vs_base"])
def test_a_change_has_no_path_from_its_target_year_on(kind: str) -> None:
    r = rule(kind, target=5, base_year=2020, target_year=2025, mode="points")
    assert KINDS[kind].path(r, 2025, 12) is None
    assert KINDS[kind].path(r, 2024, 12) is not None
    assert KINDS[kind].path(rule(kind, target=5, base_year=2020, mode="points"), 2020, 12) is None


def test_a_level_path_without_a_target_or_a_target_year_or_from_the_target_year_is_none() -> None:
    assert level_path(rule("at_least", target=20), 2020, 10) is None
    assert level_path(rule("at_least", target_year=2025), 2020, 10) is None
    assert level_path(rule("at_least", target=20, target_year=2025), 2025, 10) is None
    assert level_path(rule("at_least", target=20, target_year=2025), 2024, 10) is not None


def test_a_level_path_ignores_an_earlier_target_on_its_base_year() -> None:
    # A plan's 2020 target (50) on the same footing is a waypoint at the base year: the path starts
    # from the 2020 *value* (10), through 14 in 2023, to 20 in 2030: 2021 = 10 + 4/3 = 11.333.
    r = rule("at_least", target=20, target_year=2030, waypoints=((2020, 50.0), (2023, 14.0)))
    path = level_path(r, 2020, 10)
    assert path is not None and round(path(2021), 3) == 11.333
    o = judged(r, series({2020: 10, 2021: 11}, "%"), 2021)
    assert o.arithmetic == "milestone 2021 = 10 + (14 − 10)×(2021−2020)/(2023−2020) = 11.33%; 11 vs ≥ 11.33%"
