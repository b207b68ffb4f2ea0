"""The template lookup rules sentences out by their literal pieces before any regex runs (and
compiles a regex only when it is needed); that must never change which template matches, nor
what its placeholders hold."""

from __future__ import annotations

import re
import string

from cbcheck.i18n import catalogue
from cbcheck.i18n.phrases import _templates, translate

SAMPLE = {"year": "2025", "year2": "2030", "target_year": "2030", "base_year": "2020", "date": "2025-06-30",
          "deadline": "2025-12-31", "as_of": "2025-03-15", "n": "3"}


def _sentence(template: str) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**{n: SAMPLE.get(n, SAMPLE["year"] if n.endswith("_year") else f"x {n}; y")
                              for n in names})


def _regex(key: str) -> re.Pattern[str]:
    """The template's regex built the way it always was, without the pre-check."""
    tpl = next(t for t in _templates() if t.key == key)
    return re.compile(tpl._source, re.S)


def test_every_template_against_every_sentence_matches_as_the_bare_regex_does() -> None:
    en = catalogue("en")
    sentences = [_sentence(text) for key, text in en.items() if key.startswith("msg.")]
    sentences += ["2025: misses the target", "", ";", "x", "2025: misses the target; as written"]
    matched = 0
    for tpl in _templates():
        rx = _regex(tpl.key)
        for text in sentences:
            got, want = tpl.match(text), rx.fullmatch(text)
            assert (got is None) == (want is None), (tpl.key, text)
            if got is not None and want is not None:
                assert got.groupdict() == want.groupdict()
                matched += 1
    assert matched >= len(_templates())             # every template matches at least its own sentence


def test_a_sentence_made_from_a_template_still_translates() -> None:
    # a plain string is matched only against the templates of code that still says English
    # (phrases.MATCHED: a unit error said through str(), who assigned a target); "misses the target" is a Msg now
    assert translate("unit '吨' ([mass]) cannot be converted to '万千瓦' ([power]) — report this indicator in 万千瓦 "
                     "or a unit of the same kind", "zh") == \
        "单位“吨”（[质量]）不能换算为“万千瓦”（[功率]）——请以万千瓦或同类单位填报本指标"
    assert translate("--set on the command line", "zh") != "--set on the command line"
    assert translate("a sentence no template knows", "zh") == "a sentence no template knows"


def test_a_template_that_matches_is_always_among_the_candidates() -> None:
    from cbcheck.i18n.phrases import _candidates

    en = catalogue("en")
    sentences = [_sentence(text) for key, text in en.items() if key.startswith("msg.")]
    for text in sentences:
        chosen = {t.key for t in _candidates(text)}
        for tpl in _templates():
            if _regex(tpl.key).fullmatch(text):
                assert tpl.key in chosen, (tpl.key, text)
        assert [t.key for t in _candidates(text)] == [t.key for t in _templates() if t.key in chosen]   # order kept
