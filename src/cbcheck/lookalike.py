"""A rule whose indicator is absent names what in the file looks like it.

When a finding is MISSING or NOT_APPLICABLE and its indicator is nowhere in the submission, the
reader may still have seen it under another spelling: a row it could not match
(``单位GDP能耗降低律``), a facility column it did not know, a sheet it skipped (a hidden sheet
named ``单位GDP能耗``). The finding then says so::

    … is not in the submission; row 12 (表1!B12) '单位GDP能耗降低律' looks like it

Similarity is :class:`difflib.SequenceMatcher` on normalised names (:func:`~cbcheck.textnorm.norm_name`)
against the indicator's name and aliases, or the containment of one in the other; only the most
similar candidate is named. Nothing here judges: the status stays what the check said.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import Finding, Policy, Rule, Status, Submission
from cbcheck.readnote import ReadNote
from cbcheck.textnorm import norm_name

THRESHOLD = 0.72          # 城市绿色出行分担比例 ~ 城市绿色出行比例 is 0.89; 能源消费总量 ~ 煤炭消费总量 is 0.67
MIN_CHARS = 3             # a row labelled 合计 (two characters) is inside too many names to count
SHEET_MIN_CHARS = 2       # but a sheet named 焦炉明细 is about 焦炉: sheet names are short descriptors
_ROW = re.compile(r"(\d+)(?::\d+)?$")


@dataclasses.dataclass(frozen=True)
class Candidate:
    label: str
    place: Msg                # row 12 (表1!B12) / column 表1!F3 / sheet
    min_chars: int = MIN_CHARS


def similarity(a: str, b: str, min_chars: int = MIN_CHARS) -> float:
    """How alike two names are, 0–1, on their normalised forms; one containing the other (the
    shorter of at least ``min_chars`` characters) counts as 0.9."""
    a, b = norm_name(a), norm_name(b)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) >= min_chars and (a in b or b in a):
        return max(0.9, difflib.SequenceMatcher(None, a, b).ratio())
    return difflib.SequenceMatcher(None, a, b).ratio()


def candidates(submission: Submission) -> list[Candidate]:
    """What the reader saw and did not use: unmatched row labels and facility columns, skipped sheets."""
    columns = {str(n.params.get("location")) for n in submission.notes
               if isinstance(n, ReadNote) and n.key.startswith("read.facility_column_unknown")}
    out = []
    for u in submission.unmatched:
        if u.label.startswith("("):             # (no indicator name), (no year)
            continue
        m = _ROW.search(u.location)
        if u.location in columns or m is None:
            out.append(Candidate(u.label, Msg("read.looks_like_column", location=u.location)))
        else:
            out.append(Candidate(u.label, Msg("read.looks_like_row", row=int(m.group(1)), location=u.location)))
    for n in submission.notes:
        if isinstance(n, ReadNote) and n.kind == "sheet_skipped" and n.params.get("sheet"):
            out.append(Candidate(str(n.params["sheet"]), Msg("read.looks_like_sheet"), SHEET_MIN_CHARS))
    return out


def _names(indicator: str, cat: Catalogue, rule: Rule | None = None) -> list[str]:
    """The names the absent thing goes by: a facility rule's facility type (焦炉, 炼焦炉), else the
    indicator's name and aliases."""
    ftype = ((rule.params.get("applies_to") or {}).get("facility_type") if rule is not None else None)
    if ftype is not None:
        from cbcheck.facilities import facility_catalogue

        known = facility_catalogue().types.get(ftype)
        if known is not None:
            return [known.name, *known.aliases]
    if indicator not in cat:
        return [indicator]
    ind = cat[indicator]
    return [ind.name, *ind.aliases]


def _present(submission: Submission) -> set[str]:
    ids = {o.indicator for o in submission.observations}
    for table in submission.facilities:
        ids |= {c.split("@")[0] for c in table.columns}
    return ids


def best(names: Iterable[str], found: list[Candidate]) -> Candidate | None:
    scored = [(max((similarity(c.label, n, c.min_chars) for n in names), default=0.0), i, c)
              for i, c in enumerate(found)]
    scored = [s for s in scored if s[0] >= THRESHOLD]
    return max(scored, key=lambda s: (s[0], -s[1]))[2] if scored else None


def _other_basis(f: Finding, notes: list[ReadNote], cat: Catalogue) -> list[Msg]:
    """当量值 rows of the finding's indicator, or of what it is computed from (能源消费总量 for
    单位GDP能耗), that were listed not read: the finding says so, not just 'not reported'."""
    base = f.indicator.removesuffix("_reduction")
    derive = cat.indicators[base].derive if base in cat else None
    wanted = {f.indicator, base, *((derive or {}).get("ratio") or ())}
    return [Msg("read.calorific_instead", at=n.params["at"], label=n.params["label"]) for n in notes
            if n.params.get("indicator") in wanted][:2]


def name_lookalikes(findings: list[Finding], submission: Submission, cat: Catalogue,
                    policy: Policy | None = None) -> list[Finding]:
    """``findings`` with a clause naming the lookalike added to each absent indicator's (or, for a
    facility rule of ``policy``, facility type's) message."""
    found = candidates(submission)
    other_basis = [n for n in submission.notes if isinstance(n, ReadNote) and n.kind == "row_basis"]
    if not found and not other_basis:
        return findings
    present = _present(submission)
    rules = {r.id: r for r in policy.rules} if policy is not None else {}
    out = []
    for f in findings:
        if f.status in (Status.MISSING, Status.NOT_APPLICABLE) and (why := _other_basis(f, other_basis, cat)):
            f = dataclasses.replace(f, message=Msg.join([phrase(f.message), *why]))
        elif f.status in (Status.MISSING, Status.NOT_APPLICABLE) and f.indicator not in present:
            hit = best(_names(f.indicator, cat, rules.get(f.rule_id)), found)
            if hit is not None:
                said = phrase(f.message)
                clause = Msg("read.looks_like", place=hit.place, label=hit.label)
                f = dataclasses.replace(f, message=Msg.join([said, clause]))
        out.append(f)
    return out
