"""Attribute and completion cells as plants write them: the readings as data (hand-worked), a
property that a bound decides a condition only where every value inside it does, and the same
verdicts on the SQL engines with the numpy fallback made to fail."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, strategies as st

from cbcheck.bounds import Bounds, decide, parse_bounds
from cbcheck.checks.completion import judge_cell
from cbcheck.checks.kind import Verdict
from cbcheck.checks.written_dates import Span, written_span
from test_engine_states import _entries, _table, sql_only  # noqa: F401 (a fixture)
from test_engines import SQL_ENGINES

INF = math.inf

# (as written, (lo, hi, lo included, hi included, unit)) — None: not a bound of one quantity
BOUNDS = [
    ("4.3米以下", (-INF, 4.3, False, True, "米")),
    ("4.3m 以下", (-INF, 4.3, False, True, "m")),
    ("≤4.3", (-INF, 4.3, False, True, None)),
    ("＜4.3", (-INF, 4.3, False, False, None)),        # full-width <, as an IME types it
    ("不足4.3米", (-INF, 4.3, False, False, "米")),
    ("5.5米以上", (5.5, INF, True, False, "米")),
    ("超过5.5", (5.5, INF, False, False, None)),
    ("4.3/5.5", (4.3, 5.5, True, True, None)),
    ("4.3-5.5", (4.3, 5.5, True, True, None)),
    ("4.3～5.5米", (4.3, 5.5, True, True, "米")),
    ("4.3米至5.5米", (4.3, 5.5, True, True, "米")),
    ("4300mm以下", (-INF, 4300.0, False, True, "mm")),
    ("5.5-4.3", None),                                  # reversed: not a range anyone means
    ("4.3米-5500mm", None),                             # two units
    ("约4.3", None),                                    # a number (parse_number reads it), not a bound
    ("待查", None),
    ("4.3%以下", None),
]


@pytest.mark.parametrize(("text", "want"), BOUNDS)
def test_a_written_bound_reads_as_its_interval(text: str, want: tuple[Any, ...] | None) -> None:
    got = parse_bounds(text)
    assert (None if got is None else tuple(got)[:5]) == want


# (interval, condition, decided) — DOMAIN §3: 以下 includes the number, 不足 excludes it
LE_43 = {"max": 4.3}
LT_43 = {"max": 4.3, "max_exclusive": True}
DECIDE = [
    ((-INF, 4.3, False, True), LE_43, True),      # 4.3米以下 under ≤ 4.3: inside whatever the height
    ((-INF, 4.3, False, True), LT_43, None),      # … under < 4.3: 4.3 itself is outside
    ((-INF, 4.3, False, False), LT_43, True),     # 不足4.3 under < 4.3
    ((4.3, 5.5, True, True), LE_43, None),        # 4.3/5.5 straddles 4.3
    ((4.3, 5.5, True, True), LT_43, False),       # 4.3 < 4.3 is false: all of it outside
    ((5.5, 6.0, True, True), LE_43, False),
    ((5.5, INF, True, False), LE_43, False),
    ((4.3, INF, False, False), LE_43, False),     # 超过4.3
    ((4.3, INF, True, False), LE_43, None),       # 4.3以上: 4.3 is inside, the rest not
    ((4.3, 5.5, True, True), {"min": 4.3, "max": 6}, True),
    ((4.3, 5.5, True, True), {"min": 4.3, "min_exclusive": True}, None),
]


@pytest.mark.parametrize(("interval", "cond", "want"), DECIDE)
def test_a_bound_decides_only_where_all_of_it_does(interval: tuple[Any, ...], cond: dict[str, Any],
                                                   want: bool | None) -> None:
    assert decide(Bounds(*interval, None), {"attribute": "oven_height", **cond}) is want


def _meets(x: float, cond: dict[str, Any]) -> bool:
    ok = True
    if "min" in cond:
        ok &= x > cond["min"] if cond.get("min_exclusive") else x >= cond["min"]
    if "max" in cond:
        ok &= x < cond["max"] if cond.get("max_exclusive") else x <= cond["max"]
    return ok


_GRID = st.sampled_from([3.0, 4.3, 5.5, 6.0])


@given(lo=_GRID, hi=_GRID, lo_in=st.booleans(), hi_in=st.booleans(), open_lo=st.booleans(),
       open_hi=st.booleans(), cmin=st.none() | _GRID, cmax=st.none() | _GRID, min_ex=st.booleans(),
       max_ex=st.booleans())
def test_decided_means_every_value_inside_agrees(lo: float, hi: float, lo_in: bool, hi_in: bool, open_lo: bool,
                                                 open_hi: bool, cmin: float | None, cmax: float | None,
                                                 min_ex: bool, max_ex: bool) -> None:
    lo, hi = min(lo, hi), max(lo, hi)
    b = Bounds(-INF if open_lo else lo, INF if open_hi else hi, lo_in and not open_lo, hi_in and not open_hi, None)
    cond: dict[str, Any] = {}
    if cmin is not None:
        cond.update(min=cmin, min_exclusive=min_ex)
    if cmax is not None:
        cond.update(max=cmax, max_exclusive=max_ex)
    # the values the interval holds among the grid, the midpoints between and points beyond it: with
    # every end on the grid, any part of an interval inside or outside the condition holds one of them
    points = [x for x in (2.0, 3.0, 3.65, 4.3, 4.9, 5.5, 5.75, 6.0, 7.0)
              if (x > b.lo or (x == b.lo and b.lo_in)) and (x < b.hi or (x == b.hi and b.hi_in))]
    if not points:
        return                                          # an empty interval ([4.3, 4.3) ): nothing to check
    said = {_meets(x, cond) for x in points}
    assert decide(b, cond) == (True if said == {True} else False if said == {False} else None)


# (as written, span) — None: refused
SPANS = [
    ("2023年10月底", Span(dt.date(2023, 10, 31), dt.date(2023, 10, 31))),
    ("2023年10月末", Span(dt.date(2023, 10, 31), dt.date(2023, 10, 31))),
    ("2023年2月底", Span(dt.date(2023, 2, 28), dt.date(2023, 2, 28))),
    ("2024年2月", Span(dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2023.10", Span(dt.date(2023, 10, 1), dt.date(2023, 10, 31))),
    ("2023-9", Span(dt.date(2023, 9, 1), dt.date(2023, 9, 30))),
    ("2023年10月前", Span(None, dt.date(2023, 10, 31))),
    ("2023年10月底前", Span(None, dt.date(2023, 10, 31))),
    ("2023年10月15日前", Span(None, dt.date(2023, 10, 15))),
    ("2023年底", Span(dt.date(2023, 12, 31), dt.date(2023, 12, 31))),
    ("2023年", Span(dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
    ("已拆除", Span(None, None)),
    ("已关停（2023年9月）", Span(dt.date(2023, 9, 1), dt.date(2023, 9, 30))),
    ("已关停(2023-09-15)", Span(dt.date(2023, 9, 15), dt.date(2023, 9, 15))),
    ("2023年9月已拆除", Span(dt.date(2023, 9, 1), dt.date(2023, 9, 30))),
    ("2023.1", None),
    ("2023年13月", None),
    ("已关停（待定）", None),
    ("已停产", None),
    ("未完成", None),
]


@pytest.mark.parametrize(("text", "want"), SPANS)
def test_a_written_completion_reads_as_the_days_it_allows(text: str, want: Span | None) -> None:
    assert written_span(text) == want


OCT31, NOV15 = dt.date(2023, 10, 31), dt.date(2023, 11, 15)
AS_OF = dt.date(2025, 12, 31)
JUDGED = [
    ("2023年10月底", OCT31, Verdict.ON_TIME),
    ("2023年11月", OCT31, Verdict.LATE),           # 11-01 > 10-31
    ("2023年11月", NOV15, Verdict.UNREADABLE),     # 11-01 ≤ 11-15 < 11-30: across the deadline, not a pass
    ("2023年10月前", NOV15, Verdict.ON_TIME),
    ("2023年底前", OCT31, Verdict.UNREADABLE),
    ("已拆除", OCT31, Verdict.DONE_UNDATED),         # done, no date, judged after the deadline: date asked for
    ("已完成", OCT31, Verdict.DONE_UNDATED),
    ("2023.1", OCT31, Verdict.UNREADABLE),
    (dt.date(2023, 11, 1), OCT31, Verdict.LATE),   # a date as before
    ("未完成", OCT31, Verdict.OVERDUE),
]


@pytest.mark.parametrize(("value", "deadline", "want"), JUDGED)
def test_a_span_is_judged_only_where_all_of_it_decides(value: Any, deadline: dt.date, want: Verdict) -> None:
    verdict, reason = judge_cell(value, deadline, AS_OF)[:2]
    assert verdict is want
    assert (reason is not None) == (want in (Verdict.UNREADABLE, Verdict.LATE, Verdict.DONE_UNDATED)
                                    or (isinstance(value, str) and want is Verdict.ON_TIME))


# In SQL, with the numpy path made to fail: heights written as bounds, ranges and words decide or
# are named as on numpy (hand-worked as in tests/cases/attrs-coke-heights-written).
ROWS = ["1号,焦炉,在产,,4.3米以下", "2号,焦炉,在产,,4.3/5.5", "3号,焦炉,在产,,5.5-6米", "4号,焦炉,在产,,",
        "5号,焦炉,在产,,待查", "6号,焦炉,在产,,55%", "7号,焦炉,已关停,2023年10月底,4.3"]
WANT = {
    "1号": ("WARN", "overdue"),                     # ST-OVEN-LOW is 力争 (aspirational): a miss warns
    "2号": ("ERROR", "facilities.csv:3:5: coke-chamber height written '4.3/5.5' is partly inside"),
    "4号": ("MISSING", "coke-chamber height is needed to decide"),
    "5号": ("ERROR", "facilities.csv:6:5: coke-chamber height cannot be read: '待查' is not a number"),
    "6号": ("ERROR", "at facilities.csv:7:5 is in “%”"),
    "7号": ("PASS", "'2023年10月底' read as 2023-10-31"),
}


def _heights(tmp_path: Path) -> Any:
    return _table(tmp_path, ROWS, header="设施名称,设施类型,运行状态,关停退出时间,炭化室高度")


def _said(entries: dict[str, Any]) -> dict[str, tuple[str, str]]:
    got = {}
    for name, (status, message, _) in entries.items():
        want = WANT.get(name, ("", ""))[1]
        got[name] = (status, want if want in message else message)
    return got


def test_written_heights_on_numpy(tmp_path: Path) -> None:
    policy, cat, submission = _heights(tmp_path)
    assert _said(_entries(policy, cat, submission, "numpy", 2025, "ST-OVEN-LOW")) == WANT


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_written_heights_in_sql(engine: str, tmp_path: Path, sql_only: None) -> None:  # noqa: F811
    policy, cat, submission = _heights(tmp_path)
    assert _said(_entries(policy, cat, submission, engine, 2025, "ST-OVEN-LOW")) == WANT


@pytest.mark.parametrize("fast", ["1", "0"])
def test_an_approximate_height_is_read_and_said_at_its_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             fast: str) -> None:
    # 约4.3 reads 4.3 (judged under ≤ 4.3), as 约500 on an indicator sheet, and the note names the cell
    monkeypatch.setenv("CBCHECK_FASTCSV", fast)
    policy, cat, submission = _table(tmp_path, ["1号,焦炉,在产,,约4.3", "2号,焦炉,在产,,5.5"],
                                     header="设施名称,设施类型,运行状态,关停退出时间,炭化室高度")
    notes = [n for n in submission.notes if getattr(n, "key", None) == "read.approximate"]
    assert [(n.params["location"], n.params["raw"], n.params["value"]) for n in notes] == \
        [("facilities.csv:2:5", "约4.3", "4.3")]
    judged = _entries(policy, cat, submission, "numpy", 2025, "ST-OVEN-LOW")
    assert {name: status for name, (status, _, _) in judged.items()} == {"1号": "WARN"}     # 5.5 m: not covered
