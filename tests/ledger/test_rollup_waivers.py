"""Roll-up (sums, recomputed intensities, allocations, roster) and waivers, arithmetic by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from tests.ledger.conftest import county_csv

POLICY = "jining-carbon-peak"
GDP = "地区生产总值（2020年可比价）"


def _run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})})
    return r.exit_code, r.stdout, r.stderr


def _two_counties(folder: Path) -> None:
    county_csv(folder / "a.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], ""),
                ("光伏发电装机容量", "MW", [1000, 2500], "")])
    county_csv(folder / "b.csv", "济宁市乙县", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [300, 310], ""), (GDP, "亿元", [400, 480], ""),
                ("光伏发电装机容量", "万千瓦", [50, 150], ""), ("煤炭消费比重", "%", [60, 55], "")])


PARAMS = """schema_version: 1
source: 示例分解方案
roster: [济宁市甲区, 济宁市乙县, 济宁市丙县]
entities:
  济宁市甲区: {JN-ENERGY-INTENSITY-2025: 16, JN-SOLAR-2030: 500}
  济宁市乙县: {JN-ENERGY-INTENSITY-2025: 15, JN-SOLAR-2030: 300}
"""


@pytest.fixture()
def rolled(tmp_path: Path) -> dict:
    _two_counties(tmp_path / "报送")
    (tmp_path / "params.yaml").write_text(PARAMS, encoding="utf-8")
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", str(tmp_path / "报送"),
                          "--params", str(tmp_path / "params.yaml"), "-f", "json")
    assert code == 1, err
    return json.loads(out)


def test_additive_figures_are_summed_with_their_contributions(rolled: dict) -> None:
    fig = {(f["indicator"], f["year"]): f for f in rolled["rollup"]["figures"]}
    assert fig["energy_consumption", 2025]["total"] == 420          # 110 + 310
    assert fig["gdp_comparable", 2020]["total"] == 600               # 200 + 400
    solar = fig["solar_power_capacity", 2025]
    assert solar["total"] == 400                                      # 2500 MW = 250 万千瓦, + 150
    assert [c["value"] for c in solar["contributions"]] == [250, 150]
    assert "2500 MW = 250 万千瓦" in solar["contributions"][0]["as_submitted"]
    assert rolled["rollup"]["not_aggregable"] == [{"indicator": "coal_share", "entities": ["济宁市乙县"]}]


def test_the_city_intensity_is_recomputed_from_sums_never_averaged(rolled: dict) -> None:
    f = next(f for f in rolled["report"]["findings"] if f["rule_id"] == "JN-ENERGY-INTENSITY-2025")
    # (420/740) / (400/600) = 252000/296000 = 0.851351 → 14.86 %; the counties' mean would be
    # (15.38 + 13.89)/2 = 14.64 %. 丙县 on the roster has not submitted: 14.86 % < 15.6 % is the two counties',
    # not the city's (rollup_partial), so the finding is MISSING, the arithmetic kept and the FAIL named
    assert f["status"] == "MISSING" and abs(f["observed"] - 14.8649) < 1e-3
    assert "(on the submitted counties alone: FAIL, " in f["message"] and "(济宁市丙县)" in f["message"]
    # energy and GDP are summed over the same counties: the place is named once, not "Σ…/Σ…"
    assert f["location"] == "Σ 甲区+乙县"
    assert rolled["report"]["entity"] == "济宁市" if "entity" in rolled["report"] else True


def test_allocations_are_checked_against_the_city_target(rolled: dict) -> None:
    alloc = {a["rule_id"]: a for a in rolled["rollup"]["allocations"]}
    assert alloc["JN-SOLAR-2030"]["status"] == "PASS"                 # 500 + 300 = 800 ≥ 800
    assert "= 800 万千瓦 ≥ 800 万千瓦" in alloc["JN-SOLAR-2030"]["arithmetic"]
    e = alloc["JN-ENERGY-INTENSITY-2025"]
    # weighted by 2020 energy use: (100×16 + 300×15) / 400 = 6100/400 = 15.25 % < 15.6 %
    assert e["status"] == "FAIL" and "(100×16% + 300×15%) / 400 万吨标准煤 = 15.25%" in e["arithmetic"]


def test_the_roster_lists_who_has_not_submitted(rolled: dict) -> None:
    assert rolled["rollup"]["missing"] == ["济宁市丙县"]


def test_files_of_another_year_or_policy_are_a_usage_error(tmp_path: Path) -> None:
    _two_counties(tmp_path)
    county_csv(tmp_path / "c.csv", "济宁市丙县", [2020, 2024], [("能源消费总量", "万吨标准煤", [90, 95], "")])
    code, _, err = _run("rollup", "-p", POLICY, "-y", "2025", str(tmp_path))
    assert code == 2 and "c.csv reports 2024, not 2025" in err
    (tmp_path / "c.csv").unlink()
    other = tmp_path / "d.csv"
    county_csv(other, "济宁市丁县", [2020, 2025], [("能源消费总量", "万吨标准煤", [90, 95], "")])
    other.write_bytes(other.read_bytes().replace("填报单位".encode("gb18030"),
                                                 "政策编号：yinchuan-carbon-peak\r\n填报单位".encode("gb18030")))
    code, _, err = _run("rollup", "-p", POLICY, "-y", "2025", str(tmp_path))
    assert code == 2 and "for policy yinchuan-carbon-peak" in err


WAIVERS = """schema_version: 1
waivers:
  - rule: JN-ENERGY-INTENSITY-2025
    entity: 济宁市乙县
    reason: 重大项目能耗单列
    document: 济发改环资〔2025〕12号
    approved_by: 济宁市发展和改革委员会
    expires: {expires}
"""


def _waived(tmp_path: Path, expires: str) -> dict:
    _two_counties(tmp_path)
    (tmp_path / "w.yaml").write_text(WAIVERS.format(expires=expires), encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    _, out, err = _run("check", str(tmp_path / "b.csv"), "-p", POLICY, "--waivers", str(tmp_path / "w.yaml"),
                       "--params", str(tmp_path / "p.yaml"), "-f", "json", env={"SOURCE_DATE_EPOCH": "1750377600"})
    return json.loads(out)


def test_a_waived_finding_counts_neither_pass_nor_fail(tmp_path: Path) -> None:
    doc = _waived(tmp_path, "2026-06-30")
    f = next(f for f in doc["findings"] if f["rule_id"] == "JN-ENERGY-INTENSITY-2025")
    # 乙县: (310/480)/(300/400) = 0.861111 → 13.89 % < its allocated 15 %: FAIL without the waiver
    assert f["status"] == "WAIVED" and "济发改环资〔2025〕12号" in f["message"] and "2026-06-30" in f["message"]
    assert doc["summary"]["WAIVED"] == 1 and doc["summary"]["FAIL"] == 0


def test_an_expired_waiver_restores_the_status_with_a_note(tmp_path: Path) -> None:
    doc = _waived(tmp_path, "2025-06-19")                 # the day before SOURCE_DATE_EPOCH
    f = next(f for f in doc["findings"] if f["rule_id"] == "JN-ENERGY-INTENSITY-2025")
    assert f["status"] == "FAIL" and "expired on 2025-06-19" in f["message"]
    assert "WAIVED" not in doc["summary"]


def test_waivers_lint_unknown_rule_and_entity(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    bad = WAIVERS.format(expires="2026-06-30").replace("JN-ENERGY-INTENSITY-2025", "JN-NO-SUCH-RULE") \
        .replace("济宁市乙县", "济宁市戊县")
    (tmp_path / "w.yaml").write_text(bad, encoding="utf-8")
    code, out, _ = _run("waivers", "lint", str(tmp_path / "w.yaml"), "-p", POLICY, "--params", str(tmp_path / "p.yaml"))
    assert code == 3 and "no rule 'JN-NO-SUCH-RULE'" in out and "'济宁市戊县' is not on the roster" in out
    (tmp_path / "w.yaml").write_text("schema_version: 1\nwaivers:\n  - rule: JN-SOLAR-2030\n", encoding="utf-8")
    code, _, err = _run("waivers", "lint", str(tmp_path / "w.yaml"), "-p", POLICY)
    assert code == 3 and "waivers file is invalid" in err and "Traceback" not in err
