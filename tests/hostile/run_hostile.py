"""Run the hostile corpus, each case in its own subprocess under a memory ceiling and a timeout,
and print (or record) a table of exit code, wall time and peak memory per case.

    python tests/hostile/run_hostile.py                      # this tree
    python tests/hostile/run_hostile.py --src OTHER/src      # another checkout (before/after)
    python tests/hostile/run_hostile.py --timeout 120 --mem 6000 --out results.md

The ceiling is ``RLIMIT_AS`` (address space) in the child, so a runaway allocation fails with
MemoryError instead of taking the machine; peak memory is the child's maximum resident set
(``wait4``), which is what the issue's 500 MB budget is about.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import CASES, Case, first_round_cases  # noqa: E402

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class Outcome:
    case: Case
    code: int | None            # None: killed at the timeout
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.code is None


def run_limited(argv: list[str], cwd: Path, *, timeout: float, mem_mb: int, env: dict[str, str] | None = None,
                src: Path = SRC) -> tuple[int | None, float, float, str, str]:
    """(exit code or None on timeout, seconds, peak RSS in MB, stdout, stderr) of ``cbcheck argv``."""
    def limits() -> None:
        ceiling = mem_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        os.setsid()

    full_env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1", "LANG": "C.UTF-8", "COLUMNS": "120",
                **(env or {})}
    full_env.pop("CBCHECK_CONFIG", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "cbcheck", *argv], cwd=cwd, env=full_env, stdout=out,
                                stderr=err, stdin=subprocess.DEVNULL, preexec_fn=limits)
        code: int | None = None
        usage = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = code if code is not None else -9
        seconds = time.monotonic() - start
        peak = usage.ru_maxrss / 1024 if usage else 0.0       # Linux: kilobytes
        out.seek(0)
        err.seek(0)
        return code, seconds, peak, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")


def run_case(case: Case, workdir: Path, *, timeout: float, mem_mb: int, src: Path = SRC) -> Outcome:
    workdir.mkdir(parents=True, exist_ok=True)
    argv = case.build(workdir)
    code, seconds, peak, out, err = run_limited(argv, workdir, timeout=timeout, mem_mb=mem_mb, env=case.env, src=src)
    return Outcome(case, code, seconds, peak, out, err)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=SRC)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--mem", type=int, default=2048, help="address-space ceiling, MB")
    ap.add_argument("--only", default="", help="comma-separated case names")
    ap.add_argument("--first-round", action="store_true", help="also the tests/badinput corpus")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    cases = CASES + (first_round_cases() if args.first_round else [])
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in cases if c.name in wanted]
    lines = ["| case | class | exit | wall s | peak RSS MB | stderr (first line) |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases):
            o = run_case(case, Path(tmp) / f"{i:03d}", timeout=args.timeout, mem_mb=args.mem, src=args.src)
            first = (o.stderr.strip().splitlines() or [""])[0][:110].replace("|", "\\|")
            shown = "timeout" if o.timed_out else str(o.code)
            line = f"| {case.name} | {case.cls} | {shown} | {o.seconds:.2f} | {o.peak_mb:.0f} | {first} |"
            print(line, flush=True)
            lines.append(line)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
