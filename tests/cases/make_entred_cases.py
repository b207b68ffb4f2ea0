"""Write the red-team facility tables of cement and chemical plants as their energy managers send
them: a 生产线 name column on a sheet named 熟料线, units in the headers, numbers as text with
thousands separators and full-width digits, a 合计 row in the 序号 column, a 填报说明 footer, a hidden
row, a second sheet; one 单位产品综合能耗 column beside a 设施类型 column of 合成氨 and 甲醇. Each
became a case when it broke something. The hand arithmetic is in each case.yaml.

    python tests/cases/make_entred_cases.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent


def _sheet(name: str, rows: list[list[object]]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = name
    for row in rows:
        wb.active.append(row)
    return wb

# A clinker works' lines under a 生产线 name header, on a sheet named 熟料线: the generic header made every
# line a plain production line, so the ≤ 110 kgce/t clinker rule covered none and the file came out 合规
# with 2号 at 111.2. The 填报说明 footer was a facility (MISSING); 5号 sits in a hidden row.
CLINKER = [
    ["运城市某水泥有限公司熟料生产线能效自查表", None, None, None, None],
    ["填报单位：测试市示例水泥有限公司", None, None, "报告年度：2025", None],
    ["序号", "生产线", "熟料产能（t/d）", "可比熟料综合能耗（kgce/t）", "备注"],
    [1, "1号熟料线", "5,000", "１０８．５", None],
    [2, "2号熟料线", "2,500", "111.2", None],
    [3, "3号熟料线", "4,000", "1,10.0", None],
    [4, "4号熟料线", "2000", "—", "停产"],
    [5, "5号熟料线", 3000, "110", None],
    ["合计", None, "16,500", "109.8", None],
    ["填报说明：1.可比熟料综合能耗按国家标准计算；2.停产线填“—”。", None, None, None, None],
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "熟料线"
for row in CLINKER:
    ws.append(row)
ws.merge_cells("A1:E1")
ws.row_dimensions[8].hidden = True
summary = wb.create_sheet("能耗汇总")
for row in [["项目", "2024年", "2025年"], ["综合能耗（吨标准煤）", "356,000", "349,500"]]:
    summary.append(row)
(HERE / "entred-clinker-sheet-type" / "submission.xlsx").write_bytes(workbook_bytes(wb))

# A chemical works' products in one table: 设施类型 合成氨 or 甲醇, one 单位产品综合能耗 column. The header
# means ammonia energy on a 合成氨 row and methanol energy on a 甲醇 row; read as neither, every unit was
# MISSING and the file came out 合规 with 合成氨二期 at 1,532 (粉煤 ≤ 1500) and 甲醇二期 at 1 356 (焦炉煤气 ≤ 1300).
CHEMICAL = [
    ["运城市某化工有限公司重点产品能效自查表", None, None, None, None],
    ["填报单位：测试市示例化工有限公司", None, None, "报告年度：2025", None],
    ["装置名称", "设施类型", "原料路线", "单位产品综合能耗（kgce/t）", "是否已达先进值"],
    ["合成氨一期", "合成氨", "优质无烟块煤", "1,138", None],
    ["合成氨二期", "合成氨", "粉煤", "1,532", None],
    ["合成氨三期", "合成氨", "无烟块煤（非优质）", "1,300", None],
    ["合成氨四期", "合成氨", "天然气", "无", None],
    ["甲醇一期", "甲醇", "无烟煤", "１４８０", "否"],
    ["甲醇二期", "甲醇", "焦炉煤气", "1 356", "否"],
    ["甲醇三期", "甲醇", "焦炉煤气", "1,250", "是"],
    ["填报说明：单位产品综合能耗按国家标准计算", None, None, None, None],
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "重点产品"
for row in CHEMICAL:
    ws.append(row)
(HERE / "entred-chemical-by-type" / "submission.xlsx").write_bytes(workbook_bytes(wb))

# The same table as a platform's GBK CSV export (CRLF, every cell text).
out = io.StringIO()
csv.writer(out, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in CHEMICAL])
(HERE / "entred-chemical-by-type-csv" / "submission.csv").write_bytes(out.getvalue().encode("gbk"))

# A power plant's units as its production department writes them: the header on two rows (装机容量 over MW,
# the other labels merged down), 机组类型 in full (抽汽凝汽式, 背压式), numbers as text, a thousands separator,
# full-width digits, / for no value, 合计 and a 注 footer. 抽汽凝汽式 is the plan's 抽凝: it was read as
# some other type, so #2 fell outside every 抽凝 rule (its running on past the 2025 exit went unseen).
POWER = [
    ["运城市某热电有限公司机组能效情况表", None, None, None, None, None, None],
    ["填报单位：测试市示例热电有限公司", None, None, None, "报告年度：2025", None, None],
    ["序号", "机组编号", "机组类型", "装机容量", "供电煤耗", "运行状态", "关停退出时间"],
    [None, None, None, "MW", "g/kWh", None, None],
    [1, "#1机", "抽凝", "135", "３０２．１", "运行", None],
    [2, "#2机", "抽汽凝汽式", "200", "299.9", "运行", None],
    [3, "#3机", "背压式", "50", "/", "备用", None],
    [4, "#4机", "纯凝", "1,000", "281.5", "运行", None],
    ["合计", None, None, "1,385", "290.2", None, None],
    ["注：供电煤耗为2025年1-10月累计值。", None, None, None, None, None, None],
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "机组"
for row in POWER:
    ws.append(row)
for ref in ("A1:G1", "A3:A4", "B3:B4", "C3:C4", "F3:F4", "G3:G4"):
    ws.merge_cells(ref)
(HERE / "entred-power-unit-type-written" / "submission.xlsx").write_bytes(workbook_bytes(wb))

# The header on two rows, the upper one grouping the columns (基本情况 over 机组类型, 装机容量, 投产年份;
# 能效指标 over 供电煤耗, 厂用电率), merged across; a 锅炉 sheet beside it. The group names were read as the
# column labels, nothing under them was read, and the file came out 合规 with 1号 at 301.5.
GROUPED = [
    ["运城市某发电有限公司2025年机组能效情况表", None, None, None, None, None, None],
    ["填报单位：测试市示例发电有限公司", None, None, None, "报告年度：2025", None, None],
    ["机组名称", "基本情况", None, None, "能效指标", None, "备注"],
    [None, "机组类型", "装机容量（万千瓦）", "投产年份", "供电煤耗（gce/kWh）", "厂用电率（%）", None],
    ["1号机组", "抽凝", "13.5", "2008", "301.5", "8.2", None],
    ["2号机组", "抽凝", "１５", "2010", "2９9.0", "7.9", None],
    ["3号机组", "抽凝", "15", "2010", "≤300", "7.9", "估算"],
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "机组情况"
for row in GROUPED:
    ws.append(row)
for ref in ("A1:G1", "A3:A4", "B3:D3", "E3:F3", "G3:G4"):
    ws.merge_cells(ref)
boilers = wb.create_sheet("锅炉")
BOILERS = [["锅炉编号", "容量（蒸吨/小时）", "燃料", "状态"],
           ["1#锅炉", "35", "燃煤", "在用"], ["2#锅炉", "10", "燃煤", "已拆除"]]
for row in BOILERS:
    boilers.append(row)
(HERE / "entred-power-grouped-header" / "submission.xlsx").write_bytes(workbook_bytes(wb))

# The same units as a WPS CSV export (GBK, CRLF): the merged group names stand in their first cell only.
out = io.StringIO()
csv.writer(out, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in GROUPED])
(HERE / "entred-power-grouped-header-csv" / "submission.csv").write_bytes(out.getvalue().encode("gbk"))

# Clinker lines sized per year (熟料产能（万吨/年）, or 80万吨/年 in a cell) under the 2500吨/日 exit rule: read
# at 365 days a year, 80万吨/年 was a 2192 t/d line bound to exit; at the 310 days of the capacity-swap
# rules it is a 2581 t/d line the rule does not cover. A rate per year is not converted to one per day.
ANNUAL = [
    ["济宁市某水泥有限公司熟料生产线自查表", None, None, None],
    ["填报单位：测试市示例水泥有限公司", None, None, "报告年度：2025"],
    ["熟料生产线名称", "熟料产能（万吨/年）", "产品", "运行状态"],
    ["1号熟料线", 80, "通用水泥熟料", "运行"],
    ["2号熟料线", 155, "通用水泥熟料", "运行"],
]
(HERE / "entred-clinker-annual-capacity" / "submission.xlsx").write_bytes(
    workbook_bytes(_sheet("熟料生产线", ANNUAL)))
CELLS = [
    ["填报单位：测试市示例水泥有限公司", None, None, "报告年度：2025"],
    ["熟料生产线名称", "熟料产能", "产品", "运行状态"],
    ["1号熟料线", "80万吨/年", "通用水泥熟料", "运行"],
    ["2号熟料线", "3000t/d", "通用水泥熟料", "运行"],
    ["3号熟料线", "2000吨/日", "通用水泥熟料", "运行"],
]
(HERE / "entred-clinker-annual-capacity-cells" / "submission.xlsx").write_bytes(
    workbook_bytes(_sheet("熟料生产线", CELLS)))
