"""Adding a check kind is one module: a registered class is picked up by the policy schema, lint,
the engine, `explain`, `policy show` and the template wording, with nothing else to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import yaml

from cbcheck.checks import KINDS, Context, Kind, Outcome, Series, register
from cbcheck.checks.base import fmt
from cbcheck.checks.kind import describe
from cbcheck.model import Rule, Status


@pytest.fixture
def not_above_previous_max() -> Iterator[Kind]:
    """A kind the project does not have: the value may not exceed the highest earlier value."""
    from cbcheck.schemas import validator

    @register
    class NotAboveMax(Kind):
        """not_above_max — the value stays at or below the highest value reported before."""

        name = "not_above_max"
        fields = frozenset({"base_year"})

        def describe(self, rule: Rule, lang: str = "en") -> str:
            return "不超过历史最高值" if lang == "zh" else "not above the earlier maximum"

        def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
            cur = series.need(ctx.year)
            top = max(v.value for y, v in series.values.items() if y < ctx.year)
            status = Status.PASS if cur.value <= top else Status.FAIL
            return Outcome(status, cur.value, top, "≤", f"{fmt(cur.value)} vs max {fmt(top)}", "", cur.location)

    validator.cache_clear()
    yield KINDS["not_above_max"]
    del KINDS["not_above_max"]
    validator.cache_clear()


def test_a_registered_kind_is_usable_everywhere(not_above_previous_max: Kind, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cbcheck.cli import app
    from cbcheck.policy import lint_file

    policy = tmp_path / "p.yaml"
    policy.write_text(yaml.safe_dump({
        "schema_version": 1, "id": "p", "title": "测试", "region": "测试市", "status": "final",
        "rules": [{"id": "T-MAX", "title": "煤炭消费量不超过历史最高值", "indicator": "coal_consumption",
                   "kind": "not_above_max", "strength": "binding", "scope": "region",
                   "source": {"section": "二", "quote": "煤炭消费量不超过历史最高值"}}]}, allow_unicode=True),
        encoding="utf-8")
    problems, _ = lint_file(policy)
    assert [p for p in problems if p.severity == "error"] == []

    bad = yaml.safe_load(policy.read_text(encoding="utf-8"))
    bad["rules"][0]["target"] = 5                      # not a field of this kind: the schema says so
    policy_bad = tmp_path / "bad.yaml"
    policy_bad.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    assert any("target is not used by not_above_max rules" in p.message for p in lint_file(policy_bad)[0])

    sub = tmp_path / "s.csv"
    sub.write_text("指标名称,单位,2023年,2024年,2025年\n煤炭消费量,万吨,1200,1250,1230\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(sub), "--policy", str(policy), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"status": "PASS"' in result.output and "1230 vs max 1250" in result.output

    explained = CliRunner().invoke(app, ["explain", "not_above_max"])
    assert "the value stays at or below the highest value reported before" in explained.output
    rule = Rule(id="T", indicator="coal_consumption", kind="not_above_max", title="t", source=None)  # type: ignore[arg-type]
    assert describe(rule, "zh") == "不超过历史最高值"


def test_a_kind_without_facility_code_names_itself_when_asked_for_it() -> None:
    """A plugin that sets ``facility = True`` but writes no facility code fails by its name; the
    duckdb path catches the SQL one and falls back to numpy (facility_rules.evaluate_facility_rule)."""
    kind = type("NoFacilityCode", (Kind,), {"name": "tk_no_facility"})()
    with pytest.raises(NotImplementedError) as judged:
        kind.judge_facilities(None, None, None)  # type: ignore[arg-type]
    assert str(judged.value) == "tk_no_facility does not judge facilities"
    with pytest.raises(NotImplementedError) as compiled:
        kind.facility_sql(None, None, None)  # type: ignore[arg-type]
    assert str(compiled.value) == "tk_no_facility does not compile facility rules"
