"""How many facilities a report covers, by what the rules made of them: submitted, checked by at
least one rule, breached one, could not be judged under one, exempt from one (the view's
``facility_summary``, and json's). A facility is counted once however many rules judged it, so the
counting is over facilities (a table and a position in it) marked in a bitmap per table, not over
findings.
"""

from __future__ import annotations

from typing import Any

from cbcheck.model import Report


def facility_summary(report: Report) -> dict[str, int] | None:
    """How many facilities were submitted, checked by at least one rule, breached one, could not be
    judged under one (a cell unreadable or a value missing: 4.3/5.5, 2023年底前), exempt from one."""
    if not report.submission.facilities:
        return None
    import numpy as np

    # a facility is its table and its position there: marked in a bitmap per table and question,
    # rule by rule and part by part from the verdict codes (keys of 8 bytes a covered facility and
    # rule, and the rows they were made of, were ~10 MiB at the end of a 1M-row check)
    tables = {id(t): len(t) for t in report.submission.facilities}
    marks: dict[tuple[str, int], Any] = {}
    for f in report.findings:
        result = f.details.get("facilities")
        if result is None:
            continue
        names = result._status_names()
        exempt = names == "NOT_APPLICABLE"
        asked = {"checked": ~exempt, "breached": (names == "FAIL") | (names == "WARN"),
                 "unresolved": (names == "ERROR") | (names == "MISSING"), "exempt": exempt}
        for part in result.parts:
            n = tables[id(part.table)]
            index, verdicts = part.all_index, part.all_verdicts
            for what, by_code in asked.items():
                mark = marks.get((what, id(part.table)))
                if mark is None:
                    mark = marks[what, id(part.table)] = np.zeros(n, dtype=bool)
                mark[index[by_code[verdicts]]] = True
    counted = {what: sum(int(np.count_nonzero(m)) for (w, _), m in marks.items() if w == what)
               for what in ("checked", "breached", "unresolved", "exempt")}
    total = sum(len(t) for t in report.submission.facilities)
    return {"submitted": total, **counted}
