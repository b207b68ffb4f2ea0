"""Where a facility xlsx check spends its time, step by step, in one fresh process.

    python benchmarks/probe_xlsx.py benchmarks/_data/facilities-100000.xlsx [ROUNDS]

Runs ``cbcheck check FILE --policy benchmarks/facility-policy.yaml --year 2025 -q`` in a child
per round (a fresh process each time: first touches of pages are part of the cost), with the
reader's steps wrapped by timers, and prints each step's wall and CPU (process CPU: with the
reader's threads, CPU can exceed wall), exclusive of the steps nested in it, as medians over the
rounds. The imports are timed from interpreter start to ``cbcheck.cli`` and numpy imported (in
that order, as a check imports them: the CLI sets numpy's OpenBLAS threads first).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
import cbcheck.cli
import numpy
imports = (time.perf_counter() - t0, time.process_time() - c0)
import importlib
STEPS = [
    ("zip inflate", "cbcheck.reader.xlsxfile", "read_capped"),
    ("budget counts", "cbcheck.reader.xlsxfile", "check_counts"),
    ("merges/formulas scan", "cbcheck.reader.xlsxfile", "_scan_sheet_xml"),
    ("sheet questions", "cbcheck.reader.fastxlsx", "scan_body_cells"),
    ("cells (xlsxcells)", "cbcheck.reader.xlsxcolumns", "read_cells"),
    ("columns (xlsxcolumns)", "cbcheck.reader.fastxlsx", "calamine_body"),
    ("build_table", "cbcheck.reader.facility", "build_table"),
    ("rules (evaluate)", "cbcheck.engine", "evaluate"),
]
times = {name: [0.0, 0.0] for name, _, _ in STEPS}
stack = []
def wrap(name, f):
    def timed(*a, **k):
        t, c = time.perf_counter(), time.process_time()
        stack.append([0.0, 0.0])
        try:
            return f(*a, **k)
        finally:
            dt, dc = time.perf_counter() - t, time.process_time() - c
            inner = stack.pop()
            times[name][0] += dt - inner[0]
            times[name][1] += dc - inner[1]
            if stack:
                stack[-1][0] += dt
                stack[-1][1] += dc
    return timed
for name, mod, attr in STEPS:
    m = importlib.import_module(mod)
    setattr(m, attr, wrap(name, getattr(m, attr)))
sys.argv = ["cbcheck", *sys.argv[1:]]
t1, c1 = time.perf_counter(), time.process_time()
try:
    cbcheck.cli.main()
except SystemExit:
    pass
total = (time.perf_counter() - t1, time.process_time() - c1)
times["imports"] = list(imports)
times["other (head read, render, ...)"] = [total[0] - sum(v[0] for n, v in times.items() if n != "imports"),
                                           total[1] - sum(v[1] for n, v in times.items() if n != "imports")]
times["whole (after interpreter start)"] = [imports[0] + total[0], imports[1] + total[1]]
print(json.dumps(times), file=sys.stderr)
'''


def main() -> None:
    path, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    runs = []
    for _ in range(rounds):
        proc = subprocess.run([sys.executable, "-c", CHILD, "check", path, "--policy",
                               str(ROOT / "benchmarks/facility-policy.yaml"), "--year", "2025", "-q"],
                              capture_output=True, env={**os.environ, "NO_COLOR": "1"}, cwd=ROOT, check=False)
        runs.append(json.loads(proc.stderr.decode().strip().splitlines()[-1]))
    print("| step | wall (s) | CPU (s) |\n|---|---|---|")
    for name in runs[0]:
        w = statistics.median(r[name][0] for r in runs)
        c = statistics.median(r[name][1] for r in runs)
        print(f"| {name} | {w:.3f} | {c:.3f} |")
    print(f"{rounds} rounds, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
