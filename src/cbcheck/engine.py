"""(policy, submission) -> report. Pure: reads nothing, prints nothing."""

from __future__ import annotations

import dataclasses
import math

from cbcheck import fractions, units
from cbcheck.catalogue import Catalogue
from cbcheck.entclass import Addressed, Profile, addressed
from cbcheck.entclass import profile as enterprise_profile
from cbcheck.checks import KINDS, Context, Outcome, Unavailable
from cbcheck.checks.base import Series, term
from cbcheck.checks.kind import Requirement, working_unit
from cbcheck.errors import SubmissionError, UnitError
from cbcheck.i18n.message import Msg, Word
from cbcheck.i18n.phrases import phrase
from cbcheck.lookalike import name_lookalikes
from cbcheck.model import (COUNTY_SCOPES, ENTERPRISE_SCOPES, Finding, Policy, Report, Rule, Status, Submission)
from cbcheck.params import Params, entity_key, same_entity
from cbcheck.readnote import ReadNote
from cbcheck.required import missing_details
from cbcheck.series import SeriesBuilder
from cbcheck.unused import unused_columns, unused_notes

# Totals that add up over counties: a city target in these is not a county's target.
EXTENSIVE_DIMENSIONS = frozenset({"power", "electricity", "heat", "mass", "currency", "count", "area", "volume",
                                  "production_rate", "length"})


def reporting_year(submission: Submission) -> int:
    """The latest year with a value or a cell that cannot be read; for facility-only files, the 报告年度
    metadata row, else the one year the table's title names."""
    return _reporting_year(submission)[0]


def _reporting_year(submission: Submission) -> tuple[int, bool]:
    """(:func:`reporting_year`, whether it is the title's year: the report then says so)."""
    # A cell that cannot be read (下降3.2%, #DIV/0!) was filled in for its year: that year is reported,
    # with the cell an ERROR, rather than an earlier year judged in its place and the report compliant.
    years = sorted(submission.years_with_values())
    if years:
        return years[-1], False
    stated = "".join(ch for ch in submission.meta.get("year", "") if ch.isdigit())[:4]
    if len(stated) == 4:
        return int(stated), False
    if submission.meta.get("year_from_title"):
        return int(submission.meta["year_from_title"]), True
    if submission.facilities:
        raise SubmissionError(Msg("rest.read_facility_no_year"), where=submission.path,
                              hint=Msg("rest.read_facility_no_year_hint"))
    raise SubmissionError(Msg("rest.no_year_values"), where=submission.path, hint=Msg("rest.no_year_values_hint"))


def _year_said(submission: Submission, year: int) -> tuple[ReadNote, Msg] | None:
    """A note and the verdict's reason when the year judged (the latest with values) is not the one
    the file says it reports: a 2025 title over 2020年 | 2024年 | 2025年目标 is judged on 2024, and
    the clerk who believes the 2025 report passed must read that first. Judged, not refused: by the
    yearly cycle (DOMAIN §7) a table filed in 2025 often carries 2024's final figures."""
    said = submission.said_year()
    if said is None or said[0] == year:
        return None
    where = Msg("read.said_in_title", title=submission.title_year[1]) if submission.title_year and said[1] == "title" \
        else Msg("read.said_in_row", text=submission.meta["year"])
    absent = said[0] not in submission.years_with_values()
    note = ReadNote("value", "read.year_said_absent" if absent else "read.year_said_other",
                    year=year, said=said[0], where=where)
    reason = Msg("reason.year_said_absent" if absent else "reason.year_said_other", year=year, said=said[0],
                 where=Msg(f"reason.said_in_{said[1]}"))
    return note, reason


def _finding(rule: Rule, cat: Catalogue, year: int, outcome: Outcome, section_order: int, ctx: Context,
             assigned_by: str | None = None) -> Finding:
    details = {k: v for k, v in outcome.details.items() if k != "quality"}
    details.update(missing_details(rule, outcome, ctx))    # whether a blank here makes the file non-compliant
    said = details.pop("said", None)
    message = Msg("msg.dot", left=outcome.message, right=said) if said is not None else outcome.message
    return Finding(
        rule_id=rule.id, indicator=rule.indicator, indicator_name=cat[rule.indicator].name, title=rule.title,
        status=outcome.status, strength=rule.strength, year=year, target_year=rule.target_year,
        observed=outcome.observed, expected=outcome.expected, comparator=outcome.comparator,
        unit=outcome.unit, arithmetic=outcome.arithmetic, location=outcome.location, message=message,
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


def _needs_allocation(rule: Rule, data: SeriesBuilder, submission: Submission, city_level: bool) -> bool:
    """A city-wide total (a capacity, a count, an area) checked on a county's own file. A ban
    (严禁新增…, at_most 0) is not: county values are ≥ 0 and add up to the city's, so the city's
    "≤ 0" holds only if every county's does — each county is judged on it directly."""
    ban = rule.kind == "at_most" and rule.target == 0
    return (submission.scope == "county" and not city_level and rule.scope == "region"
            and KINDS[rule.kind].level and not rule.assigned and not ban
            and data.cat.dimensions.get(rule.indicator) in EXTENSIVE_DIMENSIONS)


def _named_elsewhere(rule: Rule, submission: Submission, city_level: bool) -> Msg | None:
    """Why a clause the plan names for some counties (``entities``: 兖州区3.2万千瓦生活垃圾焚烧发电项目)
    does not apply to this county's submission; None where it applies or cannot be told: the city's
    own file, an enterprise's, a file that names no county."""
    named = rule.params.get("entities")
    if not named or city_level or submission.scope not in COUNTY_SCOPES or not submission.entity:
        return None
    key = entity_key(submission.entity)
    # the plans name counties short as often as in full (文水、方山 for 文水县、方山县)
    short = key[:-1] if len(key) > 2 and key[-1] in "县区市旗" else key
    if any(same_entity(e, submission.entity) or entity_key(e) == short for e in named):
        return None
    return Msg("msg.named_entities", entities=Msg.listing(named))


def _addressed(rule: Rule, submission: Submission, params: Params, profile: Profile | None) -> Addressed | None:
    """Whether the enterprise is one the rule's clause speaks to (:mod:`cbcheck.entclass`); None
    when the rule names no addressees or the submission is not an enterprise's."""
    addressees = rule.params.get("addressees")
    if not addressees or rule.scope != "enterprise" or submission.scope != "enterprise":
        return None
    return addressed(addressees, profile or enterprise_profile(submission, params.classes))


def evaluate_rule(rule: Rule, data: SeriesBuilder, submission: Submission, ctx: Context,
                  params: Params, city_level: bool = True,
                  profile: Profile | None = None) -> tuple[Outcome, str | None]:
    if rule.scope != "facility" and not _applies(rule, submission) and data.facility_share(rule.indicator) is None:
        return _plain(Status.NOT_APPLICABLE,
                      Msg("msg.scope_other", rule_scope=term(rule.scope), scope=term(submission.scope))), None
    elsewhere = _named_elsewhere(rule, submission, city_level)
    if elsewhere is not None:
        return _plain(Status.NOT_APPLICABLE, elsewhere), None
    whom = _addressed(rule, submission, params, profile)
    if whom is not None and whom.answer == "no":
        return _plain(Status.NOT_APPLICABLE, whom.message or ""), None
    outcome, assigned_by = _judged(rule, data, submission, ctx, params, city_level)
    if whom is not None and whom.answer == "unknown" and outcome.status is Status.MISSING and whom.message:
        # Unknown whether the clause is about this enterprise: still missing, never guessed away,
        # but the report says how to declare what the enterprise is.
        outcome = dataclasses.replace(outcome, message=Msg.join([outcome.message, whom.message]))
    return outcome, assigned_by


def _judged(rule: Rule, data: SeriesBuilder, submission: Submission, ctx: Context,
            params: Params, city_level: bool) -> tuple[Outcome, str | None]:
    assigned_by = None
    allocation = _needs_allocation(rule, data, submission, city_level)
    if rule.assigned or allocation:
        given = params.lookup(rule.id, rule.indicator, submission.entity)
        if given is None and allocation:
            return _plain(Status.NOT_APPLICABLE,
                          Msg("msg.city_total", requirement=Requirement(rule),
                              entity=submission.entity or "COUNTY", rule_id=rule.id)), None
        if given is None:
            return _plain(Status.NOT_APPLICABLE,
                          Msg("msg.assigned_missing", who=rule.assigned_by, rule_id=rule.id)), None
        target = given.value
        if given.unit and rule.unit:
            try:
                target = units.convert(target, data.cat.unit_for(rule.indicator, given.unit) or given.unit, rule.unit)
            except UnitError as exc:
                said = Msg("msg.assigned_value_error", rule_id=rule.id, error=phrase(str(exc)))
                return _plain(Status.ERROR, said), None
        rule = dataclasses.replace(rule, target=target)
        assigned_by = given.source
        entry = given.entry if given.entry and not given.entry.startswith(f"entities.{submission.entity}.") \
            and given.entry.startswith("entities.") else None    # matched by its normalised name: say which
    if rule.scope == "facility":
        if not submission.facilities:
            return _plain(Status.NOT_APPLICABLE, Msg("msg.no_facility_table")), None
        from cbcheck.facility_rules import evaluate_facility_rule

        return evaluate_facility_rule(rule, submission.facilities, ctx), assigned_by
    share = data.facility_share(rule.indicator)
    if isinstance(share, str):
        return _plain(Status.ERROR, share), assigned_by
    series = data.series(rule.indicator, working_unit(rule, data.cat), rule.base_year)

    def judge(s: Series) -> Outcome:
        try:
            return KINDS[rule.kind].judge(rule, s, ctx)
        except Unavailable as gap:
            return _plain(gap.status, gap.message, gap.location)

    outcome = fractions.settle(series, data.fraction_cells(rule.indicator), judge)
    history = {y: float(v.value) for y, v in sorted(series.values.items())
               if isinstance(v.value, (int, float)) and not isinstance(v.value, bool) and math.isfinite(v.value)}
    if history and series.unit:     # what the report's chart draws: the series the kind judged
        outcome = dataclasses.replace(outcome, details={**outcome.details, "history": history,
                                                        "history_unit": series.unit})
    if assigned_by:
        who = Msg("msg.who_entry", who=phrase(assigned_by), entry=entry) if entry else phrase(assigned_by)
        outcome = dataclasses.replace(outcome, message=Msg(
            "msg.target_allocated" if allocation else "msg.target_assigned", message=phrase(outcome.message), who=who))
    return outcome, assigned_by


def _name_notes(profile: Profile | None) -> list[ReadNote]:
    """The sector read from the unit's name, so that a wrong guess shows and can be corrected."""
    if profile is None or not profile.from_name:
        return []
    from cbcheck.entclass import class_name, vocabulary

    cls = profile.from_name[0][0]
    first = Word(zh=vocabulary().classes[cls].names[0], en=cls)     # --set 电力企业=no / --set power=no
    return [ReadNote("entity", "read.class_from_name", name=profile.unit_name,
                     classes=Msg.listing(class_name(c) for c, _ in profile.from_name),
                     words=Msg.listing(w for _, w in profile.from_name), set=first)]


def context(policy: Policy, year: int, strict_trajectory: bool = False) -> Context:
    """What the rules are judged by: the year, and the base year the plan's period implies."""
    period = policy.meta.get("period")
    default_base = int(period[:4]) - 1 if period else 2020
    return Context(year=year, default_base_year=default_base, strict_trajectory=strict_trajectory)


def evaluate(policy: Policy, cat: Catalogue, submission: Submission, *, year: int | None = None,
             params: Params | None = None, strict: bool = False, strict_trajectory: bool = False) -> Report:
    year_said: list[ReadNote] = []
    year_reason: Msg | None = None
    if year is None:
        year, from_title = _reporting_year(submission)
        if from_title:    # a title may name another year than the one reported: the reader is told to check
            year_said.append(ReadNote("value", "read.year_from_title", year=year, title=submission.meta["year_title"]))
        elif (differs := _year_said(submission, year)) is not None:
            year_said.append(differs[0])
            year_reason = differs[1]
    ctx = context(policy, year, strict_trajectory)
    data = SeriesBuilder(submission, cat, year)
    sections: dict[str, int] = {}
    findings = []
    city_level = is_city_level(submission, policy.region)
    params = params or Params()
    profile = enterprise_profile(submission, params.classes) if submission.scope == "enterprise" and any(
        r.params.get("addressees") for r in policy.rules) else None
    read: dict[str, set[str]] = {}
    for rule in policy.rules:
        order = sections.setdefault(rule.source.section, len(sections))
        data.touched.clear()
        outcome, assigned_by = evaluate_rule(rule, data, submission, ctx, params, city_level, profile)
        read[rule.id] = set(data.touched)
        for check, qyear, location, message in outcome.details.get("quality", ()):
            data.flag(check, rule.indicator, qyear, location, message)
        findings.append(_finding(rule, cat, year, outcome, order, ctx, assigned_by))
    findings = name_lookalikes(findings, submission, cat, policy)   # an absent indicator names its lookalike
    quality = tuple(sorted(data.quality.values(), key=lambda q: (q.indicator, q.year or 0, q.check)))
    said = [*year_said, *_name_notes(profile), *unused_notes(submission, cat, findings, read),
            *unused_columns(submission, cat, findings, {r.id: r for r in policy.rules})]
    if said:      # with how the file was read, so every format lists them
        submission = dataclasses.replace(submission, notes=(*submission.notes, *said))
    return Report(policy=policy, submission=submission, year=year, findings=tuple(findings), strict=strict,
                  quality=quality, year_reason=year_reason)
