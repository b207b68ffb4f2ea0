"""Write the red-team enterprise facility tables: as plants and monitoring platforms send them, not
as cbcheck reads them (a merged plant-name column, units in the cells, a 合计 row under the units,
closure dates written as 2023.12 or left as an Excel date serial, GBK CSV). Each became a case when
it broke something. The hand arithmetic is in each case.yaml.

    python tests/cases/make_facred_cases.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent


def _book(sheet: str, rows: list[list[object]], merged: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref in merged:
        ws.merge_cells(ref)
    return workbook_bytes(wb)


# The plant's name merged down column A over its units; capacities in the cells in MW and 万千瓦;
# a 合计 row with the summed capacity and the plant's average supply coal consumption. The 合计 row
# was judged as a fourth unit (its 302 FAIL under the all-units rule).
POWER = [
    ["运城市某热电有限公司燃煤机组节能自查表"],
    ["填报单位：", "测试市示例热电有限公司", "报告年度：", "2025"],
    ["电厂", "机组名称", "机组类型", "装机容量", "供电煤耗(克标准煤/千瓦时)", "状态"],
    ["示例热电厂", "1号机组", "抽凝", "135MW", 298.6, "运行"],
    [None, "2号机组", "抽凝", "20万千瓦", 303.2, "运行"],
    [None, "3号机组", "纯凝", "350MW", 296.0, "运行"],
    ["合计", None, None, "69.5万千瓦", 302.0, None],
]
(HERE / "facred-power-total-row" / "submission.xlsx").write_bytes(_book("机组", POWER, ("A4:A6",)))

# Coke ovens with the chamber height written every way a plant writes it, and closure dates as
# they come: a date, 2023.12 (text), an Excel date serial left as a number (45300 = 2024-01-09),
# 2023年10月底, 已拆除. 2023.12 and 45300 were read as "done (no date given)" → PASS; both are late.
OVENS = [
    ["运城市某焦化有限公司焦炉情况自查表"],
    ["填报单位：测试市示例焦化有限公司", None, None, "报告年度：2025"],
    ["焦炉编号", "炭化室高度", "产能(万吨/年)", "状态", "关停退出时间", "备注"],
    ["1#焦炉", "4.3m", 40, "已关停", dt.date(2023, 9, 28), None],
    ["2#焦炉", "4.3米", 40, "已关停", "2023.12", None],
    ["3#焦炉", "4.30", 40, "已关停", 45300, None],
    ["4#焦炉", 4.3, 40, "已关停", "2023年10月底", None],
    ["5#焦炉", "4.3m", 40, "已关停", "已拆除", None],
    ["6#焦炉", "5.5m", 100, "已建成", None, "已停产"],
    ["合计", None, 300, None, None, None],
]
(HERE / "facred-coke-closure-written" / "submission.xlsx").write_bytes(_book("焦炉", OVENS))

# The same ovens as a platform's GBK CSV export (CRLF, every cell text).
out = io.StringIO()
writer = csv.writer(out, lineterminator="\r\n")
for row in OVENS:
    writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])
(HERE / "facred-coke-closure-gbk-csv" / "submission.csv").write_bytes(out.getvalue().encode("gbk"))

# A group's units, plant by plant, each plant closed by a 小计 row and the group by 总计: the
# 甲厂小计 inside the table (its 301.4 the plant's average) was judged as a unit and FAILed.
GROUP = [
    ["填报单位：测试市示例发电集团", None, None, "报告年度：2025"],
    ["机组名称", "机组类型", "装机容量(万千瓦)", "供电煤耗(克标准煤/千瓦时)"],
    ["甲厂1号机组", "抽凝", 13.5, 298.6],
    ["甲厂2号机组", "抽凝", 20, 303.2],
    ["甲厂小计", None, 33.5, 301.4],
    ["乙厂1号机组", "抽凝", 15, 296],
    ["乙厂 小计", None, 15, 296],
    ["总计", None, 48.5, 299.9],
]
(HERE / "facred-power-subtotals" / "submission.xlsx").write_bytes(_book("机组", GROUP))
(HERE / "facred-power-subtotals" / "submission.csv").write_text(
    "\n".join(",".join("" if v is None else str(v) for v in row) for row in GROUP) + "\n", encoding="utf-8")

# The header on two rows, the labels merged down and the units under them (装机容量 over MW): the
# units row was a unit named 机组名称 and the capacities, read in the rule's 万千瓦, were 10 times
# too large (135 MW as 135万千瓦: out of the ≤ 20万千瓦 rule, so its breach went unseen).
UNITS_ROW = [
    ["填报单位：测试市示例热电有限公司", None, None, "报告年度：2025"],
    ["机组名称", "机组类型", "装机容量", "供电煤耗"],
    [None, None, "MW", "克标准煤/千瓦时"],
    ["1号机组", "抽凝", 135, 303.2],
    ["2号机组", "抽凝", 200, 298.6],
    ["3号机组", "抽凝", 300, 310],
]
(HERE / "facred-power-units-row" / "submission.xlsx").write_bytes(_book("机组", UNITS_ROW, ("A2:A3", "B2:B3")))
(HERE / "facred-power-units-row-csv" / "submission.csv").write_text(
    "\n".join(",".join("" if v is None else str(v) for v in row) for row in UNITS_ROW) + "\n", encoding="utf-8")

# attrs: chamber heights as plants write them when they do not measure each oven — a bound (4.3米以下,
# ≤4.3, 不足4.3米, 4300mm以下), a range or two sizes (4.3/5.5, 4.3-5.5, 5.5-6米), 5.5米以上, 约4.3,
# a word (待查) — every oven still running. Before, every one of them but 约4.3 was MISSING as if
# blank, the height cell not named, and the file could come out 合规.
HEIGHTS = [
    ["运城市某焦化有限公司焦炉淘汰情况表", None, None, None, None],
    ["填报单位：测试市示例焦化有限公司", None, None, "报告年度：2025", None],
    ["焦炉编号", "炭化室高度", "状态", "关停退出时间", "备注"],
    *[[f"{i}#焦炉", h, "在产", None, None] for i, h in enumerate(
        ["4.3米以下", "≤4.3", "不足4.3米", "4.3/5.5", "4.3-5.5", "5.5-6米", "5.5米以上", "约4.3", "4.3米",
         "4300mm以下", None, "待查", 6.0], start=1)],
]
(HERE / "attrs-coke-heights-written" / "submission.xlsx").write_bytes(
    _book("焦炉", HEIGHTS, ("A1:E1", "A2:C2", "D2:E2")))

# attrs: closure dates as a WPS export of a plant's ledger writes them (GBK, CRLF): months, month ends,
# 前, closure words alone or with their month, and what stays refused (2023.1, 2023年13月, a span across
# the deadline). 13# runs on with 备注 已停产: judged as running, the remark said beside its verdict.
DATES = [
    ["填报单位：测试市示例焦化有限公司", None, None, "报告年度：2025", None],
    ["焦炉编号", "炭化室高度(米)", "状态", "关停退出时间", "备注"],
    *[[f"{i}#焦炉", 4.3, state, when, remark] for i, (state, when, remark) in enumerate([
        ("已关停", "2023年10月底", None), ("已关停", "2023年11月", None), ("已关停", "2023.10", None),
        ("已关停", "2023年10月前", None), ("已关停", "已拆除", None), ("已关停", "已关停（2023年9月）", None),
        ("已关停", "已完成", None), ("已关停", "2023.1", None), ("已关停", "2023年13月", None),
        ("已关停", "2023年底前", None), ("已关停", "2023年9月已拆除", None), ("已关停", "2024年", None),
        ("在产", None, "已停产")], start=1)],
]
out = io.StringIO()
csv.writer(out, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in DATES])
(HERE / "attrs-coke-dates-gbk-csv" / "submission.csv").write_bytes(out.getvalue().encode("gbk"))
