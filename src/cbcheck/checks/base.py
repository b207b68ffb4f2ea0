"""What every check kind shares: the data view it reads, the outcome it returns,
number formatting, comparison with tolerance, and the trajectory formulas."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import Phrase, phrase
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
class Why:
    """What is said of a missing value once its label is known: ``Why("msg.cannot_derive", why=…)``
    becomes ``能耗 2023 cannot be derived: …`` (the label is a parameter of the sentence, so each
    language puts it where its grammar wants it)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def of(self, label: str) -> Msg:
        return Msg(self.key, label=label, **self.params)


def term(word: str) -> str:
    """An identifier the report names as a word of the report's language: a scope such as ``county``
    by ``term.<word>``, a facility attribute such as ``oven_height`` by the facility catalogue
    (炭化室高度 / coke-chamber height, :func:`cbcheck.facilities.name_of`), else as written."""
    from cbcheck.facilities import name_of
    from cbcheck.i18n import catalogue

    return Msg(f"term.{word}") if f"term.{word}" in catalogue("en") else name_of(word)


# What to do about a value that cannot be used, by the catalogue key of its reason: a reason that
# is not a cell to correct (GDP only at current prices, a rate whose basis is not stated…) gets
# advice of its own in the action list instead of "correct the cell".
ADVICE = {
    "msg.current_prices": "msg.todo_comparable_gdp",
    "msg.current_prices_more": "msg.todo_comparable_gdp",
    "msg.rate_unknown": "msg.todo_rate_basis",
    "msg.rate_other_base": "msg.todo_rate_base",
    "msg.not_chained": "msg.todo_chain",
    "msg.not_chained_pl": "msg.todo_chain",
    "msg.assigned_value_error": "msg.todo_params",
    "msg.share_attr_missing": "msg.todo_facility_cells",
    "msg.share_weight_missing": "msg.todo_facility_cells",
    "msg.share_no_column": "msg.todo_facility_column",
    "msg.fraction_ambiguous": "msg.todo_fraction",
}


def advice(message: str) -> Msg | None:
    """The advice for the first reason in ``message`` (outermost first) that has one, or None
    (a plain string, or a reason that is a cell to correct)."""
    queue: list[Any] = [message]
    while queue:
        said = queue.pop(0)
        if isinstance(said, Msg):
            if said.key in ADVICE:
                return Msg(ADVICE[said.key])
            queue.extend(said.params.values())
        elif isinstance(said, tuple):
            queue.extend(said)
    return None


def year_label(name: str, year: int, what: str = "") -> Msg:
    """``能耗 2020`` or ``能耗 2020 (base year)``: which value a sentence is about. ``name`` is the
    indicator's :class:`~cbcheck.i18n.message.Word` (``Indicator.word``), so the label is only ever
    a parameter of a Msg: an f-string would give its English in a Chinese report."""
    if not what:
        return Msg("msg.label", name=name, year=year)
    return Msg("msg.label_what", name=name, year=year, what=phrase(what))


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
    missing_why: dict[int, Why | str] = field(default_factory=dict)   # year -> why (e.g. a component is —)

    def get(self, year: int) -> Value | None:
        return self.values.get(year)

    def need(self, year: int, what: str = "") -> Value:
        """The value for ``year`` or :class:`Unavailable` saying exactly what is missing."""
        v = self.values.get(year)
        if v is not None:
            return v
        label = year_label(self.name, year, what)
        if year in self.errors:
            msg, loc = self.errors[year]
            raise Unavailable(Status.ERROR, Msg("msg.label_colon", label=label, what=phrase(msg)), loc)
        if year in self.missing:
            why = self.missing_why.get(year)
            said = why.of(label) if isinstance(why, Why) else \
                Msg("msg.marked_missing", label=label) if why is None else Msg.concat([label, " ", Phrase(why)])
            raise Unavailable(Status.MISSING, said, self.missing[year])
        raise Unavailable(Status.MISSING, Msg("msg.not_in_submission", label=label))

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
        return Msg("msg.n_pp", n=fmt(gap))
    return with_unit(gap, unit)


def tolerance(rule: Rule, target: Any) -> Any:
    """How far an approximate (左右) target may be missed: the rule's own, else ±5 % of it."""
    if rule.tolerance_abs is not None:
        return rule.tolerance_abs
    if rule.tolerance_rel is not None:
        return abs(target) * rule.tolerance_rel
    if rule.strength == "approximate":
        return abs(target) * DEFAULT_APPROX_TOLERANCE_REL
    return 0.0


def satisfies(value: Any, bound: Any, at_least: bool, exclusive: bool) -> Any:
    """value ≥ bound (> with ``exclusive``), or ≤ (<) when not ``at_least``, with a relative slack
    for float noise. Works on floats and elementwise on numpy arrays alike, so a county's series
    and a million facility rows are judged by the same comparison."""
    slack = EPS * (1.0 + abs(bound))
    if at_least:
        return value > bound + slack if exclusive else value >= bound - slack
    return value < bound - slack if exclusive else value <= bound + slack


def tolerance_edge(rule: Rule, bound: Any, at_least: bool) -> Any:
    """The loosest value an approximate target still accepts (the bound itself without a tolerance)."""
    tol = tolerance(rule, bound)
    return bound - tol if at_least else bound + tol


def path_end(rule: Rule) -> float:
    """Where a target path ends: the target, or for an approximate (左右) target the loosest value it
    accepts, so that a value passing the target at its year is on its path, and an earlier target
    met within its tolerance is on track for a later one. Interim years are compared with the path
    without a further tolerance."""
    assert rule.target is not None
    return float(tolerance_edge(rule, rule.target, rule.kind != "at_most"))


def edge_note(rule: Rule, base_year: int, year: int, unit: str | None = None) -> str:
    """Says where the path ends when that is not the target itself (and ``year`` is on the last
    stretch of the path, after the plan's earlier targets)."""
    if rule.target is None or any(base_year < y and year <= y for y, _ in rule.waypoints):
        return ""
    end = path_end(rule)
    if end == rule.target:
        return ""
    return f" (path to {with_unit(end, unit)}, the loosest value the approximate target accepts)"


def with_edge_note(calc: str, rule: Rule, base_year: int, year: int, unit: str | None = None) -> str:
    """``calc`` with :func:`edge_note`'s words after it, as one sentence."""
    if not edge_note(rule, base_year, year, unit):
        return calc
    return Msg("msg.path_edge", calc=calc, edge=with_unit(path_end(rule), unit))


def vs(value: str, requirement: str) -> Msg:
    """``298 vs ≤ 295``: a value and the requirement it misses (the arithmetic of a miss)."""
    return Msg("msg.vs", value=value, requirement=requirement)


def symbol(at_least: bool, exclusive: bool) -> str:
    return (">" if exclusive else "≥") if at_least else ("<" if exclusive else "≤")


def relation(value: float, bound: float) -> str:
    """The true relation of two numbers as a symbol, for arithmetic lines that must not lie."""
    if satisfies(value, bound, True, False) and satisfies(value, bound, False, False):
        return "="
    return ">" if value > bound else "<"


def miss_status(rule: Rule) -> Status:
    """A target missed: FAIL when binding (约束性), WARN when aspirational or approximate."""
    return Status.FAIL if rule.binding else Status.WARN


@dataclass(frozen=True, slots=True)
class Judgement:
    status: Status
    verdict: str          # a short phrase: "meets the target", "within tolerance…", "misses the target"
    comparison: str       # arithmetic that is true: "13.8% ≥ 13%", "12.6% < 13%, within … (≥ 12.35%)", "12% vs ≥ 13%"
    within_tolerance: bool = False
    tol: str = ""         # the tolerance used, formatted (within_tolerance only)

    def said(self, family: str, **params: Any) -> Msg:
        """The verdict as a finding's sentence: ``msg.{family}meets`` / ``…tol`` / ``…misses``
        (family ``""``, ``"reduction_"``, ``"increase_"`` or ``"growth_"``)."""
        if self.within_tolerance:
            return Msg(f"msg.{family}tol" if family else "msg.within_tol", tol=self.tol, **params)
        return Msg(f"msg.{family}{'meets' if self.status is Status.PASS else 'misses'}", **params)


def judge(rule: Rule, value: float, bound: float, at_least: bool, *, shown: str | None = None,
          unit: str | None = None) -> Judgement:
    """``value`` against ``bound`` with the rule's strength, exclusivity and tolerance."""
    left, right = shown if shown is not None else with_unit(value, unit), with_unit(bound, unit)
    cmp = symbol(at_least, rule.exclusive)
    if satisfies(value, bound, at_least, rule.exclusive):
        return Judgement(Status.PASS, "meets the target", f"{left} {cmp} {right}")
    edge = tolerance_edge(rule, bound, at_least)
    true_rel = relation(value, bound)
    if edge != bound and satisfies(value, edge, at_least, False):
        tol = abs(bound - edge)
        return Judgement(Status.PASS, f"within tolerance (±{fmt(tol)}) of an approximate target",
                         Msg("msg.within_tol_calc", comparison=f"{left} {true_rel} {right}", tol=fmt(tol),
                             edge=f"{symbol(at_least, False)} {with_unit(edge, unit)}"), True, fmt(tol))
    return Judgement(miss_status(rule), "misses the target", vs(left, f"{cmp} {right}"))


def piecewise(points: list[tuple[int, float]],
              segment: Callable[[float, float, float], float]) -> Callable[[int], float]:
    """A path through ``points`` (year, value), sorted by year: between two neighbours the value is
    ``segment(a, b, s)`` with s the share of the way (0 → a, 1 → b); flat outside the points."""
    points = sorted(points)

    def at(t: int) -> float:
        if t <= points[0][0]:
            return points[0][1]
        for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
            if t <= y1:
                return segment(v0, v1, (t - y0) / (y1 - y0))
        return points[-1][1]
    return at


def linear(a: float, b: float, s: float) -> float:
    return a + (b - a) * s


def geometric(a: float, b: float, s: float) -> float:
    """Compound path between two positive levels: a·(b/a)^s (an even yearly rate of change)."""
    return a * (b / a) ** s if a > 0 and b > 0 else linear(a, b, s)


def behind_status(rule: Rule, ctx: Context) -> Status:
    """Behind the trajectory: a warning, unless --strict-trajectory and the rule is binding."""
    return Status.FAIL if ctx.strict_trajectory and rule.binding else Status.WARN


def not_due(rule: Rule, ctx: Context, why: str) -> Outcome:
    if rule.target_year is None or rule.target_year <= ctx.year:    # not due for another reason
        return Outcome(Status.NOT_DUE, None, rule.target, "", "", why)
    return Outcome(Status.NOT_DUE, None, rule.target, "", "",
                   Msg("msg.not_due", target_year=rule.target_year, year=ctx.year, why=phrase(why)))
