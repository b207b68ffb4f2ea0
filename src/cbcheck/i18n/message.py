"""A sentence that knows its catalogue key: written once, read in every language.

The check kinds, the series builder and the reader say what they found as a :class:`Msg`::

    Msg("msg.misses", year=2025)            # str(...) == "2025: misses the target"
    Msg("msg.misses", year=2025).text("zh") # 2025年：未达到目标

A ``Msg`` *is* its English sentence (a ``str`` subclass), so JSON, CSV and every caller that
treats a message as text keep working unchanged; a renderer that knows the reader's language
asks :meth:`Msg.text` instead of matching the English against templates. A parameter may itself
be a ``Msg`` (the ``why`` of a NOT_DUE, a clause inside a sentence): it is rendered in the same
language. :meth:`Msg.join` keeps a list of clauses as one message, joined with the language's
own separator (``；`` in Chinese); :meth:`Msg.listing` does the same for a list of names or
years (``、``).

Adding a sentence: a key under ``msg`` in ``en.yaml`` and the same key, same placeholders, in
``zh.yaml`` (``tests/test_i18n.py`` checks the catalogues agree).
"""

from __future__ import annotations

import functools
import re
import string
from typing import Any, Iterable

from cbcheck.i18n import catalogue

_SEP = {"zh": "；", "en": "; "}
_LIST_SEP = {"zh": "、", "en": ", "}      # a list of names or years: 2020、2025 / 2020, 2025


def _render(key: str, lang: str, params: dict[str, Any]) -> str:
    if key == "":                                    # a list of clauses (see join)
        return _SEP.get(lang, "; ").join(_text(p, lang) for p in params["parts"])
    if key == ",":                                   # a list of items (see listing)
        return _LIST_SEP.get(lang, ", ").join(str(_text(p, lang)) for p in params["parts"])
    if key == "+":                                   # pieces of one sentence (see concat)
        return "".join(str(_text(p, lang)) for p in params["parts"])
    if key == "\n":                                  # lines of a text block (see lines)
        return "\n".join(str(_text(p, lang)) for p in params["parts"])
    return fill(catalogue(lang)[key], lang, params)


def fill(template: str, lang: str, params: dict[str, Any]) -> str:
    """``template`` with ``params`` in ``lang``: no space between full-width punctuation and
    Chinese text in Chinese; a name inside an English sentence in lower case."""
    if lang == "zh":
        return _cjk_spacing(template.format(**{name: _text(value, lang) for name, value in params.items()}))
    mid = _mid_sentence(template) if lang == "en" else frozenset()
    return template.format(**{name: _lower_initial(value) if name in mid and isinstance(value, Word)
                              else _text(value, lang) for name, value in params.items()})


# Full-width punctuation and CJK text need no space between them; a template that puts a space
# beside a placeholder (按 {how} 读取) gets one wherever the placeholder ends in （…）.
_FULL_PUNCT = "\u3001\u3002\u300a-\u300f\u3010\u3011\uff08\uff09\uff0c\uff1a\uff1b\uff01\uff1f\u201c\u201d"
_CJK = "\u4e00-\u9fff"
_CJK_SPACE = re.compile(f"(?<=[{_FULL_PUNCT}]) +(?=[{_CJK}{_FULL_PUNCT}])|(?<=[{_CJK}]) +(?=[{_FULL_PUNCT}])"
                        "|(?<=\\S) +(?=（)")          # r = 14% （报送的下降率）: the bracket brings its own space


def _cjk_spacing(text: str) -> str:
    return _CJK_SPACE.sub("", text) if " " in text else text


@functools.lru_cache(maxsize=4096)
def _mid_sentence(template: str) -> frozenset[str]:
    """The placeholders of an English template that do not open it: a name there is lower case
    (``no 2020 total energy consumption``), as a noun inside a sentence is."""
    mid: set[str] = set()
    at_start = True
    for literal, field, _, _ in string.Formatter().parse(template):
        if literal:
            at_start = False
        if field is not None:
            quoted = literal.endswith(("'", '"', "“", "‘"))    # a quoted name is a label, kept as written
            if not at_start and not quoted:
                mid.add(field.split(".")[0].split("[")[0])
            at_start = False
    return frozenset(mid)


# A capitalised word after the first (Yushe–Wuxiang, the Yellow River): a proper name, kept as written.
_PROPER = re.compile(r"[\s\-–—/(][A-Z][a-z]")


def _lower_initial(word: Word) -> str:
    """``Total energy consumption`` -> ``total energy consumption``; ``GDP at …``, ``CO2 …`` and a
    name with a proper noun in it stay as written."""
    text = str.__str__(word)
    if len(text) > 1 and text[0].isupper() and text[1].islower() and not _PROPER.search(text):
        return text[0].lower() + text[1:]
    return text


def _text(value: Any, lang: str) -> Any:
    return value.text(lang) if isinstance(value, Msg) else value


def _rebuild(key: str, params: dict[str, Any]) -> Msg:
    return Msg(key, **params)


class Msg(str):
    """The English sentence of catalogue ``key`` filled with ``params``, which keeps both."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Msg:
        self = super().__new__(cls, _render(key, "en", params))
        self.key = key
        self.params = params
        return self

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` (``en`` is the string itself)."""
        return str.__str__(self) if lang == "en" else _render(self.key, lang, self.params)

    @classmethod
    def join(cls, parts: Iterable[str]) -> Msg:
        """Several clauses as one message: ``a; b`` in English, ``a；b`` in Chinese. Plain
        strings among the parts are kept as written."""
        return cls("", parts=tuple(parts))

    @classmethod
    def listing(cls, items: Iterable[Any]) -> Msg:
        """Names or years as one parameter: ``2020, 2025`` in English, ``2020、2025`` in Chinese."""
        return cls(",", parts=tuple(items))

    @classmethod
    def concat(cls, parts: Iterable[Any]) -> Msg:
        """Pieces that each bring their own punctuation, run together as one parameter (the
        stops of an even path: ``, through 13.5% in 2025`` / ``，经 2025年 13.5%``)."""
        return cls("+", parts=tuple(parts))

    @classmethod
    def lines(cls, parts: Iterable[Any]) -> Msg:
        """Sentences kept on lines of their own (a drafted policy's ``notes``), in any language."""
        return cls("\n", parts=tuple(parts))

    @classmethod
    def either(cls, items: Iterable[Any]) -> Any:
        """Alternatives as one parameter: ``a or b or c`` / ``a 或 b 或 c``; a single item as it is."""
        items = list(items)
        out = items[0]
        for item in items[1:]:
            out = cls("rest.either", a=out, b=item)
        return out

    def __reduce__(self) -> tuple[Any, ...]:          # pickles (caches, worker processes) keep the key
        return _rebuild, (self.key, self.params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.params!r})"


class Word(Msg):
    """A name whose words live in a catalogue of its own rather than the message catalogues: a
    facility attribute or type of policies/facilities.yaml (炭化室高度 / coke-chamber height).
    It is its English, like every Msg, and says its Chinese under ``zh``."""

    def __new__(cls, zh: str, en: str) -> Word:
        self = str.__new__(cls, en)
        self.key, self.params = "word", {"zh": zh, "en": en}
        return self

    def text(self, lang: str) -> str:
        return self.params["zh"] if lang == "zh" else str.__str__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return Word, (self.params["zh"], self.params["en"])

    def __repr__(self) -> str:
        return f"Word({self.params['zh']!r}, {self.params['en']!r})"
