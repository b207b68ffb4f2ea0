"""Candidates → a draft policy in the bundled format, plus the proposed catalogue entries.

One rule per distinct target (the same indicator, kind, number, unit and year said twice,
as plans do in 主要目标 and again in a task or the 任务分工表, is one rule: the first place
is quoted). Uncertain fields are listed in the rule's ``review`` (``cbcheck policy lint``
shows each as a warning). A target whose check kind needs a year the text does not give is
not written as a rule but listed in the policy's ``notes`` for the reviewer.
"""

from __future__ import annotations

import re
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.draft.indicators import match
from cbcheck.draft.targets import Candidate

_FACILITY_WORDS = ("机组", "焦炉", "生产线", "高炉", "锅炉", "熟料", "数据中心", "企业")


def rule_prefix(policy_id: str) -> str:
    prefix = re.sub(r"[^A-Z0-9]+", "-", policy_id.upper()).strip("-")
    return prefix if prefix[:1].isalpha() else f"D{prefix}"


def _scope(cand: Candidate) -> tuple[str, str | None]:
    if cand.kind in ("at_most", "at_least") and any(w in cand.subject for w in _FACILITY_WORDS) \
            and cand.unit in ("克标准煤/千瓦时", "千克标准煤/吨"):
        return "facility", "scope: a facility threshold? add applies_to (facility type, where) or keep it region-wide"
    return "region", None


def _title(cand: Candidate) -> str:
    title = (cand.clause or cand.quote).strip(" ,，;；。")
    title = re.sub(r"^(?:[(（]?\d{1,2}[)）.、]|[(（][一二三四五六七八九十]+[)）])", "", title)
    return title[:80] or cand.quote[:80]


def _rule(cand: Candidate, rule_id: str, indicator: str, label: str) -> dict[str, Any]:
    reviews = list(cand.reviews)
    scope, scope_review = _scope(cand)
    if scope_review:
        reviews.append(scope_review)
    rule: dict[str, Any] = {"id": rule_id, "title": _title(cand), "indicator": indicator, "kind": cand.kind}
    if cand.kind == "completed_by":
        rule["deadline"] = cand.deadline
    else:
        rule["target"] = int(cand.value) if cand.value == int(cand.value) else cand.value
        rule["unit"] = cand.unit
    if cand.exclusive:
        rule["exclusive"] = True
    if cand.mode:
        rule["mode"] = cand.mode
    if cand.comparator:
        rule["comparator"] = cand.comparator
    if cand.target_year:
        rule["target_year"] = cand.target_year
    if cand.base_year:
        rule["base_year"] = cand.base_year
    rule["strength"] = cand.strength
    rule["scope"] = scope
    rule["source"] = {"section": cand.sentence.section + (f" / {cand.sentence.box}" if cand.sentence.box else ""),
                      "quote": cand.quote}
    if not label:
        reviews.append(f"indicator: nothing in the catalogue matches “{cand.subject or cand.clause}”; "
                       f"a new entry {indicator} is proposed (see the companion .indicators.yaml)")
    if reviews:
        rule["review"] = reviews
    return rule


def _key(rule: dict[str, Any]) -> tuple[Any, ...]:
    return (rule["indicator"], rule["kind"], rule.get("target"), rule.get("unit"), rule.get("target_year"),
            rule.get("exclusive", False), rule.get("deadline"))


def build(candidates: list[Candidate], cat: Catalogue, policy_id: str
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(rules, proposed indicators, notes on candidates that could not become rules)."""
    prefix = rule_prefix(policy_id)
    rules: list[dict[str, Any]] = []
    proposed: dict[str, dict[str, Any]] = {}
    seen: set[tuple[Any, ...]] = set()
    unplaced: list[str] = []
    for cand in candidates:
        found = match(cat, cand.subject, cand.clause, cand.unit, cand.kind)
        if cand.kind in ("reduction_vs_base", "increase_vs_base") and not (cand.base_year and cand.target_year):
            unplaced.append(f"{cand.value_text}{cand.unit} ({cand.kind}, no year in the text): {cand.quote}")
            continue
        rule = _rule(cand, f"{prefix}-{len(rules) + 1:03d}", found.indicator, found.label)
        if _key(rule) in seen:
            continue
        seen.add(_key(rule))
        if found.proposed:
            proposed.setdefault(found.indicator, found.proposed)
        rules.append(rule)
    return rules, list(proposed.values()), unplaced
