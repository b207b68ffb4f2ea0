"""cbcheck template: a fill-in workbook that checks without edits once filled (round trip),
and check reading its policy from the file so --policy can be omitted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.policy import load_policy
from cbcheck.template import default_years, rows_for, target_text

FILLED = {   # indicator name -> 2020, 2024, 2025 (as a county office would fill it)
    "非化石能源消费比重": (8.2, 11.9, 13.1),
    "能源消费总量": (412, 425.5, 428),
    "地区生产总值(可比价)": (520, 610.3, 646),
    "单位地区生产总值二氧化碳排放": (1.65, 1.44, 1.37),
    "煤电机组平均供电煤耗": (306, 297.5, 294.1),
    "光伏发电装机容量": (152, 435, 510),
    "加氢站数量": (0, 5, 8),
}


def run(*args: str, **kw):
    return CliRunner().invoke(app, list(args), **kw)


def write_template(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "填报表.xlsx"
    r = run("template", "--policy", "jining-carbon-peak", "--years", "2020,2024,2025", "--output", str(out), *extra)
    assert r.exit_code == 0, r.output
    return out


def fill(path: Path, entity: str | None = "济宁市示例县", values: dict = FILLED) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["填报表"]
    labels = {ws.cell(r, 1).value: r for r in range(1, 12)}
    if entity:
        ws.cell(labels["填报单位："], 2).value = entity
    ws.cell(labels["填报日期："], 2).value = "2026-03-15"
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "指标名称")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 2).value: r for r in range(header + 1, ws.max_row + 1)}
    for name, years in values.items():
        for year, value in zip(("2020年", "2024年", "2025年"), years, strict=True):
            ws.cell(rows[name], cols[year]).value = value
    filled = path.with_name("已填报.xlsx")
    wb.save(filled)
    return filled


def test_round_trip_checks_without_policy_flag(tmp_path: Path) -> None:
    filled = fill(write_template(tmp_path), values={**FILLED, "煤电机组平均供电煤耗": (306, 297.5, "—")})
    r = run("check", str(filled), "--format", "json", "--set", "JN-CO2-INTENSITY-2025=16")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["policy"]["id"] == "jining-carbon-peak"
    assert data["submission"]["entity"] == "济宁市示例县"
    assert data["submission"]["meta"]["policy"] == "jining-carbon-peak"
    assert data["submission"]["unmatched"] == []
    by_id = {f["rule_id"]: f for f in data["findings"]}
    nonfossil = by_id["JN-NONFOSSIL-2025"]
    assert nonfossil["status"] == "PASS" and nonfossil["location"].startswith("填报表!F")
    intensity = by_id["JN-ENERGY-INTENSITY-2025"]                 # derived from the component rows
    assert intensity["status"] == "PASS" and "total energy consumption 412 万吨标准煤" in intensity["arithmetic"]
    assert by_id["JN-COAL-POWER-SUPPLY-2025"]["status"] == "MISSING"   # "—" is missing, not zero
    hydrogen = by_id["JN-HYDROGEN-STATIONS-2030"]                      # a city total, and this is a county
    assert hydrogen["status"] == "NOT_APPLICABLE" and "city-wide total" in hydrogen["message"]


def _example_values(cat) -> dict[str, tuple]:  # noqa: ANN001
    """The example workbook's 2020/2024/2025 values, keyed by indicator id."""
    ws = openpyxl.load_workbook(Path(__file__).parents[1] / "examples" / "jining-county-pass.xlsx")["表1"]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "指标名称")
    cols = [c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value in ("2020年", "2024年", "2025年")]
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        ind = cat.match(str(ws.cell(r, 2).value or ""))
        if ind:
            out[ind] = tuple(ws.cell(r, c).value for c in cols)
    return out


def test_round_trip_same_as_the_example(tmp_path: Path) -> None:
    """The template filled with the example's numbers gives the example's verdicts."""
    template = write_template(tmp_path)
    _, cat = load_policy("jining-carbon-peak")
    by_id = _example_values(cat)
    ws = openpyxl.load_workbook(template)["填报表"]
    names = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value]
    values = {name: by_id[cat.match(name)] for name in names if cat.match(name) in by_id}
    assert len(values) >= 25, "the example's indicators should be rows of the template"
    filled = fill(template, values=values)
    mine = json.loads(run("check", str(filled), "-f", "json").stdout)
    example = json.loads(run("check", str(Path(__file__).parents[1] / "examples" / "jining-county-pass.xlsx"),
                             "-p", "jining-carbon-peak", "-f", "json").stdout)
    assert {f["rule_id"]: f["status"] for f in mine["findings"]} == \
        {f["rule_id"]: f["status"] for f in example["findings"]}


def test_no_policy_anywhere_is_a_usage_error(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(fill(write_template(tmp_path)))
    ws = wb["填报表"]
    for r in range(1, 12):
        if ws.cell(r, 1).value == "政策编号：":
            ws.delete_rows(r)
            break
    bare = tmp_path / "bare.xlsx"
    wb.save(bare)
    r = run("check", str(bare))
    assert r.exit_code == 2 and "no policy given and the file names none" in r.stderr and r.stdout == ""
    assert "未指定政策，文件中也没有注明" in run("check", str(bare), "--lang", "zh").stderr
    assert run("check", str(bare), "--policy", "jining-carbon-peak").exit_code == 0


def test_a_file_cannot_name_a_path_as_its_policy(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(fill(write_template(tmp_path)))
    ws = wb["填报表"]
    row = next(r for r in range(1, 12) if ws.cell(r, 1).value == "政策编号：")
    ws.cell(row, 2).value = "../../policies/jining-carbon-peak.yaml"
    odd = tmp_path / "odd.xlsx"
    wb.save(odd)
    r = run("check", str(odd))
    assert r.exit_code == 3 and "not a bundled policy id" in r.stderr


def test_flag_wins_over_the_file_with_a_warning(tmp_path: Path) -> None:
    filled = fill(write_template(tmp_path))
    r = run("check", str(filled), "--policy", "lvliang-carbon-peak", "-q")
    assert "names policy 'jining-carbon-peak'; checked against lvliang-carbon-peak" in r.stderr


def test_blank_entity_is_not_taken_from_the_instructions(tmp_path: Path) -> None:
    filled = fill(write_template(tmp_path), entity=None)
    data = json.loads(run("check", str(filled), "-f", "json").stdout)
    assert data["submission"]["entity"] is None
    assert set(data["submission"]["meta"]) <= {"date", "policy", "submitter"}   # the form's own 报送类别 row
    assert data["submission"]["meta"]["submitter"] == "县(市、区)"     # as the reader normalises it


def test_template_content(tmp_path: Path) -> None:
    out = write_template(tmp_path)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["填报表", "填报说明"] and wb.active.title == "填报表"
    ws = wb["填报表"]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "指标名称")
    assert [ws.cell(header, c).value for c in range(1, 11)] == [
        "序号", "指标名称", "单位", "2020年", "2024年", "2025年", "规划目标", "目标性质", "填写提示", "备注"]
    rows = {ws.cell(r, 2).value: r for r in range(header + 1, ws.max_row + 1)}
    nf = rows["非化石能源消费比重"]
    assert ws.cell(nf, 3).value == "%" and "≥13%（2025年）" in ws.cell(nf, 7).value
    assert rows["能源消费总量"] > rows["非化石能源消费比重"]              # components listed with the indicator
    pol, cat = load_policy("jining-carbon-peak")
    assert len(rows) == len(rows_for(pol, cat, "county"))
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    dv = validations[f"D{nf}:F{nf}"]
    assert dv.type == "custom" and dv.formula1.startswith(f"OR(ISNUMBER(D{nf})") and dv.errorStyle == "warning"
    dated = next(r for name, r in rows.items() if name and cat.match(name) and cat[cat.match(name)].kind == "date")
    assert f"D{dated}:F{dated}" not in validations                       # a date: no numeric check
    text = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "济宁市碳达峰工作方案" in text and "“—”" in text and "不要填 0" in text
    assert "：" not in text                                               # never read as metadata


def test_template_is_reproducible(tmp_path: Path) -> None:
    a = write_template(tmp_path).read_bytes()
    b = write_template(tmp_path).read_bytes()
    assert a == b


def test_enterprise_template_has_a_facility_sheet(tmp_path: Path) -> None:
    out = write_template(tmp_path, "--scope", "enterprise")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["填报表", "填报说明", "设施表"]
    names = [c.value for c in wb["填报表"]["B"] if c.value]
    assert "新能源电池产能" in names and "非化石能源消费比重" not in names
    heads = [c.value for c in wb["设施表"][4] if c.value]
    assert heads[:3] == ["序号", "设施名称", "设施类型"] and "退出(关停)时间" in heads


@pytest.mark.parametrize("args,needle", [
    (["--years", "2020,abc"], "is not a list of years"),
    (["--years", "1800"], "between 1990 and 2100"),
    (["--scope", "city"], "unknown scope 'city'"),
])
def test_template_usage_errors(tmp_path: Path, args: list[str], needle: str) -> None:
    r = run("template", "-p", "jining-carbon-peak", "-o", str(tmp_path / "t.xlsx"), *args)
    assert r.exit_code == 2 and needle in r.stderr


def test_template_needs_an_xlsx_output_and_a_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = run("template", "-p", "jining-carbon-peak", "-o", str(tmp_path / "t.csv"))
    assert r.exit_code == 2 and ".xlsx" in r.stderr
    monkeypatch.chdir(tmp_path)
    r = run("template", "-o", str(tmp_path / "t.xlsx"))
    assert r.exit_code == 2 and "no policy" in r.stderr


def test_target_text_in_the_plans_terms() -> None:
    pol, _ = load_policy("jining-carbon-peak")
    rules = {r.id: r for r in pol.rules}
    assert target_text(rules["JN-ENERGY-INTENSITY-2025"]) == "比2020年下降15.6%（2025年）"
    assert target_text(rules["JN-NONFOSSIL-2025"]) == "≥13%（2025年）"
    assert default_years(pol, "county", dt.date(2026, 3, 1)) == [2005, 2020, 2024, 2025]


def test_enterprise_template_asks_what_the_enterprise_is_and_check_reads_it(tmp_path: Path) -> None:
    """The rows that declare the classes the policy's enterprise rules address (cbcheck.entclass)
    sit above the table; filled in, they decide which clauses apply."""
    wb = openpyxl.load_workbook(write_template(tmp_path, "--scope", "enterprise"))
    ws = wb["填报表"]
    labels = {ws.cell(r, 1).value: r for r in range(1, 15)}
    assert {"是否工业企业：", "是否重点行业企业：", "所属行业："} <= set(labels)
    assert labels["政策编号："] > labels["所属行业："]
    ws.cell(labels["填报单位："], 2).value = "济宁市示例水泥有限公司"
    ws.cell(labels["是否重点行业企业："], 2).value = "否"
    fac = wb["设施表"]
    heads = {fac.cell(4, c).value: c for c in range(1, fac.max_column + 1)}
    fac.cell(5, heads["设施名称"]).value = "1号熟料线"
    fac.cell(5, heads["设施类型"]).value = "水泥熟料生产线"
    filled = tmp_path / "已填报.xlsx"
    wb.save(filled)
    r = run("check", str(filled), "--format", "json", "--year", "2025")
    assert r.exit_code in (0, 1, 3), r.output          # 3: its facility rules lack capacities
    by_id = {f["rule_id"]: f for f in json.loads(r.stdout)["findings"]}
    # its own declaration beats what its cement line implies (水泥 → 建材 → 重点行业企业)
    assert by_id["JN-CARBON-BENCHMARKING"]["status"] == "NOT_APPLICABLE"
    assert "declares enterprise of a key sector: 否" in by_id["JN-CARBON-BENCHMARKING"]["message"]
    assert by_id["JN-CATL-BATTERY-PROJECT"]["status"] == "NOT_APPLICABLE"          # a cement works
    assert "cement clinker line" in by_id["JN-CATL-BATTERY-PROJECT"]["message"]
    assert by_id["JN-ENTERPRISE-EFFICIENCY-BENCHMARKING"]["status"] == "MISSING"   # 工业企业: judged
