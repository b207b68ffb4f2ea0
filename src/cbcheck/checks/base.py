"""What every check kind shares: the data view it reads, the outcome it returns,
number formatting, comparison with tolerance, and the trajectory formulas."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from cbcheck.model import Rule, Status

EPS = 1e-9
DEFAULT_APPROX_TOLERANCE_REL = 0.05   # 左右/约 without an explicit tolerance: ±5 % of the target


@dataclass(frozen=True, slots=True)
class Value:
    """A submitted value, already converted to the unit the check works in."""

    value: Any
    year: int
    unit: str | None
    location: str
    shown: str            # how it was written, with a conversion if any: "520 MW = 52 万千瓦"
    approx: bool = False
    derived: str | None = None   # arithmetic when computed from components


class Unavailable(Exception):
    """Raised inside a kind when data it needs is missing or unreadable; becomes a finding."""

    def __init__(self, status: Status, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.location = status, message, location


@dataclass(frozen=True)
class Series:
    """One indicator's values by year, plus the cells that could not be read."""

    indicator: str
    name: str
    unit: str | None
    values: dict[int, Value]
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)   # year -> (message, location)
    missing: dict[int, str] = field(default_factory=dict)              # year -> location of a "—" cell
    rate: Series | None = None       # the cumulative reduction rate vs base, when given directly
    missing_why: dict[int, str] = field(default_factory=dict)         # year -> why (e.g. a component is —)

    def get(self, year: int) -> Value | None:
        return self.values.get(year)

    def need(self, year: int, what: str = "") -> Value:
        """The value for ``year`` or :class:`Unavailable` saying exactly what is missing."""
        v = self.values.get(year)
        if v is not None:
            return v
        label = f"{self.name} {year}" + (f" ({what})" if what else "")
        if year in self.errors:
            msg, loc = self.errors[year]
            raise Unavailable(Status.ERROR, f"{label}: {msg}", loc)
        if year in self.missing:
            why = self.missing_why.get(year, "is marked as not reported")
            raise Unavailable(Status.MISSING, f"{label} {why}", self.missing[year])
        raise Unavailable(Status.MISSING, f"{label} is not in the submission")

    def previous(self, year: int) -> Value | None:
        earlier = [y for y in self.values if y < year]
        return self.values[max(earlier)] if earlier else None


@dataclass(frozen=True, slots=True)
class Context:
    year: int                       # reporting year
    default_base_year: int = 2020
    strict_trajectory: bool = False

    @property
    def as_of(self) -> dt.date:
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    observed: Any
    expected: Any
    comparator: str
    arithmetic: str
    message: str
    location: str | None = None
    unit: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


CheckKind = Callable[[Rule, Series, Context], Outcome]


def fmt(x: Any) -> str:
    """Numbers as written when they are short (228.65, 1134.24, 13.1), otherwise to 4
    significant figures without float noise (16.38 for 16.378912, 110 for 110.00000000000001)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    exact = repr(float(x))
    if "e" not in exact and len(exact.lstrip("-").replace(".", "").lstrip("0")) <= 6:
        return exact[:-2] if exact.endswith(".0") else exact
    decimals = min(6, max(0, 3 - int(math.floor(math.log10(abs(x))))))
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def with_unit(x: Any, unit: str | None) -> str:
    if unit in (None, "", "dimensionless"):
        return fmt(x)
    sep = "" if unit in {"%"} else " "
    return f"{fmt(x)}{sep}{unit}"


def gap_text(gap: float, unit: str | None) -> str:
    """A difference in the indicator's unit; a difference of two percentages is in points."""
    if unit == "%":
        return f"{fmt(gap)} percentage points"
    return with_unit(gap, unit)


def tolerance(rule: Rule, target: float) -> float:
    if rule.tolerance_abs is not None:
        return rule.tolerance_abs
    if rule.tolerance_rel is not None:
        return abs(target) * rule.tolerance_rel
    if rule.strength == "approximate":
        return abs(target) * DEFAULT_APPROX_TOLERANCE_REL
    return 0.0


def satisfies(value: float, bound: float, at_least: bool, exclusive: bool) -> bool:
    slack = EPS * max(1.0, abs(bound))
    if at_least:
        return value > bound + slack if exclusive else value >= bound - slack
    return value < bound - slack if exclusive else value <= bound + slack


def symbol(at_least: bool, exclusive: bool) -> str:
    return (">" if exclusive else "≥") if at_least else ("<" if exclusive else "≤")


def miss_status(rule: Rule) -> Status:
    """A target missed: FAIL when binding (约束性), WARN when aspirational or approximate."""
    return Status.FAIL if rule.binding else Status.WARN


def judge(rule: Rule, value: float, bound: float, at_least: bool) -> tuple[Status, str]:
    """Status and a short verdict phrase for ``value`` against ``bound`` with the rule's tolerance."""
    if satisfies(value, bound, at_least, rule.exclusive):
        return Status.PASS, "meets the target"
    tol = tolerance(rule, bound)
    if tol and satisfies(value, bound - tol if at_least else bound + tol, at_least, False):
        return Status.PASS, f"within tolerance (±{fmt(tol)}) of an approximate target"
    return miss_status(rule), "misses the target"


def linear_milestone(base: float, target: float, base_year: int, target_year: int, year: int) -> float:
    """Even path for a level: v_b + (target − v_b)·(t − b)/(T − b)."""
    return base + (target - base) * (year - base_year) / (target_year - base_year)


def compound_milestone(reduction: float, base_year: int, target_year: int, year: int) -> float:
    """Even path for a cumulative reduction R (fraction): 1 − (1 − R)^((t − b)/(T − b))."""
    return 1 - (1 - reduction) ** ((year - base_year) / (target_year - base_year))


def behind_status(rule: Rule, ctx: Context) -> Status:
    """Behind the trajectory: a warning, unless --strict-trajectory and the rule is binding."""
    return Status.FAIL if ctx.strict_trajectory and rule.binding else Status.WARN


def not_due(rule: Rule, ctx: Context, why: str) -> Outcome:
    return Outcome(Status.NOT_DUE, None, rule.target, "", "",
                   f"target year {rule.target_year} is after {ctx.year}; {why}")
