"""The year judged against the year the file says it reports (cbcheck.engine._year_said), through the
CLI: a county table titled 2025 whose columns are 2020年 | 2024年 | 2025年目标
(tests/cases/redfix-title-year-without-column)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

CASE = Path(__file__).resolve().parent / "cases" / "redfix-title-year-without-column"


@pytest.fixture(autouse=True)
def _in_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASE)
    monkeypatch.setenv("NO_COLOR", "1")


def flat(text: str) -> str:
    """The report without its white space: the text renderer folds lines and indents them, and may
    fold where a space was."""
    return re.sub(r"\s", "", text)


def run(*args: str):
    return CliRunner().invoke(app, ["check", "submission.xlsx", "--policy", "policy.yaml", *args])


def test_the_verdict_line_says_which_year_first() -> None:
    r = run("--lang", "zh")
    assert r.exit_code == 0, r.output
    verdict = next(line for line in r.stdout.splitlines() if line.startswith("结论："))
    assert verdict.startswith("结论：合规 — 本报告核查的是 2024 年"
                              "（标题写的是 2025 年，表中没有 2025 年的数值）；"), verdict
    said = "标题“济宁市某县2025年能耗双控指标完成情况表”写的是 2025 年，表中却没有 2025 年的数值"
    assert flat(said) in flat(r.stdout)


def test_json_and_english_say_it_too() -> None:
    doc = json.loads(run("--lang", "en", "-f", "json").stdout)
    assert doc["submission"]["year"] == 2024 and "year_from_title" not in doc["submission"]["meta"]
    said = [n["message"] for n in doc["reading"] if n["key"] == "read.year_said_absent"]
    assert said and said[0].startswith("the title “济宁市某县2025年能耗双控指标完成情况表” says 2025, but the table "
                                       "has no values for 2025"), said
    text = run("--lang", "en").stdout.replace("\n", " ")
    assert "this report judges 2024 (the title says 2025; the table has no values for 2025)" in text, text


def test_year_said_gives_its_values_missing_not_the_year_before() -> None:
    """--year 2025 was a usage error (no 2025 column); the file says it reports 2025: its values are
    MISSING, never 2024's, and the reason says nothing of another year."""
    r = run("--year", "2025", "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    got = {f["rule_id"]: (f["status"], f["location"], f["observed"]) for f in doc["findings"]}
    assert got == {"T-NF-2025": ("MISSING", None, None), "T-COAL-POWER-2025": ("MISSING", None, None)}
    assert "本报告核查的是" not in run("--year", "2025", "--lang", "zh").stdout


def test_a_year_neither_said_nor_filled_is_still_a_usage_error() -> None:
    r = run("--year", "2023", "--lang", "zh")
    assert r.exit_code == 2
    assert "文件中有 2020、2024 年" in r.output


def test_a_title_year_behind_the_columns_is_said_too(tmp_path: Path) -> None:
    """Titled 2024 with a 2025 column filled in: judged on 2025 (the latest with values), the reason
    saying the title says 2024; --year 2024 judges the title's year on its own values."""
    import openpyxl

    wb = openpyxl.Workbook()
    for row in (["济宁市某县2024年能耗双控指标完成情况表"], ["填报单位：某县发展和改革局"],
                ["序号", "指标名称", "单位", "2020年", "2024年", "2025年"],
                [1, "非化石能源消费比重", "%", 8.2, 11.6, 12.4]):
        wb.active.append(row)
    wb.save(tmp_path / "behind.xlsx")
    r = CliRunner().invoke(app, ["check", str(tmp_path / "behind.xlsx"), "--policy", "policy.yaml", "--lang", "zh"])
    text = flat(r.stdout)
    assert r.exit_code == 0 and flat("结论：合规 — 本报告核查的是 2025 年（标题写的是 2024 年）；") in text, r.output
    assert flat("本报告按有数值的最近一年 2025 年核查；如要核查 2024 年，请加 --year 2024") in text
    doc = json.loads(CliRunner().invoke(app, ["check", str(tmp_path / "behind.xlsx"), "--policy", "policy.yaml",
                                              "--year", "2024", "-f", "json"]).stdout)
    got = {f["rule_id"]: (f["status"], f["observed"]) for f in doc["findings"]}
    assert got["T-NF-2025"] == ("PASS", 11.6)
