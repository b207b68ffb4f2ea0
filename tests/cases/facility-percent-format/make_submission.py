"""The unit sheet as a power plant's energy office saves it from Excel or WPS: title, 填报单位 line,
the header with its units, the ratio column formatted as a percentage (0% and 0.0%), and the
footer the form carries. What the office typed into 负荷率（%）:

    1号机组  0.45 formatted 0%    (shows 45%)
    2号机组  0.4  formatted 0%    (shows 40%: the boundary)
    3号机组  0.395 formatted 0.0% (shows 39.5%)
    4号机组  the text 45%         (typed with its sign; Excel kept it as text)
    5号机组  45, no format        (the number as the header's unit says)
    6号机组  blank

and in 供电煤耗, 5号机组's cell was formatted 0% by a copied style (0.3 shows 30%).
``submission.csv`` is the sheet saved as CSV: Excel writes each cell as it shows (45%, 39.5%).
Run: python tests/cases/facility-percent-format/make_submission.py"""

from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ROWS = [
    ["某热电有限公司燃煤机组运行指标自查表"],
    ["填报单位：", "测试市示例热电有限公司", "报告年度：", "2025"],
    ["机组名称", "设施类型", "负荷率（%）", "供电煤耗(克标准煤/千瓦时)"],
    ["1号机组", "燃煤发电机组", 0.45, 298.6],
    ["2号机组", "燃煤发电机组", 0.4, 300],
    ["3号机组", "燃煤发电机组", 0.395, 303.2],
    ["4号机组", "燃煤发电机组", "45%", 299],
    ["5号机组", "燃煤发电机组", 45, 0.3],
    ["6号机组", "燃煤发电机组", None, 295],
    ["填表人：王芳", None, "联系电话：0359-1234567"],
]
FORMATS = {"C4": "0%", "C5": "0%", "C6": "0.0%", "D8": "0%"}
SHOWN = {"C4": "45%", "C5": "40%", "C6": "39.5%", "D8": "30%"}      # what the CSV export writes

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "机组"
for row in ROWS:
    ws.append(row)
for ref, fmt in FORMATS.items():
    ws[ref].number_format = fmt
wb.save(HERE / "submission.xlsx")

lines = []
for r, row in enumerate(ROWS, start=1):
    padded = row + [None] * (4 - len(row))
    cells = [SHOWN.get(f"{'ABCD'[c]}{r}", "" if v is None else str(v)) for c, v in enumerate(padded)]
    lines.append(",".join(cells))
(HERE.parent / "facility-percent-format-csv" / "submission.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
