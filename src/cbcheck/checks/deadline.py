"""Deadlines: X年底前完成、2023年10月底前全部关停、全覆盖 by a year."""

from __future__ import annotations

import datetime as dt

from cbcheck.checks.base import Context, Outcome, Series, Unavailable, miss_status
from cbcheck.model import Rule, Status

DONE_WORDS = frozenset({"是", "已完成", "完成", "已关停", "关停", "已淘汰", "淘汰", "已退出", "退出",
                        "已建成", "建成", "已改造", "改造完成", "已接入", "接入", "已实现", "实现",
                        "yes", "y", "true", "done", "completed", "1", "√", "✓"})
NOT_DONE_WORDS = frozenset({"否", "未完成", "未关停", "未淘汰", "未退出", "未建成", "未改造", "未接入",
                            "未实现", "进行中", "在建", "推进中", "no", "n", "false", "0", "×", "✗"})


def deadline_for(rule: Rule, ctx: Context) -> dt.date:
    """The date a completion rule is due for the reporting year: this year's day for an annual
    deadline (每年11月底前), the rule's date, 31 December of its target year, or — for an open
    mandate (全部纳入…) — the end of the reporting year itself."""
    annual = rule.params.get("annual_deadline")
    if annual:
        month, day = map(int, annual.split("-"))
        return dt.date(ctx.year, month, day)
    if rule.deadline is not None:
        return rule.deadline
    if rule.target_year is not None:
        return dt.date(rule.target_year, 12, 31)
    return ctx.as_of


def completion_state(value: object) -> tuple[bool | None, dt.date | None]:
    """(done?, completion date) from a cell: a date, a yes/no word, or a word plus a date."""
    if isinstance(value, dt.datetime):
        return True, value.date()
    if isinstance(value, dt.date):
        return True, value
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        return (value >= 100 if value > 1 else value >= 1), None   # 100 (%) or 1 reads as done
    text = str(value).strip().lower()
    if text in DONE_WORDS:
        return True, None
    if text in NOT_DONE_WORDS:
        return False, None
    return None, None


def completed_by(rule: Rule, series: Series, ctx: Context) -> Outcome:
    """completed_by — an action must be complete by a deadline.

    The submission attests completion with a date (the completion date), a word
    (是/已完成/已关停 vs 否/未完成), or 100 (%). The deadline is the rule's
    ``deadline`` date, or 31 December of ``target_year`` (X年底前). Judged as of
    31 December of the reporting year:

    - done on or before the deadline → PASS (done on time);
    - done after the deadline → FAIL (done late) — WARN when aspirational;
    - not done and the deadline has come (on or before 31 December of the reporting
      year) → FAIL (overdue) — WARN when aspirational;
    - not done and the deadline is still ahead → NOT_DUE (not yet due).

    ``annual_deadline: "11-30"`` (每年11月底前) recurs: the reporting year's own
    completion date is judged against that day of the reporting year.

    Without ``deadline`` or ``target_year`` the rule is an open mandate
    (所有"两高"项目纳入在线监测): judged as due at the end of the reporting year.

    Example: 2023年10月底前全部关停4.3米焦炉 — closed 2023-09-30 → PASS;
    reported 未关停 for 2024 → FAIL overdue.
    """
    deadline = deadline_for(rule, ctx)
    if rule.params.get("annual_deadline"):
        v = series.need(ctx.year, "this year's completion")   # an earlier year's report does not count
    else:
        v = series.previous(ctx.year + 1)   # the latest report up to the reporting year
    if v is None:
        series.need(ctx.year)
    assert v is not None
    done, when = completion_state(v.value)
    if done is None:
        raise Unavailable(Status.ERROR, f"{v.shown!r} is not a completion state",
                          v.location) from None
    expected = f"done by {deadline.isoformat()}"
    if done and when is not None:
        if when <= deadline:
            return Outcome(Status.PASS, when.isoformat(), expected, "by",
                           f"{when.isoformat()} ≤ {deadline.isoformat()}", "done on time", v.location)
        late = (when - deadline).days
        return Outcome(miss_status(rule), when.isoformat(), expected, "by",
                       f"{when.isoformat()} > {deadline.isoformat()} ({late} days late)", "done late", v.location)
    if done:
        note = "done (no completion date given)"
        if ctx.as_of >= deadline and v.year > deadline.year:
            note = f"done as reported for {v.year}, after the deadline year; give the completion date"
        return Outcome(Status.PASS, v.shown, expected, "by", f"reported {v.shown!r} for {v.year}", note, v.location,
                       details={"date_missing": True})
    if ctx.as_of >= deadline:
        return Outcome(miss_status(rule), v.shown, expected, "by",
                       f"not done as of {ctx.as_of.isoformat()} > {deadline.isoformat()}", "overdue", v.location)
    return Outcome(Status.NOT_DUE, v.shown, expected, "by",
                   f"not done yet; deadline {deadline.isoformat()}", "not yet due", v.location)
