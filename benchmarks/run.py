"""cbcheck benchmark suite: generates its own data, times whole processes, prints ratios.

    python benchmarks/run.py                # the full suite (several minutes)
    python benchmarks/run.py --smoke        # tiny sizes, one run each (used by the tests)
    python benchmarks/run.py --write        # also rewrite the results block in benchmarks/README.md
    python benchmarks/run.py --only facility-csv --sizes 10000,100000

Every case is a whole process (`python -m cbcheck ...`), timed over several runs
(median wall time) with its peak resident memory (/usr/bin/time or getrusage).
References run in the same session on the same files: the bare read (pandas with
the pyarrow engine for CSV, python-calamine for xlsx) and the peers pandera and
frictionless expressing the same threshold checks. Nothing large is committed:
data goes to benchmarks/_data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path(os.environ.get("CBCHECK_BENCH_DATA", HERE / "_data"))
PY = sys.executable
POLICY = HERE / "facility-policy.yaml"

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
    path = DATA / f"facilities-{n}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        facility_frame(n).to_csv(path, index=False, encoding="utf-8")
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

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")


def measure(case: str, size: str, rows: int, argv: list[str], repeat: int, ok_codes=(0, 1)) -> Timing:
    timing = Timing(case, size, rows)
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    for _ in range(repeat):
        cmd = ([gnu_time, "-f", "%M"] if gnu_time else []) + argv
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        timing.runs.append(time.perf_counter() - t0)
        if proc.returncode not in ok_codes:
            raise SystemExit(f"{case} failed ({proc.returncode}): {' '.join(argv)}\n{proc.stderr[-2000:]}")
        if gnu_time:
            last = proc.stderr.strip().splitlines()[-1]
            timing.rss_kb = max(timing.rss_kb, int(last) if last.isdigit() else 0)
    return timing


def cbcheck(*args: str) -> list[str]:
    return [PY, "-m", "cbcheck", *args]


def py(code: str) -> list[str]:
    return [PY, "-c", textwrap.dedent(code)]


BARE_CSV = """
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], engine="pyarrow", dtype_backend="pyarrow")
print(len(df))
"""
BARE_XLSX = """
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_index(0).to_python()
print(len(rows))
"""
# The same thresholds as benchmarks/facility-policy.yaml, as far as each peer can say them.
PANDERA = """
import sys, pandas as pd, pandera.pandas as pa
df = pd.read_csv(sys.argv[1], engine="pyarrow")
coal = (df["设施类型"] == "燃煤发电机组") & (df["机组类型"] == "抽凝") & (df["容量"] <= 20)
nh3_limit = df["原料路线"].map({"优质无烟块煤": 1150, "粉煤": 1500, "天然气": 1050})
schema = pa.DataFrameSchema({
    "供电煤耗(克标准煤/千瓦时)": pa.Column(float, nullable=True, checks=pa.Check(
        lambda s: ~coal | s.isna() | (s <= 300), element_wise=False)),
    "可比熟料综合能耗(千克标准煤/吨)": pa.Column(float, nullable=True, checks=pa.Check.le(110, ignore_na=True)),
    "合成氨单位产品综合能耗(千克标准煤/吨)": pa.Column(float, nullable=True, checks=pa.Check(
        lambda s: s.isna() | (s <= nh3_limit), element_wise=False)),
})
try:
    schema.validate(df, lazy=True)
    print("valid")
except pa.errors.SchemaErrors as exc:
    print(len(exc.failure_cases), "failures")
"""
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

def case_startup(repeat: int) -> list[Timing]:
    return [measure("startup --help", "-", 0, cbcheck("--help"), repeat),
            measure("startup --version", "-", 0, cbcheck("--version"), repeat),
            measure("python -c pass (floor)", "-", 0, py("pass"), repeat)]


def case_county(repeat: int) -> list[Timing]:
    path = make_county_xlsx(150)
    return [measure("county xlsx end to end", "150 indicators", 150,
                    cbcheck("check", str(path), "--policy", "jining-carbon-peak", "-q"), repeat),
            measure("  bare read (calamine)", "150 indicators", 150, py(BARE_XLSX) + [str(path)], repeat,
                    ok_codes=(0,))]


def case_facility_csv(sizes: list[int], repeat: int, peers: bool) -> list[Timing]:
    out = []
    for n in sizes:
        path = str(make_facility_csv(n))
        label = f"{n:,} rows"
        out.append(measure("facility csv: cbcheck", label, n,
                           cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q"), repeat))
        out.append(measure("  bare read (pandas+pyarrow)", label, n, py(BARE_CSV) + [path], repeat, ok_codes=(0,)))
        if peers:
            out.append(measure("  pandera", label, n, py(PANDERA) + [path], repeat, ok_codes=(0,)))
            if n <= 100_000:   # frictionless is row-by-row Python; 1M rows takes minutes
                relative = os.path.relpath(path, ROOT)      # frictionless only opens relative paths
                out.append(measure("  frictionless", label, n, py(FRICTIONLESS) + [relative, str(n)],
                                   max(1, repeat - 2), ok_codes=(0,)))
    return out


def case_facility_xlsx(sizes: list[int], repeat: int) -> list[Timing]:
    out = []
    for n in sizes:
        path = str(make_facility_xlsx(n))
        label = f"{n:,} rows"
        out.append(measure("facility xlsx: cbcheck", label, n,
                           cbcheck("check", path, "--policy", str(POLICY), "--year", "2025", "-q"), repeat))
        out.append(measure("  bare read (calamine)", label, n, py(BARE_XLSX) + [path], repeat, ok_codes=(0,)))
    return out


def case_batch(n_files: int, repeat: int) -> list[Timing]:
    folder = make_batch(n_files)
    files = sorted(str(p) for p in folder.glob("*.xlsx"))
    return [measure("batch of county files", f"{n_files} files", n_files,
                    cbcheck("check", *files, "--policy", "jining-carbon-peak", "-q"), repeat)]


# --- report -------------------------------------------------------------------------------------

def table(timings: list[Timing]) -> str:
    lines = ["| case | size | wall (median) | runs | peak RSS | rows/s | ratio to the case above it |",
             "|---|---|---|---|---|---|---|"]
    head: Timing | None = None
    for t in timings:
        if not t.case.startswith("  "):
            head = t
        ratio = f"cbcheck = {head.median / t.median:.2f}×" if head is not None and t is not head else ""
        rate = f"{t.rows / t.median:,.0f}" if t.rows and t.median else ""
        rss = f"{t.rss_kb / 1024:.0f} MiB" if t.rss_kb else "n/a"
        lines.append(f"| {t.case.strip()}{' (ref)' if t.case.startswith('  ') else ''} | {t.size} | "
                     f"{t.median:.3f} s | {len(t.runs)} | {rss} | {rate} | {ratio} |")
    return "\n".join(lines)


def slopes(timings: list[Timing]) -> str:
    own = [t for t in timings if t.case == "facility csv: cbcheck"]
    parts = []
    for a, b in zip(own, own[1:]):
        parts.append(f"{a.size} → {b.size}: {(b.median - a.median) / (b.rows - a.rows) * 1e6:.2f} µs/row")
    return "; ".join(parts)


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
    return f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}; {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run, no peers")
    ap.add_argument("--write", action="store_true", help="rewrite the results block in benchmarks/README.md")
    ap.add_argument("--only", choices=["startup", "county", "facility-csv", "facility-xlsx", "batch"])
    ap.add_argument("--sizes", help="facility CSV sizes, comma separated")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    repeat = 1 if args.smoke else args.repeat
    csv_sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else \
        ([200] if args.smoke else [10_000, 100_000, 1_000_000])
    xlsx_sizes = [200] if args.smoke else [10_000, 100_000]
    batch = 5 if args.smoke else 1000
    peers = not args.smoke
    timings: list[Timing] = []
    if args.only in (None, "startup"):
        timings += case_startup(repeat)
    if args.only in (None, "county"):
        timings += case_county(repeat)
    if args.only in (None, "facility-csv"):
        timings += case_facility_csv(csv_sizes, repeat, peers)
    if args.only in (None, "facility-xlsx"):
        timings += case_facility_xlsx(xlsx_sizes, min(repeat, 3))
    if args.only in (None, "batch"):
        timings += case_batch(batch, min(repeat, 3))
    out = f"Machine: {machine()}\n\n{table(timings)}\n"
    if len([t for t in timings if t.case == "facility csv: cbcheck"]) > 1:
        out += f"\nGrowth of cbcheck's facility CSV time: {slopes(timings)}\n"
    print(out)
    if args.write:
        readme = HERE / "README.md"
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- results:start -->", "<!-- results:end -->"
        a, b = text.index(start) + len(start), text.index(end)
        readme.write_text(text[:a] + "\n" + out + text[b:], encoding="utf-8")


if __name__ == "__main__":
    main()
