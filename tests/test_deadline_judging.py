"""completed_by judged by hand, region and facility: a deadline's own day, one day after it, a
report before the deadline's year, the words 已完成/完成/未完成, a blank, and the 运行状态 column
a facility table may carry instead of a closure date. Every sentence is the product (the
report prints it), so each is written out in full.

Judged as of 31 December of the reporting year (``Context.as_of``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from cbcheck.checks import KINDS, Context, FacilityColumn, Series, Verdict
from cbcheck.checks.base import Unavailable, Value
from cbcheck.checks.completion import state_of
from cbcheck.i18n.phrases import translate
from cbcheck.model import Rule, Status

KIND = KINDS["completed_by"]
OCT31 = dt.date(2023, 10, 31)        # 2023年10月底前: on or before 2023-10-31


def rule(strength: str = "binding", **kw: Any) -> Rule:
    return Rule(id="D-1", indicator="coke_oven_closed", kind="completed_by", title="t", source=None,
                strength=strength, **kw)


def oct_rule(strength: str = "binding") -> Rule:
    return rule(strength, deadline=OCT31, target_year=2023)


def series(*cells: tuple[int, object, str]) -> Series:
    """(year, value, as shown) per year; the cell of year Y is 表1!F{Y-2018} (2023 → F5)."""
    return Series("coke_oven_closed", "4.3米焦炉关停", None,
                  {y: Value(v, y, None, f"表1!F{y - 2018}", shown) for y, v, shown in cells})


def judge(r: Rule, s: Series, year: int) -> Any:
    return KIND.judge(r, s, Context(year=year))


def as_tuple(out: Any) -> tuple[Any, ...]:
    return (out.status, out.observed, out.expected, out.comparator, out.arithmetic, out.message, out.location)


# --- region: a completion date against 2023-10-31 ---------------------------------------------------

@pytest.mark.parametrize("closed,strength,want", [
    # the deadline's own day is on time: 10-31 ≤ 10-31
    (dt.date(2023, 10, 31), "binding",
     (Status.PASS, "2023-10-31", "done by 2023-10-31", "by", "2023-10-31 ≤ 2023-10-31", "done on time", "表1!F5")),
    # 11-01 − 10-31 = 1 day: late, "day" singular
    (dt.date(2023, 11, 1), "binding",
     (Status.FAIL, "2023-11-01", "done by 2023-10-31", "by", "2023-11-01 > 2023-10-31 (1 day late)", "done late",
      "表1!F5")),
    # 11-02 − 10-31 = 2 days: plural
    (dt.date(2023, 11, 2), "binding",
     (Status.FAIL, "2023-11-02", "done by 2023-10-31", "by", "2023-11-02 > 2023-10-31 (2 days late)", "done late",
      "表1!F5")),
    # aspirational (力争): late is a warning, with the same sentence
    (dt.date(2023, 11, 1), "aspirational",
     (Status.WARN, "2023-11-01", "done by 2023-10-31", "by", "2023-11-01 > 2023-10-31 (1 day late)", "done late",
      "表1!F5")),
])
def test_a_completion_date_at_the_deadline(closed: dt.date, strength: str, want: tuple[Any, ...]) -> None:
    out = judge(oct_rule(strength), series((2023, closed, closed.isoformat())), 2023)
    assert as_tuple(out) == want


def test_the_words_of_a_late_completion_in_chinese() -> None:
    out = judge(oct_rule(), series((2023, dt.date(2023, 11, 2), "2023-11-02")), 2023)
    assert translate(out.arithmetic, "zh") == "2023-11-02 > 2023-10-31（逾期 2 天）"
    assert translate(out.expected, "zh") == "2023-10-31前完成"


@pytest.mark.parametrize("word,year,want", [
    # reported in 2023, judged as of 2023-12-31 > 2023-10-31: overdue, said as an inequality
    ("未完成", 2023, (Status.FAIL, "未完成", "done by 2023-10-31", "by", "not done as of 2023-12-31 > 2023-10-31",
                    "overdue", "表1!F5")),
    # reported for 2022: the deadline (2023) is still ahead, whatever the word
    ("未完成", 2022, (Status.NOT_DUE, "未完成", "done by 2023-10-31", "by", "not done yet; deadline 2023-10-31",
                    "not yet due", "表1!F4")),
    # 已完成 without a date in the 2023 column, judged as of 2023-12-31 ≥ 2023-10-31: done, but it could
    # have been November: the date is what is missing (MISSING), not a pass nobody can vouch for
    ("已完成", 2023, (Status.MISSING, "已完成", "done by 2023-10-31", "by", "reported '已完成' for 2023",
                    "reported “已完成” for 2023 without a completion date: cannot tell whether it was done by "
                    "2023-10-31; write the completion date in the cell (e.g. 2023-09-30)", "表1!F5")),
    # the 2022 column: the year ended before the deadline, on time for certain
    ("完成", 2022, (Status.PASS, "完成", "done by 2023-10-31", "by", "reported '完成' for 2022",
                  "done (no completion date given)", "表1!F4")),
    # 完成 reported for 2024 only, after the deadline's year: it may have been late
    ("完成", 2024, (Status.MISSING, "完成", "done by 2023-10-31", "by", "reported '完成' for 2024",
                  "reported “完成” for 2024 without a completion date: cannot tell whether it was done by "
                  "2023-10-31; write the completion date in the cell (e.g. 2023-09-30)", "表1!F6")),
])
def test_completion_words(word: str, year: int, want: tuple[Any, ...]) -> None:
    out = judge(oct_rule(), series((year, word, word)), year)
    assert as_tuple(out) == want
    assert out.details == ({"date_missing": True} if want[0] in (Status.PASS, Status.MISSING) else {})


@pytest.mark.parametrize("cells,judged_in,want", [
    # 2022 and 2023 both say done: the 2022 column shows it was done before 2023-10-31 → PASS, that cell cited
    (((2022, "已完成"), (2023, "已完成")), 2023, (Status.PASS, "reported '已完成' for 2022", "表1!F4")),
    (((2021, "是"), (2022, "已完成"), (2024, "完成")), 2025, (Status.PASS, "reported '是' for 2021", "表1!F3")),
    # a 未完成 between breaks the run: the latest done column (2024) decides, and it cannot tell
    (((2022, "已完成"), (2023, "未完成"), (2024, "已完成")), 2024,
     (Status.MISSING, "reported '已完成' for 2024", "表1!F6")),
    # a dated earlier column is judged by its date, not as an undated done
    (((2022, dt.date(2022, 5, 1)), (2023, "已完成")), 2023, (Status.MISSING, "reported '已完成' for 2023", "表1!F5")),
    # 已拆除 (done, no date, a word of written_dates) counts as done in an earlier column
    (((2022, "已拆除"), (2023, "已完成")), 2023, (Status.PASS, "reported '已拆除' for 2022", "表1!F4")),
])
def test_the_earliest_done_column_decides(cells: tuple[tuple[int, object], ...], judged_in: int,
                                         want: tuple[Any, ...]) -> None:
    out = judge(oct_rule(), series(*[(y, v, str(v)) for y, v in cells]), judged_in)
    assert (out.status, out.arithmetic, out.location) == want


@pytest.mark.parametrize("target_year,cells,judged_in,status", [
    # 2025年底前 (2025-12-31): a year column speaks for its year, so done in the 2024 or the 2025 column is done
    # by 2025-12-31; done in the 2026 column alone could be 2026
    (2025, ((2024, "已完成"),), 2024, Status.PASS),
    (2025, ((2025, "已完成"),), 2025, Status.PASS),
    (2025, ((2026, "已完成"),), 2026, Status.MISSING),
    (2025, ((2025, "是"), (2026, "已完成")), 2026, Status.PASS),
    (None, ((2025, "已完成"),), 2025, Status.PASS),          # an open mandate has no deadline to be late for
])
def test_undated_done_at_a_year_end_deadline(target_year: int | None, cells: tuple[tuple[int, str], ...],
                                             judged_in: int, status: Status) -> None:
    kw = {"target_year": target_year} if target_year else {}
    out = judge(rule(**kw), series(*[(y, v, v) for y, v in cells]), judged_in)
    assert out.status is status


def test_an_annual_deadline_never_takes_last_years_column() -> None:
    # 每年11月20日前: 是 in the 2025 column cannot tell whether by 2025-11-20; 是 in 2024 was last year's task
    annual = rule(params={"annual_deadline": "11-20"})
    out = judge(annual, series((2024, "是", "是"), (2025, "是", "是")), 2025)
    assert (out.status, out.location) == (Status.MISSING, "表1!F7")
    assert translate(out.message, "zh") == ("2025年填报“是”，未填写完成日期：无法判断是否在 2025-11-20 前完成；"
                                            "请在该单元格填写完成日期（如 2025-10-31）")


def test_the_words_of_an_undated_completion_in_chinese() -> None:
    out = judge(oct_rule(), series((2023, "已完成", "已完成")), 2023)
    assert translate(out.message, "zh") == ("2023年填报“已完成”，未填写完成日期：无法判断是否在 2023-10-31 前完成；"
                                            "请在该单元格填写完成日期（如 2023-09-30）")


def test_not_done_when_the_deadline_is_the_last_day_of_the_year() -> None:
    # 2025年底前 = 2025-12-31 = as_of: the deadline has come (overdue), but "as of 12-31 > 12-31" is false
    out = judge(rule(target_year=2025), series((2025, "未完成", "未完成")), 2025)
    assert as_tuple(out) == (Status.FAIL, "未完成", "done by 2025-12-31", "by", "not done by the deadline 2025-12-31",
                             "overdue", "表1!F7")
    aspirational = judge(rule("aspirational", target_year=2025), series((2025, "未完成", "未完成")), 2025)
    assert aspirational.status is Status.WARN


def test_the_latest_report_up_to_the_reporting_year_is_judged() -> None:
    s = series((2022, "未完成", "未完成"), (2024, dt.date(2024, 3, 1), "2024-03-01"), (2026, "已完成", "已完成"))
    # as of 2025: 2024's date (2026 is after the reporting year and does not count)
    assert as_tuple(judge(oct_rule(), s, 2025))[:2] == (Status.FAIL, "2024-03-01")
    # as of 2024: the same cell, in its own year
    assert judge(oct_rule(), s, 2024).location == "表1!F6"
    # as of 2023: 2022's 未完成, the only report up to 2023 (2024 is later)
    assert as_tuple(judge(oct_rule(), s, 2023))[:2] == (Status.FAIL, "未完成")


def test_a_blank_and_an_unreadable_cell() -> None:
    with pytest.raises(Unavailable) as blank:
        judge(oct_rule(), series(), 2023)
    assert (blank.value.status, blank.value.message) == (Status.MISSING, "4.3米焦炉关停 2023 is not in the submission")
    with pytest.raises(Unavailable) as unreadable:
        judge(oct_rule(), series((2023, "待定", "待定")), 2023)
    assert (unreadable.value.status, unreadable.value.message, unreadable.value.location) == \
        (Status.ERROR, "'待定' is not a completion state", "表1!F5")


def test_an_annual_deadline_needs_this_years_report() -> None:
    annual = rule(params={"annual_deadline": "11-30"})
    s = series((2024, dt.date(2024, 11, 20), "2024-11-20"))
    with pytest.raises(Unavailable) as missing:
        judge(annual, s, 2025)
    assert missing.value.message == "4.3米焦炉关停 2025 (this year's completion) is not in the submission"
    out = judge(annual, s, 2024)
    assert (out.status, out.arithmetic) == (Status.PASS, "2024-11-20 ≤ 2024-11-30")


# --- 运行状态 words and annual days -----------------------------------------------------------------

@pytest.mark.parametrize("text,state", [
    ("已关停", "closed"), (" 拆除 ", "closed"), ("Closed", "closed"), ("RETIRED", "closed"),
    ("在产", "running"), ("In Operation", "running"), ("停产", None), ("", None), (None, None), (1, None),
])
def test_state_words(text: object, state: str | None) -> None:
    assert state_of(text) == state


@pytest.mark.parametrize("day,problems", [
    ("02-29", []),                  # 每年2月29日: a real day in a leap year
    ("02-30", [("annual_deadline", "02-30 is not a real month-day (MM-DD)")]),
    ("12-31", []),
])
def test_annual_days(day: str, problems: list[tuple[str, str]]) -> None:
    assert KIND.lint({"annual_deadline": day}) == problems


# --- facilities (numpy; the same table through DuckDB is tests/cases/facility-deadline-edges) --------

def column(values: list[object], states: list[object] | None) -> FacilityColumn:
    n = len(values)
    arr = np.empty(n, dtype=object)
    arr[:] = values
    st = None
    if states is not None:
        st = np.empty(n, dtype=object)
        st[:] = states
    return FacilityColumn(values=arr, previous=None, thresholds=None, verdicts=np.full(n, -1),
                          observed=np.full(n, None, dtype=object), expected=np.full(n, None, dtype=object),
                          reasons=np.full(n, None, dtype=object), states=st)


NAN = float("nan")
# done without a date, judged in 2025 after the 2023-10-31 deadline: when is what is missing
UNDATED = "cannot tell whether it was done by 2023-10-31; write the completion date (e.g. 2023-09-30)"
# (value, 运行状态, verdict as of 2025 against 2023-10-31, reason, observed)
FACILITIES = [
    (OCT31, "已关停", Verdict.ON_TIME, None, OCT31),
    (dt.date(2023, 11, 1), None, Verdict.LATE, "1 day after 2023-10-31", dt.date(2023, 11, 1)),
    (dt.date(2023, 11, 3), None, Verdict.LATE, "3 days after 2023-10-31", dt.date(2023, 11, 3)),
    # closed, no date, judged in 2025 after the deadline: when is what is missing
    (None, "已关停", Verdict.DONE_UNDATED, "status “已关停” (closed): cannot tell whether it closed "
     "by 2023-10-31; write the closure date (e.g. 2023-09-30)", "已关停"),
    (NAN, "Closed", Verdict.DONE_UNDATED, "status “Closed” (closed): cannot tell whether it closed "
     "by 2023-10-31; write the closure date (e.g. 2023-09-30)", "Closed"),
    (None, "在产", Verdict.OVERDUE, "status “在产” (still operating) after 2023-10-31", "在产"),
    (None, "停产", Verdict.MISSING, "status '停产' is neither closed (“已关停”) nor operating (“在产”)", None),
    (None, None, Verdict.MISSING, None, None),
    (NAN, None, Verdict.MISSING, None, None),
    ("待定", None, Verdict.UNREADABLE, "'待定' is neither a date nor a completion state (是/否, 已完成/未完成)",
     "待定"),
    ("已完成", None, Verdict.DONE_UNDATED, UNDATED, "已完成"),
    ("未完成", "在产", Verdict.OVERDUE, None, "未完成"),
    (1.0, None, Verdict.DONE_UNDATED, UNDATED, 1.0),          # a yes/no column written 1/0
    (0.0, None, Verdict.OVERDUE, None, 0.0),
    (100.0, None, Verdict.DONE_UNDATED, UNDATED, 100.0),      # 100 (%)
]


def test_facilities_against_2023_10_31() -> None:
    col = column([f[0] for f in FACILITIES], [f[1] for f in FACILITIES])
    KIND.judge_facilities(oct_rule(), col, Context(year=2025))
    assert [Verdict(v) for v in col.verdicts] == [f[2] for f in FACILITIES]
    assert list(col.reasons) == [f[3] for f in FACILITIES]
    observed = list(col.observed)
    assert [o if o == o else "nan" for o in observed] == [f[4] for f in FACILITIES]   # no NaN is observed
    assert list(col.expected) == [OCT31] * len(FACILITIES)


def test_a_running_facility_before_and_on_the_deadline() -> None:
    # 2025年底前 关停: 在产 in the 2024 report is not yet due; in the 2025 report the deadline
    # (2025-12-31 = as_of) has come
    for year, verdict, reason in ((2024, Verdict.NOT_DUE, "status “在产” (still operating)"),
                                  (2025, Verdict.OVERDUE, "status “在产” (still operating) after 2025-12-31")):
        col = column([None, "未完成"], ["在产", None])
        KIND.judge_facilities(rule(target_year=2025), col, Context(year=year))
        assert [Verdict(v) for v in col.verdicts] == [verdict, verdict]
        assert (col.reasons[0], col.observed[0], col.reasons[1]) == (reason, "在产", None)
    assert translate(col.reasons[0], "zh") == "运行状态 在产：2025-12-31后仍在运行"


# Done without a date, by the day judged at against 2024-06-30: before it on time for certain (PASS),
# on the deadline day or after it the date is asked for (MISSING). As of is the day judged at.
@pytest.mark.parametrize("as_of,verdict", [
    (dt.date(2024, 6, 29), Verdict.DONE_NO_DATE),
    (dt.date(2024, 6, 30), Verdict.DONE_UNDATED),
    (dt.date(2024, 7, 1), Verdict.DONE_UNDATED),
])
def test_undated_done_by_the_day_judged_at(as_of: dt.date, verdict: Verdict) -> None:
    from cbcheck.checks.completion import blank_by_state, completion_verdict, judge_cell

    june30 = dt.date(2024, 6, 30)
    assert completion_verdict(True, None, june30, as_of) is verdict
    assert judge_cell("已关停", june30, as_of)[0] is verdict
    assert judge_cell("已拆除", june30, as_of)[0] is verdict
    assert blank_by_state("已关停", june30, as_of)[0] is verdict
    assert verdict.status(True) is (Status.PASS if verdict is Verdict.DONE_NO_DATE else Status.MISSING)
    assert completion_verdict(True, None, june30, as_of, open_mandate=True) is Verdict.DONE_NO_DATE
    assert completion_verdict(True, dt.date(2024, 6, 30), june30, as_of) is Verdict.ON_TIME   # a date decides


def test_facilities_closed_without_a_date_before_the_deadline() -> None:
    # 2025年底前 关停, judged in the 2024 report (as of 2024-12-31): 已关停 without a date is on time
    col = column([None, "已完成"], ["已关停", None])
    KIND.judge_facilities(rule(target_year=2025), col, Context(year=2024))
    assert [Verdict(v) for v in col.verdicts] == [Verdict.DONE_NO_DATE, Verdict.DONE_NO_DATE]
    assert list(col.reasons) == ["status “已关停” (closed), no date given", None]
    col = column([None, "已完成"], ["已关停", None])
    KIND.judge_facilities(rule(target_year=2025), col, Context(year=2025))
    assert [Verdict(v) for v in col.verdicts] == [Verdict.DONE_UNDATED, Verdict.DONE_UNDATED]
    assert translate(col.reasons[0], "zh") == ("运行状态 已关停：无法判断是否在 2025-12-31 前关停；"
                                               "请填写关停日期（如 2025-11-30）")


def test_facilities_without_a_state_column_and_rows_already_judged() -> None:
    col = column([None, dt.date(2023, 11, 1), "待定"], None)
    col.verdicts[2] = Verdict.EXEMPT                 # set by the selection: left as it is
    KIND.judge_facilities(oct_rule(), col, Context(year=2023))
    assert [Verdict(v) for v in col.verdicts] == [Verdict.MISSING, Verdict.LATE, Verdict.EXEMPT]
    assert list(col.reasons) == [None, "1 day after 2023-10-31", None]


# A completion cell's number is a share done (1, 100, 100 %; 120 for a task over-done) or a
# progress below it; a year, a year.month or an Excel date serial is a date the plant wrote in a
# way that loses the day (2023.12, 45300 = 2024-01-09): refused, never read as "done".
@pytest.mark.parametrize("value,done", [
    (100, True), (120, True), (999.9, True), (1, True), (0.5, False), (80, False), ("100%", True),
    (2023, None), (2023.12, None), ("2023.12", None), ("2023.10", None), (45300, None), (45230.0, None),
    ("45300", None), (1000, None),
])
def test_a_number_that_is_a_date_is_not_read_as_done(value: object, done: bool | None) -> None:
    from cbcheck.checks.completion import completion_state
    assert completion_state(value) == (done, None)
