"""cbcheck benchmark suite: generates its own data, times whole processes, prints ratios.

    python benchmarks/run.py                # the full suite (long: 10M rows included)
    python benchmarks/run.py --smoke        # tiny sizes, one run each (used by the tests)
    python benchmarks/run.py --write        # also rewrite the results block in benchmarks/README.md
                                            # and the scaling plot benchmarks/scaling.png
    python benchmarks/run.py --only facility-csv --sizes 10000,100000

Every case is a whole process (`python -m cbcheck ...`), with its wall time and its peak
resident memory (``ru_maxrss`` of the child, from ``os.wait4``). The cases compared with each
other run in alternation, round by round (A B C, then C B A, ...), and each ratio is the
median of the per-round ratios, so a neighbour's load hits both sides alike. References run
in the same session on the same files: the bare read (pandas with the pyarrow engine for CSV,
python-calamine for xlsx), DuckDB and polars by hand, and the peers pandera and frictionless
(benchmarks/refs/). Every reference that can express the rules prints its breach count per
rule and the suite asserts it equals cbcheck's (frictionless cannot: it is marked partial).
Nothing large is committed: data goes to benchmarks/_data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REFS = HERE / "refs"
DATA = Path(os.environ.get("CBCHECK_BENCH_DATA", HERE / "_data"))
PY = sys.executable
POLICY = HERE / "facility-policy.yaml"
RULES = ("B-CHP-SUPPLY-COAL", "B-CLINKER", "B-AMMONIA", "B-OVEN-43")
# The largest generated CSV (10M rows) is ~480 MB, over cbcheck's default 200 MiB file limit
# (a guard against hostile input), and the 5M file's 5,000,001 lines (with the header) are over
# the default 5,000,000-line budget; the benchmark raises both the documented way.
BENCH_ENV = {"CBCHECK_MAX_BYTES": "4G", "CBCHECK_MAX_CSV_ROWS": "20000000"}

FACILITY_HEADER = ["设施名称", "设施类型", "机组类型", "容量", "原料路线", "炭化室高度(米)",
                   "供电煤耗(克标准煤/千瓦时)", "可比熟料综合能耗(千克标准煤/吨)",
                   "合成氨单位产品综合能耗(千克标准煤/吨)", "关停退出时间"]


# --- data ---------------------------------------------------------------------------------------

def facility_frame(n: int, seed: int = 20251121):
    """n facility rows of four types, deterministic, with some breaches and some blanks."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    types = rng.choice(["燃煤发电机组", "水泥熟料生产线", "合成氨装置", "焦炉"], size=n, p=[0.4, 0.25, 0.2, 0.15])
    frame = pd.DataFrame({"设施名称": [f"F{i:07d}" for i in range(n)], "设施类型": types})
    is_coal, is_clinker = types == "燃煤发电机组", types == "水泥熟料生产线"
    is_nh3, is_oven = types == "合成氨装置", types == "焦炉"
    frame["机组类型"] = np.where(is_coal, rng.choice(["抽凝", "纯凝", "背压"], size=n), "")
    capacity = np.where(is_coal, rng.choice([5, 13.5, 20, 35, 60], size=n),
                        np.where(is_clinker, rng.choice([1200, 2000, 2500, 5000], size=n),
                                 np.where(is_oven, rng.choice([40, 100, 150], size=n), np.nan)))
    frame["容量"] = capacity
    frame["原料路线"] = np.where(is_nh3, rng.choice(["优质无烟块煤", "粉煤", "天然气"], size=n), "")
    frame["炭化室高度(米)"] = np.where(is_oven, rng.choice([4.3, 5.5, 6.78], size=n), np.nan)
    frame["供电煤耗(克标准煤/千瓦时)"] = np.where(is_coal, rng.normal(298, 6, n).round(1), np.nan)
    frame["可比熟料综合能耗(千克标准煤/吨)"] = np.where(is_clinker, rng.normal(107, 4, n).round(1), np.nan)
    frame["合成氨单位产品综合能耗(千克标准煤/吨)"] = np.where(is_nh3, rng.normal(1250, 180, n).round(0), np.nan)
    closed = rng.choice(["2023-09-30", "2023-12-15", "未关停", ""], size=n, p=[0.5, 0.2, 0.2, 0.1])
    frame["关停退出时间"] = np.where(is_oven & (frame["炭化室高度(米)"] == 4.3), closed, "")
    return frame


def make_facility_csv(n: int) -> Path:
    """Up to 1M rows one frame; above that, 1M-row chunks (seeded by chunk) appended, so a 10M
    file is generated in bounded memory. Sizes up to 1M are the same files as before."""
    path = DATA / f"facilities-{n}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        chunk = 1_000_000
        for k, start in enumerate(range(0, n, chunk)):
            frame = facility_frame(min(chunk, n - start), seed=20251121 + k)
            if start:
                frame["设施名称"] = [f"F{i:08d}" for i in range(start, start + len(frame))]
            frame.to_csv(tmp, index=False, encoding="utf-8", mode="a" if start else "w", header=not start)
        tmp.replace(path)
    return path


def make_facility_parquet(n: int) -> Path:
    """The CSV's table as a monitoring platform would export it: typed columns, nulls for blanks."""
    path = DATA / f"facilities-{n}.parquet"
    if not path.exists():
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        text = ["设施名称", "设施类型", "机组类型", "原料路线", "关停退出时间"]
        table = pacsv.read_csv(make_facility_csv(n), convert_options=pacsv.ConvertOptions(
            column_types={c: "string" for c in text}, strings_can_be_null=True))
        pq.write_table(table, path)
    return path


def make_facility_xlsx(n: int) -> Path:
    path = DATA / f"facilities-{n}.xlsx"
    if not path.exists():
        import xlsxwriter  # fast writer, bench-only dependency

        DATA.mkdir(parents=True, exist_ok=True)
        frame = facility_frame(n)
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "nan_inf_to_errors": False})
        ws = wb.add_worksheet("设施")
        ws.write_row(0, 0, list(frame.columns))
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            ws.write_row(r, 0, ["" if (isinstance(v, float) and v != v) else v for v in row])
        wb.close()
    return path


def make_county_xlsx(n_indicators: int = 150) -> Path:
    """A county submission with ~150 indicator rows from the catalogue, years 2020/2024/2025."""
    path = DATA / f"county-{n_indicators}.xlsx"
    if not path.exists():
        import random

        import yaml
        from openpyxl import Workbook

        DATA.mkdir(parents=True, exist_ok=True)
        cat = yaml.safe_load((ROOT / "policies" / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
        numeric = [i for i in cat if i.get("kind", "number") in {"number", "share"}][:n_indicators]
        rnd = random.Random(7)
        wb = Workbook()
        ws = wb.active
        ws.title = "表1"
        ws.append(["济宁市某县2025年碳达峰目标任务完成情况统计表"])
        ws.append(["填报单位：示例县", None, None, "填报日期：2026-03-15"])
        ws.append(["序号", "指标名称", "单位", "2020年", "2024年", "2025年", "备注"])
        for k, ind in enumerate(numeric, start=1):
            base = rnd.uniform(5, 95) if ind["unit"] == "%" else rnd.uniform(10, 5000)
            ws.append([k, ind["name"], ind["unit"], round(base, 2), round(base * 1.05, 2), round(base * 1.08, 2), ""])
        wb.save(path)
    return path


def make_batch(n_files: int) -> Path:
    folder = DATA / f"batch-{n_files}"
    if not folder.exists():
        src = make_county_xlsx(40)
        folder.mkdir(parents=True)
        for k in range(n_files):
            shutil.copyfile(src, folder / f"county-{k:04d}.xlsx")
    return folder


# --- measuring ----------------------------------------------------------------------------------

@dataclass
class Timing:
    case: str
    size: str
    rows: int
    runs: list[float] = field(default_factory=list)
    rss_kb: int = 0
    note: str = ""
    ref: bool = False
    output: str = ""                 # stdout of the last run (a reference's counts)
    ratios: list[float] = field(default_factory=list)   # cbcheck / this, per round

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")


@dataclass
class Case:
    label: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0, 1)
    ref: bool = False
    note: str = ""


GNU_TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run_once(argv: list[str]) -> tuple[float, int, int, str, str]:
    """(wall seconds, peak RSS in KiB, exit code, stdout, stderr) of one whole process.

    Peak RSS comes from GNU time (``%M``) when installed: a child forked straight from this
    process would report at least *this* process's RSS (Linux keeps the high-water mark across
    fork and exec), and the suite holds large outputs in memory. Without GNU time, ``wait4``'s
    ``ru_maxrss``, with that caveat."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src"), **BENCH_ENV}
    cmd = [GNU_TIME, "-f", "%M"] + argv if GNU_TIME else argv
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    rss = usage.ru_maxrss
    if GNU_TIME:
        lines = stderr.rstrip().splitlines()
        if lines and lines[-1].strip().isdigit():
            rss = int(lines[-1].strip())
            stderr = "\n".join(lines[:-1])
        if code != 0 and lines and lines[-1].startswith("Command exited with non-zero status"):
            stderr = "\n".join(lines[:-1])
        stderr = "\n".join(line for line in stderr.splitlines()
                            if not line.startswith("Command exited with non-zero status"))
    return wall, rss, code, stdout, stderr


def measure_group(size: str, rows: int, cases: list[Case], repeat: int) -> list[Timing]:
    """Run ``cases`` in alternation, ``repeat`` rounds (forwards, then backwards, ...); the first
    case is the one the others are compared with, round by round."""
    timings = [Timing(c.label, size, rows, ref=c.ref, note=c.note) for c in cases]
    for r in range(repeat):
        order = list(range(len(cases)))
        if r % 2:
            order.reverse()
        walls = {}
        for i in order:
            case, timing = cases[i], timings[i]
            wall, rss, code, out, err = run_once(case.argv)
            if code not in case.ok_codes:
                raise SystemExit(f"{case.label} failed ({code}): {' '.join(case.argv)}\n{err[-2000:]}")
            timing.runs.append(wall)
            timing.rss_kb = max(timing.rss_kb, rss)
            timing.output = out
            walls[i] = wall
        for i in range(1, len(cases)):
            timings[i].ratios.append(walls[0] / walls[i])
    return timings


def measure(case: str, size: str, rows: int, argv: list[str], repeat: int, ok_codes=(0, 1)) -> Timing:
    return measure_group(size, rows, [Case(case, argv, ok_codes)], repeat)[0]


def cbcheck(*args: str) -> list[str]:
    return [PY, "-m", "cbcheck", *args]


def py(code: str) -> list[str]:
    return [PY, "-c", textwrap.dedent(code)]


BARE_CSV = """
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], engine="pyarrow", dtype_backend="pyarrow")
print(len(df))
"""
BARE_PYARROW_CSV = """
import sys, pyarrow.csv as pacsv
print(pacsv.read_csv(sys.argv[1]).num_rows)
"""
BARE_PARQUET = """
import sys, pyarrow.parquet as pq
print(pq.read_table(sys.argv[1]).num_rows)
"""
BARE_XLSX = """
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_index(0).to_python()
print(len(rows))
"""
# frictionless can only say "maximum" per column (no applicability, categories, deadline or share):
# its ammonia check uses the loosest threshold (1500). Its error count is not cbcheck's: partial.
FRICTIONLESS = """
import sys
from frictionless import Resource, Schema, fields, validate
schema = Schema(fields=[
    fields.StringField(name="设施名称"), fields.StringField(name="设施类型"), fields.StringField(name="机组类型"),
    fields.NumberField(name="容量"), fields.StringField(name="原料路线"), fields.NumberField(name="炭化室高度(米)"),
    fields.NumberField(name="供电煤耗(克标准煤/千瓦时)", constraints={"maximum": 300}),
    fields.NumberField(name="可比熟料综合能耗(千克标准煤/吨)", constraints={"maximum": 110}),
    fields.NumberField(name="合成氨单位产品综合能耗(千克标准煤/吨)", constraints={"maximum": 1500}),
    fields.StringField(name="关停退出时间"),
])
report = validate(Resource(path=sys.argv[1], schema=schema), limit_errors=10**9)
rows = report.tasks[0].stats.get("rows")
# frictionless refuses unsafe paths (absolute ones) with a single error and no rows read: that
# is not a validation, so fail loudly rather than time it
assert rows == int(sys.argv[2]), (rows, report.flatten(["type", "note"])[:3])
print(report.stats["errors"], "errors in", rows, "rows")
"""


# --- cases --------------------------------------------------------------------------------------

def have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def case_startup(repeat: int) -> list[Timing]:
    return [measure("startup --help", "-", 0, cbcheck("--help"), repeat),
            measure("startup --version", "-", 0, cbcheck("--version"), repeat),
            measure("python -c pass (floor)", "-", 0, py("pass"), repeat)]


def case_county(repeat: int) -> list[Timing]:
    path = make_county_xlsx(150)
    return measure_group("150 indicators", 150, [
        Case("county xlsx end to end", cbcheck("check", str(path), "--policy", "jining-carbon-peak", "-q")),
        Case("bare read (calamine)", py(BARE_XLSX) + [str(path)], (0,), ref=True)], repeat)


def cbcheck_counts(path: str, *extra: str) -> tuple[dict[str, int], float]:
    """cbcheck's breaches per rule and the coke-oven share, from its CSV report (one row per rule)."""
    import csv
    import io

    _, _, code, out, err = run_once(cbcheck("check", path, "--policy", str(POLICY), "--year", "2025",
                                            "--format", "csv", "--lang", "en", *extra))   # English headers
    if code not in (0, 1):
        raise SystemExit(f"cbcheck failed ({code}) on {path}: {err[-2000:]}")
    rows = {r["rule_id"]: r for r in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))}
    counts = {rule: int(rows[rule]["observed"].split("/")[0]) for rule in RULES}
    return counts, float(rows["B-LARGE-OVEN-SHARE"]["observed"])


def verify_counts(path: str, timings: list[Timing], engines: list[str]) -> str:
    """Every reference that expresses the rules reports cbcheck's breach counts (and the share
    where it computes one), and cbcheck reports the same under every engine: else stop."""
    counts, share = cbcheck_counts(path)
    for engine in engines:
        other = cbcheck_counts(path, "--engine", engine)
        if other != (counts, share):
            raise SystemExit(f"cbcheck --engine {engine} disagrees on {path}: {other} vs {(counts, share)}")
    checked = []
    for t in timings:
        last = t.output.strip().splitlines()[-1] if t.output.strip() else ""
        if not t.ref or not last.startswith('{"counts"'):
            continue
        got = json.loads(last)
        if got["counts"] != counts:
            raise SystemExit(f"{t.case} reports {got['counts']} breaches, cbcheck {counts} ({path})")
        if "share" in got and abs(got["share"] - share) > 1e-5:
            raise SystemExit(f"{t.case} computes the share as {got['share']}, cbcheck {share} ({path})")
        checked.append(t.case)
    return f"{', '.join(checked) or 'no reference'} = cbcheck: {counts}, share {share:.6g}%"


def engines_available() -> list[str]:
    """cbcheck's engines besides its default (numpy): timed beside it and compared with it."""
    _, _, code, out, _ = run_once(cbcheck("check", "--help"))
    return ["duckdb"] if "--engine" in out else []


def case_facility_csv(sizes: list[int], repeat: int, peers: bool) -> tuple[list[Timing], list[str]]:
    out, agreements = [], []
    engines = engines_available()
    for n in sizes:
        path = str(make_facility_csv(n))
        label = f"{n:,} rows"
        cases = [Case("facility csv: cbcheck",
                      cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q"))]
        for engine in engines:
            cases.append(Case(f"cbcheck --engine {engine}",
                              cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q",
                                      "--engine", engine), ref=True))
        if n == 1_000_000 or (n <= 1_000 and not peers):     # the report at scale: JSON vs -q
            cases.append(Case("cbcheck --format json", cbcheck("check", path, "--policy", str(POLICY), "--year",
                                                               "2025", "--format", "json"), ref=True))
        cases.append(Case("cbcheck, general CSV path", ["env", "CBCHECK_FASTCSV=0"] +
                          cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q"), ref=True,
                          note="CBCHECK_FASTCSV=0: decode, pandas"))
        cases.append(Case("bare read (pandas+pyarrow)", py(BARE_CSV) + [path], (0,), ref=True))
        cases.append(Case("bare read (pyarrow.csv)", py(BARE_PYARROW_CSV) + [path], (0,), ref=True))
        if have("duckdb"):
            cases.append(Case("DuckDB by hand", [PY, str(REFS / "duckdb_by_hand.py"), path], (0,), ref=True))
        if peers and have("polars"):
            cases.append(Case("polars by hand", [PY, str(REFS / "polars_check.py"), path], (0,), ref=True))
        if peers and have("pandera"):
            cases.append(Case("pandera", [PY, str(REFS / "pandera_check.py"), path], (0,), ref=True))
        rounds = repeat if n <= 1_000_000 else 1      # 5M/10M: one round (minutes each on 2 cores)
        timings = measure_group(label, n, cases, rounds)
        if peers and have("frictionless") and n <= 100_000:   # row-by-row Python; 1M rows takes minutes
            relative = os.path.relpath(path, ROOT)      # frictionless only opens relative paths
            timings += measure_group(label, n, [
                Case("facility csv: cbcheck",
                     cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q")),
                Case("frictionless (partial)", py(FRICTIONLESS) + [relative, str(n)], (0,), ref=True,
                     note="column maxima only")], max(1, repeat - 2))[1:]
        agreements.append(f"{label}: {verify_counts(path, timings, engines)}")   # default (numpy) vs each
        out += timings
    return out, agreements


def case_facility_xlsx(sizes: list[int], repeat: int) -> list[Timing]:
    out = []
    for n in sizes:
        path = str(make_facility_xlsx(n))
        out += measure_group(f"{n:,} rows", n, [
            Case("facility xlsx: cbcheck", cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q")),
            Case("cbcheck, openpyxl path", ["env", "CBCHECK_FASTXLSX=0"] +
                 cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q"), ref=True,
                 note="every row by openpyxl"),
            Case("bare read (calamine)", py(BARE_XLSX) + [path], (0,), ref=True)], repeat)
    return out


def case_facility_parquet(sizes: list[int], repeat: int) -> list[Timing]:
    out = []
    for n in sizes:
        path = str(make_facility_parquet(n))
        out += measure_group(f"{n:,} rows", n, [
            Case("facility parquet: cbcheck",
                 cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q")),
            Case("bare read (pyarrow parquet)", py(BARE_PARQUET) + [path], (0,), ref=True)], repeat)
    return out


def case_batch(n_files: int, repeat: int) -> list[Timing]:
    folder = make_batch(n_files)
    files = sorted(str(p) for p in folder.glob("*.xlsx"))
    return [measure("batch of county files", f"{n_files} files", n_files,
                    cbcheck("check", *files, "--policy", "jining-carbon-peak", "-q"), repeat)]


# --- report -------------------------------------------------------------------------------------

def table(timings: list[Timing]) -> str:
    lines = ["| case | size | wall (median) | runs | peak RSS | rows/s | cbcheck ÷ this (median of rounds) |",
             "|---|---|---|---|---|---|---|"]
    for t in timings:
        ratio = f"{statistics.median(t.ratios):.2f}×" if t.ratios else ""
        rate = f"{t.rows / t.median:,.0f}" if t.rows and t.median else ""
        rss = f"{t.rss_kb / 1024:.0f} MiB" if t.rss_kb else "n/a"
        note = f" — {t.note}" if t.note else ""
        lines.append(f"| {t.case}{' (ref)' if t.ref else ''}{note} | {t.size} | "
                     f"{t.median:.3f} s | {len(t.runs)} | {rss} | {rate} | {ratio} |")
    return "\n".join(lines)


def slopes(timings: list[Timing]) -> str:
    own = [t for t in timings if t.case == "facility csv: cbcheck"]
    parts = []
    for a, b in zip(own, own[1:]):
        parts.append(f"{a.size} → {b.size}: {(b.median - a.median) / (b.rows - a.rows) * 1e6:.2f} µs/row")
    return "; ".join(parts)


def plot(timings: list[Timing], path: Path) -> bool:
    """Time and peak memory against rows, log-log, one line per tool (facility CSV); False when
    matplotlib is absent (it is in the ``bench`` extra)."""
    if not have("matplotlib"):
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[Timing]] = {}
    for t in timings:
        if t.rows and t.size.endswith("rows") and not any(w in t.case for w in ("xlsx", "calamine", "parquet")):
            series.setdefault(t.case, []).append(t)
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(12, 4.8))
    for name, ts in series.items():
        ts = sorted({t.rows: t for t in ts}.values(), key=lambda t: t.rows)
        style = "o-" if not ts[0].ref else ".--"
        ax_t.plot([t.rows for t in ts], [t.median for t in ts], style, label=name)
        ax_m.plot([t.rows for t in ts], [t.rss_kb / 1024 for t in ts], style, label=name)
    sizes = sorted({t.rows for ts in series.values() for t in ts})
    files = [make_facility_csv(n).stat().st_size / 2**20 for n in sizes]
    ax_m.plot(sizes, [3 * f for f in files], "k:", label="goal: 3× the file")
    for ax, what in ((ax_t, "wall time (s)"), (ax_m, "peak RSS (MiB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("facility rows (CSV)")
        ax.set_ylabel(what)
        ax.grid(True, which="both", alpha=0.3)
    ax_m.legend(fontsize=7)
    fig.suptitle(f"cbcheck facility CSV scaling — {machine()}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def parse_table(text: str) -> list[Timing]:
    """Timings back from a printed results table (median only, for the plot)."""
    out = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or not cells[2].endswith(" s"):
            continue
        case, ref = cells[0].split(" — ")[0], " (ref)" in cells[0]
        case = case.replace(" (ref)", "")
        rows = int(cells[1].split()[0].replace(",", "")) if cells[1].endswith("rows") else 0
        t = Timing(case, cells[1], rows, [float(cells[2][:-2])], ref=ref)
        t.rss_kb = int(float(cells[4].split()[0]) * 1024) if cells[4].endswith("MiB") else 0
        out.append(t)
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    try:
        load = f"; load average {os.getloadavg()[0]:.1f} at the end"
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}; {platform.system()}{load}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run, only the references in the "
                    "base install (the breach counts are still compared)")
    ap.add_argument("--write", action="store_true", help="rewrite the results block in benchmarks/README.md "
                    "and benchmarks/scaling.png")
    ap.add_argument("--only", choices=["startup", "county", "facility-csv", "facility-parquet", "facility-xlsx",
                                       "batch"])
    ap.add_argument("--sizes", help="facility CSV sizes, comma separated")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--plot-from", type=Path, help="redraw benchmarks/scaling.png from a results table "
                    "(the README block or saved output) without running anything")
    args = ap.parse_args()
    if args.plot_from:
        plot(parse_table(args.plot_from.read_text(encoding="utf-8")), HERE / "scaling.png")
        return
    # Bytecode as an installed cbcheck has it (pip compiles at install time): with
    # PYTHONDONTWRITEBYTECODE set, as on the shared machine, every timed process would otherwise
    # compile cbcheck's ~50 modules from source (~60 ms CPU of a county check).
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    repeat = 1 if args.smoke else args.repeat
    csv_sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else \
        ([200] if args.smoke else [10_000, 100_000, 1_000_000, 5_000_000, 10_000_000])
    xlsx_sizes = [200] if args.smoke else [10_000, 100_000]
    batch = 5 if args.smoke else 1000
    peers = not args.smoke
    timings: list[Timing] = []
    agreements: list[str] = []
    if args.only in (None, "startup"):
        timings += case_startup(repeat)
    if args.only in (None, "county"):
        timings += case_county(repeat)
    if args.only in (None, "facility-csv"):
        csv_timings, agreements = case_facility_csv(csv_sizes, repeat, peers)
        timings += csv_timings
    if args.only in (None, "facility-parquet"):
        timings += case_facility_parquet([200] if args.smoke else [100_000, 1_000_000], min(repeat, 3))
    if args.only in (None, "facility-xlsx"):
        timings += case_facility_xlsx(xlsx_sizes, min(repeat, 3))
    if args.only in (None, "batch"):
        timings += case_batch(batch, min(repeat, 3))
    out = f"Machine: {machine()}\n\n{table(timings)}\n"
    if len([t for t in timings if t.case == "facility csv: cbcheck"]) > 1:
        out += f"\nGrowth of cbcheck's facility CSV time: {slopes(timings)}\n"
    if agreements:
        out += "\nBreach counts agree (asserted):\n\n" + "\n".join(f"- {a}" for a in agreements) + "\n"
    print(out)
    if args.write:
        readme = HERE / "README.md"
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- results:start -->", "<!-- results:end -->"
        a, b = text.index(start) + len(start), text.index(end)
        readme.write_text(text[:a] + "\n" + out + text[b:], encoding="utf-8")
        if plot(timings, HERE / "scaling.png"):
            print("wrote benchmarks/scaling.png")


if __name__ == "__main__":
    main()
