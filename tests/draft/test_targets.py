"""Target extraction: sentence cases as data, and the no-invention property."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.draft.segment import Sentence
from cbcheck.draft.targets import HORIZON_REVIEW, Horizon, candidates
from cbcheck.draft.wording import WORD_TARGET_WORDS

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def _draft(text: str, box: bool = False, period: str | None = None):
    """Candidates of one sentence; ``box`` puts it in a 专栏, ``period`` ("2021-2030") gives the plan's."""
    horizon = None
    if period:
        start, end = (int(y) for y in period.split("-"))
        horizon = Horizon(start - 1, end)
    return candidates([Sentence(text, "二、主要目标", 0, box, "专栏1" if box else "")], horizon)


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24] for c in CASES])
def test_sentence_case(case) -> None:
    found = _draft(case["text"], case.get("box", False), case.get("period"))
    assert len(found) == len(case["expect"]), [(c.kind, c.value, c.unit) for c in found]
    for cand, exp in zip(found, case["expect"], strict=True):
        exp = dict(exp)
        reviews = exp.pop("reviews", [])
        actual = {"kind": cand.kind, "value": cand.value, "unit": cand.unit, "year": cand.target_year,
                  "base_year": cand.base_year, "strength": cand.strength, "exclusive": cand.exclusive,
                  "mode": cand.mode, "deadline": cand.deadline, "by_category": cand.categories,
                  "subject": cand.subject}
        assert {k: actual[k] for k in exp} == exp
        for wanted in reviews:
            assert any(wanted in r for r in cand.reviews), (wanted, cand.reviews)


def number_supported(value: float, quote: str, from_word: str | None) -> bool:
    """The emitted number is written in the quote, or is the 0/100 its wording sets."""
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", quote.replace(",", ""))}
    if value in numbers:
        return True
    return value in (0, 100) and from_word is not None and any(w in quote for w in WORD_TARGET_WORDS)


PHRASES = st.sampled_from(["到2025年,", "“十四五”期间,", "力争", "", "比2020年", "全市", "累计"])
SUBJECTS = st.sampled_from(["非化石能源消费比重", "光伏发电装机", "单位地区生产总值能源消耗", "秸秆综合利用率"])
VERBS = st.sampled_from(["达到", "下降", "降至", "提高到", "不低于", "突破", "控制在", "年均增长"])
UNITS = st.sampled_from(["%", "万千瓦", "个百分点", "克标准煤/千瓦时", "座", "万吨/年"])
TAILS = st.sampled_from(["", "以上", "以下", "左右", "以内"])
NUMBERS = st.decimals(min_value=0, max_value=5000, places=1).map(lambda d: format(d.normalize(), "f"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PHRASES, SUBJECTS, VERBS, NUMBERS, UNITS, TAILS), min_size=1, max_size=4))
def test_every_number_occurs_in_its_quote(parts) -> None:
    text = ",".join(f"{p}{s}{v}{n}{u}{t}" for p, s, v, n, u, t in parts) + "。"
    for cand in _draft(text):
        if cand.numeric:
            assert number_supported(cand.value, cand.quote, cand.from_word), (cand.value, text)
        assert cand.quote in text
        years = {int(y) for y in re.findall(r"(20\d\d)年", text)} | ({2025, 2020} if "十四五" in text else set())
        assert cand.target_year is None or cand.target_year in years


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PHRASES, SUBJECTS, VERBS, NUMBERS, UNITS, TAILS), min_size=1, max_size=4),
       st.sampled_from([(2020, 2030), (2020, 2025)]), st.booleans())
def test_a_year_not_in_the_sentence_is_the_horizon_and_says_so(parts, period, box) -> None:
    """With a plan period, an undated target may be dated at the horizon (a 专栏 item; any
    target of a single-period plan), and then only with the review saying so; numbers stay the
    quote's own."""
    text = ",".join(f"{p}{s}{v}{n}{u}{t}" for p, s, v, n, u, t in parts) + "。"
    horizon = Horizon(*period)
    found = candidates([Sentence(text, "三、重点任务", 0, box, "专栏1" if box else "")], horizon)
    years = {int(y) for y in re.findall(r"(20\d\d)年", text)} | ({2025, 2020} if "十四五" in text else set())
    for cand in found:
        if cand.numeric:
            assert number_supported(cand.value, cand.quote, cand.from_word), (cand.value, text)
        said = HORIZON_REVIEW.format(year=horizon.year) in cand.reviews
        if cand.target_year is not None and cand.target_year not in years:
            assert said and cand.target_year == horizon.year, (cand.target_year, cand.reviews, text)
        if said:
            assert box or horizon.single_period


def test_a_year_carries_within_its_section_not_past_a_heading() -> None:
    """004 is one long line: the paragraph does not end where its section does."""
    first = Sentence("到2030年,电力消费比重提高到40%以上。", "三、重点任务 / 1.推进清洁能源开发利用", 7, False)
    same = Sentence("新能源电动公交车占比达到100%。", "三、重点任务 / 1.推进清洁能源开发利用", 7, False)
    other = Sentence("创建2个碳达峰试点园区。", "三、重点任务 / 3.组织开展碳达峰试点建设", 7, False)
    found = candidates([first, same, other])
    assert [(c.value, c.target_year) for c in found] == [(40, 2030), (100, 2030), (2, None)]
    assert "target year 2030 taken from the preceding sentence" in found[1].reviews
