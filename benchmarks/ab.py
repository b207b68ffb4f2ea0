"""Alternating A/B timing of one cbcheck command: another checkout (A) against this one (B).

    git archive <commit> | tar -x -C /tmp/base && python -m compileall -q /tmp/base/src
    python -m compileall -q src
    python benchmarks/ab.py /tmp/base 11 -- check FILE --policy jining-carbon-peak -q

Both sides run with this interpreter from the repository root (A through PYTHONPATH=A/src,
B through this src/), each with its own cache folder, warmed by two runs first; then the
rounds alternate A B, B A, ... Printed: the median wall time, the median CPU time
(user+sys of the child, steadier than wall on a shared machine) and the median peak RSS
(the child's own, from wait4) of each side, the median of the per-round ratios A/B, whether
both printed the same report, and the load average before and after.

``--reference FILE`` (before ``--``) adds a third side in the rotation, R: the bare
python-calamine read of FILE (run.py's reference for facility xlsx), and prints B/R, the ratio
the xlsx goal is stated in (median of per-round ratios):

    python benchmarks/ab.py /tmp/base 9 --reference F.xlsx -- check F.xlsx --policy P --year 2025 -q
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    base, rounds = Path(sys.argv[1]).resolve(), int(sys.argv[2])
    args = sys.argv[sys.argv.index("--") + 1:]
    options = sys.argv[3:sys.argv.index("--")]
    reference = options[options.index("--reference") + 1] if "--reference" in options else None
    caches = tempfile.mkdtemp(prefix="cbcheck-ab-")
    sides = {"A": {"PYTHONPATH": str(base / "src")}, "B": {"PYTHONPATH": str(ROOT / "src")}}
    if reference is not None:
        sides["R"] = {}

    def run(side: str) -> tuple[float, float, bytes, int]:
        extra = sides[side]
        env = {**os.environ, "NO_COLOR": "1", "CBCHECK_CACHE_DIR": f"{caches}/{side}", **extra}
        command = [sys.executable, "-c", BARE_CALAMINE, str(reference)] if side == "R" else \
            [sys.executable, "-m", "cbcheck", *args]
        with tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(command, env=env, cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=err)
            assert proc.stdout is not None
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)       # this child's own CPU time and peak RSS
            wall, proc.returncode = time.perf_counter() - t0, os.waitstatus_to_exitcode(status)
            proc.stdout.close()
            if proc.returncode not in (0, 1):
                err.seek(0)
                raise SystemExit(f"{side} failed ({proc.returncode}): {err.read().decode()[-2000:]}")
        # the digest, not the output: a forked child's peak RSS counts the parent's pages until it
        # execs, and keeping every 50 MB JSON report here raised the later rounds' peaks by
        # 100-200 MiB (so "peak RSS" of -f json runs measured before this were inflated)
        return wall, usage.ru_utime + usage.ru_stime, hashlib.sha256(out).digest(), usage.ru_maxrss
    for side in sides:
        run(side)
        run(side)
    load = os.getloadavg()[0]
    got: dict[str, list[tuple[float, float, bytes, int]]] = {side: [] for side in sides}
    order = list(sides)
    for r in range(rounds):
        for side in order[r % len(order):] + order[:r % len(order)] if reference else order[::(-1) ** r]:
            got[side].append(run(side))
    med = statistics.median
    wall = {s: med(g[0] for g in got[s]) for s in got}
    cpu = {s: med(g[1] for g in got[s]) for s in got}
    ratio_w = med(a[0] / b[0] for a, b in zip(got["A"], got["B"], strict=True))
    ratio_c = med(a[1] / b[1] for a, b in zip(got["A"], got["B"], strict=True))
    same = got["A"][-1][2] == got["B"][-1][2]
    rss = {s: med(g[3] for g in got[s]) / 1024 for s in got}
    print(f"wall: A {wall['A']:.3f} s, B {wall['B']:.3f} s, A/B {ratio_w:.2f}x | "
          f"cpu: A {cpu['A']:.3f} s, B {cpu['B']:.3f} s, A/B {ratio_c:.2f}x | "
          f"peak RSS: A {rss['A']:.0f} MiB, B {rss['B']:.0f} MiB | "
          f"{rounds} rounds, same report: {same}, load {load:.1f} -> {os.getloadavg()[0]:.1f}")
    if reference is not None:
        print(f"reference (bare calamine read): wall {wall['R']:.3f} s, cpu {cpu['R']:.3f} s, "
              f"peak RSS {rss['R']:.0f} MiB | "
              f"A/R wall {med(a[0] / r[0] for a, r in zip(got['A'], got['R'], strict=True)):.2f}x, "
              f"cpu {med(a[1] / r[1] for a, r in zip(got['A'], got['R'], strict=True)):.2f}x | "
              f"B/R wall {med(b[0] / r[0] for b, r in zip(got['B'], got['R'], strict=True)):.2f}x, "
              f"cpu {med(b[1] / r[1] for b, r in zip(got['B'], got['R'], strict=True)):.2f}x")


BARE_CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
print(len(CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()))
"""


if __name__ == "__main__":
    main()
