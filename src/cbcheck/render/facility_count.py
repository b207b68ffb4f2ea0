"""How many facilities a report covers, by what the rules made of them: submitted, checked by at
least one rule, breached one, could not be judged under one, exempt from one (the view's
``facility_summary``, and json's). A facility is counted once however many rules judged it, so the
counting is over keys (table × 2³² + row) marked in a bitmap per table, not over findings.
"""

from __future__ import annotations

from typing import Any

from cbcheck.model import Report


def facility_summary(report: Report) -> dict[str, int] | None:
    """How many facilities were submitted, checked by at least one rule, breached one, could not be
    judged under one (a cell unreadable or a value missing: 4.3/5.5, 2023年底前), exempt from one."""
    if not report.submission.facilities:
        return None
    table_ids = {id(t): i for i, t in enumerate(report.submission.facilities)}
    # marked rule by rule: every rule's keys held until the end were 8 bytes a covered facility
    # and rule (~35 MiB at 5M rows, the peak of the check)
    checked, breached, unresolved, exempt = KeySet(), KeySet(), KeySet(), KeySet()
    for f in report.findings:
        result = f.details.get("facilities")
        if result is None:
            continue
        keys, verdicts, names = result.keyed_verdicts(table_ids)
        not_applicable, breach = names == "NOT_APPLICABLE", (names == "FAIL") | (names == "WARN")
        exempt.add(keys[not_applicable[verdicts]])
        checked.add(keys[~not_applicable[verdicts]])
        breached.add(keys[breach[verdicts]])
        unresolved.add(keys[((names == "ERROR") | (names == "MISSING"))[verdicts]])
        del keys, verdicts

    total = sum(len(t) for t in report.submission.facilities)
    return {"submitted": total, "checked": checked.count(), "breached": breached.count(),
            "unresolved": unresolved.count(), "exempt": exempt.count()}


def distinct_keys(parts: list) -> int:
    """How many distinct facility keys (table × 2³² + row) the arrays hold together."""
    seen = KeySet()
    for keys in parts:
        seen.add(keys)
    return seen.count()


class KeySet:
    """Facility keys (table × 2³² + row) marked in a bitmap per table (rows are dense), O(n) — a
    hash or a sort of 3M keys was a fifth of a 1M-row check; keys added part by part, not
    concatenated (the keys, their tables and rows were three arrays of 8 bytes a key)."""

    def __init__(self) -> None:
        self.marks: dict[int, Any] = {}

    def add(self, keys: Any) -> None:
        import numpy as np

        if not keys.size:
            return
        tables = keys >> 32
        lo, hi = int(tables.min()), int(tables.max())
        for t in range(lo, hi + 1):
            rows = (keys if lo == hi else keys[tables == t]) & 0xFFFFFFFF
            if not rows.size:
                continue
            top, mark = int(rows.max()) + 1, self.marks.get(t)
            if mark is None or len(mark) < top:
                grown = np.zeros(top, dtype=bool)
                if mark is not None:
                    grown[:len(mark)] = mark
                mark = self.marks[t] = grown
            mark[rows] = True

    def count(self) -> int:
        import numpy as np

        return sum(int(np.count_nonzero(m)) for m in self.marks.values())
