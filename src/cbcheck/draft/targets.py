"""Sentences → candidate targets: number, unit, comparator, years, strength, quote.

Each number with a unit is a candidate when its clause makes it a target (a verb such as
达到/降至/累计下降 before it, a bound such as 以上/以下/左右 after it, or a 专栏 project box
around it). Numbers that only qualify a facility (30万千瓦以下抽凝机组, 超300克…的机组) and
base values (由X提高到Y) are not targets. Every guess the text does not settle is written to
``reviews`` for a human, and nothing is taken from outside the sentence except a year, which
is then marked for review.

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

import calendar
import re
from dataclasses import dataclass, field

from cbcheck.draft import wording as W
from cbcheck.draft.segment import Sentence

_CLAUSE_BREAK = re.compile(r"[,，;；:：。]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


HORIZON_REVIEW = "year not stated in the sentence; set to the plan horizon {year}"


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


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    m = _CLAUSE_BREAK.search(text, end)
    return left, (m.start() if m else len(text))


def _years_before(text: str, pos: int) -> tuple[int | None, str | None]:
    """The target year named nearest before ``pos`` (or in the clause after it)."""
    best: tuple[int, int] | None = None
    for m in W.TARGET_YEAR.finditer(text):
        if m.start() >= pos:
            break
        before = text[max(0, m.start() - 2): m.start()]
        if any(before.endswith(w) for w in ("比", "较", "于", "与", "同")) or text[m.end(): m.end() + 1] in ("的", "价"):
            continue                                    # 比2020年 is the base; 2020年的 a base value
        if int(m.group(1)) < 2021:
            continue
        best = (m.start(), int(m.group(1)))
    for m in W.PLAN_PERIOD.finditer(text, 0, pos):
        if best is None or m.start() > best[0]:
            best = (m.start(), W.PERIOD_END[m.group(1)][0])
    return (best[1], None) if best else (None, None)


def _base_year(text: str, start: int, end: int) -> int | None:
    m = None
    for m in W.BASE_YEAR.finditer(text, 0, end):
        pass
    return int(m.group(1)) if m else None


def _is_qualifier(text: str, end: int) -> bool:
    """30万千瓦以下抽凝机组, 2500吨/日及以下的生产线, 超300克…的机组: the number picks facilities."""
    tail = text[end:end + 6]
    bound = re.match(r"(?:及以上|及以下|以上|以下|以内)", tail)
    rest = tail[bound.end():] if bound else tail
    if rest.startswith("的"):
        return True
    if bound and rest and _HAN.match(rest[0]) and not rest.startswith(("左右", "目标", "水平", "要求")):
        return True
    return False


def _is_base_value(text: str, start: int, end: int, left: int) -> bool:
    """由2020年的X提高到Y: X is where the plan starts, not a target."""
    after = text[end:end + 8]
    if re.match(r"(?:[^,，。；0-9]{0,3})(?:提高|提升|增加|增长|下降|降低|减少|降|压减)(?:到|至)", after):
        return True
    return bool(re.search(r"(?:由|从)[^,，。；]{0,12}$", text[left:start]))


def _strength(clause_and_prefix: str, tail: str) -> tuple[str, list[str]]:
    if any(w in tail[:4] for w in W.APPROXIMATE) or clause_and_prefix.rstrip().endswith("约"):
        return "approximate", []
    if any(w in clause_and_prefix for w in W.ASPIRATIONAL[:5]):
        return "aspirational", []
    if any(w in clause_and_prefix for w in W.BINDING):
        return "binding", []
    if any(w in clause_and_prefix for w in W.ASPIRATIONAL[5:]):
        return "aspirational", ["strength: 推动 reads as aspirational; binding if the city means it as a must"]
    return "binding", []


def _subject(text: str, left: int, start: int) -> str:
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


def _date_at_horizon(cand: Candidate, horizon: Horizon | None) -> bool:
    if cand.target_year is None and horizon and horizon.dates(cand.sentence):
        cand.target_year = horizon.year
        cand.reviews.append(HORIZON_REVIEW.format(year=horizon.year))
        return True
    return False


def _set_year(cand: Candidate, start: int, end: int, right: int, context_years: list[int],
              horizon: Horizon | None) -> None:
    """The target year: named before the number, or after it in its clause, or in the preceding
    sentence (marked), or the plan horizon (marked); else none, marked."""
    text = cand.sentence.text
    year, _ = _years_before(text, start)
    if year is None:
        m_after = W.TARGET_YEAR.search(text, end, right)
        if m_after and int(m_after.group(1)) > 2020:
            year = int(m_after.group(1))
    if year is None and context_years:
        year = context_years[-1]
        cand.reviews.append(f"target year {year} taken from the preceding sentence")
    cand.target_year = year
    if not _date_at_horizon(cand, horizon) and year is None:
        cand.reviews.append("专栏 project with no year: give the year it is due" if cand.sentence.in_box
                            else "no target year in the sentence")


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
        left, right = _clause_bounds(text, start, end)
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
        cand = Candidate(sentence, text, float(first.group(1)), m.group(0), unit, "at_least",
                         _subject(text, left, start), clause=text[left:right], categories=table)
        near = before[-8:]
        if tail.startswith(W.AT_MOST_AFTER) or any(v in near for v in W.AT_MOST_BEFORE):
            cand.kind = "at_most"
        cand.category_attribute = "feedstock" if made_from else "product"
        cand.reviews.append(f"unit {unit} is written once, after the last number; applied to every category")
        cand.reviews.append(f"by_category.attribute: “{cand.category_attribute}” guessed from "
                            + ("“…制” (made from): the feedstock" if made_from else "the category names")
                            + "; name the facility column that holds "
                            + "/".join(cand.categories))
        _set_year(cand, start, end, right, context_years, horizon)
        cand.strength, extra = _strength(text[:start], tail)
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
        left, right = _clause_bounds(text, start, end)
        before = text[left:start]
        tail = text[end:right]
        if _is_qualifier(text, end) or _is_base_value(text, start, end, left):
            continue
        has_verb = any(v in before for v in W.TARGET_VERBS) or before.rstrip().endswith(("约",))
        has_bound = tail.startswith(W.AT_LEAST_AFTER + W.AT_MOST_AFTER + W.APPROXIMATE)
        if not (has_verb or has_bound or sentence.in_box):
            continue
        unit = W.UNIT_SPELLING.get(m.group(3), m.group(3))
        value = float(m.group(1))
        cand = Candidate(sentence, text, value, m.group(1), unit, "at_least", _subject(text, left, start),
                         clause=text[left:right])
        if m.group(2):
            cand.upper = float(m.group(2))
            cand.reviews.append(f"range {m.group(1)}–{m.group(2)}: drafted as at least {m.group(1)}")
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
        _set_year(cand, start, end, right, context_years, horizon)
        if cand.kind in ("reduction_vs_base", "increase_vs_base", "growth"):
            period = W.PLAN_PERIOD.search(sentence_before)
            if base:
                cand.base_year = base
            elif period:
                cand.base_year = W.PERIOD_END[period.group(1)][1]
                cand.reviews.append(f"base year {cand.base_year} from “{period.group(1)}” (the period's start)")
            elif horizon and horizon.single_period and cand.target_year == horizon.year:
                cand.base_year = horizon.start
                cand.reviews.append(f"no base year in the sentence: {horizon.start}, the start of the plan's period")
            elif cand.target_year:
                cand.base_year = 2020 if cand.target_year in (2025, 2030) else None
                if cand.base_year:
                    cand.reviews.append("no base year in the sentence: 2020 assumed (the 十四五 base); check it")
        cand.strength, extra = _strength(text[:start], tail)
        cand.reviews += extra
        if cand.upper is not None and cand.strength == "binding":
            pass
        out.append(cand)
    return out


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
        left, _ = _clause_bounds(text, m.start(), m.end())
        if unit is None:
            unit = "家" if "企业" in text[left:m.end()] else "个"
        kind = "at_most" if value == 0 else "at_least"
        cand = Candidate(sentence, text, value, m.group(0), unit, kind, _subject(text, left, m.start()),
                         from_word=m.group(0), clause=text[left:_clause_bounds(text, m.start(), m.end())[1]])
        year, _ = _years_before(text, m.start())
        cand.target_year = year
        if year is None and context_years:
            cand.target_year = context_years[-1]
            cand.reviews.append(f"target year {cand.target_year} taken from the preceding sentence")
        if value:                                   # a ban or a zero holds in every year: no horizon
            _date_at_horizon(cand, horizon)
        cand.reviews.append(f"{_fmt(value)} {unit} read from the wording “{m.group(0)}”: check the indicator and unit")
        cand.strength = "binding"
        out.append(cand)
        break
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
        left, right = _clause_bounds(text, m.start(), m.end())
        action = text[m.end():right] or text[left:m.start()]
        cand = Candidate(sentence, text, 0.0, "", "", "completed_by", action.strip(" ,，"),
                         clause=text[left:right])
        cand.target_year, cand.deadline = year, f"{year}-{month:02d}-{day:02d}"
        cand.strength, _ = _strength(text[:m.start()], "")
        cand.reviews.append("a dated action: name the indicator a county reports its completion date under")
        out.append(cand)
    return out


def candidates(sentences: list[Sentence], horizon: Horizon | None = None) -> list[Candidate]:
    """All candidates of the plan, in text order; a year carries to the next sentences of the
    same paragraph (到2025年，…。A达到X), marked for review; what is still undated may be due at
    the plan ``horizon`` (see the module docstring)."""
    out: list[Candidate] = []
    context: list[int] = []
    paragraph = -1
    for sent in sentences:
        if sent.paragraph != paragraph:
            paragraph, context = sent.paragraph, []
        found = (category_tables(sent, context, horizon) + mentions(sent, context, horizon)
                 + word_targets(sent, context, horizon) + deadlines(sent))
        out += found
        year, _ = _years_before(sent.text, len(sent.text))
        if year:
            context = [year]
    return out
