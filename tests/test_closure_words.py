"""The closure words, one list for 运行状态 and completion cells (checks/written_dates.CLOSED_WORDS),
as data: each word alone and with a date, before and after a 2023-10-31 deadline (2023年10月底前关停),
worked by hand. A closure word with a date is closed in the span of that date, whichever word it is
(永久停运（2023年9月）: closed in September 2023); 已完成 / 完成 are done beside any deadline but are
never a 运行状态. Then the county path, whose reason says how the cell was read and, for a month
or a year, that it is late by *at least* the days to its first day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cbcheck.checks import KINDS, Context, Series, Verdict
from cbcheck.checks.base import Unavailable, Value
from cbcheck.checks.completion import blank_by_state, judge_cell, state_of
from cbcheck.model import Rule, Status

DEADLINE = dt.date(2023, 10, 31)
BEFORE, AFTER = dt.date(2023, 6, 30), dt.date(2025, 12, 31)     # the day judged at

# (word, its 运行状态 reading): every closure word is "closed"; 已完成 / 完成 name no state
WORDS = [
    ("已关停", "closed"), ("关停", "closed"), ("已拆除", "closed"), ("拆除", "closed"), ("已淘汰", "closed"),
    ("淘汰", "closed"), ("已退出", "closed"), ("退出", "closed"), ("已关闭", "closed"), ("关闭", "closed"),
    ("已报废", "closed"), ("报废", "closed"), ("已停用拆除", "closed"), ("永久停运", "closed"), ("已注销", "closed"),
    ("closed", "closed"), ("demolished", "closed"), ("Retired", "closed"),
    ("已完成", None), ("完成", None),
]

# (the cell, {w}: the word; judged at; verdict; day judged) against 2023-10-31
FORMS = [
    ("{w}（2023年9月）", AFTER, Verdict.ON_TIME, dt.date(2023, 9, 30)),    # all of September is by 10-31
    ("{w}(2023-10-31)", AFTER, Verdict.ON_TIME, DEADLINE),                  # the deadline's own day: ≤
    ("{w}：2023.11.1", AFTER, Verdict.LATE, dt.date(2023, 11, 1)),           # one day after
    ("2023年11月{w}", AFTER, Verdict.LATE, dt.date(2023, 11, 1)),           # all of November is after: its 1st
    ("{w}（2023年）", AFTER, Verdict.UNREADABLE, None),                      # 2023 holds days on both sides
    ("{w}", BEFORE, Verdict.DONE_NO_DATE, None),                           # done, judged before the deadline
    ("{w}", AFTER, Verdict.DONE_UNDATED, None),                            # done, but by when? the date asked
]


@pytest.mark.parametrize(("form", "as_of", "verdict", "day"), FORMS)
@pytest.mark.parametrize(("word", "state"), WORDS)
def test_each_word_alone_and_with_a_date(word: str, state: str | None, form: str, as_of: dt.date,
                                         verdict: Verdict, day: dt.date | None) -> None:
    got = judge_cell(form.format(w=word), DEADLINE, as_of)
    assert (got.verdict, got.day) == (verdict, day)


@pytest.mark.parametrize(("word", "state"), WORDS)
def test_each_word_as_a_state(word: str, state: str | None) -> None:
    assert state_of(word) == state
    # a blank closure date beside the state, judged after the deadline: closed (date asked for), or not a state
    want = Verdict.DONE_UNDATED if state == "closed" else Verdict.MISSING
    assert blank_by_state(word, DEADLINE, AFTER)[0] is want


# stopped for now, or not done: no closure in them, with a date or without
@pytest.mark.parametrize("text", ["停产（2023年9月）", "停运（2023年9月）", "已停用（2023年9月）",
                                  "未关停（2023年9月）", "拟关停（2024年）", "停运", "已停用"])
def test_words_that_say_no_closure(text: str) -> None:
    assert judge_cell(text, DEADLINE, AFTER).verdict is Verdict.UNREADABLE
    assert state_of(text) is None


# a day no calendar has, after a closure word or as a bound: refused, never a crash nor a month's end
@pytest.mark.parametrize("text", ["已关停（2023-02-30）", "2023年2月29日前", "永久停运：2023.13.1"])
def test_a_day_that_does_not_exist(text: str) -> None:
    got = judge_cell(text, DEADLINE, AFTER)
    assert (got.verdict, got.span) == (Verdict.UNREADABLE, None)


# --- the county path: how the cell was read, and late by at least … for a month ----------------------

KIND = KINDS["completed_by"]
RULE = Rule(id="D-1", indicator="coke_oven_closed", kind="completed_by", title="t", source=None,
            strength="binding", deadline=DEADLINE, target_year=2023)

# (cell in the 2023 column, (status, observed, arithmetic, message)) judged in the 2023 report
COUNTY = [
    ("永久停运（2023年11月）", (Status.FAIL, "2023-11-01", "2023-11-01 > 2023-10-31 (at least 1 day late)",
                          "done late · '永久停运（2023年11月）' read as a day from 2023-11-01 to 2023-11-30")),
    ("已注销（2023年12月）", (Status.FAIL, "2023-12-01", "2023-12-01 > 2023-10-31 (at least 31 days late)",
                         "done late · '已注销（2023年12月）' read as a day from 2023-12-01 to 2023-12-31")),
    # written to the day: late by exactly that, and nothing to say about the reading
    ("永久停运(2023-11-02)", (Status.FAIL, "2023-11-02", "2023-11-02 > 2023-10-31 (2 days late)", "done late")),
    ("已完成（2023年10月底）", (Status.PASS, "2023-10-31", "2023-10-31 ≤ 2023-10-31",
                           "done on time · '已完成（2023年10月底）' read as 2023-10-31")),
    ("已停用拆除（2023年9月）", (Status.PASS, "2023-09-30", "2023-09-30 ≤ 2023-10-31",
                           "done on time · '已停用拆除（2023年9月）' read as a day from 2023-09-01 to 2023-09-30")),
]


def _series(cell: object) -> Series:
    return Series("coke_oven_closed", "4.3米焦炉关停", None, {2023: Value(cell, 2023, None, "表1!F5", str(cell))})


@pytest.mark.parametrize(("cell", "want"), COUNTY)
def test_a_county_cell_says_how_it_was_read(cell: str, want: tuple[Any, ...]) -> None:
    out = KIND.judge(RULE, _series(cell), Context(year=2023))
    assert (out.status, out.observed, out.arithmetic, out.message) == want


# (cell, the error's words): what the reading said where it decides nothing, else the generic words
COUNTY_UNREAD = [
    ("已注销（2023年）",
     "'已注销（2023年）' may be before or after the deadline 2023-10-31; write the day it was done"),
    ("2023.1", "'2023.1' could be January or October (2023.10 shown without its 0); write the full date, "
               "e.g. 2023-10-31"),
    ("已注销（待定）", "'已注销（待定）' is not a completion state"),
    ("停运（2023年9月）", "'停运（2023年9月）' is not a completion state"),
]


@pytest.mark.parametrize(("cell", "said"), COUNTY_UNREAD)
def test_a_county_cell_that_cannot_be_judged(cell: str, said: str) -> None:
    with pytest.raises(Unavailable) as got:
        KIND.judge(RULE, _series(cell), Context(year=2023))
    assert (got.value.status, got.value.message, got.value.location) == (Status.ERROR, said, "表1!F5")


def test_the_judged_cell_carries_the_span_it_read() -> None:
    month = judge_cell("2023年11月", DEADLINE, AFTER)
    assert (month.span.first, month.span.last, month.span.one_day) == \
        (dt.date(2023, 11, 1), dt.date(2023, 11, 30), False)                     # type: ignore[union-attr]
    day = judge_cell("2023年11月底", DEADLINE, AFTER)
    assert (day.verdict, day.day, day.span.one_day) == (Verdict.LATE, dt.date(2023, 11, 30), True)  # type: ignore[union-attr]
    assert judge_cell(dt.date(2023, 11, 1), DEADLINE, AFTER).span is None      # a date cell: nothing written to read
