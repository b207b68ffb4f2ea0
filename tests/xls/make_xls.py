"""Writes the .xls test files of tests/xls from .xlsx files, as an office's old Excel would hold them.

Run from the repository root with xlwt installed (``pip install xlwt``; a test-only tool, never a
dependency): ``python tests/xls/make_xls.py``. The .xls files are committed; the tests read them
and never call xlwt.

Each sheet's cells are written with their cached values (xlwt cannot store a formula's result,
so formulas are written as the values Excel saved), their number formats (a percentage stays
0.45 under ``0%``, a date a serial number under its date format), merged ranges, hidden rows,
columns and sheets, and error cells (``#DIV/0!``) as BIFF error cells.
"""

from __future__ import annotations

import datetime as dt
import struct
import sys
from pathlib import Path

import openpyxl
import xlwt

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24,
          "#N/A": 0x2A}       # BIFF error codes

# (source .xlsx, the .xls written here)
FILES = [
    ("examples/jining-county-pass.xlsx", "jining-county-pass.xls"),
    ("examples/jining-county-fail.xlsx", "jining-county-fail.xls"),
    ("examples/yuncheng-county-fail.xlsx", "yuncheng-county-fail.xls"),
    ("examples/enterprise/yuncheng-power-plant.xlsx", "yuncheng-power-plant.xls"),
    ("examples/enterprise/lvliang-data-centres.xlsx", "lvliang-data-centres.xls"),
]


def convert(src: Path, dst: Path) -> None:
    wb = openpyxl.load_workbook(src, data_only=True)
    out = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}

    def style(fmt: str) -> xlwt.XFStyle:
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(num_format_str=fmt)
        return styles[fmt]

    for ws in wb.worksheets:
        sheet = out.add_sheet(ws.title, cell_overwrite_ok=True)
        if ws.sheet_state != "visible":
            sheet.visibility = 1
        for rng in ws.merged_cells.ranges:
            # the range alone: xlwt's merge() also writes blank cells over it (as Excel does), which
            # the .xlsx source may not hold, and a row is as wide as the cells it writes
            sheet.merged_ranges.append((rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1))
        for r, dim in ws.row_dimensions.items():
            if dim.hidden:
                sheet.row(r - 1).hidden = True
        for letters, dim in ws.column_dimensions.items():
            if dim.hidden:
                for c in range(dim.min or openpyxl.utils.column_index_from_string(letters),
                               (dim.max or openpyxl.utils.column_index_from_string(letters)) + 1):
                    sheet.col(c - 1).hidden = True
        written = set(ws._cells)          # before iter_rows, which creates the cells it visits
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                r, c = cell.row - 1, cell.column - 1
                if type(cell).__name__ == "MergedCell":
                    continue
                if value is None:
                    if (cell.row, cell.column) in written:       # a blank cell the .xlsx writes: a BLANK record
                        sheet.write(r, c, None, style(cell.number_format))
                    continue
                if isinstance(value, str) and value in ERRORS:
                    sheet.row(r).set_cell_error(c, ERRORS[value])
                elif isinstance(value, dt.timedelta):          # a duration: days, as Excel stores it
                    sheet.write(r, c, value.total_seconds() / 86400, style(cell.number_format))
                elif isinstance(value, dt.datetime | dt.date | dt.time | int | float) and not isinstance(value, bool):
                    sheet.write(r, c, value, style(cell.number_format))
                else:
                    sheet.write(r, c, value)
    out.save(str(dst))


def features_xlsx(dst: Path) -> None:
    """What a county table in an old workbook holds, each kind of cell once (tests/reader/test_xlsfile.py
    reads it and its .xls and holds the two to each other)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    rows = [
        ["示例县2024年碳达峰目标任务完成情况统计表"],
        ["填报单位：示例县", None, None, "填报日期：", dt.datetime(2025, 3, 1)],
        ["序号", "指标名称", "单位", "2020年", dt.datetime(2024, 1, 1), "备注", None, "内部"],
        [1, "非化石能源消费比重", "%", 0.132, 0.1745, "比上年"],
        [2, "森林覆盖率", "%", 25.1, 274.65999999999997, None],
        [3, "单位地区生产总值能耗降低率", "%", "#DIV/0!", "#N/A", None],
        [4, "能源消费总量", "万吨标准煤", 12345678901234567, 2.5e-7, True],
        [5, "隐藏的行", "亿元", 100, 200],
        [6, "时间", None, dt.datetime(2024, 3, 1, 12, 30), 1.5, 0.25],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:F1")
    ws["E2"].number_format = "yyyy-mm-dd"
    ws["E3"].number_format = 'yyyy"年"'
    for ref in ("D4", "E4"):
        ws[ref].number_format = "0.0%"
    ws["E5"].number_format = "0.00"
    ws["D9"].number_format = "yyyy-mm-dd hh:mm"
    ws["E9"].number_format = "[h]:mm"
    ws["F9"].number_format = "h:mm"
    ws["H4"] = "仅内部"
    ws.row_dimensions[8].hidden = True
    ws.column_dimensions["H"].hidden = True
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "不报送"
    hidden.sheet_state = "hidden"
    offset = wb.create_sheet("偏移")
    offset["C4"] = "指标名称"
    offset["E6"] = 7
    wb.save(dst)


def _patched(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1 and len(old) == len(new), old
    return data.replace(old, new)


def formula_xls(dst: Path) -> None:
    """Formulas with the results Excel saves beside them. xlwt writes a formula with an empty result
    (it does not calculate); the result bytes of each FORMULA record are set here as Excel would
    have saved them: 274.66, #DIV/0!, TRUE; the fourth keeps xlwt's empty text."""
    out = xlwt.Workbook(encoding="utf-8")
    ws = out.add_sheet("表1")
    ws.write(0, 0, "指标名称")
    ws.write(0, 1, "2024年")
    for r, (name, formula) in enumerate([("森林覆盖率", "100*0.2"), ("能耗降低率", "1/0"), ("达标", "1=1"),
                                         ("备注", "A1")], start=1):
        ws.write(r, 0, name)
        ws.write(r, 1, xlwt.Formula(formula))
    path = dst.with_suffix(".tmp")
    out.save(str(path))
    data = path.read_bytes()
    path.unlink()
    empty = (0xFFFF000000000003).to_bytes(8, "little")
    for r, result in ((1, struct.pack("<d", 274.66)), (2, bytes([2, 0, 0x07, 0, 0, 0, 0xFF, 0xFF])),
                      (3, bytes([1, 0, 1, 0, 0, 0, 0xFF, 0xFF]))):
        at = next(i for i in range(len(data) - 14) if data[i:i + 4] == struct.pack("<HH", r, 1)
                  and data[i + 6:i + 14] == empty and data[i - 4:i - 2] == b"\x06\x00")
        data = data[:at + 6] + result + data[at + 14:]
    dst.write_bytes(data)


def coke_percent_xlsx(dst: Path) -> None:
    """A coke-oven table with one height written as a fraction in a ``0%`` cell (0.55 shown 55%, the
    first case of tests/test_facility_percent_cells.py): that oven is an ERROR, the others are judged."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "焦炉"
    ws.append(["报告年度：2024"])
    ws.append(["焦炉名称", "炭化室高度", "状态"])
    for i, h in enumerate([4.3, 0.55, 6], start=1):
        ws.append([f"{i}号焦炉", h, "在产"])
    ws["B4"].number_format = "0%"
    wb.save(dst)


def county_percent_xlsx(dst: Path) -> None:
    """examples/jining-county-pass.xlsx with its 非化石能源消费比重 written as fractions in ``0.0%``
    cells (0.131 shown 13.1%), as many county clerks type a share."""
    wb = openpyxl.load_workbook(ROOT / "examples" / "jining-county-pass.xlsx")
    ws = wb.worksheets[0]
    assert ws["B4"].value == "非化石能源消费比重"
    for ref in ("D4", "E4", "F4"):
        ws[ref].value = round(ws[ref].value / 100, 6)
        ws[ref].number_format = "0.0%"
    wb.save(dst)


def _typed(text: str) -> object:
    try:
        number = float(text)
    except ValueError:
        return text or None
    return int(number) if number.is_integer() and "." not in text else number


def city_xlsx(src: Path, dst: Path) -> None:
    """A county's GBK CSV of examples/city as the workbook it was exported from."""
    import csv

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    for row in csv.reader(src.read_bytes().decode("gb18030").splitlines()):
        ws.append([_typed(v) for v in row])
    wb.save(dst)


def merged_xls(dst: Path) -> None:
    """A title merged over A1:D1 and a label over A2:A3 as Excel writes them: the top-left value, and
    blank cells over the rest of the range (xlwt's write_merge, like Excel)."""
    out = xlwt.Workbook(encoding="utf-8")
    ws = out.add_sheet("表1")
    ws.write_merge(0, 0, 0, 3, "示例县统计表")
    ws.write_merge(1, 2, 0, 0, "能源")
    ws.write(1, 1, "能源消费总量")
    ws.write(2, 1, "煤炭消费量")
    out.save(str(dst))


def date1904_xls(dst: Path) -> None:
    """A workbook on the 1904 calendar (Excel for Mac's old default): 2024-03-01 is stored as 43890."""
    out = xlwt.Workbook(encoding="utf-8")
    out.dates_1904 = True
    ws = out.add_sheet("表1")
    ws.write(0, 0, "填报日期")
    ws.write(0, 1, dt.date(2024, 3, 1), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    out.save(str(dst))


def main() -> None:
    for src, name in FILES:
        convert(ROOT / src, HERE / name)
        print(name, file=sys.stderr)
    features_xlsx(HERE / "features.xlsx")
    convert(HERE / "features.xlsx", HERE / "features.xls")
    formula_xls(HERE / "formula.xls")
    merged_xls(HERE / "merged.xls")
    date1904_xls(HERE / "date1904.xls")
    for make, name in ((coke_percent_xlsx, "coke-percent"), (county_percent_xlsx, "jining-county-percent")):
        make(HERE / f"{name}.xlsx")
        convert(HERE / f"{name}.xlsx", HERE / f"{name}.xls")
    for src in sorted((ROOT / "examples" / "city" / "2025").glob("*.csv")):
        for kind in ("xlsx", "xls"):
            (HERE / "city" / kind).mkdir(parents=True, exist_ok=True)
        city_xlsx(src, HERE / "city" / "xlsx" / f"{src.stem}.xlsx")
        convert(HERE / "city" / "xlsx" / f"{src.stem}.xlsx", HERE / "city" / "xls" / f"{src.stem}.xls")


if __name__ == "__main__":
    main()
