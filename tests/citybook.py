"""A city workbook as 济宁市's office forwards it: 说明 first, one sheet per county, a blank county sheet, and
a 汇总 sheet last whose SUM formulas carry the values Excel saved with them. Built with openpyxl, then the
formula cells given their cached results (openpyxl writes a formula without one), as Excel would have."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

GDP = "地区生产总值（2020年可比价）"
HEADER = ["序号", "指标名称", "单位", "2020年", "2025年", "备注"]
# (indicator, unit) of each row, then each county's 2020 and 2025 values in that order
ROWS = [("能源消费总量", "万吨标准煤"), (GDP, "亿元"), ("非化石能源消费量", "万吨标准煤")]
COUNTIES: dict[str, tuple[str | None, list[tuple[float, float]]]] = {
    # sheet: (its 填报单位 row, or None), values
    "任城区": ("济宁市任城区", [(412, 436), (720, 880), (36, 64)]),
    "兖州区": (None, [(400, 420), (600, 760), (52, 58)]),
    "曲阜市": ("济宁市泗水县", [(190, 199), (380, 468), (21, 37)]),
    "邹城市": (None, []),                                  # left blank: the county has not sent it
}


def _county(ws: Any, signer: str | None, values: list[tuple[float, float]]) -> list[int]:
    """The sheet's rows; returns the row number of each indicator row."""
    ws.append(["济宁市碳达峰主要指标统计表"])
    if signer:
        ws.append([f"填报单位：{signer}", None, None, "填报日期：2026年6月20日"])
    ws.append(HEADER)
    rows = []
    for i, ((name, unit), (v2020, v2025)) in enumerate(zip(ROWS, values, strict=True), start=1):
        ws.append([i, name, unit, v2020, v2025, None])
        rows.append(ws.max_row)
    return rows


def city_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["填表说明"])
    notes.append(["各县（市、区）各填一个工作表，表名为县区名；汇总表由公式自动求和，请勿改动。"])
    where: dict[str, list[int]] = {}
    for name, (signer, values) in COUNTIES.items():
        ws = wb.create_sheet(name)
        if values:
            where[name] = _county(ws, signer, values)
    total = wb.create_sheet("汇总")
    total.append(["济宁市碳达峰主要指标汇总表"])
    total.append(HEADER)
    cached: dict[str, float] = {}
    for i, (name, unit) in enumerate(ROWS):
        r = total.max_row + 1
        total.append([i + 1, name, unit])
        for col, k in (("D", 0), ("E", 1)):
            terms = [f"{sheet}!{col}{rows[i]}" for sheet, rows in where.items()]
            total[f"{col}{r}"] = "=SUM(" + ",".join(terms) + ")"
            cached[f"{col}{r}"] = sum(COUNTIES[s][1][i][k] for s in where)
    raw = io.BytesIO()
    wb.save(raw)
    path.write_bytes(_with_cached(raw.getvalue(), f"xl/worksheets/sheet{len(wb.sheetnames)}.xml", cached))
    return path


def _with_cached(data: bytes, part: str, values: dict[str, float]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                for ref, value in values.items():
                    saved = b"<v>%g</v>" % value
                    body, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>)(<f>.*?</f>)(<v\s*/>|<v></v>)?',
                                      lambda m, saved=saved: m.group(1) + m.group(2) + saved, body, count=1)
                    assert n == 1, ref
            dst.writestr(info, body)
    return out.getvalue()
