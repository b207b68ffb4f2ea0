"""Reading numbers as people type them into spreadsheets.

Accepted: ``13.2``, ``13.2%``, ``１３．２``, ``1,234.5``, ``约500`` (approximate),
``3.2亿``, ``1.5万``, ``-3.1``, ``－3.1``, ``+2``, ``1.2e3``.  Missing markers
(``—``, ``-``, ``/``, ``无``, ``未统计``, blank) read as *missing*, never as zero.
Anything else is not a number: the caller turns that into an error with the cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cbcheck.textnorm import nfkc

MISSING_MARKERS = frozenset({"", "—", "——", "-", "--", "–", "/", "\\", "无", "暂无", "未统计",
                             "不详", "n/a", "na", "null", "none", "…", "...", "*", "**", "***",
                             "****", "*****", "x", "×"})
EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#NAME?", "#VALUE!", "#NULL!", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})
SCALE_WORDS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "万亿": 1e12}
_APPROX_WORDS = ("约", "大约", "近", "接近", "左右", "约为", "~", "≈")

_NUMBER = re.compile(
    r"^(?P<sign>[+-])?(?P<num>(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+)(?P<exp>e[+-]?\d+)?"
    r"(?P<scale>万亿|百万|万|亿|千)?(?P<pct>%)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: float
    percent: bool = False  # written with a % sign
    approx: bool = False   # written with 约 / 左右 / ~
    scale_word: str | None = None  # 万 / 亿 multiplier that was applied


class NotANumber(ValueError):
    """The text is neither a number nor a missing marker."""


def is_missing_marker(text: str) -> bool:
    return nfkc(text).strip().lower() in MISSING_MARKERS


def is_excel_error(text: str) -> bool:
    return text.strip().upper() in EXCEL_ERRORS


def parse_number(text: str) -> ParsedNumber | None:
    """Parse ``text``; ``None`` means a missing marker. Raises :class:`NotANumber`."""
    s = nfkc(text).strip()
    if s.lower() in MISSING_MARKERS:
        return None
    s = s.replace("−", "-").replace("－", "-").replace(" ", "").replace("\u00a0", "")
    approx = False
    for word in _APPROX_WORDS:
        if s.startswith(word):
            s, approx = s[len(word):], True
        if s.endswith(word):
            s, approx = s[: -len(word)], True
    m = _NUMBER.match(s)
    if not m:
        raise NotANumber(text)
    value = float(m.group("num").replace(",", "") + (m.group("exp") or ""))
    if not math.isfinite(value):
        raise NotANumber(text)
    if m.group("sign") == "-":
        value = -value
    scale = m.group("scale")
    if scale:
        value *= SCALE_WORDS[scale]
    return ParsedNumber(value=value, percent=bool(m.group("pct")), approx=approx, scale_word=scale)
