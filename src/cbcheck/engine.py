"""(policy, submission) -> report. Pure: reads nothing, prints nothing."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Iterable

from cbcheck import units
from cbcheck.catalogue import Catalogue
from cbcheck.checks import KINDS, Context, Outcome, Series, Unavailable, Value
from cbcheck.checks.base import fmt, with_unit
from cbcheck.errors import SubmissionError, UnitError
from cbcheck.model import (COUNTY_SCOPES, ENTERPRISE_SCOPES, Finding, Observation, Policy, QualityIssue,
                           Report, Rule, Status, Submission)
from cbcheck.params import Params
from cbcheck.policy import LEVEL_KINDS
from cbcheck.textnorm import nfkc
from cbcheck.wording import target_text

DISAGREEMENT_REL = 0.005   # a given level and one derived from components may differ by 0.5 %
# Totals that add up over counties: a city target in these is not a county's target.
EXTENSIVE_DIMENSIONS = frozenset({"power", "electricity", "heat", "mass", "currency", "count", "area", "volume",
                                  "production_rate", "length"})
# Quantities that cannot be negative (a change or a balance could be, and is not in this list).
NON_NEGATIVE_DIMENSIONS = frozenset({"heat", "mass", "electricity", "power", "volume", "area", "count",
                                     "currency", "energy_intensity", "carbon_intensity", "specific_energy",
                                     "supply_coal_consumption", "concentration", "production_rate"})


def reporting_year(submission: Submission) -> int:
    """The latest year with a value; for facility-only files, the 报告年度 metadata row."""
    years = sorted({o.year for o in submission.observations if o.year is not None and o.value is not None})
    if years:
        return years[-1]
    stated = "".join(ch for ch in submission.meta.get("year", "") if ch.isdigit())[:4]
    if len(stated) == 4:
        return int(stated)
    if submission.facilities:
        raise SubmissionError("the facility tables do not say which year they report", where=submission.path,
                              hint="add a row 报告年度：2025 above the table, or pass --year 2025")
    raise SubmissionError("the submission has no values for any year", where=submission.path,
                          hint="fill in at least one year column")


def _working_unit(rule: Rule, cat: Catalogue) -> str | None:
    ind = cat[rule.indicator]
    if ind.kind in {"date", "boolean"}:
        return None
    if rule.kind in LEVEL_KINDS and rule.unit:
        return rule.unit
    return ind.unit


def _value(obs: Observation, unit: str | None) -> Value:
    """Convert one observation; raises UnitError for a wrong dimension."""
    assert obs.year is not None
    if not isinstance(obs.value, (int, float)) or isinstance(obs.value, bool) or unit is None:
        return Value(obs.value, obs.year, unit, obs.location, str(obs.raw or obs.value), obs.approx)
    src = obs.unit or unit
    converted = units.convert(float(obs.value), src, unit)
    shown = with_unit(obs.value, src)
    if nfkc(src).strip() != nfkc(unit).strip():
        shown = f"{shown} = {with_unit(converted, unit)}"
    if obs.approx:
        shown = f"约{shown}"
    return Value(converted, obs.year, unit, obs.location, shown, obs.approx)


class _Data:
    """Observations indexed by indicator, and series built from them on demand."""

    def __init__(self, submission: Submission, cat: Catalogue, year: int | None = None) -> None:
        self.cat = cat
        self.facilities = submission.facilities
        self.year = year
        self.by_indicator: dict[str, dict[int, Observation]] = defaultdict(dict)
        self.quality: dict[tuple[str, str, int | None], QualityIssue] = {}
        self.component_gaps: dict[tuple[str, int], tuple[Status, str, str]] = {}
        self._shares: dict[str, tuple[float, str, str] | str | None] = {}
        for obs in submission.observations:
            if obs.year is not None:
                self.by_indicator[obs.indicator][obs.year] = obs
        self._screen()

    def flag(self, check: str, indicator: str, year: int | None, location: str | None, message: str) -> None:
        self.quality.setdefault((check, indicator, year), QualityIssue(check, indicator, year, location, message))

    def _screen(self) -> None:
        """Checks on the data alone: shares outside 0–100 %, fractions for shares, negatives."""
        for ind_id, by_year in self.by_indicator.items():
            ind, dim = self.cat[ind_id], self.cat.dimensions[ind_id]
            numbers = {y: float(o.value) for y, o in by_year.items()
                       if isinstance(o.value, (int, float)) and not isinstance(o.value, bool)}
            for year, value in sorted(numbers.items()):
                loc = by_year[year].location
                if ind.kind == "share" and (by_year[year].unit in (None, "%")):
                    if not 0 <= value <= 100:
                        self.flag("share_range", ind_id, year, loc, f"{ind.name} {year} = {fmt(value)}% is outside 0–100 %")
                    elif 0 < value <= 1 and any(v > 1 for v in numbers.values()):
                        self.flag("share_fraction", ind_id, year, loc,
                                  f"{ind.name} {year} = {fmt(value)} looks like a fraction while other years are "
                                  f"percentages; did you mean {fmt(value * 100)}%?")
                if dim in NON_NEGATIVE_DIMENSIONS and value < 0:
                    self.flag("negative", ind_id, year, loc, f"{ind.name} {year} = {fmt(value)} is negative")

    def series(self, indicator: str, unit: str | None) -> Series:
        ind = self.cat[indicator]
        values: dict[int, Value] = {}
        errors: dict[int, tuple[str, str]] = {}
        missing: dict[int, str] = {}
        missing_why: dict[int, str] = {}
        for year, obs in self.by_indicator.get(indicator, {}).items():
            if obs.error:
                errors[year] = (obs.error, obs.location)
            elif obs.value is None:
                missing[year] = obs.location
            else:
                try:
                    values[year] = _value(obs, unit)
                except UnitError as exc:
                    errors[year] = (exc.message + (f" — {exc.hint}" if exc.hint else ""), obs.location)
        derived = self._derived(indicator, unit)
        for year, dv in derived.items():
            given = values.get(year)
            if given is not None and abs(given.value - dv.value) > DISAGREEMENT_REL * max(abs(dv.value), 1e-12):
                dv = dataclasses.replace(dv, derived=f"{dv.derived} (the submitted {fmt(given.value)} "
                                                     f"disagrees; components used)")
                self.flag("disagreement", indicator, year, given.location,
                          f"{ind.name} {year}: the submitted {given.shown} disagrees with "
                          f"{with_unit(dv.value, unit)} computed from its components (used instead)")
            values[year] = dv            # components are the more primitive data
            errors.pop(year, None)
            missing.pop(year, None)
        for (ind_id, year), (status, why, location) in self.component_gaps.items():
            if ind_id != indicator or year in values or year in errors or year in missing:
                continue
            if status is Status.ERROR:
                errors[year] = (f"cannot be derived: {why}", location)
            else:
                missing[year] = location
                missing_why[year] = f"cannot be derived: {why}"
        rate = None
        rate_id = f"{indicator}_reduction"
        if rate_id in self.cat and rate_id in self.by_indicator:
            rate = self.series(rate_id, "%")
        return Series(indicator, ind.name, unit, values, errors, missing, rate, missing_why)

    def facility_share(self, indicator: str) -> tuple[float, str, str] | str | None:
        """The indicator computed over facility rows (once per indicator: rules and series ask again)."""
        if indicator not in self._shares:
            spec = (self.cat[indicator].derive or {}).get("facility_share")
            if not spec or not self.facilities:
                self._shares[indicator] = None
            else:
                from cbcheck.facility_eval import facility_share

                self._shares[indicator] = facility_share(spec, self.facilities)
        return self._shares[indicator]

    def _derived(self, indicator: str, unit: str | None) -> dict[int, Value]:
        derive = self.cat[indicator].derive or {}
        share = self.facility_share(indicator)
        if isinstance(share, tuple) and self.year is not None:
            value, calc, where = share
            return {self.year: Value(value, self.year, unit, where, with_unit(value, unit), derived=calc)}
        ratio = derive.get("ratio")
        if not ratio or unit is None:
            return {}
        num_id, den_id = ratio
        out: dict[int, Value] = {}
        nums, dens = self.by_indicator.get(num_id, {}), self.by_indicator.get(den_id, {})
        for year in sorted(set(nums) | set(dens)):
            n, d = nums.get(year), dens.get(year)
            if n is None or d is None:
                continue
            bad = next((o for o in (n, d) if o.error or not isinstance(o.value, (int, float))), None)
            if bad is not None:
                # Remember why the components cannot give this year, in case no level is given either.
                name = self.cat[bad.indicator].name
                why = bad.error or ("is marked as not reported" if bad.value is None else f"{bad.raw!r} is not a number")
                self.component_gaps.setdefault((indicator, year), (Status.ERROR if bad.error else Status.MISSING,
                                                                    f"{name} {year} {why}", bad.location))
                continue
            if d.value == 0:
                self.component_gaps.setdefault((indicator, year), (Status.ERROR, f"{self.cat[den_id].name} {year} is zero",
                                                                    d.location))
                continue
            nu, du = n.unit or self.cat[num_id].unit, d.unit or self.cat[den_id].unit
            try:
                value = units.convert(float(n.value) / float(d.value), f"({nu})/({du})", unit)  # type: ignore[arg-type]
            except UnitError:
                continue
            name_n, name_d = self.cat[num_id].name, self.cat[den_id].name
            calc = (f"{self.cat[indicator].name} {year} = {name_n} {with_unit(n.value, nu)} / "
                    f"{name_d} {with_unit(d.value, du)} = {with_unit(value, unit)}")
            out[year] = Value(value, year, unit, f"{n.location}/{d.location}", with_unit(value, unit),
                              derived=calc)
        return out


def _finding(rule: Rule, cat: Catalogue, year: int, outcome: Outcome, section_order: int,
             assigned_by: str | None = None) -> Finding:
    details = {k: v for k, v in outcome.details.items() if k != "quality"}
    if rule.required:
        details["required"] = True
    return Finding(
        rule_id=rule.id, indicator=rule.indicator, indicator_name=cat[rule.indicator].name, title=rule.title,
        status=outcome.status, strength=rule.strength, year=year, target_year=rule.target_year,
        observed=outcome.observed, expected=outcome.expected, comparator=outcome.comparator,
        unit=outcome.unit, arithmetic=outcome.arithmetic, location=outcome.location, message=outcome.message,
        source=rule.source, section_order=section_order, assigned_by=assigned_by, details=details,
    )


def _plain(status: Status, message: str, location: str | None = None) -> Outcome:
    return Outcome(status, None, None, "", "", message, location)


def _applies(rule: Rule, submission: Submission) -> bool:
    scopes = COUNTY_SCOPES if submission.scope == "county" else ENTERPRISE_SCOPES
    return rule.scope in scopes


def is_city_level(submission: Submission, region: str) -> bool:
    """The city itself reports (entity 济宁市 or 济宁市发展和改革委员会), not one of its counties.
    A file that names no entity cannot be told apart and is judged as the plan is written."""
    entity = (submission.entity or "").strip()
    if not entity:
        return True
    if not entity.startswith(region):
        return False
    rest = entity[len(region):]
    return not any(word in rest for word in ("县", "区", "旗", "市"))


def _needs_allocation(rule: Rule, data: _Data, submission: Submission, city_level: bool) -> bool:
    """A city-wide total (a capacity, a count, an area) checked on a county's own file."""
    return (submission.scope == "county" and not city_level and rule.scope == "region"
            and rule.kind in LEVEL_KINDS and not rule.assigned
            and data.cat.dimensions.get(rule.indicator) in EXTENSIVE_DIMENSIONS)


def evaluate_rule(rule: Rule, data: _Data, submission: Submission, ctx: Context,
                  params: Params, city_level: bool = True) -> tuple[Outcome, str | None]:
    if rule.scope != "facility" and not _applies(rule, submission) and data.facility_share(rule.indicator) is None:
        return _plain(Status.NOT_APPLICABLE,
                      f"a {rule.scope}-level rule; this is an {submission.scope} submission"
                      if submission.scope == "enterprise" else
                      f"a {rule.scope}-level rule; this is a {submission.scope} submission"), None
    assigned_by = None
    allocation = _needs_allocation(rule, data, submission, city_level)
    if rule.assigned or allocation:
        given = params.lookup(rule.id, rule.indicator, submission.entity)
        if given is None and allocation:
            return _plain(Status.NOT_APPLICABLE,
                          f"a city-wide total ({target_text(rule)}); a county is judged on its own allocation "
                          f"(分解下达): give it in a --params file under entities: {submission.entity or 'COUNTY'}: "
                          f"{rule.id}"), None
        if given is None:
            return _plain(Status.NOT_APPLICABLE,
                          f"the target is assigned by {rule.assigned_by} and was not supplied; "
                          f"give it with --set {rule.id}=VALUE or a --params file"), None
        target = given.value
        if given.unit and rule.unit:
            try:
                target = units.convert(target, given.unit, rule.unit)
            except UnitError as exc:
                return _plain(Status.ERROR, f"assigned value for {rule.id}: {exc}"), None
        rule = dataclasses.replace(rule, target=target)
        assigned_by = given.source
    if rule.scope == "facility":
        if not submission.facilities:
            return _plain(Status.NOT_APPLICABLE, "a facility rule; this submission has no facility table"), None
        from cbcheck.facility_eval import evaluate_facility_rule

        return evaluate_facility_rule(rule, submission.facilities, ctx), assigned_by
    share = data.facility_share(rule.indicator)
    if isinstance(share, str):
        return _plain(Status.ERROR, share), assigned_by
    series = data.series(rule.indicator, _working_unit(rule, data.cat))
    try:
        outcome = KINDS[rule.kind](rule, series, ctx)
    except Unavailable as gap:
        outcome = _plain(gap.status, gap.message, gap.location)
    if assigned_by:
        word = "allocated" if allocation else "assigned"
        outcome = dataclasses.replace(outcome, message=f"{outcome.message} (target {word} by {assigned_by})")
    return outcome, assigned_by


def evaluate(policy: Policy, cat: Catalogue, submission: Submission, *, year: int | None = None,
             params: Params | None = None, strict: bool = False, strict_trajectory: bool = False) -> Report:
    year = year if year is not None else reporting_year(submission)
    period = policy.meta.get("period")
    default_base = int(period[:4]) - 1 if period else 2020
    ctx = Context(year=year, default_base_year=default_base, strict_trajectory=strict_trajectory)
    data = _Data(submission, cat, year)
    sections: dict[str, int] = {}
    findings = []
    city_level = is_city_level(submission, policy.region)
    for rule in policy.rules:
        order = sections.setdefault(rule.source.section, len(sections))
        outcome, assigned_by = evaluate_rule(rule, data, submission, ctx, params or Params(), city_level)
        for check, qyear, location, message in outcome.details.get("quality", ()):
            data.flag(check, rule.indicator, qyear, location, message)
        findings.append(_finding(rule, cat, year, outcome, order, assigned_by))
    quality = tuple(sorted(data.quality.values(), key=lambda q: (q.indicator, q.year or 0, q.check)))
    return Report(policy=policy, submission=submission, year=year, findings=tuple(findings), strict=strict,
                  quality=quality)


def sections_of(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by plan section, in the order the plan has them."""
    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.section_order):
        groups.setdefault(f.source.section, []).append(f)
    return list(groups.items())
