"""A percent-formatted cell in a facility column without a unit, under a rule in another unit
(0.55 shown 55% in a bare 炭化室高度 column, the closure rule's condition in 米): that cell is named
and not read, an ERROR for that oven alone (written, so not 缺报 as a blank is); the rest of the
column is judged (it used to turn the whole rule into one ERROR, nothing judged).
Cases as data: the heights, which cells are percent-formatted, and what each oven gets under
YC-COKE-43M-CLOSE-2023 (close every coke oven of at most 4.3 m by 2023-10-31; all still run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

RULE = "YC-COKE-43M-CLOSE-2023"
PCT = object()          # marks a cell written as a fraction in a 0% format


def _book(path: Path, heights: list[Any], header: str = "炭化室高度") -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "焦炉"
    ws.append(["报告年度：2024"])
    ws.append(["焦炉名称", header, "状态"])
    for i, h in enumerate(heights, start=1):
        value = h[1] if isinstance(h, tuple) else h
        ws.append([f"{i}号焦炉", value, "在产"])
        if isinstance(h, tuple):
            ws.cell(row=2 + i, column=2).number_format = "0%"
    wb.save(path)


# (heights: a number, or (PCT, fraction) for a percent-formatted cell; header; rule status;
#  {oven: (status, text the message holds)}; ovens the rule does not cover are absent)
CASES = [
    ([4.3, (PCT, 0.55), 6], "炭化室高度", "FAIL",
     {"1号焦炉": ("FAIL", "overdue"), "2号焦炉": ("ERROR", "焦炉!B4 is in “%”")}),
    # 4.3 is the bound itself (max, inclusive); 4.31 is over it
    ([4.3, 4.31, (PCT, 0.043)], "炭化室高度", "FAIL",
     {"1号焦炉": ("FAIL", "overdue"), "3号焦炉": ("ERROR", "焦炉!B5 is in “%”")}),
    # every cell a percentage: each named, an ERROR each, nothing else to judge
    ([(PCT, 0.043), (PCT, 0.06)], "炭化室高度", "ERROR",
     {"1号焦炉": ("ERROR", "焦炉!B3 is in “%”"), "2号焦炉": ("ERROR", "焦炉!B4 is in “%”")}),
    # a header in 米: the reader already refuses the percentage at that cell (before: "needed", as if
    # blank, the cell not named); the others are judged
    ([(PCT, 0.043), 4.0], "炭化室高度(米)", "FAIL",
     {"1号焦炉": ("ERROR", "焦炉!B3: coke-chamber height cannot be read"), "2号焦炉": ("FAIL", "overdue")}),
    # no percentage: nothing changes
    ([4.3, 6], "炭化室高度", "FAIL", {"1号焦炉": ("FAIL", "overdue")}),
]


def _finding(path: Path, engine: str) -> dict[str, Any]:
    r = CliRunner().invoke(app, ["check", str(path), "-p", "yuncheng-energy-saving-14fyp", "-f", "json",
                                 "--engine", engine], catch_exceptions=False)
    assert r.exit_code in (0, 1, 3), r.output       # 3: an oven ERROR (a cell that cannot be read)
    return next(f for f in json.loads(r.stdout)["findings"] if f["rule_id"] == RULE)


@pytest.mark.parametrize("engine", ["numpy", "duckdb"])
@pytest.mark.parametrize(("heights", "header", "status", "ovens"), CASES)
def test_a_percent_cell_is_named_and_the_rest_of_the_column_is_judged(
        tmp_path: Path, engine: str, heights: list[Any], header: str, status: str,
        ovens: dict[str, tuple[str, str]]) -> None:
    path = tmp_path / "焦炉.xlsx"
    _book(path, heights, header)
    finding = _finding(path, engine)
    assert finding["status"] == status, finding["message"]
    entries = {e["facility"]: e for e in finding["facilities"]["entries"]}
    assert set(entries) == set(ovens)
    for oven, (said, text) in ovens.items():
        assert entries[oven]["status"] == said
        assert text in entries[oven]["message"], entries[oven]["message"]


def test_the_named_cell_reads_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "焦炉.xlsx"
    _book(path, [4.3, (PCT, 0.55)])
    r = CliRunner(env={"COLUMNS": "400"}).invoke(
        app, ["check", str(path), "-p", "yuncheng-energy-saving-14fyp", "--lang", "zh"], catch_exceptions=False)
    said = ("数据错误 2号焦炉（焦炉!C4）：无法读取："
            "焦炉!B4的炭化室高度单位为“%”，不能换算为规则所用的“米”；请按米填写")
    assert said in r.stdout
    assert "数据错误 · YC-COKE-43M-CLOSE-2023" not in r.stdout


def test_values_in_is_strict_for_the_sql_engines_and_per_cell_for_numpy() -> None:
    import numpy as np

    from cbcheck.errors import UnitError
    from cbcheck.facility_columns import foreign_cells, values_in
    from cbcheck.model import FacilityTable

    table = FacilityTable(source="焦炉", data={"_row": np.array([3, 4, 5]), "oven_height": np.array([4.3, 55.0, 6.0])},
                          columns={"oven_height": "B"}, units={"oven_height": None}, errors={},
                          cell_units={"oven_height": np.array([None, "%", None], dtype=object)})
    with pytest.raises(UnitError):
        values_in(table, "oven_height", "米")
    got = values_in(table, "oven_height", "米", strict=False)
    assert got[0] == 4.3 and np.isnan(got[1]) and got[2] == 6.0
    assert foreign_cells(table, "oven_height", "米").tolist() == [None, "%", None]
    assert foreign_cells(table, "oven_height", "%").tolist() == [None, None, None]
    assert values_in(table, "oven_height", "%", strict=False)[1] == 55.0


def _ovens_csv(tmp_path: Path, heights: list[str], engine: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The closure finding and its entries by oven for a CSV of ovens (all 在产) with these heights as typed."""
    path = tmp_path / "焦炉.csv"
    path.write_text("报告年度：2024\n焦炉名称,炭化室高度,状态\n"
                    + "".join(f"{i}号焦炉,{h},在产\n" for i, h in enumerate(heights, start=1)), encoding="utf-8")
    finding = _finding(path, engine)
    return finding, {e["facility"]: e for e in finding["facilities"]["entries"]}


@pytest.mark.parametrize("fast", ["1", "0"])
@pytest.mark.parametrize("engine", ["numpy", "duckdb"])
def test_a_percent_typed_as_text_in_a_csv_is_named_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       engine: str, fast: str) -> None:
    # CSV has no formats: 55% is typed. Before, the bare column read it as 55 (米) in silence, and
    # 2号焦炉, at 55 m, was simply not covered by the 4.3 m clause.
    monkeypatch.setenv("CBCHECK_FASTCSV", fast)
    finding, entries = _ovens_csv(tmp_path, ["4.3", "55%", "6"], engine)
    assert finding["status"] == "FAIL"
    assert set(entries) == {"1号焦炉", "2号焦炉"}
    assert entries["2号焦炉"]["status"] == "ERROR"
    assert "焦炉.csv:4:2 is in “%”" in entries["2号焦炉"]["message"], entries["2号焦炉"]["message"]


@pytest.mark.parametrize("engine", ["numpy", "duckdb"])
def test_heights_in_millimetres_are_converted(tmp_path: Path, engine: str) -> None:
    # 4300mm is 4.3 m: inside the clause (≤ 4.3, inclusive), so still running is FAIL; 5500毫米 is
    # 5.5 m, outside it. Before, mm was no unit: the cell was unreadable and the oven MISSING.
    finding, entries = _ovens_csv(tmp_path, ["4300mm", "5500毫米"], engine)
    assert finding["status"] == "FAIL"
    assert set(entries) == {"1号焦炉"} and entries["1号焦炉"]["status"] == "FAIL"
