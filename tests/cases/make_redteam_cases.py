"""Write the red-team county submissions: files as county offices send them, not as cbcheck reads
them (WPS/Excel quirks, GBK exports, restated bases). Each became a case when it broke something
or pinned a reading that must not regress.

    python tests/cases/make_redteam_cases.py

Every case has the same figures, so one hand calculation covers them all (case.yaml repeats it):
energy 160 → 172 万吨标准煤 and comparable GDP 200 → 250 亿元 from 2020 to 2025, so
I_2020 = 0.8, I_2025 = 0.688 吨标准煤/万元 and r = 1 − 0.688/0.8 = 14.0 % < 14.5 % → FAIL;
非化石能源消费比重 12.3 % ≥ 12 % → PASS. Output is reproducible (fixed timestamps).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent
HEAD = ["序号", "指标名称", "单位"]
ROWS = [["能源消费总量", "万吨标准煤", 160.0, 170.0, 172.0],
        ["地区生产总值（可比价）", "亿元", 200.0, 240.0, 250.0],
        ["非化石能源消费比重", "%", 8.2, 11.6, 12.3]]


def _book(title: str, office: str, header: list[object], rows: list[list[object]],
          sheet: str = "Sheet1") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([f"填报单位：{office}"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    return wb


def _write(case: str, wb: openpyxl.Workbook) -> None:
    (HERE / case / "submission.xlsx").write_bytes(workbook_bytes(wb))


def _numbered(rows: list[list[object]]) -> list[list[object]]:
    return [[i, *row] for i, row in enumerate(rows, start=1)]


# 地区生产总值（可比价，万元）: the unit shares the bracket with the price basis; it was dropped and
# the 万元 figures read as 亿元 (the intensity 10⁴ times too small, unseen where only ratios are judged).
wb = _book("左权县2025年能耗双控完成情况表", "左权县统计局", ["指标", "2020年", "2024年", "2025年", "备注"], [
    ["能源消费总量（吨标准煤）", "1,600,000", "1,700,000", "1,720,000", None],
    ["地区生产总值（可比价，万元）", "2,000,000", "2,400,000", "2,500,000", "2020年价格"],
    ["非化石能源消费比重（%）", 8.2, 11.6, 12.3, None]], sheet="表1")
_write("redteam-unit-beside-basis", wb)

# Year headers typed as dates and shown as 2024年 (yyyy"年"), and 2020 as a number shown 2020年.
wb = _book("灵石县2025年碳达峰目标任务完成情况统计表", "灵石县发展和改革局",
           [*HEAD, 2020, dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1)], _numbered(ROWS))
ws = wb.active
ws["D3"].number_format = '0"年"'
ws["E3"].number_format = ws["F3"].number_format = 'yyyy"年"'
_write("redteam-year-as-date", wb)

# A monthly-report export: 2025年1-12月 is the whole of 2025.
wb = _book("平遥县2025年碳达峰目标任务完成情况统计表", "平遥县发展和改革局",
           [*HEAD, "2020年", "2024年", "2025年1-12月"], _numbered(ROWS))
_write("redteam-jan-dec", wb)

# The 2020 base restated after the fifth economic census, beside the first-published column.
wb = _book("太谷区2025年碳达峰目标任务完成情况统计表", "太谷区发展和改革局",
           [*HEAD, "2020年", "2020年（五经普修订后）", "2024年", "2025年"], [
               [1, "能源消费总量", "万吨标准煤", 160, 165, 170, 172],
               [2, "地区生产总值（可比价）", "亿元", 200, 215, 240, 250],
               [3, "非化石能源消费比重", "%", 8.2, 8.2, 11.6, 12.3]])
wb.active.append(["注：2020年数据根据第五次全国经济普查结果修订。"])
_write("redteam-restated-base", wb)

# Two header rows: 2025年 merged over 本年实际 | 比上年增长（%）.
wb = _book("和顺县2025年碳达峰目标任务完成情况统计表", "和顺县发展和改革局",
           [*HEAD, "2020年", "2024年", "2025年", None, "备注"], [])
ws = wb.active
ws.append([None, None, None, None, None, "本年实际", "比上年增长（%）", None])
for ref in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3", "H3:H4"):
    ws.merge_cells(ref)
for i, (name, unit, *values) in enumerate(ROWS, start=1):
    ws.append([i, name, unit, *values, [1.2, 4.2, "—"][i - 1], "按2020年价格" if "生产总值" in name else None])
ws.append(["注：增长速度按可比价格计算。"])
_write("redteam-two-header-rows", wb)

# Numbers stored as text in full-width digits, a 2023 column of n.a. markers, ％ as the unit.
wb = _book("昔阳县2025年碳达峰指标完成情况", "昔阳县发展和改革局",
           [*HEAD, "2020年", "2023年", "2024年", "2025年"], [
    ["１", "能源消费总量", "万吨标准煤", "１６０．０", "/", "１７０．０", "１７２．０"],
    ["２", "地区生产总值（可比价）", "亿元", "２００", "-", "２４０", "２５０"],
    ["３", "非化石能源消费比重", "％", "８．２", "—", "１１．６", "１２．３％"]])
_write("redteam-fullwidth-text", wb)

# A 填报说明 sheet first, last year's return as a hidden sheet, the data on a sheet named 2025年.
wb = _book("榆社县2025年碳达峰目标任务完成情况统计表", "榆社县发展和改革局",
           [*HEAD, "2020年", "2024年", "2025年"], _numbered(ROWS), sheet="2025年")
guide = wb.create_sheet("填报说明", 0)
for line in ("填报说明：", "1. 本表由各县（市、区）发改局填报，2026年3月31日前报送。",
             "2. 能源消费总量单位为万吨标准煤，2025年目标为下降14.5%。",
             "3. 非化石能源消费比重填百分数，如12.3%填12.3。"):
    guide.append([line])
old = wb.create_sheet("2024年（上年报送）", 1)
old.sheet_state = "hidden"
old.append([*HEAD, "2020年", "2024年"])
old.append([1, "能源消费总量", "万吨标准煤", 158, 169])
_write("redteam-guide-and-hidden", wb)

# One row per indicator and year, 2025 in 吨标准煤 and 万元 where 2020 is in 万吨标准煤 and 亿元.
wb = _book("介休市2025年能耗指标填报表", "介休市统计局", ["指标名称", "年份", "数值", "计量单位", "备注"], [
    ["能源消费总量", "2020年", 160, "万吨标准煤", None],
    ["能源消费总量", "2025年", 1720000, "吨标准煤", "能源统计快报"],
    ["地区生产总值（可比价）", "2020年", 200, "亿元", None],
    ["地区生产总值（可比价）", "2025年", 2500000, "万元", None],
    ["非化石能源消费比重", "2020年", 8.2, "%", None],
    ["非化石能源消费比重", "2025年", 12.3, "%", None]])
_write("redteam-long-mixed-units", wb)

# 2025年（快报）: the year's first-published figure is its value (final figures come mid next year).
wb = _book("左权县2025年碳达峰指标表", "左权县发展和改革局", [*HEAD, "2020年", "2024年", "2025年（快报）"],
           _numbered(ROWS))
_write("redteam-preliminary-year", wb)

# Year-on-year reductions as the bulletin gives them, one year a rise (-1.2, or the words 上升1.2)
# or a slow one (0.8).
YOY_HEAD = [*HEAD, "2021年", "2022年", "2023年", "2024年", "2025年", "备注"]
for case, rise in (("redteam-yoy-rise", -1.2), ("redteam-yoy-rise-in-words", "上升1.2"),
                   ("redteam-yoy-slow-year", 0.8)):
    wb = _book("寿阳县2025年节能目标完成情况表", "寿阳县发展和改革局", YOY_HEAD, [
        [1, "单位地区生产总值能耗降低率", "%", 4.0, rise, 3.0, 4.5, 4.6, "比上年，负数为上升"],
        [2, "非化石能源消费比重", "%", 8.9, 9.6, 10.4, 11.6, 12.3, None]])
    _write(case, wb)

# The base year named by the five-year plan that ended in it: “十三五”末（2020年）.
wb = _book("祁县2025年碳达峰目标任务完成情况统计表", "祁县发展和改革局",
           [*HEAD, "“十三五”末（2020年）", "2024年", "2025年"], _numbered(ROWS))
_write("redteam-plan-period-end", wb)

# Footnote marks on the names, as a bulletin's table carries them: ①, 注2, *.
MARKS = ("①", "注2", "*")
wb = _book("榆次区2025年碳达峰目标任务完成情况统计表", "榆次区发展和改革局",
           [*HEAD, "2020年", "2024年", "2025年", "备注"],
           _numbered([[f"{name}{mark}", *rest, None] for (name, *rest), mark in zip(ROWS, MARKS, strict=True)]))
wb.active.append(["注：①含非能源利用；2.地区生产总值按2020年价格计算。"])
_write("redteam-footnote-marks", wb)

# Footnote marks on the figures themselves (172*, 250①, 12.3注): each was an ERROR at its cell.
wb = _book("榆次区2025年碳达峰目标任务完成情况统计表", "榆次区发展和改革局",
           [*HEAD, "2020年", "2024年", "2025年"], _numbered([
               ["能源消费总量", "万吨标准煤", "160", "170", "172*"],
               ["地区生产总值（可比价）", "亿元", "200¹", "240", "250①"],
               ["非化石能源消费比重", "%", "8.2", "11.6", "12.3注"]]))
wb.active.append(["注：*为快报数；①按2020年价格计算；¹五经普修订后。"])
_write("redteam-footnote-on-number", wb)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


EXPORT = _csv([["晋中市祁县2025年碳达峰指标表"], ["填报单位：祁县发展和改革局"],
               ["序号", "指标名称", "单位", "2020年", "2024年", "2025年", "备注"],
               *[[str(i), name, unit, *map(str, values), "按2020年价格" if "生产总值" in name else "—"]
                 for i, (name, unit, *values) in enumerate(ROWS, start=1)]])
(HERE / "redteam-gbk-csv" / "submission.csv").write_bytes(EXPORT.encode("gbk"))
# GB18030's own byte-order mark (84 31 95 33), as some Windows tools write it.
(HERE / "redteam-gb18030-bom-csv" / "submission.csv").write_bytes("\ufeff".encode("gb18030") + EXPORT.encode("gb18030"))

if __name__ == "__main__":
    print("written")
