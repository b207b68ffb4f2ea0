"""A facility attribute written as a bound or a range instead of one number, as plants write
炭化室高度: ``4.3米以下``, ``≤4.3``, ``不足4.3m``, ``4.3/5.5``, ``4.3-5.5``, ``4.3～5.5米``.

Such a cell is not a value (the reader still records it as unreadable, and a rule on the column
itself never reads it), but it can answer an ``applies_to`` condition with certainty: ``4.3米以下``
is inside “炭化室高度 ≤ 4.3 米” whatever the oven's height is, and ``5.5-6`` is outside it.
Where the interval is partly inside and partly outside the condition (``4.3/5.5`` against ≤ 4.3;
``4.3米以下`` against < 4.3, since 以下 includes 4.3) nothing is certain: the facility is not
judged as in or out, the cell is named (an ERROR), never passed.

``4.3/5.5`` (either height) is read as the interval between them: wider than the two values, so
whatever the interval decides the values decide too. 以下/以上/以内 include the number (民法典
第1259条); 不足/低于/小于/超过/高于/大于 exclude it (DOMAIN.md §3).
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from cbcheck.textnorm import nfkc


class Bounds(NamedTuple):
    """The interval a cell states: ``lo``..``hi`` (±inf when open-ended), whether each end is
    included, and the unit written in the cell (None: the column's)."""

    lo: float
    hi: float
    lo_in: bool
    hi_in: bool
    unit: str | None
    text: str = ""          # as written, to name it

    def scaled(self, factor: float) -> Bounds:
        return self._replace(lo=self.lo * factor, hi=self.hi * factor)


_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"([a-zA-Z\u4e00-\u9fff/]*?)"
# words before the number: (upper or lower bound, inclusive)
_BEFORE = {"≤": ("hi", True), "<=": ("hi", True), "不超过": ("hi", True), "不高于": ("hi", True),
           "不大于": ("hi", True), "<": ("hi", False), "不足": ("hi", False), "低于": ("hi", False),
           "小于": ("hi", False), "≥": ("lo", True), ">=": ("lo", True), "不低于": ("lo", True),
           "不小于": ("lo", True), ">": ("lo", False), "超过": ("lo", False), "高于": ("lo", False),
           "大于": ("lo", False)}
_AFTER = {"以下": ("hi", True), "及以下": ("hi", True), "以内": ("hi", True), "以上": ("lo", True),
          "及以上": ("lo", True)}
_BEFORE_RE = re.compile(rf"^({'|'.join(map(re.escape, sorted(_BEFORE, key=len, reverse=True)))})"
                        rf"{_NUM}{_UNIT}$")
_AFTER_RE = re.compile(rf"^{_NUM}{_UNIT}({'|'.join(sorted(_AFTER, key=len, reverse=True))})$")
_RANGE_RE = re.compile(rf"^{_NUM}{_UNIT}(?:-|~|至|到|—|–|/|、){_NUM}{_UNIT}$")


def parse_bounds(text: str) -> Bounds | None:
    """The interval ``text`` states, or None when it is not a bound or range of one quantity
    (two different units in a range, a reversed range, anything else)."""
    s = re.sub(r"\s+", "", nfkc(text)).replace("～", "~").replace("＜", "<")
    m = _BEFORE_RE.match(s)
    if m:
        side, inclusive = _BEFORE[m.group(1)]
        return _one(float(m.group(2)), side, inclusive, m.group(3))._replace(text=text)
    m = _AFTER_RE.match(s)
    if m:
        side, inclusive = _AFTER[m.group(3)]
        return _one(float(m.group(1)), side, inclusive, m.group(2))._replace(text=text)
    m = _RANGE_RE.match(s)
    if m:
        lo, u1, hi, u2 = float(m.group(1)), m.group(2) or None, float(m.group(3)), m.group(4) or None
        if lo > hi or (u1 and u2 and u1 != u2):
            return None
        return Bounds(lo, hi, True, True, u1 or u2, text)
    return None


def _one(x: float, side: str, inclusive: bool, unit: str) -> Bounds:
    if side == "hi":
        return Bounds(-math.inf, x, False, inclusive, unit or None)
    return Bounds(x, math.inf, inclusive, False, unit or None)


def decide(b: Bounds, cond: dict[str, Any]) -> bool | None:
    """Whether every value in ``b`` meets the condition's ``min``/``max`` (True), none does
    (False), or some do and some do not (None: the cell cannot decide)."""
    lo_c, lo_c_in = (cond["min"], not cond.get("min_exclusive")) if "min" in cond else (-math.inf, False)
    hi_c, hi_c_in = (cond["max"], not cond.get("max_exclusive")) if "max" in cond else (math.inf, False)
    if lo_c > hi_c or (lo_c == hi_c and not (lo_c_in and hi_c_in)):
        return False                                       # a condition nothing meets
    below = b.hi < lo_c or (b.hi == lo_c and not (b.hi_in and lo_c_in))
    above = b.lo > hi_c or (b.lo == hi_c and not (b.lo_in and hi_c_in))
    if below or above:
        return False
    inside_lo = b.lo > lo_c or (b.lo == lo_c and (lo_c_in or not b.lo_in))
    inside_hi = b.hi < hi_c or (b.hi == hi_c and (hi_c_in or not b.hi_in))
    return True if inside_lo and inside_hi else None
