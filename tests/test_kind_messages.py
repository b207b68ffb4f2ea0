"""A check kind registered at run time (a plugin, a test) brings its own sentences in ``messages``;
``register`` adds them to the catalogues only when they agree in every language, and otherwise
refuses the kind with one line naming the kind and the key. Behaviour tests of
``kind._add_messages`` (``test_msg_keys.py`` reaches it too, but reads the source, so mutation
testing leaves it out)."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

import pytest

from cbcheck.checks import KINDS, Kind, register
from cbcheck.i18n import LANGS, catalogue
from cbcheck.i18n.message import Msg

# en ends on a placeholder, zh on a literal: the placeholder sets still agree.
OWN = {
    "en": {"msg.tk_above": "{year}: {value} is above the earlier maximum {top}",
           "msg.tk_flat": "{year}: no change"},
    "zh": {"msg.tk_above": "{year}年：{value} 超过此前最高值（{top}）",
           "msg.tk_flat": "{year}年：持平"},
}


@pytest.fixture(autouse=True)
def _catalogues_and_kinds_restored() -> Iterator[None]:
    """Every test here leaves KINDS and both catalogues exactly as it found them."""
    saved = {lang: dict(catalogue(lang)) for lang in LANGS}
    kinds = dict(KINDS)
    yield
    for lang in LANGS:
        catalogue(lang).clear()
        catalogue(lang).update(saved[lang])
    KINDS.clear()
    KINDS.update(kinds)


def throwaway(messages: Mapping[str, Mapping[str, str]], name: str = "tk_kind") -> type[Kind]:
    return type("ThrowAway", (Kind,), {"name": name, "messages": messages})


def refused(messages: Mapping[str, Any], name: str = "tk_kind") -> str:
    """register() of a kind with these messages: the refusal, after checking it changed nothing."""
    before = {lang: dict(catalogue(lang)) for lang in LANGS}
    with pytest.raises(RuntimeError) as info:
        register(throwaway(messages, name))
    assert name not in KINDS
    assert {lang: dict(catalogue(lang)) for lang in LANGS} == before
    return str(info.value)


# --- accepted ---------------------------------------------------------------------------------------

def test_its_sentences_render_in_both_languages_once_registered() -> None:
    register(throwaway(OWN))
    assert isinstance(KINDS["tk_kind"], Kind)
    said = Msg("msg.tk_above", year=2025, value="1300", top="1250")
    assert said == "2025: 1300 is above the earlier maximum 1250"
    assert said.text("zh") == "2025年：1300 超过此前最高值（1250）"
    assert Msg("msg.tk_flat", year=2024).text("zh") == "2024年：持平"
    assert Msg("msg.tk_flat", year=2024) == "2024: no change"


def test_the_same_placeholders_in_another_order_are_accepted() -> None:
    register(throwaway({"en": {"msg.tk_share": "{part} of {whole}"}, "zh": {"msg.tk_share": "{whole}中的{part}"}}))
    assert Msg("msg.tk_share", part="3", whole="10").text("zh") == "10中的3"


def test_a_key_already_in_the_catalogue_with_the_same_sentence_is_accepted() -> None:
    same = {lang: {"msg.f_meets": catalogue(lang)["msg.f_meets"]} for lang in LANGS}
    register(throwaway(same))
    assert "tk_kind" in KINDS
    assert catalogue("zh")["msg.f_meets"] == same["zh"]["msg.f_meets"]


def test_empty_messages_in_english_only_add_nothing() -> None:
    before = {lang: dict(catalogue(lang)) for lang in LANGS}
    register(throwaway({"en": {}}))
    assert "tk_kind" in KINDS
    assert {lang: dict(catalogue(lang)) for lang in LANGS} == before


# --- refused, each with the one line that says why --------------------------------------------------

def test_a_key_missing_in_zh_is_refused() -> None:
    zh = {"msg.tk_above": OWN["zh"]["msg.tk_above"]}
    assert refused({"en": OWN["en"], "zh": zh}) == "check kind 'tk_kind': msg.tk_flat is not in its zh messages"


def test_no_zh_messages_at_all_is_refused() -> None:
    en = {"msg.tk_flat": OWN["en"]["msg.tk_flat"]}
    assert refused({"en": en}) == "check kind 'tk_kind': msg.tk_flat is not in its zh messages"


def test_a_key_only_in_zh_is_refused_as_missing_in_english() -> None:
    zh = dict(OWN["zh"], **{"msg.tk_extra": "{year}年：多出"})
    assert refused({"en": OWN["en"], "zh": zh}) == \
        "check kind 'tk_kind': msg.tk_extra is in its zh messages but not in en"


def test_zh_messages_without_any_english_are_refused() -> None:
    zh = {"msg.tk_flat": OWN["zh"]["msg.tk_flat"]}
    assert refused({"zh": zh}) == "check kind 'tk_kind': msg.tk_flat is in its zh messages but not in en"


def test_messages_in_a_language_cbcheck_does_not_speak_are_refused() -> None:
    assert refused(dict(OWN, fr={"msg.tk_flat": "{year} : inchangé"})) == \
        "check kind 'tk_kind': messages in 'fr', not one of zh, en"


@pytest.mark.parametrize("key", ["tk_flat", "rest.tk_flat", "MSG.tk_flat", "msg_tk_flat"])
def test_a_key_outside_msg_is_refused(key: str) -> None:
    messages = {"en": {key: "{year}: no change"}, "zh": {key: "{year}年：持平"}}
    assert refused(messages) == f"check kind 'tk_kind': {key} is not a msg.* key"


@pytest.mark.parametrize(("en", "zh"), [
    ("{year}: no change", "{n}年：持平"),                  # another name
    ("{year}: no change", "持平"),                         # one left out
    ("{year}: no change", "{year}年：{value} 持平"),        # one more
    ("no change", "{year}年：持平"),                        # en has none
])
def test_other_placeholders_in_zh_than_in_en_are_refused(en: str, zh: str) -> None:
    messages = {"en": {"msg.tk_flat": en}, "zh": {"msg.tk_flat": zh}}
    assert refused(messages) == "check kind 'tk_kind': msg.tk_flat has other placeholders in zh than in en"


@pytest.mark.parametrize("lang", LANGS)
def test_a_key_already_in_the_catalogue_as_another_sentence_is_refused(lang: str) -> None:
    same = {code: {"msg.f_meets": catalogue(code)["msg.f_meets"]} for code in LANGS}
    same[lang] = {"msg.f_meets": same[lang]["msg.f_meets"] + "!"}
    assert refused(same) == "check kind 'tk_kind': msg.f_meets is already a different sentence"


def test_the_refusal_names_the_kind() -> None:
    message = refused({"en": {"msg.tk_flat": "x"}}, name="tk_other")
    assert re.match(r"check kind 'tk_other': ", message)


def test_a_kind_registered_twice_is_refused_and_the_first_kept() -> None:
    register(throwaway(OWN))
    first = KINDS["tk_kind"]
    with pytest.raises(RuntimeError) as info:
        register(throwaway({}))
    assert str(info.value) == "check kind 'tk_kind' registered twice"
    assert KINDS["tk_kind"] is first


def test_register_returns_the_class_and_keeps_one_instance_of_it() -> None:
    cls = throwaway({})
    assert register(cls) is cls
    assert type(KINDS["tk_kind"]) is cls
