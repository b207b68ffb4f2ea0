"""The fast facility paths (pandas/pyarrow for CSV, python-calamine for large xlsx) read exactly
what the cell-by-cell path reads: same findings, same cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
ENTERPRISE = sorted((ROOT / "examples" / "enterprise").glob("*.xlsx"))
POLICY = {"yuncheng": "yuncheng-energy-saving-14fyp", "jining": "jining-carbon-peak", "lvliang": "lvliang-carbon-peak"}


def _findings(path: Path, policy: str, env: dict[str, str]) -> list:
    r = CliRunner().invoke(app, ["check", str(path), "-p", policy, "-f", "json"], env=env)
    data = json.loads(r.stdout)
    return [(f["rule_id"], f["status"], f["location"], f["facilities"]) for f in data["findings"]]


@pytest.mark.parametrize("path", ENTERPRISE, ids=lambda p: p.name)
def test_calamine_path_reads_what_openpyxl_reads(path: Path) -> None:
    policy = POLICY[path.name.split("-")[0]]
    slow = _findings(path, policy, {"CBCHECK_FASTXLSX": "0"})
    fast = _findings(path, policy, {"CBCHECK_CALAMINE_FLAT_MIN_BYTES": "0"})
    assert fast == slow


def test_pandas_csv_path_reads_what_the_cell_path_reads(tmp_path: Path) -> None:
    case = ROOT / "tests" / "cases" / "facility-rules"
    quoted = tmp_path / "quoted.csv"      # a quote character sends the file down the C-engine path
    text = (case / "submission.csv").read_text(encoding="utf-8")
    quoted.write_text(text.replace("1号机组", '"1号机组"', 1), encoding="utf-8")
    blank = tmp_path / "blank.csv"        # a blank line: row numbers must stay exact
    lines = text.splitlines()
    blank.write_text("\n".join(lines[:3] + [""] + lines[3:]) + "\n", encoding="utf-8")
    args = ["-p", str(case / "policy.yaml"), "--year", "2025", "-f", "json"]
    base = json.loads(CliRunner().invoke(app, ["check", str(case / "submission.csv"), *args]).stdout)
    same = json.loads(CliRunner().invoke(app, ["check", str(quoted), *args]).stdout)
    shifted = json.loads(CliRunner().invoke(app, ["check", str(blank), *args]).stdout)
    statuses = [(f["rule_id"], f["status"]) for f in base["findings"]]
    assert statuses == [(f["rule_id"], f["status"]) for f in same["findings"]]
    assert statuses == [(f["rule_id"], f["status"]) for f in shifted["findings"]]
    first = {e["facility"]: e["location"] for e in base["findings"][1]["facilities"]["entries"]}
    moved = {e["facility"]: e["location"] for e in shifted["findings"][1]["facilities"]["entries"]}
    assert first["4号熟料线"] == "submission.csv:10:11" and moved["4号熟料线"] == "blank.csv:11:11"
