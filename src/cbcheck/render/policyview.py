"""Human views of policies: ``policy show`` (text or markdown) and ``explain``."""

from __future__ import annotations

import inspect

from cbcheck.catalogue import Catalogue
from cbcheck.checks.base import fmt, with_unit
from cbcheck.errors import UsageError
from cbcheck.facilities import describe_condition
from cbcheck.model import Policy, Rule


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


def render_policy(policy: Policy, cat: Catalogue, fmt_name: str = "text") -> str:
    if fmt_name not in {"text", "markdown"}:
        raise UsageError(f"unknown format {fmt_name!r}", hint="text or markdown")
    md = fmt_name == "markdown"
    meta = policy.meta
    out = [f"# {policy.title}" if md else f"{policy.title} ({policy.id})", ""]
    facts = [("id", policy.id), ("region", policy.region), ("status", policy.status),
             ("issuer", meta.get("issuer")), ("document number", meta.get("doc_number")),
             ("date", meta.get("date")), ("period", meta.get("period")), ("rules", str(len(policy.rules)))]
    out += [f"- **{k}**: {v}" if md else f"{k}: {v}" for k, v in facts if v]
    sections: dict[str, list[Rule]] = {}
    for rule in policy.rules:
        sections.setdefault(rule.source.section, []).append(rule)
    for section, rules in sections.items():
        out += ["", f"## {section}" if md else section, ""]
        if md:
            out += ["| Rule | Indicator | Requirement | Strength | Scope | Quote |", "|---|---|---|---|---|---|"]
        for r in rules:
            req = target_text(r)
            if r.params.get("applies_to"):
                req += f" — applies to {applies_text(r)}"
            if md:
                quote = r.source.quote.replace("|", "\\|")
                note = f"<br>*Note:* {r.notes.replace('|', chr(92) + '|')}" if r.notes else ""
                out.append(f"| {r.id} | {cat[r.indicator].name} | {req} | {r.strength} | {r.scope} | {quote}{note} |")
            else:
                out.append(f"  {r.id:<24} {cat[r.indicator].name}: {req} [{r.strength}, {r.scope}]")
                out.append(f"  {'':<24} “{r.source.quote}”")
                if r.notes:
                    out.append(f"  {'':<24} note: {r.notes}")
    return "\n".join(out) + "\n"


def explain_text(name: str) -> str:
    from cbcheck.checks import KINDS
    from cbcheck.policy import bundled_policy_paths, load_policy

    if name in KINDS:
        return inspect.getdoc(KINDS[name]) + "\n"
    wanted = name.strip().upper()
    for path in bundled_policy_paths():
        policy, cat = load_policy(str(path))
        for rule in policy.rules:
            if rule.id == wanted:
                ind = cat[rule.indicator]
                lines = [
                    f"{rule.id}: {rule.title}",
                    f"Policy: {policy.title} ({policy.id})",
                    f"Section: {rule.source.section}",
                    f"Clause: “{rule.source.quote}”",
                    f"Indicator: {ind.name} ({ind.id}; {ind.name_en}), default unit {ind.unit}",
                    f"Requirement: {target_text(rule)}",
                    f"Strength: {rule.strength} — a miss is {'FAIL' if rule.binding else 'WARN'}",
                    f"Scope: {rule.scope}" + (" · required (MISSING is non-compliant)" if rule.required else ""),
                ]
                if rule.assigned:
                    lines.append(f"Assigned target: give it with --set {rule.id}=VALUE or --params FILE")
                if rule.notes:
                    lines.append(f"Notes: {rule.notes}")
                lines += ["", f"How it is judged ({rule.kind}):", inspect.getdoc(KINDS[rule.kind]) or ""]
                return "\n".join(lines) + "\n"
    raise UsageError(f"no rule or check kind named {name!r}",
                     hint="check kinds: " + ", ".join(KINDS) + "; rule ids: see `cbcheck policy show ID`")
