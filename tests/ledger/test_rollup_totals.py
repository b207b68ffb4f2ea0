"""A city office's season, red-teamed: what must never be added up as a county (a 汇总 or 合计 sheet, a table
signed by the city itself, a sheet named Sheet1), a sheet copied from another county with its header
unchanged, and a correction recorded the same night as the file it corrects. Real processes; sums by hand."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ledger.conftest import county_csv
from tests.ledger.test_rollup_sheets import _sheet
from tests.ledger.test_rollup_waivers import GDP, PARAMS, POLICY
from tests.ledger.test_withdraw import cbcheck


def _rollup(tmp_path: Path, *args: str) -> dict:
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", *args, "--params", str(tmp_path / "p.yaml"), "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["rollup"]


def _energy_2025(rolled: dict) -> dict:
    return next(f for f in rolled["figures"] if f["indicator"] == "energy_consumption" and f["year"] == 2025)


def test_total_sheets_of_a_city_workbook_are_listed_never_added(tmp_path: Path) -> None:
    """汇总 (no 填报单位: its name is no county's), 全市合计 (signed by the city's 统计局) and Sheet5 (no signer,
    no county's name) would each have been added as a county: 汇总 alone doubled the city's energy use."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["各县区分别填写一个工作表，汇总表由市局生成"])
    _sheet(wb.create_sheet("汇总"), None, [400, 420], [600, 740])
    _sheet(wb.create_sheet("全市合计"), "济宁市统计局", [400, 420], [600, 740])
    _sheet(wb.create_sheet("甲区"), "济宁市甲区", [100, 110], [200, 260])
    _sheet(wb.create_sheet("乙县"), "济宁市乙县", [300, 310], [400, 480])
    _sheet(wb.create_sheet("Sheet5"), None, [7, 7], [7, 7])
    wb.save(tmp_path / "全市.xlsx")
    rolled = _rollup(tmp_path, str(tmp_path / "全市.xlsx"))
    energy = _energy_2025(rolled)
    assert energy["total"] == 420                                 # 110 + 310, not 420 + 420 + 110 + 310 + 7
    assert [c["entity"] for c in energy["contributions"]] == ["济宁市甲区", "济宁市乙县"]
    assert sorted(s["name"] for s in rolled["submissions"]) == ["济宁市乙县", "济宁市甲区"]
    assert rolled["not_on_roster"] == []
    notes = rolled["files_not_added"]
    assert "全市.xlsx, sheet '汇总': not added up — a total of the counties, not a county's submission " \
           "(adding it would count them twice)" in notes
    assert "全市.xlsx!全市合计 (济宁市统计局) is 济宁市's total, not a county's submission: not added up " \
           "(it would count its counties twice)" in notes
    assert any(n.startswith("全市.xlsx, sheet 'Sheet5': not added up — the sheet states no 填报单位") for n in notes)
    assert any("'说明'" in n for n in notes) and len(notes) == 4


def test_a_sheet_copied_from_another_county_is_added_as_signed_and_said(tmp_path: Path) -> None:
    """Sheet 丙县 still carries 乙县's header: added as 乙县 (its 填报单位), 丙县 stays 缺报, and the note says so."""
    import openpyxl

    wb = openpyxl.Workbook()
    _sheet(wb.active, "济宁市甲区", [100, 110], [200, 260])
    wb.active.title = "甲区"
    _sheet(wb.create_sheet("丙县"), "济宁市乙县", [300, 310], [400, 480])
    _sheet(wb.create_sheet("丁县"), None, [50, 55], [90, 99])        # no signer: the sheet's name is the county
    wb.save(tmp_path / "全市.xlsx")
    rolled = _rollup(tmp_path, str(tmp_path / "全市.xlsx"))
    assert _energy_2025(rolled)["total"] == 475                   # 110 + 310 + 55
    assert rolled["missing"] == ["济宁市丙县"]
    assert rolled["not_on_roster"] == ["丁县"]
    assert rolled["files_not_added"] == [
        "全市.xlsx, sheet '丙县': its 填报单位 is 济宁市乙县, added up as that; check that it was not copied from "
        "another county's sheet with the header left unchanged"]


def test_a_table_signed_by_the_city_in_the_folder_is_not_a_county(tmp_path: Path) -> None:
    folder = tmp_path / "报送"
    county_csv(folder / "a.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")])
    county_csv(folder / "全市汇总.csv", "济宁市发展和改革委员会", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [400, 420], ""), (GDP, "亿元", [600, 740], "")])
    rolled = _rollup(tmp_path, str(folder))
    assert _energy_2025(rolled)["total"] == 110
    assert rolled["files_not_added"] == ["全市汇总.csv (济宁市发展和改革委员会) is 济宁市's total, not a county's "
                                         "submission: not added up (it would count its counties twice)"]


def test_from_the_ledger_the_citys_own_table_is_named_not_added(tmp_path: Path, any_ledger: str) -> None:
    folder = tmp_path / "报送"
    county_csv(folder / "a.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")])
    county_csv(folder / "city.csv", "济宁市", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [400, 420], ""), (GDP, "亿元", [600, 740], "")])
    proc = cbcheck("check", str(folder), "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert proc.returncode in (0, 1), proc.stderr
    rolled = _rollup(tmp_path, "--from-ledger", "--ledger", any_ledger)
    assert _energy_2025(rolled)["total"] == 110
    assert [s["name"] for s in rolled["submissions"]] == ["济宁市甲区"]
    assert rolled["files_not_added"] == ["city.csv (济宁市) is 济宁市's total, not a county's submission: "
                                         "not added up (it would count its counties twice)"]


def test_a_correction_recorded_the_same_night_is_the_one_added(tmp_path: Path, any_ledger: str) -> None:
    """Both files state 2025年6月20日 (the clerk did not change the date); the nightly run records the folder in
    name order, 甲区-2025-更正.csv before 甲区-2025.csv: the last recorded was the slipped 1100."""
    folder = tmp_path / "报送"
    county_csv(folder / "甲区-2025.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 1100], ""), (GDP, "亿元", [200, 260], "")])
    county_csv(folder / "甲区-2025-更正.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")])
    county_csv(folder / "乙县.csv", "济宁市乙县", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [300, 310], ""), (GDP, "亿元", [400, 480], "")])
    proc = cbcheck("check", str(folder), "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr.index("甲区-2025-更正.csv") < proc.stderr.index("甲区-2025.csv")     # recorded first
    rolled = _rollup(tmp_path, "--from-ledger", "--ledger", any_ledger)
    energy = _energy_2025(rolled)
    assert energy["total"] == 420                                 # 110 + 310
    assert {c["entity"]: c["file"] for c in energy["contributions"]}["济宁市甲区"] == "甲区-2025-更正.csv"
    note, = rolled["files_not_added"]
    assert note.startswith("甲区: the roll-up uses 甲区-2025-更正.csv, whose name marks it as the correction; "
                           "甲区-2025.csv (recorded ")


def test_zh_lists_in_rollup_notes_join_with_the_enumeration_comma(tmp_path: Path) -> None:
    folder = tmp_path / "报送"
    county_csv(folder / "a.csv", "济宁市甲区", [2020, 2025],
               [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")])
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", str(folder), "--params", str(tmp_path / "p.yaml"),
                   "--lang", "zh")
    assert "2025年 1 份报送汇总：甲区（a.csv）" in proc.stdout
    two = PARAMS.replace("济宁市乙县: {", "济宁市丙县: {JN-ENERGY-INTENSITY-2025: 14}\n  济宁市乙县: {")
    (tmp_path / "p.yaml").write_text(two, encoding="utf-8")
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", str(folder), "--params", str(tmp_path / "p.yaml"),
                   "--lang", "zh")
    assert "以下单位没有 2020年能源消费总量：丙县、乙县" in proc.stdout


def test_each_county_sheet_of_a_city_workbook_is_recorded_on_its_own(tmp_path: Path, any_ledger: str) -> None:
    """Each sheet checked and recorded with --sheet (as before the nightly check judged a city workbook sheet by
    sheet itself: tests/test_city_workbook.py): the second county's sheet was once 'already recorded' (same file
    sha256) and stayed 缺报 in the roll-up."""
    import openpyxl

    wb = openpyxl.Workbook()
    _sheet(wb.active, "济宁市甲区", [100, 110], [200, 260])
    wb.active.title = "甲区"
    _sheet(wb.create_sheet("乙县"), "济宁市乙县发展和改革局", [300, 310], [400, 480])
    wb.save(tmp_path / "全市.xlsx")
    said = []
    for sheet in ("甲区", "乙县", "乙县"):
        proc = cbcheck("check", str(tmp_path / "全市.xlsx"), "--sheet", sheet, "-p", POLICY, "--record",
                       "--ledger", any_ledger, "-q")
        assert proc.returncode in (0, 1), proc.stderr
        said.append(proc.stderr)
    assert "recorded" in said[1] and "already" not in said[1] and "全市.xlsx!乙县" in said[1]
    assert "already" in said[2]                                   # the same sheet again: nothing new
    rolled = _rollup(tmp_path, "--from-ledger", "--ledger", any_ledger)
    energy = _energy_2025(rolled)
    assert energy["total"] == 420                                 # 110 + 310
    assert {c["entity"]: c["file"] for c in energy["contributions"]} == {
        "济宁市甲区": "全市.xlsx", "济宁市乙县发展和改革局": "全市.xlsx!乙县"}
    assert rolled["missing"] == ["济宁市丙县"]
    zh = cbcheck("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", any_ledger, "--lang", "zh",
                 "--params", str(tmp_path / "p.yaml")).stdout
    assert "Σ 乙县+甲区" in zh and "乙县发展和改革局" not in zh.split("== 市级数据")[0]   # the county, not its office
    # withdrawn by the workbook: both sheets are this file, told apart by number; by the sheet's name: one
    by_file = cbcheck("ledger", "withdraw", str(tmp_path / "全市.xlsx"), "--reason", "x", "--ledger", any_ledger)
    assert by_file.returncode == 2 and "matches 2 recorded submissions" in by_file.stderr
    assert "全市.xlsx!乙县" in by_file.stderr
    by_name = cbcheck("ledger", "withdraw", "全市.xlsx!乙县", "--reason", "乙县的表有误", "--ledger", any_ledger)
    assert by_name.returncode == 0, by_name.stderr
    rolled = _rollup(tmp_path, "--from-ledger", "--ledger", any_ledger)
    assert _energy_2025(rolled)["total"] == 110
    assert rolled["missing"] == ["济宁市乙县", "济宁市丙县"]


def test_a_county_that_sent_anothers_table_under_its_own_name_is_said(tmp_path: Path, any_ledger: str) -> None:
    """乙县's table, signed 甲区 by 甲区's clerk: every figure the same as 乙县's. Both are added (which is right
    only the counties know), and the roll-up says so next to 已报送."""
    folder = tmp_path / "报送"
    rows = [("能源消费总量", "万吨标准煤", [300, 310], ""), (GDP, "亿元", [400, 480], "")]
    county_csv(folder / "甲区.csv", "济宁市甲区", [2020, 2025], rows)
    county_csv(folder / "乙县.csv", "济宁市乙县", [2020, 2025], rows)
    county_csv(folder / "丙县.csv", "济宁市丙县", [2020, 2025],          # two of four the same: no note
               [("能源消费总量", "万吨标准煤", [300, 310], ""), (GDP, "亿元", [410, 490], "")])
    proc = cbcheck("check", str(folder), "-p", POLICY, "--record", "--ledger", any_ledger, "-q")
    assert proc.returncode in (0, 1), proc.stderr
    rolled = _rollup(tmp_path, "--from-ledger", "--ledger", any_ledger)
    assert _energy_2025(rolled)["total"] == 930                   # 310 + 310 + 310: added, and said
    assert rolled["same_values"] == [
        "甲区 (甲区.csv) gives the same 4 figures as 乙县 (乙县.csv), both added up: check that one did not send "
        "the other's table (move the wrong file out of the folder; one already recorded, withdraw with cbcheck "
        "ledger withdraw)"]
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    zh = cbcheck("rollup", "-p", POLICY, "-y", "2025", str(folder), "--params", str(tmp_path / "p.yaml"),
                 "--lang", "zh").stdout
    assert "甲区（甲区.csv）的 4 个数值与 乙县（乙县.csv）完全相同" in zh
