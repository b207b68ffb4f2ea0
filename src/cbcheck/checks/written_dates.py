"""Completion cells as plants write them: a month, a month's end, a bound, a closure word with
its date — read into the span of days the cell allows, so a deadline is judged only where the
whole span decides it.

    2023年10月底 / 2023年10月末      the month's last day (底 is the end of the month)
    2023年11月 / 2023.11 / 2023-11   some day of that month: 11-01 … 11-30
    2023年10月前 / 2023年10月底前     some day up to 10-31 (前 read at its loosest: "by October"
                                      may mean "before October", which only makes it earlier)
    2023年底 / 2023年底前 / 2023年   12-31 / up to 12-31 / some day of 2023
    已拆除 / 永久停运 / 已完成         done, no date (the 运行状态 closure words, and 已完成)
    已关停（2023年9月） / 2023年9月已拆除   done, in the span of the date written

Refused (None: the cell stays unreadable, an ERROR naming it): ``2023.1`` (January, or October
with its 0 dropped by a number format), a month 0 or 13, a closure word with a date that cannot
be read, anything else. A number cell (2023.1 as a float) is never read here: see
:func:`cbcheck.checks.completion.completion_state`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from cbcheck.textnorm import nfkc


class Span(NamedTuple):
    """Done (True), in the days ``first`` … ``last`` (None: unbounded that side; both None: no
    date given)."""

    first: dt.date | None
    last: dt.date | None

    @property
    def one_day(self) -> bool:
        """Written to the day (2023年10月底): judged at it, not at the first day of a month or a year."""
        return self.first is not None and self.first == self.last


# The one list of closure words: a 运行状态 cell saying the facility is closed for good
# (:func:`cbcheck.checks.completion.state_of`), and a completion cell saying the closure is done — in the
# span of the date written beside the word, or undated. Each word with a date, by what the plans mean
# (DOMAIN §3: X年底前 asks the action to be complete by then):
#   关停 / 关闭 / 退出 / 淘汰 / 永久停运  stopped for good, then: 永久停运（2023年9月） is closed in September
#       2023 (停运 / 停产 alone are not here: a stopped unit can restart);
#   拆除 / 已停用拆除 / 报废 / 已注销   the steps that make a closure final (dismantled, scrapped, registration
#       cancelled): never before the unit stopped, so a date by the deadline is on time for certain; a date after
#       it is late, as the plans count a closure done when it is final (淘汰到位), not when the fire went out.
# Beside a 改造 deadline a closure word says the unit closed instead of being retrofitted (改造或退出): the
# task went with the unit, read as done, as a bare 已关停 always was (vocab.DONE_WORDS).
CLOSED_WORDS = frozenset({"已关停", "关停", "已拆除", "拆除", "已淘汰", "淘汰", "已退出", "退出", "已关闭", "关闭",
                          "已报废", "报废", "已停用拆除", "永久停运", "已注销", "closed", "demolished", "retired"})
# 已完成 / 完成 say the cell's own action is done, never a state: a completion column names its action (关停时间,
# 改造完成时间), so 已完成（2023年9月） is a closure in September 2023 beside a 关停 deadline and a retrofit
# beside a 改造 one; in 运行状态 it names no action (a project 已完成 is built, and runs).
CLOSED_OR_DONE = CLOSED_WORDS | {"已完成", "完成"}
_DONE_RE = "|".join(sorted(CLOSED_OR_DONE, key=lambda w: (-len(w), w)))
_MONTH = re.compile(r"^(\d{4})(?:年(\d{1,2})月|[.\-/](\d{1,2}))(底|末)?(前|以前|之前)?$")
_DAY = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?(前|以前|之前)$")
_EXACT = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")
_YEAR = re.compile(r"^(\d{4})年(底|末)?(前|以前|之前)?$")
_WORD_DATE = re.compile(rf"^(?:{_DONE_RE})[(:,;]?(.+?)\)?$|^(.+?)(?:{_DONE_RE})$")


def written_span(text: str) -> Span | None:
    """The span of days a completion cell written as text allows (the cell is done), or None."""
    s = re.sub(r"\s+", "", nfkc(text)).lower().replace("，", ",").replace("：", ":")
    if s in CLOSED_OR_DONE:
        return Span(None, None)
    got = _date_span(s)
    if got is not None:
        return got
    m = _WORD_DATE.match(s)
    if m:
        inner = (m.group(1) or m.group(2) or "").strip("(),:;")
        return _date_span(inner) or _exact(inner)
    return None


def _date_span(s: str) -> Span | None:
    m = _MONTH.match(s)
    if m:
        year, month = int(m.group(1)), int(m.group(2) or m.group(3))
        if s[4] == "." and m.group(3) == "1":              # 2023.1: January, or 2023.10 shown without its 0
            return None
        if not 1 <= month <= 12:
            return None
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if m.group(5):                                     # …月前 / 月底前: by that month's end
            return Span(None, last)
        return Span(last, last) if m.group(4) else Span(dt.date(year, month, 1), last)
    m = _DAY.match(s)
    if m:
        day = _day(m)
        return Span(None, day) if day else None
    m = _YEAR.match(s)
    if m:
        year = int(m.group(1))
        end = dt.date(year, 12, 31)
        if m.group(3):
            return Span(None, end)
        return Span(end, end) if m.group(2) else Span(dt.date(year, 1, 1), end)
    return None


def _exact(s: str) -> Span | None:
    m = _EXACT.match(s)
    day = _day(m) if m else None
    return Span(day, day) if day else None


def _day(m: re.Match[str]) -> dt.date | None:
    """The day a match's year, month and day (groups 1–3) name; None for one no calendar has (02-30)."""
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
