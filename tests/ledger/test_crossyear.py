"""Cross-year checks: restatements against earlier submissions, and year-on-year chains
completed from the ledger (DOMAIN.md §7)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cbcheck.cli import app
from tests.ledger.conftest import county_csv

POLICY = "jining-carbon-peak"
GDP = "地区生产总值（2020年可比价）"


def _run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})})
    return r.exit_code, r.stdout, r.stderr


def _rule(doc: dict, rule_id: str) -> dict:
    return next(f for f in doc["findings"] if f["rule_id"] == rule_id)


def test_restated_value_is_a_note_with_both_values_files_and_dates(tmp_path: Path, any_ledger: str) -> None:
    old = county_csv(tmp_path / "任城区2024年报.csv", "济宁市任城区", [2020, 2023, 2024],
                     [("能源消费总量", "万吨标准煤", [412, 428, 430], ""), (GDP, "亿元", [720, 800, 842], "")])
    new = county_csv(tmp_path / "任城区2025年报.csv", "济宁市任城区", [2020, 2023, 2024, 2025],
                     [("能源消费总量", "万吨标准煤", [412, 431, 430, 436], "2023年经济普查后修订"),
                      (GDP, "亿元", [720, 800, 842, 880], "")])
    env = {"SOURCE_DATE_EPOCH": "1750377600"}          # 2025-06-20
    code, _, err = _run("check", str(old), "-p", POLICY, "--record", "--ledger", any_ledger, "-q", env=env)
    assert code == 1, err      # non-compliant: the required 非化石能源消费比重 is not in the table
    code, out, err = _run("check", str(new), "-p", POLICY, "--ledger", any_ledger, "-f", "json", env=env)
    notes = [q for q in json.loads(out)["data_quality"] if q["check"] == "restatement"]
    assert len(notes) == 1, notes
    msg = notes[0]["message"]
    assert notes[0]["year"] == 2023 and notes[0]["indicator"] == "energy_consumption"
    assert "2023 能源消费总量 428 → 431 万吨标准煤" in msg
    assert "任城区2024年报.csv (2025-06-20" in msg and "任城区2025年报.csv (2025-06-20" in msg
    # without a ledger the same file has no such note
    code, out, _ = _run("check", str(new), "-p", POLICY, "-f", "json")
    assert not [q for q in json.loads(out)["data_quality"] if q["check"] == "restatement"]


def test_yoy_rates_of_earlier_submissions_chain_to_the_base_year(tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    rate = "单位地区生产总值能耗降低率"
    earlier = county_csv(tmp_path / "兖州区2024.csv", "济宁市兖州区", [2021, 2022, 2023, 2024],
                         [(rate, "%", [3, 3, 3, 3], "比上年")])
    latest = county_csv(tmp_path / "兖州区2025.csv", "济宁市兖州区", [2025], [(rate, "%", [4], "比上年")])
    _run("check", str(earlier), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    _, out, _ = _run("check", str(latest), "-p", POLICY, "-f", "json")
    alone = _rule(json.loads(out), "JN-ENERGY-INTENSITY-2025")
    assert alone["status"] != "FAIL" and alone["status"] != "PASS"     # the chain from 2020 is broken
    code, out, _ = _run("check", str(latest), "-p", POLICY, "--ledger", ledger, "-f", "json")
    f = _rule(json.loads(out), "JN-ENERGY-INTENSITY-2025")
    # 1 − 0.97⁴ × 0.96 = 1 − 0.88529281 × 0.96 = 0.15011890 → 15.01 % < 15.6 %
    assert f["status"] == "FAIL" and abs(f["observed"] - 15.0119) < 1e-3
    assert "chained" in f["arithmetic"] and "(1 − 3%)" in f["arithmetic"] and "(1 − 4%)" in f["arithmetic"]
    assert "兖州区2024.csv" in (f["location"] or "") + f["arithmetic"]
    assert code == 1


def test_a_restatement_reads_in_one_language(tmp_path: Path) -> None:
    """The note was English and Chinese run together (restated (数据修订); 上次报送 … gave 160, 本次 … gives 165)."""
    ledger = str(tmp_path / "ledger.sqlite")
    old = county_csv(tmp_path / "old.csv", "济宁市任城区", [2020, 2024],
                     [("能源消费总量", "万吨标准煤", [412, 430], "")])
    new = county_csv(tmp_path / "new.csv", "济宁市任城区", [2020, 2024, 2025],
                     [("能源消费总量", "万吨标准煤", [415, 430, 436], "经济普查后修订")])
    env = {"SOURCE_DATE_EPOCH": "1750377600"}          # 2025-06-20
    _run("check", str(old), "-p", POLICY, "--record", "--ledger", ledger, "-q", env=env)
    wide = {**env, "COLUMNS": "250"}
    _, zh, _ = _run("check", str(new), "-p", POLICY, "--ledger", ledger, "--lang", "zh", env=wide)
    assert "数据修订 2020年 能源消费总量 412 → 415 万吨标准煤：上次报送 old.csv（2025-06-20，old.csv:4:4）为 412，" \
           "本次 new.csv（2025-06-20，new.csv:4:4）为 415" in zh, zh
    _, en, _ = _run("check", str(new), "-p", POLICY, "--ledger", ledger, "--lang", "en", env=wide)
    assert "restated 2020 能源消费总量 412 → 415 万吨标准煤: the earlier submission old.csv " \
           "(2025-06-20, old.csv:4:4) gave 412, this one new.csv (2025-06-20, new.csv:4:4) gives 415" in en, en
    assert not {"gave", "gives", "restated"} & set(zh.split()) and "上次报送" not in en
