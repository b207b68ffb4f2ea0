"""One cell as a county table writes it → the observation cbcheck reads (value, raw text kept for the
report, unit, approx, or the one-line reason it cannot be read). Every field is asserted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cbcheck.reader.cells import cell_observation
from cbcheck.reader.grid import NO_CACHED_VALUE, Cell, Sheet

from reader_support import cat  # noqa: F401  (fixture)

SHEET = Sheet("表1", "甲县.xlsx", "xlsx")


def obs(cat: Any, value: Any, ind: str = "solar_power_capacity", unit: str | None = "万千瓦",
        number_format: str = "General") -> tuple[Any, ...]:
    o = cell_observation(Cell(value, 5, 4, SHEET, number_format), ind, 2024, unit, cat)
    assert (o.indicator, o.year, o.location) == (ind, 2024, "表1!D5")
    return o.value, o.raw, o.unit, o.approx, o.error


@pytest.mark.parametrize(("value", "kw", "want"), [
    ("52.5", {}, (52.5, "52.5", "万千瓦", False, None)),                       # the cheap path
    (None, {}, (None, "", "万千瓦", False, None)),                            # blank
    ("  ", {}, (None, "", "万千瓦", False, None)),
    ("—", {}, (None, "—", "万千瓦", False, None)),                            # 未报 markers keep what was written
    ("未统计", {}, (None, "未统计", "万千瓦", False, None)),
    ("约500", {}, (500.0, "约500", "万千瓦", True, None)),
    ("1,234.5", {}, (1234.5, "1,234.5", "万千瓦", False, None)),
    ("５２０MW", {}, (520.0, "520MW", "MW", False, None)),   # a unit in the cell wins; full width folded
    ("3.2亿", {"ind": "gdp_comparable", "unit": "万元"}, (32000.0, "3.2亿", "万元", False, None)),
    ("3.2亿", {"ind": "gdp_comparable", "unit": None}, (3.2, "3.2亿", "亿元", False, None)),
    ("13.2%", {"ind": "non_fossil_energy_share", "unit": None}, (13.2, "13.2%", "%", False, None)),
    (52, {}, (52.0, "52", "万千瓦", False, None)),
    (52.5, {}, (52.5, "52.5", "万千瓦", False, None)),
    (0.132, {"ind": "non_fossil_energy_share", "unit": None, "number_format": "0.0%"},
     (13.2, "0.132 (shown as 13.2%)", "%", False, None)),
    (0.132, {"ind": "non_fossil_energy_share", "unit": "%", "number_format": '0.0"%"'},   # a literal %, not ×100
     (0.132, "0.132", "%", False, None)),
])
def test_readable_cells(cat: Any, value: Any, kw: dict[str, Any], want: tuple[Any, ...]) -> None:
    assert obs(cat, value, **kw) == want


@pytest.mark.parametrize(("value", "kw", "raw", "error"), [
    ("#DIV/0!", {}, "#DIV/0!", "the cell holds the error #DIV/0!; fix the formula or type the value"),
    ("#n/a", {}, "#n/a", "the cell holds the error #N/A; fix the formula or type the value"),
    (NO_CACHED_VALUE, {}, "(formula)", "the formula in this cell has no saved result; open the file in Excel or "
                                      "WPS, let it calculate, and save it"),
    (True, {}, "TRUE", "the cell holds TRUE, not a number"),
    (dt.datetime(2024, 3, 5), {}, "2024-03-05",
     "the cell holds a date (2024-03-05), not a number — Excel may have turned what was typed into a date; "
     "format the cell as Number and type the value again"),
    (dt.time(8, 30), {}, "08:30:00", "the cell holds a time (08:30:00), not a number"),
    (float("nan"), {}, "nan", "the cell does not hold a finite number"),
    ("12吨", {}, "12吨", "'12吨' is not a number (or '吨' is not a unit of installed solar PV capacity)"),
    ("13.2%", {"unit": "万千瓦"}, "13.2%", "'13.2%' is a percentage but the unit is 万千瓦"),
    ("3亿", {"ind": "non_fossil_energy_share", "unit": "%"}, "3亿", "'3亿' has the multiplier 亿 but the unit is %"),
    (0.5, {"number_format": "0%"}, "0.5 (shown as 50%)",
     "the cell is formatted as a percentage (50%) but the unit is 万千瓦"),
    ("2023-13-45", {"ind": "test_coke_oven_closure", "unit": None}, "2023-13-45", "'2023-13-45' is not a valid date"),
])
def test_unreadable_cells_say_why(cat: Any, value: Any, kw: dict[str, Any], raw: str, error: str) -> None:
    value_, raw_, _unit, _approx, error_ = obs(cat, value, **kw)
    assert (value_, raw_, error_) == (None, raw, error)


@pytest.mark.parametrize(("value", "want"), [
    (dt.datetime(2023, 9, 30, 0, 0), dt.date(2023, 9, 30)),
    ("2023年9月30日", dt.date(2023, 9, 30)),
    ("2023/09/30", dt.date(2023, 9, 30)),
    ("已关停", "已关停"),                  # a completion word stays text for the deadline kind
    (True, True),
])
def test_date_indicator_cells(cat: Any, value: Any, want: Any) -> None:
    got = obs(cat, value, ind="test_coke_oven_closure", unit=None)
    assert got[0] == want and got[4] is None
