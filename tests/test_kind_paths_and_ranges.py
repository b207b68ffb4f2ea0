"""Edges of two things the kinds state in words, each worked out by hand:

- the even path ``explain`` prints when a plan sets several earlier targets on one footing: only
  the targets strictly between the base year and the target year are "through" points, each
  once, in order (a waypoint on the base year or on the target year itself is not a stop);
- a range (between) judged for a region: the year it is judged in once the target year has
  passed, and its words when the series has no unit;
- an approximate range with a bound at 0: each bound's tolerance on its own side, the same verdict
  for a region as for a facility (tests/cases/facility-between-zero-edge holds the facilities).

Only the registry (``cbcheck.checks.KINDS``), the data model and the Series/Value/Context views
are used, as in test_kind_words.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbcheck.checks import KINDS, Context, Series
from cbcheck.checks.kind import FacilityColumn, Verdict
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule, Status
from tests.kindbuild import kind_rule, year_series



def rule(kind: str, **kw: Any) -> Rule:
    return kind_rule(kind, "energy_intensity", **kw)


def series(by_year: dict[int, float], unit: str | None) -> Series:
    return year_series("forest_coverage", "森林覆盖率", by_year, unit)


# --- the path through several earlier targets ------------------------------------------------

# Waypoints on 2020 (the base year) and 2030 (the target year) are not stops; 8 % in 2023 and
# 13.5 % in 2025 are. Compound between stops: 2021 1 − 0.92^(1/3) = 2.741 %, 2022 1 − 0.92^(2/3) =
# 5.407 %, 2024 1 − 0.92·(0.865/0.92)^(1/2) = 10.79 %; 2026 on as from 13.5 % to 25 % (test_kind_words).
REDUCTION_THROUGH_TWO = rule("reduction_vs_base", target=25, base_year=2020, target_year=2030,
                             waypoints=((2020, 1.0), (2023, 8.0), (2025, 13.5), (2030, 25.0)))


def test_a_reduction_path_goes_through_each_earlier_target_strictly_inside_its_years() -> None:
    assert KINDS["reduction_vs_base"].arithmetic(REDUCTION_THROUGH_TWO, 2020) == [
        "r = 1 − I_2030 / I_2020 ≥ 25%",
        "even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)), through 8% in 2023, through 13.5% in 2025: "
        "2021 2.741%, 2022 5.407%, 2023 8%, 2024 10.79%, 2025 13.5%, "
        "2026 15.93%, 2027 18.3%, 2028 20.6%, 2029 22.83%, 2030 25%"]


def test_an_approximate_reduction_path_names_its_earlier_target_and_its_loosest_end() -> None:
    # 下降10%左右 by 2022 through 4 % in 2021: ±5 % of 10 = 0.5, so the path ends at 9.5 %
    r = rule("reduction_vs_base", target=10, base_year=2020, target_year=2022, strength="approximate",
             waypoints=((2021, 4),))
    assert KINDS["reduction_vs_base"].arithmetic(r, 2020) == [
        "r = 1 − I_2022 / I_2020 ≥ 10%",
        "even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)), through 4% in 2021, "
        "to 9.5% (the loosest value the approximate target accepts): 2021 4%, 2022 9.5%"]


def test_a_level_path_goes_through_each_earlier_target_strictly_inside_its_years() -> None:
    r = rule("at_least", target=20, unit="%", target_year=2030, base_year=2020, base_value=12,
             waypoints=((2020, 11), (2023, 12.5), (2025, 13), (2030, 20)))
    head, path = KINDS["at_least"].arithmetic(r, 2020)
    assert (head, head.text("zh")) == ("value ≥ 20% in 2030", "2030年 指标值 ≥ 20%")
    assert path == ("before 2030: milestone_t linear from 12 in 2020 through 12.5% in 2023 through 13% in 2025 "
                    "to 20% in 2030, from the submitted base-year value")


def test_a_level_by_category_states_no_single_formula_even_with_a_target() -> None:
    # the category's threshold decides per facility; a plain target beside it is not the formula
    cat = {"attribute": "机组类型", "targets": {"300MW级": 300, "600MW级": 290}}
    r = rule("at_most", target=300, unit="克标准煤/千瓦时", params={"by_category": cat})
    assert KINDS["at_most"].arithmetic(r, 2020) == []


# --- a range judged for a region -------------------------------------------------------------

def test_a_range_whose_target_year_has_passed_is_judged_in_that_year() -> None:
    # 保持在20%—21% by 2024, reporting 2025: the 2024 value 20.6 is in the range (2025's 30 is not)
    out = KINDS["between"].judge(rule("between", minimum=20, maximum=21, target_year=2024),
                                 series({2024: 20.6, 2025: 30}, "%"), Context(year=2025))
    assert (out.status, out.observed, out.location, out.unit) == (Status.PASS, 20.6, "表!C6", "%")
    assert (out.message, out.message.text("zh")) == ("2024: within the range", "2024年：在规定区间内")
    assert (out.arithmetic, out.arithmetic.text("zh")) == ("20.6 in [20, 21] %", "20.6 在区间 [20, 21] %")


def test_a_range_without_a_unit_says_so_without_a_trailing_space() -> None:
    # 21.6 > 21: outside, and the words end with the range itself
    out = KINDS["between"].judge(rule("between", minimum=20, maximum=21, target_year=2025),
                                 series({2025: 21.6}, None), Context(year=2025))
    assert (out.status, out.unit) == (Status.FAIL, None)
    assert isinstance(out.arithmetic, Msg)
    assert (out.arithmetic, out.arithmetic.text("zh")) == ("21.6 not in [20, 21]", "21.6 不在区间 [20, 21]")
    assert (out.message, out.message.text("zh")) == ("2025: outside the range", "2025年：超出规定区间")


# --- an approximate range with a bound at 0: a region and a facility agree ------------------------

# 10 % of each bound on its own side: [-5, 0] accepts from -5.5 up to 0 (10 % of 0 is 0), [0, 5]
# from 0 up to 5.5. The same values, the same verdicts as tests/cases/facility-between-zero-edge.
ZERO_EDGE = [   # value, verdict in [-5, 0], verdict in [0, 5]
    (-5.6, Status.WARN, Status.WARN), (-5.5, Status.PASS, Status.WARN), (-5.2, Status.PASS, Status.WARN),
    (-5.0, Status.PASS, Status.WARN), (-0.01, Status.PASS, Status.WARN), (0.0, Status.PASS, Status.PASS),
    (0.01, Status.WARN, Status.PASS), (5.0, Status.WARN, Status.PASS), (5.2, Status.WARN, Status.PASS),
    (5.5, Status.WARN, Status.PASS), (5.6, Status.WARN, Status.WARN),
]


def _facility_statuses(r: Rule, values: list[float]) -> list[Status]:
    n = len(values)
    col = FacilityColumn(values=np.array(values, dtype=float), previous=None, thresholds=None,
                         verdicts=np.full(n, -1), observed=np.full(n, None, dtype=object),
                         expected=np.full(n, None, dtype=object), reasons=np.full(n, None, dtype=object))
    KINDS["between"].judge_facilities(r, col, Context(year=2025))
    return [Verdict(int(v)).status(r.binding) for v in col.verdicts]


@pytest.mark.parametrize(("value", "top_zero", "bottom_zero"), ZERO_EDGE)
def test_an_approximate_range_with_a_bound_at_zero_is_judged_alike_for_a_region_and_a_facility(
        value: float, top_zero: Status, bottom_zero: Status) -> None:
    for (low, high), want in (((-5, 0), top_zero), ((0, 5), bottom_zero)):
        r = rule("between", minimum=low, maximum=high, strength="approximate", tolerance_rel=0.1)
        region = KINDS["between"].judge(r, series({2025: value}, "%"), Context(year=2025)).status
        assert (region, *_facility_statuses(r, [value])) == (want, want), (low, high, value)


BOUND = st.one_of(st.sampled_from([0.0, -5.0, 5.0]), st.floats(-100, 100))   # 0: a bound without a band


@given(a=BOUND, b=BOUND, rel=st.sampled_from([None, 0.0, 0.05, 0.1, 0.5]),
       absolute=st.sampled_from([None, 0.0, 0.3]), strength=st.sampled_from(["approximate", "binding"]),
       values=st.lists(st.floats(-250, 250), max_size=4), near=st.lists(st.floats(-2, 2), min_size=1, max_size=6))
def test_a_range_gives_a_region_and_a_facility_the_same_status(a: float, b: float, rel: float | None,
                                                              absolute: float | None, strength: str,
                                                              values: list[float], near: list[float]) -> None:
    low, high = sorted((a, b))
    values = [*values, *(low + d for d in near), *(high + d for d in near)]   # in and around each band
    r = rule("between", minimum=low, maximum=high, strength=strength, tolerance_rel=rel,
             tolerance_abs=absolute)
    region = [KINDS["between"].judge(r, series({2025: v}, "%"), Context(year=2025)).status for v in values]
    assert _facility_statuses(r, values) == region


# --- the even path in the reader's language ------------------------------------------------------

def test_a_level_path_is_said_by_key_in_chinese_and_english() -> None:
    # 20%左右 by 2030 from 12 in 2020 through 13 % in 2025: ±5 % of 20 = 1, the path ends at 19 %
    r = rule("at_least", target=20, unit="%", target_year=2030, base_year=2020, base_value=12,
             waypoints=((2025, 13),), strength="approximate")
    path = KINDS["at_least"].arithmetic(r, 2020)[-1]
    assert path.text("en") == ("before 2030: milestone_t linear from 12 in 2020 through 13% in 2025 to 19% in 2030 "
                               "(the loosest value the approximate target accepts), from the submitted base-year value")
    assert path.text("zh") == ("2030年以前：进度值从 2020年的 12，经 2025年 13% 线性变化到 2030年的 19%"
                               "（近似目标可接受的最宽值），基期值取报送文件中的数值")


def test_a_reduction_path_is_said_by_key_in_chinese_and_english() -> None:
    # 下降10%左右 by 2022 through 4 % in 2021: the path ends at 9.5 % (as above)
    r = rule("reduction_vs_base", target=10, base_year=2020, target_year=2022, strength="approximate",
             waypoints=((2021, 4),))
    path = KINDS["reduction_vs_base"].arithmetic(r, 2020)[-1]
    assert path.text("en") == ("even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)), through 4% in 2021, "
                               "to 9.5% (the loosest value the approximate target accepts): 2021 4%, 2022 9.5%")
    assert path.text("zh") == ("均匀进度（复合）：r_t = 1 − (1 − R)^((t − b)/(T − b))，经 2021年 4%，"
                               "至 9.5%（近似目标可接受的最宽值）；各年：2021 4%、2022 9.5%")
    # points: linear from 0 to 2 over 2020 → 2024
    points = KINDS["reduction_vs_base"].arithmetic(
        rule("reduction_vs_base", target=2, base_year=2020, target_year=2024, mode="points"), 2020)[-1]
    assert (points.text("en"), points.text("zh")) == ("even path (linear): 2021 0.5, 2022 1, 2023 1.5, 2024 2",
                                                      "均匀进度（线性）；各年：2021 0.5、2022 1、2023 1.5、2024 2")
