"""``history`` as a city office reads it: a county that gave 吨标准煤 and 万元 in 2024's table and 万吨标准煤 and
亿元 in 2025's showed 1000000 → 100, a restatement the ledger itself did not find. Values are now in the
indicator's unit, named in a column; the workbook holds numbers. Real processes, both ledgers."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.ledger.conftest import county_csv
from tests.ledger.test_rollup_waivers import GDP, POLICY
from tests.ledger.test_withdraw import cbcheck


def _two_years(tmp_path: Path, ledger: str) -> None:
    county_csv(tmp_path / "2024" / "甲区-2024.csv", "济宁市甲区", [2020, 2024],
               [("能源消费总量", "吨标准煤", [1000000, 1050000], ""), (GDP, "万元", [2000000, 2400000], "")],
               date="2025年6月20日")
    county_csv(tmp_path / "2025" / "甲区-2025.csv", "济宁市甲区", [2020, 2024, 2025],
               [("能源消费总量", "万吨标准煤", [100, 106, 110], ""), (GDP, "亿元", [200, 240, 260], "")],
               date="2026年6月20日")
    for year in ("2024", "2025"):
        proc = cbcheck("check", str(tmp_path / year), "-p", POLICY, "--record", "--ledger", ledger, "-q")
        assert proc.returncode in (0, 1), proc.stderr


def test_history_shows_values_in_the_indicators_unit(tmp_path: Path, any_ledger: str) -> None:
    _two_years(tmp_path, any_ledger)
    zh = cbcheck("history", "济宁市甲区", "--ledger", any_ledger, "--lang", "zh").stdout
    assert "  指标 | 单位 | 2020 | 2024 | 2025\n" in zh
    assert "  能源消费总量 | 万吨标准煤 | 100 | 105 → 106 | 110\n" in zh     # 1050000 吨 = 105 万吨, restated 106
    assert "  地区生产总值(可比价) | 亿元 | 200 | 240 | 260\n" in zh          # 2000000 万元 = 200 亿元: no change
    assert "2024年 能源消费总量 105 → 106 万吨标准煤" in zh                   # the ledger missed it: two units
    doc = json.loads(cbcheck("history", "济宁市甲区", "--ledger", any_ledger, "-f", "json").stdout)
    (restated,) = doc["restatements"]
    assert (restated["old"], restated["old_unit"], restated["new"], restated["unit"]) == \
        (1050000, "吨标准煤", 106, "万吨标准煤")


def test_history_workbook_holds_numbers(tmp_path: Path, any_ledger: str) -> None:
    _two_years(tmp_path, any_ledger)
    proc = cbcheck("history", "济宁市甲区", "--ledger", any_ledger, "-f", "xlsx", "-o", str(tmp_path / "h.xlsx"),
                   "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(tmp_path / "h.xlsx")
    verdicts, values = (list(ws.iter_rows(values_only=True)) for ws in wb.worksheets[:2])
    assert [r[:3] for r in verdicts[1:]] == [(1, 2024, "甲区-2024.csv"), (2, 2025, "甲区-2025.csv")]
    assert values[1:] == [("能源消费总量", "万吨标准煤", 100, "105 → 106", 110),
                          ("地区生产总值(可比价)", "亿元", 200, 240, 260)]
