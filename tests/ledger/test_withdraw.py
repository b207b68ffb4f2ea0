"""``cbcheck ledger withdraw``: a file recorded by mistake is withdrawn (撤回) with a reason, never deleted;
history shows it, roll-ups and cross-year checks leave it out and say so. Both ledger backends, real
processes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from tests.ledger.conftest import county_csv
from tests.ledger.test_rollup_waivers import GDP, PARAMS, POLICY
from tests.test_terminal_process import cbcheck_cmd, process_env

JUNE_20 = "1750377600"


def cbcheck(*args: str) -> subprocess.CompletedProcess[str]:
    env = process_env(SOURCE_DATE_EPOCH=JUNE_20, NO_COLOR="1")
    return subprocess.run([*cbcheck_cmd(), *args], capture_output=True, text=True, env=env, timeout=120)


def _year(folder: Path) -> None:
    """甲区 sends its table twice: b.csv is 乙县's, mistakenly also signed 甲区 and recorded as 甲区's."""
    county_csv(folder / "a.csv", "济宁市甲区发展和改革局", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")])
    county_csv(folder / "b.csv", "济宁市乙县", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [300, 310], ""), (GDP, "亿元", [400, 480], "")])
    county_csv(folder / "wrong.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [999, 999], ""), (GDP, "亿元", [200, 260], "")],
               date="2025年6月21日")


def _recorded(tmp_path: Path, ledger: str) -> None:
    _year(tmp_path / "报送")
    proc = cbcheck("check", str(tmp_path / "报送"), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    assert proc.returncode in (0, 1), proc.stderr


def _rollup(tmp_path: Path, ledger: str) -> dict:
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger,
                   "--params", str(tmp_path / "p.yaml"), "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["rollup"]


def test_a_withdrawn_file_is_left_out_of_the_rollup_and_named(tmp_path: Path, any_ledger: str) -> None:
    _recorded(tmp_path, any_ledger)
    before = {f["year"]: f["total"] for f in _rollup(tmp_path, any_ledger)["figures"]
              if f["indicator"] == "energy_consumption"}
    assert before == {2020: 1299, 2025: 1309}               # wrong.csv, the later-dated, stood for 甲区: 999 + 300
    proc = cbcheck("ledger", "withdraw", str(tmp_path / "报送" / "wrong.csv"), "--reason", "乙县的表误署甲区",
                   "--ledger", any_ledger, "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("已撤回 编号 3 wrong.csv（济宁市甲区，2025年，jining-carbon-peak，2025-06-20 记录）")
    rolled = _rollup(tmp_path, any_ledger)
    after = {f["year"]: f["total"] for f in rolled["figures"] if f["indicator"] == "energy_consumption"}
    assert after == {2020: 400, 2025: 420}                  # a.csv for 甲区: 100 + 300, 110 + 310
    assert sorted(s["file"] for s in rolled["submissions"]) == ["a.csv", "b.csv"]
    assert "wrong.csv (济宁市甲区) was withdrawn on 2025-06-20 (乙县的表误署甲区): not added up" \
        in rolled["files_not_added"]


def test_history_shows_the_withdrawn_file_and_no_longer_uses_its_values(tmp_path: Path, any_ledger: str) -> None:
    _recorded(tmp_path, any_ledger)
    assert cbcheck("ledger", "withdraw", "3", "--reason", "误记", "--ledger", any_ledger).returncode == 0
    proc = cbcheck("history", "济宁市甲区", "--ledger", any_ledger, "-f", "json")
    hist = json.loads(proc.stdout)
    assert [s["file"] for s in hist["submissions"]] == ["a.csv"]
    assert hist["withdrawn"][0]["file"] == "wrong.csv" and hist["withdrawn"][0]["reason"] == "误记"
    assert hist["values"]["energy_consumption"]["2020"][0]["value"] == 100 and hist["restatements"] == []
    text = cbcheck("history", "济宁市甲区", "--ledger", any_ledger, "--lang", "zh").stdout
    assert "  3 | 2025 | wrong.csv | 2025-06-20 | jining-carbon-peak | 已撤回（2025-06-20：误记；原结论：" in text
    # the rows list the withdrawn file too, and the title counts it (it said 1 次 above two rows)
    assert text.splitlines()[0] == "济宁市甲区 历年报送（2 次，其中 1 次已撤回）"


def test_withdrawing_twice_keeps_the_first_reason(tmp_path: Path, any_ledger: str) -> None:
    _recorded(tmp_path, any_ledger)
    assert cbcheck("ledger", "withdraw", "#3", "--reason", "first", "--ledger", any_ledger).returncode == 0
    again = cbcheck("ledger", "withdraw", "wrong.csv", "--reason", "second", "--ledger", any_ledger)
    assert again.returncode == 0 and "already withdrawn on 2025-06-20 (first); nothing changed" in again.stdout
    # checked and recorded again: still withdrawn, and the check says so
    rec = cbcheck("check", str(tmp_path / "报送" / "wrong.csv"), "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert "withdrawn on 2025-06-20 (first); not recorded again, still not used" in rec.stderr


def test_a_withdrawal_names_one_submission_and_gives_a_reason(tmp_path: Path, any_ledger: str) -> None:
    _recorded(tmp_path, any_ledger)
    none = cbcheck("ledger", "withdraw", "nosuch.csv", "--reason", "x", "--ledger", any_ledger)
    assert none.returncode == 2 and "no recorded submission matches 'nosuch.csv'" in none.stderr
    blank = cbcheck("ledger", "withdraw", "3", "--reason", "  ", "--ledger", any_ledger)
    assert blank.returncode == 2 and "a withdrawal needs a reason" in blank.stderr
    # two recorded files of one name (2024's a.csv and 2025's): named with their numbers, nothing withdrawn
    county_csv(tmp_path / "2024" / "a.csv", "济宁市甲区", [2020, 2024],
               [("能源消费总量", "万吨标准煤", [100, 105], "")])
    assert cbcheck("check", str(tmp_path / "2024" / "a.csv"), "-p", POLICY, "--record",
                   "--ledger", any_ledger, "-q").returncode in (0, 1)
    two = cbcheck("ledger", "withdraw", "a.csv", "--reason", "x", "--ledger", any_ledger)
    assert two.returncode == 2 and "'a.csv' matches 2 recorded submissions: no. 4 a.csv (济宁市甲区, 2024" in two.stderr
    assert "no. 1 a.csv (济宁市甲区发展和改革局, 2025, jining-carbon-peak, recorded 2025-06-20)" in two.stderr
    assert "Traceback" not in two.stderr and len(two.stderr.strip().splitlines()) == 1
    one = cbcheck("ledger", "withdraw", "a.csv", "--year", "2024", "--reason", "x", "--ledger", any_ledger)
    assert one.returncode == 0 and "no. 4 a.csv" in one.stdout


def test_nothing_is_deleted(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.sqlite")
    _recorded(tmp_path, ledger)
    con = sqlite3.connect(ledger)
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("submissions", "observations")]
    con.close()
    assert cbcheck("ledger", "withdraw", "3", "--reason", "误记", "--ledger", ledger).returncode == 0
    con = sqlite3.connect(ledger)
    assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("submissions", "observations")] == counts
    assert con.execute("SELECT submission_id, reason FROM withdrawals").fetchall() == [(3, "误记")]
    con.close()


def test_cross_year_checks_no_longer_compare_with_a_withdrawn_file(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.sqlite")
    _recorded(tmp_path, ledger)
    later = county_csv(tmp_path / "later" / "a-2025-更正.csv", "济宁市甲区", [2020, 2025],
                       [("能源消费总量", "万吨标准煤", [100, 111], ""), (GDP, "亿元", [200, 260], "")])
    args = ("check", str(later), "-p", POLICY, "--ledger", ledger, "-f", "json")
    before = cbcheck(*args).stdout
    assert "wrong.csv" in before and "999" in before            # 2020: 999 in wrong.csv, 100 here: a restatement
    assert cbcheck("ledger", "withdraw", "wrong.csv", "--reason", "误记", "--ledger", ledger).returncode == 0
    assert "wrong.csv" not in cbcheck(*args).stdout
