"""Rules and yearly series built by hand for the kinds' unit tests: one place for the shape."""

from __future__ import annotations

from typing import Any

from cbcheck.checks import Series, Value
from cbcheck.model import Rule, Source

SRC = Source("测试方案", "二", "quote")


def kind_rule(kind: str, indicator: str, **kw: Any) -> Rule:
    """Rule T-1 of ``kind`` on ``indicator``, binding unless ``strength`` is given."""
    kw.setdefault("strength", "binding")
    return Rule(id="T-1", indicator=indicator, kind=kind, title="t", source=SRC, **kw)


def year_series(indicator: str, name: str, by_year: dict[int, float], unit: str | None) -> Series:
    """Values by year, the value of year Y in cell 表!C{Y-2018} (2020 → C2)."""
    return Series(indicator, name, unit,
                  {y: Value(v, y, unit, f"表!C{y - 2018}", str(v)) for y, v in by_year.items()})
