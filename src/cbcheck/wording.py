"""How a facility rule's conditions read in words, shared by the facility rules and the policy
views. (A rule's requirement is worded by its kind: :func:`cbcheck.checks.describe`.)"""

from __future__ import annotations

from cbcheck.checks.base import fmt
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


def describe_condition(c: dict) -> str:
    """An applies_to condition in words: ``capacity < 30 万千瓦``, ``feedstock in {粉煤}``."""
    if "in" in c:
        return f"{c['attribute']} in {{{', '.join(map(str, c['in']))}}}"
    if "equals" in c:
        unit = f" {c['unit']}" if c.get("unit") else ""
        return f"{c['attribute']} = {c['equals']}{unit}"
    parts = bound_parts(c)
    return f"{c['attribute']} {' and '.join(parts)}" if parts else f"{c['attribute']} given"


def applies_text(rule: Rule) -> str:
    """Which facilities a facility rule covers, e.g. ``coal_power_unit where unit_type in {抽凝}; exempt …``."""
    applies = rule.params.get("applies_to")
    if not applies:
        return ""
    text = applies["facility_type"]
    if applies.get("where"):
        text += " where " + " and ".join(describe_condition(c) for c in applies["where"])
    if applies.get("exempt"):
        text += "; exempt: " + ", ".join(describe_condition(c) for c in applies["exempt"])
    return text
