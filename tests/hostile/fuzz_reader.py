"""Coverage-guided fuzzing of the reader with hypothesis byte strategies (issue 16).

Inputs are the bundled example files mutated the way damage and attackers mutate them: one zip
member of a real workbook replaced by random bytes, truncated, or spliced with a random slice
(sheet XML, styles, workbook, shared strings, content types); and the CSV examples with random
byte insertions, deletions and substitutions. hypothesis's search is guided by coverage when run
under ``--hypothesis-…`` / atheris-style engines; here it uses its own shrinking and a large
example count. Any exception other than :class:`cbcheck.errors.SubmissionError` (the reader's
own error type) is a failure, as is a read that takes longer than the time budget.

    python tests/hostile/fuzz_reader.py --examples 2000 --out tests/hostile/FUZZ_RESULTS.md

``tests/hostile/test_fuzz_slice.py`` runs a short, derandomised slice of the same strategies.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = (sorted((ROOT / "examples").glob("*.xlsx"))[:4]
             + sorted((ROOT / "examples" / "enterprise").glob("*.xlsx"))[:2])
CSVS = sorted((ROOT / "examples").glob("*.csv")) + sorted((ROOT / "tests" / "reader" / "cases").glob("*.csv"))[:6]


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


@st.composite
def mutated_workbook(draw: st.DrawFn) -> bytes:
    parts = _members(draw(st.sampled_from(WORKBOOKS)))
    i = draw(st.integers(0, len(parts) - 1))
    name, data = parts[i]
    how = draw(st.sampled_from(["replace", "truncate", "splice", "flip"]))
    if how == "replace":
        data = draw(st.binary(max_size=4000))
    elif how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=200)) + data[at + draw(st.integers(0, 200)):]
    else:
        buf = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            if buf:
                buf[draw(st.integers(0, len(buf) - 1))] = draw(st.integers(0, 255))
        data = bytes(buf)
    parts[i] = (name, data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts:
            zf.writestr(n, d)
    raw = out.getvalue()
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:     # damage the archive itself, sometimes
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut]
    return raw


@st.composite
def mutated_csv(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(CSVS)).read_bytes())
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["insert", "delete", "set"]))
        at = draw(st.integers(0, len(data)))
        if op == "insert":
            data[at:at] = draw(st.sampled_from([b"\x00", b'"', b"\r", b"\n", b",", b"\t", b"\xff", b"\xef\xbb\xbf",
                                                b"1e999", b"nan", b"-", b"\x1b[31m", "　".encode()]))
        elif op == "delete" and data:
            del data[at: at + draw(st.integers(1, 20))]
        elif data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
    return bytes(data)


def read_one(data: bytes, suffix: str, folder: Path) -> str:
    """'ok', 'refused' or raises: the property every fuzz input must satisfy."""
    from cbcheck.errors import SubmissionError
    from cbcheck.policy import catalogue
    from cbcheck.reader import read_submission

    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        read_submission(path, catalogue())
    except SubmissionError as exc:
        assert "\n" not in str(exc), "a refusal is one line"
        return "refused"
    return "ok"


def _fuzz(strategy, suffix: str, examples: int) -> tuple[dict[str, int], list[str], float, float]:  # noqa: ANN001
    """One target: (counts, failures, slowest, wall) over ``examples`` mutated inputs. A function of
    its own so the hypothesis test closes over this call's values, not a loop's variables."""
    from hypothesis import HealthCheck, given, settings

    counts = {"ok": 0, "refused": 0}
    failures: list[str] = []
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(data: bytes) -> None:
            nonlocal slowest
            t = time.perf_counter()
            try:
                counts[read_one(data, suffix, Path(tmp))] += 1
            except Exception as exc:  # noqa: BLE001 - every other exception is the finding
                failures.append(f"{type(exc).__name__}: {str(exc)[:120]}")
            slowest = max(slowest, time.perf_counter() - t)

        start = time.perf_counter()
        run()
        wall = time.perf_counter() - start
    return counts, failures, slowest, wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=1000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    lines = ["| target | examples | ok | refused | failures | slowest s | wall s |", "|---|---|---|---|---|---|---|"]
    total_failures = 0
    for label, strategy, suffix in (("xlsx zip members", mutated_workbook(), ".xlsx"),
                                    ("csv bytes", mutated_csv(), ".csv")):
        counts, failures, slowest, wall = _fuzz(strategy, suffix, args.examples)
        total_failures += len(failures)
        lines.append(f"| {label} | {args.examples} | {counts['ok']} | {counts['refused']} | {len(failures)} | "
                     f"{slowest:.2f} | {wall:.0f} |")
        for f in sorted(set(failures))[:20]:
            lines.append(f"|  | failure: {f.replace('|', '/')} | | | | | |")
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
