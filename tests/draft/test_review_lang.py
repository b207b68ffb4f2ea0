"""A draft's review items in either language: every ``draft.review.*`` sentence, written in English or
in Chinese, is recognised by ``policy lint`` as the sentence it is and said again in the reader's
language — so a draft written before review items had keys still lints in Chinese."""

from __future__ import annotations

import string

import pytest

from cbcheck.draft.review import recognise
from cbcheck.i18n import catalogue
from cbcheck.i18n.message import Msg

# what a drafter fills each placeholder with, as the plans give it
SAMPLE = {"year": 2030, "unit": "万千瓦", "attribute": "feedstock", "categories": "优质无烟块煤/粉煤",
          "written": "20万吨", "low": "5", "high": "8", "period": "十四五", "value": "100", "word": "全覆盖",
          "object": "劣V类水体", "type": "ammonia_plant", "strength": "approximate", "subject": "城镇新建建筑",
          "indicator": "draft_a1c49c4a", "region": "济宁市", "field": "doc_number"}
NESTED = {"where": Msg("draft.review.applies_guess", type="ammonia_plant"),
          "source": Msg("draft.review.category_from_made"),
          "allowed": Msg.either(["aspirational", "binding"])}
KEYS = sorted(k for k in catalogue("en") if k.startswith("draft.review."))


def _said(key: str) -> Msg:
    names = {n for _, n, _, _ in string.Formatter().parse(catalogue("en")[key]) if n}
    return Msg(key, **{n: NESTED.get(n, SAMPLE.get(n)) for n in names})


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("written_in", ["en", "zh"])
def test_every_review_sentence_reads_back_in_both_languages(key: str, written_in: str) -> None:
    said = _said(key)
    found = recognise(said.text(written_in))
    assert isinstance(found, Msg) and found.key == key, (said.text(written_in), found)
    assert found.text("zh") == said.text("zh")
    assert found.text("en") == said.text("en")


def test_alternatives_are_read_back_as_alternatives() -> None:
    english = "strength: approximate or aspirational or binding? the sentence has both kinds of wording " \
              "(docs/policy-format.md)"
    assert recognise(english).text("zh") == \
        "strength：approximate 还是 aspirational 或 binding？原文两类措辞都有（见 docs/policy-format.md）"


def test_a_reworded_item_is_kept_as_written() -> None:
    assert recognise("年份待定，问发改委") == "年份待定，问发改委"
    assert not isinstance(recognise("check the year with the city"), Msg)
