"""Targets the wording sets without a digit, and dated actions.

- 全覆盖 / 全部实施 → 100 %; 严禁新增…产能 / 清零 / 全面取缔 → 0 (:func:`word_targets`);
- 消除劣V类断面和…黑臭水体 → 0 of each countable thing eliminated (:func:`eliminations`);
- X年X月底前 / X年底前 → completed_by (:func:`deadlines`).

A ban or a zero holds in every year: it takes a year only from its sentence (or the one before),
never from the plan horizon.
"""

from __future__ import annotations

import calendar
import re

from cbcheck.draft import wording as W
from cbcheck.draft.candidate import (Candidate, Horizon, clause_bounds, date_at_horizon, fmt, strength_of,
                                     subject_of, years_before)
from cbcheck.draft.segment import Sentence
from cbcheck.i18n.message import Msg


def word_targets(sentence: Sentence, context_years: list[int], horizon: Horizon | None = None) -> list[Candidate]:
    """全覆盖 / 全部实施 → 100 %, 严禁新增…产能 / 清零 → 0: targets the wording table sets without a digit."""
    text = sentence.text
    out: list[Candidate] = []
    if W.MENTION.search(text) and "100%" in text:
        return out
    for pattern, value, unit in W.WORD_TARGETS:
        m = pattern.search(text)
        if not m:
            continue
        left, right = clause_bounds(text, m.start(), m.end())
        if W.MENTION.search(text, m.end(), right):
            continue                  # 全部达到75%节能要求: all reach the number, not 100 %
        if unit is None:              # what is zeroed: enterprises, coal (a mass), else things counted
            unit = "家" if "企业" in text[left:m.end()] else "万吨" if "煤" in text[left:m.start()] else "个"
        kind = "at_most" if value == 0 else "at_least"
        cand = Candidate(sentence, text, value, m.group(0), unit, kind, subject_of(text, left, m.start()),
                         from_word=m.group(0), clause=text[left:clause_bounds(text, m.start(), m.end())[1]])
        year, _ = years_before(text, m.start())
        cand.target_year = year
        if year is None and context_years:
            cand.target_year = context_years[-1]
            cand.reviews.append(Msg("draft.review.prev_year", year=cand.target_year))
        if value:                                   # a ban or a zero holds in every year: no horizon
            date_at_horizon(cand, horizon)
        cand.reviews.append(Msg("draft.review.word_value", value=fmt(value), unit=unit, word=m.group(0)))
        cand.strength = "binding"
        out.append(cand)
        break
    return out


def eliminations(sentence: Sentence, context_years: list[int]) -> list[Candidate]:
    """全境消除劣V类断面和县级及以上城市建成区黑臭水体: 0 of each countable thing eliminated, one
    candidate each. 基本消除 (largely eliminate) and 消除…空白区 (nothing to count) are not zeros."""
    text = sentence.text
    out: list[Candidate] = []
    for m in W.ELIMINATE.finditer(text):
        left, right = clause_bounds(text, m.start(), m.end())
        pos = m.end()
        for part in re.split(r"(和|、)", text[m.end():right]):
            start, pos = pos, pos + len(part)
            obj = part.strip()
            if not obj.endswith(W.COUNTABLE_ELIMINATED):
                continue
            unit = "家" if obj.endswith("企业") else "个"
            cand = Candidate(sentence, text, 0.0, "消除", unit, "at_most", obj, from_word="消除",
                             clause=text[left:right])
            year, _ = years_before(text, m.start())
            if year is None and context_years:
                year = context_years[-1]
                cand.reviews.append(Msg("draft.review.prev_year", year=year))
            cand.target_year = year
            cand.reviews.append(Msg("draft.review.eliminate", unit=unit, object=obj))
            cand.strength, _ = strength_of(text[:start], "")
            out.append(cand)
    return out


def deadlines(sentence: Sentence) -> list[Candidate]:
    """X年X月底前 / X年底前: a dated action (completed_by)."""
    text = sentence.text
    out = []
    for m in W.DEADLINE.finditer(text):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else 12
        if not 1 <= month <= 12:
            continue
        day = calendar.monthrange(year, month)[1]
        left, right = clause_bounds(text, m.start(), m.end())
        action = text[m.end():right] or text[left:m.start()]
        cand = Candidate(sentence, text, 0.0, "", "", "completed_by", action.strip(" ,，"),
                         clause=text[left:right])
        cand.target_year, cand.deadline = year, f"{year}-{month:02d}-{day:02d}"
        cand.strength, _ = strength_of(text[:m.start()], "")
        cand.reviews.append(Msg("draft.review.dated_action"))
        out.append(cand)
    return out
