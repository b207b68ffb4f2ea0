"""Units: parsing both spellings, conversions, dimensions, and property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbcheck import units
from cbcheck.errors import UnitError

SAME_DIMENSION = [  # (a, b, factor): 1 a = factor b
    ("MW", "万千瓦", 0.1), ("GW", "万千瓦", 100), ("万千瓦", "kW", 1e4), ("兆瓦", "MW", 1),
    ("亿千瓦时", "kWh", 1e8), ("万千瓦时", "MWh", 10),
    ("万吨标准煤", "tce", 1e4), ("tce", "GJ", 29.3076), ("吨标准煤", "千克标准煤", 1000), ("吨标煤", "tce", 1),
    ("吨标准煤/万元", "tce/万元", 1), ("万吨标准煤/亿元", "吨标准煤/万元", 1),
    ("克标准煤/千瓦时", "gce/kWh", 1), ("千克标准煤/吨", "kgce/t", 1),
    ("万吨", "t", 1e4), ("亿立方米", "万立方米", 1e4), ("万平方米", "m2", 1e4),
    ("万亩", "公顷", 10000 / 15), ("公顷", "亩", 15), ("微克/立方米", "µg/m3", 1),
    ("万吨/年", "t/a", 1e4), ("吨/日", "t/d", 1), ("座", "个", 1), ("台", "套", 1),
    ("%", "dimensionless", 0.01), ("个百分点", "pp", 1), ("亿元", "万元", 1e4), ("m²", "平方米", 1),
    ("立方米", "m³", 1),
    # coke-chamber heights as plants write them: 4300mm, 5500毫米
    ("mm", "米", 1e-3), ("毫米", "m", 1e-3), ("厘米", "毫米", 10),
]


@pytest.mark.parametrize("a,b,factor", SAME_DIMENSION)
def test_conversion_factors(a: str, b: str, factor: float) -> None:
    assert math.isclose(units.convert(1.0, a, b), factor, rel_tol=1e-12)


@pytest.mark.parametrize("a,b", [("%", "个百分点"), ("kWh", "tce"), ("万千瓦", "亿千瓦时"), ("吨", "万千瓦"),
                                 ("吨标准煤/万元", "吨/万元"), ("座", "万千瓦")])
def test_wrong_dimension_is_refused(a: str, b: str) -> None:
    with pytest.raises(UnitError, match="cannot be converted"):
        units.convert(1.0, a, b)


def test_unknown_unit() -> None:
    with pytest.raises(UnitError, match="unknown unit"):
        units.parse_unit("furlongs per fortnight")


def test_full_width_spelling_parses() -> None:
    assert units.convert(1, "ＭＷ", "万千瓦") == pytest.approx(0.1)
    assert units.convert(50, "％", "dimensionless") == pytest.approx(0.5)


def test_every_catalogue_dimension_has_a_working_reference_unit() -> None:
    for name, ref in units.DIMENSIONS.items():
        assert units.unit_has_dimension(ref, name)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(finite, st.sampled_from(SAME_DIMENSION))
def test_round_trip(x: float, pair: tuple[str, str, float]) -> None:
    a, b, _ = pair
    assert math.isclose(units.convert(units.convert(x, a, b), b, a), x, rel_tol=1e-9, abs_tol=1e-9)


@given(finite, st.sampled_from(SAME_DIMENSION))
def test_scaling_is_linear(x: float, pair: tuple[str, str, float]) -> None:
    a, b, factor = pair
    assert math.isclose(units.convert(x, a, b), x * factor, rel_tol=1e-9, abs_tol=1e-9)
