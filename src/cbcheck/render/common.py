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


def summary_line(report: Report) -> str:
    counts = report.counts()
    return " · ".join(f"{n} {s}" for s, n in counts.items() if n)


def exit_code(report: Report) -> int:
    return {"compliant": 0, "non-compliant": 1, "incomplete": 3}[report.verdict()]


def short_sha(sha: str) -> str:
    return sha[:12]


__all__ = ["fmt", "with_unit", "Status"]
