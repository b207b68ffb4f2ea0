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
from cbcheck.fidelity import strength_of_wording
from cbcheck.i18n.message import Msg

_FACILITY_WORDS = ("机组", "焦炉", "生产线", "高炉", "锅炉", "熟料", "数据中心", "企业")


def rule_prefix(policy_id: str) -> str:
    prefix = re.sub(r"[^A-Z0-9]+", "-", policy_id.upper()).strip("-")
    return prefix if prefix[:1].isalpha() else f"D{prefix}"


def _facility_type(text: str) -> str | None:
    """The facility type the sentence names (合成氨生产企业 → ammonia_plant): its longest name or alias."""
    from cbcheck.facilities import facility_catalogue

    found = [(len(label), t.id) for t in facility_catalogue().types.values()
             for label in (t.name, *t.aliases) if len(label) >= 2 and label in text]
    return max(found)[1] if found else None


def _scope(cand: Candidate) -> tuple[str, Msg | None]:
    if cand.categories:           # a table by feedstock or product is a facility threshold
        ftype = _facility_type(cand.quote[: cand.quote.find(cand.value_text)])
        where = Msg("draft.review.applies_guess", type=ftype) if ftype else Msg("draft.review.applies_add")
        return "facility", Msg("draft.review.scope_table", where=where)
    if cand.kind in ("at_most", "at_least") and any(w in cand.subject for w in _FACILITY_WORDS) \
            and cand.unit in ("克标准煤/千瓦时", "千克标准煤/吨"):
        return "facility", Msg("draft.review.scope_threshold")
    return "region", None


def _title(cand: Candidate) -> str:
    title = (cand.clause or cand.quote).strip(" ,，;；。")
    title = re.sub(r"^(?:[(（]?\d{1,2}[)）.、]|[(（][一二三四五六七八九十]+[)）])", "", title)
    return title[:80] or cand.quote[:80]


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _rule(cand: Candidate, rule_id: str, indicator: str, label: str) -> dict[str, Any]:
    reviews = list(cand.reviews)
    scope, scope_review = _scope(cand)
    if scope_review:
        reviews.append(scope_review)
    rule: dict[str, Any] = {"id": rule_id, "title": _title(cand), "indicator": indicator, "kind": cand.kind}
    if cand.kind == "completed_by":
        rule["deadline"] = cand.deadline
    elif cand.categories:
        rule["by_category"] = {"attribute": cand.category_attribute,
                               "targets": {k: _number(v) for k, v in cand.categories.items()}}
        rule["unit"] = cand.unit
    else:
        rule["target"] = _number(cand.value)
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
    allowed = strength_of_wording(cand.quote)
    if cand.strength not in allowed:   # 全面/全部 qualifies the object while 力争/左右 governs the target
        rule["strength_reason"] = Msg("draft.strength_reason", strength=cand.strength,
                                      allowed=Msg.either(sorted(allowed)))
        reviews.append(Msg("draft.review.strength_both", strength=cand.strength, allowed=Msg.either(sorted(allowed))))
    rule["scope"] = scope
    if cand.categories and (ftype := _facility_type(cand.quote[: cand.quote.find(cand.value_text)])):
        rule["applies_to"] = {"facility_type": ftype}
    rule["source"] = {"section": cand.sentence.section + (f" / {cand.sentence.box}" if cand.sentence.box else ""),
                      "quote": cand.quote}
    if not label:
        reviews.append(Msg("draft.review.new_indicator", subject=cand.subject or cand.clause, indicator=indicator))
    if reviews:
        rule["review"] = reviews
    return rule


def _key(rule: dict[str, Any]) -> tuple[Any, ...]:
    table = tuple(sorted((rule.get("by_category") or {}).get("targets", {}).items()))
    return (rule["indicator"], rule["kind"], rule.get("target"), table, rule.get("unit"), rule.get("target_year"),
            rule.get("exclusive", False), rule.get("deadline"))


def build(candidates: list[Candidate], cat: Catalogue, policy_id: str
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Msg]]:
    """(rules, proposed indicators, notes on candidates that could not become rules)."""
    prefix = rule_prefix(policy_id)
    rules: list[dict[str, Any]] = []
    proposed: dict[str, dict[str, Any]] = {}
    seen: set[tuple[Any, ...]] = set()
    unplaced: list[Msg] = []
    for cand in candidates:
        found = match(cat, cand.subject, cand.clause, cand.unit, cand.kind)
        if cand.kind in ("reduction_vs_base", "increase_vs_base") and not (cand.base_year and cand.target_year):
            unplaced.append(Msg("draft.note.unplaced_item", value=cand.value_text, unit=cand.unit, kind=cand.kind,
                                quote=cand.quote))
            continue
        rule = _rule(cand, f"{prefix}-{len(rules) + 1:03d}", found.indicator, found.label)
        if _key(rule) in seen:
            continue
        seen.add(_key(rule))
        if found.proposed:
            proposed.setdefault(found.indicator, found.proposed)
        rules.append(rule)
    return rules, list(proposed.values()), unplaced
