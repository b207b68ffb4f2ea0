"""What the drafter knows about one candidate target, and the helpers every extractor shares:
clause bounds, the target year (and the plan horizon), the strength, the subject.

**The plan horizon.** A sentence with no year still belongs to a plan with a period, when the
title names one (碳达峰 → 2021–2030, “十四五” → 2021–2025) and the text names its end year. Two
kinds of undated target are dated at that horizon, each marked ``HORIZON_REVIEW`` so the reviewer
sees that the year came from the plan and not from the sentence:

- an item of a 专栏 project box (the box lists the plan period's projects);
- any target of a single-period plan (a 十四五 plan: every target in it is a 十四五 target),
  except a standing rule (原则上…, 应按照…, and the bans and zeros the wording sets), which holds
  in every year and keeps no year.

An undated sentence in the body of a multi-milestone plan (a carbon-peak plan has 2025 and 2030
milestones) keeps no year: choosing one would be a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cbcheck.draft import wording as W
from cbcheck.draft.segment import Sentence
from cbcheck.i18n.message import Msg

_CLAUSE_BREAK = re.compile(r"[,，;；:：。]")


HORIZON_REVIEW = "year not stated in the sentence; set to the plan horizon {year}"   # draft.review.horizon, in English


@dataclass(frozen=True, slots=True)
class Horizon:
    """The plan's period, as its title and text state it."""

    start: int                      # the base year of the period (2020 for 2021–2025)
    year: int                       # its end: the horizon

    @property
    def single_period(self) -> bool:
        return self.year - self.start <= 5

    def dates(self, sentence: Sentence) -> bool:
        """Whether an undated target of this sentence is due at the horizon."""
        if sentence.in_box:
            return True
        return self.single_period and not any(w in sentence.text for w in W.STANDING)


def horizon_of(period: str | None, text: str) -> Horizon | None:
    """"2021-2030" (from the title) → Horizon(2020, 2030), if the text names the end year too."""
    m = re.fullmatch(r"(20\d\d)-(20\d\d)", period or "")
    if not m:
        return None
    start, end = int(m.group(1)) - 1, int(m.group(2))
    named = f"{end}年" in text or any(f"{k}" in text for k, (e, _) in W.PERIOD_END.items() if e == end)
    return Horizon(start, end) if named else None


@dataclass
class Candidate:
    sentence: Sentence
    quote: str
    value: float
    value_text: str
    unit: str
    kind: str                       # at_least | at_most | reduction_vs_base | increase_vs_base | growth | completed_by
    subject: str                    # the words before the verb: what the indicator is called here
    exclusive: bool = False
    mode: str | None = None
    comparator: str | None = None
    target_year: int | None = None
    base_year: int | None = None
    deadline: str | None = None
    strength: str = "binding"
    reviews: list[str] = field(default_factory=list)
    categories: dict[str, float] | None = None   # a threshold table: category → value (by_category)
    category_attribute: str = ""                  # the facility attribute the categories are values of
    upper: float | None = None      # the top of a range (5—8个)
    from_word: str | None = None    # 全覆盖 → 100, 严禁新增 → 0
    clause: str = ""                # the clause holding the number: the rule's title

    @property
    def numeric(self) -> bool:
        return self.kind != "completed_by"


def fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    m = _CLAUSE_BREAK.search(text, end)
    return left, (m.start() if m else len(text))


def years_before(text: str, pos: int) -> tuple[int | None, str | None]:
    """The target year named nearest before ``pos`` (or in the clause after it)."""
    best: tuple[int, int] | None = None
    for m in W.TARGET_YEAR.finditer(text):
        if m.start() >= pos:
            break
        before = text[max(0, m.start() - 2): m.start()]
        if (any(before.endswith(w) for w in ("比", "较", "于", "与", "同"))
                or text[m.end(): m.end() + 1] in ("的", "价")):
            continue                                    # 比2020年 is the base; 2020年的 a base value
        if int(m.group(1)) < 2021:
            continue
        best = (m.start(), int(m.group(1)))
    for m in W.PLAN_PERIOD.finditer(text, 0, pos):
        if best is None or m.start() > best[0]:
            best = (m.start(), W.PERIOD_END[m.group(1)][0])
    return (best[1], None) if best else (None, None)


def strength_of(clause_and_prefix: str, tail: str) -> tuple[str, list[str]]:
    if any(w in tail[:4] for w in W.APPROXIMATE) or clause_and_prefix.rstrip().endswith("约"):
        return "approximate", []
    if any(w in clause_and_prefix for w in W.ASPIRATIONAL[:5]):
        return "aspirational", []
    if any(w in clause_and_prefix for w in W.BINDING):
        return "binding", []
    if any(w in clause_and_prefix for w in W.ASPIRATIONAL[5:]):
        return "aspirational", [Msg("draft.review.push")]
    return "binding", []


def subject_of(text: str, left: int, start: int) -> str:
    head = text[left:start]
    head = W.TARGET_YEAR.sub("", head)
    head = W.PLAN_PERIOD.sub("", head)
    head = re.sub(r"^(?:[一二三四五六七八九十]+、|[(（]\d+[)）]|\d+[.、])", "", head)
    head = re.sub(r"(?:到|至|力争|努力|争取|确保|全市|全县|全区|当年|累计)+", "", head)
    for verb in sorted(W.TARGET_VERBS + W.AT_MOST_BEFORE, key=len, reverse=True):
        if head.endswith(verb):
            head = head[: -len(verb)]
            break
    return head.strip(" “”\"")


def date_at_horizon(cand: Candidate, horizon: Horizon | None) -> bool:
    if cand.target_year is None and horizon and horizon.dates(cand.sentence):
        cand.target_year = horizon.year
        cand.reviews.append(Msg("draft.review.horizon", year=horizon.year))
        return True
    return False


def set_year(cand: Candidate, start: int, end: int, right: int, context_years: list[int],
              horizon: Horizon | None) -> None:
    """The target year: named before the number, or after it in its clause, or in the preceding
    sentence (marked), or the plan horizon (marked); else none, marked."""
    text = cand.sentence.text
    year, _ = years_before(text, start)
    if year is None:
        m_after = W.TARGET_YEAR.search(text, end, right)
        if m_after and int(m_after.group(1)) > 2020:
            year = int(m_after.group(1))
    if year is None and context_years:
        year = context_years[-1]
        cand.reviews.append(Msg("draft.review.prev_year", year=year))
    cand.target_year = year
    if not date_at_horizon(cand, horizon) and year is None:
        cand.reviews.append(Msg("draft.review.box_no_year" if cand.sentence.in_box else "draft.review.no_year"))
