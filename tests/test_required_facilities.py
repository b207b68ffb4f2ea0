"""A binding facility rule left blank for a facility the file lists (cbcheck/required.py), through a
real ``cbcheck check`` process: the exit code a cron job sees and the Chinese report a plant reads.
The verdicts themselves, worked by hand, are the cases tests/cases/bindfac-*."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbcheck.checks.base import Context
from cbcheck.model import Rule, Source
from cbcheck.required import due, values_required

CASES = Path(__file__).parent / "cases"


def _check(case: str, year: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cbcheck", "check", "submission.csv", "-p", "policy.yaml",
                           "--year", str(year), "--lang", "zh", *args], cwd=CASES / case, capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


# (case, reporting year, exit code): 1 a covered facility's value blank (column absent, cell blank, 不详);
# 3 a cell nobody can read (待定) or coverage nobody can tell (no 炭化室高度); 0 an aspirational rule's
# blank, a deadline or target year still ahead.
EXITS = [("bindfac-oven-column-absent", 2025, 1), ("bindfac-oven-cell-blank", 2025, 1),
         ("bindfac-oven-written-unknown", 2025, 1), ("bindfac-oven-written-tbd", 2025, 3),
         ("bindfac-oven-height-absent", 2025, 3), ("bindfac-aspirational-blank", 2025, 0),
         ("bindfac-not-due", 2022, 0), ("bindfac-not-due-no-column", 2022, 0),
         ("bindfac-power-units", 2025, 1), ("bindfac-power-units-2024", 2024, 0),
         ("bindfac-unreadable-beside-blank", 2025, 1)]


@pytest.mark.parametrize(("case", "year", "code"), EXITS, ids=[c for c, _, _ in EXITS])
def test_exit_code_through_the_cli(case: str, year: int, code: int) -> None:
    got = _check(case, year, "--quiet")
    assert got.returncode == code, got.stdout + got.stderr


def test_the_report_says_in_chinese_why_the_file_is_not_compliant() -> None:
    out = _check("bindfac-oven-cell-blank", 2025).stdout
    assert "结论：不合规 — 1 项必报指标缺报（整改清单第 1 项）" in out
    # the oven, its cell, the column and what the clause asks, not a bare 缺报
    assert ("缺报 1号（submission.csv:2:3）：未填报：退出(关停)时间"
            "（约束性，已到期：2023-10-31前完成；缺报即不合规）") in out
    assert "整改要求：为 1 个焦炉填写退出(关停)时间（见下列设施）" in out
    assert "非必报" not in out.split("整改清单")[0]


def test_an_absent_column_is_asked_for_as_a_column() -> None:
    out = _check("bindfac-oven-column-absent", 2025).stdout
    assert "整改要求：在表中增加“退出(关停)时间”列，为 2 个焦炉填写（见下列设施）" in out
    assert "2 个焦炉未填报退出(关停)时间：约束性条款已到期，缺报即不合规" in out


def test_coverage_nobody_can_tell_is_said_and_is_not_compliant() -> None:
    out = _check("bindfac-oven-height-absent", 2025).stdout
    assert "结论：无法完整评估 — 1 项约束性设施规则无法判断是否适用：缺少判定所需属性（整改清单第 1 项）" in out
    assert "需要炭化室高度才能判断是否“炭化室高度 ≤ 4.3 米”" in out
    assert "为 2 个焦炉填写判断本条是否适用所需的属性（见下列设施）" in out


def test_a_blank_beside_an_unreadable_cell_is_named_in_the_reason() -> None:
    out = _check("bindfac-unreadable-beside-blank", 2025).stdout
    assert "结论：不合规 — 1 项必报指标缺报（整改清单第 1 项）；1 项数据无法读取（整改清单第 1 项）" in out


def test_an_aspirational_blank_stays_compliant_and_is_counted() -> None:
    out = _check("bindfac-aspirational-blank", 2025).stdout
    assert "结论：合规 — 已核查的约束性目标全部达标，必报指标均已填报；另有 1 项未填报（非必报，列于各章节）" in out


def _rule(**kw: object) -> Rule:
    base: dict[str, object] = dict(id="R", indicator="facility_retirement_date", kind="completed_by", title="t",
                                   source=Source("d", "s", "q"), scope="facility")
    return Rule(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(("rule", "year", "want"), [
    # a deadline is due in the report for its own year (as of 31 December), the day itself included
    (_rule(deadline=dt.date(2023, 10, 31)), 2022, False),
    (_rule(deadline=dt.date(2023, 10, 31)), 2023, True),
    (_rule(deadline=dt.date(2023, 12, 31)), 2023, True),
    (_rule(target_year=2025), 2024, False),                       # 2025年底前: due in the 2025 report
    (_rule(target_year=2025), 2025, True),
    (_rule(), 2021, True),                                         # an open mandate is due every year
    (_rule(kind="at_most", target=300.0, target_year=2025), 2024, False),
    (_rule(kind="at_most", target=300.0, target_year=2025), 2026, True),
    (_rule(kind="at_most", target=300.0), 2021, True),
])
def test_due(rule: Rule, year: int, want: bool) -> None:
    assert due(rule, Context(year=year)) is want


@pytest.mark.parametrize(("kw", "want"), [
    ({}, True),                                         # binding facility rule, due: required by default
    ({"required": False}, False),                       # the rule says otherwise (with its reason in notes)
    ({"strength": "aspirational"}, False),              # 力争: a miss is a warning, a blank no more
    ({"strength": "approximate"}, False),
    ({"strength": "aspirational", "required": True}, True),   # marked: always
    ({"scope": "region"}, False),                        # a county's blank stays non-blocking unless marked
    ({"scope": "region", "required": True}, True),
    ({"deadline": dt.date(2026, 6, 30)}, False),   # not due in 2025
    ({"deadline": dt.date(2026, 6, 30), "required": True}, True),
])
def test_values_required(kw: dict[str, object], want: bool) -> None:
    assert values_required(_rule(**kw), Context(year=2025)) is want


LINT_POLICY = (CASES / "bindfac-power-units" / "policy.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("notes", "strength", "flagged"), [
    ("listing is the authorities' act", "binding", True),        # an exception that does not say it is one
    ("required: false — listing is the authorities' act", "binding", False),
    ("listing is the authorities' act", "aspirational", False),   # not required by default: nothing to explain
])
def test_lint_asks_why_a_binding_facility_rule_is_not_required(tmp_path: Path, notes: str, strength: str,
                                                                flagged: bool) -> None:
    from cbcheck.policy import lint_file

    said = ("    notes: \"required: false — listing is the authorities' act; "
            "a plant's blank is listed, not held against it.\"")
    assert said in LINT_POLICY
    text = LINT_POLICY.replace(said, f'    notes: "{notes}"')
    start = text.index("  - id: BF-UNIT-LISTED")
    text = text[:start] + text[start:].replace("strength: binding", f"strength: {strength}", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    hits = [p for p in lint_file(path)[0] if p.field == "rules.4.required"]
    assert bool(hits) is flagged and all(p.severity == "error" for p in hits), hits


def test_every_bundled_exception_says_why() -> None:
    """The bundled policies' binding facility rules marked required: false, each with its reason."""
    import yaml

    from cbcheck.policy import bundled_policy_paths

    off = {r["id"]: r.get("notes", "") for p in bundled_policy_paths()
           for r in yaml.safe_load(p.read_text(encoding="utf-8"))["rules"]
           if r["scope"] == "facility" and r.get("required") is False}
    assert sorted(off) == ["JN-DATA-CENTER-SUPERVISION", "JZ-DATA-CENTRE-METERING-REVIEW",
                           "JZ-DATA-CENTRE-RENEWABLE-INCREASE", "LL-DATACENTRE-METERING-REVIEW",
                           "YC-COAL-UNIT-PHASEOUT-LISTED", "YC-POLLUTANT-OFFSET-2X", "YCH-DC-METERING-REVIEW"]
    assert all("required: false —" in notes for notes in off.values())


@pytest.mark.parametrize(("rule_id", "said"), [
    ("YC-COKE-43M-CLOSE-2023", True),             # binding facility rule: required once due
    ("YC-COAL-UNIT-PHASEOUT-LISTED", False),      # required: false, with its reason
    ("YC-LARGE-COAL-PLANT-CHP", False),           # aspirational
])
def test_explain_says_when_a_rules_values_are_required(rule_id: str, said: bool) -> None:
    out = subprocess.run([sys.executable, "-m", "cbcheck", "explain", rule_id, "--lang", "zh"], capture_output=True,
                         text=True, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}, check=True).stdout
    assert ("到期后必报：所列设施缺报即不合规（约束性设施规则）" in out) is said
