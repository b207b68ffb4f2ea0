"""What would a facility CSV check peak at if each group of record batches were judged as it is
read and no table were held? A probe for "What is left" in README.md ("Facility rules judged by
parts of the table"), built from cbcheck's own pieces, not a cbcheck path.

    python benchmarks/probe_stream.py benchmarks/_data/facilities-1000000.csv [ROWS_PER_GROUP]

The benchmark policy's rules and share, year 2025. The header is read as the reader reads it
(plan_columns); ``pyarrow.csv.open_csv`` parses the file in faststream's 256 KiB blocks (system
allocator), batches are gathered into groups of ROWS_PER_GROUP rows (65,536), each group goes
through ``BodySettler`` (合计/footers), ``build_table`` and every rule's ``RuleParts`` and the
share's ``ShareParts``; kept are the listings and verdict codes (as a report keeps them) and a
skeleton: row numbers, type codes, names. Prints each rule's counts (to compare with the
report), the share, CPU and the peak RSS (``ru_maxrss``); ``PROBE_TRACE=1``: RSS per group.
Not handled (a real path must): widening restarts, types unified across groups for the
skeleton's codes, the notes, the skeleton's use by the reports."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from cbcheck import backends
    from cbcheck.checks import Context
    from cbcheck.facilities import facility_catalogue
    from cbcheck.facility_parts import RuleParts, ShareParts
    from cbcheck.model import FacilityTable
    from cbcheck.policy import load_policy
    from cbcheck.reader import facility as rf
    from cbcheck.reader.facility_cells import LazyNames
    from cbcheck.reader.facility_settle import BodySettler
    from cbcheck.reader.fastcsv import _wanted

    path, group = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 65536
    trace = os.environ.get("PROBE_TRACE") == "1"
    lean = os.environ.get("PROBE_LEAN") == "1"
    backends.keep_passing(False)          # as the CLI without --all-facilities
    policy, cat = load_policy(str(ROOT / "benchmarks" / "facility-policy.yaml"))
    fc = facility_catalogue()
    with open(path, encoding="utf-8-sig") as fh:
        labels = fh.readline().rstrip("\r\n").split(",")
    r0, name_col, implied = rf.find_header([labels], fc) or (0, 0, None)
    plan = rf.plan_columns(labels, name_col, implied, cat, fc, None)
    width = len(labels)
    used, types = _wanted(plan, width)
    ctx = Context(year=2025, default_base_year=2020)
    rules = {r.id: RuleParts(r, ctx) for r in policy.rules if r.scope == "facility"}
    shares = {r.indicator: (spec, ShareParts(spec)) for r in policy.rules
              if (spec := (cat[r.indicator].derive or {}).get("facility_share"))}
    settler = BodySettler(_Grid(), width, name_col)
    kept_rows: list[Any] = []
    kept_types: list[Any] = []
    kept_names: list[Any] = []
    offset = 0
    all_types: dict[str, int] = {}

    def judge(rows: Any, raw: dict[str, Any]) -> None:
        nonlocal offset
        part, _ = rf.build_table("facilities.csv", raw, rows, plan, fc, csv=True, header_row=1,
                                 column_label=lambda c: str(c + 1))
        for judging in rules.values():
            judging.add(part, offset)
        for _, sharing in shares.values():
            sharing.add(part, offset)
        lut = np.array([all_types.setdefault(t, len(all_types)) for t in part.types] + [-1], dtype=np.int32)
        if not lean:        # PROBE_LEAN=1: what the skeleton would weigh without rows, types and names
            kept_rows.append(part.rows)
            kept_types.append(lut[part.data["_type"]])
            kept_names.append(part.lazy["_name"].raw if "_name" in part.lazy else pa.array(part.data["_name"]))
        offset += len(part)

    stream = pacsv.open_csv(
        path, read_options=pacsv.ReadOptions(skip_rows=r0 + 1, block_size=256 << 10,
                                             column_names=[str(c) for c in range(width)]),
        parse_options=pacsv.ParseOptions(delimiter=",", ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(include_columns=[str(c) for c in used], column_types=types,
                                             null_values=[""], strings_can_be_null=True),
        memory_pool=pa.system_memory_pool())
    batches: list[Any] = []
    first_row = r0 + 2
    n = 0
    for batch in stream:
        batches.append(batch)
        n += batch.num_rows
        if n >= group:
            first_row = _flush(batches, first_row, settler, judge)
            batches, n = [], 0
            if trace:
                print(f"{offset:>9} rows  peak {rss():.0f} MiB", file=sys.stderr)
    if batches:
        _flush(batches, first_row, settler, judge)
    for rows, raw in settler.finish():
        judge(rows, raw)
    if trace or lean:
        print(f"read and judged: peak {rss():.0f} MiB", file=sys.stderr)
    if lean:
        return
    skeleton = FacilityTable(source="facilities.csv", data={"_row": np.concatenate(kept_rows),
                                                           "_type": np.concatenate(kept_types), "_name": None},
                             columns={}, units={}, errors={}, csv=True, types=tuple(all_types),
                             lazy={"_name": LazyNames(pa.chunked_array(kept_names).combine_chunks())})
    kept_rows.clear(), kept_types.clear(), kept_names.clear()
    if trace:
        print(f"skeleton joined: peak {rss():.0f} MiB", file=sys.stderr)
    for rule_id, judging in rules.items():
        part = judging.result(skeleton)
        codes = np.bincount(part.all_verdicts).tolist() if part is not None else []
        print(rule_id, "covered", 0 if part is None else len(part.all_index), "listed",
              0 if part is None else len(part.index), "by verdict code", list(codes))
    for indicator, (_, sharing) in shares.items():
        got = sharing.result(skeleton)
        if isinstance(got, tuple):
            idx, holds, w = got
            print(indicator, f"{float(w[holds].sum()) / float(w.sum()) * 100:.6f}%", "over", len(idx))
        else:
            print(indicator, got)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"rows {len(skeleton):,}  cpu {usage.ru_utime + usage.ru_stime:.2f} s (whole process)  peak {rss():.0f} MiB")


def _flush(batches: list[Any], first_row: int, settler: Any, judge: Any) -> int:
    import pyarrow as pa

    table = pa.Table.from_batches(batches)
    rows = np.arange(first_row, first_row + table.num_rows, dtype=np.int64)
    raw = {name: table.column(name).combine_chunks() for name in table.column_names}
    del table
    for piece_rows, piece_raw in settler.add(rows, raw):
        judge(piece_rows, piece_raw)
    return first_row + len(rows)


class _Grid:
    """The settler's grid: the notes kept (the probe prints none)."""

    def __init__(self) -> None:
        self.notes: list[Any] = []

    def span(self, r1: int, c1: int, r2: int, c2: int) -> str:
        return f"R{r1}C{c1}:R{r2}C{c2}"


if __name__ == "__main__":
    main()
