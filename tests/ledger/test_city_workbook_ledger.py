"""``check --record`` on a city workbook with a sheet per county (tests/citybook.py), SQLite and PostgreSQL:
one record per county's sheet, named 全市.xlsx!任城区 as ``rollup`` names it, none twice whichever way a sheet
was first recorded; the 汇总 sheet never recorded nor added."""

from __future__ import annotations

import json
from pathlib import Path

from tests.citybook import city_book
from tests.ledger.test_withdraw import cbcheck

POLICY = "jining-carbon-peak"


def _said(stderr: str, what: str) -> list[str]:
    return [line.split(": ", 1)[1].split(" (id")[0] for line in stderr.splitlines() if what in line]


def test_each_county_sheet_is_one_record(tmp_path: Path, any_ledger: str) -> None:
    book = city_book(tmp_path / "全市.xlsx")
    # 任城区 first on its own (--sheet, under the file's own key), then the nightly run over the workbook
    alone = cbcheck("check", str(book), "--sheet", "任城区", "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert alone.returncode == 1 and _said(alone.stderr, "recorded in") == ["全市.xlsx"]
    night = cbcheck("check", str(book), "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert night.returncode == 1, night.stderr
    assert _said(night.stderr, "already in") == ["全市.xlsx"]                   # 任城区, as --sheet recorded it
    assert _said(night.stderr, "recorded in") == ["全市.xlsx!兖州区", "全市.xlsx!曲阜市"]
    again = cbcheck("check", str(book), "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert _said(again.stderr, "already in") == ["全市.xlsx", "全市.xlsx!兖州区", "全市.xlsx!曲阜市"]
    assert not _said(again.stderr, "recorded in")
    rolled = json.loads(cbcheck("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", any_ledger,
                                "-f", "json").stdout)["rollup"]
    (energy,) = [f for f in rolled["figures"] if f["indicator"] == "energy_consumption" and f["year"] == 2025]
    assert energy["total"] == 1055                                  # 436 + 420 + 199: each county once, no 汇总
    assert sorted(c["entity"] for c in energy["contributions"]) == ["兖州区", "济宁市任城区", "济宁市泗水县"]
