"""Bits every renderer shares: value formatting, localised labels and titles, verdict words,
and making user-supplied text safe for XML and spreadsheets."""

from __future__ import annotations

from typing import Any

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


def facility_result(f: Finding):  # -> FacilityResult | None
    return f.details.get("facilities")


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
