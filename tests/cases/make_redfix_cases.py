"""Write the cases of three confident answers the ninth red team found and left (branch redfix):
a county table titled for a year it has no column of, a plant whose units no clause covers told
"no unit to judge", and an enterprise's self-check written as an indicator table called 合规.

    python tests/cases/make_redfix_cases.py

The arithmetic of each case is done by hand in its case.yaml. Output is reproducible (fixed
timestamps, see casebook.workbook_bytes).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent


def _write(case: str, rows: list[list[object]], sheet: str = "表1") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    (HERE / case).mkdir(exist_ok=True)
    (HERE / case / "submission.xlsx").write_bytes(workbook_bytes(wb))


def _csv(case: str, rows: list[list[object]]) -> None:
    (HERE / case).mkdir(exist_ok=True)
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    (HERE / case / "submission.csv").write_bytes(text.encode("utf-8"))


# The 2025 report form filled in with the years the clerk has: 2020年 | 2024年 | 2025年目标. Judged on
# 2024 (the 2025年目标 column is a target, not a value) and called 合规 with no word of the year.
HEAD = ["序号", "指标名称", "单位", "2020年", "2024年", "2025年目标"]
BODY = [[1, "非化石能源消费比重", "%", 8.2, 11.6, 12],
        [2, "煤电机组平均供电煤耗", "克标准煤/千瓦时", 306, 301, 300]]
_write("redfix-title-year-without-column",
       [["济宁市某县2025年能耗双控指标完成情况表"], ["填报单位：某县发展和改革局"], HEAD, *BODY])
# The same table saying its year in the head (年度：2025) instead of the title.
_write("redfix-head-year-without-column",
       [["某县能耗双控指标完成情况表"], ["填报单位：某县发展和改革局", None, "年度：2025"], HEAD, *BODY])

# A power plant's three coal units, all running: the clause on 拟关停淘汰 units covers none. It said
# "没有可核查的燃煤发电机组", as if the plant had listed none.
_csv("redfix-units-none-in-scope", [
    ["机组名称", "机组类型", "运行状态", "装机容量(万千瓦)", "供电煤耗(克标准煤/千瓦时)"],
    ["1号机组", "抽凝", "在运", 13.5, 299.0],
    ["2号机组", "抽凝", "在运", 20, 298.5],
    ["3号机组", "纯凝", "在运", 35, 296.0]])
# Two small 抽凝 units, both to be closed: the supply-coal rule exempts units to be closed, so both
# are covered and exempt. It also said "没有可核查的燃煤发电机组".
_csv("redfix-units-all-exempt", [
    ["机组名称", "机组类型", "运行状态", "装机容量(万千瓦)", "供电煤耗(克标准煤/千瓦时)"],
    ["1号机组", "抽凝", "拟关停淘汰", 13.5, 318.0],
    ["2号机组", "抽凝", "拟关停淘汰", 20, 312.0]])

# A data centre's self-check as an indicator table: 指标 | 单位 | 2025年. No facility table, so every
# facility rule "does not apply", nothing is judged, and the file said 合规 (exit 0).
_write("redfix-enterprise-indicator-table", [
    ["吕梁市某数据中心2025年节能自查表"],
    ["填报单位：吕梁市某数据科技有限公司"],
    ["指标", "单位", "2025年"],
    ["综合能源消费量", "吨标准煤", 5251.66],
    ["纳入在线监测", None, "否"]])

if __name__ == "__main__":
    print("written")
