"""A facility check on the fast paths imports no pandas (~0.25 s of a run): the rules read the
table's numpy and Arrow columns (FacilityTable.data), and Arrow crosses to numpy by its buffers,
since pyarrow's own conversions import pandas when it is installed. Checked in a fresh process
for a CSV read by pyarrow (quiet, text and JSON reports), a Parquet file, and a facility xlsx read
by openpyxl and by calamine (which needs no pyarrow either); the SQL engines may import it
(``FacilityTable.frame``). Nor pyarrow.compute (~28 ms to import: it wraps ~300 kernels), for any
report, JSON included: the fast paths and the JSON listing call Arrow's kernels by name
(columnar.arrow_call)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "cases" / "facility-rules"
CODE = ("import sys; from cbcheck.cli import main\n"
        "sys.argv = ['cbcheck', 'check', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('PYARROW=' + str('pyarrow' in sys.modules))\n"
        "print('COMPUTE=' + str('pyarrow.compute' in sys.modules))\n"
        "print('PANDAS=' + str('pandas' in sys.modules))")


def _check(args: list[str], **env: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, check=True,
                         env={**os.environ, "NO_COLOR": "1", **env})
    return run.stdout.strip().splitlines()


def _facilities_listed(lines: list[str]) -> bool:
    return any("号机组" in line or "熟料线" in line for line in lines)


@pytest.mark.parametrize("form", [["-q"], [], ["-f", "json", "--all-facilities"], ["-f", "json"]],
                         ids=["quiet", "text", "json-all", "json"])
def test_a_facility_csv_check_imports_no_pandas(form: list[str], tmp_path: Path) -> None:
    """The case's CSV (per-cell units such as 200MW make text of a number column) and the same with
    a typo in a number column, by the pyarrow path."""
    typo = tmp_path / "typo.csv"
    text = (CASE / "submission.csv").read_text(encoding="utf-8")
    assert ",301.5," in text
    typo.write_text(text.replace(",301.5,", ",30l.5,"), encoding="utf-8")
    for path in (CASE / "submission.csv", typo):
        out = _check([str(path), "-p", str(CASE / "policy.yaml"), "--year", "2025", *form])
        assert out[-1] == "PANDAS=False", out
        assert out[-2] == "COMPUTE=False", out
        assert any("FAIL" in line or "未达标" in line for line in out)
        assert form == ["-q"] or _facilities_listed(out)


def test_a_batch_json_imports_no_pyarrow_compute(tmp_path: Path) -> None:
    """Several facility tables as one JSON document: every report's listing streamed by name too."""
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_bytes((CASE / "submission.csv").read_bytes())
    out = _check([str(tmp_path), "-p", str(CASE / "policy.yaml"), "--year", "2025", "-f", "json"])
    assert out[-2:] == ["COMPUTE=False", "PANDAS=False"], out
    assert _facilities_listed(out)


def test_a_parquet_check_imports_no_pandas(tmp_path: Path) -> None:
    path = tmp_path / "units.parquet"
    pq.write_table(pa.table({"机组名称": ["1号机组", None, "3号机组", "  "], "设施类型": ["燃煤发电机组"] * 4,
                             "机组类型": ["抽凝"] * 4, "装机容量(万千瓦)": [15, None, 20, 12],
                             "供电煤耗(克标准煤/千瓦时)": [310.0, None, 296.0, 301.5]}), path)
    out = _check([str(path), "-p", str(CASE / "policy.yaml"), "--year", "2025", "--lang", "en"])
    assert out[-2:] == ["COMPUTE=False", "PANDAS=False"], out
    listed = "\n".join(out)
    assert "1号机组" in listed and "(row 5)" in listed and "3号机组" not in listed   # a blank name: its row


@pytest.mark.parametrize("calamine", [False, True])
def test_a_facility_xlsx_check_imports_no_pandas(calamine: bool) -> None:
    env = {"CBCHECK_CALAMINE_FLAT_MIN_BYTES": "0"} if calamine else {"CBCHECK_FASTXLSX": "0"}
    out = _check([str(ROOT / "examples" / "enterprise" / "yuncheng-power-plant.xlsx"), "-p",
                  "yuncheng-energy-saving-14fyp"], **env)
    assert out[-3:] == ["PYARROW=False", "COMPUTE=False", "PANDAS=False"], out        # nor pyarrow, ~60 ms
    assert _facilities_listed(out)
