"""Deadlines: X年底前完成、2023年10月底前全部关停、全覆盖 by a year."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from cbcheck.checks.base import Context, Outcome, Series, Unavailable, Value, miss_status
from cbcheck.checks.completion import blank_by_state, done_undated, example_day, judge_cell
from cbcheck.checks.kind import FacilityColumn, Kind, Verdict, register
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule, Status

if TYPE_CHECKING:
    from cbcheck.backends.sql import FacilitySql, SqlJudgement


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


def is_open(rule: Rule) -> bool:
    """An open mandate (全部纳入在线监测): no deadline of its own, due at the end of each reporting
    year, so a completion without a date is complete, never one whose timeliness is unknown."""
    return not (rule.params.get("annual_deadline") or rule.deadline is not None or rule.target_year is not None)


def _done_since(series: Series, v: Value) -> Value:
    """The earliest of the year columns up to ``v`` that all read done without a date (``v`` itself
    when the one before does not): the first year the completion is reported for."""
    first = v
    for year in sorted((y for y in series.values if y < v.year), reverse=True):
        if not done_undated(series.values[year].value):
            break
        first = series.values[year]
    return first


def _set(col: FacilityColumn, at: Any, codes: Any, verdicts: Any, reasons: Any, observed: Any) -> None:
    """The verdicts (reasons and observed values, where not None) of the distinct values, given
    to the facilities at positions ``at`` by their codes (-1: the last entry)."""
    k = codes[at]
    col.verdicts[at] = verdicts[k]
    for target, by_code in ((col.reasons, reasons), (col.observed, observed)):
        if by_code is not None:
            got = by_code[k]
            has = got != None  # noqa: E711 (element-wise, on an object array)
            target[at[has]] = got[has]


def _real_month_day(text: str) -> bool:
    try:
        month, day = map(int, text.split("-"))
        dt.date(2000, month, day)          # a leap year: 02-29 is a real annual day
    except ValueError:
        return False
    return True


@register
class CompletedBy(Kind):
    """completed_by — an action must be complete by a deadline.

    The submission attests completion with a date (the completion date), a word
    (是/已完成/已关停 vs 否/未完成), or 100 (%). The deadline is the rule's
    ``deadline`` date, or 31 December of ``target_year`` (X年底前). Judged as of
    31 December of the reporting year:

    - done on or before the deadline → PASS (done on time);
    - done after the deadline → FAIL (done late) — WARN when aspirational;
    - not done and the deadline has come (on or before 31 December of the reporting
      year) → FAIL (overdue) — WARN when aspirational;
    - not done and the deadline is still ahead → NOT_DUE (not yet due);
    - done without a date (已关停, 已完成, 100): judged before the deadline → PASS;
      judged on the deadline day or after → MISSING, the completion date asked for
      (when it was done is what decides, and nothing says). A county table's year
      column speaks for its year (done by its 31 December): 已完成 in the 2022 column
      is before a 2023-10-31 deadline → PASS; in the 2023 column it could be November
      → MISSING; in the 2025 column of a 2025年底前 task → PASS. An open mandate has
      no deadline to be late for: done is PASS.

    ``annual_deadline: "11-30"`` (每年11月底前) recurs: the reporting year's own
    completion date is judged against that day of the reporting year.

    Without ``deadline`` or ``target_year`` the rule is an open mandate
    (所有"两高"项目纳入在线监测): judged as due at the end of the reporting year.

    Facility rules: each facility's completion cell, read the same way.

    Example: 2023年10月底前全部关停4.3米焦炉 — closed 2023-09-30 → PASS;
    reported 未关停 for 2024 → FAIL overdue.
    """

    name = "completed_by"
    fields = frozenset({"deadline", "annual_deadline"})
    facility = True
    facility_values = "cells"

    def describe(self, rule: Rule, lang: str = "en") -> str:
        annual = rule.params.get("annual_deadline")
        if lang == "zh":
            if annual:
                month, day = annual.split("-")
                return f"每年{int(month)}月{int(day)}日前完成"
            if rule.deadline:
                return f"{rule.deadline.year}年{rule.deadline.month}月{rule.deadline.day}日前完成"
            return f"{rule.target_year}年底前完成" if rule.target_year else "完成"
        if annual:
            return f"complete by {annual} every year"
        if rule.deadline:
            return f"complete by {rule.deadline.isoformat()}"
        return f"complete by {rule.target_year}" if rule.target_year else "complete"

    def absent(self, rule: Rule, ctx: Context) -> Verdict:
        """No completion column: not due before the deadline (as a blank cell, :func:`blank_by_state`)."""
        return Verdict.NOT_DUE if not is_open(rule) and ctx.as_of < deadline_for(rule, ctx) else Verdict.MISSING

    def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
        deadline = deadline_for(rule, ctx)
        if rule.params.get("annual_deadline"):   # an earlier year's report does not count
            v = series.need(ctx.year, Msg("msg.w_this_completion"))
        else:                                     # the latest report up to the reporting year
            v = series.previous(ctx.year + 1) or series.need(ctx.year)
        judged = judge_cell(v.value, deadline, ctx.as_of, is_open(rule))
        verdict, when, read = judged.verdict, judged.day, judged.written      # read: 2023年10月底, how it was read
        expected = Msg("msg.done_by", date=deadline.isoformat())
        if verdict is Verdict.UNREADABLE:
            raise Unavailable(Status.ERROR, read or Msg("msg.not_completion", raw=v.shown), v.location)
        if verdict is Verdict.ON_TIME:
            assert when is not None
            on_time = Msg("msg.done_on_time")
            return Outcome(Status.PASS, when.isoformat(), expected, "by",
                           f"{when.isoformat()} ≤ {deadline.isoformat()}",
                           Msg("msg.dot", left=on_time, right=read) if read else on_time, v.location)
        if verdict is Verdict.LATE:
            assert when is not None
            late = (when - deadline).days
            # 2023年11月: judged at the first day it allows, so late by at least that much, and said how read
            spanned = judged.span is not None and not judged.span.one_day
            key = ("msg.day_late" if late == 1 else "msg.days_late") + ("_at_least" if spanned else "")
            return Outcome(miss_status(rule), when.isoformat(), expected, "by",
                           Msg(key, calc=f"{when.isoformat()} > {deadline.isoformat()}", n=late),
                           Msg("msg.dot", left=Msg("msg.done_late"), right=read)
                           if spanned and read is not None else Msg("msg.done_late"), v.location)
        if verdict in (Verdict.DONE_NO_DATE, Verdict.DONE_UNDATED):
            # A year column speaks for its year, as every number in the table does: done in the 2022 column is
            # done by 2022-12-31, before a 2023-10-31 deadline for certain; done in the 2023 column could be
            # November (MISSING); done in the 2025 column of a 2025年底前 task is done by its 2025-12-31 deadline.
            # (A facility's 运行状态 has no year: it says the state when the table was filled, after the as-of
            # day, so there the deadline day itself is already too late to tell.) The earliest column of the
            # run of done reports decides.
            # An earlier column is cited only where the judged one does not decide by itself.
            # An annual deadline is this year's: last year's 已完成 is last year's task, never evidence.
            decided = verdict is Verdict.DONE_NO_DATE or dt.date(v.year, 12, 31) <= deadline
            first = v if decided or rule.params.get("annual_deadline") else _done_since(series, v)
            if decided or dt.date(first.year, 12, 31) <= deadline:
                return Outcome(Status.PASS, v.shown, expected, "by",
                               Msg("msg.reported", value=first.shown, year=first.year), Msg("msg.done_no_date"),
                               first.location, details={"date_missing": True})
            return Outcome(Status.MISSING, v.shown, expected, "by", Msg("msg.reported", value=v.shown, year=v.year),
                           Msg("msg.done_undated_year", value=v.shown, year=v.year, deadline=deadline.isoformat(),
                               example=example_day(deadline)), v.location, details={"date_missing": True})
        if verdict is Verdict.OVERDUE:
            # judged as of 31 December: a deadline that is that very day has come, and is not "<" it
            arithmetic = Msg("msg.not_done_by", deadline=deadline.isoformat()) if ctx.as_of == deadline else \
                Msg("msg.not_done_as_of", as_of=ctx.as_of.isoformat(), deadline=deadline.isoformat())
            return Outcome(miss_status(rule), v.shown, expected, "by", arithmetic, Msg("msg.overdue"), v.location)
        return Outcome(Status.NOT_DUE, v.shown, expected, "by",
                       Msg("msg.not_done_yet", deadline=deadline.isoformat()), Msg("msg.not_yet_due"), v.location)

    def judge_facilities(self, rule: Rule, col: FacilityColumn, ctx: Context) -> None:
        """Each distinct cell read and worded once (a date column of a million facilities holds a
        few thousand dates), as its SQL form does; a blank cell by the facility's 运行状态, once
        per distinct state word. Equal cells (``1``, ``1.0``, ``True``) read alike, so the codes'
        merging of them changes nothing; what is observed is each facility's own cell."""
        import numpy as np     # only facility rules need it; a county check never imports numpy

        deadline, open_ = deadline_for(rule, ctx), is_open(rule)
        codes, uniques = col.value_codes()
        todo = col.todo
        verdicts = np.empty(len(uniques), dtype=np.int64)
        reasons = np.full(len(uniques), None, dtype=object)
        for i, v in enumerate(uniques):
            verdicts[i], reasons[i] = judge_cell(v, deadline, ctx.as_of, open_)[:2]
        given = codes >= 0
        _set(col, np.flatnonzero(todo & given), codes, verdicts, reasons, None)
        blank = np.flatnonzero(todo & ~given)
        if len(blank):
            coded = col.state_codes()
            state_codes, words = coded if coded is not None else (np.full(len(codes), -1, dtype=np.intp), [])
            judged = [blank_by_state(w, deadline, ctx.as_of, open_) for w in [*words, None]]     # code -1 last
            by_state = np.array([v for v, _, _ in judged], dtype=np.int64)
            said, seen = np.empty(len(judged), dtype=object), np.empty(len(judged), dtype=object)
            said[:], seen[:] = [r for _, r, _ in judged], [o for _, _, o in judged]
            _set(col, blank, state_codes, by_state, said, seen)
        col.observed[given] = col.values[given]
        col.expected[:] = deadline

    def facility_sql(self, rule: Rule, q: FacilitySql, ctx: Context) -> SqlJudgement:
        """A completion cell is read once per distinct value (a date, 已关停, 100…) by
        :func:`completion_state`, a blank one by the facility's 运行状态 where the rule is a
        closure and the table has one, once per distinct state word (:func:`blank_by_state`);
        the verdict, its words and what is observed per row are a CASE over those."""
        from sqlglot import exp

        from cbcheck.backends.sql import SqlJudgement, add, and_, case, in_codes, integer, is_null

        deadline, open_ = deadline_for(rule, ctx), is_open(rule)
        uniques = q.cells.uniques if q.cells is not None else []     # no date column: every date is blank
        cell = q.cells.code if q.cells is not None else exp.null()
        verdicts: dict[Verdict, list[int]] = {}
        reasons: dict[str, list[int]] = {}
        for code, v in enumerate(uniques):
            if v is None or (isinstance(v, float) and v != v):      # a blank, as blank_by_state says it
                verdicts.setdefault(blank_by_state(None, deadline, ctx.as_of, open_)[0], []).append(code)
                continue
            verdict, words = judge_cell(v, deadline, ctx.as_of, open_)[:2]
            verdicts.setdefault(verdict, []).append(code)
            if words is not None:
                reasons.setdefault(words, []).append(code)
        blank = is_null(cell)
        by_state: list[tuple[Any, Any]] = []          # (when, verdict) for a blank date, by the state
        state_words: list[tuple[Any, Any]] = []
        observed_judged, shown = None, list(uniques)
        if q.states is not None:
            state_verdicts: dict[Verdict, list[int]] = {}
            state_reasons: dict[str, list[int]] = {}
            seen: list[int] = []
            for code, word in enumerate(q.states.uniques):
                verdict, words, observed = blank_by_state(word, deadline, ctx.as_of, open_)
                state_verdicts.setdefault(verdict, []).append(code)
                if words is not None:
                    state_reasons.setdefault(words, []).append(code)
                if observed is not None:
                    seen.append(code)
                shown.append(observed)      # observed code len(uniques) + state code
            state = q.states.code
            by_state = [(and_(blank, in_codes(state, codes)), integer(v)) for v, codes in state_verdicts.items()]
            state_words = [(and_(blank, in_codes(state, codes)), q.reason(words))
                           for words, codes in state_reasons.items()]
            observed_judged = case([(and_(blank, in_codes(state, seen)), add(state, integer(len(uniques))))], cell)
        no_state, no_state_words, _ = blank_by_state(None, deadline, ctx.as_of, open_)    # a blank date, a blank state
        judged = case(by_state + [(blank, integer(no_state))]
                      + [(in_codes(cell, codes), integer(v)) for v, codes in verdicts.items()])
        reason = case(state_words + [(blank, q.reason(no_state_words))]
                      + [(in_codes(cell, codes), q.reason(words)) for words, codes in reasons.items()])
        return SqlJudgement(judged, reason, observed=cell, observed_cells=True, expected_constant=deadline,
                            observed_judged=observed_judged, observed_uniques=shown)

    def facility_expected(self, rule: Rule, ctx: Context) -> str:
        return Msg("msg.done_by", date=deadline_for(rule, ctx).isoformat())

    def arithmetic(self, rule: Rule, default_base: int) -> list[str]:
        T = rule.target_year
        deadline: str = (rule.deadline.isoformat() if rule.deadline
                         else f"{T}-12-31" if T else Msg("explain.arith.year_end"))
        if rule.params.get("annual_deadline"):
            deadline = Msg("explain.arith.annual_day", day=rule.params["annual_deadline"])
        return [Msg("explain.arith.completion", deadline=deadline)]

    def lint(self, rule: dict[str, Any]) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if rule.get("deadline"):
            try:
                dt.date.fromisoformat(str(rule["deadline"]))
            except ValueError:
                problems.append(("deadline", Msg("rest.lint_not_a_date", value=rule["deadline"])))
        if rule.get("annual_deadline") and not _real_month_day(str(rule["annual_deadline"])):
            problems.append(("annual_deadline", Msg("rest.lint_not_month_day", value=rule["annual_deadline"])))
        return problems
