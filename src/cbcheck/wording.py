"""How a facility rule's conditions read in words, shared by the facility rules (every engine), the
policy views and ``explain``. (A rule's requirement is worded by its kind: :func:`cbcheck.checks.describe`.)

Each is a :class:`~cbcheck.i18n.message.Msg` (``cond.*``): an attribute or facility type is named by
the facility catalogue in the reader's language (:func:`cbcheck.facilities.name_of`), the bounds are
symbols with the plan's unit, the same in every language, and the values of a category are the
plan's own words: ``原料路线 属于｛粉煤｝`` / ``feedstock in {粉煤}``."""

from __future__ import annotations

from typing import Any, Iterable

from cbcheck.checks.base import fmt
from cbcheck.facilities import name_of
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule


def bound_parts(c: dict) -> list[str]:
    """A condition's bounds as symbols, the same in every language: ``≥ 30 万千瓦``, ``< 4.3 米``."""
    unit = f" {c['unit']}" if c.get("unit") else ""
    parts = []
    if "min" in c:
        parts.append(f"{'>' if c.get('min_exclusive') else '≥'} {fmt(c['min'])}{unit}")
    if "max" in c:
        parts.append(f"{'<' if c.get('max_exclusive') else '≤'} {fmt(c['max'])}{unit}")
    return parts


def both(parts: Iterable[Any]) -> Any:
    """Parts that must all hold, as one parameter: ``a and b`` / ``a 且 b``; a single part as it is."""
    items = list(parts)
    out = items[0]
    for item in items[1:]:
        out = Msg("cond.and", a=out, b=item)
    return out


def describe_condition(c: dict) -> Msg:
    """An applies_to condition in words: ``capacity < 30 万千瓦`` / ``容量 < 30 万千瓦``."""
    attribute = name_of(c["attribute"])
    if "in" in c:
        return Msg("cond.in", attribute=attribute, values=Msg.listing(map(str, c["in"])))
    if "equals" in c:
        value = c["equals"]
        unit = f" {c['unit']}" if c.get("unit") else ""
        shown = Msg("cond.true" if value else "cond.false") if isinstance(value, bool) else f"{value}{unit}"
        return Msg("cond.equals", attribute=attribute, value=shown)
    parts = bound_parts(c)
    if not parts:
        return Msg("cond.given", attribute=attribute)
    return Msg("cond.bounds", attribute=attribute, bounds=both(parts))


def conditions(conds: Iterable[dict]) -> Any:
    """Conditions that must all hold (a ``where``), as one parameter."""
    return both(describe_condition(c) for c in conds)


def applies_text(rule: Rule) -> Msg | str:
    """Which facilities a facility rule covers: ``coal-fired power unit where unit type in {抽凝}``
    / ``燃煤发电机组，条件：机组类型 属于｛抽凝｝``, with its exemptions; "" for a rule without."""
    applies = rule.params.get("applies_to")
    if not applies:
        return ""
    text: Any = name_of(applies["facility_type"], "type")
    if applies.get("where"):
        text = Msg("cond.where", what=text, conditions=conditions(applies["where"]))
    if applies.get("exempt"):
        text = Msg("cond.exempt", what=text,
                   conditions=Msg.listing(describe_condition(c) for c in applies["exempt"]))
    return text
