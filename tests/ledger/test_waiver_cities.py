"""A waiver names a county as the city's documents do; two cities each have a 城区 (阳泉市城区, 晋城市城区),
so matching on the name without the city gave one city's waiver to the other's district."""

from __future__ import annotations

import datetime as dt

import pytest

from cbcheck.waivers import Waiver, Waivers

RULE = "SX-ENERGY-INTENSITY-2025"


def _waivers(*entities: str) -> Waivers:
    return Waivers(tuple(Waiver(RULE, e, f"{e}的理由", f"{e}〔2025〕1号", "山西省发展和改革委员会",
                                dt.date(2026, 6, 30)) for e in entities))


@pytest.mark.parametrize(("entity", "found"), [
    ("阳泉市城区", "阳泉市城区"),                 # as written
    ("阳泉市城区发展和改革局", "阳泉市城区"),       # the file signed by the office, the city named: the same district
    ("晋城市城区", None),                         # another city's 城区: not this waiver
    ("晋城市城区发展和改革局", None),
])
def test_a_waiver_of_one_citys_district_is_not_another_citys(entity: str, found: str | None) -> None:
    w = _waivers("阳泉市城区").find(RULE, entity)
    assert (w.entity if w else None) == found


def test_each_city_gets_its_own_districts_waiver() -> None:
    both = _waivers("阳泉市城区", "晋城市城区")
    assert both.find(RULE, "晋城市城区发展和改革局").document == "晋城市城区〔2025〕1号"   # type: ignore[union-attr]
    assert both.find(RULE, "阳泉市城区统计局").document == "阳泉市城区〔2025〕1号"       # type: ignore[union-attr]


def test_a_county_written_without_its_city_still_matches() -> None:
    """和顺县发展和改革局 names no city: it is 晋中市和顺县's file, as params entries match it."""
    assert _waivers("晋中市和顺县").find(RULE, "和顺县发展和改革局") is not None
    assert _waivers("晋中市和顺县").find("OTHER-RULE", "和顺县发展和改革局") is None
