"""Where a roll-up's counties come from: files (a folder of them, or one city workbook with a sheet per
county), or the ledger. Whatever is not added up is named with the reason, never dropped silently."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from cbcheck.catalogue import Catalogue
from cbcheck.errors import CbcheckError, SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.model import Observation, Policy, Submission
from cbcheck.rollup import TOTAL, County, same_run
from cbcheck.rollup import _short as short

# a sheet name that can stand for its county when the sheet states no 填报单位 (交城县, 吕梁市离石区, 孝义市)
_PLACE = re.compile(r"(县|区|市|旗)$")
_LEFT_OUT = {"hidden": "rest.rollup_sheet_hidden", "total": "rest.rollup_sheet_total",
             "unsigned": "rest.rollup_sheet_unsigned"}
_SHEET_PER_COUNTY = frozenset({"read.error.several_entities", "read.error.twice_hint_sheets"})


def counties_from_files(paths: list[Path], cat: Catalogue, policy: Policy, year: int
                        ) -> tuple[list[County], tuple[Msg, ...]]:
    """Each file a county's submission; a workbook whose sheets are different counties' (the reader refuses
    it as one submission: several 填报单位, or one indicator-year given on two sheets) a county per sheet.
    The second value names the sheets not added and why."""
    from cbcheck.engine import reporting_year
    from cbcheck.reader import read_submission

    counties: list[County] = []
    years: dict[str, int | None] = {}
    left_out: list[Msg] = []
    for path in paths:
        try:
            found = [(path.name, read_submission(path, cat))]
        except SubmissionError as exc:
            if not sheet_per_county(exc):
                raise
            found = _per_sheet(path, cat, left_out)
        for label, sub in found:
            if not sub.entity:
                raise SubmissionError(Msg("rest.rollup_no_entity"), where=str(path),
                                      hint=Msg("rest.rollup_no_entity_hint"))
            counties.append(County(sub.entity.strip(), label, sub, filed_on=sub.meta.get("date")))
            years[label] = reporting_year(sub)
    same_run(counties, policy, year, years)
    return counties, tuple(left_out)


@dataclass(frozen=True)
class SheetRead:
    """One sheet of a city workbook as ``rollup`` and ``check`` take it: a county's submission (``submission``,
    its entity the sheet's 填报单位, else the sheet's name), or left out (``why``: hidden | unreadable | total |
    unsigned; ``error`` says why an unreadable one could not be read)."""

    name: str
    submission: Submission | None = None
    why: str | None = None
    error: CbcheckError | None = None
    signed_other: bool = False          # a county-named sheet whose 填报单位 names another county
    by_name: bool = False               # the sheet states no 填报单位: the county is the sheet's name


def sheet_per_county(exc: CbcheckError) -> bool:
    """The reader's refusal of a workbook as one submission that means a sheet per county: several 填报单位,
    or one indicator-year given on two sheets."""
    return bool({getattr(exc.message, "key", None), getattr(exc.hint, "key", None)} & _SHEET_PER_COUNTY)


def names_a_county(sheet: str) -> bool:
    """A sheet name that can stand for its county (交城县, 吕梁市离石区, 孝义市), unlike 汇总, 说明 or Sheet1."""
    from cbcheck.params import entity_key

    return bool(_PLACE.search(entity_key(sheet)))


def read_sheets(path: Path, read: Callable[[str], Submission],
                catch: tuple[type[CbcheckError], ...] = (SubmissionError,)) -> list[SheetRead]:
    """Each sheet of ``path`` in workbook order, read by ``read(sheet)`` as a file of its own and told apart: the
    one classifier of a city workbook's sheets (``rollup`` adds the counties, ``check`` judges each)."""
    import dataclasses

    from cbcheck.params import same_entity
    from cbcheck.reader.grid import open_grids, read_file

    with open_grids(read_file(path), path) as (grids, _):
        sheets = [(g.name, g.hidden) for g in grids]
    out = []
    for name, hidden in sheets:
        if hidden:
            out.append(SheetRead(name, why="hidden"))
            continue
        try:
            sub = read(name)
        except catch as exc:
            out.append(SheetRead(name, why="unreadable", error=exc))
            continue
        if not sub.entity and not names_a_county(name):     # 汇总, Sheet1: no county to name it by
            out.append(SheetRead(name, why="total" if TOTAL.search(name) else "unsigned"))
            continue
        other = bool(sub.entity and names_a_county(name) and not same_entity(sub.entity, name))
        out.append(SheetRead(name, sub if sub.entity else dataclasses.replace(sub, entity=name),
                             signed_other=other, by_name=not sub.entity))
    return out


def _per_sheet(path: Path, cat: Catalogue, left_out: list[Msg]) -> list[tuple[str, Submission]]:
    """``城市.xlsx!兖州区``: each visible sheet read as a file of its own (:func:`read_sheets`). Hidden, empty and
    table-less sheets are listed, not added."""
    from cbcheck.reader import read_submission

    out = []
    for sheet in read_sheets(path, lambda name: read_submission(path, cat, sheet=name)):
        if sheet.submission is None:
            why = sheet.error.message if sheet.error is not None else Msg(_LEFT_OUT[sheet.why or ""])
            left_out.append(Msg("rest.rollup_sheet_left_out", file=path.name, sheet=sheet.name, why=why))
            continue
        if sheet.signed_other:
            # a sheet copied from another county's keeps that county's header: added as its 填报单位 says, said
            left_out.append(Msg("rest.rollup_sheet_signed_other", file=path.name, sheet=sheet.name,
                                entity=sheet.submission.entity))
        out.append((f"{path.name}!{sheet.name}", sheet.submission))
    return out


def counties_from_ledger(ledger: Any, policy: Policy, year: int) -> tuple[list[County], tuple[Msg, ...]]:
    """Each entity's submission for the policy and year: of several files, the one its 填报日期 says is the
    latest when every file states one, else the last recorded, of files recorded the same day the one whose
    name marks a correction (a nightly run records a folder in name order, 榆次区-2025-更正.csv before
    榆次区-2025.csv). One county recorded under two names (晋中市祁县,
    祁县发展和改革局) is one county, not two to add up; the files not used are named in the notes. Withdrawn
    files (``cbcheck ledger withdraw``) are never chosen: the second value says which and why."""
    from cbcheck.ledger.store import in_filing_order
    from cbcheck.params import same_entity

    groups: list[list[Any]] = []
    withdrawn: list[Msg] = []
    for s in ledger.submissions(policy=policy.id, year=year, withdrawn=True):     # oldest recorded first
        if not s.entity or s.scope != "county":     # the city's own table goes on: named in the notes, not added
            continue
        if s.withdrawn_at is not None:              # named in the notes, never added
            withdrawn.append(Msg("rest.rollup_withdrawn", file=s.file_name, entity=s.entity, date=s.withdrawn_on,
                                 reason=s.withdrawn_reason))
            continue
        group = next((g for g in groups if same_entity(g[-1].entity, s.entity)), None)
        if group is None:
            groups.append([s])
        else:
            group.append(s)
    chosen: list[tuple[Any, list[Any], str]] = []
    for g in groups:
        used = in_filing_order(g)[-1]
        dated = all(s.filed_on for s in g) and len({s.filed_on for s in g}) == len(g)   # what chose it, for the note
        chosen.append((used, [s for s in g if s is not used], "dated" if dated else "named" if used is not g[-1]
                       else "recorded"))
    rows = ledger.observations([used for used, _, _ in chosen])
    obs: dict[int, list[Observation]] = defaultdict(list)
    for r in rows:
        obs[r.submission.id].append(r.observation())
    return [County(s.entity, s.file_name, Submission(s.file_name, s.file_sha256, s.entity, s.scope, tuple(obs[s.id])),
                   tuple(Msg("rest.superseded_filed", file=o.file_name, date=o.filed_on) if by == "dated"
                         else Msg("rest.superseded_recorded", file=o.file_name, date=o.date) for o in others), by,
                   s.filed_on, s.recorded_at.date())
            for s, others, by in sorted(chosen, key=lambda c: c[0].entity)], tuple(withdrawn)


def look_alike(counties: list[County], region: str) -> list[Msg]:
    """Counties whose figures are all the same as another's (three or more): one county sent the other's table
    under its own name, and the city would count that county's figures twice. Said, not judged: which is right
    only the counties know."""
    first: dict[frozenset[tuple[str, int, float]], County] = {}
    out = []
    for c in counties:
        values = frozenset((o.indicator, o.year, float(o.value)) for o in c.submission.observations
                           if o.year is not None and isinstance(o.value, (int, float))
                           and not isinstance(o.value, bool) and not o.error)
        if len(values) < 3:
            continue
        if values in first:
            other = first[values]
            out.append(Msg("rest.rollup_same_values", entity=short(c.entity, region), file=c.file, n=len(values),
                           other=short(other.entity, region), other_file=other.file))
        else:
            first[values] = c
    return out
