"""Lint is exactly as strict as the check kinds (issue 11): each case is a rule the kinds cannot judge,
and `policy lint` must name the field, where the old lint said "ok" or `check` crashed with exit 4."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.policy import lint_file

BASE = {"id": "R-1", "title": "t", "indicator": "energy_intensity", "strength": "binding", "scope": "region",
        "source": {"section": "二", "quote": "单位地区生产总值能耗比2020年下降15.6%"}}
CASES = {   # name: (rule fields over BASE, field path in the error, words in the message)
    "reduction with a cagr mode": ({"kind": "reduction_vs_base", "target": 15.6, "base_year": 2020,
                                    "target_year": 2025, "mode": "cagr"}, "rules.0.mode", "'cagr' is not one of"),
    "at_least with a comparator": ({"kind": "at_least", "target": 13, "comparator": "at_most"},
                                   "rules.0.comparator", "comparator is not used by at_least rules (they take: "),
    "annual deadline 13-45": ({"kind": "completed_by", "indicator": "annual_carbon_peak_assessment_done",
                               "annual_deadline": "13-45"}, "rules.0.annual_deadline", "not a real month-day"),
    "deadline 2025-02-30": ({"kind": "completed_by", "indicator": "annual_carbon_peak_assessment_done",
                             "deadline": "2025-02-30", "target_year": 2025}, "rules.0.deadline", "not a real date"),
    "a condition with no operator": ({"kind": "at_most", "indicator": "coal_power_supply_coal_consumption",
                                      "target": 300, "scope": "facility",
                                      "applies_to": {"facility_type": "coal_power_unit",
                                                     "where": [{"attribute": "capacity"}]}},
                                     "rules.0.applies_to.where.0", "needs one of: in, equals, min, max"),
    "growth on facility rows": ({"kind": "growth", "mode": "yoy", "target": 5, "scope": "facility",
                                 "applies_to": {"facility_type": "coal_power_unit"}},
                                "rules.0.kind", "growth rules cannot judge facility rows"),
    "between without max": ({"kind": "between", "min": 1}, "rules.0", "'max' is a required property"),
    "direction with a percent mode": ({"kind": "direction", "mode": "percent"}, "rules.0.mode", "is not one of"),
    "unknown kind": ({"kind": "at_leest", "target": 1}, "rules.0.kind", "is not one of"),
}


def _policy(tmp_path: Path, rule: dict) -> Path:
    path = tmp_path / "p.yaml"
    doc = {"schema_version": 1, "id": "p", "title": "测试", "region": "测试市", "status": "final",
           "rules": [{**BASE, **rule}]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", CASES)
def test_lint_names_the_field(name: str, tmp_path: Path) -> None:
    rule, field, words = CASES[name]
    problems, _ = lint_file(_policy(tmp_path, rule))
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.field == field and words in p.message for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize("name", ["annual deadline 13-45", "deadline 2025-02-30", "a condition with no operator"])
def test_check_with_such_a_policy_is_a_policy_error_not_a_crash(name: str, tmp_path: Path) -> None:
    policy = _policy(tmp_path, CASES[name][0])
    sub = tmp_path / "s.csv"
    sub.write_text("指标名称,单位,2025年\n单位地区生产总值能耗,吨标准煤/万元,0.5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(sub), "--policy", str(policy)])
    assert result.exit_code == 3, result.output
    assert "policy is invalid" in result.output


def test_every_kind_has_its_schema_part_and_docs() -> None:
    from cbcheck.checks import KINDS
    from cbcheck.schemas import load_schema

    rule = load_schema("policy")["$defs"]["rule"]
    assert rule["properties"]["kind"]["enum"] == sorted(KINDS)
    assert {part["if"]["properties"]["kind"]["const"] for part in rule["allOf"]} == set(KINDS)
    for kind in KINDS.values():
        assert kind.doc.startswith(kind.name + " — "), kind.name
