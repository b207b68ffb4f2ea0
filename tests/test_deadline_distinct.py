"""completed_by on facilities judges each distinct completion cell and 运行状态 word once (by
codes): it must give, facility by facility, what reading every row on its own gives. The
oracle below is the per-row reading the kind had before (c930165), kept here as data's judge;
columns mix equal values of different types (1, 1.0, True; 0, -0.0, False), which the codes
merge, dates, words, blanks and rows the selection had already decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.checks import KINDS, Context, FacilityColumn, Verdict
from cbcheck.checks.completion import blank_by_state, completion_state, completion_verdict, days_after, undated
from cbcheck.checks.deadline import deadline_for
from cbcheck.columnar import factorize
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule

KIND = KINDS["completed_by"]
CELLS = st.sampled_from([
    None, float("nan"), 1, 1.0, True, 0, 0.0, -0.0, False, 100, 100.0, 0.5, 250.0,
    "已完成", "未完成", "是", "否", "待定", "100%", "100", " 已关停 ", "",
    dt.date(2023, 10, 31), dt.date(2023, 11, 1), dt.date(2023, 11, 3), dt.date(2026, 1, 1),
])
STATES = st.sampled_from([None, float("nan"), "已关停", "在产", "停产", "Closed", "running", "", "拆除"])
DEADLINES = st.sampled_from([dict(deadline=dt.date(2023, 10, 31), target_year=2023), dict(target_year=2025),
                             dict(target_year=2027), dict(params={"annual_deadline": "11-30"})])


def _per_row(rule: Rule, col: FacilityColumn, ctx: Context) -> None:
    """c930165's judge_facilities: every facility read on its own."""
    deadline = deadline_for(rule, ctx)
    states: dict[Any, tuple[Verdict, Msg | None]] = {}
    for k in col.todo.nonzero()[0]:
        v = col.values[k]
        if v is None or (isinstance(v, float) and v != v):
            state = col.states[k] if col.states is not None else None
            col.verdicts[k], reason, seen = blank_by_state(state, deadline, ctx.as_of)
            if reason is not None:
                col.reasons[k] = reason
            if seen is not None:
                col.observed[k] = seen
            continue
        key = (type(v), v)
        if key not in states:
            done, when = completion_state(v)
            verdict = completion_verdict(done, when, deadline, ctx.as_of)
            reason = days_after(when, deadline) if verdict is Verdict.LATE and when is not None else \
                Msg("msg.not_date", value=repr(v)) if verdict is Verdict.UNREADABLE else \
                undated(deadline) if verdict is Verdict.DONE_UNDATED else None
            states[key] = (verdict, reason)
        col.verdicts[k], reason = states[key]
        if reason is not None:
            col.reasons[k] = reason
    given_ = np.array([v is not None and not (isinstance(v, float) and v != v) for v in col.values], dtype=bool)
    col.observed[given_] = col.values[given_]
    col.expected[:] = deadline


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _column(values: list[Any], states: list[Any] | None, decided: list[bool], coded: bool) -> FacilityColumn:
    n = len(values)
    verdicts = np.full(n, -1, dtype=np.int64)
    reasons = np.full(n, None, dtype=object)
    for k in np.flatnonzero(decided):
        verdicts[k], reasons[k] = Verdict.EXEMPT, "exempt words"
    col = FacilityColumn(values=_objects(values), previous=None, thresholds=None, verdicts=verdicts,
                         observed=np.full(n, None, dtype=object), expected=np.full(n, None, dtype=object),
                         reasons=reasons, states=None if states is None else _objects(states))
    if coded:        # as the reader gives them (FacilityTable.coded), instead of factorized by the kind
        col.coded = factorize(col.values)
        col.states_coded = None if col.states is None else factorize(col.states)
    return col


def _shown(values: np.ndarray) -> list[tuple[str, str]]:
    return [(type(v).__name__, repr(v)) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CELLS, STATES, st.booleans()), max_size=30), st.booleans(), st.booleans(), DEADLINES,
       st.sampled_from([2023, 2024, 2025, 2026]))
def test_distinct_cells_judged_once_as_every_row_on_its_own(rows: list[tuple[Any, Any, bool]], with_states: bool,
                                                              coded: bool, due: dict[str, Any], year: int) -> None:
    values = [v for v, _, _ in rows]
    states = [s for _, s, _ in rows] if with_states else None
    decided = [d for _, _, d in rows]
    rule = Rule(id="D-1", indicator="facility_retirement_date", kind="completed_by", title="t", source=None,
                strength="binding", **due)
    got, want = _column(values, states, decided, coded), _column(values, states, decided, False)
    KIND.judge_facilities(rule, got, Context(year=year))
    _per_row(rule, want, Context(year=year))
    assert got.verdicts.tolist() == want.verdicts.tolist()
    assert _shown(got.reasons) == _shown(want.reasons)          # the same words, keys and parameters
    assert [getattr(r, "key", None) for r in got.reasons] == [getattr(r, "key", None) for r in want.reasons]
    assert _shown(got.observed) == _shown(want.observed)        # each facility's own cell, type and all
    assert _shown(got.expected) == _shown(want.expected)


def test_a_column_of_one_repeated_date_and_blanks_by_state() -> None:
    """Hand-done: 4 facilities closed 2023-11-01 (1 day late), 2 blank ones 已关停 and 在产."""
    late = dt.date(2023, 11, 1)
    col = _column([late, late, None, late, None, late], [None, None, "已关停", None, "在产", None],
                  [False] * 6, coded=True)
    rule = Rule(id="D-1", indicator="facility_retirement_date", kind="completed_by", title="t", source=None,
                strength="binding", deadline=dt.date(2023, 10, 31), target_year=2023)
    KIND.judge_facilities(rule, col, Context(year=2025))
    assert [Verdict(v) for v in col.verdicts] == [Verdict.LATE, Verdict.LATE, Verdict.DONE_UNDATED, Verdict.LATE,
                                                 Verdict.OVERDUE, Verdict.LATE]
    assert [str(r) for r in col.reasons] == ["1 day after 2023-10-31"] * 2 + [
        "status “已关停” (closed): cannot tell whether it closed by 2023-10-31; write the closure "
        "date (e.g. 2023-09-30)", "1 day after 2023-10-31",
        "status “在产” (still operating) after 2023-10-31", "1 day after 2023-10-31"]
    assert col.observed.tolist() == [late, late, "已关停", late, "在产", late]
