"""Check kinds: one pure function each, registered here by name.

A kind takes the rule, the submitted series for its indicator (already in the
unit it compares in) and the evaluation context, and returns an :class:`Outcome`.
Its docstring is what ``cbcheck explain`` shows, so it is written for users.
"""

from __future__ import annotations

from cbcheck.checks.base import CheckKind, Context, Outcome, Series, Unavailable, Value
from cbcheck.checks.change import increase_vs_base, reduction_vs_base
from cbcheck.checks.deadline import completed_by
from cbcheck.checks.level import at_least, at_most, between
from cbcheck.checks.trend import direction, growth, peak_by

KINDS: dict[str, CheckKind] = {
    "at_least": at_least,
    "at_most": at_most,
    "between": between,
    "reduction_vs_base": reduction_vs_base,
    "increase_vs_base": increase_vs_base,
    "growth": growth,
    "direction": direction,
    "completed_by": completed_by,
    "peak_by": peak_by,
}

__all__ = ["KINDS", "CheckKind", "Context", "Outcome", "Series", "Unavailable", "Value"]
