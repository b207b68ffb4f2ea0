"""The facility summary counts each facility once however many rules judged it (bitmaps per table
over positions); it must count what sets of (table, row) count, rule by rule and part by part."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.checks.kind import Verdict
from cbcheck.facility_results import FacilityResult, TablePart
from cbcheck.render.facility_count import facility_summary


class _Table:
    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


def _part(table: _Table, covered: dict[int, int], kept: bool) -> TablePart:
    index = np.array(sorted(covered), dtype=np.int32)
    verdicts = np.array([covered[p] for p in sorted(covered)], dtype=np.int8)
    if kept:
        return TablePart(table, index, verdicts, np.full(len(index), np.nan), np.full(len(index), np.nan),  # type: ignore[arg-type]
                         "x", np.full(len(index), None, dtype=object))  # type: ignore[arg-type]
    none: Any = np.zeros(0, dtype=object)      # only the covered codes: what a streamed rule keeps
    return TablePart(table, index[:0], verdicts[:0], none, none, "x", none, (index, verdicts))  # type: ignore[arg-type]


def _expected(sizes: list[int], rules: list[tuple[bool, list[tuple[int, dict[int, int]]]]]) -> dict[str, int]:
    sets: dict[str, set[tuple[int, int]]] = {w: set() for w in ("checked", "breached", "unresolved", "exempt")}
    for binding, parts in rules:
        for t, covered in parts:
            for pos, code in covered.items():
                status = Verdict(code).status(binding).value
                key = (t, pos)
                if status == "NOT_APPLICABLE":
                    sets["exempt"].add(key)
                else:
                    sets["checked"].add(key)
                if status in ("FAIL", "WARN"):
                    sets["breached"].add(key)
                if status in ("ERROR", "MISSING"):
                    sets["unresolved"].add(key)
    return {"submitted": sum(sizes), **{w: len(s) for w, s in sets.items()}}


@st.composite
def _report(draw: Any) -> tuple[list[int], list[tuple[bool, list[tuple[int, dict[int, int]]]]], bool]:
    sizes = draw(st.lists(st.integers(1, 40), min_size=1, max_size=3))
    rules = []
    for _ in range(draw(st.integers(0, 4))):
        parts = []
        for t in draw(st.lists(st.integers(0, len(sizes) - 1), max_size=3, unique=True)):
            covered = draw(st.dictionaries(st.integers(0, sizes[t] - 1), st.integers(0, len(Verdict) - 1), max_size=20))
            parts.append((t, covered))
        rules.append((draw(st.booleans()), parts))
    return sizes, rules, draw(st.booleans())


@settings(max_examples=200, deadline=None)
@given(_report())
def test_the_summary_counts_what_sets_count(case: tuple[list[int], list[Any], bool]) -> None:
    sizes, rules, kept = case
    tables = [_Table(n) for n in sizes]
    findings = [SimpleNamespace(details={"facilities": FacilityResult(
        f"R{k}", "t", tuple(_part(tables[t], covered, kept) for t, covered in parts), binding)})
        for k, (binding, parts) in enumerate(rules)]
    findings.append(SimpleNamespace(details={}))        # a region rule beside them
    report: Any = SimpleNamespace(submission=SimpleNamespace(facilities=tables), findings=findings)
    assert facility_summary(report) == _expected(sizes, rules)


def test_by_hand() -> None:
    # table 0: position 2 fails one rule and passes another (checked once, breached once); position 3
    # exempt; table 1: position 2 missing (a different facility from table 0's position 2)
    t0, t1 = _Table(5), _Table(3)
    one = FacilityResult("A", "t", (_part(t0, {2: Verdict.MISS, 3: Verdict.EXEMPT}, False),
                                    _part(t1, {2: Verdict.MISSING}, True)))
    two = FacilityResult("B", "t", (_part(t0, {2: Verdict.MEETS}, False),))
    report: Any = SimpleNamespace(submission=SimpleNamespace(facilities=[t0, t1]),
                                  findings=[SimpleNamespace(details={"facilities": r}) for r in (one, two)])
    assert facility_summary(report) == {"submitted": 8, "checked": 2, "breached": 1, "unresolved": 1, "exempt": 1}
