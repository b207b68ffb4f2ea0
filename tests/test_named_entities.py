"""A clause the plan sets for named counties (``entities``: 兖州区3.2万千瓦生活垃圾焚烧发电项目) is judged on
those counties' files and NOT_APPLICABLE on every other county's; the city's own file and a file that
names no county are judged as before (nothing says the clause is not theirs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cbcheck.engine import evaluate
from cbcheck.model import Status
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

POLICY = """\
schema_version: 1
id: named-entities
title: 测试市碳达峰工作方案
region: 测试市
status: final
period: "2021-2025"
rules:
  - id: T-YANZHOU-WTE
    title: 兖州区3.2万千瓦生活垃圾焚烧发电项目
    indicator: waste_incineration_power_capacity
    kind: at_least
    target: 3.2
    unit: 万千瓦
    target_year: 2025
    strength: aspirational
    scope: county
    entities: [兖州区]
    source: {section: 专栏1, quote: 兖州区3.2万千瓦生活垃圾焚烧发电项目}
  - id: T-SOLAR
    title: 光伏发电装机达到100万千瓦
    indicator: solar_power_capacity
    kind: at_least
    target: 100
    unit: 万千瓦
    target_year: 2025
    strength: binding
    scope: county
    source: {section: 三, quote: 光伏发电装机达到100万千瓦}
"""


def _status(tmp_path: Path, signer: str | None) -> tuple[Status, str]:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    head = f"填报单位：{signer}\n" if signer else ""
    path = tmp_path / "county.csv"
    path.write_text(head + "指标名称,单位,2025年\n生活垃圾焚烧发电装机容量,万千瓦,2.0\n光伏发电装机容量,万千瓦,120\n",
                    encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    report = evaluate(policy, cat, read_submission(path, cat), year=2025)
    found = next(f for f in report.findings if f.rule_id == "T-YANZHOU-WTE")
    solar = next(f for f in report.findings if f.rule_id == "T-SOLAR")
    assert solar.status is Status.PASS            # a clause with no entities is everyone's, as before
    return found.status, found.message.text("zh") if hasattr(found.message, "text") else str(found.message)


@pytest.mark.parametrize(("signer", "status"), [
    ("济宁市兖州区", Status.WARN),                 # 2.0 < 3.2, aspirational: the named county is judged
    ("兖州区发展和改革局", Status.WARN),           # signed by its office: the same county
    ("济宁市任城区", Status.NOT_APPLICABLE),       # another county: not its clause
    ("任城区发展和改革局", Status.NOT_APPLICABLE),
    (None, Status.WARN),                           # nobody named: cannot tell, judged
])
def test_a_clause_for_named_counties(tmp_path: Path, signer: str | None, status: Status) -> None:
    got, message = _status(tmp_path, signer)
    assert got is status
    if status is Status.NOT_APPLICABLE:
        assert message == "规划仅对兖州区提出此项要求，不适用于本县（市、区）"


@pytest.mark.parametrize(("named", "signer", "status"), [
    ("文水", "吕梁市文水县", Status.WARN),           # the plan's short name (文水、方山) is the county
    ("文水", "文水县发展和改革局", Status.WARN),
    ("文水", "吕梁市文水乡", Status.NOT_APPLICABLE),  # only 县/区/市/旗 is taken off, never other words
    ("文水", "吕梁市中阳县", Status.NOT_APPLICABLE),
])
def test_a_county_named_short(tmp_path: Path, named: str, signer: str, status: Status,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "POLICY", POLICY.replace("兖州区", named))
    got, _ = _status(tmp_path, signer)
    assert got is status


def test_the_city_file_is_judged(tmp_path: Path) -> None:
    got, _ = _status(tmp_path, "测试市")
    assert got is Status.WARN


@pytest.mark.parametrize(("change", "problem"), [
    ({"entities": ["兖州区"]}, None),
    ({"entities": ["任城区"]}, "entities 中的“任城区”不在原文或章节中"),     # a county the quote does not name
    ({"entities": ["兖州区"], "scope": "region"}, None),
    ({"entities": ["兖州区"], "scope": "enterprise"}, "规则的 scope 必须是 county 或 region"),
])
def test_lint_holds_entities_to_the_quote(tmp_path: Path, change: dict[str, object], problem: str | None) -> None:
    import yaml

    from cbcheck.policy import lint_file

    data = yaml.safe_load(POLICY)
    data["rules"][0].update(change)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems, _ = lint_file(path)
    said = [p.message.text("zh") if hasattr(p.message, "text") else str(p.message) for p in problems
            if "entities" in p.field]
    if problem is None:
        assert said == []
    else:
        assert len(said) == 1 and problem in said[0]
