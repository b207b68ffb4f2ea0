"""The report's title names the county, not the office that filed it (issue 20):
<county><年度>年度《<plan>》目标完成情况核查报告, with the office as 填报单位 in the header lines —
in text, markdown, html and xlsx alike (render/view.py builds the title once)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.render.view import title_entity

ROOT = Path(__file__).resolve().parents[1]
TITLE = "吕梁市示例县2025年度《吕梁市碳达峰实施方案》目标完成情况核查报告"
OFFICE = "吕梁市示例县发展和改革局"


@pytest.mark.parametrize("office,place", [
    ("中阳县发展和改革局", "中阳县"),
    ("中阳县人民政府", "中阳县"),
    ("中阳县统计局", "中阳县"),
    ("中阳县发改局", "中阳县"),
    ("吕梁市中阳县发展和改革局", "吕梁市中阳县"),            # the city kept when the office writes it
    ("山西省吕梁市中阳县人民政府", "吕梁市中阳县"),
    ("吕梁市人民政府", "吕梁市"),                          # a city office: the city
    ("（中阳县人民政府）", "中阳县"),
    ("中阳县", "中阳县"),
    ("山西漳山发电有限责任公司", "山西漳山发电有限责任公司"),   # an enterprise keeps its name
    (None, ""),
])
def test_title_entity(office: str | None, place: str) -> None:
    assert title_entity(office) == place


@pytest.fixture(scope="module")
def filed_by_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wb = openpyxl.load_workbook(ROOT / "examples" / "lvliang-county-fail.xlsx")
    wb["表1"]["A2"] = f"填报单位：{OFFICE}"
    out = tmp_path_factory.mktemp("title") / "吕梁市示例县.xlsx"
    wb.save(out)
    return out


def _run(path: Path, *args: str) -> str:
    r = CliRunner().invoke(app, ["check", str(path), "-p", "lvliang-carbon-peak", "--params",
                                 str(ROOT / "examples" / "lvliang-params.yaml"), "--lang", "zh", *args])
    assert r.exit_code == 1, r.output
    return r.stdout


def test_text_title_and_header(filed_by_office: Path) -> None:
    out = _run(filed_by_office)
    assert out.splitlines()[0] == TITLE
    assert f"填报单位：{OFFICE}" in out


def test_markdown_title_and_header(filed_by_office: Path) -> None:
    out = _run(filed_by_office, "-f", "markdown")
    assert out.splitlines()[0] == f"# {TITLE}"
    assert f"填报单位：{OFFICE}" in out


def test_html_title_and_header(filed_by_office: Path) -> None:
    out = html.unescape(_run(filed_by_office, "-f", "html"))
    assert f"<title>{TITLE}</title>" in out and f"<h1>{TITLE}</h1>" in out
    assert re.search(rf"<dt>填报单位</dt><dd>{OFFICE}</dd>", out)


def test_xlsx_title_and_header(filed_by_office: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.xlsx"
    _run(filed_by_office, "-f", "xlsx", "-o", str(report))
    ws = openpyxl.load_workbook(report).worksheets[0]
    assert ws["A1"].value == TITLE
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 10)}
    assert rows["填报单位"] == OFFICE
