"""A waiver is judged at the date the submission was made, not the date cbcheck runs: a waiver approved
until 2025-06-30 covers a file dated 2025-06-30 (the expiry day) and not one dated 2025-07-01 (the day
after), whenever the check runs. Real processes, the run date fixed by SOURCE_DATE_EPOCH; dates by hand."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from cbcheck.waivers import judged_on
from tests.ledger.conftest import county_csv
from tests.ledger.test_rollup_waivers import GDP, POLICY, WAIVERS
from tests.test_terminal_process import cbcheck_cmd, process_env

JUNE_30, JULY_1, SEPT_15_2026 = "1751241600", "1751328000", "1789430400"     # 00:00 UTC of each day
RULE = "JN-ENERGY-INTENSITY-2025"


def cbcheck(*args: str, run_on: str = SEPT_15_2026) -> subprocess.CompletedProcess[str]:
    env = process_env(SOURCE_DATE_EPOCH=run_on, NO_COLOR="1")
    return subprocess.run([*cbcheck_cmd(), *args], capture_output=True, text=True, env=env, timeout=120)


def _county(path: Path, entity: str, energy: list[int], gdp: list[int], date: str) -> Path:
    return county_csv(path, entity, [2020, 2025], [("能源消费总量", "万吨标准煤", energy, ""),
                                                   (GDP, "亿元", gdp, "")], date=date)


def _yixian(tmp_path: Path, date: str) -> Path:
    # 乙县: (310/480)/(300/400) = 0.861111 → 13.89 % < 15.6 %: FAIL without the waiver
    return _county(tmp_path / "b.csv", "济宁市乙县", [300, 310], [400, 480], date)


def _waivers(tmp_path: Path, entity: str = "济宁市乙县", expires: str = "2025-06-30") -> str:
    path = tmp_path / "w.yaml"
    path.write_text(WAIVERS.format(expires=expires).replace("济宁市乙县", entity), encoding="utf-8")
    return str(path)


def _finding(proc: subprocess.CompletedProcess[str]) -> dict:
    assert proc.returncode in (0, 1), proc.stderr
    return next(f for f in json.loads(proc.stdout)["findings"] if f["rule_id"] == RULE)


@pytest.mark.parametrize("stated, run_on, status, said", [
    # the expiry day is covered, the day after is not — checked long after either
    ("2025年6月30日", SEPT_15_2026, "WAIVED", "judged at the 填报日期 2025-06-30"),
    ("2025年7月1日", SEPT_15_2026, "FAIL", "expired on 2025-06-30, judged at the 填报日期 2025-07-01"),
    # a 填报日期 after the run date cannot be when it was submitted: the run date, said so
    ("2027年1月1日", JUNE_30, "WAIVED", "judged at today's date 2025-06-30: its 填报日期 2027-01-01 is later"),
    ("2027年1月1日", JULY_1, "FAIL", "judged at today's date 2025-07-01: its 填报日期 2027-01-01 is later"),
    # no date at all: the run date, said so
    ("", JUNE_30, "WAIVED", "judged at today's date 2025-06-30: the file states no 填报日期"),
    ("", JULY_1, "FAIL", "judged at today's date 2025-07-01: the file states no 填报日期"),
])
def test_check_judges_a_waiver_at_the_files_date(tmp_path: Path, stated: str, run_on: str, status: str,
                                                  said: str) -> None:
    proc = cbcheck("check", str(_yixian(tmp_path, stated)), "-p", POLICY, "--waivers", _waivers(tmp_path),
                   "-f", "json", run_on=run_on)
    f = _finding(proc)
    assert f["status"] == status and said in f["message"]


def test_a_past_verdict_is_the_same_in_march_and_in_september(tmp_path: Path) -> None:
    file, waivers = _yixian(tmp_path, "2025年6月20日"), _waivers(tmp_path)
    args = ("check", str(file), "-p", POLICY, "--waivers", waivers, "-f", "json")
    september = _finding(cbcheck(*args, run_on=SEPT_15_2026))       # before: FAIL, "expired on 2025-06-30"
    assert _finding(cbcheck(*args, run_on=JUNE_30)) == september and september["status"] == "WAIVED"


def test_as_of_overrides_the_files_date(tmp_path: Path) -> None:
    args = ("check", str(_yixian(tmp_path, "2025年6月30日")), "-p", POLICY, "--waivers", _waivers(tmp_path),
            "-f", "json")
    f = _finding(cbcheck(*args, "--as-of", "2025-07-01"))
    assert f["status"] == "FAIL" and "judged at 2025-07-01, as --as-of says" in f["message"]
    assert _finding(cbcheck(*args, "--as-of", "2025-06-30"))["status"] == "WAIVED"
    bad = cbcheck(*args, "--as-of", "2025-06-31", "--lang", "zh")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "cbcheck：错误：--as-of：'2025-06-31' 不是日期；请写成 年-月-日，如 2026-06-30"]


def _city(tmp_path: Path, a_date: str, b_date: str) -> Path:
    folder = tmp_path / "报送"
    # city: (110+310)/(260+480) over (100+300)/(200+400) = 0.567568/0.666667 → 14.86 % < 15.6 %: FAIL
    _county(folder / "a.csv", "济宁市甲区", [100, 110], [200, 260], a_date)
    _county(folder / "b.csv", "济宁市乙县", [300, 310], [400, 480], b_date)
    return folder


@pytest.mark.parametrize("b_date, status", [("2025年6月30日", "WAIVED"), ("2025年7月1日", "FAIL")])
def test_a_rollup_is_judged_at_its_latest_county_file(tmp_path: Path, b_date: str, status: str) -> None:
    folder = _city(tmp_path, "2025年6月29日", b_date)
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", str(folder), "--waivers", _waivers(tmp_path, "济宁市"),
                   "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    f = next(f for f in json.loads(proc.stdout)["report"]["findings"] if f["rule_id"] == RULE)
    latest = "2025-06-30" if status == "WAIVED" else "2025-07-01"
    assert f["status"] == status
    assert f"judged at the 填报日期 {latest}, the latest of the counties' files: b.csv" in f["message"]


def test_a_rollup_from_the_ledger_uses_the_recorded_day_of_an_undated_file(tmp_path: Path) -> None:
    folder, ledger = _city(tmp_path, "2025年6月29日", ""), str(tmp_path / "l.sqlite")
    # recorded on 2025-06-30 (within the waiver), rolled up in September 2026
    assert cbcheck("check", str(folder), "-p", POLICY, "--record", "--ledger", ledger, "-q",
                   run_on=JUNE_30).returncode in (0, 1)
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger,
                   "--waivers", _waivers(tmp_path, "济宁市"), "-f", "json")
    f = next(f for f in json.loads(proc.stdout)["report"]["findings"] if f["rule_id"] == RULE)
    assert f["status"] == "WAIVED", proc.stderr
    assert ("judged at 2025-06-30, when the ledger recorded the file, which states no 填报日期, "
            "the latest of the counties' files: b.csv") in f["message"]


def test_check_with_the_ledger_judges_an_undated_file_at_the_day_it_was_recorded(tmp_path: Path) -> None:
    file, ledger = _yixian(tmp_path, ""), str(tmp_path / "l.sqlite")
    args = ("check", str(file), "-p", POLICY, "--waivers", _waivers(tmp_path), "-f", "json")
    first = _finding(cbcheck(*args, "--record", "--ledger", ledger, run_on=JUNE_30))
    assert first["status"] == "WAIVED" and "judged at today's date 2025-06-30" in first["message"]
    again = _finding(cbcheck(*args, "--ledger", ledger))                     # September 2026, same file
    assert again["status"] == "WAIVED"
    assert "judged at 2025-06-30, when the ledger recorded the file, which states no 填报日期" in again["message"]
    assert _finding(cbcheck(*args))["status"] == "FAIL"          # without the ledger nothing says when it came


@pytest.mark.parametrize("stated, recorded, as_of, run, want", [
    ("2025-06-30", None, None, "2026-09-15", "2025-06-30"),
    ("2025-07-01", dt.date(2025, 6, 1), None, "2026-09-15", "2025-07-01"),     # the file's own date first
    (None, dt.date(2025, 6, 1), None, "2026-09-15", "2025-06-01"),
    ("6月底", None, None, "2026-09-15", "2026-09-15"),                           # not a date: today
    ("2026-09-16", None, None, "2026-09-15", "2026-09-15"),                     # the day after today
    ("2026-09-15", None, None, "2026-09-15", "2026-09-15"),
    ("2025-06-30", None, dt.date(2024, 1, 1), "2026-09-15", "2024-01-01"),
])
def test_the_date_a_waiver_is_judged_at(stated: str | None, recorded: dt.date | None, as_of: dt.date | None,
                                        run: str, want: str) -> None:
    got = judged_on(stated, as_of, recorded, dt.date.fromisoformat(run))
    assert got.date.isoformat() == want
