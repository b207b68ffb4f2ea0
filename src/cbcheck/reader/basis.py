"""What a row's numbers are measured against, as the table says it.

Two conventions of Chinese statistical reporting change what a number means without
changing its name (DOMAIN §7):

- *price basis* of a money amount: 现价 / 当年价 (current prices) or 可比价 / 不变价 /
  按2020年价格 (comparable, base-year prices);
- *rate basis* of a rate or an index: 比上年 / 同比 / 上年=100 (year on year) or
  比2020年 / 累计 / "十四五"以来 / 2020年=100 (cumulative against a base year).

The basis is read from the row's own texts (its label, its unit cell, its 备注 cell), then
from the table's notes (title rows, ``注：`` rows, a header note such as ``按2020年可比价``).
A note is read clause by clause, so the statistical-bulletin footnote
``地区生产总值按当年价格计算，增长速度按可比价格计算`` says *current* for GDP levels and
*comparable* for growth rates, not both for everything. Nothing here guesses: a basis no
text states stays ``None``, and the series builder says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = r"((?:19|20)\d{2})\s*年?"
# Order matters: 上年=100 before the general 2020年=100; 比上年 before 比2020年.
_PRICE_CURRENT = re.compile(r"现价|当年价|现行价|名义")
_PRICE_COMPARABLE = re.compile(r"(?:按\s*)?" + r"(?:" + _YEAR + r")?\s*(?:可比价|不变价|价格|价)(?!值)"
                               r"|可比价|不变价|实际增长")
_RATE_YOY = re.compile(r"比上年|较上年|比去年|同比|上年\s*=\s*100|上年同期")
_RATE_CUMULATIVE = re.compile(r"(?:比|较)\s*" + _YEAR + r"|累计|以来|" + _YEAR + r"\s*=\s*100")
_CLAUSE = re.compile(r"[。；;，,\n]|\s{2,}")
_LEVEL_SUBJECT = re.compile(r"总值|总量|GDP|增加值|生产总值", re.IGNORECASE)
_RATE_SUBJECT = re.compile(r"增速|增长|速度|指数|率|下降|降低")
# A qualifier in brackets that only states a basis: 地区生产总值(现价), 指数(上年=100).
_QUALIFIER = re.compile(r"[(（]([^()（）]*)[)）]")
_INLINE = re.compile(r"比上年|较上年|同比|(?:比|较)(?:19|20)\d{2}年(?:累计)?|(?:上年|(?:19|20)\d{2}年)\s*=\s*100")


@dataclass(frozen=True, slots=True)
class Basis:
    price: str | None = None        # current | comparable
    rate: str | None = None         # yoy | cumulative
    year: int | None = None         # 按2020年价格, 比2020年, 2020年=100

    def __bool__(self) -> bool:
        return self.price is not None or self.rate is not None

    def filled_from(self, other: Basis) -> Basis:
        """This basis, with what it leaves unstated taken from ``other`` (a weaker source)."""
        return Basis(self.price or other.price, self.rate or other.rate,
                     self.year if self.year is not None else other.year)


def _clause_basis(clause: str) -> Basis:
    price = rate = None
    year: int | None = None
    if _PRICE_CURRENT.search(clause):
        price = "current"
    elif m := _PRICE_COMPARABLE.search(clause):
        # "价" alone only with a year (2020年价) or 按: not every 价 is a price basis (电价, 价值).
        text = m.group(0)
        if "可比" in text or "不变" in text or "实际增长" in text or m.group(1) or text.startswith("按"):
            price = "comparable"
            year = int(m.group(1)) if m.group(1) else None
    if "年均" in clause or "平均" in clause:
        pass                        # an average annual rate is neither year on year nor cumulative
    elif _RATE_YOY.search(clause):
        rate = "yoy"
    elif m := _RATE_CUMULATIVE.search(clause):
        rate = "cumulative"
        found = next((g for g in m.groups() if g), None)
        year = int(found) if found else year
    return Basis(price, rate, year)


def _subject(clause: str) -> str | None:
    if _RATE_SUBJECT.search(clause):
        return "rate"
    if _LEVEL_SUBJECT.search(clause):
        return "level"
    return None


def read_basis(text: str, subject: str | None = None) -> Basis:
    """The basis ``text`` states. With ``subject`` ('level' or 'rate'), a clause about the
    other kind of row (增速… in a note read for a GDP level) is not taken."""
    if not text or not (_PRICE_CURRENT.search(text) or "价" in text or _RATE_YOY.search(text)
                        or _RATE_CUMULATIVE.search(text)):
        return Basis()
    found = Basis()
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    for clause in clauses:
        if subject is not None and len(clauses) > 1:
            about = _subject(clause)
            if about is not None and about != subject:
                continue
        found = found.filled_from(_clause_basis(clause))
    return found


def strip_basis(label: str) -> str:
    """The label without what only states a basis: 地区生产总值(现价) -> 地区生产总值,
    单位GDP能耗降低率(比上年) -> 单位GDP能耗降低率, 单位GDP能耗比上年下降率 -> 单位GDP能耗下降率."""
    def drop(m: re.Match[str]) -> str:
        return "" if _clause_basis(m.group(1)) else m.group(0)

    return _INLINE.sub("", _QUALIFIER.sub(drop, label)).strip()


def row_subject(indicator: str, dimension: str | None) -> str:
    """Whether a row is a level (a money amount has a price basis) or a rate (has a rate basis)."""
    if indicator.endswith(("_reduction", "_growth", "_index")) or dimension == "share":
        return "rate"
    return "level"
