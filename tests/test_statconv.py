"""The two statistical conventions (DOMAIN §7) as properties, at the arithmetic and through
the series builder that the check kinds read."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck import statconv
from cbcheck.model import Observation, Submission
from cbcheck.policy import catalogue
from cbcheck.series import SeriesBuilder

indices = st.lists(st.floats(min_value=80, max_value=125, allow_nan=False), min_size=1, max_size=10)
# Any positive levels within four orders of magnitude of each other (a rate of −10⁶ % loses float digits).
levels = st.lists(st.floats(min_value=0.1, max_value=1e3, allow_nan=False), min_size=2, max_size=11)


@given(st.floats(min_value=1, max_value=1e5), indices)
def test_chaining_indices_then_dividing_gives_the_real_growth_back(base: float, idx: list[float]) -> None:
    chained = [statconv.chain_index(base, idx[:k]) for k in range(len(idx) + 1)]
    for k in range(1, len(chained)):
        assert chained[k] / chained[k - 1] * 100 == pytest.approx(idx[k - 1], rel=1e-9)


@given(levels)
def test_chaining_yoy_reductions_equals_one_minus_the_level_ratio(series: list[float]) -> None:
    yoy = [(1 - series[i] / series[i - 1]) * 100 for i in range(1, len(series))]
    chained = statconv.cumulative_from_yoy(yoy)
    assert 1 - chained / 100 == pytest.approx(series[-1] / series[0], rel=1e-9)     # R = 1 − I_t / I_base


def test_missing_years_and_tolerance() -> None:
    assert statconv.missing_years([2021, 2022, 2024], 2021, 2025) == [2023, 2025]
    assert statconv.years_text([2021, 2022, 2023]) == "2021–2023" and statconv.years_text([2021, 2023]) == "2021, 2023"
    assert statconv.chain_tolerance(4) == pytest.approx(0.25)


def _submission(*obs: Observation) -> Submission:
    return Submission(path="t.csv", sha256="", entity=None, scope="county", observations=obs)


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=10, max_value=5000), st.lists(st.floats(min_value=-5, max_value=15), min_size=4,
                                                          max_size=4))
def test_builder_divides_by_comparable_gdp_chained_from_growth(gdp0: float, growth: list[float]) -> None:
    """Energy constant and current-price GDP at any inflation: the intensity moves with real growth only."""
    cat = catalogue()
    obs = [Observation("energy_consumption", y, 100.0, "万吨标准煤", f"E{y}") for y in range(2020, 2025)]
    obs += [Observation("gdp_comparable", y, gdp0 * 1.07 ** (y - 2020), "亿元", f"G{y}", price_basis="current")
            for y in range(2020, 2025)]
    obs += [Observation("gdp_comparable_growth", 2021 + i, g, "%", f"R{2021 + i}") for i, g in enumerate(growth)]
    series = SeriesBuilder(_submission(*obs), cat, 2024).series("energy_intensity", "吨标准煤/万元", 2020)
    real = math.prod(1 + g / 100 for g in growth)
    assert series.values[2024].value / series.values[2020].value == pytest.approx(1 / real, rel=1e-9)
    assert "at 2020 prices" in (series.values[2024].derived or "")


def test_builder_current_prices_alone_is_an_error_not_a_value() -> None:
    cat = catalogue()
    obs = [Observation("energy_consumption", y, 100.0, "万吨标准煤", f"E{y}") for y in (2020, 2024)]
    obs += [Observation("gdp_comparable", y, v, "亿元", f"G{y}", price_basis="current")
            for y, v in ((2020, 200.0), (2024, 260.0))]
    series = SeriesBuilder(_submission(*obs), cat, 2024).series("energy_intensity", "吨标准煤/万元", 2020)
    assert 2024 not in series.values and "cannot be computed without comparable-price GDP" in series.errors[2024][0]
    assert series.values[2020].value == pytest.approx(0.5)          # base year: 现价 = 2020年价


def test_builder_prefers_comparable_rows_over_current_ones_for_the_same_year() -> None:
    cat = catalogue()
    obs = [Observation("energy_consumption", y, 100.0, "万吨标准煤", f"E{y}") for y in (2020, 2024)]
    obs += [Observation("gdp_comparable", 2024, 300.0, "亿元", "C2024", price_basis="current"),
            Observation("gdp_comparable", 2024, 250.0, "亿元", "K2024", price_basis="comparable"),
            Observation("gdp_comparable", 2020, 200.0, "亿元", "K2020", price_basis="comparable")]
    series = SeriesBuilder(_submission(*obs), cat, 2024).series("energy_intensity", "吨标准煤/万元", 2020)
    assert series.values[2024].value == pytest.approx(0.4)


@pytest.mark.parametrize(("values", "slips"), [
    ({2020: 520, 2024: 598, 2025: 6200000}, {2025: 2024}),      # 万元 in the 亿元 row: 6200000 / 598 ≈ 10368
    ({2020: 520, 2025: 6200000}, {2020: 2025, 2025: 2020}),      # two years: which one slipped, nothing says
    ({2020: 5200000, 2024: 598, 2025: 620}, {2020: 2025}),      # named beside the nearest, 620
    ({2020: 412, 2025: 430}, {}),
    ({2005: 100, 2025: 99.9 * 100}, {}),                         # 99.9-fold: still below ×100
    ({2005: 100, 2025: 100 * 100}, {2005: 2025, 2025: 2005}),    # ×100 exactly is a slip
    ({2020: 0, 2025: 5}, {}),                                    # no ratio to a zero
    ({2025: 5}, {}),
    ({2020: 520, 2025: 1e-320}, {}),           # too small to divide by: refused as that, not as "inf-fold"
])
def test_magnitude_slips(values: dict[int, float], slips: dict[int, int]) -> None:
    found = statconv.magnitude_slips(values)
    assert {y: near for y, (near, _) in found.items()} == slips
    for year, (near, ratio) in found.items():
        assert ratio == pytest.approx(values[year] / values[near])
