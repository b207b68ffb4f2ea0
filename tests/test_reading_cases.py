"""Issue 12 cases as written by a county office or an enterprise (tests/reading_cases/), each with the
finding or reading it must give: status-based closure, a units line that is not the entity, entity
names with office suffixes in params, and a mistyped --set."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.params import Params, Assigned, entity_key
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

CASES = Path(__file__).parent / "reading_cases"


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_closure_judged_on_the_state_column() -> None:
    """确保2023年全面退出4.3米焦炉, a table with 运行状态 and no 关停日期 column: 1# 在产 after the deadline
    is FAIL at its state cell, 2# 已关停 without a date, judged after 2023-12-31, is MISSING asking for the
    closure date (when it closed is what decides, and nothing says), 4# 停产 is MISSING, and the
    6.0 m oven is not covered (3 judged)."""
    r = _run("check", str(CASES / "coke_status.csv"), "--policy", "lvliang-carbon-peak", "--format", "json",
             "--all-facilities")    # the PASS facility too (JSON counts passing ones by default)
    data = json.loads(r.stdout)
    f = next(x for x in data["findings"] if x["rule_id"] == "LL-COKE-43M-EXIT-2023")
    assert f["status"] == "FAIL"
    entries = {e["facility"]: e for e in f["facilities"]["entries"]}
    assert set(entries) == {"1#焦炉", "2#焦炉", "4#焦炉"}
    assert entries["1#焦炉"]["status"] == "FAIL" and entries["1#焦炉"]["location"] == "coke_status.csv:4:4"
    assert "(still operating) after 2023-12-31" in entries["1#焦炉"]["message"]
    assert entries["2#焦炉"]["status"] == "MISSING" and "write the closure date" in entries["2#焦炉"]["message"]
    assert entries["4#焦炉"]["status"] == "MISSING" and "停产" in entries["4#焦炉"]["message"]


def test_units_line_is_not_the_entity() -> None:
    _, cat = load_policy("lvliang-carbon-peak")
    sub = read_submission(CASES / "units_line_entity.csv", cat)
    assert sub.entity == "中阳县发展和改革局"
    assert sub.meta["unit"] == "亿元、万吨标准煤、%"
    by = {(o.indicator, o.year): o for o in sub.observations}
    assert by[("energy_consumption", 2024)].unit == "万吨标准煤"      # the listed unit of its dimension
    assert by[("non_fossil_energy_share", 2024)].unit == "%"


def test_entity_names_match_params_with_or_without_city_and_office() -> None:
    given = Assigned(14.5, None, "吕梁市分解下达（测试）")
    params = Params({}, {"中阳县": {"LL-X": given}})
    for written in ("中阳县", "吕梁市中阳县", "中阳县发展和改革局", "吕梁市中阳县人民政府", "中阳县统计局"):
        found = params.lookup("LL-X", "x", written)
        assert found is not None and found.value == 14.5 and found.entry == "entities.中阳县.LL-X", written
    assert params.lookup("LL-X", "x", "孝义市") is None
    assert entity_key("山西省吕梁市孝义市") == "孝义市"


def test_region_mismatch_warns() -> None:
    r = _run("check", str(CASES / "units_line_entity.csv"), "--policy", "jining-carbon-peak")
    assert "吕梁市" in r.stderr and "jining-carbon-peak" in r.stderr
    assert r.exit_code == 0      # a warning on stderr, not a verdict: 10.5% vs ≥ 11.5% are WARNs, nothing FAILs


def test_typo_in_set_is_a_usage_error() -> None:
    r = _run("check", str(CASES / "units_line_entity.csv"), "--policy", "jining-carbon-peak",
             "--set", "JN-CO2-INTENSTY-2025=18")
    assert r.exit_code == 2
    assert "did you mean JN-CO2-INTENSITY-2025" in r.stderr


def test_typo_in_params_file_is_a_usage_error(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("schema_version: 1\nsource: 测试\nentities:\n  中阳县:\n    LL-ENERGY-INTENSTY-2025: 14.5\n",
                      encoding="utf-8")
    r = _run("check", str(CASES / "units_line_entity.csv"), "--policy", "lvliang-carbon-peak",
             "--params", str(params))
    assert r.exit_code == 2 and "LL-ENERGY-INTENSITY-2025" in r.stderr


def test_context_header_and_rows_named_by_number() -> None:
    """A 合成氨 table (type from its title) with no name column: 单位产品综合能耗 is the ammonia energy per
    tonne, the facilities are named by row number, and a note says both."""
    _, cat = load_policy("jining-carbon-peak")
    sub = read_submission(CASES / "ammonia_no_name.csv", cat)
    table = sub.facilities[0]
    assert list(table.frame["_name"]) == ["第4行", "第5行"]
    assert set(table.frame["_type"]) == {"ammonia_plant"}
    assert list(table.frame["ammonia_energy_per_tonne"]) == [1250.0, 1420.0]
    assert any("no name column" in n for n in sub.notes)
    assert any("单位产品综合能耗" in n and "ammonia_energy_per_tonne" in n for n in sub.notes)
