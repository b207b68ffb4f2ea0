"""Write the ninth red team's submissions: files as a county 统计局/发改局 clerk or an enterprise's
energy manager write them in Excel/WPS, each kept as a case because it broke something.

    python tests/cases/make_redteam9_cases.py

The arithmetic of each case is done by hand in its case.yaml. Output is reproducible (fixed
timestamps, see casebook.workbook_bytes).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent


def _book(rows: list[list[object]], sheet: str = "表1", merged: tuple[str, ...] = ()) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    return wb


def _write(case: str, wb: openpyxl.Workbook) -> None:
    (HERE / case).mkdir(exist_ok=True)
    (HERE / case / "submission.xlsx").write_bytes(workbook_bytes(wb))


# 是/否 rows ticked and crossed as WPS users type them: × (and ✗) is 否. × was read as a blank marker,
# so the 2025 × fell back to the 2024 √ and the rule passed.
_write("redteam9-cross-for-no", _book([
    ["济宁市某县2025年碳达峰目标任务完成情况统计表"],
    ["填报单位：某县发展和改革局"],
    ["序号", "指标名称", "单位", "2024年", "2025年"],
    [1, "“两高”项目清单管理", "是/否", "√", "×"],
    [2, "单位能耗产出效益综合评价", "是/否", "√", "✓"],
    [3, "重点用能单位能源计量审查", "是/否", "√", "x"]]))

# A data-centre operator's list, 纳入在线监测 answered with √ and ×: the × of a 12,800 tce centre was
# read as blank (MISSING, the report compliant).
DATA_CENTRES = [
    ["吕梁市某数据中心运营企业节能自查表"],
    ["填报单位：", "吕梁市某数据科技有限公司", "报告年度：", "2025"],
    ["数据中心名称", "年综合能耗(吨标准煤)", "纳入重点用能单位能耗在线监测系统"],
    ["云计算中心一期", 12800, "×"],
    ["云计算中心二期", 6200, "√"],
    ["灾备中心", 5400, "x"],
    ["边缘节点", 1800, "×"]]
_write("redteam9-datacentre-cross", _book(DATA_CENTRES, sheet="数据中心"))
(HERE / "redteam9-datacentre-cross-csv").mkdir(exist_ok=True)
(HERE / "redteam9-datacentre-cross-csv" / "submission.csv").write_bytes(
    "\r\n".join(",".join(str(v) for v in row) for row in DATA_CENTRES).encode("gb18030") + b"\r\n")

if __name__ == "__main__":
    print("written")
