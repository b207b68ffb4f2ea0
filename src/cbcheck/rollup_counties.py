"""Completion and deadline rules addressed to each county (``kind: completed_by``, ``scope: county``: 各县(市、区)
组织开展年度评价): no sum makes them the city's, so a roll-up judges them on each submitted county's own table and
says the city's result from those:

- a county that did it late or not at all: FAIL for the city, naming it (the missing counties cannot undo it);
- a submitted county that does not say: MISSING, naming it;
- every submitted county done while roster counties are missing: MISSING, undecided (rollup_partial), naming
  the missing ones — the city's verdict waits for them;
- every roster county done (or, without a roster, every submitted one): PASS.

Rules of the city's own (``scope: region``: 制定能源领域碳达峰工作方案) are the city's to report, as before.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.model import Finding, Policy, Report, Status


@dataclass(frozen=True)
class CountyResult:
    rule_id: str
    entity: str
    finding: Finding


def judge_by_county(report: Report, policy: Policy, cat: Catalogue, counties: list[Any], year: int,
                    params: Any, missing: list[str], short: Any) -> tuple[Report, list[CountyResult]]:
    """The city report with each county-addressed completion rule judged from the counties' own findings,
    and those findings (for the roll-up's by-county section). ``short`` names a county in the city's lists."""
    from cbcheck.engine import evaluate

    rules = tuple(r for r in policy.rules if r.kind == "completed_by" and r.scope == "county")
    if not rules or not counties:
        return report, []
    only = dataclasses.replace(policy, rules=rules)
    results = [CountyResult(f.rule_id, c.entity, f) for c in counties
               for f in evaluate(only, cat, c.submission, year=year, params=params).findings]
    said = {r.rule_id for r in results if r.finding.status not in (Status.MISSING, Status.NOT_APPLICABLE)}
    results = [r for r in results if r.rule_id in said]     # a rule no county reports stays the city's MISSING
    findings = tuple(_city(f, [r for r in results if r.rule_id == f.rule_id], missing, short)
                     if f.rule_id in said else f for f in report.findings)
    return dataclasses.replace(report, findings=findings), results


def _city(f: Finding, results: list[CountyResult], missing: list[str], short: Any) -> Finding:
    def named(statuses: set[Status]) -> Msg:
        return Msg.listing(short(r.entity) for r in results if r.finding.status in statuses)

    statuses = {r.finding.status for r in results}
    location = Msg.listing(short(r.entity) for r in results)
    if Status.FAIL in statuses:
        status, message = Status.FAIL, Msg("rest.by_county_fail", entities=named({Status.FAIL}))
    elif Status.MISSING in statuses or Status.ERROR in statuses:
        status, message = Status.MISSING, Msg("rest.by_county_lacking", entities=named({Status.MISSING, Status.ERROR}))
    elif missing:
        return dataclasses.replace(
            f, status=Status.MISSING, location=location,
            message=Msg("rest.partial_undecided", why=Msg("rest.partial_by_county"), missing=Msg.listing(missing),
                        status=Msg("status.PASS"), message=Msg("rest.by_county_done", n=len(results))),
            details={**f.details, "required": False, "undecided": list(missing), "submitted_status": "PASS"})
    elif Status.WARN in statuses:
        status, message = Status.WARN, Msg("rest.by_county_warn", entities=named({Status.WARN}))
    else:
        status, message = Status.PASS, Msg("rest.by_county_done", n=len(results))
    return dataclasses.replace(f, status=status, message=message, location=location, observed=None,
                               details={**f.details, "by_county": True})
