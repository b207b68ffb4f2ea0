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
from cbcheck.facility_listing import Reasons, Values
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import FacilityTable, Status

WORST_FIRST = (Status.FAIL, Status.ERROR, Status.MISSING, Status.WARN, Status.PASS, Status.NOT_DUE,
               Status.NOT_APPLICABLE)
BLOCK = 16384        # entries per block of a listing (a few MB of JSON lines)
def listed_codes(binding: bool) -> np.ndarray:
    """By verdict code: whether a listing without passing facilities lists it (not PASS, NOT_DUE)."""
    return np.array([Verdict(v).status(binding) not in (Status.PASS, Status.NOT_DUE) for v in range(len(Verdict))])


@dataclass(frozen=True)
class TablePart:
    """The facilities of one table a rule covers, with one verdict per facility."""

    table: FacilityTable
    index: np.ndarray          # positions in the table (its rows)
    verdicts: np.ndarray       # Verdict values
    observed: Values           # the value judged (float, date or text; NaN: none) per facility
    expected: Values           # threshold, deadline or previous value per facility
    column: str                # the column the observed value comes from (for its cell)
    reason: Reasons            # extra words (which attribute is missing, why exempt), or None
    # (positions, verdict codes) of every facility covered, when the arrays above keep only the
    # listed ones (:func:`keep_passing` off): the counts and the facility summary read these
    covered: tuple[np.ndarray, np.ndarray] | None = None

    def __post_init__(self) -> None:
        # object arrays (the SQL engines' parts, a hand-made part) as columns of numbers and codes
        for name in ("observed", "expected"):
            if not isinstance(getattr(self, name), Values):
                object.__setattr__(self, name, Values.of(getattr(self, name)))
        if not isinstance(self.reason, Reasons):
            object.__setattr__(self, "reason", Reasons.of(self.reason))

    @property
    def all_index(self) -> np.ndarray:
        return self.index if self.covered is None else self.covered[0]

    @property
    def all_verdicts(self) -> np.ndarray:
        return self.verdicts if self.covered is None else self.covered[1]


@dataclass(frozen=True)
class FacilityResult:
    rule_id: str
    facility_type: str
    parts: tuple[TablePart, ...]
    binding: bool = True
    approximate: bool = False     # 左右: a miss is worded as beyond an approximate target's tolerance
    early: int | None = None      # the target year, judged before it: a miss is behind, a warning

    @property
    def fails(self) -> bool:
        """Whether a miss is a breach (FAIL) rather than a warning: a binding rule whose target year has come."""
        return self.binding and self.early is None

    def wording(self) -> Wording:
        return Wording(self.binding, self.approximate, self.early)

    def _status_names(self) -> np.ndarray:
        return np.array([Verdict(v).status(self.fails).value for v in range(len(Verdict))])

    def _ranks(self) -> np.ndarray:
        return np.array([WORST_FIRST.index(Verdict(v).status(self.fails)) for v in range(len(Verdict))])

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in WORST_FIRST}
        names = self._status_names()
        for part in self.parts:      # counted, not sorted (np.unique sorted every covered facility's code)
            for code, n in enumerate(np.bincount(part.all_verdicts, minlength=len(Verdict)).tolist()):
                out[names[code]] += n
        return out

    @property
    def total(self) -> int:
        return sum(len(p.all_verdicts) for p in self.parts)

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
        return next(FacilityResult(self.rule_id, self.facility_type, (only,), self.binding,
                                   self.approximate, self.early).entries(), None)

    def entries(self, include_pass: bool = True) -> Iterator[dict[str, Any]]:
        """Per-facility findings as plain rows, breaches first, then in table order: the rows of
        :meth:`blocks`, one dict each (the formats people read list a few; json does not use this)."""
        wording = self.wording()
        statuses = self._status_names().tolist()
        for block in self.blocks(include_pass):
            table = block.part.table
            before, after = block.location_parts()
            messages = wording.distinct
            for row, name, code, observed, expected, said in zip(
                    block.rows.tolist(), name_list(block.names), block.codes.tolist(),
                    block.observed.tolist(), block.expected.tolist(), block.message_ids(wording).tolist(),
                    strict=True):
                yield {
                    "facility": name if isinstance(name, str) and name else f"(row {row})",
                    "row": row,
                    "table": table.source,
                    "status": statuses[code],
                    "observed": plain(observed),
                    "expected": plain(expected),
                    "location": f"{before}{row}{after}",
                    "message": messages[said],
                }

    def blocks(self, include_pass: bool = True, size: int | None = None) -> Iterator[Block]:
        """The listing as columns, in order (breaches first, then table order), cut into blocks of
        one table part and at most ``size`` entries: a renderer words each block with a few array
        operations, and a streamed report holds one block at a time."""
        size = size or BLOCK
        if include_pass and any(part.covered is not None for part in self.parts):
            raise RuntimeError("passing facilities were counted, not kept: backends.keep_passing(True) first")
        ranks = self._ranks().astype(np.int8)
        listed = np.ones(len(ranks), dtype=bool) if include_pass else listed_codes(self.binding)   # by verdict
        picked = [np.flatnonzero(listed[part.verdicts]) for part in self.parts]
        if not sum(len(k) for k in picked):
            return
        ks = np.concatenate(picked)
        pis = np.repeat(np.arange(len(picked)), [len(k) for k in picked])
        # parts, and facilities in a part, are in table order already: a stable sort by rank keeps it
        rank = np.concatenate([ranks[part.verdicts[k]] for part, k in zip(self.parts, picked, strict=True)])
        order = np.argsort(rank, kind="stable")
        pis, ks = pis[order], ks[order]
        cuts = np.flatnonzero(np.diff(pis)) + 1
        rows: dict[int, np.ndarray] = {}
        for start, stop in zip([0, *cuts.tolist()], [*cuts.tolist(), len(pis)], strict=True):
            pi = int(pis[start])
            part = self.parts[pi]
            if pi not in rows:
                rows[pi] = part.table.rows[part.index].astype(np.int64)
            for a in range(start, stop, size):
                pos = ks[a:min(a + size, stop)]
                yield Block(part, rows[pi][pos], _names_at(part.table, part.index[pos]), part.verdicts[pos],
                            part.observed[pos], part.expected[pos], part.reason[pos])


@dataclass(frozen=True)
class Block:
    """Consecutive entries of a listing, all from one table part, as columns."""

    part: TablePart
    rows: np.ndarray           # source rows (int64)
    names: Any                 # Arrow strings or objects: the facilities' names as read (null or empty: unnamed)
    codes: np.ndarray          # Verdict values
    observed: Values           # as in TablePart
    expected: Values
    reason: Reasons

    def location_parts(self) -> tuple[str, str]:
        """Each entry's cell is ``before + row + after``; a column the table lacks has no cell: the
        location points at the facility's name instead of "?"."""
        column = self.part.column if self.part.column in self.part.table.columns else "_name"
        return self.part.table.location_parts(column)

    def message_ids(self, wording: Wording) -> np.ndarray:
        """Each entry's message as a position in ``wording.distinct``: the verdict's own words
        (its code) unless the entry gives a reason; each distinct (verdict, reason) worded once."""
        ids = self.codes.astype(np.intp)
        reasons = self.reason.codes
        given = np.flatnonzero(reasons >= 0)
        if not len(given):
            return ids
        n = len(self.reason.objects) + 1
        pairs, where = np.unique(ids[given] * n + reasons[given], return_inverse=True)
        said = [wording.index(p // n, self.reason.objects[p % n]) for p in pairs.tolist()]
        ids[given] = np.array(said, dtype=np.intp)[where.reshape(-1)]
        return ids


class Wording:
    """The messages of a listing, each distinct (verdict, reason) worded once: a listing of 200,000
    breaches says a handful of different things. ``distinct`` keeps them as :class:`Msg` (with
    their keys, for the reader's language)."""

    def __init__(self, binding: bool, approximate: bool = False, early: int | None = None) -> None:
        self.distinct: list[Any] = [Verdict(v).message(binding, approximate=approximate)
                                    for v in range(len(Verdict))]
        if early is not None:    # behind a target not yet due: says the year it binds from
            self.distinct[Verdict.MISS] = Msg("msg.f_miss_early", target_year=early)
        self._seen: dict[Any, int] = {}

    def index(self, code: int, reason: Any) -> int:
        if not reason:
            return code
        try:     # the key tells apart two sentences that read alike in English
            key = (code, getattr(reason, "key", None), reason)
            found = self._seen.get(key)
        except TypeError:                     # an unhashable reason: worded every time
            key, found = None, None
        if found is None:
            found = len(self.distinct)
            self.distinct.append(Msg("msg.f_reason", verdict=self.distinct[code], reason=phrase(reason)))
            if key is not None:
                self._seen[key] = found
        return found


def _names_at(table: FacilityTable, idx: np.ndarray) -> Any:
    """The names of the facilities at ``idx``: of those only, when the table cleans names on request;
    with the owner first where the table names one (甲水泥 1号线: a city's table holds a 1号线 of
    every cement plant)."""
    lazy = table.lazy.get("_name")
    names = lazy.take(idx) if lazy is not None else _take(table.names, idx)
    if "owner" not in table:
        return names
    codes, uniques = table.factorized("owner")
    owners = [str(uniques[c]).strip() if c >= 0 else "" for c in codes[idx].tolist()]
    return np.array([f"{o} {n}" if o and n is not None else n for o, n in zip(owners, name_list(names), strict=True)],
                    dtype=object)


def _take(names: Any, idx: np.ndarray) -> Any:
    """Some facilities' names: Arrow takes Arrow positions (numpy ones would import pandas)."""
    if isinstance(names, np.ndarray):
        return names.take(idx)
    from cbcheck.columnar import arrow_call, arrow_indices

    return arrow_call("take", names, arrow_indices(idx))


def name_list(names: Any) -> list[Any]:
    """Names as Python values (None for a null): from Arrow, or an object array of a hand-made table."""
    return names.to_pylist() if hasattr(names, "to_pylist") else list(names)


def plain(v: Any) -> Any:
    """A value as JSON and the renderers take it: no numpy scalars, NaN as None, dates as text."""
    if v is None:
        return None
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if not math.isfinite(f):
            return None                                      # JSON has no NaN or infinity
        shown = float(f"{f:.10g}")
        return shown if math.isfinite(shown) else f          # 1.7976931349e308 rounds up to infinity
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.integer):
        return int(v)
    return v
