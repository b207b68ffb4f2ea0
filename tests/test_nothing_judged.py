"""An enterprise's self-check written as an indicator table, no facility table, nothing judged: never
合规 (model.Report.nothing_judged). tests/cases/redfix-enterprise-indicator-table, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

CASE = Path(__file__).resolve().parent / "cases" / "redfix-enterprise-indicator-table"


@pytest.fixture(autouse=True)
def _in_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASE)
    monkeypatch.setenv("NO_COLOR", "1")


def run(*args: str):
    return CliRunner().invoke(app, ["check", "submission.xlsx", "--policy", "policy.yaml", *args])


def test_incomplete_exit_3_naming_the_facility_table_to_send() -> None:
    r = run("--lang", "zh")
    assert r.exit_code == 3, r.output
    text = r.stdout.replace("\n", "")
    assert ("结论：无法完整评估 — 本文件没有设施表，没有一条规则能据其判定："
            "企业自查请每个设施（机组、生产线、数据中心等）填一行，"
            "模板：cbcheck template --policy redfix-enterprise-indicator-table --scope enterprise") in text
    assert "无需整改" not in text and "请补报设施表" in text


def test_english_says_the_same() -> None:
    r = run("--lang", "en")
    assert r.exit_code == 3
    said = r.stdout.replace("\n", " ")
    assert "INCOMPLETE — the file has no facility table and no rule could be judged on it" in said


def test_a_rule_judged_on_its_indicator_table_is_a_verdict(tmp_path: Path) -> None:
    """The same table against a plan with an enterprise rule on its 综合能源消费量: that rule is judged,
    so the file has a verdict of its own (not incomplete for want of a facility table)."""
    policy = (CASE / "policy.yaml").read_text(encoding="utf-8") + """\
  - id: T-ENERGY-CAP
    title: 企业综合能源消费量不超过6000吨标准煤
    indicator: energy_consumption
    kind: at_most
    target: 6000
    unit: 吨标准煤
    target_year: 2025
    strength: binding
    scope: enterprise
    source: {section: 测试, quote: 综合能源消费量不超过6000吨标准煤}
"""
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    r = CliRunner().invoke(app, ["check", "submission.xlsx", "--policy", str(tmp_path / "policy.yaml"),
                                 "--lang", "zh", "-f", "json"])
    assert r.exit_code == 0, r.output         # 5251.66 ≤ 6000: PASS, the rest MISSING (not required)
    doc = json.loads(r.stdout)
    energy = next(f for f in doc["findings"] if f["rule_id"] == "T-ENERGY-CAP")
    assert (energy["status"], energy["observed"], doc["verdict"]) == ("PASS", 5251.66, "compliant")
