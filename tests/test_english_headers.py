"""English headers of a facility table (foreign-owned enterprises, monitoring platforms): a header
is matched to an attribute by the catalogue's ``name_en`` and its ASCII aliases, as Chinese headers
are (case, spaces, a bracketed unit aside) and hyphens aside, never by a guess between two."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.facilities import build, en_key, facility_catalogue

ROOT = Path(__file__).resolve().parents[1]
COKING = ROOT / "examples" / "enterprise" / "yuncheng-coking-plant.xlsx"
POLICY = "yuncheng-energy-saving-14fyp"

# (header, the attribute it names or None)
HEADERS = [
    ("coke-chamber height", "oven_height"),             # name_en as written
    ("Coke-chamber height (m)", "oven_height"),         # case, unit
    ("Coke chamber height（米）", "oven_height"),        # no hyphen, full-width brackets
    ("  COKE-CHAMBER  HEIGHT ", "oven_height"),
    ("Oven height (m)", "oven_height"),                 # an English alias
    ("Installed capacity (MW)", "capacity"),
    ("Capacity", "capacity"),
    ("Status", "status"),
    ("Facility type", "facility_type"),
    ("Supply coal consumption before the retrofit (gce/kWh)", "baseline_supply_coal_consumption"),
    ("Year commissioned", "commissioning_year"),
    ("Oven heights", None),                             # no plural, no stem: not the name
    ("height", None),                                   # a part of the name is not the name
    ("Coke-chamber height before the retrofit", None),
]


@pytest.mark.parametrize(("header", "attribute"), HEADERS)
def test_an_english_header_names_its_attribute(header: str, attribute: str | None) -> None:
    assert facility_catalogue().match_attribute(header) == attribute


@pytest.mark.parametrize(("label", "ftype"), [
    ("Coke oven", "coke_oven"), ("coal-fired power unit", "coal_power_unit"),
    ("Coal fired boiler", "coal_fired_boiler"), ("Data centre", "data_centre"), ("coke ovens", None)])
def test_an_english_facility_type_is_matched(label: str, ftype: str | None) -> None:
    assert facility_catalogue().match_type(label) == ftype


def test_english_name_headers_name_the_facilities_and_imply_the_type() -> None:
    fc = facility_catalogue()
    assert fc.name_header("Oven No.") == (True, "coke_oven")
    assert fc.name_header("Unit name") == (True, "coal_power_unit")
    assert fc.name_header("Facility name") == (True, None)
    assert fc.name_header("Unit") == (False, None)               # a unit of measure, not a generating unit


def _catalogue(*attributes: dict[str, Any]) -> Any:
    return build({"facility_types": [{"id": "x", "name": "甲", "name_en": "x"}], "attributes": list(attributes)})


def test_an_english_name_two_attributes_claim_matches_neither() -> None:
    fc = _catalogue({"id": "a", "name": "甲高度", "name_en": "height", "kind": "number"},
                    {"id": "b", "name": "乙高度", "name_en": "Height", "kind": "number"},
                    {"id": "c", "name": "丙", "name_en": "width", "kind": "number", "aliases": ["breadth"]},
                    {"id": "d", "name": "丁", "name_en": "depth", "kind": "number", "aliases": ["Breadth"]})
    assert fc.match_attribute("Height (m)") is None
    assert fc.match_attribute("breadth") is None
    assert fc.match_attribute("甲高度") == "a" and fc.match_attribute("Width") == "c"


def test_an_english_name_never_takes_a_key_a_chinese_name_holds_for_another() -> None:
    fc = _catalogue({"id": "a", "name": "status", "name_en": "state", "kind": "category"},
                    {"id": "b", "name": "乙", "name_en": "Status", "kind": "category"})
    assert fc.match_attribute("Status") == "a"


def test_every_shipped_english_name_reads_back_as_its_own_attribute_and_no_indicator() -> None:
    from cbcheck.policy import catalogue

    fc, cat = facility_catalogue(), catalogue()
    for a in fc.attributes.values():
        assert fc.match_attribute(a.name_en) == a.id, a.id
        assert cat.match(a.name_en) is None, (a.id, cat.match(a.name_en))
    assert en_key("Coke-Chamber Height (m)") == en_key("coke chamber height")


# the Chinese example's headers as an English export writes them (capacity in t/a: ×10,000)
ENGLISH = {"焦炉编号": "Oven No.", "焦炉类型": "Oven type", "炭化室高度(米)": "Coke-chamber height (m)",
           "产能(万吨/年)": "Capacity (t/a)", "状态": "Status", "关停退出时间": "Retirement date",
           "节能改造完成时间": "Energy-saving retrofit completed"}


def _english_export(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(COKING)
    ws = wb.active
    ws.title = "Coke ovens"
    ws["A1"] = "Coke oven self-inspection"
    ws["A2"], ws["C2"] = "Reporting entity:", "Reporting year:"
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "焦炉编号")
    col = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    for zh, en in ENGLISH.items():
        ws.cell(header, col[zh]).value = en
    for r in range(header + 1, ws.max_row + 1):
        cell = ws.cell(r, col["产能(万吨/年)"])
        if isinstance(cell.value, (int, float)):
            cell.value = cell.value * 10000
    wb.save(path)


def _facility_findings(path: Path, engine: str) -> tuple[dict[str, Any], list[str]]:
    r = CliRunner().invoke(app, ["check", str(path), "-p", POLICY, "-y", "2025", "-f", "json", "--engine", engine],
                           catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    report = json.loads(r.stdout)
    found = {f["rule_id"]: (f["status"], [(e["row"], e["status"], e["observed"]) for e in f["facilities"]["entries"]])
             for f in report["findings"] if isinstance(f.get("facilities"), dict)}
    unread = [n["message"] for n in report["reading"] if n["kind"] in ("row_unmatched", "column_ignored")]
    return found, unread


@pytest.mark.parametrize("engine", ["numpy", "duckdb"])
def test_an_english_export_is_judged_as_the_chinese_original(tmp_path: Path, engine: str) -> None:
    english = tmp_path / "coke-ovens-en.xlsx"
    _english_export(english)
    zh, _ = _facility_findings(COKING, engine)
    en, unread = _facility_findings(english, engine)
    assert en == zh
    assert not unread
    judged = {rule: status for rule, (status, entries) in en.items() if entries}
    assert judged["YC-COKE-43M-CLOSE-2023"] == "FAIL"          # the 4.3 m ovens: one closed late
    assert len(en["YC-COKE-43M-CLOSE-2023"][1]) == 2


@pytest.mark.parametrize(("row", "want"), [
    (["Reporting entity:", "Example Coking Co., Ltd.", "Reporting year:", "2025"],
     {"entity": "Example Coking Co., Ltd.", "year": "2025"}),
    (["Company name: Example Coking Co., Ltd.   Report date: 2026-01-10"],
     {"entity": "Example Coking Co., Ltd.", "date": "2026-01-10"}),
    (["REPORTING YEAR：2024", "Prepared by: Li Si", "Tel: 0359-1234567"],
     {"year": "2024", "contact": "Li Si", "phone": "0359-1234567"}),
    (["Unit: 10,000 tce"], {}),                    # a unit of measure, not the reporting unit
])
def test_english_metadata_rows_are_read(row: list[str], want: dict[str, str]) -> None:
    from cbcheck.reader.meta import meta_from_row

    meta: dict[str, str] = {}
    assert meta_from_row(row, meta) == bool(want)
    assert meta == want


def test_an_english_export_gives_its_year_and_entity_without_options(tmp_path: Path) -> None:
    english = tmp_path / "coke-ovens-en.xlsx"
    _english_export(english)
    r = CliRunner().invoke(app, ["check", str(english), "-p", POLICY, "-f", "json"], catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    submission = json.loads(r.stdout)["submission"]
    assert submission["year"] == 2025
    assert submission["meta"] == {"entity": "运城市示例焦化有限公司", "year": "2025"}
