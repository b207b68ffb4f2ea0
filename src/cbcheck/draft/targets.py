"""Sentences → candidate targets: number, unit, comparator, years, strength, quote.

Each number with a unit is a candidate when its clause makes it a target (a verb such as
达到/降至/累计下降 before it, a bound such as 以上/以下/左右 after it, a share followed by the
things that reach a standard (90%大型矿山达到…), or a 专栏 project box around it). Numbers that only
qualify a facility (30万千瓦以下抽凝机组, 超300克…的机组), name a standard or a policy
(75%节能设计标准) and base values (由X提高到Y) are not targets. A table of thresholds by category
is one candidate (:func:`category_tables`). Targets the wording sets without a digit and dated
actions are in :mod:`.words`. Every guess the text does not settle is written to ``reviews``
for a human, and nothing is taken from outside the sentence except a year, which is then marked
for review (see :mod:`.candidate` for the plan horizon).
"""

from __future__ import annotations

import re

from cbcheck.draft import words
from cbcheck.draft import wording as W
from cbcheck.draft.candidate import (HORIZON_REVIEW, Candidate, Horizon, clause_bounds, horizon_of, set_year,
                                     strength_of, subject_of, years_before)
from cbcheck.draft.segment import Sentence
from cbcheck.i18n.message import Msg

__all__ = ["HORIZON_REVIEW", "Candidate", "Horizon", "candidates", "category_tables", "horizon_of", "mentions"]

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _base_year(text: str, start: int, end: int) -> int | None:
    matches = list(W.BASE_YEAR.finditer(text, 0, end))
    return int(matches[-1].group(1)) if matches else None


def _is_qualifier(text: str, end: int) -> bool:
    """30万千瓦以下抽凝机组, 2500吨/日及以下的生产线, 超300克…的机组: the number picks facilities."""
    tail = text[end:end + 6]
    bound = re.match(r"(?:及以上|及以下|以上|以下|以内)", tail)
    rest = tail[bound.end():] if bound else tail
    if rest.startswith("的"):
        return True
    if re.match(r"[\u4e00-\u9fff]{0,6}(?:标准|政策)(?:[,，;；。、]|$)", tail if not bound else rest):
        return True                                  # 75%节能设计标准, 即征即退50%政策: a name, not a target
    if bound and rest and _HAN.match(rest[0]) and not rest.startswith(("左右", "目标", "水平", "要求")):
        return True
    return False


def _share_reaching(unit: str, tail: str) -> bool:
    """90%大型矿山、80%中型矿山达到绿色矿山标准, 水质92%达到或优于Ⅲ类: no verb before the share, the
    verb after it, in the same clause: the share of things that reach a standard."""
    return unit == "%" and bool(re.match(r"[^,，;；。]{0,16}?(?:" + "|".join(W.REACH_AFTER) + ")", tail))


def _is_base_value(text: str, start: int, end: int, left: int) -> bool:
    """由2020年的X提高到Y: X is where the plan starts, not a target."""
    after = text[end:end + 8]
    if re.match(r"(?:[^,，。；0-9]{0,3})(?:提高|提升|增加|增长|下降|降低|减少|降|压减)(?:到|至)", after):
        return True
    return bool(re.search(r"(?:由|从)[^,，。；]{0,12}$", text[left:start]))


def category_tables(sentence: Sentence, context_years: list[int], horizon: Horizon | None = None
                    ) -> list[Candidate]:
    """分别降到1150(优质无烟块煤制)、1320(非优质无烟块煤、型煤制)…千克标准煤/吨以下: one threshold
    per category, the unit written once after the last number. One candidate with ``categories``
    (a policy's ``by_category``); a category naming two things (非优质无烟块煤、型煤制) gives each
    the same number."""
    text = sentence.text
    out: list[Candidate] = []
    for m in W.CATEGORY_TABLE.finditer(text):
        start, end = m.start(), m.end()
        left, right = clause_bounds(text, start, end)
        before, tail = text[left:start], text[end:right]
        unit = W.UNIT_SPELLING.get(m.group("unit"), m.group("unit"))
        table: dict[str, float] = {}
        items = list(W.CATEGORY_ITEM.finditer(m.group(0)))
        made_from = all(item.group(2).endswith("制") for item in items)     # X制: made from X
        for item in items:
            names = item.group(2)[:-1] if made_from else item.group(2)
            for name in re.split(r"[、,，]|和|及", names):
                if name.strip():
                    table.setdefault(name.strip(), float(item.group(1)))
        if len(table) < 2:
            continue
        first = W.CATEGORY_ITEM.match(m.group(0))
        assert first is not None      # the table's pattern starts with an item
        cand = Candidate(sentence, text, float(first.group(1)), m.group(0), unit, "at_least",
                         subject_of(text, left, start), clause=text[left:right], categories=table)
        near = before[-8:]
        if tail.startswith(W.AT_MOST_AFTER) or any(v in near for v in W.AT_MOST_BEFORE):
            cand.kind = "at_most"
        cand.category_attribute = "feedstock" if made_from else "product"
        cand.reviews.append(Msg("draft.review.unit_once", unit=unit))
        cand.reviews.append(Msg("draft.review.category_attribute", attribute=cand.category_attribute,
                                source=Msg("draft.review.category_from_made" if made_from
                                           else "draft.review.category_from_names"),
                                categories="/".join(cand.categories or {})))
        set_year(cand, start, end, right, context_years, horizon)
        cand.strength, extra = strength_of(text[:start], tail)
        cand.reviews += extra
        out.append(cand)
    return out


def mentions(sentence: Sentence, context_years: list[int], horizon: Horizon | None = None) -> list[Candidate]:
    """The numeric target candidates of one sentence."""
    text = sentence.text
    out: list[Candidate] = []
    for m in W.MENTION.finditer(text):
        start, end = m.start(), m.end()
        if start and (text[start - 1].isascii() and text[start - 1].isalnum() or text[start - 1] in ".．"):
            continue                                     # 5G, V类, 1.1 inside another number
        left, right = clause_bounds(text, start, end)
        before = text[left:start]
        tail = text[end:right]
        if _is_qualifier(text, end) or _is_base_value(text, start, end, left):
            continue
        has_verb = any(v in before for v in W.TARGET_VERBS) or before.rstrip().endswith(("约",))
        has_bound = tail.startswith(W.AT_LEAST_AFTER + W.AT_MOST_AFTER + W.APPROXIMATE)
        unit = W.UNIT_SPELLING.get(m.group(3), m.group(3))
        if not (has_verb or has_bound or sentence.in_box or _share_reaching(unit, tail)):
            continue
        value = float(m.group(1))
        cand = Candidate(sentence, text, value, m.group(1), unit, "at_least", subject_of(text, left, start),
                         clause=text[left:right])
        if unit in ("万吨", "吨") and (any(w in before for w in W.CAPACITY_WORDS) or "项目" in tail):
            cand.unit = unit = unit + "/年"
            cand.reviews.append(Msg("draft.review.capacity", written=f"{m.group(1)}{m.group(3)}", unit=unit))
        if m.group(2):
            cand.upper = float(m.group(2))
            cand.reviews.append(Msg("draft.review.range", low=m.group(1), high=m.group(2)))
        # comparator and kind
        sentence_before = text[:start]
        base = _base_year(text, start, end)
        near = before[-8:]
        if W.GROWTH.search(before):
            cand.kind, cand.mode, cand.comparator = "growth", "cagr", "at_least"
        elif any(v in near for v in W.REDUCTION_VERBS) and not any(v in near for v in W.AT_MOST_BEFORE) \
                and unit in ("%", "个百分点"):
            cand.kind = "reduction_vs_base"
        elif any(v in near for v in W.INCREASE_VERBS) and not re.search(r"(?:到|至)$", near) \
                and unit in ("%", "个百分点") and (base or unit == "个百分点" or (horizon and horizon.single_period)):
            cand.kind = "increase_vs_base"
        elif tail.startswith(W.AT_MOST_AFTER) or (
                any(v in near for v in W.AT_MOST_BEFORE) and not any(v in near for v in W.AT_LEAST_BEFORE)):
            cand.kind = "at_most"
        if cand.kind in ("reduction_vs_base", "increase_vs_base"):
            cand.mode = "points" if unit == "个百分点" else "percent" if cand.kind == "increase_vs_base" else None
        if any(near.endswith(w) for w in W.EXCLUSIVE_BEFORE) and not near.endswith(("不超过", "不高于", "不低于")):
            cand.exclusive = True
        set_year(cand, start, end, right, context_years, horizon)
        if cand.kind in ("reduction_vs_base", "increase_vs_base", "growth"):
            period = W.PLAN_PERIOD.search(sentence_before)
            if base:
                cand.base_year = base
            elif period:
                cand.base_year = W.PERIOD_END[period.group(1)][1]
                cand.reviews.append(Msg("draft.review.base_named", year=cand.base_year, period=period.group(1)))
            elif horizon and horizon.single_period and cand.target_year == horizon.year:
                cand.base_year = horizon.start
                cand.reviews.append(Msg("draft.review.base_period", year=horizon.start))
            elif cand.target_year:
                cand.base_year = 2020 if cand.target_year in (2025, 2030) else None
                if cand.base_year:
                    cand.reviews.append(Msg("draft.review.base_2020"))
        cand.strength, extra = strength_of(text[:start], tail)
        cand.reviews += extra
        if cand.upper is not None and cand.strength == "binding":
            pass
        out.append(cand)
    return out


def candidates(sentences: list[Sentence], horizon: Horizon | None = None) -> list[Candidate]:
    """All candidates of the plan, in text order; a year carries to the next sentences of the
    same paragraph and section (到2025年，…。A达到X), marked for review; what is still undated may
    be due at the plan ``horizon`` (see :mod:`.candidate`). The section bounds the carry where a
    paragraph does not: a plan scraped as one long line is one paragraph."""
    out: list[Candidate] = []
    context: list[int] = []
    where: tuple[int, str] = (-1, "")
    for sent in sentences:
        if (sent.paragraph, sent.section) != where:
            where, context = (sent.paragraph, sent.section), []
        found = (category_tables(sent, context, horizon) + mentions(sent, context, horizon)
                 + words.word_targets(sent, context, horizon) + words.eliminations(sent, context)
                 + words.deadlines(sent))
        out += found
        year, _ = years_before(sent.text, len(sent.text))
        if year:
            context = [year]
    return out
