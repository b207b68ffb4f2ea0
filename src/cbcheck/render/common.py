"""Bits every renderer shares: value formatting and the exit-code verdict words."""

from __future__ import annotations

from typing import Any

from cbcheck.checks.base import fmt, with_unit
from cbcheck.model import Finding, Report, Status

STRENGTH_LABEL = {"binding": "binding 约束性", "aspirational": "aspirational 预期性",
                  "approximate": "approximate 左右"}


def observed_text(f: Finding) -> str:
    if f.observed is None:
        return "—"
    return with_unit(f.observed, f.unit)


def expected_text(f: Finding) -> str:
    if f.expected is None:
        return "—"
    if isinstance(f.expected, str):
        return f.expected
    return f"{f.comparator} {with_unit(f.expected, f.unit)}".strip()


def number(x: Any) -> Any:
    """JSON numbers without float noise (110.00000000000001 -> 110.0)."""
    if isinstance(x, float):
        return float(f"{x:.10g}")
    return x


FACILITY_LIST_LIMIT = 20   # per rule in text and markdown; JSON lists every facility


def facility_result(f: Finding):  # -> FacilityResult | None
    return f.details.get("facilities")


def facility_summary(report: Report) -> dict[str, int] | None:
    """How many facilities were submitted, checked by at least one rule, breached one, exempt from one."""
    if not report.submission.facilities:
        return None
    checked: set[tuple[str, int]] = set()
    breached: set[tuple[str, int]] = set()
    exempt: set[tuple[str, int]] = set()
    for f in report.findings:
        result = facility_result(f)
        if result is None:
            continue
        for e in result.entries():
            key = (e["table"], e["row"])
            if e["status"] == "NOT_APPLICABLE":
                exempt.add(key)
            else:
                checked.add(key)
            if e["status"] in ("FAIL", "WARN"):
                breached.add(key)
    total = sum(len(t) for t in report.submission.facilities)
    return {"submitted": total, "checked": len(checked), "breached": len(breached), "exempt": len(exempt)}


def summary_line(report: Report) -> str:
    counts = report.counts()
    return " · ".join(f"{n} {s}" for s, n in counts.items() if n)


def exit_code(report: Report) -> int:
    return {"compliant": 0, "non-compliant": 1, "incomplete": 3}[report.verdict()]


def short_sha(sha: str) -> str:
    return sha[:12]


__all__ = ["fmt", "with_unit", "Status"]
