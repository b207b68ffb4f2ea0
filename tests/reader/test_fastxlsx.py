"""The python-calamine body of a facility sheet (reader/fastxlsx.py) reads exactly what the
openpyxl path reads: every workbook under tests/ and examples/, and workbooks made to hold the
cells the two libraries read differently (errors, dates and durations, percent formats, text in
number columns, merged cells, hidden rows, footers, blank and whitespace rows, cells beyond the
header, formulas without a result, whole numbers, shared strings) give the same facility frame,
cell errors, notes and findings with ``CBCHECK_FASTXLSX`` on and off. The only difference
allowed is the one note saying which path read the rows; where the bytes cannot settle a cell
the sheet goes to openpyxl, and the tests say which sheets do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck.policy import load_policy
from test_fastcsv import HEADER, POLICY, _policy_for, _read, assert_same_reading, findings

ROOT = Path(__file__).resolve().parents[2]
NOTE = "facility rows read with "      # python-calamine, or numpy from the sheet XML (reader/xlsxcells.py)
WORKBOOKS = sorted(p for base in (ROOT / "tests", ROOT / "examples") for p in base.rglob("*.xls[xm]"))


def _both(path: Path, cat: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.setenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", "0")      # every size: the test files are small
    monkeypatch.setenv("CBCHECK_FASTXLSX", "1")
    fast = _read(path, cat, True, monkeypatch)
    monkeypatch.setenv("CBCHECK_FASTXLSX", "0")
    slow = _read(path, cat, True, monkeypatch)
    return fast, slow


def _calamine_ran(submission: Any) -> bool:
    return not isinstance(submission, tuple) and any(NOTE in n for n in submission.notes)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_workbook_reads_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy, cat = load_policy(_policy_for(path))
    fast, slow = _both(path, cat, monkeypatch)
    assert_same_reading(fast, slow, NOTE)
    if not isinstance(slow, tuple) and slow.facilities:
        assert repr(findings(policy, cat, fast)) == repr(findings(policy, cat, slow))


def test_calamine_read_the_facility_workbooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above is not empty: calamine did read the facility examples."""
    ran = []
    for path in WORKBOOKS:
        _, cat = load_policy(_policy_for(path))
        if _calamine_ran(_both(path, cat, monkeypatch)[0]):
            ran.append(path.relative_to(ROOT).as_posix())
    enterprise = {p.relative_to(ROOT).as_posix() for p in (ROOT / "examples" / "enterprise").glob("*.xlsx")}
    assert enterprise and enterprise <= set(ran)


# --- workbooks made to hold the hard cells -----------------------------------------------------

ROW = ["1号机组", "燃煤发电机组", "抽凝", 30, "粉煤", None, 298.5, None, None, None, None]


def _save(path: Path, rows: list[list[Any]], *, formats: dict[tuple[int, int], str] | None = None,
          merges: tuple[str, ...] = (), hidden: tuple[int, ...] = (), title: bool = False,
          epoch_1904: bool = False) -> Path:
    """Header (after a title row when ``title``) and rows; ``formats`` by 1-based (row, column)."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "设施"
    if title:
        ws.append(["某市重点用能设施能耗统计表"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(r, c).number_format = fmt
    for ref in merges:
        ws.merge_cells(ref)
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


def _with(**cells: Any) -> list[Any]:
    """ROW with some cells replaced, by column letter."""
    row = list(ROW)
    for letter, value in cells.items():
        row[ord(letter) - ord("A")] = value
    return row


CASES: dict[str, tuple[dict[str, Any], bool]] = {
    # name: (what _save gets, whether calamine reads the body)
    "errors": ({"rows": [_with(G="#DIV/0!"), _with(A="#N/A"), _with(J="#VALUE!"), ROW]}, True),
    "dates in every column": ({"rows": [_with(J=dt.datetime(2023, 9, 30)), _with(J=dt.date(2024, 1, 5)),
                                        _with(J=dt.datetime(2023, 9, 30, 8, 30)), _with(G=dt.datetime(2023, 1, 1)),
                                        _with(A=dt.datetime(2022, 2, 2)), _with(C=dt.time(8, 0)),
                                        _with(J=dt.timedelta(hours=30)), _with(G=dt.time(12, 0))]}, True),
    "dates, 1904 epoch": ({"rows": [_with(J=dt.datetime(2023, 9, 30)), _with(J=dt.datetime(2023, 9, 30, 8))],
                           "epoch_1904": True}, True),
    "a number in a date format": ({"rows": [_with(G=45199), _with(G=0.5), ROW],
                                   "formats": {(2, 7): "yyyy-mm-dd", (3, 7): "h:mm"}}, True),
    "percent formats": ({"rows": [_with(G=0.45), _with(G=0.132), _with(D=1)],
                         "formats": {(2, 7): "0%", (3, 7): "0.00%", (4, 4): "0.0%"}}, True),
    "text in number columns": ({"rows": [_with(G="约300"), _with(G="12..5"), _with(G="300吨"), _with(D="200MW"),
                                         _with(G="—"), _with(G=" 295 ")]}, True),
    "a merged title above the header": ({"rows": [ROW, _with(A="2号机组")], "title": True,
                                         "merges": ("A1:K1",)}, True),
    "merged cells in the body": ({"rows": [ROW, _with(A="2号机组"), _with(A="3号机组")],
                                  "merges": ("B2:B3",)}, False),
    "hidden rows": ({"rows": [ROW, _with(A="2号机组", G=320), _with(A="3号机组")], "hidden": (3,)}, True),
    "footers": ({"rows": [ROW, _with(A="2号机组"), [None] * 11, ["填表人：张三", None, None, "联系电话：123"],
                          ["注：供电煤耗为年度值"]]}, True),
    "a footer with numbers": ({"rows": [ROW, ["填表人：张三", None, None, 13800138000, None, None, 2.5]]}, True),
    "blank, whitespace and invisible rows": ({"rows": [ROW, [None] * 11, ["  ", None, " "], ["\u200b"], [""],
                                                       [None, None, None, None, None, None, None, None, None, None,
                                                        "见附件"], _with(A="2号机组")]}, True),
    "cells beyond the header": ({"rows": [ROW, ROW[:11] + [None, "多出的一格"], _with(A="3号机组")]}, True),
    "a formula without its result": ({"rows": [ROW, _with(G="=SUM(G2:G2)"), _with(A="合计", G="=1/0")]}, True),
    "booleans": ({"rows": [_with(G=True), _with(J=False), _with(C=True)]}, True),
    "whole numbers as names and in text columns": ({"rows": [ROW] * 3 + [_with(A=7), _with(A=2.5), _with(C=5),
                                                                         _with(B=3), _with(A=-0.0)]}, True),
    "long digits": ({"rows": [_with(G=274.65999999999997), _with(G=0.1 + 0.2), _with(G=300.0000000000001),
                              _with(D=1.5e12 + 0.1), _with(G=1e-7)]}, True),
    "a 16-digit whole number": ({"rows": [ROW, _with(C=1234567890123456789)]}, False),
    "an escaped character": ({"rows": [ROW, _with(A="2号_x000D_机组")]}, False),
    "only the header": ({"rows": []}, True),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hard_cells_read_alike(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options, by_calamine = CASES[case]
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = _save(tmp_path / "设施.xlsx", **options)
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert_same_reading(fast, slow, NOTE)
    assert not isinstance(slow, tuple) and slow.facilities
    assert _calamine_ran(fast) is by_calamine
    assert repr(findings(policy, cat, fast, year=2025)) == repr(findings(policy, cat, slow, year=2025))


def test_the_error_is_read_at_its_cell_and_the_date_as_openpyxl_reads_it(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only alike: the values are the right ones (an error reported at G2, a day read as its date)."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = _save(tmp_path / "设施.xlsx", [_with(G="#DIV/0!"), _with(A="2号机组", J=dt.datetime(2023, 9, 30)),
                                         _with(A="3号机组", G=0.45)], formats={(4, 7): "0%"})
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, _ = _both(path, cat, monkeypatch)
    table = fast.facilities[0]
    assert _calamine_ran(fast)
    # 0.45 shown as 45% under 供电煤耗(克标准煤/千瓦时): neither 0.45 nor 45 gce/kWh can be trusted, as on
    # an indicator sheet (reader/cells.py) the cell is an error that says why
    assert table.errors == {("coal_power_supply_coal_consumption", 2): "the cell holds the error #DIV/0!",
                            ("coal_power_supply_coal_consumption", 4):
                                "the cell is formatted as a percentage (45%) but the unit is 克标准煤/千瓦时"}
    assert list(table.frame["_row"]) == [2, 3, 4]
    assert table.frame["coal_power_supply_coal_consumption"].isna().iloc[2]


def test_shared_strings_from_another_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsxwriter keeps text in the shared-strings part (openpyxl too, in another layout), with dates
    in its own styles."""
    import xlsxwriter

    path = tmp_path / "设施.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("设施")
    day = wb.add_format({"num_format": "yyyy/m/d"})
    ws.write_row(0, 0, HEADER)
    for r in range(1, 40):
        ws.write_row(r, 0, [f"{r}号机组", "燃煤发电机组", "抽凝", 30, "", "", 290 + r % 20])
        if r % 3 == 0:
            ws.write_datetime(r, 9, dt.datetime(2023, 9, r % 28 + 1), day)
        if r % 7 == 0:
            ws.write_string(r, 6, "  ")
    wb.close()
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert _calamine_ran(fast)
    assert_same_reading(fast, slow, NOTE)


def test_an_error_cell_after_a_line_break_goes_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An attribute after a line break is not looked for by the byte scans: the sheet is openpyxl's."""
    import zipfile

    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    plain = _save(tmp_path / "plain.xlsx", [_with(G="#DIV/0!"), ROW])
    path = tmp_path / "设施.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b' t="e"', b'\nt="e"')
            dst.writestr(info, data)
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert not _calamine_ran(fast)
    assert_same_reading(fast, slow, NOTE)
    assert slow.facilities[0].errors == {("coal_power_supply_coal_consumption", 2): "the cell holds the error #DIV/0!"}


def test_small_workbooks_stay_with_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under 64 KiB openpyxl has read most of the sheet for its head already."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = _save(tmp_path / "设施.xlsx", [ROW, _with(A="2号机组")])
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    monkeypatch.delenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", raising=False)
    monkeypatch.delenv("CBCHECK_FASTXLSX", raising=False)
    assert not _calamine_ran(_read(path, cat, True, monkeypatch))


# --- random workbooks of hard cells --------------------------------------------------------------

cell = st.one_of(
    st.none(), st.sampled_from(["", " ", "\u3000", "—", "N/A", "#DIV/0!", "#N/A", "=1/0", "是", "否", "约300",
                                "2023-09-30", "0012", "填表人：王五"]),
    st.booleans(), st.integers(min_value=-10**9, max_value=10**12),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from([dt.time(8, 0), dt.timedelta(hours=30)]))
fmt = st.sampled_from([None, "0%", "0.00%", "yyyy-mm-dd", "h:mm", "@", "0.00", '0.0"%"', "0.0%;[Red]-0.0%"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["1号机组", "2号机组", "", None, 3]),
                               st.sampled_from(["燃煤发电机组", "焦炉", "", "锅炉房"]), cell, cell, cell, cell,
                               cell), min_size=1, max_size=12),
       formats=st.dictionaries(st.tuples(st.integers(2, 13), st.integers(3, 7)), fmt, max_size=6))
def test_random_hard_workbooks_read_alike(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                                          rows: list[Any], formats: dict[tuple[int, int], Any]) -> None:
    folder = tmp_path_factory.mktemp("hard-xlsx")
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    # the random cells go to 机组类型, 容量, 原料路线, 炭化室高度 and 供电煤耗
    path = _save(folder / "设施.xlsx", [list(r) for r in rows],
                 formats={k: v for k, v in formats.items() if v is not None})
    policy, cat = load_policy(str(folder / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert_same_reading(fast, slow, NOTE)
    if not isinstance(slow, tuple) and slow.facilities:
        assert _calamine_ran(fast)        # nothing here needs openpyxl: the comparison is not empty
        assert repr(findings(policy, cat, fast, year=2025)) == repr(findings(policy, cat, slow, year=2025))


def test_a_negative_zero_reads_as_zero_on_both_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """<v>-0</v> (openpyxl writes -0.0 so): openpyxl reads the int 0, calamine -0.0; the report says 0 on
    both (hypothesis found it: a 供电煤耗 of "-0" beside "0")."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    rows = [["1号机组", "燃煤发电机组", None, None, None, None, None]] * 9 + \
        [["1号机组", "燃煤发电机组", "=1/0", None, None, None, -0.0]]
    path = _save(tmp_path / "设施.xlsx", rows, formats={})
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert _calamine_ran(fast)
    for submission in (fast, slow):
        value = submission.facilities[0].data["coal_power_supply_coal_consumption"][-1]
        assert value == 0 and not np.signbit(value)
    assert repr(findings(policy, cat, fast, year=2025)) == repr(findings(policy, cat, slow, year=2025))


# --- percent formats: both paths read the cell as it shows ---------------------------------------

PERCENT_POLICY = """
schema_version: 1
id: percent-formats
title: 百分比格式
region: 测试市
status: final
period: "2021-2025"
rules:
  - id: R-RENEW
    title: 数据中心可再生能源利用比例达到40%以上
    indicator: data_centre_renewable_share
    kind: at_least
    target: 40
    unit: "%"
    strength: binding
    scope: facility
    applies_to: {facility_type: data_centre}
    source: {section: 一, quote: 可再生能源利用比例达到40%以上}
"""
PERCENT_HEADER = ["设施名称", "设施类型", "数据中心可再生能源利用比例(%)", "容量", "供电煤耗(克标准煤/千瓦时)"]


def _percent_book(path: Path, styles: dict[tuple[int, int], str], rows: list[list[Any]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "设施"
    ws.append(PERCENT_HEADER)
    for row in rows:
        ws.append(row)
    for (r, c), style in styles.items():
        ws.cell(r, c).number_format = style
    wb.save(path)
    return path


def test_percent_formatted_cells_read_as_they_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """0.45 in a 0% cell of a % column is 45 on both paths; 0.4 in 0.0% is 40 (以上 includes it: PASS);
    a number in 0.0"%" shows its own digits (the % is literal text); text 45%, a bool or a blank in a
    percent style is read as it is; the column without a unit (容量) reads the shown value in %, the
    column in gce/kWh says the cell cannot be read. One note per column, naming its cells."""
    (tmp_path / "policy.yaml").write_text(PERCENT_POLICY, encoding="utf-8")
    rows = [["A", "数据中心", 0.45, 0.3, 300], ["B", "数据中心", 0.4, None, 0.5], ["C", "数据中心", 0.399, 12, None],
            ["D", "数据中心", 45, None, None], ["E", "数据中心", "45%", None, None],
            ["F", "数据中心", None, None, None], ["G", "数据中心", 38, None, None], ["H", "数据中心", True, None, None]]
    styles = {(2, 3): "0%", (3, 3): "0.0%", (4, 3): "0.0%", (5, 3): '0.0"%"', (6, 3): "0%", (7, 3): "0%",
              (9, 3): "0%", (2, 4): "0%", (3, 5): "0.00%"}
    path = _percent_book(tmp_path / "设施.xlsx", styles, rows)
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert _calamine_ran(fast)
    assert_same_reading(fast, slow, NOTE)
    table = fast.facilities[0]
    share = table.frame["data_centre_renewable_share"]
    assert list(share.iloc[:7]) == pytest.approx([45, 40, 39.9, 45, 45, float("nan"), 38], nan_ok=True)
    assert list(table.frame["capacity"].iloc[:3]) == pytest.approx([30, float("nan"), 12], nan_ok=True)
    assert list(table.cell_units["capacity"][:3]) == ["%", None, None]
    assert table.errors[("coal_power_supply_coal_consumption", 3)] == \
        "the cell is formatted as a percentage (50%) but the unit is 克标准煤/千瓦时"
    notes = [n for n in fast.notes if n.key.startswith("read.facility_percent")]
    assert [(n.key, [str(c) for c in n.cells]) for n in notes] == [
        ("read.facility_percent", ["设施!C2:C4"]), ("read.facility_percent_no_unit", ["设施!D2"])]
    assert notes[0] == ("设施!C1: column '数据中心可再生能源利用比例(%)', 3 cells formatted as percentages "
                        "(设施!C2:C4) read as the percentages they show (0.45 shown as 45% is read as 45)")
    entries = {e["facility"]: e["status"] for e in findings(policy, cat, fast, year=2025)["R-RENEW"]["entries"]}
    assert {k: v for k, v in entries.items() if k in "ABCG"} == {"A": "PASS", "B": "PASS", "C": "FAIL", "G": "FAIL"}


def _with_default_style_percent(src: Path, dst: Path) -> None:
    """The first cellXfs entry (the style of every cell without ``s="…"``) given numFmtId 9 (0%)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/styles.xml":
                head, _, tail = data.partition(b"<cellXfs")
                xf = tail.index(b"<xf ")
                tail = tail[:xf + 4] + b'numFmtId="9" applyNumberFormat="1" ' + \
                    tail[xf + 4:].replace(b'numFmtId="0" ', b"", 1)
                data = head + b"<cellXfs" + tail
            zout.writestr(info, data)


def test_a_default_percent_style_goes_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the default style is a percentage, cells without ``s="…"`` are percentages: the byte scan
    looks only for style ids, so the sheet is openpyxl's (and it reads every number ×100)."""
    (tmp_path / "policy.yaml").write_text(PERCENT_POLICY, encoding="utf-8")
    plain = _percent_book(tmp_path / "plain.xlsx", {}, [["A", "数据中心", 0.45, None, None]])
    path = tmp_path / "设施.xlsx"
    _with_default_style_percent(plain, path)
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert not _calamine_ran(fast)
    assert_same_reading(fast, slow, NOTE)
    assert fast.facilities[0].frame["data_centre_renewable_share"].iloc[0] == 45


@pytest.mark.parametrize("xml, want", [
    (b'<c r="C2" s="3"><v>0.45</v></c><c r="D2" s="3" t="n"><v>1</v></c><c r="C3" s="3"/>'
     b'<c r="C4" s="3" t="s"><v>0</v></c><c r="C5" s="3" t="b"><v>1</v></c><c r="C6" s="4"><v>2</v></c>',
     [(2, 3), (2, 4)]),
    (b'<c r="C2" s="3"><f>A1/B1</f><v>0.45</v></c>', None),            # a formula: one by one
    (b'<c r="C2" s="3"><v></v></c>', None),                           # an empty <v>
    (b'<c r="C2" s="3" cm="1"><v>0.45</v></c>', None),                 # another attribute
    (b'<x:c r="C2" s="3"><x:v>0.45</x:v></x:c>', None),                # a prefix
    (b'<row r="2" s="3" customFormat="1"><c r="C2" s="3"><v>0.45</v></c></row>', None),   # a row style
])
def test_percent_cells_found_in_one_pass_or_one_by_one(xml: bytes, want: Any) -> None:
    """The one-pass search gives what the careful one gives, or gives up (None)."""
    from cbcheck.reader.facility_percent import cells_with, plain_cells_with

    got = plain_cells_with(xml, b' s="3"')
    assert got == want
    careful = [(r, c) for r, c, kind, text in cells_with(xml, b' s="3"') if kind == b"n" and text is not None]
    if got is not None:
        assert got == careful


def test_a_percent_formula_is_read_as_it_shows_on_both_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A formula in a percent cell (its saved result 0.45) takes the careful scan, and reads 45."""
    import zipfile

    (tmp_path / "policy.yaml").write_text(PERCENT_POLICY, encoding="utf-8")
    plain = _percent_book(tmp_path / "plain.xlsx", {(2, 3): "0%", (3, 3): "0%"},
                          [["A", "数据中心", 0.45, None, None], ["B", "数据中心", 0.38, None, None]])
    path = tmp_path / "设施.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                head, _, tail = data.partition(b'r="C2"')
                v = tail.index(b"<v>")
                data = head + b'r="C2"' + tail[:v] + b"<f>0.3+0.15</f>" + tail[v:]
            dst.writestr(info, data)
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert _calamine_ran(fast)
    assert_same_reading(fast, slow, NOTE)
    assert list(fast.facilities[0].frame["data_centre_renewable_share"]) == [45, 38]


def test_escapes_in_shared_strings_send_the_body_to_the_cell_reader(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared string holding ``_x005F_x0041_`` is the text ``_x0041_`` for calamine and ``A`` for
    the cell reader (openpyxl drops ``x005F_``, then every ``_xHHHH_`` is decoded): the body is not
    calamine's. The guard looks at the sheet's shared strings (openpyxl's read-only workbook never
    fills ``Workbook.shared_strings``, so it used to see none)."""
    import openpyxl

    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "设施"
    ws.append(HEADER)
    ws.append(_with(A="1号_x005F_x0041_机组"))
    ws.append(_with(A="2号机组"))
    path = tmp_path / "设施.xlsx"
    wb.save(path)
    _as_shared_strings(path)
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _both(path, cat, monkeypatch)
    assert_same_reading(fast, slow, NOTE)
    assert not _calamine_ran(fast)
    from cbcheck.reader.grid import read_file, read_grids

    grid = read_grids(read_file(path), path)[0][0]
    assert grid.rows[1][0].value == "1号A机组"             # hand-checked: x005F_ dropped, then _x0041_ is A


def _as_shared_strings(path: Path) -> None:
    """openpyxl writes text as inline strings; Excel and WPS write a shared-string table."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    strings: list[str] = []

    def shared(m: re.Match[bytes]) -> bytes:
        strings.append(m.group(1).decode())
        return b't="s"><v>%d</v>' % (len(strings) - 1)

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb't="inlineStr"><is><t[^>]*>(.*?)</t></is>', shared, parts[sheet])
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{main}">' + "".join(f"<si><t>{t}</t></si>" for t in strings)
                                     + "</sst>").encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    assert strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
