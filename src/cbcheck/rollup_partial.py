"""What a roll-up can say about the city while roster counties are missing (缺报单位).

The city figure of an additive quantity (``aggregate: sum``: capacities, counts, energy totals, GDP at
comparable prices, emissions — quantities that are never negative) is Σ of the submitted counties plus
what the missing counties will add, so the partial sum S is a floor of the city's C: C = S + M with M ≥ 0.
Per rule, on the rule's own comparison against the target T:

- ``at_least`` (C ≥ T): S ≥ T ⇒ C ≥ S ≥ T — the city passes for certain;
  S < T says nothing (M may be T − S or more, or less) — undecided;
- ``at_most`` (C ≤ T): S > T ⇒ C ≥ S > T — the city fails for certain;
  S ≤ T says nothing (M may push C over T) — undecided;
- ``between`` [lo, hi]: S > hi ⇒ C > hi, outside for certain; anything else undecided.

The same holds on an approximate target (左右): the tolerance only moves T. It does not hold on the even path
before the target year (the path starts at the base-year value, itself a partial sum: the city's path is
as unknown as its value), so a finding judged on a path is undecided unless the floor already meets the
final target of an ``at_least``. Changes of a sum (reduction_vs_base, growth, direction, peak_by) compare
two partial sums: the city's change can be anything — undecided.

Intensities, shares and reduction rates (``aggregate: ratio``) are recomputed from the summed numerator
and denominator: (n + n′)/(d + d′) lies anywhere between n/d and n′/d′, and n′/d′ of the missing counties
is unknown (an intensity is unbounded, a share anywhere in [0, 1]), so no bound on the city's value
follows — undecided, whichever side of the target the submitted counties fall.

An undecided finding is MISSING (not required: it is the counties' figures that are missing, not a value
the city failed to give) and names the missing counties; the arithmetic on the submitted counties stays
shown. The report then carries ``roster_missing``: the city's verdict is incomplete (exit 3) unless a FAIL
is certain, and never compliant, while counties are missing — completion and deadline rules, which each
county's own check judges, included.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.model import Finding, Policy, Report, Status

_JUDGED = frozenset({Status.PASS, Status.FAIL, Status.WARN})


def judge_partial(report: Report, policy: Policy, cat: Catalogue, missing: list[str]) -> Report:
    """The city report with each judged finding kept only where the submitted counties decide it; with
    ``missing`` empty (roster complete, or no roster) the report unchanged."""
    if not missing:
        return report
    rules = {r.id: r for r in policy.rules}
    names = Msg.listing(missing)
    findings = tuple(_judge(f, rules.get(f.rule_id), cat, names) if f.status in _JUDGED else f
                     for f in report.findings)
    return dataclasses.replace(report, findings=findings, roster_missing=tuple(missing))


def _judge(f: Finding, rule: Any, cat: Catalogue, names: Msg) -> Finding:
    aggregate = cat[f.indicator].aggregate if f.indicator in cat else None
    kind = rule.kind if rule is not None else None
    if aggregate == "sum" and kind in ("at_least", "at_most", "between"):
        certain = _certain_on_floor(f, kind, rule)
        if certain is not None:
            return dataclasses.replace(f, arithmetic=Msg.join([f.arithmetic, Msg(certain)]) if f.arithmetic
                                       else Msg(certain), details={**f.details, "floor": True})
        why = ("rest.partial_path" if f.details.get("milestone") is not None
               else "rest.partial_floor_short" if kind == "at_least"
               else "rest.partial_floor_under" if kind == "at_most" else "rest.partial_floor_range")
    elif aggregate == "sum":
        why = "rest.partial_change"
    elif aggregate == "ratio":
        why = "rest.partial_ratio"
    else:                   # a figure no county sum gave: the city's own, not known to be whole
        why = "rest.partial_other"
    return dataclasses.replace(
        f, status=Status.MISSING,
        message=Msg("rest.partial_undecided", why=Msg(why), missing=names,
                    status=Msg(f"status.{f.status.value}"), message=f.message),
        details={**f.details, "required": False, "undecided": [str(n) for n in names.params["parts"]],
                 "submitted_status": f.status.value})


def _certain_on_floor(f: Finding, kind: str, rule: Any) -> str | None:
    """The note for a result the missing counties cannot change, or None. A finding on the even path
    (``milestone``) compares with a path drawn from a partial base: never certain that way."""
    if f.details.get("milestone") is not None:
        return None
    if kind == "at_least" and f.status is Status.PASS:
        return "rest.partial_floor_pass"
    if kind == "at_most" and f.status is not Status.PASS:
        return "rest.partial_floor_fail"
    if kind == "between" and f.status is not Status.PASS and rule.maximum is not None \
            and isinstance(f.observed, (int, float)) and f.observed > rule.maximum:
        return "rest.partial_floor_fail"
    return None


def not_summed_is_not_missing(report: Report, cat: Catalogue, unsummed: set[str]) -> Report:
    """A city rule MISSING because the counties' figures could not be added up says so: '未填报, 补报' told
    the city to supply what its counties gave in rates only, or at two price years."""
    def blocked(ind: str) -> bool:
        ratio = (cat[ind].derive or {}).get("ratio") if ind in cat else None
        return ind in unsummed or bool(ratio and any(part in unsummed for part in ratio))

    findings = tuple(dataclasses.replace(f, message=Msg("rest.city_not_summed", message=f.message))
                     if f.status is Status.MISSING and blocked(f.indicator) else f for f in report.findings)
    return dataclasses.replace(report, findings=findings)
