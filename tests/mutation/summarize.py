"""Score per module and the surviving mutants of the last ``mutmut run`` (reads ``mutants/``).

Run from the repository root after ``mutmut run`` (tests/mutation/run.sh does both); prints
Markdown: one row per mutated module, then each survivor with its diff.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=None, help="wall time of the run, for the header")
    ap.add_argument("--no-diffs", action="store_true", help="list survivors by name only")
    args = ap.parse_args()
    metas = sorted((ROOT / "mutants").rglob("*.py.meta"))
    if not metas:
        print("no mutmut results under mutants/: run tests/mutation/run.sh", file=sys.stderr)
        return 2
    rows, survivors = [], []
    totals: Counter[str] = Counter()
    for meta in metas:
        module = str(meta.relative_to(ROOT / "mutants"))[: -len(".meta")]
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        counts = Counter(status_by_exit_code[c] for c in codes.values())
        totals.update(counts)
        judged = counts["killed"] + counts["timeout"] + counts["survived"] + counts["no tests"]
        score = (counts["killed"] + counts["timeout"]) / judged * 100 if judged else 0.0
        rows.append((module, len(codes), counts, score))
        survivors += [(module, name) for name, c in sorted(codes.items())
                      if status_by_exit_code[c] in {"survived", "no tests", "suspicious"}]
    when = f" in {args.seconds // 60} min {args.seconds % 60} s" if args.seconds is not None else ""
    print(f"## mutmut run{when}\n")
    print("| module | mutants | killed | timeout | survived | no tests | other | score |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for module, n, c, score in rows:
        other = n - c["killed"] - c["timeout"] - c["survived"] - c["no tests"]
        print(f"| {module} | {n} | {c['killed']} | {c['timeout']} | {c['survived']} | {c['no tests']} | {other} "
              f"| {score:.1f} % |")
    judged = totals["killed"] + totals["timeout"] + totals["survived"] + totals["no tests"]
    total = (totals["killed"] + totals["timeout"]) / judged * 100 if judged else 0.0
    print(f"| **all** | {sum(r[1] for r in rows)} | {totals['killed']} | {totals['timeout']} | "
          f"{totals['survived']} | {totals['no tests']} | | **{total:.1f} %** |\n")
    print("score = (killed + timeout) / (killed + timeout + survived + no tests)\n")
    print(f"## Survivors ({len(survivors)})\n")
    mutmut = Path(sys.executable).with_name("mutmut")
    for _, name in survivors:
        if args.no_diffs:
            print(f"- `{name}`")
            continue
        diff = subprocess.run([str(mutmut), "show", name], cwd=ROOT, capture_output=True, text=True).stdout
        print(f"### `{name}`\n\n```diff\n{diff.strip()}\n```\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
