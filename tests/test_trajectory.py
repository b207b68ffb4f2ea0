"""Trajectory formulas: properties that must hold for any target."""

from __future__ import annotations

import math

from hypothesis import assume, given
from hypothesis import strategies as st

from cbcheck.checks import KINDS
from cbcheck.checks.base import Context, Series, Value
from cbcheck.checks.level import level_path
from cbcheck.model import Rule, Source, Status
from cbcheck.policy import with_waypoints

reduction_vs_base = KINDS["reduction_vs_base"].judge

def _reduction_rule(R: float, b: int, T: int) -> Rule:
    return Rule(id="T-R", indicator="energy_intensity", kind="reduction_vs_base", title="t",
                source=Source("d", "s", "q"), target=R, base_year=b, target_year=T)


def compound_milestone(R: float, b: int, T: int, t: int) -> float:
    """The kind's own milestone for a reduction R (fraction), as a fraction."""
    return KINDS["reduction_vs_base"].milestone(_reduction_rule(R * 100, b, T), b, t)[0] / 100


def linear_milestone(v0: float, target: float, b: int, T: int, t: int) -> float:
    """The kind's own path for a level from v0 in b to target in T."""
    rule = Rule(id="T-L", indicator="non_fossil_energy_share", kind="at_least", title="t",
                source=Source("d", "s", "q"), target=target, target_year=T)
    path = level_path(rule, b, v0)
    assert path is not None
    return path(t)


def _oracle(R: float, b: int, T: int, t: int) -> float:
    """DOMAIN.md §4 written out independently: 1 − (1 − R)^((t − b)/(T − b))."""
    return 1 - (1 - R) ** ((t - b) / (T - b))


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
    path_level = base * (1 - _oracle(0.156, 2020, 2025, year))
    on_track = current <= path_level * (1 + 1e-9)
    assume(abs(current - path_level) > 1e-9 * base)   # the boundary itself is tested below
    assert (outcome.status is Status.PASS) == on_track
    assert outcome.status is (Status.PASS if on_track else Status.WARN)   # behind the path: a warning, never FAIL


def test_exactly_on_the_path_is_on_track() -> None:
    base = 0.54
    current = base * (1 - _oracle(0.156, 2020, 2025, 2023))
    assert reduction_vs_base(RULE, _series(base, current, 2023), Context(year=2023)).status is Status.PASS


# Waypoints: a policy's targets for the same indicator on the same footing (2025 and 2030).
stops = st.lists(st.tuples(st.integers(1, 6), st.floats(0.5, 20)), min_size=1, max_size=4)


def _rules(kind: str, base: int, steps: list[tuple[int, float]]) -> tuple[Rule, ...]:
    """Targets that grow over time (a reduction deepens, a share rises), one rule per target year."""
    rules, year, value = [], base, 0.0
    for gap, step in steps:
        year, value = year + gap, value + step
        rules.append(Rule(id=f"W-{year}", indicator="energy_intensity", kind=kind, title="t",
                          source=Source("d", "s", "q"), target=min(value, 90.0), base_year=base,
                          target_year=year))
    return with_waypoints(tuple(rules))


@given(stops, st.floats(0.1, 100), st.sampled_from(["reduction_vs_base", "at_least", "increase_vs_base"]))
def test_path_passes_through_every_waypoint_and_is_monotone(steps: list[tuple[int, float]], base_value: float,
                                                            kind_name: str) -> None:
    rules = _rules(kind_name, 2020, steps)
    last = rules[-1]
    assert [y for y, _ in last.waypoints] == [r.target_year for r in rules[:-1]]
    kind = KINDS[kind_name]
    path = kind.path(last, 2020, base_value)
    assert path is not None
    for r in rules:     # the later target's path meets each earlier target on its year
        own = kind.path(r, 2020, base_value)
        assert own is not None and r.target_year is not None
        assert math.isclose(path(r.target_year), own(r.target_year), rel_tol=1e-9)
    corners = [2020, *[r.target_year for r in rules if r.target_year is not None]]
    for y0, y1 in zip(corners, corners[1:], strict=False):    # monotone between neighbouring waypoints
        seg = [path(t) for t in range(y0, y1 + 1)]
        rising = seg[-1] >= seg[0]
        assert all((b >= a - 1e-9) if rising else (b <= a + 1e-9) for a, b in zip(seg, seg[1:], strict=False)), seg


def test_meeting_the_earlier_target_is_on_track_for_the_later() -> None:
    r2025, r2030 = _rules("reduction_vs_base", 2020, [(5, 13.5), (5, 16.5)])
    base, on_2025 = 0.6, 0.6 * (1 - 0.135)
    outcome = reduction_vs_base(r2030, _series(base, on_2025, 2025), Context(year=2025))
    assert outcome.status is Status.PASS and math.isclose(outcome.expected, 13.5)
