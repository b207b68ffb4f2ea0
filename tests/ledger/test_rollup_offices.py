"""Counties sign their tables as their offices do (济宁市甲区发展和改革局, 乙县统计局) while the city's
roster, allocations and waivers name the county (济宁市甲区): the roll-up, the allocation check and the
waivers match them as params entries are matched (params.entity_key), and one county's two files are one
county, never added up twice. Arithmetic by hand, as in test_rollup_waivers.py."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ledger.conftest import county_csv
from tests.ledger.test_rollup_waivers import GDP, PARAMS, POLICY, WAIVERS, _run


def _offices(folder: Path) -> None:
    county_csv(folder / "a.csv", "济宁市甲区发展和改革局", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")])
    county_csv(folder / "b.csv", "乙县统计局", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [300, 310], ""), (GDP, "亿元", [400, 480], "")])


def _rollup(tmp_path: Path) -> dict:
    _offices(tmp_path / "报送")
    (tmp_path / "params.yaml").write_text(PARAMS, encoding="utf-8")
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", str(tmp_path / "报送"),
                          "--params", str(tmp_path / "params.yaml"), "-f", "json")
    assert code in (0, 1), err
    return json.loads(out)


def test_the_roster_matches_offices_to_counties(tmp_path: Path) -> None:
    rolled = _rollup(tmp_path)["rollup"]
    # before: all three listed as 缺报 and both offices as "not on the roster"
    assert rolled["missing"] == ["济宁市丙县"]
    assert rolled["not_on_roster"] == []


def test_allocations_are_weighted_by_the_offices_energy_use(tmp_path: Path) -> None:
    alloc = {a["rule_id"]: a for a in _rollup(tmp_path)["rollup"]["allocations"]}
    # (100×16 + 300×15) / 400 = 15.25 % < 15.6 %; before: "no 2020 energy use for 甲区, 乙县" (ERROR)
    e = alloc["JN-ENERGY-INTENSITY-2025"]
    assert e["status"] == "FAIL" and "(100×16% + 300×15%) / 400 万吨标准煤 = 15.25%" in e["arithmetic"]


def test_one_countys_two_files_are_a_usage_error(tmp_path: Path) -> None:
    _offices(tmp_path)
    county_csv(tmp_path / "c.csv", "济宁市乙县", [2020, 2025], [("能源消费总量", "万吨标准煤", [300, 310], "")])
    code, _, err = _run("rollup", "-p", POLICY, "-y", "2025", str(tmp_path))
    # before: 乙县's energy was summed twice (300 + 300 in the city's 2020 total)
    assert code == 2 and "c.csv" in err and "b.csv" in err


def test_a_waiver_for_the_county_covers_its_office(tmp_path: Path) -> None:
    _offices(tmp_path)
    (tmp_path / "w.yaml").write_text(WAIVERS.format(expires="2026-06-30"), encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    _, out, err = _run("check", str(tmp_path / "b.csv"), "-p", POLICY, "--waivers", str(tmp_path / "w.yaml"),
                       "--params", str(tmp_path / "p.yaml"), "-f", "json", env={"SOURCE_DATE_EPOCH": "1750377600"})
    f = next(f for f in json.loads(out)["findings"] if f["rule_id"] == "JN-ENERGY-INTENSITY-2025")
    # 乙县: (310/480)/(300/400) = 0.861111 → 13.89 % < its allocated 15 %: FAIL were it not waived
    assert f["status"] == "WAIVED", (f, err)


def test_waivers_lint_finds_the_county_on_the_roster(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    (tmp_path / "w.yaml").write_text(WAIVERS.format(expires="2026-06-30").replace("济宁市乙县", "乙县发展和改革局"),
                                     encoding="utf-8")
    code, out, _ = _run("waivers", "lint", str(tmp_path / "w.yaml"), "-p", POLICY, "--params", str(tmp_path / "p.yaml"))
    assert "not on the roster" not in out and code == 0, out
