"""Small charts for the HTML report: an indicator's submitted values against the rule's
target path, as numbers ready for an inline SVG (the template draws them).

The values are the series the rule's kind judged (``history`` in the finding's details:
converted, derived from components and chained by the engine, nothing re-derived here). The
target path is the kind's own (:meth:`cbcheck.checks.Kind.path`): linear for levels, compound
for reductions, through the plan's earlier targets; ranges (between) are two bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dataclasses

from cbcheck.checks import KINDS
from cbcheck.checks.base import fmt
from cbcheck.checks.kind import working_unit
from cbcheck.model import Finding, Rule, Status, Submission

if TYPE_CHECKING:
    from cbcheck.catalogue import Catalogue

WIDTH, HEIGHT = 380, 180
LEFT, RIGHT, TOP, BOTTOM = 60, 14, 24, 28
# The first and last years sit this far inside the plot area, so that the first year's label and
# the first point's value label clear the y-axis tick labels (right-aligned at LEFT − 4) and the
# last point's value label is not cut off at the right edge.
INSET = 20


@dataclass(frozen=True, slots=True)
class Point:
    year: int
    value: float
    x: float
    y: float

    @property
    def label(self) -> str:
        return f"{self.year}: {fmt(self.value)}"


@dataclass(frozen=True, slots=True)
class Line:
    y: float
    value: float
    kind: str                        # "target" | "bound"


@dataclass(frozen=True)
class Chart:
    unit: str
    values: tuple[Point, ...]        # submitted
    path: tuple[Point, ...]          # target path, may be empty
    target: Point | None             # the target at its year
    lines: tuple[Line, ...]          # horizontal target lines (no year, or a range)
    xticks: tuple[tuple[float, str], ...]
    yticks: tuple[tuple[float, str], ...]
    status: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @staticmethod
    def polyline(points: tuple[Point, ...]) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def _target_path(f: Finding, rule: Rule, hist: dict[int, float],
                 default_base: int
                 ) -> tuple[list[tuple[int, float]], tuple[int, float] | None, list[tuple[float, str]]]:
    """(path points, target point, horizontal lines) in history units: the path the rule's kind
    judges interim years against (:meth:`cbcheck.checks.Kind.path`), year by year."""
    T = rule.target_year
    b = f.details.get("base_year") or rule.base_year or default_base
    if rule.kind == "between" and rule.minimum is not None and rule.maximum is not None:
        return [], None, [(rule.minimum, "bound"), (rule.maximum, "bound")]
    if rule.target is None and rule.assigned and isinstance(f.expected, (int, float)) and "milestone" not in f.details:
        rule = dataclasses.replace(rule, target=float(f.expected))   # an assigned target, judged at its year
    if rule.target is None:
        return [], None, []
    kind = KINDS[rule.kind]
    if kind.level and T is None:
        return [], None, [(rule.target, "target")]
    if T is None:
        return [], None, []
    base = f.details.get("base_value") if kind.level else None
    if base is None:
        base = rule.base_value if rule.base_value is not None else hist.get(b)
    path = kind.path(rule, b, base) if base is not None else None
    if path is None:
        return ([], (T, rule.target), []) if kind.level else ([], None, [])
    points = _drop_collinear([(t, path(t)) for t in range(b, T + 1)])
    return points, points[-1], []


def _drop_collinear(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The corners of a path: a point on the straight line through its neighbours adds nothing."""
    kept = points[:1]
    for here, after in zip(points[1:], points[2:], strict=False):
        (x0, y0), (x1, y1), (x2, y2) = kept[-1], here, after
        if not math.isclose((y1 - y0) * (x2 - x0), (y2 - y0) * (x1 - x0), rel_tol=1e-9, abs_tol=1e-12):
            kept.append(here)
    return kept + points[-1:] if len(points) > 1 else kept


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw))
    return next(k * mag for k in (1, 2, 2.5, 5, 10) if k * mag >= raw)


def build(f: Finding, rule: Rule, submission: Submission, cat: Catalogue, default_base: int) -> Chart | None:
    """A chart for one finding, or None when there is no history to show."""
    if f.status is Status.NOT_APPLICABLE or rule.indicator not in cat:
        return None
    hist: dict[int, float] = f.details.get("history") or {}
    unit = f.details.get("history_unit") or working_unit(rule, cat)
    if unit is None:
        return None
    path, target, lines = _target_path(f, rule, hist, default_base)
    if len(hist) < 2 and not (hist and (path or target or lines)):
        return None
    years = set(hist) | {y for y, _ in path} | ({target[0]} if target else set())
    x0, x1 = min(years), max(years)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    ys = list(hist.values()) + [v for _, v in path] + ([target[1]] if target else []) + [v for v, _ in lines]
    lo, hi = min(ys), max(ys)
    if math.isclose(lo, hi):
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step

    def sx(year: float) -> float:
        return LEFT + INSET + (WIDTH - LEFT - RIGHT - 2 * INSET) * (year - x0) / (x1 - x0)

    def sy(value: float) -> float:
        return (HEIGHT - BOTTOM) - (HEIGHT - BOTTOM - TOP) * (value - lo) / (hi - lo)

    def pt(year: int, value: float) -> Point:
        return Point(year, value, sx(year), sy(value))

    every = max(1, math.ceil((x1 - x0 + 1) / 8))
    xticks = tuple((sx(y), str(y)) for y in range(x0, x1 + 1) if (y - x0) % every == 0 or y == x1)
    count = int(round((hi - lo) / step))
    yticks = tuple((sy(lo + i * step), fmt(lo + i * step)) for i in range(count + 1))
    return Chart(unit=unit, values=tuple(pt(y, v) for y, v in sorted(hist.items())),
                 path=tuple(pt(y, v) for y, v in path), target=pt(*target) if target else None,
                 lines=tuple(Line(sy(v), v, k) for v, k in lines), xticks=xticks, yticks=yticks,
                 status=f.status.value)
