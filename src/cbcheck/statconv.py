"""The arithmetic of two statistical conventions (DOMAIN §7), kept apart so it can be
tested on its own and redone by hand.

- *Comparable prices.* GDP at comparable (base-year) prices in year t is the base-year GDP
  carried forward by the real growth of every year after it:
  GDP_t = GDP_base × Π(index_i / 100), index_i = 100 + real growth_i (上年=100).
- *Year on year to cumulative.* A reduction of r_i % year on year, every year from the base
  year to t, is a cumulative reduction R_t = 1 − Π(1 − r_i / 100).

Both need every year in between: :func:`missing_years` says which are not there.

- *Orders of magnitude.* A county's GDP, energy consumption or emissions change by a few percent
  a year; a figure a hundred times every other year's is a unit slip (a 万元 figure in an 亿元
  row, 吨 under 万吨), not growth: :func:`magnitude_slips` finds it.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

ROUNDING_POINTS = 0.05     # a published rate is rounded to 0.1: each may be off by half of that


def chain_index(base_value: float, indices: Sequence[float]) -> float:
    """``base_value`` × Π(index / 100): a comparable-price amount from year-on-year indices."""
    return base_value * math.prod(i / 100 for i in indices)


def cumulative_from_yoy(rates: Sequence[float]) -> float:
    """1 − Π(1 − r / 100), in %, from year-on-year reductions in %."""
    return (1 - math.prod(1 - r / 100 for r in rates)) * 100


def missing_years(have: Iterable[int], first: int, last: int) -> list[int]:
    """Years from ``first`` to ``last`` (inclusive) that are not in ``have``."""
    present = set(have)
    return [y for y in range(first, last + 1) if y not in present]


# 万/亿 and 吨/万吨 slips are ×10⁴, 千克/吨 ×10³; real change over two decades stays far below ×100.
SLIP_FACTOR = 100.0


def magnitude_slips(values: dict[int, float], factor: float = SLIP_FACTOR) -> dict[int, tuple[int, float]]:
    """Years whose value is at least ``factor`` times (or at most 1/``factor`` of) the nearest
    value of every other year, each with that nearest year and the ratio value / nearest.
    With two years both are named: nothing tells which one is in the wrong unit."""
    positive = {y: v for y, v in values.items() if v > 0 and math.isfinite(v)}
    out: dict[int, tuple[int, float]] = {}
    for year, value in positive.items():
        others = [(abs(math.log(value / v)), y) for y, v in positive.items() if y != year]
        if not others:
            continue
        nearest = min(others)[1]
        ratio = value / positive[nearest]
        if not (ratio > 0 and math.isfinite(ratio) and math.isfinite(1 / ratio)):
            continue      # a denominator too small to divide by is refused as that, where it is divided
        if max(ratio, 1 / ratio) >= factor * (1 - 1e-12):     # ×100 exactly, whichever way it is divided
            out[year] = (nearest, ratio)
    return out


def chain_tolerance(n_rates: int) -> float:
    """How far (in points) a published cumulative rate may differ from the one chained from
    ``n_rates`` published yearly rates by rounding alone: half a rounding unit for each."""
    return ROUNDING_POINTS * (n_rates + 1)


def years_text(years: Sequence[int]) -> str:
    """2021, 2023 or 2021–2024 when consecutive."""
    ys = sorted(years)
    if len(ys) > 2 and ys[-1] - ys[0] == len(ys) - 1:
        return f"{ys[0]}–{ys[-1]}"
    from cbcheck.i18n.message import Msg

    return Msg.listing(ys)
