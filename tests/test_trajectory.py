"""Trajectory formulas: properties that must hold for any target."""

from __future__ import annotations

import math

from hypothesis import assume, given
from hypothesis import strategies as st

from cbcheck.checks.base import Context, Series, Value, compound_milestone, linear_milestone
from cbcheck.checks.change import reduction_vs_base
from cbcheck.model import Rule, Source, Status

reduction = st.floats(min_value=0.001, max_value=0.9)
years = st.tuples(st.integers(2000, 2030), st.integers(1, 15))


@given(reduction, years)
def test_compound_path_reaches_target_exactly(R: float, by: tuple[int, int]) -> None:
    b, span = by
    assert math.isclose(compound_milestone(R, b, b + span, b + span), R, rel_tol=1e-12)
    assert compound_milestone(R, b, b + span, b) == 0


@given(reduction, years, st.integers(1, 14))
def test_compound_path_is_monotone_and_even(R: float, by: tuple[int, int], k: int) -> None:
    b, span = by
    assume(k < span)
    m1, m2 = compound_milestone(R, b, b + span, b + k), compound_milestone(R, b, b + span, b + k + 1)
    assert 0 < m1 < m2 <= R + 1e-12
    # even: the same fraction of the remaining level is cut every year
    ratio = (1 - m2) / (1 - m1)
    assert math.isclose(ratio, (1 - R) ** (1 / span), rel_tol=1e-9)


def test_worked_example_from_the_domain_notes() -> None:
    assert round(compound_milestone(0.156, 2020, 2025, 2023) * 100, 1) == 9.7


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), years)
def test_linear_path_ends(v0: float, target: float, by: tuple[int, int]) -> None:
    b, span = by
    assert linear_milestone(v0, target, b, b + span, b) == v0
    assert math.isclose(linear_milestone(v0, target, b, b + span, b + span), target, rel_tol=1e-9, abs_tol=1e-6)


RULE = Rule(id="T-1", indicator="energy_intensity", kind="reduction_vs_base", title="t",
            source=Source("d", "s", "q"), target=15.6, base_year=2020, target_year=2025, unit="%")


def _series(base: float, current: float, year: int) -> Series:
    return Series("energy_intensity", "单位地区生产总值能源消耗", "吨标准煤/万元", {
        2020: Value(base, 2020, "吨标准煤/万元", "A1", str(base)),
        year: Value(current, year, "吨标准煤/万元", "A2", str(current)),
    })


@given(st.floats(0.1, 5), st.floats(0.5, 1.2), st.integers(2021, 2024))
def test_on_track_iff_at_or_below_path(base: float, ratio: float, year: int) -> None:
    current = base * ratio
    outcome = reduction_vs_base(RULE, _series(base, current, year), Context(year=year))
    path_level = base * (1 - compound_milestone(0.156, 2020, 2025, year))
    on_track = current <= path_level * (1 + 1e-9)
    assume(abs(current - path_level) > 1e-9 * base)   # the boundary itself is tested below
    assert (outcome.status is Status.PASS) == on_track
    assert outcome.status is (Status.PASS if on_track else Status.WARN)   # behind the path: a warning, never FAIL


def test_exactly_on_the_path_is_on_track() -> None:
    base = 0.54
    current = base * (1 - compound_milestone(0.156, 2020, 2025, 2023))
    assert reduction_vs_base(RULE, _series(base, current, 2023), Context(year=2023)).status is Status.PASS
