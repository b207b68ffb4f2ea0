"""A facility column the clerk hid is read and judged like any other (its figures may be the real
ones), but never unsaid: a note names it with its cells, so last year's hidden 供电煤耗 is not judged
as this year's without the reader being told."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

CASE = Path(__file__).resolve().parents[1] / "cases" / "facility-footer"
HEAD = ["机组名称", "设施类型", "供电煤耗(克标准煤/千瓦时)", "备注"]


def _book(tmp_path: Path, hidden: tuple[str, ...]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "机组"
    ws.append(["填报单位：", "测试市示例热电有限公司", "报告年度：", "2025"])
    ws.append(HEAD)
    ws.append(["1号机组", "燃煤发电机组", 298.6, None])
    ws.append(["2号机组", "燃煤发电机组", 303.2, "已停产"])
    for col in hidden:
        ws.column_dimensions[col].hidden = True
    path = tmp_path / "s.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("hidden,said", [
    ((), []),
    (("C",), [("机组!C2", "供电煤耗(克标准煤/千瓦时)")]),
    (("D",), [("机组!D2", "备注")]),   # 备注 is read for remarks (2号's 已停产 is said beside its verdicts)
    (("A", "C"), [("机组!A2", "机组名称"), ("机组!C2", "供电煤耗(克标准煤/千瓦时)")]),
])
def test_a_hidden_column_that_is_judged_is_named(tmp_path: Path, hidden: tuple[str, ...],
                                                 said: list[tuple[str, str]]) -> None:
    _, cat = load_policy(str(CASE / "policy.yaml"))
    sub = read_submission(_book(tmp_path, hidden), cat)
    (table,) = sub.facilities
    assert list(table.frame["_name"]) == ["1号机组", "2号机组"]
    notes = [n for n in sub.notes if getattr(n, "key", None) == "read.facility_hidden_column"]
    assert [(n.params["location"], n.params["label"]) for n in notes] == said
    assert all(n.kind == "value" and n.cells[0].row == 2 for n in notes)
