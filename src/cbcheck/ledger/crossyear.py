"""What the ledger adds to ``check``: earlier years from earlier submissions, restatements, recording.

A :class:`LedgerHook` sits in :class:`cbcheck.batch.Checker` around ``engine.evaluate``:

- ``before``: values of the same entity's earlier submissions for indicator-years this file
  does not give are added to the submission, located in the file they came from. A county
  that reports each year only its latest 比上年 rate is then judged on the rate chained from
  the base year, and the chain names each year's file (DOMAIN.md §7, year on year vs cumulative).
- ``after``: every value of this file that an earlier submission recorded differently becomes a
  data-quality note ``restatement`` with both values, both files and both dates (§7,
  restatements); then the report is recorded (``--record``) with the file's own observations.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbcheck.checks.base import fmt
from cbcheck.i18n.message import Msg
from cbcheck.ledger.store import Ledger, StoredObservation, in_filing_order, iter_numeric, now
from cbcheck.model import Observation, Policy, QualityIssue, Report, Submission

SAME_REL = 1e-9          # relative difference below which two recorded values are the same number


def _key(o: Observation | StoredObservation) -> tuple[str, int | None, str | None, str | None]:
    return (o.indicator, o.year, o.price_basis, o.rate_basis)


@dataclass
class LedgerHook:
    ledger: Ledger
    record: bool = False
    cross_year: bool = True
    recorded: list[tuple[str, int, bool]] = field(default_factory=list)   # (file, id, new)
    _originals: dict[str, tuple[Observation, ...]] = field(default_factory=dict)
    _past: dict[str, list[StoredObservation]] = field(default_factory=dict)

    def _earlier(self, sub: Submission, year: int | None) -> list[StoredObservation]:
        """Numeric values of the entity's other files, newest submission first."""
        if not sub.entity:
            return []
        subs = [s for s in self.ledger.submissions(entity=sub.entity)
                if s.file_sha256 != sub.sha256 and (year is None or s.year <= year)]
        subs = in_filing_order(subs)[::-1]
        rank = {s.id: i for i, s in enumerate(subs)}
        rows = list(iter_numeric(self.ledger.observations(subs)))
        rows.sort(key=lambda r: rank[r.submission.id])
        return rows

    def before(self, submission: Submission, policy: Policy, year: int | None) -> Submission:
        self._originals[submission.path] = submission.observations
        if not self.cross_year:
            return submission
        if year is None and submission.observations:
            from cbcheck.engine import reporting_year

            year = reporting_year(submission)
        past = self._earlier(submission, year)
        self._past[submission.path] = past
        have = {(o.indicator, o.year) for o in submission.observations
                if o.year is not None and (o.value is not None or o.error)}
        added: dict[tuple[str, int | None], Observation] = {}
        for row in past:
            k = (row.indicator, row.year)
            if k not in have and k not in added:
                added[k] = row.observation()
        if not added:
            return submission
        files = sorted({r.submission.file_name for r in past if (r.indicator, r.year) in added})
        from cbcheck.i18n.message import Msg

        note = Msg("ledger.from_ledger", n=len(added), entity=submission.entity, files=Msg.listing(files))
        return dataclasses.replace(submission, observations=submission.observations + tuple(added.values()),
                                   notes=submission.notes + (note,))

    def after(self, report: Report, cat: Any) -> Report:
        sub = report.submission
        own = self._originals.pop(sub.path, sub.observations)
        past = self._past.pop(sub.path, [])
        notes = self._restatements(own, past, sub, cat) if self.cross_year else []
        if notes:
            quality = tuple(sorted(report.quality + tuple(notes), key=lambda q: (q.indicator, q.year or 0, q.check)))
            report = dataclasses.replace(report, quality=quality)
        if self.record:
            rid, new = self.ledger.record(report, observations=own)
            self.recorded.append((sub.path, rid, new))
        return report

    def _restatements(self, own: tuple[Observation, ...], past: list[StoredObservation], sub: Submission,
                      cat: Any) -> list[QualityIssue]:
        from cbcheck import units
        from cbcheck.errors import UnitError

        latest: dict[tuple[str, int | None, str | None, str | None], StoredObservation] = {}
        for row in past:
            latest.setdefault(_key(row), row)
        today = now().strftime("%Y-%m-%d")
        out = []
        for o in own:
            if not isinstance(o.value, (int, float)) or isinstance(o.value, bool) or o.error:
                continue
            old = latest.get(_key(o))
            if old is None:
                continue
            value = float(old.value)  # type: ignore[arg-type]
            if old.unit and o.unit and old.unit != o.unit:
                try:
                    value = units.convert(value, old.unit, o.unit)
                except UnitError:
                    continue
            if abs(value - float(o.value)) <= SAME_REL * max(abs(value), abs(float(o.value)), 1e-12):
                continue
            name = cat[o.indicator].name if o.indicator in cat else o.indicator
            unit = o.unit or old.unit or ""
            out.append(QualityIssue(
                "restatement", o.indicator, o.year, o.location,
                Msg("msg.q_restatement", year=o.year, indicator=name, old=fmt(value), new=fmt(float(o.value)),
                    unit=f" {unit}" if unit else "", old_file=old.submission.file_name,
                    old_date=old.submission.date, old_cell=old.cell, new_file=Path(sub.path).name,
                    new_date=today, new_cell=o.location)))
        return out
