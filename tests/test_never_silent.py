"""Never silent on an enterprise's sheet: every recognised row is judged by a rule or listed in
the reading notes with why not (cbcheck.unused), in every format and both languages.

The sheets under tests/enterprise_sheets/ are written the way an enterprise writes them (a GBK
CSV exported from WPS, a 能源利用状况报告 layout, 是否… rows answered 是/否); what each bundled
policy does with each row is data (expected.yaml), worked out from the policies by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.engine import evaluate
from cbcheck.i18n.message import Msg
from cbcheck.model import Status
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.readnote import ReadNote

SHEETS = Path(__file__).parent / "enterprise_sheets"
EXPECTED = yaml.safe_load((SHEETS / "expected.yaml").read_text(encoding="utf-8"))
CASES = [(sheet, pid, ind, exp) for sheet, by_policy in EXPECTED.items() for pid, rows in by_policy.items()
         for ind, exp in rows.items()]


def _report(sheet: str, policy: str, path: Path | None = None):  # type: ignore[no-untyped-def]
    pol, cat = load_policy(policy if path is None else str(path))
    return evaluate(pol, cat, read_submission(SHEETS / sheet, cat))


def _unused(report) -> dict[str, ReadNote]:  # type: ignore[no-untyped-def]
    """value_unused notes by indicator name in Chinese (the note names the indicator as the catalogue
    does: a Word, whose plain str is its English)."""
    return {n.params["label"].text("zh") if isinstance(n.params["label"], Msg) else n.params["label"]: n
            for n in report.submission.notes if isinstance(n, ReadNote) and n.kind == "value_unused"}


@pytest.mark.parametrize(("sheet", "policy", "indicator", "exp"), CASES,
                         ids=[f"{s}-{p}-{i}" for s, p, i, _ in CASES])
def test_each_row_is_judged_or_listed_with_its_reason(sheet: str, policy: str, indicator: str, exp: dict) -> None:
    report = _report(sheet, policy)
    cat_name = load_policy(policy)[1][indicator].name
    assert indicator in {o.indicator for o in report.submission.observations}, "the row was not recognised"
    unused = _unused(report)
    if "judged" in exp:
        finding = next(f for f in report.findings if f.rule_id == exp["judged"])
        assert (finding.indicator, finding.status.value) == (indicator, exp["status"])
        assert cat_name not in unused
    else:
        note = unused[cat_name]
        assert note.key == exp["unused"]
        if "rules" in exp:
            assert exp["rules"] in str(note.params["rules"])


def test_the_row_the_user_found_missing_is_in_every_format_and_language(tmp_path: Path) -> None:
    """单位产品综合能耗 on the coking plant's sheet, which no Yuncheng rule reads: text (zh, en) and
    JSON name its row and say why."""
    path = str(SHEETS / "coking-energy-report-gbk.csv")
    zh = CliRunner().invoke(app, ["check", path, "-p", "yuncheng-energy-saving-14fyp", "--lang", "zh"],
                            env={"NO_COLOR": "1", "COLUMNS": "300"})
    assert zh.exit_code == 0, zh.output
    assert "已读取、未判定的数值" in zh.output
    assert "coking-energy-report-gbk.csv:7:4、coking-energy-report-gbk.csv:7:5：“单位产品能耗”（2024、2025）已读取；" \
           "本规划没有规则使用此指标，未作判定" in zh.output
    en = CliRunner().invoke(app, ["check", path, "-p", "yuncheng-energy-saving-14fyp", "--lang", "en"],
                            env={"NO_COLOR": "1", "COLUMNS": "300"})
    assert "no rule of this plan uses this indicator, not judged" in en.output
    js = CliRunner().invoke(app, ["check", path, "-p", "yuncheng-energy-saving-14fyp", "--format", "json"])
    notes = [n for n in json.loads(js.stdout)["reading"] if n["kind"] == "value_unused"]
    assert [n["key"] for n in notes] == ["read.unused_not_applicable", "read.unused_no_rule",
                                         "read.unused_no_rule", "read.unused_no_rule"]


NOT_DUE_POLICY = """\
schema_version: 1
id: t-not-due
title: 测试方案
region: 运城市
status: final
rules:
  - id: T-PRODUCT-ENERGY-2030
    title: 到2030年单位产品综合能耗不高于100千克标准煤/吨
    indicator: product_energy_per_unit
    kind: at_most
    target: 100
    unit: 千克标准煤/吨
    target_year: 2030
    strength: binding
    scope: enterprise
    source: {section: 三, quote: 到2030年单位产品综合能耗不高于100千克标准煤/吨}
"""


def test_a_row_read_only_by_a_rule_not_yet_due_says_so(tmp_path: Path) -> None:
    """A 2030 ceiling with no base year to draw a path from: NOT_DUE in 2025, and the row says
    the rule that reads it is due in 2030."""
    policy = tmp_path / "t.yaml"
    policy.write_text(NOT_DUE_POLICY, encoding="utf-8")
    report = _report("coking-energy-report-gbk.csv", "", policy)
    assert [f.status for f in report.findings] == [Status.NOT_DUE]
    note = _unused(report)["单位产品能耗"]
    assert note.key == "read.unused_not_due"
    assert note.text("zh").endswith("“单位产品能耗”（2024、2025）已读取；使用它的规则 T-PRODUCT-ENERGY-2030 "
                                    "目标年为 2030，本年度尚未到期，未作判定")


def test_a_rule_that_reads_a_component_uses_the_row() -> None:
    """能源消费总量 on a county's file is read by the intensity rules (as a component): not listed."""
    pol, cat = load_policy("jining-carbon-peak")
    examples = Path(__file__).parents[1] / "examples"
    report = evaluate(pol, cat, read_submission(examples / "jining-county-pass.xlsx", cat))
    assert "能源消费总量" not in _unused(report)


@pytest.mark.parametrize(("example", "policy", "column", "key", "location"), [
    # the clinker line's energy: Yuncheng has a rule on it, Jining none
    ("jining-cement-works.xlsx", "jining-carbon-peak", "可比熟料综合能耗", "read.unused_column_no_rule",
     "熟料生产线!D3"),
    # 蒸汽参数 decides Jining's coal-power clauses; no Yuncheng rule asks for it
    ("yuncheng-power-plant.xlsx", "yuncheng-energy-saving-14fyp", "蒸汽参数", "read.unused_column_no_rule", "机组!D3"),
    # a coke oven's 产能 is read only by the coal-power rules' conditions, and there are no power units
    ("yuncheng-coking-plant.xlsx", "yuncheng-energy-saving-14fyp", "容量", "read.unused_column_not_applicable",
     "焦炉!D3"),
])
def test_a_facility_column_no_rule_reads_is_listed(example: str, policy: str, column: str, key: str,
                                                   location: str) -> None:
    pol, cat = load_policy(policy)
    path = Path(__file__).parents[1] / "examples" / "enterprise" / example
    report = evaluate(pol, cat, read_submission(path, cat))
    notes = _unused(report)
    assert (notes[column].key, notes[column].params["location"]) == (key, location)


def test_a_column_a_judged_rule_reads_is_not_listed() -> None:
    """The coke ovens' 炭化室高度 decides which ovens the 4.3 m closure covers: read, not listed."""
    pol, cat = load_policy("yuncheng-energy-saving-14fyp")
    path = Path(__file__).parents[1] / "examples" / "enterprise" / "yuncheng-coking-plant.xlsx"
    report = evaluate(pol, cat, read_submission(path, cat))
    assert set(_unused(report)) == {"容量"}


def _cement_works_book(path: Path) -> Path:
    """A cement works' 能源利用状况报告 typed in WPS: a merged title, 填报单位（盖章）, numbers typed
    as text with thousands separators, the product in brackets after 单位产品综合能耗, 是/否 answers,
    a blank row and a signature footer."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["重点用能单位能源利用状况报告表"])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位（盖章）：XX水泥有限公司", None, None, "报告年度：2025年"])
    ws.append(["是否重点用能单位：是"])
    ws.append(["序号", "指标名称", "计量单位", "2024年", "2025年", "备注"])
    ws.append(["1", "综合能源消费量", "吨标准煤", "352,100", "348,600", None])
    ws.append(["2", "单位产品综合能耗（熟料）", "千克标准煤/吨", 108.2, 106.9, "可比熟料"])
    ws.append(["3", "是否开展节能诊断", None, "否", "是", None])
    ws.append([])
    ws.append(["单位负责人：李某", None, "填表人：王某", None, "联系电话：0359-7654321"])
    wb.save(path)
    return path


def test_a_cement_works_wps_sheet_is_read_whole(tmp_path: Path) -> None:
    pol, cat = load_policy("yuncheng-energy-saving-14fyp")
    sub = read_submission(_cement_works_book(tmp_path / "水泥厂能源利用状况报告.xlsx"), cat)
    assert sub.scope == "enterprise" and sub.unmatched == ()
    by_ind = {(o.indicator, o.year): o.value for o in sub.observations}
    assert by_ind[("energy_consumption", 2025)] == 348600
    assert by_ind[("clinker_energy_per_tonne", 2025)] == 106.9
    report = evaluate(pol, cat, sub)
    unused = _unused(report)
    # Yuncheng's 110 kgce/t clause is judged line by line on a 熟料生产线 table; this sheet has none
    assert unused["可比熟料综合能耗"].key == "read.unused_not_applicable"
    assert "YC-CLINKER-110" in str(unused["可比熟料综合能耗"].params["rules"])
    assert unused["节能诊断完成日期"].key == "read.unused_no_rule"
    assert any(isinstance(n, ReadNote) and n.key == "read.class_from_name" and n.params["set"].text("zh") == "水泥企业"
               for n in report.submission.notes)
