"""Output formats beyond text/json/markdown: html escaping, junit structure, csv encoding,
xlsx copies (colours, comments, no formulas, original untouched), and the format rules of
the command line (binary formats need --output)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
PASS = ROOT / "examples" / "jining-county-pass.xlsx"
FAIL = ROOT / "examples" / "jining-county-fail.xlsx"
GBK = ROOT / "examples" / "jining-county-long-gbk.csv"

HOSTILE_TITLE = '<script>alert("policy")</script>'
HOSTILE_NAME = '<img src=x onerror=alert(1)>指标"\''
HOSTILE_ENTITY = '=HYPERLINK("http://evil.invalid","x")<script>alert(\'entity\')</script>'
HOSTILE_SHEET = '<b>"表\'1'
HOSTILE_LABEL = '<svg onload=alert(2)>'


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture()
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    return make_hostile(tmp_path)


def make_hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A policy and a submission where every user-supplied string tries to break out."""
    policy = tmp_path / "evil.yaml"
    policy.write_text(f"""schema_version: 1
id: evil-plan
title: '{HOSTILE_TITLE}'
title_en: '{HOSTILE_TITLE} en'
region: 某市
status: final
indicators:
  - id: evil_share
    name: '{HOSTILE_NAME.replace("'", "''")}'
    name_en: '{HOSTILE_NAME.replace("'", "''")} en'
    dimension: share
    unit: '%'
    kind: share
rules:
  - id: EVIL-1
    title: '"><script>alert(3)</script>'
    title_en: '"><script>alert(4)</script>'
    indicator: evil_share
    kind: at_least
    target: 50
    unit: '%'
    base_year: 2020
    target_year: 2030
    strength: binding
    scope: region
    source: {{section: '<h1>章节</h1>', quote: '达到50%<script>alert(5)</script>'}}
""", encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = HOSTILE_SHEET
    ws.append(["某县2025年情况表"])
    ws.append(["填报单位：", HOSTILE_ENTITY])
    ws.append(["指标名称", "单位", "2020年", "2024年", "2025年", "备注"])
    ws.append([HOSTILE_NAME, "%", 10, 30, 35, '=HYPERLINK("http://evil.invalid","click")'])
    ws.append([HOSTILE_LABEL, "%", 1, 2, 3, "@SUM(1+1)"])
    ws.append(["", "", None, None, None, "+1+2"])
    ws.append(["", "", None, None, None, "-3+4"])
    # openpyxl stores these strings as formulas; make them text in the submission, as Excel would
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
    sub = tmp_path / "evil.xlsx"
    wb.save(sub)
    return policy, sub


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def test_html_escapes_everything_user_supplied(hostile: tuple[Path, Path]) -> None:
    policy, sub = hostile
    for lang in ("en", "zh"):
        r = run("check", str(sub), "--policy", str(policy), "--format", "html", "--lang", lang)
        assert r.exit_code == 0, r.output
        page = r.stdout
        assert "<script" not in page.lower() and "<img" not in page and "<svg onload" not in page
        assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        parser = _Tags()
        parser.feed(page)
        allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "span", "dl", "dt",
                   "dd", "code", "section", "table", "tr", "th", "td", "ul", "li", "article", "div", "blockquote",
                   "svg", "line", "text", "polyline", "circle", "footer", "a", "strong", "br"}
        assert parser.tags <= allowed, parser.tags - allowed
        assert not [a for a in parser.attrs if a.startswith("on")]
        assert not re.findall(r'href="(?!#)', page)                          # links only inside the page


def test_html_is_self_contained_and_charts_history() -> None:
    r = run("check", str(FAIL), "--policy", "jining-carbon-peak", "--format", "html")
    page = r.stdout
    assert r.exit_code == 1 and page.startswith("<!DOCTYPE html>")
    for needle in ("http://", "https://", "<link", "<script", "<img", "@import", "url("):
        assert needle not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), needle
    assert "@media print" in page
    # the energy-intensity chart: three submitted years, the compound path to the 2025 target
    article = page[page.index('id="rule-JN-ENERGY-INTENSITY-2025"'):]
    article = article[:article.index("</article>")]
    assert article.count('<circle class="dot"') == 3 and '<polyline class="path"' in article
    assert "2020: 0.7923" in article and "target 2025: 0.6687" in article
    # sections in plan order, each rule once, with its clause
    assert page.index("二、主要目标") < page.index("三、(一) 能源绿色低碳转型行动")
    # every rule once: a card for what is not PASS, one line per PASS, NOT_APPLICABLE counted, not listed
    hidden = int(re.search(r"(\d+) rules that do not apply", page).group(1))
    assert page.count('class="finding ') + page.count('class="pass"') + hidden == 125
    assert hidden == 62 and "单位地区生产总值能源消耗比2020年下降15.6%" in page     # 62: 兖州区's rule is NA
    # failures first: the action list comes before the first plan section
    assert page.index("Action list") < page.index('class="plan-section"')


def test_junit_parses_and_maps_statuses() -> None:
    r = run("check", str(FAIL), "--policy", "jining-carbon-peak", "--format", "junit")
    assert r.exit_code == 1
    root = ET.fromstring(r.stdout.encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    summary = json.loads(run("check", str(FAIL), "-p", "jining-carbon-peak", "-f", "json").stdout)["summary"]
    assert len(cases) == sum(summary.values()) == int(suite.get("tests"))
    failures = [c for c in cases if c.find("failure") is not None]
    assert len(failures) == summary["FAIL"] == int(suite.get("failures"))
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(skipped) == summary["NOT_DUE"] + summary["NOT_APPLICABLE"] + summary["MISSING"]
    by_name = {c.get("name").split()[0]: c for c in cases}
    assert by_name["JN-ENERGY-INTENSITY-2025"].find("failure").get("type") == "FAIL"
    assert by_name["JN-NONFOSSIL-2025"].find("failure") is None          # WARN passes without --strict
    strict = ET.fromstring(run("check", str(FAIL), "-p", "jining-carbon-peak", "-f", "junit", "--strict")
                           .stdout.encode("utf-8"))
    assert {c.get("name").split()[0]: c for c in strict.iter("testcase")}["JN-NONFOSSIL-2025"].find("failure") \
        is not None


def test_junit_hostile_round_trips(hostile: tuple[Path, Path]) -> None:
    policy, sub = hostile
    r = run("check", str(sub), "--policy", str(policy), "--format", "junit")
    root = ET.fromstring(r.stdout.encode("utf-8"))
    case = next(root.iter("testcase"))
    assert case.get("name") == 'EVIL-1 "><script>alert(4)</script>'
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["entity"] == HOSTILE_ENTITY


def test_junit_batch_has_a_suite_per_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"nope")
    r = run("check", str(PASS), str(broken), "--policy", "jining-carbon-peak", "-f", "junit")
    root = ET.fromstring(r.stdout.encode("utf-8"))
    suites = root.findall("testsuite")
    assert len(suites) == 2 and suites[1].find("testcase/error").get("type") == "UNREADABLE"
    assert r.exit_code == 3


def test_csv_has_bom_one_row_per_finding_and_defused_formulas(hostile: tuple[Path, Path]) -> None:
    r = run("check", str(FAIL), "--policy", "jining-carbon-peak", "--format", "csv")
    assert r.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert len(rows) == 125 and rows[0]["rule_id"] == "JN-ENERGY-INTENSITY-2025"   # failures first in a section
    row = next(x for x in rows if x["rule_id"] == "JN-ENERGY-INTENSITY-2025")
    assert row["status"] == "FAIL" and row["observed"] == "4.729094895" and row["cell"] == "表1!F5/表1!F6"
    zh = run("check", str(FAIL), "--policy", "jining-carbon-peak", "--format", "csv", "--lang", "zh").stdout
    assert zh.lstrip("\ufeff").startswith("文件,填报单位,报告年度,规划章节,规则编号") and ",未达标," in zh
    policy, sub = hostile
    rows = list(csv.reader(io.StringIO(run("check", str(sub), "-p", str(policy), "-f", "csv").stdout.lstrip("\ufeff"))))
    assert rows[1][1] == "'" + HOSTILE_ENTITY


def test_xlsx_needs_output_and_never_prints() -> None:
    r = run("check", str(PASS), "--policy", "jining-carbon-peak", "--format", "xlsx")
    assert r.exit_code == 2 and r.stdout == "" and "--output" in r.stderr


def _fill(cell) -> str:  # noqa: ANN001
    return cell.fill.start_color.rgb if cell.fill.fill_type == "solid" else ""


def test_xlsx_copy_coloured_and_commented(tmp_path: Path) -> None:
    src = tmp_path / "county.xlsx"
    shutil.copy(FAIL, src)
    old = time.time() - 3600
    os.utime(src, (old, old))
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    out = tmp_path / "out" / "county.report.xlsx"
    r = run("check", str(src), "--policy", "jining-carbon-peak", "-o", str(out), "-q")
    assert r.exit_code == 1
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before          # the original is never touched
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["cbcheck results", "表1"] and wb.active.title == "cbcheck results"
    data = wb["表1"]
    assert _fill(data["F5"]) == _fill(data["F6"]) == "FFFFC7CE"            # FAIL: energy intensity
    assert "JN-ENERGY-INTENSITY-2025 · FAIL" in data["F5"].comment.text
    assert _fill(data["F4"]) == "FFFFEB9C" and "JN-NONFOSSIL-2025 · WARN" in data["F4"].comment.text
    assert _fill(data["F28"]) == "FFE4DFEC"                                # a "—" cell: MISSING
    assert data["B4"].comment is None and _fill(data["B4"]) == ""
    assert data["F5"].value == 468 and data["A1"].value.startswith("济宁市示例县")
    results = wb["cbcheck results"]
    header = next(r for r in range(1, 20) if results.cell(r, 1).value == "status")
    rows = {results.cell(r, 2).value: r for r in range(header + 1, results.max_row + 1)}
    fail_row = rows["JN-ENERGY-INTENSITY-2025"]
    assert results.cell(fail_row, 1).value == "FAIL" and _fill(results.cell(fail_row, 1)) == "FFFFC7CE"
    assert results.cell(fail_row, 5).hyperlink.location == "'表1'!F5"
    # the same report twice is the same bytes
    again = tmp_path / "again.xlsx"
    run("check", str(src), "--policy", "jining-carbon-peak", "-o", str(again), "-q")
    assert again.read_bytes() == out.read_bytes()


def test_xlsx_writes_no_formulas(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    policy, sub = hostile
    wb = openpyxl.load_workbook(sub)
    ws = wb.active
    ws["G4"] = "=C4*2"                                                     # a real formula, no cached value
    wb.save(sub)
    with zipfile.ZipFile(sub) as zf:                                       # give D4 a formula with a cached value
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="G4"><f>C4*2</f><v></v></c>', '<c r="G4"><f>C4*2</f><v>20</v></c>')
    sheet = sheet.replace('<c r="G4"><f>C4*2</f><v /></c>', '<c r="G4"><f>C4*2</f><v>20</v></c>')
    assert "<v>20</v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(sub, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    out = tmp_path / "copy.xlsx"
    r = run("check", str(sub), "--policy", str(policy), "-o", str(out), "-q")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(out) as zf:
        xml = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml                          # not one formula in the copy
    copy = openpyxl.load_workbook(out)
    data = copy[HOSTILE_SHEET]
    assert data["F4"].value == '=HYPERLINK("http://evil.invalid","click")' and data["F4"].data_type == "s"
    assert data["F5"].value == "@SUM(1+1)" and data["F5"].quotePrefix
    assert data["F6"].value == "+1+2" and data["F7"].value == "-3+4"
    assert data["G4"].value == 20                                         # a formula keeps its last value
    results = copy.worksheets[0]
    values = [c.value for row in results.iter_rows() for c in row if isinstance(c.value, str)]
    assert HOSTILE_ENTITY in values                                       # as text
    assert all(c.data_type != "f" for row in results.iter_rows() for c in row)


def test_xlsx_from_csv_is_a_fresh_workbook(tmp_path: Path) -> None:
    out = tmp_path / "gbk.xlsx"
    r = run("check", str(GBK), "--policy", "jining-carbon-peak", "-o", str(out), "--lang", "zh", "-q")
    assert r.exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["cbcheck检查结果"]
    assert wb.properties.creator == "cbcheck"


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    outs = [tmp_path / n for n in ("r.html", "r.xml", "r.csv", "r.xlsx", "r.json")]
    r = run("check", str(PASS), "-p", "jining-carbon-peak", *[a for o in outs for a in ("-o", str(o))])
    assert r.exit_code == 0 and r.stdout.startswith("济宁市示例县 2025 — Jining")
    assert outs[0].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ET.fromstring(outs[1].read_bytes())
    assert outs[2].read_bytes().startswith(b"\xef\xbb\xbf")
    assert openpyxl.load_workbook(outs[3]).sheetnames[0] == "cbcheck results"
    assert json.loads(outs[4].read_text(encoding="utf-8"))["verdict"] == "compliant"


def test_format_aliases() -> None:
    out = run("check", str(PASS), "-p", "jining-carbon-peak", "-f", "md").stdout
    assert out.startswith("# 济宁市示例县 2025 — Jining")
    assert run("check", str(PASS), "-p", "jining-carbon-peak", "-f", "xml").stdout.startswith("<?xml")
