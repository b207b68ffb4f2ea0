"""Reading numbers as people type them into spreadsheets.

Accepted: ``13.2``, ``13.2%``, ``１３．２％``, ``1,234.5``, ``约500`` / ``500左右``
(approximate), ``3.2亿``, ``1.5万``, ``-3.1``, ``－3.1``, ``−3.1``, ``+2``, ``1.2e3``.
Missing markers (``—``, ``-``, ``/``, ``无``, ``未统计``, blank …) read as *missing*,
never as zero. Anything else is not a number, and :class:`NotANumber` says why;
the reader turns that into an error at the cell.

Ambiguous forms are refused rather than guessed:

- a comma only ever separates thousands, in groups of three (``1,234.5``).
  ``1,7`` (a European decimal comma) and ``1,2345`` are refused;
- a dot only ever marks decimals: ``200.000.000`` (European thousands) and
  ``1.234,5`` are refused. A single ``1.234`` is one point two three four, as in
  Chinese and English usage; nothing in the text can tell it from a European 1234;
- bounds (``>500``, ``500以上``) and ranges (``10-20``) are not values.

Values are computed in :class:`~decimal.Decimal`, so ``1.1万`` is exactly 11000
and ``3.2亿`` in a 亿元 row is exactly 3.2 (see :meth:`ParsedNumber.in_scale`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cbcheck.textnorm import nfkc
from cbcheck.i18n.message import Msg

MISSING_MARKERS = frozenset({
    "", "—", "——", "-", "--", "–", "―", "/", "\\", "无", "暂无", "未统计", "待统计", "不详", "空",
    "暂缺", "缺", "未填报", "未报", "不适用", "n/a", "na", "nan", "null", "none", "…", "……", "...",
    "*", "**", "***", "****", "*****", "x", "×",
})
EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#NAME?", "#VALUE!", "#NULL!", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!"})
# Multipliers written after a number. 千 alone is left out on purpose: it is rare in cells and
# clashes with units such as 千瓦 (is "3千" in a 千瓦 row 3 kW or 3000 kW?).
SCALE_WORDS: dict[str, float] = {"万": 1e4, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万亿": 1e12}
_SCALE_DECIMAL = {word: Decimal(int(factor)) for word, factor in SCALE_WORDS.items()}
_APPROX_PREFIXES = ("大约", "约为", "约合", "接近", "约", "近", "~", "≈", "∼")
_APPROX_SUFFIXES = ("左右", "上下", "余", "多")
_MINUS = str.maketrans({"−": "-", "－": "-", "‐": "-", "‑": "-"})
# Spaces that may sit between digit groups or between a number and its sign/% (NFKC has
# already folded the ideographic space to U+0020).
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]+")

PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?\Z")
_SIGN_SPACE = re.compile(r"^([+-])\s+")
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d{3}(\D|$))")
_SUFFIX_SPACE = re.compile(r"(?<=[\d万亿])\s+(?=[%万亿])")
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?
        (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)
        (?:e(?P<exp>[+-]?\d{1,3}))?
        (?P<scale>万亿|千万|百万|万|亿)?
        (?P<pct>%)?
        (?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+(,\d+)+$")          # 1,7  1,2345  (but 1,234 is fine)
_DOT_GROUPS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}(,\d+)?$|^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_RANGE = re.compile(r"^[+-]?[\d.,]+\s*(-|~|～|至|到|—)\s*[\d.,]+")
# 日产2000吨 / 年产熟料60万吨: a capacity as plants write it, the period before the number. Read as the
# unit the same cell would carry written after it (2000吨/日, 60万吨/年), only where a unit may follow
# (allow_unit), and only with no product word or one of the products a capacity column names: any
# other word between 日产 and the number stays unread, not guessed.
_RATE_PREFIX = re.compile(r"^(?P<per>日|年)产(?:熟料|水泥|焦炭|粗钢|生铁|钢|玻璃|电解铝|合成氨|甲醇|尿素|电石|铁合金)?"
                          r"\s*(?=[\d.])")
_BOUND_WORDS = ("以上", "以下", "以内", "不低于", "不高于", "不少于", "不超过", "超过", "大于", "小于")


# Footnote marks a bulletin's table puts after a figure: 172*, 172①, 172¹, 172注, 172注2, 172（注）, 172[1].
# None of them can be part of a number (unlike e3, a comma group, 万), so the figure is read and the
# mark named. Circled and superscript digits must be split off before NFKC, which folds 172① and
# 172¹ into 1721.
_FOOTNOTE = re.compile(
    r"""^(?P<num>.*?\S)\s*
        (?P<mark>[*＊※†‡]+
          |[\u2460-\u2473\u24ea\u2776-\u277f\u2780-\u2793]
          |[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+
          |注\s*[0-9０-９]{0,2}
          |[(（]\s*注?\s*[0-9０-９]{0,2}\s*[)）]
          |[\[［【]\s*注?\s*[0-9０-９]{1,2}\s*[\]］】])\s*$""",
    re.VERBOSE | re.DOTALL,
)


def split_footnote(text: str) -> tuple[str, str | None]:
    """``172*`` → ``("172", "*")``: the figure and the footnote mark after it, or ``(text, None)``
    when there is no mark or what stands before it is not a number on its own."""
    m = _FOOTNOTE.match(text.strip())
    if not m or m.group("mark") in ("()", "（）"):
        return text, None
    num = m.group("num")
    try:
        if parse_number(num) is None:
            return text, None
    except NotANumber:
        return text, None
    return num, m.group("mark").strip()


class NotANumber(ValueError):
    """The text is neither a number nor a missing marker; ``reason`` says what is wrong."""

    def __init__(self, text: str, reason: str = "is not a number") -> None:
        super().__init__(f"{text!r} {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: float                    # the number, scale word applied: 3.2亿 -> 320000000.0
    percent: bool = False           # written with a % sign
    approx: bool = False            # written with 约 / 左右 / ~
    scale_word: str | None = None   # 万 / 亿 … that was applied
    unit_text: str | None = None    # text after the number, e.g. 万千瓦 (only with allow_unit)
    digits: str = "0"               # the written number before scaling, signed, without separators

    def in_scale(self, unit_scale: str | None) -> float:
        """The value relative to a unit that starts with ``unit_scale``.

        ``3.2亿`` in a 亿元 row is 3.2; in a 万元 row it is 32000; in a 元 row 3.2e8.
        """
        factor = _SCALE_DECIMAL[self.scale_word] if self.scale_word else Decimal(1)
        divisor = _SCALE_DECIMAL[unit_scale] if unit_scale else Decimal(1)
        return float(Decimal(self.digits) * factor / divisor)


def is_missing_marker(text: str) -> bool:
    return nfkc(text).strip().lower() in MISSING_MARKERS


# A cross marks a cell not to be filled in a table of figures (统计报表), but in a 是/否 or 完成情况
# cell it is the answer 否 beside a √: read there as blank, a × for 2025 let the √ of 2024 pass.
CROSS_MARKS = frozenset({"x", "×"})


def is_blank_answer(text: str) -> bool:
    """A yes/no or done/not-done cell left blank: a missing marker other than a cross."""
    said = nfkc(text).strip().lower()
    return said in MISSING_MARKERS and said not in CROSS_MARKS


def is_excel_error(text: str) -> bool:
    return text.strip().upper() in EXCEL_ERRORS


def unit_scale(unit: str | None) -> str | None:
    """The scale word a unit starts with: 亿元 -> 亿, 万千瓦 -> 万, 千瓦 -> None."""
    if not unit:
        return None
    unit = nfkc(unit).strip()
    for word in sorted(_SCALE_DECIMAL, key=len, reverse=True):
        if unit.startswith(word) and len(unit) > len(word):
            return word
    return None


def _strip_approx(s: str) -> tuple[str, bool]:
    approx = False
    for word in _APPROX_PREFIXES:
        if s.startswith(word):
            s, approx = s[len(word):].lstrip(), True
            break
    for word in _APPROX_SUFFIXES:
        if s.endswith(word):
            s, approx = s[: -len(word)].rstrip(), True
            break
    return s, approx


def _why_not(s: str) -> str:
    if _DECIMAL_COMMA.match(s):
        return Msg("rest.why_decimal_comma")
    if _DOT_GROUPS.match(s):
        return Msg("rest.why_dot_groups")
    # startswith, not s[:1] in "<>≤≥": an approximate word alone (约, 左右) leaves s empty, and the
    # empty string is in every string, so it was refused as a bound.
    if s.startswith(("<", ">", "≤", "≥")) or any(w in s for w in _BOUND_WORDS):
        return Msg("rest.why_bound")
    if _RANGE.match(s):
        return Msg("rest.why_range")
    return Msg("rest.why_nan")


def parse_number(text: str, *, allow_unit: bool = False) -> ParsedNumber | None:
    """Parse ``text``; ``None`` means a missing marker. Raises :class:`NotANumber`.

    With ``allow_unit`` a trailing text such as ``万千瓦`` is returned in ``unit_text``
    for the caller to check; without it any trailing text makes the cell not a number.
    """
    if PLAIN_NUMBER.match(text):               # the common case, kept cheap: 13.2, -3, 1200
        return ParsedNumber(value=float(text), digits=text)
    s = nfkc(text).strip()
    if s.lower() in MISSING_MARKERS:
        return None
    s = s.translate(_MINUS)
    s, approx = _strip_approx(s)
    # Spaces: allowed after a sign and before %, or between groups of exactly three digits.
    s = _SIGN_SPACE.sub(r"\1", s)
    s = _GROUP_SPACE.sub(",", s)
    s = _SPACES.sub(" ", s)
    s = _SUFFIX_SPACE.sub("", s)
    per = _RATE_PREFIX.match(s) if allow_unit else None
    if per:
        s = s[per.end():]
    m = _NUMBER.match(s)
    if not m:
        raise NotANumber(text, _why_not(s))
    rest = m.group("rest").strip()
    if per:
        if not rest or "/" in rest or m.group("pct"):    # 日产2000 (no unit), 日产2000吨/日: not guessed
            raise NotANumber(text, _why_not(s))
        rest = f"{rest}/{per.group('per')}"
    if rest and (not allow_unit or re.search(r"\d", rest) or m.group("pct")):
        raise NotANumber(text, _why_not(s))
    if "," in m.group("num") and m.group("exp"):
        raise NotANumber(text)
    scale = m.group("scale")
    if rest and scale:           # 500万千瓦: the scale word belongs to the unit, not the number
        rest, scale = scale + rest, None
    digits = (m.group("sign") or "") + m.group("num").replace(",", "") + (
        f"e{m.group('exp')}" if m.group("exp") else "")
    try:
        value = float(Decimal(digits) * _SCALE_DECIMAL[scale]) if scale else float(Decimal(digits))
    except (InvalidOperation, ArithmeticError):
        raise NotANumber(text) from None
    if not math.isfinite(value):
        raise NotANumber(text, "is too large")
    return ParsedNumber(value=value, percent=bool(m.group("pct")), approx=approx, scale_word=scale,
                        unit_text=rest or None, digits=digits)
