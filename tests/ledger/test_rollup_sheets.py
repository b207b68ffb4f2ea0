"""What a roll-up is made of, as the city office receives it: 已报送 names counties as the roster does (the
file's signer as evidence), and one city workbook with a sheet per county is each sheet a county's
submission, every sheet used or listed. Real processes; arithmetic by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.ledger.test_rollup_waivers import GDP, PARAMS, POLICY
from tests.ledger.test_withdraw import _year, cbcheck


def test_the_rollup_lists_the_rosters_names_with_the_signer_as_evidence(tmp_path: Path) -> None:
    _year(tmp_path / "报送")
    (tmp_path / "报送" / "wrong.csv").unlink()
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    args = ("rollup", "-p", POLICY, "-y", "2025", str(tmp_path / "报送"), "--params", str(tmp_path / "p.yaml"))
    zh = cbcheck(*args, "--lang", "zh").stdout
    assert "已报送 2 个：济宁市甲区（a.csv 填报单位：济宁市甲区发展和改革局）、济宁市乙县\n" in zh
    en = cbcheck(*args, "--lang", "en").stdout
    assert "2 submitted: 济宁市甲区 (a.csv signed by 济宁市甲区发展和改革局), 济宁市乙县\n" in en
    doc = json.loads(cbcheck(*args, "-f", "json").stdout)["rollup"]["submissions"]
    assert [(s["name"], s["entity"]) for s in doc] == [("济宁市甲区", "济宁市甲区发展和改革局"),
                                                       ("济宁市乙县", "济宁市乙县")]


def _sheet(ws: Any, signer: str | None, energy: list[int], gdp: list[int]) -> None:
    ws.append(["济宁市碳达峰主要指标统计表"])
    if signer:
        ws.append([f"填报单位：{signer}", None, None, "填报日期：2025年6月20日"])
    ws.append(["序号", "指标名称", "单位", "2020年", "2025年", "备注"])
    ws.append([1, "能源消费总量", "万吨标准煤", *energy, None])
    ws.append([2, GDP, "亿元", *gdp, "按2020年价格计算"])


def test_a_city_workbook_with_a_sheet_per_county(tmp_path: Path) -> None:
    """Every sheet used or listed: 甲区 by its header, 乙县 by its sheet name, 说明 / 空表 / an old hidden copy
    named with the reason, never added."""
    import openpyxl

    wb = openpyxl.Workbook()
    _sheet(wb.active, "济宁市甲区发展和改革局", [100, 110], [200, 260])
    wb.active.title = "甲区"
    _sheet(wb.create_sheet("济宁市乙县"), None, [300, 310], [400, 480])
    wb.create_sheet("说明").append(["各县区分别填写一个工作表"])
    wb.create_sheet("空表")
    old = wb.create_sheet("乙县旧")
    _sheet(old, "济宁市乙县", [1, 1], [1, 1])
    old.sheet_state = "hidden"
    wb.save(tmp_path / "全市.xlsx")
    (tmp_path / "p.yaml").write_text(PARAMS, encoding="utf-8")
    proc = cbcheck("rollup", "-p", POLICY, "-y", "2025", str(tmp_path / "全市.xlsx"), "--params",
                   str(tmp_path / "p.yaml"), "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    rolled = json.loads(proc.stdout)["rollup"]
    energy = {f["year"]: f for f in rolled["figures"] if f["indicator"] == "energy_consumption"}
    assert energy[2025]["total"] == 420                       # 110 + 310, the hidden copy's 1 not added
    assert [c["cell"] for c in energy[2025]["contributions"]] == ["甲区!E4", "济宁市乙县!E3"]
    assert sorted((s["name"], s["file"]) for s in rolled["submissions"]) == [
        ("济宁市乙县", "全市.xlsx!济宁市乙县"), ("济宁市甲区", "全市.xlsx!甲区")]
    assert rolled["missing"] == ["济宁市丙县"]
    notes = rolled["files_not_added"]
    assert len(notes) == 3 and all(n.startswith("全市.xlsx, sheet ") for n in notes)
    assert "全市.xlsx, sheet '乙县旧': not added up — a hidden sheet" in notes
    assert any("'说明'" in n for n in notes) and any("'空表'" in n for n in notes)
    text = cbcheck("rollup", "-p", POLICY, "-y", "2025", str(tmp_path / "全市.xlsx"), "--lang", "zh").stdout
    assert "济宁市甲区发展和改革局 110 万吨标准煤 (全市.xlsx 甲区!E4)" in text      # the sheet once
