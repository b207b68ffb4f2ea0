"""The same submission as .xlsx and as .xls (or WPS .et) gives the same report: county tables, facility
tables, percent-formatted cells, a city's roll-up, the batch and the ledger. The .xls files were
written from the .xlsx ones by xlwt (tests/xls/make_xls.py says how); only the file's name and hash
may differ."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cbcheck.batch import expand_inputs
from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
XLS = ROOT / "tests" / "xls"
EX = ROOT / "examples"
ENV = {"NO_COLOR": "1", "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1750377600"}

# (the .xlsx, its .xls, the plan, more arguments)
CASES = [
    (EX / "jining-county-pass.xlsx", XLS / "jining-county-pass.xls", "jining-carbon-peak",
     ["--params", str(EX / "jining-params.yaml")]),
    (EX / "jining-county-fail.xlsx", XLS / "jining-county-fail.xls", "jining-carbon-peak",
     ["--params", str(EX / "jining-params.yaml")]),
    (EX / "yuncheng-county-fail.xlsx", XLS / "yuncheng-county-fail.xls", "yuncheng-energy-saving-14fyp",
     ["--params", str(EX / "yuncheng-params.yaml")]),
    (EX / "enterprise" / "yuncheng-power-plant.xlsx", XLS / "yuncheng-power-plant.xls",
     "yuncheng-energy-saving-14fyp", []),
    (EX / "enterprise" / "lvliang-data-centres.xlsx", XLS / "lvliang-data-centres.xls", "lvliang-carbon-peak", []),
    # a share typed as fractions in 0.0% cells (0.131 shown 13.1%): read as 13.1 %, as the .xlsx is
    (XLS / "jining-county-percent.xlsx", XLS / "jining-county-percent.xls", "jining-carbon-peak",
     ["--params", str(EX / "jining-params.yaml")]),
    # a coke-oven height written 0.55 in a 0% cell: that oven an ERROR at its cell, the others judged
    (XLS / "coke-percent.xlsx", XLS / "coke-percent.xls", "yuncheng-energy-saving-14fyp", []),
]


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args), env=ENV)
    return r.exit_code, r.stdout


def _json(path: Path, policy: str, args: list[str]) -> tuple[int, dict[str, Any]]:
    code, out = _run("check", str(path), "-p", policy, "-f", "json", *args)
    report = json.loads(out)
    del report["submission"]["path"], report["submission"]["sha256"]
    return code, report


@pytest.mark.parametrize("xlsx,xls,policy,args", CASES, ids=[c[1].stem for c in CASES])
def test_the_xls_report_is_the_xlsx_report(xlsx: Path, xls: Path, policy: str, args: list[str]) -> None:
    assert _json(xls, policy, args) == _json(xlsx, policy, args)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_text_report_differs_by_the_file_line_alone(lang: str) -> None:
    xlsx, xls, policy, args = CASES[1]
    (a_code, a), (b_code, b) = (_run("check", str(p), "-p", policy, "--lang", lang, *args) for p in (xlsx, xls))
    a_lines, b_lines = a.splitlines(), b.splitlines()
    differ = [(x, y) for x, y in zip(a_lines, b_lines, strict=True) if x != y]
    assert a_code == b_code == 1 and len(differ) == 1 and "jining-county-fail.xls" in differ[0][1]


def test_percent_cells_read_as_shown() -> None:
    """0.131 in a 0.0% cell is 13.1 % (the plan's ≥ 13 %: PASS), not 0.131 %."""
    code, report = _json(XLS / "jining-county-percent.xls", "jining-carbon-peak",
                         ["--params", str(EX / "jining-params.yaml")])
    share = [f for f in report["findings"] if f["observed"] == 13.1 and f["arithmetic"] == "13.1% ≥ 13%"]
    assert code == 0 and len(share) == 1 and share[0]["status"] == "PASS"
    _, coke = _json(XLS / "coke-percent.xls", "yuncheng-energy-saving-14fyp", [])
    rule = next(f for f in coke["findings"] if f["rule_id"] == "YC-COKE-43M-CLOSE-2023")
    by_oven = {e["facility"]: e for e in rule["facilities"]["entries"]}
    assert rule["status"] == "FAIL" and by_oven["2号焦炉"]["status"] == "ERROR"
    assert "焦炉!B4 is in “%”" in by_oven["2号焦炉"]["message"] and by_oven["1号焦炉"]["status"] == "FAIL"


def test_a_folder_takes_xls_and_et_files(tmp_path: Path) -> None:
    shutil.copy(XLS / "jining-county-pass.xls", tmp_path / "a.xls")
    shutil.copy(XLS / "jining-county-fail.xls", tmp_path / "b.ET")
    (tmp_path / "~$a.xls").write_bytes(b"lock")                # Excel's lock file: never a submission
    files, batch = expand_inputs([tmp_path])
    assert [f.name for f in files] == ["a.xls", "b.ET"] and batch
    code, out = _run("check", str(tmp_path), "-p", "jining-carbon-peak", "--params", str(EX / "jining-params.yaml"),
                     "-q")
    assert code == 1, out


def _rollup(folder: Path, lang: str) -> tuple[int, str]:
    code, out = _run("rollup", "-p", "jining-carbon-peak", "-y", "2025", str(folder),
                     "--params", str(EX / "city" / "params.yaml"), "--waivers", str(EX / "city" / "waivers.yaml"),
                     "--lang", lang)
    out = out.replace(str(folder), "<folder>")
    return code, re.sub(r"sha256 [0-9a-f]+|\.xlsx?\b", "", out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_city_rolls_up_xls_counties_as_xlsx_ones(lang: str) -> None:
    xls = _rollup(XLS / "city" / "xls", lang)
    assert xls == _rollup(XLS / "city" / "xlsx", lang) and xls[0] == 1
    if lang == "en":            # each county's cell named as a workbook cell, as the .xlsx's are
        assert "济宁市曲阜市 410 万吨 (qufu-2025 表1!D7)" in xls[1]


def test_the_ledger_records_xls_counties(tmp_path: Path) -> None:
    histories = []
    for kind in ("xlsx", "xls"):
        ledger = str(tmp_path / f"{kind}.sqlite")
        code, out = _run("check", str(XLS / "city" / kind), "-p", "jining-carbon-peak", "--record", "--ledger",
                         ledger, "-q")
        assert code == 1, out
        code, out = _run("history", "济宁市兖州区", "--ledger", ledger, "--lang", "zh")
        assert code == 0
        histories.append(re.sub(r"\.xlsx?\b", "", out))
    assert histories[0] == histories[1] and "2025" in histories[1]


@pytest.mark.parametrize("case", [c for c in CASES if "enterprise" in str(c[0]) or "coke" in c[1].name],
                         ids=lambda c: c[1].stem)
def test_the_engines_judge_an_xls_facility_table_alike(case: tuple[Path, Path, str, list[str]]) -> None:
    xlsx, xls, policy, args = case
    assert _json(xls, policy, [*args, "--engine", "duckdb"]) == _json(xlsx, policy, [*args, "--engine", "numpy"])
