"""A completion written without its date once the deadline has come is MISSING (checks/deadline.py):
the action list asks for the date, not for data (补报…数据), for a county table's cell and for the
plants of a facility table alike, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

from cbcheck.engine import evaluate
from cbcheck.i18n import messages
from cbcheck.model import Finding, Source, Status
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.render.view import build, todo_text

POLICY = """
schema_version: 1
id: undated-todo
title: 未填日期的关停
region: 测试市
status: final
period: "2021-2025"
rules:
  - id: U-OVEN
    title: 2023年10月底前关停焦炉
    indicator: facility_retirement_date
    kind: completed_by
    deadline: "2023-10-31"
    strength: binding
    required: true
    scope: facility
    applies_to: {facility_type: coke_oven}
    source: {section: 三, quote: 2023年10月底前全部关停4.3米焦炉}
"""


def _finding(details: dict, location: str | None) -> Finding:
    return Finding("R-1", "coke_oven_closed", "焦炉关停", "t", Status.MISSING, "binding", 2025, 2023, "已完成",
                   "done by 2023-10-31", "by", None, "", location, "", Source("d", "s", "q"), details=details)


def test_a_county_cell_done_without_a_date_asks_for_the_date() -> None:
    zh, en = messages("zh"), messages("en")
    undated = _finding({"date_missing": True}, "表1!F5")
    assert todo_text(undated, zh, "焦炉关停") == "在表1!F5填写完成日期（年月日），以判断是否按期完成"
    assert todo_text(undated, en, "coke ovens closed") == \
        "write the completion date (year, month, day) at 表1!F5, to show whether it was done on time"
    assert todo_text(_finding({"date_missing": True}, None), zh, "焦炉关停") == \
        "填写完成日期（年月日），以判断是否按期完成"
    # a value simply missing is still asked for as data
    assert todo_text(_finding({}, "表1!F5"), zh, "焦炉关停") == "在表1!F5补报焦炉关停2025年数据"


def _actions(tmp_path: Path, rows: list[str], lang: str, gap: bool = False) -> dict[str, str]:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = tmp_path / "facilities.csv"
    path.write_text("\n".join(["设施名称,设施类型,运行状态,关停退出时间", *rows]) + "\n", encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    report = evaluate(policy, cat, read_submission(path, cat), year=2025)
    return {r.rule_id: r.gap if gap else r.todo for r in build(report, messages(lang), cat).actions}


def test_plants_closed_without_a_date_are_asked_for_their_dates(tmp_path: Path) -> None:
    # 2 closed without a date (the state, the word in the date column), 1 on time: the 2 are asked for dates
    rows = ["1号,焦炉,已关停,", "2号,焦炉,在产,已拆除", "3号,焦炉,已关停,2023-09-30"]
    assert _actions(tmp_path, rows, "zh") == \
        {"U-OVEN": "为 2 个填报已关停/已完成的焦炉填写完成日期（年月日），以判断是否按期完成"}
    assert _actions(tmp_path, rows, "en")["U-OVEN"] == \
        "write the completion date (year, month, day) of each coke oven reported done (2), to show whether it was " \
        "done on time"


def test_undated_plants_beside_plants_with_nothing_written(tmp_path: Path) -> None:
    # 1 undated, 1 with neither a date nor a state: both asks, the date first, then the blank named
    todo = _actions(tmp_path, ["1号,焦炉,已关停,", "2号,焦炉,,"], "zh")["U-OVEN"]
    assert todo == "为 1 个填报已关停/已完成的焦炉填写完成日期（年月日），以判断是否按期完成；" \
        "为 1 个焦炉填写退出(关停)时间（见下列设施）"


def test_the_gap_of_undated_plants_is_the_dates_not_given(tmp_path: Path) -> None:
    rows = ["1号,焦炉,已关停,", "2号,焦炉,在产,已拆除", "3号,焦炉,,"]
    assert _actions(tmp_path, rows, "zh", gap=True) == {"U-OVEN": "2 个焦炉未填完成日期"}
    assert _actions(tmp_path, rows, "en", gap=True) == {"U-OVEN": "completion date not given: 2 (coke oven)"}
    # nothing undated (only a blank): no gap, as for any missing value
    assert _actions(tmp_path, ["1号,焦炉,,"], "zh", gap=True) == {"U-OVEN": ""}
