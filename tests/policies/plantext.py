"""What a rule says against the plan text it quotes: the checks behind test_rule_fidelity.py.

Each check takes one rule (the raw YAML mapping) and the plan, and returns problems as strings, so
the checks themselves are tested on small invented rules (test_rule_fidelity.py) before they judge
the bundled policies. A reading that departs from the word tables is accepted when the rule's
notes decide it, naming the field (``max_exclusive``) or the number it reads (policies/AUDIT.md).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

from cbcheck.coverage import normalise

_CN = "一二三四五六七八九十"
# Section markers as the plans number them: 三、 / (一) / 1. / 专栏1 / 一是 (运城's sub-items).
_MARK = re.compile(rf"([{_CN}]+)、|\(([{_CN}]+)\)|(?<![\d.])(\d+)\.(?!\d)|专栏(\d+)|([{_CN}])是")


def _cn_int(s: str) -> int:
    if "十" not in s:
        return _CN.index(s) + 1
    tens, _, units = s.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(units) + 1 if units else 0)


def _int_cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[units - 1] if units else "")


@dataclass(frozen=True)
class _Heading:
    number: int
    title: str
    style: str      # 、 () . 专栏 是

    def marker(self, n: int | None = None) -> str:
        n = self.number if n is None else n
        return {"、": f"{_int_cn(n)}、", "()": f"({_int_cn(n)})", ".": f"{n}.", "专栏": f"专栏{n}",
                "是": f"{_int_cn(n)}是"}[self.style]


def headings(section: str) -> list[_Heading]:
    """The cited section's headings, outermost first: 三、(一) 2. 大力发展光伏发电 → 三、 / (一) / 2.大力发展…"""
    text = normalise(section)
    marks = list(_MARK.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        # 银川 cites sub-paragraphs as "1. 推动…(实施重点行业清洁生产)": the bracket is no heading text.
        title = re.sub(r"\([^()]*\)$", "", text[m.end():end])
        style, number = next((s, g) for s, g in zip(("、", "()", ".", "专栏", "是"), m.groups(), strict=True) if g)
        out.append(_Heading(int(number) if number.isdigit() else _cn_int(number), title, style))
    return out


def section_span(plan: str, section: str) -> tuple[int, int] | str:
    """Where the cited section runs in the normalised plan: from its last heading to the next
    heading of any cited level (三、 ends at 四、, (一) at (二) …). A heading that cannot be found
    is the problem string."""
    start, ends = 0, []
    for h in headings(section):
        pos = plan.find(h.marker() + h.title, start)
        if pos < 0:
            return f"heading {h.marker() + h.title!r} not found in the plan after offset {start}"
        start = pos + 1
        nxt = plan.find(h.marker(h.number + 1), start)
        if nxt >= 0:
            ends.append(nxt)
    return start, min(ends, default=len(plan))


def section_problems(rule: dict[str, Any], plan: str) -> list[str]:
    span = section_span(plan, rule["source"]["section"])
    if isinstance(span, str):
        return [span]
    quote = normalise(rule["source"]["quote"])
    at = [m.start() for m in re.finditer(re.escape(quote), plan)]
    if any(span[0] <= a < span[1] for a in at):
        return []
    return [f"the quote is not under {rule['source']['section']!r} (quote at {at}, section {span[0]}–{span[1]})"]


def sentence(plan: str, quote: str) -> str:
    """The plan sentence(s) holding the quote (from the 。 before it to the 。 after it)."""
    q = normalise(quote)
    i = plan.find(q)
    if i < 0:
        return q
    start = plan.rfind("。", 0, i) + 1
    end = plan.find("。", i + len(q))
    return plan[start:end + 1 if end >= 0 else len(plan)]


# ------------------------------------------------------------------ years
_PERIODS = {"十四五": (2020, 2025), "十五五": (2025, 2030), "十六五": (2030, 2035)}
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
CHANGE_KINDS = ("reduction_vs_base", "increase_vs_base", "growth")


def years_in(text: str) -> set[int]:
    """The years a text states: written out, or as the ends of a five-year period (十四五 → 2020, 2025)."""
    years = {int(y) for y in _YEAR.findall(text)}
    for word, ends in _PERIODS.items():
        if word in text:
            years.update(ends)
    return years


def year_problems(rule: dict[str, Any], plan: str, period: str) -> list[str]:
    """Each year the rule judges by is stated: in its quote or the quote's sentence, in its notes
    (a decision), or it is the plan's horizon (the end of the policy's period; the start year − 1
    for a change's base)."""
    first, _, last = period.partition("-")
    stated = years_in(normalise(rule["source"]["quote"])) | years_in(sentence(plan, rule["source"]["quote"]))
    stated |= years_in(rule.get("notes") or "")
    wanted = []
    if rule.get("target_year"):
        wanted.append(("target_year", rule["target_year"], {int(last)}))
    if rule.get("deadline"):
        wanted.append(("deadline", int(str(rule["deadline"])[:4]), {int(last)}))
    if rule.get("base_year") and rule.get("kind") in CHANGE_KINDS:
        wanted.append(("base_year", rule["base_year"], {int(first) - 1}))
    return [f"{field} {year} is stated neither in the quote's sentence nor in the notes"
            for field, year, horizon in wanted if year not in stated | horizon]


# ------------------------------------------------------------------ dates
_DATE = re.compile(r"(20\d\d)年(?:(\d{1,2})月)?(上旬|中旬|下旬|底|末)?")
_ANNUAL = re.compile(r"每年(\d{1,2})月(上旬|中旬|下旬|底|末)?前")
_PART_DAY = {"上旬": 10, "中旬": 20}


def _day(year: int, month: int, part: str | None) -> int:
    return _PART_DAY.get(part or "", calendar.monthrange(year, month)[1])


def deadline_problems(rule: dict[str, Any]) -> list[str]:
    """A deadline is the date its quote writes: 2023年10月底前 → 2023-10-31, 2025年 → 2025-12-31,
    每年11月中旬前 → annual 11-20."""
    quote = normalise(rule["source"]["quote"])
    out = []
    if rule.get("deadline"):
        year, month, day = (int(x) for x in str(rule["deadline"]).split("-"))
        written = [m for m in _DATE.finditer(quote) if int(m.group(1)) == year]
        expected = {(int(m.group(2) or 12), _day(year, int(m.group(2) or 12), m.group(3))) for m in written}
        if written and (month, day) not in expected:
            shown = ", ".join(f"{year}-{m:02d}-{d:02d}" for m, d in sorted(expected))
            out.append(f"deadline {rule['deadline']} but the quote writes {shown}")
        # A year the quote does not write (a 专栏 project, the plan horizon) ends on 31 December
        # unless the notes decide another day.
        if not written and (month, day) != (12, 31) and str(rule["deadline"]) not in (rule.get("notes") or ""):
            out.append(f"deadline {rule['deadline']}: the quote writes no date, so the year's end {year}-12-31")
    if rule.get("annual_deadline"):
        month, day = (int(x) for x in str(rule["annual_deadline"]).split("-"))
        written = list(_ANNUAL.finditer(quote))
        expected = {(int(m.group(1)), _day(2001, int(m.group(1)), m.group(2))) for m in written}
        if not written:
            out.append(f"annual_deadline {rule['annual_deadline']} but the quote writes no 每年…月…前")
        elif (month, day) not in expected:
            out.append(f"annual_deadline {rule['annual_deadline']} but the quote writes "
                       + ", ".join(f"{m:02d}-{d:02d}" for m, d in sorted(expected)))
    return out


# ------------------------------------------------------------------ base year
_BASE = re.compile(r"[比较](20\d\d)年")
_YOY = re.compile(r"比上年|较上年|同比")


def base_problems(rule: dict[str, Any]) -> list[str]:
    """比2020年 sets the base year; 比上年 is a year-on-year rate, never a cumulative reduction."""
    quote = normalise(rule["source"]["quote"])
    bases = {int(y) for y in _BASE.findall(quote)}
    out = []
    if bases and rule.get("kind") in CHANGE_KINDS and rule.get("base_year") not in bases:
        out.append(f"base_year {rule.get('base_year')} but the quote compares with {sorted(bases)}")
    if _YOY.search(quote) and rule.get("kind") in ("reduction_vs_base", "increase_vs_base"):
        out.append("the quote sets a year-on-year rate (比上年): not a change against a base year")
    return out


# ------------------------------------------------------------------ comparison words
# DOMAIN §3: 以上、以下、以内 include the number; 超过、突破、高于、低于、不足 exclude it.
_SUFFIX = re.compile(r"(级以下|及以上|及以下|以上|以下|以内)")
_PREFIX = ("不低于", "不高于", "不超过", "不少于", "降低到", "超过", "突破", "高于", "低于", "降至", "降到",
           "控制在", "减少至", "不足", "超")
_AT_LEAST = {"以上", "及以上", "不低于", "不少于", "超过", "突破", "高于", "超"}
_AT_MOST = {"以下", "及以下", "级以下", "以内", "不高于", "不超过", "低于", "降至", "降到", "降低到", "控制在",
            "减少至", "不足"}
# 30万千瓦级以下: below the 300 MW class, the class itself excluded.
_EXCLUSIVE = {"超过", "突破", "高于", "低于", "不足", "超", "级以下"}
_INCLUSIVE = {"以上", "以下", "以内", "及以上", "及以下", "不低于", "不高于", "不超过", "不少于"}
# The unit between a number and its word; 省级以上 after 10家 is a rank, not the number's bound.
_UNIT_GAP = r"[^\d,、;。()省市县区]{0,14}?"


def _number(value: float) -> str:
    return f"(?<![\\d.]){re.escape(f'{value:g}')}(?![\\d.])"


def comparison_words(quote: str, value: float) -> set[str]:
    """The words the quote binds to a number: 295克标准煤/千瓦时以下 → {以下}, 超过30% → {超过}."""
    text = normalise(quote).replace(",", "")
    words = {m.group(1) for m in re.finditer(_number(value) + _UNIT_GAP + _SUFFIX.pattern, text)}
    prefix = "(" + "|".join(_PREFIX) + r")[^\d,、;。]{0,4}?" + _number(value)
    words |= {m.group(1) for m in re.finditer(prefix, text)}
    return words


def _bound_problems(words: set[str], lower: bool, exclusive: bool, what: str) -> list[str]:
    out = []
    if lower and words & _AT_MOST and not words & _AT_LEAST:
        out.append(f"{what} is a lower bound but the quote writes {'/'.join(sorted(words))}")
    if not lower and words & _AT_LEAST and not words & _AT_MOST:
        out.append(f"{what} is an upper bound but the quote writes {'/'.join(sorted(words))}")
    if exclusive and not words & _EXCLUSIVE:
        # 达到800万千瓦 has no word at all: reaching the number is meeting it
        said = f"writes {'/'.join(sorted(words))} (inclusive)" if words else "has no 超过/突破/低于 (inclusive)"
        out.append(f"{what} excludes the bound but the quote {said}")
    if not exclusive and words & _EXCLUSIVE and not words & _INCLUSIVE:
        out.append(f"{what} includes the bound but the quote writes {'/'.join(sorted(words))} (exclusive)")
    return out


def comparison_problems(rule: dict[str, Any]) -> list[str]:
    """The rule's comparison is the quote's word: at_least for 以上/不低于, at_most for 以下/以内/降至,
    exclusive for 超过/突破/低于; the same for the thresholds of applies_to.where and exempt."""
    quote, notes = rule["source"]["quote"], rule.get("notes") or ""
    out = []
    if rule.get("kind") in ("at_least", "at_most") and rule.get("target") is not None \
            and "exclusive" not in notes:
        words = comparison_words(quote, float(rule["target"]))
        out += _bound_problems(words, rule["kind"] == "at_least", bool(rule.get("exclusive")),
                               f"{rule['kind']} {rule['target']:g}")
    applies = rule.get("applies_to") or {}
    for group in ("where", "exempt"):
        for cond in applies.get(group) or []:
            for key in ("min", "max"):
                if cond.get(key) is None or f"{key}_exclusive" in notes:
                    continue
                what = f"{group} {cond['attribute']} {key} {cond[key]:g}"
                if not re.search(_number(float(cond[key])), normalise(quote).replace(",", "")):
                    if f"{cond[key]:g}" not in notes:
                        out.append(f"{what}: the number is neither in the quote nor in the notes")
                    continue
                out += _bound_problems(comparison_words(quote, float(cond[key])), key == "min",
                                       bool(cond.get(f"{key}_exclusive")), what)
    return out


# ------------------------------------------------------------------ titles
_TITLE_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def title_problems(rule: dict[str, Any], plan: str) -> list[str]:
    """The title a report shows says no number the plan does not: each is in the quote's sentence
    or one of the rule's own values."""
    said = set(_TITLE_NUMBER.findall(sentence(plan, rule["source"]["quote"]).replace(",", "")))
    for key in ("target", "min", "max", "target_year", "base_year"):
        if rule.get(key) is not None:
            said.add(f"{rule[key]:g}")
    said |= {f"{v:g}" for v in ((rule.get("by_category") or {}).get("targets") or {}).values()}
    extra = [n for n in _TITLE_NUMBER.findall(normalise(rule["title"]).replace(",", ""))
             if f"{float(n):g}" not in {f"{float(s):g}" for s in said}]
    return [f"the title says {n}, which neither the plan sentence nor the rule states" for n in extra]


# ------------------------------------------------------------------ open lists
def open_list_problems(rule: dict[str, Any]) -> list[str]:
    """钢铁、焦化、水泥等企业 is an open list: a condition that keeps only the members it names
    narrows the plan, which the notes must say (README: an open list is never silently closed)."""
    quote, notes = normalise(rule["source"]["quote"]), rule.get("notes") or ""
    out = []
    for cond in (rule.get("applies_to") or {}).get("where") or []:
        named = [v for v in cond.get("in") or [] if isinstance(v, str) and normalise(v) in quote]
        if len(named) < 2:
            continue
        last = max(quote.find(normalise(v)) + len(normalise(v)) for v in named)
        if quote[last:last + 1] == "等" and "等" not in notes:
            out.append(f"where {cond['attribute']} keeps {'、'.join(named)} of an open list (…等): say so in the notes")
    return out
