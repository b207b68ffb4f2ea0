"""Write the workbooks of the statistics cases (price basis, year-on-year rates), as a county
statistics office fills them in: a merged title, 填报单位/填报日期, 序号|指标名称|单位|years|备注,
a footnote as statistical bulletins write it.

    python tests/cases/make_statistics_cases.py

The hand arithmetic is in each case's case.yaml. Output is reproducible (fixed timestamps).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent
FIXED = (2025, 3, 15, 0, 0, 0)


def county_book(title: str, office: str, years: list[int], rows: list[list[object]], footnote: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    width = 3 + len(years) + 1
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"填报单位（盖章）：{office}", None, None, None, "填报日期：2025年3月15日"])
    ws.append(["序号", "指标名称", "单位", *[f"{y}年" for y in years], "备注"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append([footnote])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.append(["填表人：王某", None, "审核人：李某", None, "联系电话：0354-1234567"])
    return workbook_bytes(wb, FIXED)


YEARS = [2020, 2021, 2022, 2023, 2024]

# 现价 GDP and the real-growth index (上年=100) for every year: the county's usual table.
(HERE / "price-current-with-index" / "submission.xlsx").write_bytes(county_book(
    "和顺县2024年碳达峰目标任务完成情况统计表", "和顺县统计局", YEARS, [
        ["能源消费总量", "万吨标准煤", 160.0, 165.2, 167.9, 170.3, 172.0, ""],
        ["地区生产总值", "亿元", 200.0, 221.6, 236.9, 251.3, 265.8, "现价"],
        ["地区生产总值指数", "上年=100", "—", 106.5, 104.0, 105.2, 105.0, "按可比价格计算"],
        ["非化石能源消费比重", "%", 8.2, 8.9, 9.6, 10.4, 11.3, ""],
    ], "注：地区生产总值按当年价格计算，指数按可比价格计算。"))

# Year-on-year reductions as the statistical bulletin gives them, and the cumulative rate.
(HERE / "yoy-chained" / "submission.xlsx").write_bytes(county_book(
    "左权县2024年节能目标完成情况表", "左权县发展和改革局", YEARS, [
        ["单位地区生产总值能耗降低率", "%", "—", 3.1, 2.9, 3.0, 2.8, "比上年"],
        ["单位地区生产总值能耗累计下降率", "%", "—", "", "", "", 12.0, "比2020年"],
        ["非化石能源消费比重", "%", 8.2, 8.9, 9.6, 10.4, 11.3, ""],
    ], "注：能耗降低率按2020年可比价地区生产总值计算。"))

if __name__ == "__main__":
    print("written")
