"""Every check kind through the public registry (``cbcheck.checks.KINDS``): properties that must
hold for any value, complementing the hand-checked cases in tests/cases/kind-*.

Only the registry, the data model and the Series/Value/Context views are used, so the tests
survive a rewrite of how the kinds are implemented.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cbcheck.checks import KINDS, Context, Series, Value
from cbcheck.model import Rule, Source, Status

SRC = Source("测试方案", "二", "quote")
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def rule(kind: str, **kw: Any) -> Rule:
    kw.setdefault("strength", "binding")
    return Rule(id="T-1", indicator="forest_coverage", kind=kind, title="t", source=SRC, **kw)


def series(by_year: dict[int, float], unit: str = "%") -> Series:
    return Series("forest_coverage", "森林覆盖率", unit,
                  {y: Value(v, y, unit, f"表!C{y - 2018}", str(v)) for y, v in by_year.items()})


def test_every_kind_in_the_registry_is_documented() -> None:
    assert sorted(KINDS) == sorted(["at_least", "at_most", "between", "reduction_vs_base", "increase_vs_base",
                                    "growth", "direction", "completed_by", "peak_by"])
    for name, kind in KINDS.items():
        assert (kind.__doc__ or "").strip().startswith(name), name


@given(values, values, values)
@example(1.0, 1e-9, -4.5e-266)
def test_between_passes_exactly_inside_the_closed_range(a: float, b: float, v: float) -> None:
    lo, hi = min(a, b), max(a, b)
    out = KINDS["between"].judge(rule("between", minimum=lo, maximum=hi, target_year=2025), series({2025: v}),
                           Context(year=2025))
    # both ends are included, with the float slack every comparison allows: 1e-9·(1+|bound|)
    # (checks/base.py; a falsifying example had lo=1e-9, v=-4.5e-266, inside by that rule)
    inside = lo - 1e-9 * (1.0 + abs(lo)) <= v <= hi + 1e-9 * (1.0 + abs(hi))
    assert out.status is (Status.PASS if inside else Status.FAIL)
    assert out.observed == v


@given(values, values, st.booleans(), st.sampled_from(["at_least", "at_most"]))
def test_threshold_at_the_target_year(target: float, v: float, exclusive: bool, kind: str) -> None:
    out = KINDS[kind].judge(rule(kind, target=target, exclusive=exclusive, target_year=2025), series({2025: v}),
                      Context(year=2025))
    slack = 1e-9 * (1.0 + abs(target))
    if abs(v - target) <= slack:          # the boundary itself: only 以上/以下 (not exclusive) include it
        want = not exclusive
    else:
        want = v > target if kind == "at_least" else v < target
    assert out.status is (Status.PASS if want else Status.FAIL)
    symbols = {("at_least", False): "≥", ("at_least", True): ">", ("at_most", False): "≤", ("at_most", True): "<"}
    assert out.expected == target and out.comparator == symbols[kind, exclusive]


@given(values, values, st.sampled_from(["increase", "decrease", "non_increase"]))
def test_direction_judges_only_the_sign_of_the_change(prev: float, cur: float, mode: str) -> None:
    out = KINDS["direction"].judge(rule("direction", mode=mode), series({2024: prev, 2025: cur}), Context(year=2025))
    d = cur - prev
    want = {"increase": d > 0, "decrease": d < 0, "non_increase": d <= 0}[mode]
    assert out.status is (Status.PASS if want else Status.FAIL)


@given(st.floats(1, 1e4), st.floats(-0.5, 0.5))
def test_peak_is_kept_when_no_later_value_exceeds_it(peak: float, change: float) -> None:
    after = peak * (1 + change)
    out = KINDS["peak_by"].judge(rule("peak_by", target_year=2030),
                           series({2029: peak * 0.99, 2030: peak, 2031: after}, unit="万吨"), Context(year=2031))
    assert out.status is (Status.PASS if after <= peak else Status.FAIL)


def test_aspirational_and_approximate_misses_are_warnings() -> None:
    s = series({2025: 10.0})
    for strength in ("aspirational", "approximate"):
        out = KINDS["at_least"].judge(rule("at_least", target=20, target_year=2025, strength=strength), s,
                                      Context(year=2025))
        assert out.status is Status.WARN, strength


def test_missing_value_raises_unavailable_with_the_year() -> None:
    from cbcheck.checks import Unavailable

    with pytest.raises(Unavailable) as info:
        KINDS["at_least"].judge(rule("at_least", target=20, target_year=2025), series({2024: 21.0}), Context(year=2025))
    assert info.value.status is Status.MISSING and "森林覆盖率 2025" in info.value.message


def test_cagr_not_due_message_names_no_none() -> None:
    out = KINDS["growth"].judge(rule("growth", mode="cagr", base_year=2025, target=15), series({2025: 3.0}, unit="座"),
                          Context(year=2025))
    assert out.status is Status.NOT_DUE
    assert "None" not in out.message
