"""Write the reader's test cases: one small file per quirk, and the reading it must produce.

    python tests/reader/cases/make_cases.py

Each case is a data file ``<name>.<ext>`` and a sidecar ``<name>.expected.yaml`` holding
either the reading (``observations``: every value with its indicator, year, value,
unit and location; ``unmatched``; ``entity``/``meta``; substrings of ``notes``) or the
``error`` the reader must raise. A sidecar may name another case's file (``file:``) to
read it with other ``args`` (``sheet``, ``encoding``). The generated files are
committed; the output is byte-for-byte reproducible (fixed zip timestamps).

The expectations are written here by hand, next to the data, so that a reviewer sees
the cell and what it must read as side by side.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Callable

import openpyxl
import yaml
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
CASES: dict[str, tuple[str, bytes, dict[str, Any]]] = {}


def case(name: str, ext: str, data: bytes, expected: dict[str, Any]) -> None:
    assert name not in CASES, name
    CASES[name] = (ext, data, expected)


def obs(at: str, indicator: str, year: int, value: Any, unit: str | None = None, **extra: Any) -> dict[str, Any]:
    out = {"at": at, "indicator": indicator, "year": year, "value": value, "unit": unit}
    out.update(extra)
    return out


def csv_text(rows: list[str]) -> str:
    return "\n".join(rows) + "\n"


# --- xlsx helpers ---------------------------------------------------------------------------------

def workbook_bytes(build: Callable[[openpyxl.Workbook], None],
                   patch: dict[str, dict[str, str]] | None = None) -> bytes:
    """Build a workbook, then rewrite cells in the sheet XML (cached formula results, float noise)
    and fix every timestamp so the file is reproducible."""
    wb = openpyxl.Workbook()
    build(wb)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-10T00:00:00Z", data)
            for cell_ref, element in (patch or {}).get(info.filename, {}).items():
                pattern = rb'<c r="' + cell_ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)'
                data, n = re.subn(pattern, element.encode(), data, count=1)
                assert n == 1, (info.filename, cell_ref)
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 10, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    return out.getvalue()


def put_rows(ws: Any, rows: list[list[Any]], start: int = 1) -> None:
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)


BASIC = ["指标名称,单位,2023年,2024年",
         "非化石能源消费比重,%,12.1,13.2",
         "光伏发电装机容量,万千瓦,100,120"]


def basic_obs(name: str, first_row: int = 2) -> list[dict[str, Any]]:
    r = first_row
    return [obs(f"{name}:{r}:3", "non_fossil_energy_share", 2023, 12.1, "%"),
            obs(f"{name}:{r}:4", "non_fossil_energy_share", 2024, 13.2, "%"),
            obs(f"{name}:{r + 1}:3", "solar_power_capacity", 2023, 100, "万千瓦"),
            obs(f"{name}:{r + 1}:4", "solar_power_capacity", 2024, 120, "万千瓦")]


# --- encodings and delimiters ---------------------------------------------------------------------

GBK_ROWS = ["XX县2024年碳达峰目标任务完成情况统计表,,,",
            "填报单位：XX县发展和改革局,,填报日期：2025年1月10日,", *BASIC]
case("csv_gbk", "csv", csv_text(GBK_ROWS).encode("gbk"), {
    "description": "GBK-encoded CSV from Excel, with a title and a 填报单位/填报日期 row",
    "entity": "XX县发展和改革局", "meta": {"date": "2025-01-10", "entity_from_title": "XX县"},
    "notes": ["gb18030"], "observations": basic_obs("csv_gbk.csv", 4)})

case("csv_gb18030", "csv", csv_text([
    "指标名称,单位,2023年,2024年,备注",
    "非化石能源消费比重,%,12.1,13.2,含㐀村光伏项目（GB18030 四字节字符）",
    "光伏发电装机容量,万千瓦,100,120,"]).encode("gb18030"), {
    "description": "GB18030 with a character outside GBK (㐀, four bytes)",
    "notes": ["gb18030"], "observations": basic_obs("csv_gb18030.csv")})

case("csv_utf8_bom", "csv", b"\xef\xbb\xbf" + csv_text(BASIC).encode("utf-8"), {
    "description": "UTF-8 with a byte-order mark (Excel's 'CSV UTF-8')",
    "notes": ["utf-8-sig"], "observations": basic_obs("csv_utf8_bom.csv")})

case("csv_utf16", "csv", csv_text([r.replace(",", "\t") for r in BASIC]).encode("utf-16"), {
    "description": "UTF-16 with BOM and tabs (Excel's 'Unicode Text')",
    "notes": ["utf-16", "delimiter '\\t'"], "observations": basic_obs("csv_utf16.csv")})

case("csv_utf16le_nobom", "csv", csv_text(BASIC).encode("utf-16-le"), {
    "description": "UTF-16LE without a byte-order mark",
    "notes": ["utf-16-le (no byte-order mark)"], "observations": basic_obs("csv_utf16le_nobom.csv")})

case("csv_semicolon", "csv", csv_text([r.replace(",", ";") for r in BASIC]).encode(), {
    "description": "semicolon-delimited", "notes": ["delimiter ';'"],
    "observations": basic_obs("csv_semicolon.csv")})

case("csv_tab", "csv", csv_text(["指标名称\t单位\t2023年\t2024年",
                                 "风电装机容量\t万千瓦\t1,234.5\t1,300"]).encode(), {
    "description": "tab-delimited, values with thousands separators",
    "notes": ["delimiter '\\t'"],
    "observations": [obs("csv_tab.csv:2:3", "wind_power_capacity", 2023, 1234.5, "万千瓦"),
                     obs("csv_tab.csv:2:4", "wind_power_capacity", 2024, 1300, "万千瓦")]})

case("csv_sep_line", "csv", csv_text(["sep=;", *[r.replace(",", ";") for r in BASIC]]).encode(), {
    "description": "Excel's sep=; first line names the delimiter (and is not a row)",
    "notes": ["sep= line"], "observations": basic_obs("csv_sep_line.csv")})

case("csv_cr_only", "csv", "\r".join(BASIC).encode() + b"\r", {
    "description": "old Mac line endings: bare CR, no LF", "observations": basic_obs("csv_cr_only.csv")})

case("csv_null_byte", "csv", csv_text(BASIC).replace("光伏", "光\x00伏").encode(), {
    "description": "a NUL byte inside a cell is removed, with a note",
    "notes": ["NUL byte"], "observations": basic_obs("csv_null_byte.csv")})

# --- numbers ----------------------------------------------------------------------------------------

case("csv_fullwidth", "csv", csv_text([
    "指标名称,单位,2023年,2024年",
    "非化石能源消费比重（％）,,１２．１,１３．２％",
    "单位地区生产总值能耗累计下降率,％,－３．１,１，２３４．５"]).encode(), {
    "description": "full-width digits, point, comma, minus, percent and brackets",
    "observations": [
        obs("csv_fullwidth.csv:2:3", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("csv_fullwidth.csv:2:4", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_fullwidth.csv:3:3", "energy_intensity_reduction", 2023, -3.1, "%", rate_basis="cumulative"),
        obs("csv_fullwidth.csv:3:4", "energy_intensity_reduction", 2024, 1234.5, "%", rate_basis="cumulative")]})

case("csv_percent_text", "csv", csv_text([
    "指标名称,单位,2023年,2024年",
    "非化石能源消费比重,,13.2%,13.5 %",
    "森林覆盖率,%,0.132,20",
    "光伏发电装机容量,万千瓦,13.2%,120"]).encode(), {
    "description": "13.2% as text; a % value in a 万千瓦 row is an error; 0.132 in a % row is read as "
                   "written (0.132 %) with a note, never silently multiplied",
    "notes": ["csv_percent_text.csv:3:3: 0.132 read as 0.132 %"],
    "observations": [
        obs("csv_percent_text.csv:2:3", "non_fossil_energy_share", 2023, 13.2, "%"),
        obs("csv_percent_text.csv:2:4", "non_fossil_energy_share", 2024, 13.5, "%"),
        obs("csv_percent_text.csv:3:3", "forest_coverage", 2023, 0.132, "%"),
        obs("csv_percent_text.csv:3:4", "forest_coverage", 2024, 20, "%"),
        obs("csv_percent_text.csv:4:3", "solar_power_capacity", 2023, None, "万千瓦",
            error="is a percentage but the unit is 万千瓦"),
        obs("csv_percent_text.csv:4:4", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_approx", "csv", csv_text([
    "指标名称,单位,2022年,2023年,2024年",
    "光伏发电装机容量,万千瓦,约500,500左右,近500"]).encode(), {
    "description": "约500 / 500左右 / 近500 are 500, flagged approximate",
    "observations": [
        obs(f"csv_approx.csv:2:{c}", "solar_power_capacity", y, 500, "万千瓦", approx=True)
        for c, y in ((3, 2022), (4, 2023), (5, 2024))]})

case("csv_scale_words", "csv", csv_text([
    "指标名称,单位,2023年,2024年",
    "地区生产总值,亿元,3.2亿,3200万",
    "光伏发电装机容量,万千瓦,1.5万,150万千瓦",
    "风电装机容量,千瓦,150万,500MW",
    "能源消费总量,,1.5万,3.2亿元"]).encode(), {
    "description": "万/亿 apply to the row's unit once: 3.2亿 in a 亿元 row is 3.2, 3200万 is 0.32; a unit "
                   "written in the cell is used (500MW, 150万千瓦); with no unit column the catalogue unit "
                   "(万吨标准煤) is the row's unit; 3.2亿元 for an energy amount is not a unit of energy",
    "observations": [
        obs("csv_scale_words.csv:2:3", "gdp_comparable", 2023, 3.2, "亿元"),
        obs("csv_scale_words.csv:2:4", "gdp_comparable", 2024, 0.32, "亿元"),
        obs("csv_scale_words.csv:3:3", "solar_power_capacity", 2023, 1.5, "万千瓦"),
        obs("csv_scale_words.csv:3:4", "solar_power_capacity", 2024, 150, "万千瓦"),
        obs("csv_scale_words.csv:4:3", "wind_power_capacity", 2023, 1500000, "千瓦"),
        obs("csv_scale_words.csv:4:4", "wind_power_capacity", 2024, 500, "MW"),
        obs("csv_scale_words.csv:5:3", "energy_consumption", 2023, 1.5, "万吨标准煤"),
        obs("csv_scale_words.csv:5:4", "energy_consumption", 2024, None, None, error="is not a unit of")]})

case("csv_missing_markers", "csv", csv_text([
    "指标名称,单位,2018年,2019年,2020年,2021年,2022年,2023年,2024年,2025年",
    "光伏发电装机容量,万千瓦,—,-,/,无,未统计,,——,－"]).encode(), {
    "description": "missing markers and blanks are missing, never zero",
    "observations": [
        obs(f"csv_missing_markers.csv:2:{c}", "solar_power_capacity", 2015 + c, None, "万千瓦")
        for c in range(3, 11)]})

case("csv_refused_numbers", "csv", csv_text([
    "指标名称;单位;2021年;2022年;2023年;2024年",
    "风电装机容量;万千瓦;1,7;200.000.000;>500;10-20",
    "光伏发电装机容量;万千瓦;1.234,5;1,2345;十二;12abc"]).encode(), {
    "description": "European decimal commas and dot-grouped thousands, bounds, ranges and words are "
                   "refused at the cell, never read as a wrong number",
    "observations": [
        obs("csv_refused_numbers.csv:2:3", "wind_power_capacity", 2021, None, "万千瓦", error="comma"),
        obs("csv_refused_numbers.csv:2:4", "wind_power_capacity", 2022, None, "万千瓦", error="dots"),
        obs("csv_refused_numbers.csv:2:5", "wind_power_capacity", 2023, None, "万千瓦", error="bound"),
        obs("csv_refused_numbers.csv:2:6", "wind_power_capacity", 2024, None, "万千瓦", error="range"),
        obs("csv_refused_numbers.csv:3:3", "solar_power_capacity", 2021, None, "万千瓦", error="dots"),
        obs("csv_refused_numbers.csv:3:4", "solar_power_capacity", 2022, None, "万千瓦", error="comma"),
        obs("csv_refused_numbers.csv:3:5", "solar_power_capacity", 2023, None, "万千瓦",
            error="is not a number"),
        obs("csv_refused_numbers.csv:3:6", "solar_power_capacity", 2024, None, "万千瓦",
            error="is not a number")]})


def _errors_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "表1"
    put_rows(ws, [["指标名称", "单位", "2022年", "2023年", "2024年"],
                  ["单位地区生产总值能耗累计下降率", "%", 1, 2, "=D2*2"],
                  ["光伏发电装机容量", "万千瓦", 0, "=1/0", "=C3*2"],
                  ["风电装机容量", "万千瓦", 274.66, "#REF!", "=Z9"]])


case("xlsx_errors_formulas", "xlsx", workbook_bytes(_errors_book, {"xl/worksheets/sheet1.xml": {
    "E2": '<c r="E2"><f>D2*2</f><v>4</v></c>',
    "D3": '<c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    "C4": '<c r="C4" t="n"><v>274.65999999999997</v></c>'}}), {
    "description": "formulas read as their saved results; error results are errors at the cell; a formula "
                   "saved without a result (by a program) is an error, not a blank; float noise "
                   "274.65999999999997 reads as Excel shows it",
    "observations": [
        obs("表1!C2", "energy_intensity_reduction", 2022, 1, "%", rate_basis="cumulative"),
        obs("表1!D2", "energy_intensity_reduction", 2023, 2, "%", rate_basis="cumulative"),
        obs("表1!E2", "energy_intensity_reduction", 2024, 4, "%", rate_basis="cumulative"),
        obs("表1!C3", "solar_power_capacity", 2022, 0, "万千瓦"),
        obs("表1!D3", "solar_power_capacity", 2023, None, "万千瓦", error="#DIV/0!"),
        obs("表1!E3", "solar_power_capacity", 2024, None, "万千瓦", error="no saved result"),
        obs("表1!C4", "wind_power_capacity", 2022, 274.66, "万千瓦"),
        obs("表1!D4", "wind_power_capacity", 2023, None, "万千瓦", error="#REF!"),
        obs("表1!E4", "wind_power_capacity", 2024, None, "万千瓦", error="no saved result")]})


def _percent_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "Sheet1"
    put_rows(ws, [["指标名称", "单位", "2023年", "2024年"],
                  ["非化石能源消费比重", "%", 0.121, 0.132],
                  ["森林覆盖率", None, 0.25, 25],
                  ["光伏发电装机容量", "万千瓦", 0.5, 120]])
    for ref in ("C2", "D2", "C3", "C4"):
        ws[ref].number_format = "0.0%"
    ws["D3"].number_format = '0.0"%"'      # a literal %, not a percent format


case("xlsx_percent_format", "xlsx", workbook_bytes(_percent_book), {
    "description": "0.132 in a percent-formatted cell is 13.2 %; 0.0\"%\" is a literal % (25 stays 25); a "
                   "percent-formatted cell in a 万千瓦 row is an error",
    "observations": [
        obs("Sheet1!C2", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("Sheet1!D2", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("Sheet1!C3", "forest_coverage", 2023, 25, "%"),
        obs("Sheet1!D3", "forest_coverage", 2024, 25, None),
        obs("Sheet1!C4", "solar_power_capacity", 2023, None, "万千瓦", error="formatted as a percentage"),
        obs("Sheet1!D4", "solar_power_capacity", 2024, 120, "万千瓦")]})


def _dates_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "Sheet1"
    put_rows(ws, [["指标名称", "单位", "2023年", "2024年"],
                  ["光伏发电装机容量", "万千瓦", dt.date(2024, 1, 3), 120],
                  ["4.3米焦炉关停完成时间", None, dt.date(2023, 9, 30), "2023年9月30日"],
                  ["加氢站数量", "座", True, 3]])


case("xlsx_dates", "xlsx", workbook_bytes(_dates_book), {
    "description": "a date in a number row is an error (Excel turned what was typed into a date); dates and "
                   "date text read as dates for a deadline indicator (test catalogue: "
                   "test_coke_oven_closure); TRUE in a count row is an error",
    "observations": [
        obs("Sheet1!C2", "solar_power_capacity", 2023, None, "万千瓦", error="holds a date (2024-01-03)"),
        obs("Sheet1!D2", "solar_power_capacity", 2024, 120, "万千瓦"),
        obs("Sheet1!C3", "test_coke_oven_closure", 2023, "2023-09-30", None),
        obs("Sheet1!D3", "test_coke_oven_closure", 2024, "2023-09-30", None),
        obs("Sheet1!C4", "hydrogen_refuelling_stations", 2023, None, "座", error="TRUE"),
        obs("Sheet1!D4", "hydrogen_refuelling_stations", 2024, 3, "座")]})

# --- layout -----------------------------------------------------------------------------------------


def _merged_header_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "表1"
    ws["A1"] = "XX县2024年碳达峰目标任务完成情况统计表"
    ws.merge_cells("A1:G1")
    ws["A1"].font = Font(bold=True)
    ws["A2"] = "填报单位：XX县发展和改革局          填报日期：2025-01-10"
    ws.merge_cells("A2:G2")
    put_rows(ws, [["序号", "指标名称", "单位", "2024年", None, "2023年", "备注"],
                  [None, None, None, "目标", "实际", None, None]], start=3)
    for rng in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4", "G3:G4"):
        ws.merge_cells(rng)
    put_rows(ws, [[1, "非化石能源消费比重", "%", 13, 13.2, 12.1, None],
                  [2, "光伏发电装机容量", "万千瓦", 150, 120, 100, "含分布式"]], start=5)


case("xlsx_merged_header", "xlsx", workbook_bytes(_merged_header_book), {
    "description": "title and 填报单位 rows merged across; a two-row header with merged cells: 2024年 over "
                   "目标 | 实际 (目标 is a target, not data), 指标名称 merged down",
    "entity": "XX县发展和改革局", "meta": {"date": "2025-01-10", "entity_from_title": "XX县"},
    "notes": ["'2024年 目标' is a target column", "header at row 3"],
    "observations": [
        obs("表1!E5", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("表1!F5", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("表1!E6", "solar_power_capacity", 2024, 120, "万千瓦"),
        obs("表1!F6", "solar_power_capacity", 2023, 100, "万千瓦")]})


def _group_header_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "填 报 单 位（盖章）："
    ws["B1"] = "YY区能源局"
    ws["D1"] = "填报日期："
    ws["E1"] = dt.datetime(2025, 1, 15)
    ws["A2"] = "单位：万千瓦"
    put_rows(ws, [["指标名称", "完成情况", None, "规划目标"],
                  [None, "2023", "2024", "2025"],
                  ["风电装机容量", 80, 95, 120],
                  ["光伏发电装机容量", 100, 120, 200]], start=3)
    for rng in ("A3:A4", "B3:C3"):
        ws.merge_cells(rng)


case("xlsx_group_header", "xlsx", workbook_bytes(_group_header_book), {
    "description": "a spaced-out 填 报 单 位（盖章）： key with the value and a real date in neighbouring "
                   "cells; 单位：万千瓦 above the table is the unit of every row; 完成情况 merged over years "
                   "written as numbers; 规划目标 over 2025 is a target",
    "entity": "YY区能源局", "meta": {"date": "2025-01-15", "unit": "万千瓦"},
    "notes": ["'规划目标 2025' is a target column"],
    "observations": [
        obs("Sheet1!B5", "wind_power_capacity", 2023, 80, "万千瓦"),
        obs("Sheet1!C5", "wind_power_capacity", 2024, 95, "万千瓦"),
        obs("Sheet1!B6", "solar_power_capacity", 2023, 100, "万千瓦"),
        obs("Sheet1!C6", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_unit_lines", "csv", csv_text([
    "单位：XX县发展和改革局,,",
    "计量单位：万千瓦,,",
    "指标名称,2023年,2024年",
    "光伏发电装机容量,100,120",
    "非化石能源消费比重(%),12.1,13.2"]).encode(), {
    "description": "单位：<an office> names the entity; 计量单位：万千瓦 is the unit of rows without their own",
    "entity": "XX县发展和改革局", "meta": {"unit": "万千瓦"},
    "observations": [
        obs("csv_unit_lines.csv:4:2", "solar_power_capacity", 2023, 100, "万千瓦"),
        obs("csv_unit_lines.csv:4:3", "solar_power_capacity", 2024, 120, "万千瓦"),
        obs("csv_unit_lines.csv:5:2", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("csv_unit_lines.csv:5:3", "non_fossil_energy_share", 2024, 13.2, "%")]})

case("csv_unlabelled_names", "csv", csv_text([
    "XX县能源指标,,,",
    ",单位,2023年,2024年",
    "非化石能源消费比重,%,12.1,13.2",
    "光伏发电装机容量,万千瓦,100,120"]).encode(), {
    "description": "the name column has no label (a blank top-left cell): found because its cells name "
                   "indicators of the catalogue",
    "observations": basic_obs("csv_unlabelled_names.csv", 3)})

case("csv_units_in_names", "csv", csv_text([
    "指标名称,2023年,2024年",
    "非化石能源消费比重(%),12.1,13.2",
    "光伏发电装机容量（万千瓦）,100,120",
    "风电装机容量(MW),800,950",
    "地区生产总值（2020年可比价）,300,320"]).encode(), {
    "description": "units after the names, no unit column; (2020年可比价) is a note, not a unit",
    "observations": [
        obs("csv_units_in_names.csv:2:2", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("csv_units_in_names.csv:2:3", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_units_in_names.csv:3:2", "solar_power_capacity", 2023, 100, "万千瓦"),
        obs("csv_units_in_names.csv:3:3", "solar_power_capacity", 2024, 120, "万千瓦"),
        obs("csv_units_in_names.csv:4:2", "wind_power_capacity", 2023, 800, "MW"),
        obs("csv_units_in_names.csv:4:3", "wind_power_capacity", 2024, 950, "MW"),
        obs("csv_units_in_names.csv:5:2", "gdp_comparable", 2023, 300, None, price_basis="comparable", basis_year=2020),
        obs("csv_units_in_names.csv:5:3", "gdp_comparable", 2024, 320, None, price_basis="comparable",
            basis_year=2020)]})

case("csv_unit_conflict", "csv", csv_text([
    "指标名称,单位,2024年",
    "光伏发电装机容量(MW),万千瓦,120"]).encode(), {
    "description": "a unit column and a unit in the name that disagree: an error naming both, not a choice",
    "observations": [obs("csv_unit_conflict.csv:2:3", "solar_power_capacity", 2024, None, None,
                         error="the unit is given as 万千瓦 (unit column csv_unit_conflict.csv:2:2) and as MW "
                               "(name csv_unit_conflict.csv:2:1)")]})

case("csv_long", "csv", csv_text([
    "指标,年份,数值,单位,目标值",
    "非化石能源消费比重,2023,12.1,%,13",
    "非化石能源消费比重,2024年,13.2%,,13",
    "光伏发电装机容量,2024,120,万千瓦,150"]).encode(), {
    "description": "long layout (indicator, year, value, unit); the 目标值 column is not data",
    "notes": ["one row per indicator and year", "'目标值' is a target column"],
    "observations": [
        obs("csv_long.csv:2:3", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("csv_long.csv:3:3", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_long.csv:4:3", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_long_bad_year", "csv", csv_text([
    "指标,年份,数值",
    "非化石能源消费比重,2024年1-9月,12.1"]).encode(), {
    "description": "a long-layout year that is not a whole year is refused at its cell",
    "error": ["csv_long_bad_year.csv:2:2", "'2024年1-9月' is not a year"]})

case("csv_by_year", "csv", csv_text([
    "年份,非化石能源消费比重(%),光伏发电装机容量(万千瓦),备注",
    "2023年,12.1,100,",
    "2024年,13.2,120,初步数"]).encode(), {
    "description": "one row per year, indicators as columns with the unit in the header",
    "notes": ["one row per year"],
    "observations": [
        obs("csv_by_year.csv:2:2", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("csv_by_year.csv:2:3", "solar_power_capacity", 2023, 100, "万千瓦"),
        obs("csv_by_year.csv:3:2", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_by_year.csv:3:3", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_target_columns", "csv", csv_text([
    "指标名称,单位,2020年（基期）,2024年,2024年1-9月,2025年目标,2030年规划",
    "光伏发电装机容量,万千瓦,50,120,90,150,300"]).encode(), {
    "description": "target columns (2025年目标, 2030年规划) and part-year columns (2024年1-9月) are not "
                   "read, each with a note; 2020年（基期） is the base year's value",
    "notes": ["'2025年目标' is a target column", "'2030年规划' is a target column",
              "'2024年1-9月' is not a year's value"],
    "observations": [
        obs("csv_target_columns.csv:2:3", "solar_power_capacity", 2020, 50, "万千瓦"),
        obs("csv_target_columns.csv:2:4", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_estimate_columns", "csv", csv_text([
    "指标名称,单位,2020年,2024年,2025年（预计）,2025年预计目标",
    "光伏发电装机容量,万千瓦,50,120,140,150"]).encode(), {
    "description": "a mid-year table's estimate of the current year (2025年（预计）) is the office's estimate, "
                   "not the year's statistics and not a target: not read, said as an estimate; 2025年预计目标 "
                   "is a target",
    "notes": ["'2025年(预计)' holds estimates, not statistics", "'2025年预计目标' is a target column"],
    "observations": [
        obs("csv_estimate_columns.csv:2:3", "solar_power_capacity", 2020, 50, "万千瓦"),
        obs("csv_estimate_columns.csv:2:4", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_enumerations", "csv", csv_text([
    "序号,指标名称,单位,2024年",
    "一、,能源结构,,",
    "1,1. 非化石能源消费比重,%,13.2",
    "2,（一）光伏发电装机容量,万千瓦,120",
    "3,其中：风电装机容量,万千瓦,95",
    "4,①森林覆盖率,%,25",
    "5,2.1 煤炭消费量,万吨,900",
    "6,【单位GDP能耗】,吨标准煤/万元,0.5"]).encode(), {
    "description": "leading enumerations (1. / （一） / ① / 2.1), 其中：, brackets; a section heading with "
                   "no values is not a row to report",
    "observations": [
        obs("csv_enumerations.csv:3:4", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_enumerations.csv:4:4", "solar_power_capacity", 2024, 120, "万千瓦"),
        obs("csv_enumerations.csv:5:4", "wind_power_capacity", 2024, 95, "万千瓦"),
        obs("csv_enumerations.csv:6:4", "forest_coverage", 2024, 25, "%"),
        obs("csv_enumerations.csv:7:4", "coal_consumption", 2024, 900, "万吨"),
        obs("csv_enumerations.csv:8:4", "energy_intensity", 2024, 0.5, "吨标准煤/万元")],
    "unmatched": []})

case("csv_unmatched", "csv", csv_text([
    "指标名称,单位,2023年,2024年",
    "非化石能源消费比重,%,12.1,13.2",
    "非化石能源比例,%,12,13",
    "地区生产总值(现价),亿元,300,330",
    ",万千瓦,5,6",
    "其他指标,,—,—",
    "注：本表数据为初步统计数,注：本表数据为初步统计数,注：本表数据为初步统计数,注：本表数据为初步统计数"]).encode(), {
    "description": "names that match nothing are reported with the cell and did-you-mean, never dropped; "
                   "地区生产总值(现价) is GDP read with its price basis (current), never taken for (可比价); "
                   "values without a name are reported; rows with only missing markers and a note merged "
                   "across the table are not",
    "observations": [
        obs("csv_unmatched.csv:2:3", "non_fossil_energy_share", 2023, 12.1, "%"),
        obs("csv_unmatched.csv:2:4", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_unmatched.csv:4:3", "gdp_comparable", 2023, 300, "亿元", price_basis="current"),
        obs("csv_unmatched.csv:4:4", "gdp_comparable", 2024, 330, "亿元", price_basis="current")],
    "unmatched": [
        {"label": "非化石能源比例", "at": "csv_unmatched.csv:3:1", "suggestions": ["非化石能源消费比重"]},
        {"label": "(no indicator name)", "at": "csv_unmatched.csv:5:1"}]})

case("csv_nothing_recognised", "csv", csv_text([
    "指标名称,单位,2024年",
    "非化石能源比例,%,13",
    "光伏装机量,万千瓦,120"]).encode(), {
    "description": "a table in which no name is recognised is refused, with did-you-mean",
    "error": ["no indicator name in the table is recognised", "'非化石能源比例' at csv_nothing_recognised.csv:2:1",
              "did you mean 非化石能源消费比重"]})

case("csv_duplicate", "csv", csv_text([
    "指标名称,单位,2024年",
    "非化石能源消费比重,%,13.2",
    "光伏发电装机容量,万千瓦,120",
    "非化石能源消费占比,%,12.9"]).encode(), {
    "description": "one indicator (by name and by alias) given twice with different values: an error naming "
                   "both cells",
    "error": ["Share of non-fossil energy in total energy consumption 2024 is given twice with different values",
              "13.2 at csv_duplicate.csv:2:3 and 12.9 at csv_duplicate.csv:4:3"]})

case("csv_duplicate_same", "csv", csv_text([
    "指标名称,单位,2024年",
    "非化石能源消费比重,%,13.2",
    "非化石能源消费占比,%,13.2%",
    "光伏发电装机容量,万千瓦,",
    "光伏装机,万千瓦,120"]).encode(), {
    "description": "the same value twice is fine; a blank in one row and a value in another keeps the value",
    "observations": [
        obs("csv_duplicate_same.csv:2:3", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_duplicate_same.csv:5:3", "solar_power_capacity", 2024, 120, "万千瓦")]})

case("csv_two_tables", "csv", csv_text([
    "表一 能源",
    "指标名称,单位,2024年",
    "非化石能源消费比重,%,13.2",
    "",
    "表二 可再生能源",
    "指标名称,单位,2023年,2024年",
    "光伏发电装机容量,万千瓦,100,120"]).encode(), {
    "description": "two tables stacked in one sheet, each with its own header",
    "notes": ["header at row 2", "header at row 6"],
    "observations": [
        obs("csv_two_tables.csv:3:3", "non_fossil_energy_share", 2024, 13.2, "%"),
        obs("csv_two_tables.csv:7:3", "solar_power_capacity", 2023, 100, "万千瓦"),
        obs("csv_two_tables.csv:7:4", "solar_power_capacity", 2024, 120, "万千瓦")]})


def _header_row9_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "数据"
    ws["C3"] = "Note 1"
    ws["A5"] = "ZZ县2024年能源指标"
    put_rows(ws, [["指标名称", "单位", "2024年"], ["煤炭消费量", "万吨", 900]], start=9)


case("xlsx_header_row9", "xlsx", workbook_bytes(_header_row9_book), {
    "description": "used range from A3 with a stray note; the header on row 9",
    "meta": {"entity_from_title": "ZZ县"},
    "observations": [obs("数据!C10", "coal_consumption", 2024, 900, "万吨")]})


def _sheets_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "说明"
    ws["A1"] = "本表由县发改局填报。"
    ind = wb.create_sheet("指标表")
    put_rows(ind, [["指标名称", "单位", "2024年"], ["非化石能源消费比重", "%", 13.2]])
    fac = wb.create_sheet("设施清单")
    put_rows(fac, [["序号", "设施名称", "类型", "产能(万吨/年)", "投产年份"], [1, "1号焦炉", "焦炉", 100, 2008]])
    wb.create_sheet("空表")
    hidden = wb.create_sheet("旧数据")
    put_rows(hidden, [["指标名称", "单位", "2024年"], ["非化石能源消费比重", "%", 11]])
    hidden.sheet_state = "hidden"


case("xlsx_several_sheets", "xlsx", workbook_bytes(_sheets_book), {
    "description": "the indicator sheet is found among a notes sheet, a facility sheet (skipped with a "
                   "note), an empty sheet and a hidden sheet (skipped unless chosen)",
    "notes": ["设施清单: facility table, 1 rows", "说明: no indicator table", "空表: empty sheet",
              "旧数据: hidden sheet"],
    "observations": [obs("指标表!C2", "non_fossil_energy_share", 2024, 13.2, "%")]})

case("xlsx_several_sheets_hidden", "xlsx", b"", {
    "file": "xlsx_several_sheets.xlsx", "args": {"sheet": "旧数据"},
    "description": "--sheet reads a hidden sheet when asked",
    "observations": [obs("旧数据!C2", "non_fossil_energy_share", 2024, 11, "%")]})

case("xlsx_several_sheets_facility", "xlsx", b"", {
    "file": "xlsx_several_sheets.xlsx", "args": {"sheet": "说明"},
    "description": "--sheet on a sheet with neither an indicator nor a facility table",
    "error": ["no indicator table found in sheet 说明"]})

case("xlsx_several_sheets_missing", "xlsx", b"", {
    "file": "xlsx_several_sheets.xlsx", "args": {"sheet": "表9"},
    "description": "--sheet naming no sheet lists the sheets",
    "error": ["there is no worksheet named '表9'", "说明, 指标表, 设施清单, 空表, 旧数据"]})

case("xlsx_several_sheets_empty", "xlsx", b"", {
    "file": "xlsx_several_sheets.xlsx", "args": {"sheet": "空表"},
    "description": "--sheet naming an empty sheet",
    "error": ["sheet '空表' is empty"]})


def _per_county_book(wb: openpyxl.Workbook) -> None:
    for i, county in enumerate(("甲县", "乙县")):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = county
        put_rows(ws, [[f"{county}2024年碳达峰指标完成情况"], ["指标名称", "单位", "2024年"],
                      ["非化石能源消费比重", "%", 13.2 + i]])


case("xlsx_per_county", "xlsx", workbook_bytes(_per_county_book), {
    "description": "one sheet per county: refused, pointing at --sheet",
    "error": ["several entities: 甲县 (sheet 甲县), 乙县 (sheet 乙县)", "--sheet"]})

case("xlsx_per_county_sheet", "xlsx", b"", {
    "file": "xlsx_per_county.xlsx", "args": {"sheet": "乙县"},
    "description": "--sheet picks one county", "meta": {"entity_from_title": "乙县"},
    "observations": [obs("乙县!C3", "non_fossil_energy_share", 2024, 14.2, "%")]})


def _two_sheets_same_data(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "能源"
    put_rows(ws, [["指标名称", "单位", "2024年"], ["非化石能源消费比重", "%", 13.2]])
    ws2 = wb.create_sheet("可再生能源")
    put_rows(ws2, [["指标名称", "单位", "2024年"], ["光伏发电装机容量", "万千瓦", 120],
                   ["非化石能源消费比重", "%", 12.0]])


case("xlsx_sheets_conflict", "xlsx", workbook_bytes(_two_sheets_same_data), {
    "description": "two indicator sheets are merged; one value given differently on each is an error naming "
                   "both cells",
    "error": ["13.2 at 能源!C2 and 12 at 可再生能源!C3", "--sheet"]})


def _hidden_row_book(wb: openpyxl.Workbook) -> None:
    put_rows(wb.active, [["指标名称", "单位", "2024年"], ["非化石能源消费比重", "%", 13.2],
                         ["非化石能源消费比重", "%", 12.9], ["光伏发电装机容量", "万千瓦", 120]])
    wb.active.title = "Sheet1"
    wb.active.row_dimensions[3].hidden = True


def _hidden_column_book(wb: openpyxl.Workbook) -> None:
    put_rows(wb.active, [["指标名称", "单位", "2024年", "2024年"], ["非化石能源消费比重", "%", 12.9, 13.2]])
    wb.active.title = "Sheet1"
    wb.active.column_dimensions["C"].hidden = True


case("xlsx_duplicate_hidden_row", "xlsx", workbook_bytes(_hidden_row_book), {
    "description": "an indicator repeated in a hidden row with another value: the error says which cell is "
                   "hidden, since the clerk sees one value only",
    "error": ["13.2 at Sheet1!C2 and 12.9 at Sheet1!C3 (in a hidden row)",
              "Sheet1!C3 is in a hidden row: select the rows above and below it"]})

case("xlsx_duplicate_hidden_column", "xlsx", workbook_bytes(_hidden_column_book), {
    "description": "a year repeated in a hidden column with another value: the error says which cell is hidden",
    "error": ["12.9 at Sheet1!C2 (in a hidden column) and 13.2 at Sheet1!D2",
              "Sheet1!C2 is in a hidden column: select the columns either side"]})


def _macro_book(wb: openpyxl.Workbook) -> None:
    put_rows(wb.active, [["指标名称", "单位", "2024年"], ["森林覆盖率", "%", 25.5]])
    wb.active.title = "Sheet1"


case("xlsm_macro", "xlsm", workbook_bytes(_macro_book), {
    "description": "a macro-enabled workbook (.xlsm) is read like .xlsx",
    "observations": [obs("Sheet1!C2", "forest_coverage", 2024, 25.5, "%")]})

# --- files that are not what they claim, or empty -------------------------------------------------

case("wrong_ext_xlsx_as_csv", "csv", CASES["xlsm_macro"][1], {
    "description": "an xlsx named .csv", "error": ["this is an Excel workbook (.xlsx), not a .csv", "rename"]})
case("wrong_ext_csv_as_xlsx", "xlsx", csv_text(BASIC).encode(), {
    "description": "a CSV named .xlsx", "error": ["this is a text file, not an Excel workbook", ".csv"]})
case("wrong_ext_html_as_xls", "xls",
     "<html><body><table><tr><td>指标名称</td><td>2024年</td></tr></table></body></html>".encode(), {
         "description": "a web page saved as .xls (common from web systems' 导出Excel)",
         "error": ["web page (HTML)", "save it as .xlsx"]})
case("wrong_ext_html_as_csv", "csv", b"<!DOCTYPE html>\n<html><body>404</body></html>\n", {
    "description": "a web page named .csv (a failed download)", "error": ["web page (HTML)"]})
case("wrong_ext_json_as_csv", "csv", b'{"indicator": "forest_coverage", "value": 25}\n', {
    "description": "JSON named .csv", "error": ["JSON document, not a CSV"]})
case("wrong_ext_png_as_csv", "csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, {
    "description": "an image named .csv", "error": ["this is a PNG image, not a .csv text file"]})
case("binary_as_csv", "csv", bytes(range(1, 32)) * 64, {
    "description": "control bytes are not CSV text", "error": ["not a text file"]})

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
case("encrypted_xlsx", "xlsx", _OLE + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64, {
    "description": "a password-protected workbook (an OLE container with EncryptionInfo)",
    "error": ["password-protected", "remove the password"]})
case("old_xls_as_xlsx", "xlsx", _OLE + "Workbook".encode("utf-16-le") + b"\x00" * 64, {
    "description": "an old .xls renamed .xlsx", "error": ["old-format Excel (.xls)", "save it as"]})
case("corrupt_xlsx", "xlsx", CASES["xlsm_macro"][1][:700], {
    "description": "a workbook cut short", "error": ["corrupt workbook", "save or download it again"]})
case("empty_csv", "csv", b"", {"description": "0 bytes", "error": ["the file is empty"]})
case("blank_csv", "csv", b"\r\n \r\n", {"description": "only blank lines", "error": ["the file is empty"]})
case("delimiters_only_csv", "csv", b",,,\n,,,\n", {
    "description": "only delimiters", "error": ["every sheet is empty"]})


def _empty_book(wb: openpyxl.Workbook) -> None:
    wb.active.title = "Sheet1"


case("xlsx_empty", "xlsx", workbook_bytes(_empty_book), {
    "description": "a workbook whose only sheet is empty", "error": ["every sheet is empty"]})


# --- price basis and rate basis (DOMAIN §7) -------------------------------------------------------

def _basis_book(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "Sheet1"
    put_rows(ws, [["平遥县2024年主要经济和能源指标表"],
                  ["填报单位（盖章）：平遥县统计局", None, None, "填报日期：2025年4月3日"],
                  ["序号", "指标名称", "单位", "2020年", "2024年", "备注"],
                  [1, "地区生产总值", "亿元", 520, 700, "现价"],
                  [2, "地区生产总值", "亿元", 520, 612.5, "按2020年可比价计算"],
                  [3, "地区生产总值指数", "上年=100", "—", 105.1, None],
                  [4, "地区生产总值增长(%)", None, "—", 5.1, None],
                  [5, "单位地区生产总值能耗降低率", "%", "—", 3.2, "比上年"],
                  [6, "单位地区生产总值能耗累计下降率", "%", "—", 12.0, "比2020年"],
                  ["注：地区生产总值按当年价格计算，增长速度按可比价格计算。"]])
    ws.merge_cells("A1:F1")
    ws.merge_cells("A10:F10")


case("xlsx_price_rate_basis", "xlsx", workbook_bytes(_basis_book), {
    "description": "the basis of each row from its 备注 (现价 / 按2020年可比价计算 / 比上年 / 比2020年) and unit "
                   "column (上年=100, which is not a unit); the bulletin footnote is read clause by clause: "
                   "按当年价格 is about the GDP level (rows that already say are kept), 增长速度按可比价格 about "
                   "the growth rows (not the energy rates); GDP at current and at comparable prices, "
                   "a rate year on year and "
                   "cumulative, are not duplicates",
    "observations": [
        obs("Sheet1!D4", "gdp_comparable", 2020, 520, "亿元", price_basis="current"),
        obs("Sheet1!E4", "gdp_comparable", 2024, 700, "亿元", price_basis="current"),
        obs("Sheet1!D5", "gdp_comparable", 2020, 520, "亿元", price_basis="comparable", basis_year=2020),
        obs("Sheet1!E5", "gdp_comparable", 2024, 612.5, "亿元", price_basis="comparable", basis_year=2020),
        obs("Sheet1!D6", "gdp_comparable_index", 2020, None, None, price_basis="comparable", rate_basis="yoy"),
        obs("Sheet1!E6", "gdp_comparable_index", 2024, 105.1, None, price_basis="comparable", rate_basis="yoy"),
        obs("Sheet1!D7", "gdp_comparable_growth", 2020, None, "%", price_basis="comparable"),
        obs("Sheet1!E7", "gdp_comparable_growth", 2024, 5.1, "%", price_basis="comparable"),
        obs("Sheet1!D8", "energy_intensity_reduction", 2020, None, "%", rate_basis="yoy"),
        obs("Sheet1!E8", "energy_intensity_reduction", 2024, 3.2, "%", rate_basis="yoy"),
        obs("Sheet1!D9", "energy_intensity_reduction", 2020, None, "%", rate_basis="cumulative",
            basis_year=2020),
        obs("Sheet1!E9", "energy_intensity_reduction", 2024, 12.0, "%", rate_basis="cumulative",
            basis_year=2020)],
    "entity": "平遥县统计局"})

case("csv_header_note_basis", "csv", csv_text([
    "介休市2024年碳达峰目标任务完成情况统计表,,,",
    "单位：亿元、万吨标准煤；地区生产总值按2020年可比价,,,",
    "指标名称,单位,2020年,2024年",
    "地区生产总值,亿元,268,335.6",
    "能源消费总量,万吨标准煤,420,433",
    "单位GDP能耗下降率,%,,13.2"]).encode("gbk"), {
    "description": "a note above the header (按2020年可比价) gives the GDP rows their basis (money rows only); "
                   "it says nothing "
                   "about the reduction rate, which stays unstated (比上年 or 累计 is not guessed)",
    "observations": [
        obs("csv_header_note_basis.csv:4:3", "gdp_comparable", 2020, 268, "亿元", price_basis="comparable",
            basis_year=2020),
        obs("csv_header_note_basis.csv:4:4", "gdp_comparable", 2024, 335.6, "亿元", price_basis="comparable",
            basis_year=2020),
        obs("csv_header_note_basis.csv:5:3", "energy_consumption", 2020, 420, "万吨标准煤"),
        obs("csv_header_note_basis.csv:5:4", "energy_consumption", 2024, 433, "万吨标准煤"),
        obs("csv_header_note_basis.csv:6:3", "energy_intensity_reduction", 2020, None, "%"),
        obs("csv_header_note_basis.csv:6:4", "energy_intensity_reduction", 2024, 13.2, "%")]})


def main() -> int:
    written = 0
    for name, (ext, data, expected) in CASES.items():
        if "file" not in expected:
            (HERE / f"{name}.{ext}").write_bytes(data)
            written += 1
        body = yaml.safe_dump(expected, allow_unicode=True, sort_keys=False, width=110)
        (HERE / f"{name}.expected.yaml").write_text(body, encoding="utf-8")
    print(f"{written} files and {len(CASES)} expectations in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
