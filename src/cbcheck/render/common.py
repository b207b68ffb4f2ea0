"""Bits every renderer shares: value formatting, localised labels and titles, verdict words,
and making user-supplied text safe for XML and spreadsheets."""

from __future__ import annotations

from typing import Any, Iterable

import re
from typing import TYPE_CHECKING

from cbcheck.checks.base import fmt, with_unit
from cbcheck.exitcodes import for_verdict
from cbcheck.i18n import Messages
from cbcheck.model import STATUS_ORDER, Finding, Policy, Report, Rule, Status

if TYPE_CHECKING:
    from cbcheck.catalogue import Catalogue

# The statuses a summary counts, in this order.
COUNTED = (Status.PASS, Status.FAIL, Status.WARN, Status.MISSING, Status.ERROR)

# XML 1.0 forbids most control characters; a CSV cell can still hold them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Spreadsheets evaluate a cell typed as =…, +…, -…, @… (and tab/CR tricks): CSV/formula injection.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
    import numpy as np

    if not report.submission.facilities:
        return None
    table_ids = {id(t): i for i, t in enumerate(report.submission.facilities)}
    checked, breached, exempt = [], [], []
    for f in report.findings:
        result = facility_result(f)
        if result is None:
            continue
        keys, statuses = result.keyed_statuses(table_ids)
        exempt.append(keys[statuses == "NOT_APPLICABLE"])
        checked.append(keys[statuses != "NOT_APPLICABLE"])
        breached.append(keys[(statuses == "FAIL") | (statuses == "WARN")])

    def distinct(parts: list) -> int:
        return len(np.unique(np.concatenate(parts))) if parts else 0

    total = sum(len(t) for t in report.submission.facilities)
    return {"submitted": total, "checked": distinct(checked), "breached": distinct(breached),
            "exempt": distinct(exempt)}


def facility_entries(f: Finding, limit: int = FACILITY_LIST_LIMIT) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` facilities that breach or lack data under a facility rule, and how many more
    (counted from the result, not by building every entry)."""
    import itertools

    result = facility_result(f)
    if result is None:
        return [], 0
    listed = list(itertools.islice(result.entries(include_pass=False), limit))
    counts = result.counts()
    listable = sum(n for status, n in counts.items() if status not in ("PASS", "NOT_DUE"))
    return listed, listable - len(listed)


def status_label(status: Status | str, m: Messages) -> str:
    value = status.value if isinstance(status, Status) else status
    return m.get(f"status.{value}", value)


def strength_label(strength: str, m: Messages) -> str:
    return m.get(f"strength.{strength}", strength)


def verdict_label(verdict: str, m: Messages) -> str:
    return m.get(f"verdict.{verdict}", verdict)


def summary_line(report: Report, m: Messages | None = None) -> str:
    counts = report.counts()
    if m is None:
        return " · ".join(f"{n} {s}" for s, n in counts.items() if n)
    return " · ".join(f"{n} {status_label(s, m)}" for s, n in counts.items() if n)


def exit_code(report: Report) -> int:
    return int(for_verdict(report.verdict()))


def short_sha(sha: str) -> str:
    return sha[:12]


def rules_by_id(policy: Policy) -> dict[str, Rule]:
    return {r.id: r for r in policy.rules}


def rule_title(f: Finding, rules: dict[str, Rule], m: Messages) -> str:
    """The rule's title in the report language: the policy's ``title_en`` in English."""
    rule = rules.get(f.rule_id)
    if m.lang == "en" and rule is not None and rule.title_en:
        return rule.title_en
    return f.title


def indicator_label(f: Finding, cat: Catalogue | None, m: Messages) -> str:
    if m.lang == "en" and cat is not None and f.indicator in cat:
        return cat[f.indicator].name_en or f.indicator_name
    return f.indicator_name


def policy_title(policy: Policy, m: Messages) -> str:
    """Chinese title; in English the English title first, then the Chinese one."""
    if m.lang == "en" and policy.title_en:
        return f"{policy.title_en} — {policy.title}"
    return policy.title


def policy_status(policy: Policy, m: Messages) -> str:
    return m.get(f"policy_status.{policy.status}", policy.status)


def scope_label(scope: str, m: Messages) -> str:
    return m.get(f"scope.{scope}", scope)


def worst(statuses: list[Status]) -> Status:
    return min(statuses, key=STATUS_ORDER.index)


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed."""
    return _XML_ILLEGAL.sub("", text)


def looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def defuse_formula(text: str) -> str:
    """A CSV cell Excel will not evaluate: text starting with = + - @ gets a leading quote
    (OWASP's advice); plain numbers such as -3.1 are left alone."""
    if text.startswith(FORMULA_PREFIXES) and not looks_numeric(text):
        return "'" + text
    return text


__all__ = ["fmt", "with_unit", "Status"]


def sections_of(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by plan section, in the order the plan has them."""
    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.section_order):
        groups.setdefault(f.source.section, []).append(f)
    return list(groups.items())
