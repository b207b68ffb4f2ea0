"""Units as submissions and plans spell them, and the one-line errors a wrong unit gets."""

from __future__ import annotations

import math

import pytest

from cbcheck import units
from cbcheck.errors import UnitError


@pytest.mark.parametrize(("spelling", "dimension"), [
    ("", "dimensionless"), ("无", "dimensionless"), ("倍", "dimensionless"), ("比值", "dimensionless"),
    ("一", "dimensionless"), ("%", "dimensionless"), ("‰", "dimensionless"),
    ("个百分点", "[share_difference]"),
    ("吨二氧化碳", "[mass]"), ("万吨CO2当量", "[mass]"),            # a mass of CO2 is a mass
    ("千瓦时每平方米", "[electricity] / [length] ** 2"), ("kWh/m²", "[electricity] / [length] ** 2"),
    ("μg/m3", "[mass] / [length] ** 3"), ("万吨／年", "[mass] / [time]"),   # full-width slash from WPS
])
def test_dimension_of_each_spelling(spelling: str, dimension: str) -> None:
    assert units.dimension(spelling) == dimension


@pytest.mark.parametrize(("value", "src", "dst", "expected"), [
    (1, "万吨／年", "吨/年", 1e4), (5, "‰", "%", 0.5), (1, "千瓦时每平方米", "kWh/m2", 1.0),
    (2, "吨·公里", "t*km", 2.0), (7, " MW ", "MW", 7), (7, "ＭＷ", "万千瓦", 0.7),
    (3, "吨二氧化碳", "万吨", 3e-4),
    # as clerks type them in WPS: an unknown unit and an ERROR at the cell before
    (3300, "KW", "万千瓦", 0.33), (3300, "kw", "万千瓦", 0.33), (3300, "mw", "万千瓦", 330),
    (33, "万kW", "MW", 330), (5000, "万kWh", "亿千瓦时", 0.5), (2, "亿kWh", "亿千瓦时", 2),
    (4410, "千吨", "万吨", 441), (6200000, "千元", "亿元", 62), (5, "万m3", "亿立方米", 5e-4),
])
def test_conversions_of_plan_and_wps_spellings(value: float, src: str, dst: str, expected: float) -> None:
    assert math.isclose(units.convert(value, src, dst), expected, rel_tol=1e-12)


def test_known_and_same_dimension() -> None:
    assert units.is_known("MW") and not units.is_known("furlongs")
    assert units.same_dimension("MW", "万千瓦") and not units.same_dimension("MW", "吨")


def test_unknown_unit_line() -> None:
    with pytest.raises(UnitError) as info:
        units.parse_unit("furlongs")
    assert str(info.value) == "unknown unit 'furlongs' — use a unit such as 万千瓦, MW, 吨标准煤/万元, %, 个百分点"


@pytest.mark.parametrize(("src", "dst", "line"), [
    ("吨", "万千瓦", "unit '吨' ([mass]) cannot be converted to '万千瓦' ([power]) — "
                   "report this indicator in 万千瓦 or a unit of the same kind"),
    # a share and a difference of shares never mix (DOMAIN §3: 个百分点 is not percent)
    ("%", "个百分点", "unit '%' (dimensionless) cannot be converted to '个百分点' ([share_difference]) — "
                     "report this indicator in 个百分点 or a unit of the same kind"),
])
def test_wrong_dimension_line_names_both(src: str, dst: str, line: str) -> None:
    with pytest.raises(UnitError) as info:
        units.convert(1.0, src, dst)
    assert str(info.value) == line


def test_unknown_catalogue_dimension_lists_the_known_ones() -> None:
    with pytest.raises(UnitError) as info:
        units.unit_has_dimension("吨", "weight")
    assert info.value.message == "unknown dimension 'weight'"
    assert info.value.hint == "one of: " + ", ".join(sorted(units.DIMENSIONS) + ["boolean", "date"])
    assert units.unit_has_dimension("吨", "mass") and not units.unit_has_dimension("吨", "power")
