"""The facility sheet as a plant's energy office fills it: title, 填报单位 line, the units, then
the footer every form of this kind carries — a 注： line and 填表人/联系电话/审核人 under the table.
Run: python tests/cases/facility-footer/make_submission.py"""

from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ROWS = [
    ["某热电有限公司燃煤机组供电煤耗自查表"],
    ["填报单位：", "测试市示例热电有限公司", "报告年度：", "2025"],
    ["机组名称", "设施类型", "供电煤耗(克标准煤/千瓦时)"],
    ["1号机组", "燃煤发电机组", 298.6],
    ["2号机组", "燃煤发电机组", 303.2],
    ["3号机组", "燃煤发电机组", 300],
    ["注：供电煤耗为2025年1-12月累计值"],
    ["填表人：王芳", None, "联系电话：0359-1234567"],
    ["审核人：李强"],
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "机组"
for row in ROWS:
    ws.append(row)
wb.save(HERE / "submission.xlsx")
lines = (",".join("" if v is None else str(v) for v in row + [None] * (4 - len(row))) for row in ROWS)
(HERE / "submission.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
