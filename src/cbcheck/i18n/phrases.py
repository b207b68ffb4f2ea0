"""English that reaches a report as a plain string, in the report language, from the catalogues.

The check kinds, the series builder, the engine and the facility rules say what they find as a
:class:`~cbcheck.i18n.message.Msg`, which carries its catalogue key and is rendered directly
(:func:`translate` hands it to :meth:`Msg.text`). What is still plain English — a unit error
said through ``str()``, who assigned a target — is matched against the two templates in
:data:`MATCHED`: the template
a sentence was written from is found, what filled its placeholders is translated in turn, and
the other language's template is filled. Words left over go through the ``term`` section.
:class:`Phrase` carries such a string inside a ``Msg``. A sentence no template matches is
returned as written; ``tests/test_zh_only.py`` renders every example and case in Chinese and
fails on English left over.
"""

from __future__ import annotations

import functools
import re
import string
from typing import Any

from cbcheck.i18n import catalogue
from cbcheck.i18n.message import Msg

_SEP = {"zh": "；", "en": "; "}


# The sentences still matched as English: the only keys a plain string is compared with. Every
# sentence of the check kinds, the series builder, the engine, the reader and the facility rules
# is a Msg and needs none — facility entries too: their verdicts and reasons are Msgs
# (facility_results.Wording; the SQL engines return the numpy path's Msg by code,
# backends.sql.Reasons), and the attributes and indicators they name are Words
# (facilities.name_of), which no template could put back into Chinese anyway (``coke-chamber
# height`` is no term). What is left is English made outside the catalogues' keys:
# - units.py's UnitError, said as ``str(exc)`` (its message — its hint) and nested in a finding
#   as a Phrase;
# - params.py's "--set on the command line" (who assigned a target), kept as a plain string.
# A key said only through Msg is not here (a template made of placeholders would match any text).
# To check a key is still needed: run the suite with the match recorded (every zh report of
# tests/test_zh_only*.py, the goldens and the CLI tests) and grep src/ for code that makes its
# English without a Msg.
MATCHED = frozenset({"unit_error_bare", "cmdline"})


class _Template:
    """One English template: its key, placeholders and literal pieces; the regex is compiled on
    first use. Most sentences are ruled out by the literal pieces alone (a full match contains
    every piece, the first at the start and the last at the end), so a report compiles and runs
    a handful of the regexes instead of all of them for every sentence."""

    __slots__ = ("key", "names", "head", "tail", "pieces", "longest", "clauses", "_source", "_rx")

    def __init__(self, key: str, names: tuple[str, ...], literals: list[str], source: str) -> None:
        self.key, self.names, self._source = key, names, source
        self._rx: re.Pattern[str] | None = None
        self.head = literals[0]                             # "" when a placeholder comes first
        self.tail = literals[-1] if len(literals) > len(names) else ""
        self.pieces = tuple(lit for lit in literals if lit)
        self.longest = max(self.pieces, key=len, default="")
        english = catalogue("en")[key]
        # may match text of several clauses: made of clauses itself, or a suffix to the whole
        self.clauses = "; " in english or english.startswith("{message}")

    def match(self, text: str) -> re.Match[str] | None:
        if not (text.startswith(self.head) and text.endswith(self.tail)
                and all(piece in text for piece in self.pieces)):
            return None
        if self._rx is None:
            self._rx = re.compile(self._source, re.S)
        return self._rx.fullmatch(text)


@functools.cache
def _templates() -> list[_Template]:
    """The English templates, the most specific first."""
    out = []
    for key, text in catalogue("en").items():
        if not key.startswith("msg.") or key[4:] not in MATCHED:
            continue
        pattern, names, literals, literal, lead = [], [], [], 0, None
        for lit, name, _, _ in string.Formatter().parse(text):
            pattern.append(re.escape(lit))
            literals.append(lit)
            literal += len(lit)
            lead = len(lit) if lead is None else lead
            if name:
                pattern.append(f"(?P<{name}>{_shape(name)})")
                names.append(name)
        out.append(((lead or 0, literal), _Template(key, tuple(names), literals or [""], "".join(pattern))))
    # A template that starts with words of its own is the sentence's outer shape (``target year
    # … is after …; {why}``) and is tried before one that starts with a placeholder.
    out.sort(key=lambda t: (-t[0][0], -t[0][1]))
    return [t for _, t in out]


def _shape(name: str) -> str:
    """What a placeholder can hold: years are four digits, dates ISO dates, n a number."""
    if name == "year" or name.endswith("_year") or name == "year2":
        return r"\d{4}"
    if name in ("date", "deadline", "as_of"):
        return r"\d{4}-\d{2}-\d{2}"
    if name == "n":
        return r"[-+−]?\d[\d.,]*"
    return ".+?"


@functools.cache
def _terms(lang: str) -> list[tuple[re.Pattern[str], str]]:
    en, target = catalogue("en"), catalogue(lang)
    pairs = sorted(((en[k], target[k]) for k in en if k.startswith("term.")), key=lambda p: -len(p[0]))
    out = []
    for src, dst in pairs:
        left = r"(?<![A-Za-z0-9_./-])" if src[:1].isalpha() else ""     # not inside an id (steel_enterprise)
        right = r"(?![A-Za-z0-9_/-]|\.[A-Za-z])" if src[-1:].isalpha() else ""
        out.append((re.compile(left + re.escape(src) + right), dst))
    return out


class Phrase(Msg):
    """English from code that does not say its catalogue key yet (a reader note, a unit error),
    carried inside a :class:`Msg`: rendered through the templates, so a sentence that nests it
    still reads in one language. :func:`phrase` makes one; a ``Msg`` is kept as it is."""

    def __new__(cls, text: str) -> Phrase:
        self = str.__new__(cls, text)
        self.key, self.params = "", {"parts": (str.__str__(text),)}
        return self

    def text(self, lang: str) -> str:
        return str.__str__(self) if lang == "en" else _translate(str.__str__(self), lang, 0)

    def __reduce__(self) -> tuple[Any, ...]:
        return Phrase, (str.__str__(self),)

    def __repr__(self) -> str:
        return f"Phrase({str.__str__(self)!r})"


def phrase(text: str) -> str:
    """``text`` as a parameter of a :class:`Msg`: a ``Msg`` as it is, plain English as a :class:`Phrase`."""
    return text if isinstance(text, Msg) or not isinstance(text, str) else Phrase(text)


def translate(text: str, lang: str) -> str:
    """``text`` (written in English by cbcheck) in ``lang``; unchanged for English."""
    if lang == "en" or not text:
        return text
    if isinstance(text, Msg):            # a sentence that knows its key: no template matching
        return text.text(lang)
    return _translate(text, lang, 0)


def _translate(text: str, lang: str, depth: int) -> str:
    if depth > 6:
        return text
    target = catalogue(lang)
    parts = _split(text)
    for tpl in _candidates(text):
        key, names = tpl.key, tpl.names
        # text of several clauses is split first, unless a template is made of clauses itself or
        # only adds a suffix to the whole of it ("{message} (target assigned by {who})")
        if len(parts) > 1 and not tpl.clauses:
            continue
        m = tpl.match(text)
        # a placeholder never holds half a bracket: "…missing) (target assigned by…" is two sentences
        if m and all(_balanced(m.group(n)) for n in names):
            args = {n: _translate(m.group(n), lang, depth + 1) for n in names}
            return target[key].format(**args)
    if len(parts) > 1:
        return _SEP.get(lang, "; ").join(_translate(part, lang, depth + 1) for part in parts)
    for rx, dst in _terms(lang):
        text = rx.sub(dst, text)
    return text


def _candidates(text: str) -> list[_Template]:
    """The templates that may match ``text``, in order: one cheap pass over them all (its longest
    literal piece is in the text, it starts and ends as the template does)."""
    return [t for t in _templates() if t.longest in text and text.startswith(t.head) and text.endswith(t.tail)]


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _split(text: str) -> list[str]:
    """``a; b (c; d)`` → ``a``, ``b (c; d)``: clauses at the top level only."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0 and text.startswith("; ", i):
            parts.append(text[start:i])
            start = i + 2
    return parts + [text[start:]]
