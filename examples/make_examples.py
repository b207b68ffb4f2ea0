"""Regenerate the example submissions in this folder (deterministic).

    python examples/make_examples.py

Each example is what a county office would send: a title row, 填报单位/填报日期,
a header with year columns, indicator names as the plan writes them (or close),
and a 备注 column. The expected reports beside them are produced by cbcheck and
checked by tests/test_examples.py.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
FIXED_TIME = __import__("datetime").datetime(2026, 1, 1)


def county_workbook(path: Path, title: str, entity: str, date: str, years: list[str],
                    rows: list[tuple[str, str, list[object], str]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    width = 3 + len(years) + 1
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"填报单位：{entity}", None, None, f"填报日期：{date}"])
    ws.append(["序号", "指标名称", "单位", *years, "备注"])
    for i, (name, unit, values, note) in enumerate(rows, start=1):
        ws.append([i, name, unit, *values, note])
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, float) and cell.column_letter != "A":
                cell.number_format = "0.00"
    ws.column_dimensions["B"].width = 36
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    save_reproducibly(wb, path)


def save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save byte for byte the same on every run: openpyxl stamps the zip entries and the
    workbook's modified time with the current time, and the file's sha256 is printed in
    the golden reports."""
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(entry, data)


JINING_YEARS = ["2020年", "2024年", "2025年", "2025年目标"]

JINING_PASS = [
    ("非化石能源消费比重", "%", [8.2, 11.9, 13.1, 13], ""),
    ("能源消费总量", "万吨标准煤", [412.0, 425.5, 428.0, None], "统计局快报"),
    ("地区生产总值（2020年可比价）", "亿元", [520.0, 610.3, 646.0, None], "可比价"),
    ("单位地区生产总值二氧化碳排放", "吨/万元", [1.65, 1.44, 1.37, None], ""),
    ("煤电机组平均供电煤耗", "克标准煤/千瓦时", [306.0, 297.5, 294.1, 295], ""),
    ("光伏发电装机容量", "MW", [1520.0, 4350.0, 5100.0, None], "以兆瓦填报"),
    ("累计建成加氢站", "座", [0, 5, 8, None], ""),
]

JINING_FAIL = [
    ("非化石能源消费比重", "%", [8.2, 10.1, 11.2, 13], "低于目标"),
    ("能源消费总量", "万吨标准煤", [412.0, 455.0, 468.0, None], ""),
    ("地区生产总值（2020年可比价）", "亿元", [520.0, 598.0, 620.0, None], ""),
    ("单位地区生产总值二氧化碳排放", "吨/万元", [1.65, 1.58, 1.55, None], ""),
    ("煤电机组平均供电煤耗", "克标准煤/千瓦时", [306.0, 301.0, 299.4, 295], "未达标"),
    ("光伏发电装机容量", "万千瓦", [152.0, 300.0, 330.0, None], ""),
    ("累计建成加氢站", "座", [0, 2, "—", None], "未统计"),
]


def jining_csv(path: Path) -> None:
    """The long layout, as a GBK-encoded CSV export (what Excel on a Chinese Windows writes)."""
    rows = [("指标", "年份", "数值", "单位")]
    for name, unit, values, _ in JINING_PASS:
        for year, value in zip(("2020", "2024", "2025"), values[:3]):
            rows.append((name, year, "" if value is None else str(value), unit))
    with path.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows(rows)


def main() -> None:
    county_workbook(HERE / "jining-county-pass.xlsx", "济宁市某县2025年碳达峰目标任务完成情况统计表",
                    "济宁市示例县", "2026-03-15", JINING_YEARS, JINING_PASS)
    county_workbook(HERE / "jining-county-fail.xlsx", "济宁市某县2025年碳达峰目标任务完成情况统计表",
                    "济宁市示例县", "2026-03-15", JINING_YEARS, JINING_FAIL)
    jining_csv(HERE / "jining-county-long-gbk.csv")


if __name__ == "__main__":
    main()
