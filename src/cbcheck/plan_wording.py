"""The plan's own wording for a rule: the phrase its quote uses for the indicator, and the unit
as the quote writes it.

A county officer copies the indicator name out of the plan (``废纸、废橡胶等主要品种再生资源回收
利用率``) and the unit as the plan prints it (``300克／千瓦时``). Both must read. This module
finds them mechanically, so that a test can hold the catalogue to every bundled rule:

- the *clause* is the stretch of the quote between punctuation (，；。：) that holds the rule's
  number (its target, or its bound);
- the *phrase* is what precedes the verb in that clause (达到, 降至, 比2020年下降, 控制在 …),
  with the time and place words a plan puts in front (到2025年, 全市, 力争) taken off;
- the *unit* is what follows the number up to 以上/以下/左右/以内.

A rule whose quote has no number for it (an action: 制定…方案, 全面退出4.3米焦炉; a direction:
持续提高), or whose subject is a list of several indicators (秸秆综合利用率、农膜回收率达到90%),
gives no single phrase; :func:`plan_wording` returns ``None`` and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cbcheck.model import Rule
from cbcheck.textnorm import nfkc

_CLAUSE_BREAK = re.compile(r"[，,；;。：:！!？?]")
# The words that end a subject: what the plan does to the quantity.
_VERBS = re.compile(
    r"(比|较|与)(20\d\d|上年|基期)|(力争|努力|争取|确保|持续|累计|分别|原则上|均|稳步|逐步|基本|年均)?再?"
    r"(达到|达(?!标)|降至|降低到|降低至|降到|下降|降低|减少|提高到|提高至|提升至|提升到|提高|提升|增长|增加(?!值)|"
    r"控制在|控制到|稳定在|保持在|保持|不低于|不高于|不超过|低于|高于|超过|突破|实现|累计)")
_LEADING = re.compile(
    r"^(?:(?:到|至|截至|在)?20\d\d年(?:底|末|前|以前|年底前|底前)?|前|期间|同时|其中|并|且|力争|努力|争取|确保|"
    r"全市|全县|全区|全省|市域|全域|各县(?:\(市、区\))?|各县市区|推动|推进|加快|使|对)+")
_TRAILING = re.compile(r"(力争|努力|争取|确保|要|将|均|分别)+$")
_UNIT_AFTER = re.compile(r"^\s*([^\d，,；;。：:、以左约及和与或的）)]*?)\s*"
                         r"(?:以上|以下|以内|左右|及以上|及以下|$|[，,；;。、）)和与或的])")


@dataclass(frozen=True, slots=True)
class Wording:
    phrase: str
    unit: str | None           # as the quote writes it; None: the quote gives no unit after the number
    number: float


def _numbers(rule: Rule) -> list[float]:
    return [v for v in (rule.target, rule.minimum, rule.maximum) if v is not None]


def _number_spans(text: str, value: float) -> list[re.Match[str]]:
    return [m for m in re.finditer(r"\d+(?:\.\d+)?", text) if float(m.group()) == value]


def plan_wording(rule: Rule) -> Wording | str:
    """The plan's phrase and unit for ``rule``, or a sentence saying why the quote gives none."""
    text = nfkc(rule.source.quote).replace("／", "/")
    numbers = _numbers(rule)
    if not numbers:
        return "the quote sets no number (an action, a direction or a value assigned from above)"
    for value in numbers:
        for m in _number_spans(text, value):
            start = max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())), default=0)
            # 装机占比达到50％、发电量占比达到30％: the clause starts after the previous value
            prior = list(re.finditer(r"[\d%‰]\s*(?:以上|以下|左右|以内)?[、和及]", text[start:m.start()]))
            if prior:
                start += prior[-1].end()
            clause = text[start:m.start()]
            verb = _VERBS.search(clause)
            if verb is None:
                continue
            phrase = _TRAILING.sub("", _LEADING.sub("", clause[:verb.start()])).strip()
            if not phrase:
                continue
            if ("、" in phrase and "等" not in phrase) or phrase.endswith(("等", "的")):
                return f"the quote's subject {phrase!r} names several indicators at once"
            um = _UNIT_AFTER.match(text[m.end():])
            unit = um.group(1).strip() if um and um.group(1).strip() else None
            return Wording(phrase, unit, value)
    return "the quote has no clause of the form <indicator> <verb> <number>"
