"""A direction rule in its period's last year, when the year before is not given: a 十四五 summary
table gives 2020 and 2025 only, and "“十四五”时期合理控制煤炭消费增长" (JN-COAL-CONTROL-2025:
non_increase, base 2020, target 2025) was MISSING "煤炭消费量 2024 未填报" though the file shows the
direction over the whole period. It is now judged 2025 against 2020, and the message says so.
Cases as data, the arithmetic by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

RULE = "JN-COAL-CONTROL-2025"

# (years → 煤炭消费量 万吨, reporting year, status, arithmetic, whether the whole-period note is there)
CASES = [
    ({2020: 180.2, 2025: 171.5}, 2025, "PASS", "2025: 171.5 万吨 − 2020: 180.2 万吨 = -8.7 万吨", True),
    # a rise over the period: aspirational, so WARN (not FAIL)
    ({2020: 180.2, 2025: 190}, 2025, "WARN", "2025: 190 万吨 − 2020: 180.2 万吨 = 9.8 万吨", True),
    # flat: not a rise
    ({2020: 180.2, 2025: 180.2}, 2025, "PASS", "2025: 180.2 万吨 − 2020: 180.2 万吨 = 0 万吨", True),
    # the year before is given: year on year, as always (a fall since 2020 does not hide this year's rise)
    ({2020: 200, 2024: 170, 2025: 171.5}, 2025, "WARN", "2025: 171.5 万吨 − 2024: 170 万吨 = 1.5 万吨", False),
    # an interim year is not the period's end: the year before is needed
    ({2020: 180.2, 2023: 175}, 2023, "MISSING", "", False),
]


def _csv(path: Path, values: dict[int, float]) -> None:
    years = sorted(values)
    path.write_text("填报单位：示例县\n指标名称,单位," + ",".join(f"{y}年" for y in years) + "\n"
                    + "煤炭消费量,万吨," + ",".join(str(values[y]) for y in years) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("values", "year", "status", "arithmetic", "note"), CASES)
def test_the_period_end_judges_the_whole_period_when_the_year_before_is_missing(
        tmp_path: Path, values: dict[int, float], year: int, status: str, arithmetic: str, note: bool) -> None:
    path = tmp_path / "县.csv"
    _csv(path, values)
    r = CliRunner().invoke(app, ["check", str(path), "-p", "jining-carbon-peak", "-y", str(year), "-f", "json"],
                           catch_exceptions=False)
    finding = next(f for f in json.loads(r.stdout)["findings"] if f["rule_id"] == RULE)
    assert finding["status"] == status, finding["message"]
    if arithmetic:
        assert finding["arithmetic"] == arithmetic
    assert ("judged over the whole period from 2020" in finding["message"]) is note
    if status == "MISSING":
        assert f"{year - 1}" in finding["message"]


def test_the_note_reads_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "县.csv"
    _csv(path, {2020: 180.2, 2025: 190})
    r = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["check", str(path), "-p", "jining-carbon-peak", "--lang", "zh"],
                                                  catch_exceptions=False)
    assert "2025年：比2020年变化 9.8 万吨，不符合要求" in r.stdout
    assert "（未填报2024年，按整个规划期自2020年起的变化判断）" in r.stdout
