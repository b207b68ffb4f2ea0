"""Human views of policies: ``policy show`` (text or markdown) and ``explain``."""

from __future__ import annotations

import inspect

from cbcheck.catalogue import Catalogue
from cbcheck.errors import UsageError
from cbcheck.checks.base import fmt, with_unit
from cbcheck.model import Policy, Rule
from cbcheck.wording import applies_text, target_text


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


def _milestones(rule: Rule, base: int, at: object) -> str:
    years = range(base + 1, (rule.target_year or base) + 1)
    return ", ".join(f"{t} {at(t)}" for t in years)  # type: ignore[operator]


def arithmetic_lines(rule: Rule, default_base: int = 2020) -> list[str]:
    """What the check will compute for this rule, with the rule's own numbers and, for a
    target year ahead, the even path it judges interim years against."""
    from cbcheck.checks.base import DEFAULT_APPROX_TOLERANCE_REL, compound_milestone, tolerance

    b, T, unit = rule.base_year or default_base, rule.target_year, rule.unit or ""
    if rule.assigned or rule.params.get("by_category"):
        return []
    if rule.kind in ("at_least", "at_most") and rule.target is not None:
        at_least = rule.kind == "at_least"
        sign = (">" if rule.exclusive else "≥") if at_least else ("<" if rule.exclusive else "≤")
        lines = [f"value {sign} {with_unit(rule.target, unit)}" + (f" in {T}" if T else "")]
        tol = tolerance(rule, rule.target)
        if tol:
            edge = rule.target - tol if at_least else rule.target + tol
            rel = "" if rule.tolerance_abs or rule.tolerance_rel else f" (±{fmt(DEFAULT_APPROX_TOLERANCE_REL * 100)}%)"
            lines.append(f"approximate: passes within {fmt(tol)}{rel}, i.e. from {with_unit(edge, unit)}")
        if T:
            base = fmt(rule.base_value) if rule.base_value is not None else f"v_{b}"
            lines.append(f"before {T}: milestone_t = {base} + ({fmt(rule.target)} − {base})·(t − {b})/({T} − {b}), "
                         "from the submitted base-year value")
        return lines
    if rule.kind == "reduction_vs_base" and rule.target is not None and T:
        if rule.mode == "points":
            return [f"d = v_{b} − v_{T} ≥ {fmt(rule.target)} percentage points",
                    "even path (linear): " + _milestones(rule, b, lambda t: f"{fmt(rule.target * (t - b) / (T - b))}")]
        return [f"r = 1 − I_{T} / I_{b} ≥ {fmt(rule.target)}%",
                "even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)): "
                + _milestones(rule, b, lambda t: f"{fmt(compound_milestone(rule.target / 100, b, T, t) * 100)}%")]
    if rule.kind == "increase_vs_base" and rule.target is not None and T:
        what = "d = v_t − v_{b} (points)".replace("{b}", str(b)) if rule.mode == "points" \
            else f"g = v_t / v_{b} − 1"
        return [f"{what} ≥ {fmt(rule.target)} by {T}",
                "even path (linear): " + _milestones(rule, b, lambda t: fmt(rule.target * (t - b) / (T - b)))]
    if rule.kind == "growth" and rule.target is not None:
        cmp = "≤" if rule.params.get("comparator") == "at_most" else "≥"
        formula = f"(v_t / v_{b})^(1/(t − {b})) − 1" if rule.mode == "cagr" else "v_t / v_(t−1) − 1"
        return [f"g = {formula} {cmp} {fmt(rule.target)}%"]
    if rule.kind == "completed_by":
        deadline = rule.deadline.isoformat() if rule.deadline else (f"{T}-12-31" if T else "the reporting year's end")
        return [f"completion date ≤ {deadline} (or 是/已完成 reported by then)"]
    if rule.kind == "between" and rule.minimum is not None:
        return [f"{fmt(rule.minimum)} ≤ value ≤ {fmt(rule.maximum)} {unit}".rstrip()]
    return []


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
                period = str(policy.meta.get("period") or "")
                arithmetic = arithmetic_lines(rule, int(period[:4]) - 1 if period[:4].isdigit() else 2020)
                if arithmetic:
                    lines += ["", "Arithmetic for this rule:", *[f"  {a}" for a in arithmetic]]
                lines += ["", f"How it is judged ({rule.kind}):", inspect.getdoc(KINDS[rule.kind]) or ""]
                return "\n".join(lines) + "\n"
    raise UsageError(f"no rule or check kind named {name!r}",
                     hint="check kinds: " + ", ".join(KINDS) + "; rule ids: see `cbcheck policy show ID`")
