"""The xlsx report as an official opens it (issue 20): every cell of a multi-cell reference
linked and marked, the base-year cells the arithmetic used marked with their own colour and
comment, numbers shown rounded with the full value in a comment, wrapped rows tall enough, and a
page setup that prints (landscape A4, fit to width, header row repeated)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.batch import Checker, CheckSettings
from cbcheck.cli import app
from cbcheck.render import RenderOptions
from cbcheck.render.xlsx import BASE_FILL, FILL, MAX_RANGE_CELLS, base_cells, refs, render
from cbcheck.model import Status

ROOT = Path(__file__).resolve().parents[1]
FAIL_FILE = ROOT / "examples" / "jining-county-fail.xlsx"
ARGS = ["-p", "jining-carbon-peak", "--params", str(ROOT / "examples" / "jining-params.yaml")]


@pytest.mark.parametrize("location,cells", [
    ("表1!F5", [("表1", "F5")]),
    ("表1!F5/表1!F6", [("表1", "F5"), ("表1", "F6")]),                 # a derived intensity's components
    ("表1!C5:E5", [("表1", "C5"), ("表1", "D5"), ("表1", "E5")]),      # a range: every cell
    ("表1!$D$5:$E$6", [("表1", "D5"), ("表1", "E5"), ("表1", "D6"), ("表1", "E6")]),
    ("表1!E5:C5", [("表1", "C5"), ("表1", "D5"), ("表1", "E5")]),      # written backwards
    ("表1!F5, 表1!F9", [("表1", "F5"), ("表1", "F9")]),                 # a chained series' start and link
    ("表1!F13/F15", [("表1", "F13"), ("表1", "F15")]),                  # the sheet carried over
    ("'能源 表'!B2/'it''s'!C3", [("能源 表", "B2"), ("it's", "C3")]),
    ("表1!F5/表1!F5", [("表1", "F5")]),
    ("jining-county-long-gbk.csv:4:3", []),                             # a CSV has no cells to link
    ("", []), (None, []),
])
def test_refs(location: str | None, cells: list[tuple[str, str]]) -> None:
    assert refs(location) == cells


def test_a_huge_range_is_named_by_its_first_cell() -> None:
    assert refs(f"表1!A1:A{MAX_RANGE_CELLS + 1}") == [("表1", "A1")]
    assert len(refs(f"表1!A1:A{MAX_RANGE_CELLS}")) == MAX_RANGE_CELLS


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    r = CliRunner().invoke(app, ["check", str(FAIL_FILE), *ARGS, "--lang", "zh", "-f", "xlsx", "-o", str(out)])
    assert r.exit_code == 1, r.output
    return openpyxl.load_workbook(out)


def _row(ws, rule_id: str) -> int:  # noqa: ANN001
    return next(c.row for c in ws["B"] if c.value == rule_id)


def _links(ws, row: int) -> list[str]:  # noqa: ANN001
    return [c.hyperlink.location for c in ws[row] if c.hyperlink is not None]


def test_every_cell_of_a_derived_value_and_its_base_is_linked(book: openpyxl.Workbook) -> None:
    ws = book.worksheets[0]
    row = _row(ws, "JN-ENERGY-INTENSITY-2025")              # (468/620) / (412/520): four cells
    assert ws.cell(row, 5).value == "表1!F5/表1!F6" and ws.cell(row, 5).hyperlink.location == "'表1'!F5"
    assert _links(ws, row) == ["'表1'!F5", "'表1'!F5", "'表1'!F6", "'表1'!D5", "'表1'!D6"]
    assert [ws.cell(row, c).value for c in range(18, 22)] == ["表1!F5", "表1!F6", "基期 表1!D5", "基期 表1!D6"]
    header = next(c.row for c in ws["B"] if c.value == "规则编号" and c.row < row)
    assert ws.cell(header, 18).value == "单元格链接"
    single = _row(ws, "JN-COAL-POWER-SUPPLY-2025")           # one cell, no base: the location link only
    assert _links(ws, single) == ["'表1'!F8"]


def test_base_year_cells_are_marked(book: openpyxl.Workbook) -> None:
    data = book["表1"]
    for coord, what, rule in (("D5", "下降率", "JN-ENERGY-INTENSITY-2025"),      # 能源消费总量 2020
                              ("D6", "下降率", "JN-ENERGY-INTENSITY-2025"),      # 地区生产总值 2020
                              ("D7", "下降率", "JN-CO2-INTENSITY-2025"),
                              ("D4", "进度目标", "JN-NONFOSSIL-2030")):           # the milestone path from 2020
        cell = data[coord]
        assert cell.fill.start_color.rgb == "FF" + BASE_FILL, coord
        assert f"基期数值（2020年），用于计算{what}" in cell.comment.text and rule in cell.comment.text
    assert data["F5"].fill.start_color.rgb == "FF" + FILL[Status.FAIL]        # the judged cell keeps its verdict
    assert data["E5"].comment is None                                       # 2024: not used by the arithmetic
    assert BASE_FILL not in FILL.values()


def test_numbers_rounded_with_the_full_value_in_a_comment(book: openpyxl.Workbook) -> None:
    ws = book.worksheets[0]
    row = _row(ws, "JN-ENERGY-INTENSITY-2025")
    observed = ws.cell(row, 8)
    # r = 1 − (468/620)/(412/520) = 1 − 0.754839/0.792308 = 4.7290949%
    assert observed.value == 4.729
    assert observed.comment.text.startswith("完整数值 4.72909489")
    assert ws.cell(row, 10).value == 15.6 and ws.cell(row, 10).comment is None    # exact: no comment


def test_wrapped_rows_are_tall_enough(book: openpyxl.Workbook) -> None:
    ws = book.worksheets[0]
    row = _row(ws, "JN-ENERGY-INTENSITY-2025")
    arithmetic = ws.cell(row, 15).value                        # ~190 characters in a 60-wide column
    assert ws.cell(row, 15).alignment.wrap_text
    assert ws.row_dimensions[row].height >= 15 * (len(arithmetic) // 59 + 1)
    assert ws.row_dimensions[row].height <= 409


def test_page_setup(book: openpyxl.Workbook) -> None:
    ws = book.worksheets[0]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9      # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    header = next(c.row for c in ws["B"] if c.value == "规则编号")
    assert ws.print_title_rows == f"${header}:${header}"           # repeated on every printed page
    assert ws.print_area.startswith("'") and ws.print_area.split("!")[1].startswith("$A$1:$Q$")   # not the links


def _report():  # noqa: ANN202
    checker = Checker(CheckSettings(policy="jining-carbon-peak", params=ROOT / "examples" / "jining-params.yaml"))
    return checker.check(FAIL_FILE).report


def test_a_range_reference_marks_and_links_every_cell() -> None:
    report = _report()
    findings = tuple(dataclasses.replace(f, location="表1!D9:F9") if f.rule_id == "JN-COAL-POWER-SUPPLY-2025"
                     else f for f in report.findings)
    report = dataclasses.replace(report, findings=findings)
    wb = openpyxl.load_workbook(io.BytesIO(render(report, RenderOptions(lang="zh"))))
    ws = wb.worksheets[0]
    row = _row(ws, "JN-COAL-POWER-SUPPLY-2025")
    assert _links(ws, row) == ["'表1'!D9", "'表1'!D9", "'表1'!E9", "'表1'!F9"]
    for coord in ("D9", "E9", "F9"):
        cell = wb["表1"][coord]
        assert cell.fill.start_color.rgb == "FF" + FILL[Status.FAIL], coord
        assert "JN-COAL-POWER-SUPPLY-2025" in cell.comment.text


def test_base_cells_only_when_the_base_came_from_the_submission() -> None:
    report = _report()
    bases = base_cells(report)
    assert bases["JN-ENERGY-INTENSITY-2025"] == (2020, "reduction_vs_base", ["表1!D5", "表1!D6"])
    assert bases["JN-CO2-INTENSITY-2025"] == (2020, "reduction_vs_base", ["表1!D7"])
    assert "JN-COAL-POWER-SUPPLY-2025" not in bases                       # a level: no base year
    rules = {r.id: r for r in report.policy.rules}
    given = dataclasses.replace(rules["JN-CO2-INTENSITY-2025"], base_value=1.7)      # the plan states the base
    policy = dataclasses.replace(report.policy, rules=tuple(given if r.id == given.id else r
                                                            for r in report.policy.rules))
    assert "JN-CO2-INTENSITY-2025" not in base_cells(dataclasses.replace(report, policy=policy))


def test_every_offending_facility_cell_is_marked(tmp_path: Path) -> None:
    """The enterprise copy: each unit that breaches a rule is coloured and commented, not only
    the first one per rule (YC-CHP-SUPPLY-COAL-300: 2号机组 303.2 and 5号机组 352 > 300)."""
    out = tmp_path / "pp.xlsx"
    r = CliRunner().invoke(app, ["check", str(ROOT / "examples" / "enterprise" / "yuncheng-power-plant.xlsx"),
                                 "-p", "yuncheng-energy-saving-14fyp", "--lang", "zh", "-f", "xlsx", "-o", str(out)])
    assert r.exit_code == 1, r.output
    units = openpyxl.load_workbook(out)["机组"]
    for coord, value in (("F5", 303.2), ("F8", 352)):
        assert units[coord].value == value
        assert units[coord].fill.start_color.rgb == "FF" + FILL[Status.FAIL]
        assert "YC-CHP-SUPPLY-COAL-300" in units[coord].comment.text and "要求 300" in units[coord].comment.text
