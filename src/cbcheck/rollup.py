"""``cbcheck rollup``: add the counties' submissions up to the city and check the city on them.

The roll-up reuses the engine and the check kinds unchanged: it builds one city-level
:class:`~cbcheck.model.Submission` (entity = the policy's region) from the counties'
observations and runs :func:`cbcheck.engine.evaluate` on it. How an indicator adds up is in
the catalogue (``aggregate:`` in policies/indicators.yaml, DOMAIN.md §7):

- ``sum``: additive quantities (energy totals, GDP at comparable prices, capacities, counts,
  areas) are summed, each county's value converted to the catalogue unit first; a year is
  summed only when every county that submitted gives it (a partial sum is not a city figure);
- ``ratio``: intensities and shares are never summed or averaged: the engine recomputes them
  from the summed numerator and denominator (``derive: {ratio: …}``);
- anything else is listed as not aggregable.

Allocations (分解下达, the params file's ``entities:``) are checked against the city target:
additive targets by their sum, intensity reductions by the average weighted by each county's
base-year energy use, shown as arithmetic. A roster lists who has not submitted (缺报单位): while one is
missing only what the submitted counties' sums decide is judged (rollup_partial), and completion rules
addressed to each county are judged on each county's own table (rollup_counties).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cbcheck import units
from cbcheck.catalogue import Catalogue
from cbcheck.checks.base import fmt
from cbcheck.errors import UnitError, UsageError
from cbcheck.i18n.message import Msg
from cbcheck.model import Observation, Policy, Report, Status, Submission
from cbcheck.params import Params, entity_key

_PRICE_RANK = {"comparable": 0, None: 1, "current": 2}


@dataclass(frozen=True)
class County:
    """One county's submission as the roll-up uses it."""

    entity: str
    file: str
    submission: Submission
    superseded: tuple[Msg, ...] = ()      # the entity's other files for the year, not used (from the ledger)
    chosen_by: str = "recorded"           # of several files: "dated" (填报日期), "named" (更正 in the name), "recorded"
    filed_on: str | None = None           # the file's 填报日期 (YYYY-MM-DD): the date its waivers are judged at
    recorded: Any = None                  # the day the ledger recorded it (datetime.date), for a file without one


@dataclass(frozen=True)
class Contribution:
    entity: str
    value: float                  # in the catalogue unit
    shown: str                    # as submitted, with a conversion if any
    file: str
    cell: str


@dataclass(frozen=True)
class CityFigure:
    indicator: str
    name: str
    year: int
    unit: str
    total: float
    parts: tuple[Contribution, ...]


@dataclass(frozen=True)
class Allocation:
    rule_id: str
    indicator: str
    status: Status                # PASS | FAIL | ERROR
    city_target: float | None
    allocated: dict[str, float]
    unit: str | None
    arithmetic: str


@dataclass
class Rollup:
    policy: Policy
    year: int
    counties: list[County]
    report: Report
    figures: list[CityFigure] = field(default_factory=list)
    recomputed: list[tuple[str, str, str]] = field(default_factory=list)    # (indicator, numerator, denominator)
    not_aggregable: list[tuple[str, list[str]]] = field(default_factory=list)  # (indicator, entities)
    incomplete: list[str] = field(default_factory=list)                     # sums not made, and why
    allocations: list[Allocation] = field(default_factory=list)
    roster: tuple[str, ...] = ()
    missing: list[str] = field(default_factory=list)                        # 缺报单位
    unexpected: list[str] = field(default_factory=list)                     # submitted, not on the roster
    file_notes: list[Msg] = field(default_factory=list)    # files not added up (superseded, another city), and why
    same_values: list[Msg] = field(default_factory=list)   # two counties with one table: one sent the other's
    by_county: list[Any] = field(default_factory=list)      # county-addressed completion rules (rollup_counties)

    def roster_name(self, c: County) -> str:
        """The county as the roster names it (济宁市兖州区), the file's signer (济宁市兖州区发展和改革局) being
        the evidence; the signer when the roster does not list it."""
        return self.roster_name_of(c.entity)

    def roster_name_of(self, entity: str) -> str:
        key = entity_key(entity)
        return next((e for e in self.roster if entity_key(e) == key), entity)

    def verdict(self) -> str:
        """The report's: incomplete while roster counties are missing (rollup_partial), non-compliant on an
        allocation that misses the city target (that sum is the params file's, whole whoever has submitted)."""
        return self.report.verdict()


def _short(entity: str, region: str) -> str:
    """The county as the city's lists name it: 兖州区 for 济宁市兖州区 and for 兖州区发展和改革局 alike
    (Σ 曲阜市+汾阳市, not +汾阳市发展和改革局 beside the 汾阳市 of 已报送)."""
    if entity.startswith(region) and len(entity) > len(region):
        entity = entity[len(region):]
    return entity_key(entity) or entity


def other_city(c: County, region: str | None) -> str | None:
    """The city a county's file names when it is not the policy's (吕梁市中阳县 in 晋中市's roll-up), or None."""
    from cbcheck.params import entity_city

    city = entity_city(c.entity) or entity_city(c.submission.meta.get("entity_from_title"))
    return city if city and region and not (city.startswith(region) or region.startswith(city)) else None


# a sheet or file of the counties' total (汇总表, 全市合计): adding it to the counties it totals counts them twice
TOTAL = re.compile(r"汇总|合计|总计|小计|全市|全县|全区")


def city_total(c: County, region: str | None) -> bool:
    """The city's own figures, not a county's: signed by the city (吕梁市统计局) or named as a total (汇总)."""
    key = entity_key(c.entity)
    return bool(TOTAL.search(key) or (region and key == entity_key(region)))


def _pick(observations: list[Observation]) -> Observation | None:
    """The row the catalogue means when a county gives several (comparable prices first); rates never."""
    usable = [o for o in observations if o.rate_basis != "yoy"]
    return min(usable, key=lambda o: _PRICE_RANK.get(o.price_basis, 1)) if usable else None


def aggregate(policy: Policy, cat: Catalogue, counties: list[County], year: int,
              file_notes: tuple[Msg, ...] = ()) -> tuple[Submission, dict[str, Any]]:
    """The city submission and what went into it; ``file_notes`` say which files were not added and why."""
    by: dict[str, dict[int, dict[str, list[Observation]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for c in counties:
        for o in c.submission.observations:
            if o.year is not None:
                by[o.indicator][o.year][c.entity].append(o)
    files = {c.entity: c.file for c in counties}
    entities = [c.entity for c in counties]
    observations: list[Observation] = []
    figures: list[CityFigure] = []
    recomputed: list[tuple[str, str, str]] = []
    not_aggregable: list[tuple[str, list[str]]] = []
    incomplete: list[str] = []
    unsummed: set[str] = set()          # indicators with a year not summed: a city rule on them is no city omission
    for ind_id in sorted(by):
        ind = cat[ind_id]
        rule = ind.aggregate or "none"
        if rule == "ratio" and ind.derive and "ratio" in ind.derive:
            recomputed.append((ind_id, *ind.derive["ratio"]))
            continue
        if rule != "sum":
            reporters = sorted({e for per_year in by[ind_id].values() for e in per_year})
            not_aggregable.append((ind_id, reporters))
            continue
        for y in sorted(by[ind_id]):
            per = by[ind_id][y]
            picked = {e: _pick(per[e]) for e in entities if e in per}
            numbers = {e: o for e, o in picked.items() if o is not None and o.error is None
                       and isinstance(o.value, (int, float)) and not isinstance(o.value, bool)}
            lacking = [e for e in entities if e not in numbers]
            if lacking:
                if numbers:
                    unsummed.add(ind_id)
                    incomplete.append(Msg("rest.not_summed_lacking", indicator=ind.word, year=y,
                                          entities=Msg.listing(_short(e, policy.region) for e in lacking)))
                continue
            bases = {o.price_basis for o in numbers.values()} - {None}
            if len(bases) > 1:
                unsummed.add(ind_id)
                incomplete.append(Msg("rest.not_summed_prices", indicator=ind.word, year=y))
                continue
            # 2015 and 2020 prices are two yardsticks: their sum is no city GDP, nor a divisor for an intensity
            price_years = {e: o.basis_year for e, o in numbers.items()
                           if o.price_basis == "comparable" and o.basis_year}
            if len(set(price_years.values())) > 1:
                said = Msg.listing(Msg("rest.price_year_of", entity=_short(e, policy.region), year=b)
                                   for e, b in price_years.items())
                unsummed.add(ind_id)
                incomplete.append(Msg("rest.not_summed_price_years", indicator=ind.word, year=y, bases=said))
                continue
            parts = []
            try:
                for e in entities:
                    o = numbers[e]
                    v = units.convert(float(o.value), o.unit or ind.unit, ind.unit)  # type: ignore[arg-type]
                    shown = f"{fmt(o.value)} {o.unit or ind.unit}"
                    if (o.unit or ind.unit) != ind.unit:
                        shown += f" = {fmt(v)} {ind.unit}"
                    parts.append(Contribution(e, v, shown, files[e], o.location))
            except UnitError as exc:
                unsummed.add(ind_id)
                incomplete.append(Msg("rest.not_summed_unit", indicator=ind.word, year=y, why=exc.message))
                continue
            total = sum(p.value for p in parts)
            figures.append(CityFigure(ind_id, ind.name, y, ind.unit, total, tuple(parts)))
            where = "Σ " + "+".join(_short(p.entity, policy.region) for p in parts)
            observations.append(Observation(ind_id, y, total, ind.unit, where, raw=fmt(total),
                                            price_basis=bases.pop() if bases else None))
    digest = hashlib.sha256("\n".join(sorted(f"{c.entity}\t{c.submission.sha256}" for c in counties)).encode())
    city = Submission(path=f"{policy.region}（{len(counties)}个县区汇总）", sha256=digest.hexdigest(),
                      entity=policy.region, scope="county", observations=tuple(observations),
                      meta={"year": str(year), "policy": policy.id},
                      notes=(Msg("rest.rollup_note", n=len(counties), year=year,
                                 files=Msg.listing(Msg("rest.rollup_file_of", entity=_short(c.entity, policy.region),
                                                        file=c.file) for c in counties)),
                             *file_notes))
    return city, {"figures": figures, "recomputed": recomputed, "not_aggregable": not_aggregable,
                  "incomplete": incomplete, "unsummed": unsummed}


def check_allocations(policy: Policy, cat: Catalogue, params: Params, counties: list[County]) -> list[Allocation]:
    """Each rule that params allocate to counties, against the city's own target."""
    from cbcheck.checks import KINDS
    from cbcheck.engine import EXTENSIVE_DIMENSIONS

    out = []
    for rule in policy.rules:
        allocated: dict[str, float] = {}
        problems = []
        for entity, table in params.entities.items():     # as the allocation document lists them
            given = table.get(rule.id) or table.get(rule.indicator)
            if given is None:
                continue
            value = given.value
            if given.unit and rule.unit:
                try:
                    value = units.convert(value, given.unit, rule.unit)
                except UnitError as exc:
                    problems.append(Msg("rest.entity_problem", entity=entity, message=exc.message))
                    continue
            allocated[entity] = value
        if not allocated and not problems:
            continue
        target = rule.target
        if rule.assigned:
            city = params.values.get(rule.id) or params.values.get(rule.indicator)
            target = city.value if city is not None else None
        unit = rule.unit or cat[rule.indicator].unit
        if problems or target is None:
            why = Msg.join(problems) if problems else Msg("rest.alloc_no_target")
            out.append(Allocation(rule.id, rule.indicator, Status.ERROR, target, allocated, unit, why))
            continue
        dim = cat.dimensions.get(rule.indicator)
        if KINDS[rule.kind].level and dim in EXTENSIVE_DIMENSIONS:
            total = sum(allocated.values())
            at_most = rule.kind == "at_most"
            ok = total <= target if at_most else total >= target
            calc = Msg("rest.alloc_sum",
                       terms=" + ".join(f"{fmt(v)} ({_short(e, policy.region)})" for e, v in allocated.items()),
                       total=fmt(total), unit=unit, op=('≤' if ok else '>') if at_most else ('≥' if ok else '<'),
                       target=fmt(target))
            out.append(Allocation(rule.id, rule.indicator, Status.PASS if ok else Status.FAIL, target, allocated,
                                  unit, calc if ok else Msg("rest.not_met", calc=calc)))
        elif rule.kind == "reduction_vs_base" and (cat[rule.indicator].derive or {}).get("ratio"):
            out.append(_weighted(rule, cat, policy, allocated, target, counties))
        else:
            out.append(Allocation(rule.id, rule.indicator, Status.ERROR, target, allocated, unit,
                                  Msg("rest.alloc_not_checked", kind=rule.kind, indicator=cat[rule.indicator].word)))
    return out


def _weighted(rule: Any, cat: Catalogue, policy: Policy, allocated: dict[str, float], target: float,
              counties: list[County]) -> Allocation:
    """Σ Eᵢ·rᵢ / Σ Eᵢ ≥ R, with Eᵢ each county's energy use (the intensity's numerator) in the base year."""
    num_id = cat[rule.indicator].derive["ratio"][0]  # type: ignore[index]
    base = rule.base_year or 2020
    unit = cat[num_id].unit
    weights: dict[str, float] = {}
    by_key = {entity_key(e): e for e in allocated}
    for c in counties:
        entity = c.entity if c.entity in allocated else by_key.get(entity_key(c.entity))
        if entity is None:
            continue
        o = _pick([o for o in c.submission.observations if o.indicator == num_id and o.year == base])
        if o is not None and isinstance(o.value, (int, float)) and not isinstance(o.value, bool) and not o.error:
            try:
                weights[entity] = units.convert(float(o.value), o.unit or unit, unit)
            except UnitError:
                pass
    lacking = [e for e in allocated if e not in weights]
    if lacking:
        return Allocation(rule.id, rule.indicator, Status.ERROR, target, allocated, "%",
                          Msg("rest.alloc_no_weight", base=base, indicator=cat[num_id].word,
                              entities=Msg.listing(_short(e, policy.region) for e in lacking)))
    total_w = sum(weights.values())
    weighted = sum(weights[e] * r for e, r in allocated.items()) / total_w
    terms = " + ".join(f"{fmt(weights[e])}×{fmt(r)}%" for e, r in allocated.items())
    ok = weighted >= target - 1e-9
    calc = Msg("rest.alloc_weighted", terms=terms, total=fmt(total_w), unit=unit, weighted=fmt(weighted),
               op='≥' if ok else '<', target=fmt(target), base=base, indicator=cat[num_id].word)
    return Allocation(rule.id, rule.indicator, Status.PASS if ok else Status.FAIL, target, allocated, "%",
                      calc if ok else Msg("rest.not_met", calc=calc))


def same_run(counties: list[County], policy: Policy, year: int, reporting_years: dict[str, int | None]) -> None:
    """Files of other policies or years, or two files of one entity: a usage error."""
    seen: dict[str, str] = {}
    for c in counties:
        named = c.submission.meta.get("policy", "").strip()
        if named and named != policy.id:
            raise UsageError(Msg("rest.rollup_other_policy", file=c.file, named=named, policy=policy.id),
                             hint=Msg("rest.rollup_other_policy_hint"))
        if reporting_years.get(c.file) != year:
            raise UsageError(Msg("rest.rollup_other_year", file=c.file, reported=reporting_years.get(c.file),
                                 year=year), hint=Msg("rest.rollup_other_year_hint"))
        if (city := other_city(c, policy.region)) is not None:
            raise UsageError(Msg("rest.rollup_other_city", file=c.file, entity=c.entity, city=city,
                                 region=policy.region), hint=Msg("rest.rollup_other_city_hint"))
        key = entity_key(c.entity)      # 和顺县 and 晋中市和顺县发展和改革局 are one county, not two to add up
        if key in seen:
            raise UsageError(Msg("rest.rollup_same_entity", file=c.file, other=seen[key], entity=c.entity),
                             hint=Msg("rest.rollup_same_entity_hint"))
        seen[key] = c.file


def run(policy: Policy, cat: Catalogue, counties: list[County], year: int, params: Params,
        roster: tuple[str, ...], strict: bool = False, hooks: tuple[Any, ...] = (),
        left_out: tuple[Msg, ...] = ()) -> Rollup:
    """``left_out``: what the sources did not add and why (withdrawn files, sheets without a table)."""
    from cbcheck.engine import evaluate
    from cbcheck.rollup_counties import judge_by_county
    from cbcheck.rollup_partial import judge_partial, not_summed_is_not_missing
    from cbcheck.rollup_sources import look_alike

    # a file of another city recorded under this policy (check warned, --record kept it) is not the city's:
    # listed, never added (the folder path refuses it in same_run)
    outside = [c for c in counties if other_city(c, policy.region)]
    totals = [c for c in counties if c not in outside and city_total(c, policy.region)]
    counties = [c for c in counties if c not in outside and c not in totals]
    superseded = {"dated": "rest.rollup_superseded_dated", "named": "rest.rollup_superseded_named"}
    file_notes = tuple(Msg(superseded.get(c.chosen_by, "rest.rollup_superseded"),
                           entity=_short(c.entity, policy.region), file=c.file, files=Msg.listing(c.superseded))
                       for c in counties if c.superseded)
    file_notes += left_out
    file_notes += tuple(Msg("rest.rollup_left_out_city", file=c.file, entity=c.entity,
                            city=other_city(c, policy.region), region=policy.region) for c in outside)
    file_notes += tuple(Msg("rest.rollup_left_out_total", file=c.file, entity=c.entity, region=policy.region)
                        for c in totals)
    city, parts = aggregate(policy, cat, counties, year, file_notes)
    city_params = Params(params.values, {}, params.roster)   # county allocations are not the city's targets
    report = evaluate(policy, cat, city, year=year, params=city_params, strict=strict)
    report = not_summed_is_not_missing(report, cat, parts["unsummed"])
    # The roster names counties as the city's documents do (晋中市和顺县), files as the office signs them
    # (和顺县发展和改革局): matched as params entries are, on the name without the city and the office.
    submitted = {entity_key(c.entity) for c in counties}
    listed = {entity_key(e) for e in roster}
    missing = [e for e in roster if entity_key(e) not in submitted]
    # with counties missing a sum is a floor: only what the floor decides stays PASS/FAIL (rollup_partial)
    report = judge_partial(report, policy, cat, missing)
    report, by_county = judge_by_county(report, policy, cat, counties, year, params, missing,
                                        lambda e: _short(e, policy.region))
    for hook in _at_the_citys_date(hooks, counties):
        report = hook.after(report, cat)
    allocations = check_allocations(policy, cat, params, counties)
    # one verdict and one exit code for the report and the roll-up: a missed allocation is the city's FAIL
    report = dataclasses.replace(report, failed_allocations=tuple(a.rule_id for a in allocations
                                                                  if a.status is Status.FAIL))
    return Rollup(policy, year, counties, report, parts["figures"], parts["recomputed"], parts["not_aggregable"],
                  parts["incomplete"], allocations, roster, missing,
                  sorted(c.entity for c in counties if entity_key(c.entity) not in listed) if roster else [],
                  list(file_notes), look_alike(counties, policy.region), by_county)


def _at_the_citys_date(hooks: tuple[Any, ...], counties: list[County]) -> tuple[Any, ...]:
    """Waivers of the city judged at the date its roll-up was complete: the latest county file's."""
    from cbcheck.waivers import WaiverHook, judged_on, latest_of

    if not counties:
        return hooks
    return tuple(dataclasses.replace(h, on=latest_of(((c.file, judged_on(c.filed_on, recorded=c.recorded))
                                                      for c in counties), h.as_of))
                 if isinstance(h, WaiverHook) else h for h in hooks)
