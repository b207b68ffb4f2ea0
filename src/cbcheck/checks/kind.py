"""What a check kind is: one registered object that owns everything about the kind.

A kind (``at_least``, ``reduction_vs_base``…) declares the rule fields it reads and which of
them it requires (the policy JSON Schema's per-kind part is generated from these, so lint is
exactly as strict as the kinds), judges one indicator series (:meth:`Kind.judge`) and, when it
can, a column of facilities at once (:meth:`Kind.judge_facilities`) on the same comparison
helpers, words its requirement in Chinese and English (:meth:`Kind.describe`), gives the even
path it judges interim years against (:meth:`Kind.path`, also drawn by the HTML chart and
printed by ``explain``), and checks what a schema cannot (:meth:`Kind.lint`).

Adding a kind is one module in this package with one ``@register`` class; the package finds it.
"""

from __future__ import annotations

import enum
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Mapping

from cbcheck.checks.base import Context, Outcome, Series, fmt, symbol, with_unit
from cbcheck.facilities import name_of
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule, Status

if TYPE_CHECKING:
    import numpy as np

    from cbcheck.backends.sql import FacilitySql, SqlJudgement

    from cbcheck.catalogue import Catalogue

# Rule fields that belong to a kind; every other field (id, indicator, strength, scope, unit,
# target_year, source, assigned, applies_to…) is common to all rules.
KIND_FIELDS = ("target", "min", "max", "exclusive", "base_year", "base_value", "deadline", "annual_deadline",
               "mode", "comparator", "by_category", "tolerance")


class Verdict(enum.IntEnum):
    """One facility's result under a facility rule, worst first (the order of a listing)."""

    MISS = 0               # beyond the threshold
    LATE = 1               # done after the deadline
    OVERDUE = 2            # not done, deadline passed
    WRONG_WAY = 3          # moved against the plan since the previous year
    UNREADABLE = 4         # the cell cannot be read
    NO_THRESHOLD = 5       # the plan sets no threshold for this category
    MISSING = 6            # the value is not given
    DONE_UNDATED = 7       # done, no date, and the deadline has come: whether on time is what is missing
    MISSING_ATTRIBUTE = 8  # an attribute needed to decide whether the rule applies is not given
    MEETS = 9
    WITHIN_TOLERANCE = 10  # misses an approximate (左右) target by less than its tolerance
    ON_TIME = 11
    DONE_NO_DATE = 12      # done, no date, judged before the deadline (or an open mandate): on time
    RIGHT_WAY = 13
    NOT_DUE = 14
    EXEMPT = 15

    def status(self, binding: bool) -> Status:
        if self in _MISSES:
            return Status.FAIL if binding else Status.WARN
        return _STATUS[self]

    def message(self, binding: bool = True, lang: str = "en", approximate: bool = False) -> str:
        """The verdict's words; a miss of a rule that is not binding says why it is only a warning:
        aspirational (力争), or approximate (左右: beyond the tolerance it was given)."""
        plain, aspirational, approx = _MESSAGES[self]
        key = plain if binding else (approx or plain) if approximate else (aspirational or plain)
        said = Msg(key)
        return said if lang == "en" else said.text(lang)


_MISSES = frozenset({Verdict.MISS, Verdict.LATE, Verdict.OVERDUE, Verdict.WRONG_WAY})
_STATUS = {Verdict.UNREADABLE: Status.ERROR, Verdict.NO_THRESHOLD: Status.ERROR, Verdict.MISSING: Status.MISSING,
           Verdict.DONE_UNDATED: Status.MISSING,
           Verdict.MISSING_ATTRIBUTE: Status.MISSING, Verdict.MEETS: Status.PASS,
           Verdict.WITHIN_TOLERANCE: Status.PASS, Verdict.ON_TIME: Status.PASS, Verdict.DONE_NO_DATE: Status.PASS,
           Verdict.RIGHT_WAY: Status.PASS, Verdict.NOT_DUE: Status.NOT_DUE, Verdict.EXEMPT: Status.NOT_APPLICABLE}
_MESSAGES = {   # verdict -> (catalogue key, key when aspirational, when approximate; "": the first)
    Verdict.MISS: ("msg.f_miss", "msg.f_miss_asp", "msg.f_miss_approx"),
    Verdict.LATE: ("msg.done_late", "msg.f_late_asp", ""),
    Verdict.OVERDUE: ("msg.overdue", "msg.f_overdue_asp", ""),
    Verdict.WRONG_WAY: ("msg.f_wrong", "msg.f_wrong_asp", ""),
    Verdict.UNREADABLE: ("msg.f_unreadable", "", ""),
    Verdict.NO_THRESHOLD: ("msg.f_no_threshold", "", ""),
    Verdict.MISSING: ("msg.f_missing", "", ""),
    Verdict.DONE_UNDATED: ("msg.f_done_undated", "", ""),
    Verdict.MISSING_ATTRIBUTE: ("msg.f_missing_attr", "", ""),
    Verdict.MEETS: ("msg.f_meets", "", ""),
    Verdict.WITHIN_TOLERANCE: ("msg.f_within", "", ""),
    Verdict.ON_TIME: ("msg.done_on_time", "", ""),
    Verdict.DONE_NO_DATE: ("msg.done_no_date", "", ""),
    Verdict.RIGHT_WAY: ("msg.f_right", "", ""),
    Verdict.NOT_DUE: ("msg.not_yet_due", "", ""),
    Verdict.EXEMPT: ("msg.f_exempt", "", ""),
}


@dataclass
class FacilityColumn:
    """The facilities of one table that a facility rule covers, prepared for its kind.

    ``values`` holds the rule's indicator per facility: floats in the rule's unit (NaN where
    blank) for a kind with ``facility_values = "number"``, the cells as read (dates, words,
    numbers, None) for ``"cells"``. ``previous`` holds last year's values where the table has
    a column for them (``单位产品综合能耗（2024年）``), ``thresholds`` a per-facility target where
    the rule sets one by category. The kind fills ``verdicts`` (and ``observed``, ``expected``,
    ``reasons``) wherever ``verdicts < 0``; the selection has already set the others (exempt,
    attribute missing, unreadable cells).
    """

    values: np.ndarray
    previous: np.ndarray | None
    thresholds: np.ndarray | None
    verdicts: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    reasons: np.ndarray
    # The facility's state as written (运行状态: 在产, 已关停…) where the table has it and the rule is a
    # closure: a blank closure date is then judged on it (see completed_by).
    states: np.ndarray | None = None
    # (codes, distinct values) of ``values`` and of ``states`` (code -1: blank) where the reader
    # already encoded the column (``FacilityTable.coded``): a kind reading cells judges each
    # distinct value once; without them the column is factorized on first use.
    coded: tuple[np.ndarray, list[Any]] | None = None
    states_coded: tuple[np.ndarray, list[Any]] | None = None

    @property
    def todo(self) -> np.ndarray:
        return self.verdicts < 0

    def value_codes(self) -> tuple[np.ndarray, list[Any]]:
        """(codes, distinct values) of ``values``, equal values (``1``, ``1.0``, ``True``) one."""
        if self.coded is None:
            from cbcheck.columnar import factorize

            self.coded = factorize(self.values)
        return self.coded

    def state_codes(self) -> tuple[np.ndarray, list[Any]] | None:
        if self.states is None:
            return None
        if self.states_coded is None:
            from cbcheck.columnar import factorize

            self.states_coded = factorize(self.states)
        return self.states_coded


class Kind:
    """Base class of the check kinds; a subclass's docstring is what ``cbcheck explain KIND`` prints."""

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()      # KIND_FIELDS this kind reads
    required: ClassVar[tuple[str | tuple[str, ...], ...]] = ()   # a tuple: any one of them
    modes: ClassVar[tuple[str, ...]] = ()               # allowed ``mode`` values, the default first
    level: ClassVar[bool] = False          # compares the value itself, in the rule's unit (not a % change)
    facility: ClassVar[bool] = False       # can judge facility rows
    facility_values: ClassVar[str] = "number"   # number | cells
    # Sentences of a kind that is not shipped (a plugin, a test): {lang: {"msg.key": template}}, added
    # to the catalogues when the kind is registered, so its findings read in every language by key.
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {}

    @property
    def doc(self) -> str:
        return inspect.getdoc(type(self)) or self.name

    # --- judging ---------------------------------------------------------------------------

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        raise NotImplementedError

    def judge_facilities(self, rule: Rule, col: FacilityColumn, ctx: Context) -> None:
        raise NotImplementedError(f"{self.name} does not judge facilities")

    def facility_sql(self, rule: Rule, q: FacilitySql, ctx: Context) -> SqlJudgement:
        """:meth:`judge_facilities` compiled to SQL (a SQLGlot expression per facility, for the
        rows the selection left to judge): the same verdicts, reasons, observed and expected
        values, for the query engines (:mod:`cbcheck.backends`)."""
        raise NotImplementedError(f"{self.name} does not compile facility rules")

    def outside_period(self, rule: Rule, ctx: Context) -> Outcome | None:
        """The outcome for the whole rule when the reporting year is outside the period it covers."""
        return None

    def early_year(self, rule: Rule, ctx: Context) -> int | None:
        """The target year when the reporting year comes before it and a facility's miss is therefore
        a warning, not yet a breach (到2025年降至300克以下, judged on 2024: the unit has until 2025)."""
        return None

    def absent(self, rule: Rule, ctx: Context) -> Verdict:
        """A covered facility's verdict when the table has no column for the rule's value."""
        return Verdict.MISSING

    def facility_expected(self, rule: Rule, ctx: Context) -> str:
        """The requirement as a facility summary states it (``≤ 300 克标准煤/千瓦时``)."""
        return Requirement(rule)

    # --- words and paths -----------------------------------------------------------------------

    def describe(self, rule: Rule, lang: str = "en") -> str:
        """The requirement without its year: ``≥ 13%``, ``比2020年下降15.6%``."""
        raise NotImplementedError

    def path(self, rule: Rule, base_year: int, base_value: float) -> Callable[[int], float] | None:
        """The even path of the indicator's own value from ``base_value`` in ``base_year`` to the
        target (through the plan's earlier targets for the same indicator, ``rule.waypoints``);
        None when the kind has no path."""
        return None

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        """What the check computes for this rule, with its own numbers (for ``explain``)."""
        return []

    # --- policy checks ------------------------------------------------------------------------

    def unit_problem(self, rule: dict[str, Any], dimension: str | None) -> str | None:
        """Why ``rule['unit']`` cannot be this kind's unit, or None."""
        return None

    def lint(self, rule: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, message) for what the schema cannot say (real dates, consistent bounds)."""
        return []

    def schema(self) -> dict[str, Any]:
        """This kind's part of the policy schema: what a rule of this kind requires and allows."""
        props: dict[str, Any] = {f: False for f in KIND_FIELDS if f not in self.fields}
        if "mode" in self.fields:
            props["mode"] = {"enum": list(self.modes)}
        then: dict[str, Any] = {"properties": props}
        plain = [r for r in self.required if isinstance(r, str)]
        if plain:
            then["required"] = plain
        groups = [r for r in self.required if isinstance(r, tuple)]
        if groups:
            then["allOf"] = [{"anyOf": [{"required": [f]} for f in g]} for g in groups]
        return {"if": {"properties": {"kind": {"const": self.name}}, "required": ["kind"]}, "then": then}


KINDS: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    """Class decorator: one instance per kind, by name (as pandera registers its checks). The
    kind's own ``messages`` join the catalogues, the same keys with the same placeholders in
    every language (as ``tests/test_i18n.py`` asks of the shipped ones)."""
    if cls.name in KINDS:
        raise RuntimeError(f"check kind {cls.name!r} registered twice")
    if cls.messages:
        _add_messages(cls.name, cls.messages)
    KINDS[cls.name] = cls()
    return cls


def _add_messages(kind: str, messages: Mapping[str, Mapping[str, str]]) -> None:
    import string

    from cbcheck.i18n import LANGS, catalogue

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for lang in set(messages) - set(LANGS):   # sentences no report could ever show: say so
        raise RuntimeError(f"check kind {kind!r}: messages in {lang!r}, not one of {', '.join(LANGS)}")
    keys = set(messages.get("en", {}))
    for lang in LANGS:
        own = messages.get(lang, {})
        for key in keys - set(own):
            raise RuntimeError(f"check kind {kind!r}: {key} is not in its {lang} messages")
        for key in set(own) - keys:
            raise RuntimeError(f"check kind {kind!r}: {key} is in its {lang} messages but not in en")
        for key, text in own.items():
            if not key.startswith("msg."):
                raise RuntimeError(f"check kind {kind!r}: {key} is not a msg.* key")
            if fields(text) != fields(messages["en"][key]):
                raise RuntimeError(f"check kind {kind!r}: {key} has other placeholders in {lang} than in en")
            if key in catalogue(lang) and catalogue(lang)[key] != text:
                raise RuntimeError(f"check kind {kind!r}: {key} is already a different sentence")
    for lang in LANGS:
        catalogue(lang).update(messages.get(lang, {}))


def describe(rule: Rule, lang: str = "en") -> str:
    """The rule's whole requirement in one line: ``≥ 13% by 2025``, ``2025年 ≥13%``,
    ``assigned by 省发展改革委``, with its category table and deadline."""
    zh = lang == "zh"
    if rule.assigned:
        what = f"上级下达（{rule.assigned_by}）" if zh else f"assigned by {rule.assigned_by}"
    elif rule.params.get("by_category") and rule.kind in ("at_least", "at_most"):
        table = rule.params["by_category"]
        sep = "、" if zh else ", "
        values = sep.join(f"{k} {fmt(v)}" for k, v in table["targets"].items())
        cmp = symbol(rule.kind == "at_least", rule.exclusive)
        unit = f" {rule.unit}" if rule.unit else ""
        attribute = name_of(table["attribute"])
        attribute = attribute.text(lang) if isinstance(attribute, Msg) else attribute
        what = (f"{cmp}按{attribute}：{values}{rule.unit or ''}" if zh else f"{cmp} by {attribute}: {values}{unit}")
    else:
        what = KINDS[rule.kind].describe(rule, lang)
    if rule.kind == "completed_by" and not rule.assigned:
        return what            # the deadline is part of a completion's wording
    if zh:
        return f"{what}（{rule.target_year}年）" if rule.target_year else what
    return f"{what} by {rule.target_year}" if rule.target_year else what


class Requirement(Msg):
    """A rule's whole requirement (:func:`describe`) inside a sentence: its English, worded in each
    language by :func:`describe` itself (``≥ 800 万千瓦 by 2030`` / ``≥800万千瓦（2030年）``)."""

    rule: Rule

    def __new__(cls, rule: Rule) -> Requirement:
        self = str.__new__(cls, describe(rule, "en"))
        self.key, self.params, self.rule = "", {"parts": (describe(rule, "en"),)}, rule
        return self

    def text(self, lang: str) -> str:
        return describe(self.rule, lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return Requirement, (self.rule,)

    def __repr__(self) -> str:
        return f"Requirement({self.rule.id!r})"


def level_describe(rule: Rule, lang: str) -> str:
    """``≥ 13%`` / ``< 500 万千瓦`` (``≥13%``, ``<500万千瓦`` in Chinese): a threshold in the rule's unit."""
    cmp = symbol(rule.kind == "at_least", rule.exclusive)
    if lang == "zh":
        return f"{cmp}{fmt(rule.target)}{rule.unit or ''}"
    return f"{cmp} {with_unit(rule.target, rule.unit)}"


def working_unit(rule: Rule, cat: Catalogue) -> str | None:
    """The unit a rule compares in: its own unit for a level kind (a target in MW is judged in MW),
    else the indicator's; None for dates and yes/no indicators."""
    ind = cat[rule.indicator]
    if ind.kind in {"date", "boolean"}:
        return None
    if KINDS[rule.kind].level and rule.unit:
        return rule.unit
    return ind.unit
