"""``--year Y`` when the file has no data for Y: a usage error (exit 2) naming the years the
file has, never a report that calls nothing "compliant"; facility files keep their 报告年度."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
COUNTY = "examples/jining-county-pass.xlsx"          # data for 2020, 2024 and 2025
FACILITIES = "examples/enterprise/yuncheng-power-plant.xlsx"   # 报告年度：2025, no indicator years


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_year_with_data_is_checked() -> None:
    r = run("check", COUNTY, "--policy", "jining-carbon-peak", "--year", "2024", "-q")
    assert r.exit_code == 0, r.stderr          # the pass example: only warnings in 2024


@pytest.mark.parametrize("year", ["2023", "2026", "2019"])
def test_year_without_data_is_a_usage_error(year: str) -> None:
    r = run("check", COUNTY, "--policy", "jining-carbon-peak", "--year", year)
    assert r.exit_code == 2
    assert f"the file has no data for {year}; it has 2020, 2024, 2025" in r.stderr
    assert COUNTY in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""                       # no report: nothing was judged


def test_year_message_in_chinese() -> None:
    r = run("check", COUNTY, "--policy", "jining-carbon-peak", "--year", "2023", "--lang", "zh")
    assert r.exit_code == 2 and "文件中没有 2023 年的数据；文件中有 2020、2024、2025 年" in r.stderr


def test_in_a_batch_each_such_file_is_a_usage_error() -> None:
    r = run("check", COUNTY, "examples/jining-county-fail.xlsx", "--policy", "jining-carbon-peak", "--year", "2023",
            "--format", "json")
    assert r.exit_code == 2
    assert r.stderr.count("the file has no data for 2023") == 2


def test_facility_file_takes_its_year_from_the_report_year_row() -> None:
    policy = "yuncheng-energy-saving-14fyp"
    # the plant misses four facility rules (examples/enterprise/examples.yaml: exit 1), judged in 2025 either way
    assert run("check", FACILITIES, "--policy", policy, "-q").exit_code == 1
    assert run("check", FACILITIES, "--policy", policy, "--year", "2025", "-q").exit_code == 1
    r = run("check", FACILITIES, "--policy", policy, "--year", "2024")
    assert r.exit_code == 2 and "it has 2025" in r.stderr


def test_facility_file_without_report_year_takes_the_option(tmp_path: Path) -> None:
    src = ROOT / "tests/cases/facility-rules"
    r = run("check", str(src / "submission.csv"), "--policy", str(src / "policy.yaml"), "--year", "2025", "-q")
    assert r.exit_code == 1, r.stderr          # the case's verdict: non-compliant
