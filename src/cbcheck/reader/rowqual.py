"""What a row's label says about its figures beyond the indicator's name (DOMAIN §7).

Two qualifiers a statistical bulletin writes into the label change which figure a row is,
not which indicator:

- *energy basis*. 能源消费总量（当量值） counts electricity at its calorific value (1 kWh =
  0.1229 kgce); （等价值） at the coal burnt to make it (~0.3 kgce/kWh). Bulletins often
  give both. The plans' 能源消费总量 and 单位GDP能耗 targets are 能耗双控 figures, which the
  national system counts in 等价值 (the seeds say 能耗双控 and never 当量值): a 等价值 row is
  read, a 当量值 row is listed with that reason and not read. Where a file gives only 当量值,
  the rule finds no figure and the finding names the 当量值 row (:mod:`cbcheck.lookalike`),
  rather than passing an intensity 10–30 % lower than the plan's.
- *restatement*. ``2020年地区生产总值（五经普修订）``, ``地区生产总值（调整后）`` or a row
  ``其中：修订后`` under the first-published one gives a year's value as revised after an
  economic census. As with a restated *column* (:func:`cbcheck.reader.header._restate`), the
  revised figure is the year's value — the one later years are comparable with — and the
  first-published one is listed beside it, with both values.

A label may also open with the year it is about (``2020年地区生产总值``): in a table with year
columns only that year's cell is read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Patterns as text, compiled by ``re`` on first use (its own cache): most labels never reach them, and
# compiling them all at import cost ~1.5 ms of every check.
_CALORIFIC = r"当量值|电热当量|当量"
_EQUIVALENT = r"等价值|发电煤耗|等价"
# The words of header._REVISED, as a qualifier of a row: 五经普修订(后), 调整后, 核定数 …
_RESTATED = (r"(?:第?[一二三四五六七八九十]次?(?:全国)?经济普查|[一二三四五六七八九十]经普|经普|普查)?"
             r"(?:修订|调整|核定|修正|重估)(?:后|数|值|数据)?")
_BEFORE = r"(?:修订|调整|核定|修正)前|原(?:公布|发布|统计)?(?:数|值|数据)?$|初步核算"
_BRACKET = r"[(（]([^()（）]*)[)）]"
_PARTS = r"[,，、;；]"
# 2020年地区生产总值, not 2020年以来… / 2020年=100 / 2020年比… (a basis, reader/basis.py)
_LEAD_YEAR = r"^\s*((?:19|20)\d{2})\s*年(?:度|末)?\s*(?=\S)(?!以来|来|起|至|到|比|较|=|＝|[-—~～])"
_QUALIFIER_ONLY = r"^(?:其中\s*[:：]?\s*)?(?:" + _RESTATED + r"|(?:修订|调整|核定|修正)前|原公布数?)\s*$"
# Characters one of the patterns needs: a label without any is plain.
_TRIGGERS = frozenset("当等修调核正估普前原初年")
ENERGY_DIMENSIONS = frozenset({"heat", "energy_intensity"})


class RowQualifiers(NamedTuple):      # a tuple: a class built in ~0.1 ms, not a dataclass's ~1 ms at import
    label: str                       # the label without the qualifiers, for matching
    energy: str | None = None        # calorific (当量值) | equivalent (等价值)
    restated: str | None = None      # after (修订后) | before (修订前)
    year: int | None = None          # 2020年地区生产总值: the one year the row is about
    bare: bool = False               # the label was a qualifier only (其中：修订后): the row above's indicator


# 当量 that is no energy basis: 二氧化碳当量 (CO2e), 万吨标准煤当量 (tce itself)
_OTHER_EQUIVALENTS = r"(?:二氧化碳|CO2|CO₂|碳|标准煤|标煤|油)当量"


def _energy(text: str) -> str | None:
    if "当量" in text:
        text = re.sub(_OTHER_EQUIVALENTS, "", text, flags=re.IGNORECASE)
    calorific, equivalent = bool(re.search(_CALORIFIC, text)), bool(re.search(_EQUIVALENT, text))
    return "calorific" if calorific and not equivalent else "equivalent" if equivalent and not calorific else None


def _restatement(text: str) -> str | None:
    if re.search(_BEFORE, text):
        return "before"
    return "after" if re.search(_RESTATED, text) else None


def _is_qualifier(part: str) -> bool:
    part = part.strip()
    return bool(_energy(part)) and bool(re.fullmatch(r"(?:按|为)?(?:当量值|等价值|当量|等价)(?:口径|计算)?", part)) \
        or bool(re.fullmatch(r"(?:" + _RESTATED + r"|(?:修订|调整|核定|修正)前|原公布数?)", part))


def drop_qualifiers(label: str) -> str:
    """``能源消费总量(当量值,万吨标准煤)`` -> ``能源消费总量(万吨标准煤)``; ``(等价值)`` -> nothing."""
    def bracket(m: re.Match[str]) -> str:
        parts = [p for p in re.split(_PARTS, m.group(1)) if p.strip()]
        kept = [p for p in parts if not _is_qualifier(p)]
        if len(kept) == len(parts):
            return m.group(0)
        return f"({','.join(kept)})" if kept else ""

    return re.sub(_BRACKET, bracket, label).strip()


def row_qualifiers(label: str) -> RowQualifiers:
    """The energy basis, restatement and year a label states, and the label without them."""
    if _TRIGGERS.isdisjoint(label):
        return RowQualifiers(label)
    energy, restated = _energy(label), _restatement(label)
    year = None
    text = label
    if (m := re.match(_LEAD_YEAR, text)) is not None:
        year, text = int(m.group(1)), text[m.end():]
    if re.match(_QUALIFIER_ONLY, text.strip()):
        return RowQualifiers("", energy, restated, year, bare=True)
    text = drop_qualifiers(text)
    # 地区生产总值修订后 / 能源消费总量当量值: a qualifier written after the name, without a bracket
    text = re.sub(r"(?:当量值|等价值|" + _RESTATED + r")$", "", text).strip() or text
    return RowQualifiers(text, energy, restated, year)


def energy_basis(text: str) -> str | None:
    """calorific (当量值) or equivalent (等价值) when ``text`` (a 备注 cell, a 注： row) says one only."""
    return _energy(text) if text else None
