"""Findings' sentences and arithmetic in the report language, from the catalogues.

The check kinds, the series builder and the reader word what they find in English (``2025:
misses the target``, ``milestone 2023 = …``); JSON keeps that wording. Every such sentence has a
template under ``msg`` in ``en.yaml`` and its translation under the same key in ``zh.yaml``
(same placeholders, a test checks it). :func:`translate` finds the template a sentence was
written from, translates what filled its placeholders (a sentence may hold another: the
``why`` of a NOT_DUE), and fills the other language's template. Arithmetic keeps its numbers and
formulas; the few words in it (``vs``, ``milestone``, ``percentage points``) come from ``term``.

A :class:`~cbcheck.i18n.message.Msg` carries its key and is rendered directly; only plain
English strings go through the templates. A sentence no template matches is returned as
written; ``tests/test_zh_only.py`` renders every example and case in Chinese and fails on
English left over.
"""

from __future__ import annotations

import functools
import re
import string
from typing import Any

from cbcheck.i18n import catalogue
from cbcheck.i18n.message import Msg

_SEP = {"zh": "；", "en": "; "}


# The sentences still matched as English: the only keys a plain string is compared with. A key
# said only through Msg is not here (a template made of placeholders would match any text).
MATCHED = frozenset({
    "n_header_layout", "table_rows", "not_utf8", "n_header_at", "cell_error_label", "peak_by", "meets",
    "misses", "within_tol", "within_range", "outside_range", "already_meets", "on_track", "behind_base",
    "behind_reduction", "behind", "reduction_meets", "reduction_misses", "reduction_tol", "increase_meets",
    "increase_misses", "increase_tol", "growth_meets", "growth_misses", "changed_ok", "changed_bad",
    "should_rise", "should_fall", "should_not_rise", "covers", "years_from", "covers_up_to", "peak_later",
    "peak_ok", "peak_bad", "not_due", "no_base_value", "not_after_base", "cannot_judge", "range_at_target",
    "not_in_submission", "marked_missing", "cannot_derive", "cannot_derive_err", "cell_error",
    "cell_error_bare", "not_a_number", "unit_error", "not_chained", "not_chained_pl", "rate_unknown",
    "current_prices", "for_missing", "is_before_base", "base_not_given", "no_prev_value",
    "current_prices_more", "scope_an", "scope_a", "no_facility_table", "city_total", "req_by",
    "assigned_missing", "assigned_value_error", "target_assigned", "target_allocated", "cmdline",
    "no_facilities", "no_to_judge", "breach_summary", "done_by", "by_category", "share_attr_missing",
    "share_no_column", "share_weight_missing", "share_nothing", "done_on_time", "done_late", "overdue",
    "not_yet_due", "done_no_date", "done_as_reported", "f_miss", "f_miss_asp", "f_late_asp", "f_overdue_asp",
    "f_wrong", "f_wrong_asp", "f_unreadable", "f_no_threshold", "f_missing", "f_missing_attr", "f_meets",
    "f_within", "f_right", "f_exempt", "f_late_reason", "f_missing_attr_reason", "f_exempt_reason",
    "f_unreadable_reason", "f_missing_reason", "f_no_threshold_reason", "f_miss_reason", "f_wrong_reason",
    "nothing_to_judge", "rise_vs", "fall_vs", "not_rise_vs", "days_after", "needed_to_decide",
    "needed_threshold", "category_unknown", "no_column", "not_date", "target_for", "within_tol_calc",
    "path_edge", "days_late", "not_done_as_of", "not_done_yet", "reported", "covered", "highest_up_to",
    "highest_since", "at_prices", "basis_assumed", "submitted_disagrees", "share_calc", "q_negative",
    "q_fraction", "q_range", "q_chain", "q_reduction", "q_components", "q_price", "q_rate", "n_header",
    "n_wide", "n_long", "n_by_year", "n_delimiter", "n_delimiter_sep", "n_facility", "n_read_as",
    "n_target_column", "n_percent", "cagr_positive", "not_completion", "zero_reduction", "zero_growth",
    "too_small", "lacking_years", "lacking_base", "no_base_year", "before_base", "f_late_reason1",
    "day_after", "unit_error_bare",
})


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], str, tuple[str, ...]]]:
    """(regex of the English template, key, placeholder names), the most specific first."""
    out = []
    for key, text in catalogue("en").items():
        if not key.startswith("msg.") or key[4:] not in MATCHED:
            continue
        pattern, names, literal, lead = [], [], 0, None
        for lit, name, _, _ in string.Formatter().parse(text):
            pattern.append(re.escape(lit))
            literal += len(lit)
            lead = len(lit) if lead is None else lead
            if name:
                pattern.append(f"(?P<{name}>{_shape(name)})")
                names.append(name)
        out.append(((lead or 0, literal), key, re.compile("".join(pattern), re.S), tuple(names)))
    # A template that starts with words of its own is the sentence's outer shape (``target year
    # … is after …; {why}``) and is tried before one that starts with a placeholder.
    out.sort(key=lambda t: (-t[0][0], -t[0][1]))
    return [(rx, key, names) for _, key, rx, names in out]


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
    for rx, key, names in _templates():
        # text of several clauses is split first, unless a template is made of clauses itself or
        # only adds a suffix to the whole of it ("{message} (target assigned by {who})")
        if len(parts) > 1 and "; " not in catalogue("en")[key] and not catalogue("en")[key].startswith("{message}"):
            continue
        m = rx.fullmatch(text)
        # a placeholder never holds half a bracket: "…missing) (target assigned by…" is two sentences
        if m and all(_balanced(m.group(n)) for n in names):
            args = {n: _translate(m.group(n), lang, depth + 1) for n in names}
            return target[key].format(**args)
    if len(parts) > 1:
        return _SEP.get(lang, "; ").join(_translate(part, lang, depth + 1) for part in parts)
    for rx, dst in _terms(lang):
        text = rx.sub(dst, text)
    return text


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
