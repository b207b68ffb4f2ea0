"""How rules and their conditions read in words, shared by the engine, the facility
evaluator and the policy views (English; the fill-in template has its own Chinese wording)."""

from __future__ import annotations

from cbcheck.checks.base import fmt, with_unit
from cbcheck.model import Rule


def target_text(rule: Rule) -> str:
    """The rule's requirement in one line, e.g. ``≥ 13% by 2025 (approximate, ±5%)``."""
    cmp = {"at_least": ">" if rule.exclusive else "≥", "at_most": "<" if rule.exclusive else "≤"}
    unit = rule.unit
    by_category = rule.params.get("by_category")
    if rule.assigned:
        value = f"assigned by {rule.assigned_by}"
    elif by_category and rule.kind in cmp:
        table = ", ".join(f"{k} {fmt(v)}" for k, v in by_category["targets"].items())
        value = f"{cmp[rule.kind]} by {by_category['attribute']}: {table} {unit or ''}".rstrip()
    elif rule.kind in cmp:
        value = f"{cmp[rule.kind]} {with_unit(rule.target, unit)}"
    elif rule.kind == "between":
        value = f"in [{fmt(rule.minimum)}, {fmt(rule.maximum)}] {unit or ''}".rstrip()
    elif rule.kind == "reduction_vs_base":
        value = f"−{fmt(rule.target)}% vs {rule.base_year}"
    elif rule.kind == "increase_vs_base":
        value = f"+{fmt(rule.target)}{' points' if rule.mode == 'points' else '%'} vs {rule.base_year}"
    elif rule.kind == "growth":
        c = rule.params.get("comparator", "at_least")
        value = f"{rule.mode} growth {'≥' if c == 'at_least' else '≤'} {fmt(rule.target)}%"
    elif rule.kind == "peak_by":
        value = "peaks"
    elif rule.kind == "direction":
        value = {"increase": "rising", "decrease": "falling", "non_increase": "not rising"}[rule.mode or "increase"]
    else:
        value = "complete"
    when = f" by {rule.deadline.isoformat()}" if rule.deadline else f" by {rule.target_year}" if rule.target_year else ""
    return f"{value}{when}"


def describe_condition(c: dict) -> str:
    """An applies_to condition in words: ``capacity < 30 万千瓦``, ``feedstock in {粉煤}``."""
    unit = f" {c['unit']}" if c.get("unit") else ""
    if "in" in c:
        return f"{c['attribute']} in {{{', '.join(map(str, c['in']))}}}"
    if "equals" in c:
        return f"{c['attribute']} = {c['equals']}{unit}"
    parts = []
    if "min" in c:
        parts.append(f"{'>' if c.get('min_exclusive') else '≥'} {fmt(c['min'])}{unit}")
    if "max" in c:
        parts.append(f"{'<' if c.get('max_exclusive') else '≤'} {fmt(c['max'])}{unit}")
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
