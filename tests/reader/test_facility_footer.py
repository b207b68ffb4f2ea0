"""A footer under a facility table (注：…, 填表人：…  联系电话：…, 审核人：…) is read as remarks, not as
facilities, on the xlsx path, the general CSV path and the fast CSV path alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

CASE = Path(__file__).resolve().parents[1] / "cases" / "facility-footer"


@pytest.mark.parametrize("name,fast", [("submission.xlsx", None), ("submission.csv", "1"), ("submission.csv", "0")])
def test_footer_rows_are_remarks_not_facilities(name: str, fast: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if fast is not None:
        monkeypatch.setenv("CBCHECK_FASTCSV", fast)
    _, cat = load_policy(str(CASE / "policy.yaml"))
    sub = read_submission(CASE / name, cat)
    (table,) = sub.facilities
    assert list(table.frame["_name"]) == ["1号机组", "2号机组", "3号机组"]
    remarks = [n for n in sub.notes if getattr(n, "kind", None) == "remark"]
    texts = [n.params["text"] for n in remarks]
    assert texts == ["注：供电煤耗为2025年1-12月累计值", "填表人：王芳  联系电话：0359-1234567", "审核人：李强"]
    rows = [n.cells[0].row for n in remarks]
    assert rows == [7, 8, 9]


def test_a_facility_named_like_a_note_inside_the_table_is_kept(tmp_path: Path) -> None:
    """Only the rows at the end of the table are footers: a row in the middle stays a facility."""
    src = (CASE / "submission.csv").read_text(encoding="utf-8").splitlines()
    body = src[:4] + ["说明：临时机组,燃煤发电机组,299,"] + src[4:6]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    _, cat = load_policy(str(CASE / "policy.yaml"))
    (table,) = read_submission(path, cat).facilities
    assert "说明：临时机组" in list(table.frame["_name"]) and len(table.frame) == 4


TOTALS = Path(__file__).resolve().parents[1] / "cases"


@pytest.mark.parametrize("case,name,fast,row,text", [
    ("facred-power-total-row", "submission.xlsx", None, 7, "合计  69.5万千瓦  302"),
    ("facred-coke-closure-written", "submission.xlsx", None, 10, "合计  300"),
    ("facred-coke-closure-gbk-csv", "submission.csv", "1", 10, "合计  300"),
    ("facred-coke-closure-gbk-csv", "submission.csv", "0", 10, "合计  300"),
])
def test_a_total_row_under_the_units_is_listed_not_judged(case: str, name: str, fast: str | None, row: int,
                                                          text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """合计 under the units (in the name column or, under a merged plant name, the column before it)
    is a total, not a facility: it leaves the table and is listed with its row, never dropped unsaid."""
    if fast is not None:
        monkeypatch.setenv("CBCHECK_FASTCSV", fast)
    _, cat = load_policy(str(TOTALS / case / "policy.yaml"))
    sub = read_submission(TOTALS / case / name, cat)
    (table,) = sub.facilities
    assert "合计" not in set(table.frame["_name"]) and row not in set(table.frame["_row"])
    (total,) = [n for n in sub.notes if getattr(n, "key", None) == "read.total_row"]
    assert total.cells[0].row == row and total.params["text"] == text


@pytest.mark.parametrize("first", ["合计", "合 计", "全厂合计", "小计：", "总计", "Total"])
def test_total_words_end_the_table(first: str, tmp_path: Path) -> None:
    src = (CASE / "submission.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "s.csv"
    path.write_text("\n".join(src[:6] + [f"{first},,901.8,"]) + "\n", encoding="utf-8")
    _, cat = load_policy(str(CASE / "policy.yaml"))
    (table,) = read_submission(path, cat).facilities
    assert list(table.frame["_name"]) == ["1号机组", "2号机组", "3号机组"]


@pytest.mark.parametrize("name", ["合计煤场机组", "3号机组合计划关停"])
def test_a_unit_whose_name_only_holds_a_total_word_stays(name: str, tmp_path: Path) -> None:
    src = (CASE / "submission.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "s.csv"
    path.write_text("\n".join(src[:6] + [f"{name},燃煤发电机组,299,"]) + "\n", encoding="utf-8")
    _, cat = load_policy(str(CASE / "policy.yaml"))
    (table,) = read_submission(path, cat).facilities
    assert list(table.frame["_name"])[-1] == name


@pytest.mark.parametrize("name,fast", [("submission.xlsx", None), ("submission.csv", "1"), ("submission.csv", "0")])
def test_subtotal_rows_inside_the_table_are_listed_not_judged(name: str, fast: str | None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """甲厂小计 between two plants' units leaves the table as 合计 at its end does, on every path."""
    if fast is not None:
        monkeypatch.setenv("CBCHECK_FASTCSV", fast)
    case = TOTALS / "facred-power-subtotals"
    _, cat = load_policy(str(case / "policy.yaml"))
    sub = read_submission(case / name, cat)
    (table,) = sub.facilities
    assert list(table.frame["_name"]) == ["甲厂1号机组", "甲厂2号机组", "乙厂1号机组"]
    assert [int(r) for r in table.frame["_row"]] == [3, 4, 6]
    totals = [n for n in sub.notes if getattr(n, "key", None) == "read.total_row"]
    assert [n.cells[0].row for n in totals] == [5, 7, 8]
    assert [n.params["text"].split()[0] for n in totals] == ["甲厂小计", "乙厂", "总计"]
