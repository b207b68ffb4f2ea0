"""A closure rule's 运行状态 column compiled into the SQL engines (CompletedBy.facility_sql): a
blank closure date is answered by the facility's state (在产 overdue, 已关停 done, 停产 missing
with the state named) on DuckDB and Spark *in SQL*, not by handing the table to numpy. Every
test here makes the numpy fallback fail (``facility_rules.prepare`` raises under a SQL engine),
so a pass means the query engine judged it.

Deadline 2023-10-31 (2023年10月底前关停焦炉); judged as of 31 December of the reporting year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck import backends
from cbcheck.engine import evaluate
from cbcheck.i18n.message import Msg
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from test_cases import check_case
from test_engines import POLICY as ENGINES_POLICY, SQL_ENGINES

ROOT = Path(__file__).resolve().parents[1]
STATES_CASE = ROOT / "tests" / "cases" / "facility-deadline-states"

POLICY = """
schema_version: 1
id: engine-states
title: 设施关停期限与运行状态
region: 测试市
status: final
period: "2021-2025"
rules:
  - id: ST-OVEN
    title: 2023年10月底前关停焦炉
    indicator: facility_retirement_date
    kind: completed_by
    deadline: "2023-10-31"
    strength: binding
    scope: facility
    applies_to: {facility_type: coke_oven}
    source: {section: 三, quote: 2023年10月底前全部关停4.3米焦炉}
  - id: ST-OVEN-LOW
    title: 2023年10月底前关停4.3米及以下焦炉
    indicator: facility_retirement_date
    kind: completed_by
    deadline: "2023-10-31"
    strength: aspirational
    scope: facility
    applies_to:
      facility_type: coke_oven
      where: [{attribute: oven_height, max: 4.3, unit: 米}]
      exempt: [{attribute: oven_height, max: 2, unit: 米}]
    source: {section: 三, quote: 力争2023年10月底前关停4.3米焦炉}
"""


@pytest.fixture
def sql_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numpy path's preparation fails: a rule that falls back to numpy fails the test."""
    def fallback(*_args: Any, **_kw: Any) -> None:
        raise AssertionError("the rule fell back to numpy instead of running in SQL")

    monkeypatch.setattr("cbcheck.facility_rules.prepare", fallback)


def _table(folder: Path, lines: list[str], header: str = "设施名称,设施类型,运行状态,关停退出时间") -> Any:
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = folder / "facilities.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    policy, cat = load_policy(str(folder / "policy.yaml"))
    return policy, cat, read_submission(path, cat)


def _evaluate_on(engine: str, policy: Any, cat: Any, submission: Any, year: int) -> Any:
    """The report with facility rules on ``engine``, the default engine restored after."""
    backends.use(engine)
    try:
        return evaluate(policy, cat, submission, year=year)
    finally:
        backends.use(None)


def _entries(policy: Any, cat: Any, submission: Any, engine: str, year: int, rule: str = "ST-OVEN") -> dict:
    report = _evaluate_on(engine, policy, cat, submission, year)
    finding = next(f for f in report.findings if f.rule_id == rule)
    return {e["facility"]: (e["status"], e["message"], e["observed"])
            for e in finding.details["facilities"].entries()}


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_the_states_case_runs_in_sql(engine: str, monkeypatch: pytest.MonkeyPatch, sql_only: None) -> None:
    check_case(STATES_CASE, monkeypatch, engine=engine)


# Hand-worked, deadline 2023-10-31, reporting year 2025 (as of 2025-12-31):
#   a date decides whatever the state says: 10-31 ≤ 10-31 on time; 11-01 is 1 day after.
#   blank date: 已拆除 / Closed are closed words → done, no date, and 2025-12-31 ≥ 2023-10-31: whether
#   on time is unknown → MISSING, the closure date asked for; 运行 is a running word and
#   2025-12-31 ≥ 2023-10-31 → overdue; 停产 (can restart) and 待查 (no such word) → missing,
#   the state quoted; no state at all → missing, nothing to quote.
BOUNDARY_ROWS = ["A,焦炉,在产,2023-10-31", "B,焦炉,在产,2023-11-01", "C,焦炉,已拆除,", "D,焦炉,运行,",
                 "E,焦炉,停产,", "F,焦炉,待查,", "G,焦炉,,", "H,焦炉,Closed,", "I,焦炉,,2023-10-30"]
BOUNDARY_2025 = {
    "A": ("PASS", "done on time", "2023-10-31"),
    "B": ("FAIL", "done late: 1 day after 2023-10-31", "2023-11-01"),
    "C": ("MISSING", "done, completion date missing: status “已拆除” (closed): cannot tell "
          "whether it closed by 2023-10-31; write the closure date (e.g. 2023-09-30)", "已拆除"),
    "D": ("FAIL", "overdue: status “运行” (still operating) after 2023-10-31", "运行"),
    "E": ("MISSING", "value missing: status '停产' is neither closed (“已关停”) nor operating (“在产”)", None),
    "F": ("MISSING", "value missing: status '待查' is neither closed (“已关停”) nor operating (“在产”)", None),
    # a blank of a binding rule once due says what the clause asks (cbcheck.required)
    "G": ("MISSING", "value missing: Date a facility was retired, closed or integrated out "
          "(binding and due: done by 2023-10-31; a blank is non-compliant)", None),
    "H": ("MISSING", "done, completion date missing: status “Closed” (closed): cannot tell "
          "whether it closed by 2023-10-31; write the closure date (e.g. 2023-09-30)", "Closed"),
    "I": ("PASS", "done on time", "2023-10-30"),
}
# Reporting year 2022 (as of 2022-12-31, before the deadline): a running plant is not yet due;
# closed without a date before the deadline is on time for certain; a blank date whose state says
# neither (停产, 待查, nothing) is not yet due either — done or not, nothing is owed before the day
# (cbcheck.required); the rest reads as in 2025 (a closure 1 day late is late whenever it is judged).
BOUNDARY_2022 = {**BOUNDARY_2025, "D": ("NOT_DUE", "not yet due: status “运行” (still operating)", "运行"),
                 "E": ("NOT_DUE", "not yet due: status '停产' is neither closed (“已关停”) nor operating (“在产”)",
                       None),
                 "F": ("NOT_DUE", "not yet due: status '待查' is neither closed (“已关停”) nor operating (“在产”)",
                       None),
                 "G": ("NOT_DUE", "not yet due", None),
                 "C": ("PASS", "done (no completion date given): status “已拆除” (closed), no date given", "已拆除"),
                 "H": ("PASS", "done (no completion date given): status “Closed” (closed), no date given", "Closed")}


def _shown(entries: dict) -> dict:
    return {k: (s, m, None if o is None else str(o)) for k, (s, m, o) in entries.items()}


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_boundaries_by_hand_in_sql(engine: str, tmp_path: Path, sql_only: None) -> None:
    policy, cat, submission = _table(tmp_path, BOUNDARY_ROWS)
    assert _shown(_entries(policy, cat, submission, engine, 2025)) == BOUNDARY_2025
    assert _shown(_entries(policy, cat, submission, engine, 2022)) == BOUNDARY_2022


def test_boundaries_by_hand_on_numpy(tmp_path: Path) -> None:
    policy, cat, submission = _table(tmp_path, BOUNDARY_ROWS)
    assert _shown(_entries(policy, cat, submission, "numpy", 2025)) == BOUNDARY_2025
    assert _shown(_entries(policy, cat, submission, "numpy", 2022)) == BOUNDARY_2022


# Done without a date, judged as of 2024-12-31 against three deadlines: the day after it (2025-01-01:
# on time for certain, PASS), the day itself and the day before it (the date is missing, MISSING).
# The closure word in the date column and the closed state with a blank date alike, on every engine.
UNDATED_POLICY = """
schema_version: 1
id: engine-undated
title: 未填日期的关停
region: 测试市
status: final
period: "2021-2025"
rules:
""" + "".join(f"""  - id: {rid}
    title: 关停焦炉
    indicator: facility_retirement_date
    kind: completed_by
    deadline: "{day}"
    strength: binding
    scope: facility
    applies_to: {{facility_type: coke_oven}}
    source: {{section: 三, quote: 关停焦炉}}
""" for rid, day in (("U-AHEAD", "2025-01-01"), ("U-DAY", "2024-12-31"), ("U-PAST", "2024-12-30")))
UNDATED_WANT = {"U-AHEAD": ("PASS", {"PASS": 2}), "U-DAY": ("MISSING", {"MISSING": 2}),
                "U-PAST": ("MISSING", {"MISSING": 2})}


@pytest.mark.parametrize("engine", ["numpy", *SQL_ENGINES])
def test_undated_closures_at_the_deadline_on_every_engine(engine: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if engine != "numpy":
        monkeypatch.setattr("cbcheck.facility_rules.prepare",
                            lambda *_a, **_k: pytest.fail("the rule fell back to numpy instead of running in SQL"))
    (tmp_path / "policy.yaml").write_text(UNDATED_POLICY, encoding="utf-8")
    path = tmp_path / "facilities.csv"
    path.write_text("设施名称,设施类型,运行状态,关停退出时间\n1号,焦炉,已关停,\n2号,焦炉,在产,已拆除\n",
                    encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    report = _evaluate_on(engine, policy, cat, read_submission(path, cat), 2024)
    got = {}
    for f in report.findings:
        counts = {k: n for k, n in f.details["facilities"].counts().items() if n}
        got[f.rule_id] = (f.status.value, counts)
    assert got == UNDATED_WANT
    day = next(f for f in report.findings if f.rule_id == "U-DAY").details["facilities"]
    said = {e["facility"]: e["message"] for e in day.entries()}
    assert said == {
        "1号": "done, completion date missing: status “已关停” (closed): cannot tell whether it "
               "closed by 2024-12-31; write the closure date (e.g. 2024-11-30)",
        "2号": "done, completion date missing: cannot tell whether it was done by "
               "2024-12-31; write the completion date (e.g. 2024-11-30)"}


def test_a_state_column_without_a_date_column_is_judged_by_state_in_sql(tmp_path: Path, sql_only: None) -> None:
    """No 关停退出时间 column: every date is blank and the state answers (as facility_rules.prepare)."""
    policy, cat, submission = _table(tmp_path, ["1号,焦炉,在产", "2号,焦炉,已关停", "3号,焦炉,停用", "4号,焦炉,"],
                                     header="设施名称,设施类型,运行状态")
    got = _entries(policy, cat, submission, "duckdb", 2025)
    assert got == {
        "1号": ("FAIL", "overdue: status “在产” (still operating) after 2023-10-31", "在产"),
        "2号": ("MISSING", "done, completion date missing: status “已关停” (closed): cannot tell "
                "whether it closed by 2023-10-31; write the closure date (e.g. 2023-09-30)", "已关停"),
        "3号": ("MISSING", "value missing: status '停用' is neither closed (“已关停”) nor operating (“在产”)", None),
        "4号": ("MISSING", "value missing: Date a facility was retired, closed or integrated out "
                "(binding and due: done by 2023-10-31; a blank is non-compliant)", None),
    }


def test_sql_reasons_are_the_numpy_messages_in_chinese(tmp_path: Path, sql_only: None) -> None:
    """The reasons come back from SQL as the numpy path's Msg (catalogue key and all), so a Chinese
    report says them in Chinese; a table without the rule's column says so by key too."""
    policy, cat, submission = _table(tmp_path, BOUNDARY_ROWS)
    report = _evaluate_on("duckdb", policy, cat, submission, 2025)
    part = next(f for f in report.findings if f.rule_id == "ST-OVEN").details["facilities"].parts[0]
    names = list(submission.facilities[0].frame["_name"])
    said = {names[p]: r for p, r in zip(part.index, part.reason, strict=True) if r is not None}
    assert said["D"].key == "msg.state_running_after"
    assert said["D"].text("zh") == "运行状态 运行：2023-10-31后仍在运行"
    assert said["E"].text("zh") == "运行状态 '停产' 既不是关停（已关停）也不是在产"
    assert said["C"].text("zh") == ("运行状态 已拆除：无法判断是否在 2023-10-31 前关停；"
                                    "请填写关停日期（如 2023-09-30）")
    assert said["B"].text("zh") == "晚于2023-10-31 1 天"

    policy, cat, submission = _table(tmp_path, ["1号,焦炉"], header="设施名称,设施类型")
    report = _evaluate_on("duckdb", policy, cat, submission, 2025)
    reason = next(f for f in report.findings if f.rule_id == "ST-OVEN").details["facilities"].parts[0].reason[0]
    assert isinstance(reason, Msg) and reason.text("zh") == "表中没有“退出(关停)时间”列，请增加此列并逐个设施填写"


def test_a_reader_error_no_template_matches_is_chinese_from_sql(tmp_path: Path, sql_only: None) -> None:
    """95% in a 供电煤耗 column: the reader's Msg (rest.cell_percent_unit, which no English template
    matches) comes back from DuckDB as itself, not as its English."""
    (tmp_path / "policy.yaml").write_text(ENGINES_POLICY, encoding="utf-8")
    path = tmp_path / "units.csv"
    path.write_text("设施名称,设施类型,供电煤耗(克标准煤/千瓦时)\n1号机组,燃煤发电机组,95%\n2号机组,燃煤发电机组,320\n",
                    encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    submission = read_submission(path, cat)
    report = _evaluate_on("duckdb", policy, cat, submission, 2025)
    part = next(f for f in report.findings if f.rule_id == "R-COAL-APPROX").details["facilities"].parts[0]
    assert part.reason[0].text("zh") == "'95%' 是百分数，但单位是 克标准煤/千瓦时"
    assert part.reason[1] is None


# --- random tables: numpy and DuckDB agree, the SQL never falling back ------------------------------------

STATE_WORDS = ["在产", "已关停", "停产", "运行", "已拆除", "关闭", "待查", "Closed", "RUNNING", "在建", "1", ""]
DATES = ["2023-10-30", "2023-10-31", "2023-11-01", "2022-01-01", "2025-12-31", "2026-01-01", "已关停", "未完成",
         "是", "待定", "", "", ""]
HEIGHTS = ["", "1.5", "2", "4.3", "4.31", "5.5", "高"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(STATE_WORDS), st.sampled_from(DATES), st.sampled_from(HEIGHTS)),
                     min_size=1, max_size=30),
       year=st.sampled_from([2022, 2023, 2024, 2025]), with_dates=st.booleans())
def test_random_states_are_judged_alike(tmp_path_factory: pytest.TempPathFactory,
                                        monkeypatch: pytest.MonkeyPatch, rows: list, year: int,
                                        with_dates: bool) -> None:
    folder = tmp_path_factory.mktemp("states")
    header = "设施名称,设施类型,运行状态,炭化室高度(米)" + (",关停退出时间" if with_dates else "")
    lines = [",".join([f"{k:03d}号焦炉", "焦炉", state, height] + ([date] if with_dates else []))
             for k, (state, date, height) in enumerate(rows)]
    policy, cat, submission = _table(folder, lines, header=header)
    want = _judged(policy, cat, submission, "numpy", year)
    with monkeypatch.context() as m:
        m.setattr("cbcheck.facility_rules.prepare",
                  lambda *_a, **_k: pytest.fail("the rule fell back to numpy instead of running in SQL"))
        got = _judged(policy, cat, submission, "duckdb", year)
    assert got == want


def _judged(policy: Any, cat: Any, submission: Any, engine: str, year: int) -> dict[str, Any]:
    """Each rule's finding, facility entries and counts, and per table the column reported and
    each reason's catalogue key (the words must be the same Msg, not only the same English)."""
    report = _evaluate_on(engine, policy, cat, submission, year)
    out = {}
    for f in report.findings:
        facilities = (f.details or {}).get("facilities")
        if facilities is None:
            out[f.rule_id] = (f.status, f.message)
            continue
        out[f.rule_id] = (f.status, f.observed, f.expected, f.message, f.location, f.arithmetic,
                          list(facilities.entries()), facilities.counts(),
                          [(part.column, [getattr(r, "key", r) for r in part.reason]) for part in facilities.parts])
    return out


def test_a_closure_date_column_is_encoded_by_value_and_type() -> None:
    """Dates and words (no per-row type pass) each get one code that maps back to the cell; 1,
    1.0 and True, which compare equal, still get a code each (they read differently)."""
    import datetime as dt

    from cbcheck.backends.sql import encode

    day = dt.date(2023, 10, 31)
    cells = [day, "已关停", None, day, "未完成", "已关停", dt.date(2023, 11, 1)]
    codes, uniques = encode(cells)
    assert [None if c != c else uniques[int(c)] for c in codes] == cells
    assert len(uniques) == 4
    codes, uniques = encode([1, 1.0, True, "是", 1])
    assert [(type(uniques[int(c)]), uniques[int(c)]) for c in codes] == \
        [(int, 1), (float, 1.0), (bool, True), (str, "是"), (int, 1)]
