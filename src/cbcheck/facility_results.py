"""What a facility rule found, per facility, kept as columns: a table of a million rows is a
few arrays, and listings, counts and summaries are computed from them without building one
object per facility."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from cbcheck.checks.kind import Verdict
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import FacilityTable, Status

WORST_FIRST = (Status.FAIL, Status.ERROR, Status.MISSING, Status.WARN, Status.PASS, Status.NOT_DUE,
               Status.NOT_APPLICABLE)


@dataclass(frozen=True)
class TablePart:
    """The facilities of one table a rule covers, with one verdict per facility."""

    table: FacilityTable
    index: np.ndarray          # positions in table.frame
    verdicts: np.ndarray       # Verdict values
    observed: np.ndarray       # object array: the value judged (float, date or text) or None
    expected: np.ndarray       # object array: threshold, deadline or previous value per facility
    column: str                # the column the observed value comes from (for its cell)
    reason: np.ndarray         # object array: extra words (which attribute is missing, why exempt)


@dataclass(frozen=True)
class FacilityResult:
    rule_id: str
    facility_type: str
    parts: tuple[TablePart, ...]
    binding: bool = True

    def _status_names(self) -> np.ndarray:
        return np.array([Verdict(v).status(self.binding).value for v in range(len(Verdict))])

    def _ranks(self) -> np.ndarray:
        return np.array([WORST_FIRST.index(Verdict(v).status(self.binding)) for v in range(len(Verdict))])

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in WORST_FIRST}
        names = self._status_names()
        for part in self.parts:
            for code, n in zip(*np.unique(part.verdicts, return_counts=True), strict=True):
                out[names[int(code)]] += int(n)
        return out

    def keyed_statuses(self, table_ids: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(facility keys, status values) for every facility the rule covers, as arrays: a key is
        the table's number × 2³² + the facility's row, so facilities count across rules cheaply."""
        names = self._status_names()
        keys, statuses = [], []
        for part in self.parts:
            rows = part.table.frame["_row"].to_numpy()[part.index].astype(np.int64)
            keys.append(np.int64(table_ids[id(part.table)]) * (1 << 32) + rows)
            statuses.append(names[part.verdicts])
        return np.concatenate(keys), np.concatenate(statuses)

    @property
    def total(self) -> int:
        return sum(len(p.verdicts) for p in self.parts)

    def first_entry(self) -> dict[str, Any] | None:
        """The first of :meth:`entries` (``include_pass=False``) without sorting every facility:
        the worst rank present, then its first facility in table order."""
        ranks = self._ranks()
        passing = [WORST_FIRST.index(Status.PASS), WORST_FIRST.index(Status.NOT_DUE)]
        best: tuple[int, int, int] | None = None
        for pi, part in enumerate(self.parts):
            r = ranks[part.verdicts]
            r = np.where(np.isin(r, passing), len(WORST_FIRST), r)
            if not len(r):
                continue
            k = int(np.argmin(r))
            if r[k] < len(WORST_FIRST) and (best is None or int(r[k]) < best[0]):
                best = (int(r[k]), pi, k)
        if best is None:
            return None
        part = self.parts[best[1]]
        only = TablePart(part.table, part.index[best[2]:best[2] + 1], part.verdicts[best[2]:best[2] + 1],
                         part.observed[best[2]:best[2] + 1], part.expected[best[2]:best[2] + 1], part.column,
                         part.reason[best[2]:best[2] + 1])
        return next(FacilityResult(self.rule_id, self.facility_type, (only,), self.binding).entries(), None)

    def entries(self, include_pass: bool = True) -> Iterator[dict[str, Any]]:
        """Per-facility findings as plain rows, breaches first, then in table order. Columns are
        taken from the frame once per table (not a pandas lookup per facility)."""
        ranks = self._ranks()
        keys = [(ranks[part.verdicts], np.full(len(part.verdicts), pi), np.arange(len(part.verdicts)))
                for pi, part in enumerate(self.parts)]
        rank, pis, ks = (np.concatenate(arrays) for arrays in zip(*keys, strict=True))
        if not include_pass:
            keep = ~np.isin(rank, [WORST_FIRST.index(Status.PASS), WORST_FIRST.index(Status.NOT_DUE)])
            rank, pis, ks = rank[keep], pis[keep], ks[keep]
        order = np.lexsort((ks, pis, rank))
        statuses = [Verdict(v).status(self.binding).value for v in range(len(Verdict))]
        messages = [Verdict(v).message(self.binding) for v in range(len(Verdict))]
        columns: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for j in order:
            pi = int(pis[j])
            part = self.parts[pi]
            if pi not in columns:
                frame = part.table.frame
                columns[pi] = (frame["_row"].to_numpy()[part.index],
                               frame["_name"].take(part.index).to_numpy(dtype=object))
            rows, names = columns[pi]
            k = int(ks[j])
            code = int(part.verdicts[k])
            row = int(rows[k])
            message = messages[code]
            if part.reason[k]:
                message = Msg("msg.f_reason", verdict=message, reason=phrase(part.reason[k]))
            name = names[k]
            yield {
                "facility": name if isinstance(name, str) and name else f"(row {row})",
                "row": row,
                "table": part.table.source,
                "status": statuses[code],
                "observed": plain(part.observed[k]),
                "expected": plain(part.expected[k]),
                # a column the table lacks has no cell: point at the facility's name instead of "?"
                "location": part.table.location(part.column if part.column in part.table.columns else "_name", row),
                "message": message,
            }


def plain(v: Any) -> Any:
    """A value as JSON and the renderers take it: no numpy scalars, NaN as None, dates as text."""
    if v is None:
        return None
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return float(f"{f:.10g}") if math.isfinite(f) else None      # JSON has no NaN or infinity
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.integer):
        return int(v)
    return v
