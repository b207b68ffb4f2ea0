"""Human views of policies: ``policy show`` (text or markdown) and ``explain``."""

from __future__ import annotations

from cbcheck.catalogue import Catalogue
from cbcheck.errors import UsageError
from cbcheck.model import Policy, Rule
from cbcheck.checks.kind import describe
from cbcheck.wording import applies_text


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
            req = describe(r)
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


def arithmetic_lines(rule: Rule, default_base: int = 2020) -> list[str]:
    """What the check will compute for this rule, with the rule's own numbers and, for a
    target year ahead, the even path it judges interim years against."""
    from cbcheck.checks import KINDS

    if rule.assigned or rule.params.get("by_category"):
        return []
    return KINDS[rule.kind].arithmetic(rule, default_base)


def explain_text(name: str) -> str:
    from cbcheck.checks import KINDS
    from cbcheck.policy import bundled_policy_paths, load_policy

    if name in KINDS:
        return KINDS[name].doc + "\n"
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
                    f"Requirement: {describe(rule)}",
                    f"Strength: {rule.strength} — a miss is {'FAIL' if rule.binding else 'WARN'}",
                    f"Scope: {rule.scope}" + (" · required (MISSING is non-compliant)" if rule.required else ""),
                ]
                if rule.assigned:
                    lines.append(f"Assigned target: give it with --set {rule.id}=VALUE or --params FILE")
                if rule.notes:
                    lines.append(f"Notes: {rule.notes}")
                period = str(policy.meta.get("period") or "")
                arithmetic = arithmetic_lines(rule, int(period[:4]) - 1 if period[:4].isdigit() else 2020)
                if arithmetic:
                    lines += ["", "Arithmetic for this rule:", *[f"  {a}" for a in arithmetic]]
                lines += ["", f"How it is judged ({rule.kind}):", KINDS[rule.kind].doc]
                return "\n".join(lines) + "\n"
    raise UsageError(f"no rule or check kind named {name!r}",
                     hint="check kinds: " + ", ".join(KINDS) + "; rule ids: see `cbcheck policy show ID`")
