"""The benchmark suite runs end to end at tiny sizes, so it cannot rot. Numbers are never
asserted here: speed is measured by `python benchmarks/run.py`, not by unit tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_suite_smoke(tmp_path: Path) -> None:
    env = {**os.environ, "CBCHECK_BENCH_DATA": str(tmp_path)}
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    for case in ("startup --help", "county xlsx end to end", "facility csv: cbcheck", "facility xlsx: cbcheck",
                 "batch of county files", "bare read (pandas+pyarrow)", "DuckDB by hand", "cbcheck --engine duckdb",
                 "cbcheck --format json", "facility parquet: cbcheck"):
        assert case in out.stdout, case
    # the references' breach counts were compared with cbcheck's (the suite stops when they differ)
    assert "DuckDB by hand = cbcheck: {'B-CHP-SUPPLY-COAL':" in out.stdout
    assert (tmp_path / "facilities-200.csv").is_file()
