"""The helpers every check kind shares (src/cbcheck/checks/base.py), pinned one by one: how a
number is written in an arithmetic line, where a bound stops including its own value, what a
missing year says and where it points. Every expected value below is worked out by hand in the
comment beside it; the kinds' own cases (tests/cases/kind-*) cover the same helpers only on the
paths their plans happen to take."""

from __future__ import annotations

import math
from typing import Any

import pytest

from cbcheck.checks.base import (Context, Series, Unavailable, Value, edge_note, fmt, gap_text, geometric, judge,
                                 linear, not_due, path_end, piecewise, relation, satisfies, with_unit)
from cbcheck.model import Rule, Source, Status

SRC = Source("测试方案", "二", "quote")


def rule(kind: str = "at_least", **kw: Any) -> Rule:
    return Rule(id="T-1", indicator="energy_consumption", kind=kind, title="t", source=SRC, **kw)


# --- fmt: short numbers as written, long ones to 4 significant figures --------------------------

@pytest.mark.parametrize(("x", "text"), [
    (228.65, "228.65"), (13.1, "13.1"), (12, "12"), (12.0, "12"),   # short: as written, no ".0"
    (1134.24, "1134.24"),          # six significant digits is still "short"
    (-0.4, "-0.4"),
    (16.37891, "16.38"),           # seven digits: 10 ≤ x < 100 → 3 − 1 = 2 decimals
    (16.378912, "16.38"),
    (-16.378912, "-16.38"),
    (110.00000000000001, "110"),   # float noise: 3 − 2 = 1 decimal → "110.0" → "110"
    (123456.78, "123457"),         # 3 − 5 < 0 → no decimals, rounded
    (1234567, "1234567"),          # "1234567.0" has 8 digits → 0 decimals → the integer
    (0.00012345678, "0.000123"),   # 3 − (−4) = 7 decimals, capped at 6
    (1e-7, "0"),                   # repr "1e-07": 6 decimals → "0.000000" → "0"
    (-1e-7, "0"),                  # "-0.000000" → "-0" is written "0", never "-0"
    (0, "0"), (0.0, "0"), (-0.0, "0"),
    (math.inf, "inf"), (-math.inf, "-inf"),
])
def test_fmt_numbers(x: float, text: str) -> None:
    assert fmt(x) == text


@pytest.mark.parametrize(("x", "text"), [("n/a", "n/a"), (None, "None"), (True, "True"), (False, "False")])
def test_fmt_non_numbers_and_booleans_are_their_own_text(x: Any, text: str) -> None:
    # a bool is an int to Python, but "1" for a 是/否 cell would be a lie
    assert fmt(x) == text


def test_fmt_nan_is_nan() -> None:
    assert fmt(math.nan) == "nan"


@pytest.mark.parametrize(("x", "unit", "text"), [
    (5, None, "5"), (5, "", "5"), (5, "dimensionless", "5"),
    (13.1, "%", "13.1%"),                          # a percent sign sticks to its number
    (297.5, "gce/kWh", "297.5 gce/kWh"), (0.5, "万吨标准煤", "0.5 万吨标准煤"),
])
def test_with_unit(x: float, unit: str | None, text: str) -> None:
    assert with_unit(x, unit) == text


def test_gap_between_two_percentages_is_in_points() -> None:
    assert gap_text(0.69, "%") == "0.69 percentage points"     # 13.69 % − 13 %
    assert gap_text(12.5, "万吨标准煤") == "12.5 万吨标准煤"


# --- satisfies: 以上/以下 include the bound, 超过/低于 exclude it, float noise is not a miss ----------

@pytest.mark.parametrize(("value", "bound", "at_least", "exclusive", "ok"), [
    (13.0, 13.0, True, False, True),     # 达到13%以上: 13 counts
    (13.0, 13.0, True, True, False),     # 超过13%: 13 does not
    (13.0, 13.0, False, False, True),    # 13%以下: 13 counts
    (13.0, 13.0, False, True, False),    # 低于13%: 13 does not
    (13.01, 13.0, True, True, True), (12.99, 13.0, False, True, True),
    (12.99, 13.0, True, False, False), (13.01, 13.0, False, False, False),
])
def test_satisfies_at_the_bound(value: float, bound: float, at_least: bool, exclusive: bool, ok: bool) -> None:
    assert satisfies(value, bound, at_least, exclusive) is ok


@pytest.mark.parametrize("bound", [1e6, 0.3])
def test_float_noise_relative_to_the_bound_is_not_a_miss_and_not_a_pass_of_an_exclusive_bound(bound: float) -> None:
    # a city total summed from county values carries noise of a few units in the 12th digit:
    # one million tonnes ± 1e-6 is still "one million" (slack = 1e-9 × (1 + 1e6) ≈ 1e-3)
    below, above = bound * (1 - 1e-12), bound * (1 + 1e-12)
    assert satisfies(below, bound, True, False) and satisfies(above, bound, False, False)
    assert not satisfies(above, bound, True, True) and not satisfies(below, bound, False, True)


def test_a_real_difference_is_not_float_noise() -> None:
    # 1e-6 on a bound of 1: far more than the slack 1e-9 × 2
    assert not satisfies(1 - 1e-6, 1.0, True, False)
    assert not satisfies(1 + 1e-6, 1.0, False, False)


# --- judge: the verdict, the symbol, the arithmetic ---------------------------------------------

@pytest.mark.parametrize(("value", "at_least", "status", "comparison"), [
    (13.8, True, Status.PASS, "13.8% ≥ 13%"),
    (12.0, True, Status.FAIL, "12% vs ≥ 13%"),
    (12.0, False, Status.PASS, "12% ≤ 13%"),
    (13.8, False, Status.FAIL, "13.8% vs ≤ 13%"),
])
def test_judge_direction(value: float, at_least: bool, status: Status, comparison: str) -> None:
    j = judge(rule(), value, 13.0, at_least, unit="%")
    assert (j.status, j.comparison, j.within_tolerance) == (status, comparison, False)


def test_judge_approximate_target_within_tolerance() -> None:
    # 13%左右: ±5 % of 13 = 0.65 → accepts ≥ 12.35; 12.6 is below 13 but within it
    j = judge(rule(strength="approximate", target=13.0), 12.6, 13.0, True, unit="%")
    assert j.status is Status.PASS and j.within_tolerance
    assert j.comparison == "12.6% < 13%, within the ±0.65 tolerance (≥ 12.35%)"
    # 12.3 < 12.35: outside, and an approximate target missed is a warning
    j = judge(rule(strength="approximate", target=13.0), 12.3, 13.0, True, unit="%")
    assert (j.status, j.within_tolerance, j.comparison) == (Status.WARN, False, "12.3% vs ≥ 13%")


# --- not_due ------------------------------------------------------------------------------------

def test_not_due_names_the_target_year_when_it_is_later() -> None:
    out = not_due(rule(target=13.0, target_year=2030), Context(year=2025), "judged at the target year")
    assert out.status is Status.NOT_DUE and out.expected == 13.0 and out.observed is None
    assert out.message == "target year 2030 is after 2025; judged at the target year"
    assert (out.comparator, out.arithmetic) == ("", "")


@pytest.mark.parametrize("target_year", [2025, 2020, None])
def test_not_due_for_another_reason_says_only_the_reason(target_year: int | None) -> None:
    # the target year has come (2025 = 2025, 2020 < 2025) or there is none: only the reason is shown
    out = not_due(rule(target=13.0, target_year=target_year), Context(year=2025), "no value for the base year")
    assert out.status is Status.NOT_DUE and out.expected == 13.0 and out.observed is None
    assert (out.comparator, out.arithmetic, out.message) == ("", "", "no value for the base year")


# --- Series.need / previous, Unavailable --------------------------------------------------------

def _series(**kw: Any) -> Series:
    values = {y: Value(v, y, "万吨标准煤", f"表1!{c}5", str(v)) for y, v, c in
              [(2020, 412.0, "C"), (2024, 430.0, "G"), (2025, 436.0, "H")]}
    return Series("energy_consumption", "能源消费总量", "万吨标准煤", values, **kw)


def test_need_returns_the_value_of_the_year() -> None:
    assert _series().need(2024).value == 430.0


@pytest.mark.parametrize(("what", "message"), [
    ("", "能源消费总量 2023 is not in the submission"),
    ("base year", "能源消费总量 2023 (base year) is not in the submission"),
])
def test_need_a_year_not_written_at_all(what: str, message: str) -> None:
    with pytest.raises(Unavailable) as info:
        _series().need(2023, what)
    assert (info.value.status, info.value.message, info.value.location) == (Status.MISSING, message, None)
    assert str(info.value) == message


def test_need_a_year_marked_not_reported() -> None:
    with pytest.raises(Unavailable) as info:
        _series(missing={2023: "表1!F5"}).need(2023)
    assert (info.value.status, info.value.message, info.value.location) == \
        (Status.MISSING, "能源消费总量 2023 is marked as not reported", "表1!F5")
    with pytest.raises(Unavailable) as info:
        _series(missing={2023: "表1!F5"}, missing_why={2023: "cannot be computed: 煤炭消费量 is —"}).need(2023)
    assert info.value.message == "能源消费总量 2023 cannot be computed: 煤炭消费量 is —"


def test_need_a_year_that_could_not_be_read_is_an_error_at_its_cell() -> None:
    with pytest.raises(Unavailable) as info:
        _series(errors={2023: ("'4３0' is not a number", "表1!F5")}).need(2023, "reporting year")
    assert (info.value.status, info.value.location) == (Status.ERROR, "表1!F5")
    assert info.value.message == "能源消费总量 2023 (reporting year): '4３0' is not a number"


def test_previous_is_the_latest_year_before_not_the_year_itself() -> None:
    s = _series()
    assert s.previous(2025).value == 430.0      # 2024, not 2025
    assert s.previous(2024).value == 412.0      # the gap 2021–2023 is skipped
    assert s.previous(2020) is None


# --- relation: the true symbol for an arithmetic line -------------------------------------------

@pytest.mark.parametrize(("value", "bound", "symbol"), [
    (13.0, 13.0, "="), (13.0 + 1e-12, 13.0, "="),     # float noise is equality
    (13.5, 13.0, ">"), (12.5, 13.0, "<"),
])
def test_relation(value: float, bound: float, symbol: str) -> None:
    assert relation(value, bound) == symbol


# --- paths: piecewise through the plan's points, linear or compound -----------------------------

def test_geometric_is_an_even_rate_between_positive_levels() -> None:
    assert geometric(100, 81, 0.5) == pytest.approx(90)        # 100·(81/100)^½: −10 % a step
    assert geometric(100, 81, 0) == 100 and geometric(100, 81, 1) == pytest.approx(81)


@pytest.mark.parametrize(("a", "b"), [(0, 10), (10, 0), (-10, 10)])
def test_geometric_falls_back_to_linear_without_two_positive_levels(a: float, b: float) -> None:
    # a zero or negative level has no compound rate: half way is the midpoint
    assert geometric(a, b, 0.5) == pytest.approx((a + b) / 2)


def test_piecewise_path_through_the_plans_points() -> None:
    # points given out of order: 100 in 2020, 90 in 2025, 70 in 2030
    at = piecewise([(2030, 70.0), (2020, 100.0), (2025, 90.0)], linear)
    assert [at(t) for t in (2019, 2020, 2022, 2025, 2027, 2030, 2031, 2040)] == \
        pytest.approx([100, 100, 96, 90, 82, 70, 70, 70])     # flat before and after, 2 and 4 a year between


# --- edge_note: where the path of an approximate target ends --------------------------------------

def test_edge_note_for_an_approximate_target() -> None:
    r = rule(target=13.0, strength="approximate", target_year=2025)
    # 13%左右 as a floor: ±5 % of 13 = 0.65 → the path ends at 12.35
    assert edge_note(r, 2020, 2023, "%") == " (path to 12.35%, the loosest value the approximate target accepts)"
    assert edge_note(r, 2020, 2023) == " (path to 12.35, the loosest value the approximate target accepts)"
    assert edge_note(rule(target=13.0, target_year=2025), 2020, 2023, "%") == ""     # an exact target
    assert edge_note(rule(target=None, strength="approximate"), 2020, 2023, "%") == ""


@pytest.mark.parametrize(("year", "noted"), [(2023, False), (2025, False), (2027, True)])
def test_edge_note_only_on_the_last_stretch(year: int, noted: bool) -> None:
    # 2030 target 20%左右 (path to 19), with the plan's 2025 target 15 on the way: up to 2025 the path
    # runs to 15, not to the loosest value
    r = rule(target=20.0, strength="approximate", target_year=2030, waypoints=((2025, 15.0),))
    assert edge_note(r, 2020, year, "%") == (" (path to 19%, the loosest value the approximate target accepts)"
                                             if noted else "")


def test_a_waypoint_at_the_base_year_is_not_an_earlier_target() -> None:
    r = rule(target=20.0, strength="approximate", target_year=2030, waypoints=((2020, 12.0),))
    assert edge_note(r, 2020, 2020, "%") == " (path to 19%, the loosest value the approximate target accepts)"


@pytest.mark.parametrize(("kind", "target", "end"), [
    ("at_least", 13.0, 12.35),     # 13%左右 as a floor: 13 − 0.65
    ("at_most", 20.0, 21.0),       # 20%左右 as a ceiling: 20 + 1
    ("reduction_vs_base", 10.0, 9.5),
])
def test_path_end_is_the_loosest_value_on_the_kinds_side(kind: str, target: float, end: float) -> None:
    assert path_end(rule(kind, target=target, strength="approximate")) == pytest.approx(end)
    assert path_end(rule(kind, target=target)) == target
