"""One completion cell read and judged against a deadline, the same on every engine and for
region and facility rules alike: a date, a yes/no or done word, 100 (%), a month or a closure word
as plants write them (:mod:`cbcheck.checks.written_dates`), and — where the date is blank — the
facility's 运行状态. The kind that asks (``completed_by``) is :mod:`cbcheck.checks.deadline`."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from cbcheck.checks.kind import Verdict
from cbcheck.checks.written_dates import CLOSED_WORDS, Span, written_span
from cbcheck.i18n.message import Msg
from cbcheck.vocab import truth


def completion_state(value: object) -> tuple[bool | None, dt.date | None]:
    """(done?, completion date) from a cell: a date, a yes/no word, or 100 (%) / 1 for done.
    The one reading of a completion cell, for region and facility rules alike."""
    if isinstance(value, dt.datetime):
        return True, value.date()
    if isinstance(value, dt.date):
        return True, value
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        if value != value:               # NaN: a blank cell
            return None, None
        if abs(value) >= 1000:           # a year (2023), year.month (2023.10), an Excel date serial
            return None, None            # (45230): a date, not a percentage; refused, never "done"
        return (value >= 100 if value > 1 else value >= 1), None   # 100 (%) or 1 reads as done
    said = truth(value)
    if said is None and isinstance(value, str):
        try:                                 # "100" or "100%" written as text
            return completion_state(float(value.strip().rstrip("%％")))
        except ValueError:
            return None, None
    return said, None


def example_day(deadline: dt.date) -> str:
    """A day to show how a completion date is written (the last day of the month before the
    deadline's): an ISO date a plant can copy the form of, never the deadline itself."""
    return (deadline.replace(day=1) - dt.timedelta(days=1)).isoformat()


def undated(deadline: dt.date) -> Msg:
    """The reason of a completion written without its date once the deadline has come."""
    return Msg("msg.done_undated", deadline=deadline.isoformat(), example=example_day(deadline))


class Judged(NamedTuple):
    """One completion cell judged (:func:`judge_cell`): the verdict, its reason, the day judged; for text
    read as a span of days (2023年11月), the span and ``written``: how the text was read, or why what
    it allows does not decide (across the deadline, 2023.1) — so that a caller words its own reason
    from these values, never from the keys inside ``reason``."""

    verdict: Verdict
    reason: Msg | None
    day: dt.date | None
    span: Span | None = None
    written: Msg | None = None


def judge_cell(value: object, deadline: dt.date, as_of: dt.date, open_mandate: bool = False) -> Judged:
    """One completion cell against its deadline: :func:`completion_state`, and for text it cannot
    read, the span of days a plant's wording allows (:mod:`cbcheck.checks.written_dates`:
    2023年10月底, 2023年11月, 已关停（2023年9月）; 已拆除 is done without a date). A span decides
    only where all of it does: its last day by the deadline is on time, its first day after it is
    late; a span across the deadline (2023年11月 against 11-15) is not read — the day is asked
    for, never a pass. Done without a date is on time only judged before the deadline (or
    under an open mandate); from the deadline on it is DONE_UNDATED, the date asked for."""
    done, when = completion_state(value)
    span = written_span(value) if done is None and isinstance(value, str) else None
    if span is not None and (span.first or span.last):
        read = _read_as(repr(value), span)
        if span.last is not None and span.last <= deadline:
            return Judged(Verdict.ON_TIME, read, span.last, span, read)
        if span.first is not None and span.first > deadline:
            late = days_after(span.first, deadline, at_least=not span.one_day)
            return Judged(Verdict.LATE, Msg("msg.dot", left=read, right=late), span.first, span, read)
        across = Msg("msg.date_span_across", raw=repr(value), deadline=deadline.isoformat())
        return Judged(Verdict.UNREADABLE, across, None, span, across)
    if span is not None:
        done = True                               # 已拆除: done, no date
    verdict = completion_verdict(done, when, deadline, as_of, open_mandate)
    if verdict is Verdict.DONE_UNDATED:
        return Judged(verdict, undated(deadline), None)
    if verdict is Verdict.LATE and when is not None:
        return Judged(verdict, days_after(when, deadline), when)
    if verdict is Verdict.UNREADABLE:
        if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\.1\s*", value):
            ambiguous = Msg("msg.date_month_ambiguous", raw=repr(value))
            return Judged(verdict, ambiguous, None, None, ambiguous)
        return Judged(verdict, Msg("msg.not_date", value=repr(value)), None)
    return Judged(verdict, None, when)


def _read_as(raw: str, span: Span) -> Msg:
    """How a written completion was read: as a day, as done by a day, or as some day between two."""
    first, last = span
    if last is not None and first in (None, last):
        return Msg("msg.date_read_as_day" if first else "msg.date_read_as_by", raw=raw, day=last.isoformat())
    return Msg("msg.date_read_as", raw=raw, first=first.isoformat() if first else "…",
               last=last.isoformat() if last else "…")


def completion_verdict(done: bool | None, when: dt.date | None, deadline: dt.date, as_of: dt.date,
                       open_mandate: bool = False) -> Verdict:
    """What a completion state means against a deadline, judged as of ``as_of``.

    Done without a date: judged before the deadline, it is certainly on time (DONE_NO_DATE,
    a pass). Judged on the deadline day or after, nothing says when it was done: the report is
    written after the day it is judged at, so 已关停 in a 2023 report, for a 2023-12-31
    deadline, may be a closure of January 2024. The date is what is missing (DONE_UNDATED,
    MISSING): not a pass nobody can vouch for, not a failure nothing shows."""
    if done is None:
        return Verdict.UNREADABLE
    if done and when is not None:
        return Verdict.ON_TIME if when <= deadline else Verdict.LATE
    if done:
        return Verdict.DONE_NO_DATE if open_mandate or as_of < deadline else Verdict.DONE_UNDATED
    return Verdict.OVERDUE if as_of >= deadline else Verdict.NOT_DUE


# 运行状态 words of a unit still running (closed for good: written_dates.CLOSED_WORDS); stopped for now is
# neither (停产 is not 关停: the plant can restart).
RUNNING_STATES = frozenset({"在产", "运行", "在运", "在用", "生产", "正常生产", "正常运行", "投运", "运营", "在建",
                            "running", "operating", "in operation"})


def state_of(text: object) -> str | None:
    """closed | running | None (unknown, or 停产/停用: stopped but not closed) for a 运行状态 cell."""
    if not isinstance(text, str):
        return None
    key = text.strip().lower()
    if key in CLOSED_WORDS:
        return "closed"
    if key in RUNNING_STATES:
        return "running"
    return None


def blank_by_state(state: object, deadline: dt.date, as_of: dt.date,
                   open_mandate: bool = False) -> tuple[Verdict, Msg | None, object]:
    """What a blank completion cell means given the facility's 运行状态 (None: none given):
    (verdict, reason, what is observed). The numpy path asks it per facility, the SQL engines
    once per distinct state word: one reading of the state on every engine."""
    said = state_of(state)
    if said == "closed":             # 已关停 with no date: done; on time only if judged before the deadline
        if completion_verdict(True, None, deadline, as_of, open_mandate) is Verdict.DONE_UNDATED:
            return Verdict.DONE_UNDATED, Msg("msg.state_closed_undated", state=state, deadline=deadline.isoformat(),
                                             example=example_day(deadline)), state
        return Verdict.DONE_NO_DATE, Msg("msg.state_closed", state=state), state
    if said == "running":            # still operating: overdue once the deadline has come
        if as_of >= deadline:
            return Verdict.OVERDUE, Msg("msg.state_running_after", state=state, date=deadline.isoformat()), state
        return Verdict.NOT_DUE, Msg("msg.state_running", state=state), state
    blank = state is None or (isinstance(state, float) and state != state)
    said = None if blank else Msg("msg.state_unknown", state=repr(state))
    if not open_mandate and as_of < deadline:
        # nothing said, before the deadline: whether done or not, nothing is due yet (a blank is at
        # worst not done, and not done is NOT_DUE until the day), never a value the plant owes
        return Verdict.NOT_DUE, said, None
    return Verdict.MISSING, said, None


def done_undated(value: object) -> bool:
    """Whether a cell says done without a date (已完成, 100, 已拆除), as :func:`judge_cell` reads it."""
    done, when = completion_state(value)
    if done is None and isinstance(value, str):
        span = written_span(value)
        return span is not None and not (span.first or span.last)
    return bool(done) and when is None


def days_after(when: dt.date, deadline: dt.date, at_least: bool = False) -> Msg:
    """``3 days after 2023-10-31`` (``1 day after …``): how late a facility's completion was;
    ``at_least`` when ``when`` is the first day a month or a year written allows (2024年: at least
    62 days after 2023-10-31, not 62)."""
    late = (when - deadline).days
    key = ("msg.day_after" if late == 1 else "msg.days_after") + ("_at_least" if at_least else "")
    return Msg(key, n=late, date=deadline.isoformat())
