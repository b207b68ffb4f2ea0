"""A city office's year run as an office runs it (tests/ledger/city_year.py: the files and the
arithmetic by hand): record as files arrive, history, roll-up from the folder and from the ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.params import entity_city, same_entity
from tests.ledger.city_year import COUNTIES, POLICY, params, write_year


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1"})
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_year(tmp_path_factory.mktemp("city"))


@pytest.mark.parametrize(("name", "city"), [
    ("晋中市介休市", "晋中市"), ("晋中市介休市发展和改革局", "晋中市"), ("山西省吕梁市孝义市", "吕梁市"),
    ("吕梁市中阳县人民政府", "吕梁市"), ("介休市", None), ("介休市统计局", None), ("中阳县", None),
    ("祁县发展和改革局", None),
])
def test_the_city_is_the_one_before_a_county(name: str, city: str | None) -> None:
    # before: 介休市 → 介休市 (so 介休市's file "belongs to 介休市, not 晋中市")
    assert entity_city(name) == city


@pytest.mark.parametrize(("a", "b", "same"), [
    ("晋中市祁县", "祁县发展和改革局", True), ("介休市", "晋中市介休市", True), ("阳泉市城区", "晋城市城区", False),
    ("晋中市祁县", "晋中市太谷区", False),
])
def test_one_county_written_two_ways(a: str, b: str, same: bool) -> None:
    assert same_entity(a, b) is same and same_entity(b, a) is same


def test_a_county_level_city_is_not_told_it_is_outside_its_city(year: Path) -> None:
    code, _, err = _run("check", str(year / "2025" / "介休市-2025.csv"), "-p", POLICY, "-q")
    assert code in (0, 1) and POLICY not in err     # the warning names the policy it doubts


def test_the_folder_as_received_is_refused_naming_the_file_of_another_year(year: Path) -> None:
    code, _, err = _run("rollup", "-p", POLICY, "-y", "2025", str(year / "2025"))
    assert code == 2 and "和顺县-2024.csv" in err


def test_rollup_of_the_sorted_folder_by_hand(year: Path, tmp_path: Path) -> None:
    folder = tmp_path / "2025"
    folder.mkdir()
    for name in ("榆次区-2025-更正.csv", "太谷区-2025.xlsx", "介休市-2025.csv", "平遥县-2025.csv", "祁县-2025.csv"):
        shutil.copy(year / "2025" / name, folder)
    five = {e: r for e, r in zip(COUNTIES[:5], (15, 14, 15, 14, 14), strict=True)}
    (tmp_path / "p.yaml").write_text(params(COUNTIES[:5], five), encoding="utf-8")
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", str(folder), "--params", str(tmp_path / "p.yaml"),
                          "-f", "json")
    assert code == 1, err
    data = json.loads(out)
    totals = {(f["indicator"], f["year"]): f["total"] for f in data["rollup"]["figures"]}
    assert totals[("energy_consumption", 2020)] == 1620 and totals[("energy_consumption", 2025)] == 1714
    assert totals[("gdp_comparable", 2020)] == 1620 and totals[("gdp_comparable", 2025)] == 1985   # 平遥 150 亿元
    intensity = next(f for f in data["report"]["findings"] if f["rule_id"] == "JZ-ENERGY-INTENSITY-2025")
    assert intensity["status"] == "FAIL" and "r = 1 − 0.8635 / 1 = 13.65%" in intensity["arithmetic"]
    (alloc,) = data["rollup"]["allocations"]
    assert alloc["status"] == "PASS" and "/ 1620 万吨标准煤 = 14.68%" in alloc["arithmetic"]
    assert data["rollup"]["missing"] == [] and data["rollup"]["not_on_roster"] == []


def _recorded(year: Path, tmp_path: Path) -> str:
    ledger = str(tmp_path / "ledger.sqlite")
    # as the files arrived: 2024's, 榆次区's first file, the 2025 folder, 祁县's correction signed 晋中市祁县
    for path in (year / "2024", year / "2025" / "榆次区-2025.csv", year / "2025", year / "later"):
        code, _, err = _run("check", str(path), "-p", POLICY, "--record", "--ledger", ledger, "-q")
        assert code in (0, 1), err
    return ledger


def test_rollup_from_the_ledger_adds_each_county_once(year: Path, tmp_path: Path) -> None:
    ledger = _recorded(year, tmp_path)
    (tmp_path / "p.yaml").write_text(params(COUNTIES, {}), encoding="utf-8")
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger,
                          "--params", str(tmp_path / "p.yaml"), "-f", "json")
    assert code == 1, err
    data = json.loads(out)
    solar = next(f for f in data["rollup"]["figures"] if (f["indicator"], f["year"]) == ("solar_power_capacity", 2025))
    # 榆次 62 + 太谷 38 + 介休 50 + 平遥 26 + 祁县 15 + 灵石 22 = 213; before: 祁县 twice (228, 7 units)
    assert solar["total"] == 213 and len(solar["contributions"]) == 6
    assert sorted(c["file"] for c in solar["contributions"] if "祁县" in c["entity"]) == ["祁县-2025-更正.csv"]
    assert data["rollup"]["missing"] == ["晋中市和顺县", "晋中市寿阳县"]      # 和顺县 sent 2024's table
    notes = " ".join(n["message"] for n in data["report"]["reading"])
    # the files not added up are named (before: dropped in silence)
    assert "榆次区-2025.csv" in notes and "祁县-2025.csv" in notes


def test_history_finds_a_county_however_its_files_are_signed(year: Path, tmp_path: Path) -> None:
    ledger = _recorded(year, tmp_path)
    code, out, err = _run("history", "晋中市祁县", "--ledger", ledger, "-f", "json")
    assert code == 0, err
    hist = json.loads(out)
    assert len(hist["submissions"]) == 2           # before: only the file signed 晋中市祁县
    said = json.dumps(hist["restatements"], ensure_ascii=False)
    assert "96" in said and "97" in said
    code, out, err = _run("history", "晋中市介休市", "--ledger", ledger, "-f", "json")
    assert code == 0 and len(json.loads(out)["submissions"]) == 1, err   # before: "no record of 晋中市介休市"
    code, out, _ = _run("history", "晋中市太谷区", "--ledger", ledger, "-f", "json")
    said = json.dumps(json.loads(out)["restatements"], ensure_ascii=False)
    assert "300" in said and "310" in said         # the census restated the 2020 base


def test_a_correction_recorded_first_is_still_the_countys_figure(year: Path, tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    # one nightly run over the folder records 榆次区-2025-更正.csv (filed 06-20) before 榆次区-2025.csv (06-10)
    code, _, err = _run("check", str(year / "2025"), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    assert code in (0, 1), err
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger, "-f", "json")
    data = json.loads(out)
    solar = next(f for f in data["rollup"]["figures"] if (f["indicator"], f["year"]) == ("solar_power_capacity", 2025))
    # before: the last recorded, 榆次区-2025.csv with its 6510 万吨标准煤, was the county's file
    assert [c["file"] for c in solar["contributions"] if "榆次区" in c["entity"]] == ["榆次区-2025-更正.csv"]
    notes = " ".join(n["message"] for n in data["report"]["reading"])
    assert "榆次区-2025.csv (filed 2026-06-10)" in notes


def test_a_ledger_of_the_first_schema_gains_the_filing_date(tmp_path: Path) -> None:
    import sqlite3

    from cbcheck.ledger import open_ledger

    loc = str(tmp_path / "l.sqlite")
    open_ledger(loc).close()
    con = sqlite3.connect(loc)            # as cbcheck's v1 left it: no filed_on column, version 1 only
    con.execute("ALTER TABLE submissions DROP COLUMN filed_on")
    con.execute("DELETE FROM cbcheck_schema_version WHERE version > 1")
    con.commit()
    con.close()
    year_file = write_year(tmp_path / "y") / "2025" / "介休市-2025.csv"
    code, _, err = _run("check", str(year_file), "-p", POLICY, "--record", "--ledger", loc, "-q")
    assert code in (0, 1), err
    with open_ledger(loc) as led:
        (sub,) = led.submissions()
    assert sub.filed_on == "2026-06-20" and sub.file_name == year_file.name


def test_gdp_at_two_price_years_is_not_added_up(tmp_path: Path) -> None:
    from tests.ledger.city_year import ENERGY, SOLAR, Y3, levels, write_csv

    write_csv(tmp_path / "a.csv", "晋中市榆次区", Y3, levels([600, 640, 651], [700, 820, 860], [20, 50, 62]))
    write_csv(tmp_path / "b.csv", "晋中市太谷区", Y3,
              [[ENERGY, "万吨标准煤", 310, 322, 325, ""], ["地区生产总值（2015年可比价）", "亿元", 200, 240, 250, ""],
               [SOLAR, "万千瓦", 10, 30, 38, ""]])
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", str(tmp_path), "-f", "json")
    assert code in (0, 1), err
    data = json.loads(out)
    totals = {(f["indicator"], f["year"]): f["total"] for f in data["rollup"]["figures"]}
    # before: 700 (2020 prices) + 200 (2015 prices) = 900 亿元 as the city's GDP, and an intensity from it
    assert ("gdp_comparable", 2020) not in totals and totals[("energy_consumption", 2020)] == 910
    said = " ".join(data["rollup"]["not_summed"])
    assert "2015" in said and "2020" in said
    intensity = next(f for f in data["report"]["findings"] if f["rule_id"] == "JZ-ENERGY-INTENSITY-2025")
    assert intensity["status"] not in ("PASS", "FAIL")


def test_a_county_of_another_city_is_never_added_up(year: Path, tmp_path: Path) -> None:
    from tests.ledger.city_year import Y3, levels, write_csv

    folder = tmp_path / "2025"
    for name in ("太谷区-2025.xlsx", "介休市-2025.csv"):
        (folder / name).parent.mkdir(exist_ok=True)
        shutil.copy(year / "2025" / name, folder)
    write_csv(folder / "中阳县-2025.csv", "吕梁市中阳县", Y3, levels([200, 210, 215], [100, 120, 125], [3, 5, 6]))
    code, _, err = _run("rollup", "-p", POLICY, "-y", "2025", str(folder))
    # before: 吕梁市中阳县's 200 was in 晋中市's 2020 energy use (1010 for 810)
    assert code == 2 and "中阳县-2025.csv" in err and "吕梁市" in err
    ledger = str(tmp_path / "ledger.sqlite")
    code, _, err = _run("check", str(folder), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    assert code in (0, 1) and "吕梁市" in err          # check warns and records, as it is told
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger, "-f", "json")
    data = json.loads(out)
    totals = {(f["indicator"], f["year"]): f["total"] for f in data["rollup"]["figures"]}
    assert totals[("energy_consumption", 2020)] == 310 + 500
    notes = " ".join(n["message"] for n in data["report"]["reading"])
    assert "中阳县-2025.csv" in notes and "not added up" in notes


def test_history_orders_one_years_files_by_their_filing_date(year: Path, tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    code, _, err = _run("check", str(year / "2025"), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    assert code in (0, 1), err
    code, out, err = _run("history", "晋中市榆次区", "--ledger", ledger, "-f", "json")
    assert code == 0, err
    (restated,) = json.loads(out)["restatements"]
    # filed 06-10 with 6510, corrected 06-20 to 651; before: "651 → 6510", as recorded in name order
    assert (restated["old"], restated["new"]) == (6510, 651)
    assert (restated["old_file"], restated["new_file"]) == ("榆次区-2025.csv", "榆次区-2025-更正.csv")


def test_the_weekly_workbook_says_which_files_and_sums_were_left_out(year: Path, tmp_path: Path) -> None:
    import openpyxl

    ledger = _recorded(year, tmp_path)
    out = tmp_path / "全市汇总.xlsx"
    code, _, err = _run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger, "-f", "xlsx",
                        "-o", str(out), "--lang", "zh")
    assert code == 1, err
    cells = " ".join(str(v) for ws in openpyxl.load_workbook(out) for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    # before: neither the file not used nor the sums not made (灵石县 gave rates only) were in the workbook
    assert "榆次区-2025.csv（填报日期 2026-06-10）" in cells and "祁县-2025.csv（填报日期 2026-06-20）" in cells
    assert "未汇总：能源消费总量 2020年：以下单位没有数值：灵石县" in cells
    code, js, _ = _run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger, "-f", "json")
    assert len(json.loads(js)["rollup"]["files_not_added"]) == 2


def test_a_city_intensity_the_counties_cannot_add_up_to_says_so(year: Path, tmp_path: Path) -> None:
    ledger = _recorded(year, tmp_path)
    (tmp_path / "p.yaml").write_text(params(COUNTIES, {}), encoding="utf-8")
    code, out, err = _run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger,
                          "--params", str(tmp_path / "p.yaml"), "-f", "json")
    findings = {f["rule_id"]: f for f in json.loads(out)["report"]["findings"]}
    # 灵石县 gave 比上年 rates only: no city energy or GDP, so no city intensity; before: just "not in the submission"
    intensity = findings["JZ-ENERGY-INTENSITY-2025"]
    assert intensity["status"] == "MISSING" and "could not be added up" in intensity["message"]
    assert "could not be added up" in findings["JZ-NONFOSSIL-2025"]["message"]    # its denominator is energy use
    assert "could not be added up" not in findings["JZ-NEWCLEAN-CAPACITY-SHARE-2025"]["message"]   # nobody gave it
