"""Bits every renderer shares: value formatting, localised labels and titles, verdict words,
and making user-supplied text safe for XML and spreadsheets."""

from __future__ import annotations

from typing import Any

import re
from typing import TYPE_CHECKING

from cbcheck.checks.base import fmt, with_unit
from cbcheck.i18n import Messages
from cbcheck.model import STATUS_ORDER, Finding, Policy, Rule, Status

if TYPE_CHECKING:
    pass

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


def verdict_label(verdict: str, m: Messages) -> str:
    return m.get(f"verdict.{verdict}", verdict)


def rules_by_id(policy: Policy) -> dict[str, Rule]:
    return {r.id: r for r in policy.rules}


def rule_title(f: Finding, rules: dict[str, Rule], m: Messages) -> str:
    """The rule's title in the report language: the policy's ``title_en`` in English."""
    rule = rules.get(f.rule_id)
    if m.lang == "en" and rule is not None and rule.title_en:
        return rule.title_en
    return f.title


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
