"""cbcheck template as a county officer meets it: only the input cells can be edited, the title
names the reporting year, no column asks for a year that is not over, every word comes from the
catalogues (zh by default, en on request), and the form filled the way an office fills it (values
typed with their units, a 注： line under the table, a blank for a value not known yet) checks
without edits."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.errors import UsageError
from cbcheck.policy import load_policy
from cbcheck.template import INPUT_FILL, build_template

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 3, 1)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _book(lang: str = "zh", scope: str = "county", years: list[int] | None = None,
          policy: str = "jining-carbon-peak") -> openpyxl.Workbook:
    pol, cat = load_policy(policy)
    return openpyxl.load_workbook(io.BytesIO(build_template(pol, cat, scope, years or [2020, 2024, 2025], lang,
                                                            TODAY)))


def _is_input(cell) -> bool:  # noqa: ANN001
    return cell.fill.fill_type == "solid" and cell.fill.start_color.rgb == "FF" + INPUT_FILL


@pytest.mark.parametrize("scope", ["county", "enterprise"])
def test_only_the_input_cells_can_be_edited(scope: str) -> None:
    wb = _book(scope=scope, policy="jining-carbon-peak" if scope == "county" else "yuncheng-energy-saving-14fyp")
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title                    # protected …
        assert not ws.protection.password, ws.title                     # … without a password
        assert ws.protection.formatColumns is False                     # widening a column stays allowed
        inputs = 0
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                # the yellow cells and only those are unlocked (an unstyled cell is locked by default)
                assert cell.protection.locked is not _is_input(cell), (ws.title, cell.coordinate)
                inputs += _is_input(cell)
        if ws.title in ("填报表", "设施表"):
            assert inputs > 20
    form = wb["填报表"]
    policy_cell = next(r for r in form.iter_rows(max_col=2) if r[0].value == "政策编号：")[1]
    assert policy_cell.value and policy_cell.protection.locked            # cbcheck reads it: not editable


def test_the_xml_carries_the_protection_excel_and_wps_read(tmp_path: Path) -> None:
    """Both honour <sheetProtection sheet="1"> and <protection locked="0"/> in the cell style."""
    import zipfile

    out = tmp_path / "t.xlsx"
    assert run("template", "-p", "jining-carbon-peak", "--years", "2020,2024,2025", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert re.search(r'<sheetProtection[^>]*\bsheet="1"', sheet)
    assert "password" not in sheet.split("<sheetProtection", 1)[1].split(">", 1)[0]
    assert 'locked="0"' in styles


def test_title_names_the_reporting_year() -> None:
    ws = _book(years=[2020, 2023, 2024])["填报表"]
    assert ws["A1"].value == "《济宁市碳达峰工作方案》2024年度目标任务完成情况填报表"
    help_text = " ".join(str(c.value) for c in _book()["填报说明"]["A"] if c.value)
    assert "2025年度目标任务完成情况" in help_text


def test_no_year_column_a_county_cannot_fill_yet() -> None:
    pol, cat = load_policy("jining-carbon-peak")
    wb = openpyxl.load_workbook(io.BytesIO(build_template(pol, cat, today=dt.date(2026, 12, 31))))
    ws = wb["填报表"]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "指标名称")
    years = [int(v[:4]) for v in (ws.cell(header, c).value for c in range(1, ws.max_column + 1))
             if isinstance(v, str) and re.fullmatch(r"\d{4}年", v)]
    assert years == [2005, 2020, 2024, 2025]          # 2026 is not over on 31 December 2026
    with pytest.raises(UsageError, match="not over yet") as err:
        build_template(pol, cat, years=[2020, 2025, 2026], today=dt.date(2026, 12, 31))
    assert "2025 and earlier" in str(err.value)
    zh = run("template", "-p", "jining-carbon-peak", "--years", "2020,2100", "-o", "/dev/null", "--lang", "zh")
    assert zh.exit_code == 2


def test_no_column_is_derived_by_cbcheck() -> None:
    """The columns are what an office knows (values per year, unit, notes) or reads (the plan's
    targets): no 下降率/完成率 column, which cbcheck computes and a county would fill inconsistently."""
    ws = _book()["填报表"]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "指标名称")
    heads = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
    assert heads == ["序号", "指标名称", "单位", "2020年", "2024年", "2025年",
                     "规划目标", "目标性质", "填写提示", "备注"]
    assert not any(w in h for h in heads for w in ("下降率", "完成率", "增速", "进度"))


def _catalogue(lang: str) -> dict[str, str]:
    return yaml.safe_load((ROOT / "src" / "cbcheck" / "i18n" / f"{lang}.yaml").read_text("utf-8"))["template"]


def test_every_template_key_is_used_and_no_word_is_written_in_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    from cbcheck.i18n import Messages

    used: set[str] = set()
    original = Messages.__call__

    def record(self, key: str, **kw):  # noqa: ANN001, ANN202
        used.add(key)
        return original(self, key, **kw)

    monkeypatch.setattr(Messages, "__call__", record)
    for policy, scope in (("jining-carbon-peak", "county"), ("yuncheng-energy-saving-14fyp", "enterprise"),
                          ("yinchuan-carbon-peak-draft", "county")):
        _book(policy=policy, scope=scope)
    with pytest.raises(UsageError):
        _book(years=[2020, 2030])
    raised = {"template.future_year", "template.future_year_hint"}     # a Msg in the UsageError, tested above
    assert {f"template.{k}" for k in _catalogue("zh")} - used == raised
    # no Chinese text in the code outside docstrings but the reader's missing markers
    tree = ast.parse((ROOT / "src" / "cbcheck" / "template.py").read_text("utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and n.body and isinstance(n.body[0], ast.Expr)}
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and id(n) not in docs and re.search(r"[\u4e00-\u9fff]", n.value)}
    assert literals <= {"无", "未统计"}


def test_english_form_has_english_instructions_and_reads_back(tmp_path: Path) -> None:
    wb = _book(lang="en")
    assert wb.sheetnames == ["Form", "Instructions"]
    ws = wb["Form"]
    assert ws["A1"].value.endswith("targets reporting form for 2025")
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Indicator")
    assert [ws.cell(header, c).value for c in range(1, 11)] == [
        "No.", "Indicator", "Unit", "2020", "2024", "2025", "Plan target", "Target type", "Hint", "Notes"]
    help_text = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    # Chinese only where the reader reads it or the plan says it: 是/否, the missing markers, units
    leftover = re.sub(r"“[^”]*”|万千瓦|\(济政字[^)]*\)", "", help_text)    # and the plan's document number
    assert not re.search(r"[\u4e00-\u9fff]", leftover), leftover
    assert not re.search(r"(?i)\bpolicy\s*[:：]", help_text)           # never read as a 政策编号 row
    rows = {ws.cell(r, 2).value: r for r in range(header + 1, ws.max_row + 1)}
    labels = {ws.cell(r, 1).value: r for r in range(1, header)}
    ws.cell(labels["填报单位 (entity)："], 2).value = "济宁市示例县"
    ws.cell(rows["Share of non-fossil energy in total energy consumption"], 6).value = 11.9   # < 13 − 0.65 (左右)
    out = tmp_path / "en.xlsx"
    wb.save(out)
    data = json.loads(run("check", str(out), "-f", "json").stdout)
    assert data["policy"]["id"] == "jining-carbon-peak" and data["submission"]["entity"] == "济宁市示例县"
    assert data["submission"]["unmatched"] == []
    nonfossil = next(f for f in data["findings"] if f["rule_id"] == "JN-NONFOSSIL-2025")
    assert nonfossil["status"] == "WARN" and nonfossil["observed"] == 11.9       # 预期性: a warning
    assert nonfossil["location"] == "Form!F12"


# --- the form as a county office fills it --------------------------------------------------------

COUNTY = {   # 2020, 2024, 2025, typed the way an office types them (text with units, a blank)
    "非化石能源消费比重": ("8.2%", "11.9%", "13.1%"),
    "能源消费总量": ("412万吨标准煤", "425.5万吨标准煤", "428 万吨标准煤"),
    "地区生产总值(可比价)": ("520亿元", "610.3亿元", "646亿元"),
    "煤电机组平均供电煤耗": ("306", "297.5克标准煤/千瓦时", "298.6克标准煤/千瓦时"),
    "煤炭消费量": ("310万吨", "302万吨", None),      # 2025 not known yet: left blank
}


def test_a_form_filled_by_a_county_reads_back_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "填报表.xlsx"
    assert run("template", "-p", "jining-carbon-peak", "--years", "2020,2024,2025", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["填报表"]
    labels = {ws.cell(r, 1).value: r for r in range(1, 10)}
    for label, value in (("填报单位：", "济宁市示例县发展和改革局"), ("填报日期：", "2026年3月15日"),
                         ("填报人：", "张伟"), ("联系电话：", "0537-2345678")):
        assert not ws.cell(labels[label], 2).protection.locked
        ws.cell(labels[label], 2).value = value
    rows = {ws.cell(r, 2).value: r for r in range(11, ws.max_row + 1)}
    for name, values in COUNTY.items():
        for col, value in zip((4, 5, 6), values, strict=True):
            if value is not None:
                assert not ws.cell(rows[name], col).protection.locked
                ws.cell(rows[name], col).value = value
    ws.cell(rows["能源消费总量"], 10).value = "2025年为快报数"
    ws.cell(ws.max_row + 2, 1).value = "注：2025年数据为快报数，煤炭消费量待统计局核定后补报。"
    filled = tmp_path / "已填报.xlsx"
    wb.save(filled)

    r = run("check", str(filled), "-f", "json")
    assert r.exit_code == 1, r.output                          # the coal-power rule fails
    data = json.loads(r.stdout)
    assert data["submission"]["entity"] == "济宁市示例县发展和改革局"
    assert data["submission"]["unmatched"] == []               # the 注： line is not an indicator
    by_id = {f["rule_id"]: f for f in data["findings"]}
    nonfossil = by_id["JN-NONFOSSIL-2025"]                      # "13.1%" → 13.1 ≥ 13
    assert (nonfossil["status"], nonfossil["observed"], nonfossil["location"]) == ("PASS", 13.1, "填报表!F12")
    # (428/646) / (412/520) = 0.66254 / 0.79231 → a reduction of 16.38% ≥ 15.6%
    intensity = by_id["JN-ENERGY-INTENSITY-2025"]
    assert intensity["status"] == "PASS" and abs(intensity["observed"] - 16.3786) < 1e-3
    assert intensity["location"] == f"填报表!F{rows['能源消费总量']}/填报表!F{rows['地区生产总值(可比价)']}"
    coal_power = by_id["JN-COAL-POWER-SUPPLY-2025"]             # 298.6 > 295 克标准煤/千瓦时
    assert (coal_power["status"], coal_power["observed"], coal_power["expected"]) == ("FAIL", 298.6, 295)
    assert by_id["JN-COAL-CONTROL-2025"]["status"] == "MISSING"  # the blank is missing, never 0
    assert by_id["JN-COAL-CONTROL-2025"]["location"] == f"填报表!F{rows['煤炭消费量']}"
