"""A facility CSV judged as it streams: the policy's facility rules and shares handed each part of
the table while the reader reads it (reader/judgestream.py), and the table kept afterwards only
as what the reports ask of it (rows, types, names; :class:`StreamedTable`).

:func:`judging` is opened by ``cbcheck check`` around the read of one file (batch.Checker) when
what the rules need is known before the body: the policy, the year (``--year``), the numpy
engine, and a listing without passing facilities (``--all-facilities`` keeps the whole table).
The reader asks :func:`current` and, for a plain CSV it can stream, opens one
:class:`~cbcheck.facility_parts.RuleParts` per facility rule not outside its period and not
assigned (an assigned target is looked up per entity first: the whole table), and one
:class:`~cbcheck.facility_parts.ShareParts` per facility share a rule's indicator is computed
from. ``engine.evaluate`` then asks for the results as it asks for a rule over a table
(:func:`cbcheck.facility_parts.judged`, :func:`cbcheck.facility_parts.share_rows`): a rule or
share asked otherwise than it was judged (another year, a target given by parameters) is not
guessed: the table is read again whole (:meth:`StreamedTable.materialize`) and judged as before.
"""

from __future__ import annotations

import contextlib
import os
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:       # a county check opens judging too, and imports no numpy (tests/test_cache.py)
    import numpy as np

from cbcheck.checks import KINDS, Context
from cbcheck.model import FacilityTable, Rule

# the columns a streamed table keeps whole: what the reports ask of a table after the rules (the
# names of the facilities listed only: SparseNames)
KEPT = ("_row", "_type")


def enabled() -> bool:
    """``CBCHECK_STREAM_JUDGE=0`` judges the whole table after the read (to compare the two)."""
    return os.environ.get("CBCHECK_STREAM_JUDGE", "1").strip().lower() not in {"0", "no", "false", "off"}


@dataclass(frozen=True)
class Judging:
    """What to judge while a file streams."""

    rules: tuple[Rule, ...]
    shares: tuple[dict[str, Any], ...]      # the facility_share specs, each once
    ctx: Context

    def start(self, rows: int | None = None) -> Sinks:
        """``rows``: the table's rows at most (the file's line count), the listings' capacity."""
        return Sinks(self, rows)


class Sinks:
    """One start of the stream's judging (a widening restart starts a fresh one)."""

    def __init__(self, judging: Judging, rows: int | None = None) -> None:
        from cbcheck.facility_parts import RuleParts, ShareParts

        self.judging = judging
        self.rules = [RuleParts(rule, judging.ctx, rows) for rule in judging.rules]
        self.shares = [ShareParts(spec) for spec in judging.shares]

    def add(self, part: FacilityTable, offset: int) -> None:
        """Every rule and share given the part (a UnitError: the caller leaves the file to the whole read)."""
        for rule in self.rules:
            rule.add(part, offset)
        for share in self.shares:
            share.add(part, offset)

    def results(self, table: FacilityTable) -> Judged:
        return Judged(self.judging.ctx,
                      [(r.rule, r.result(table)) for r in self.rules],
                      [(s.spec, s.result(table)) for s in self.shares])


@dataclass
class Judged:
    ctx: Context
    rules: list[tuple[Rule, Any]]
    shares: list[tuple[dict[str, Any], Any]]

    def rule(self, rule: Rule, ctx: Context) -> tuple[bool, Any]:
        if ctx == self.ctx:
            for judged, got in self.rules:
                if judged is rule or judged == rule:
                    return True, got
        return False, None

    def share(self, spec: dict[str, Any]) -> tuple[bool, Any]:
        for judged, got in self.shares:
            if judged is spec or judged == spec:
                return True, got
        return False, None


class StreamedTable(FacilityTable):
    """A facility table judged as it streamed: the rows, types and names kept whole (the reports'
    listings, counts and summary read those; the remarks as codes), every other column named
    (``columns``, ``in``) but not held. Asking for one (a rule or share not judged in the stream,
    the SQL frame) reads the file again and makes the table whole (:meth:`materialize`), so
    nothing is answered from a column that is not there."""

    judged: Judged | None
    refill: Callable[[], FacilityTable] | None

    def materialize(self) -> None:
        refill = self.__dict__.get("refill")
        if refill is None:
            return
        whole = refill()
        self.refill = None
        for name in ("data", "columns", "units", "errors", "cell_units", "types", "coded", "lazy", "bounds",
                     "approximate"):
            object.__setattr__(self, name, getattr(whole, name))     # the fields of a frozen table, once
        self.__dict__.pop("frame", None)

    def _whole(self, column: str) -> None:
        if column not in KEPT:
            self.materialize()

    def column(self, column: str) -> Any:
        self._whole(column)
        return super().column(column)

    def take(self, column: str, idx: Any) -> Any:
        self._whole(column)
        return super().take(column, idx)

    # a column kept as the reader's codes (the 备注 column: its remarks are put beside the verdicts
    # after the rules, cbcheck.facility_remarks) is answered from them
    def factorized(self, column: str) -> tuple[Any, list[Any]]:
        if column not in self.coded:
            self._whole(column)
        return super().factorized(column)

    def blank(self, column: str) -> Any:
        if column not in self.coded:
            self._whole(column)
        return super().blank(column)


def prejudged(table: FacilityTable, what: str, *key: Any) -> tuple[bool, Any]:
    """(True, result) when ``table`` was judged as it streamed for this rule (``what="rule"``,
    key: rule, ctx) or share (``"share"``, key: spec); else (False, None), and a streamed table
    is made whole first, for the caller to judge it as any table."""
    if not isinstance(table, StreamedTable):
        return False, None
    judged = table.__dict__.get("judged")
    if judged is not None:
        hit, got = judged.rule(*key) if what == "rule" else judged.share(*key)
        if hit:
            return True, got
    table.materialize()
    return False, None


class RowNumbers:
    """A streamed table's source row numbers, held as where they jump: consecutive from the first
    body row but for the rows dropped (合计/小计 rows, footers), so a million rows are a few numbers
    (8 MiB as an array). Indexed as the array would be (a position, an array of positions);
    ``np.asarray`` makes the array."""

    def __init__(self, first: int, n: int, at: np.ndarray, extra: np.ndarray) -> None:
        import numpy as np

        self.first, self.n = first, n
        self.at = at                                   # positions from which the rows jump again
        self.extra = np.concatenate([[0], extra]).astype(np.int64)    # rows dropped before each stretch

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, idx: Any) -> Any:
        import numpy as np

        if isinstance(idx, slice):
            idx = np.arange(self.n)[idx]
        pos = np.asarray(idx)
        if pos.dtype == bool:
            pos = np.flatnonzero(pos)
        pos = np.where(pos < 0, pos + self.n, pos).astype(np.int64)
        if ((pos < 0) | (pos >= self.n)).any():
            raise IndexError("row position out of range")
        got = self.first + pos + self.extra[np.searchsorted(self.at, pos, side="right")]
        return int(got) if got.ndim == 0 else got

    def max(self) -> int:
        return int(self[self.n - 1])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        import numpy as np

        whole = self[np.arange(self.n)]
        return whole if dtype is None else whole.astype(dtype)

    def __iter__(self) -> Iterator[int]:
        return iter(self.__array__().tolist())


class SparseNames:
    """The names of the facilities a streamed table's rules list (the listings read no other):
    (positions, names as read), cleaned as :class:`~cbcheck.reader.facility_cells.LazyNames`
    cleans them; a quarter of a million listed of a million is 4 MiB, not 16."""

    def __init__(self, positions: np.ndarray, raw: Any) -> None:
        self.positions, self.raw = positions, raw

    def whole(self) -> Any:
        raise KeyError("_name")           # StreamedTable.column makes the table whole before

    def take(self, idx: np.ndarray) -> Any:
        import numpy as np

        from cbcheck import columnar
        from cbcheck.reader.facility_cells import _arrow_names

        idx = np.asarray(idx, dtype=np.int64)
        k = np.searchsorted(self.positions, idx)
        if len(idx) and ((k >= len(self.positions)).any()
                         or (self.positions[np.minimum(k, len(self.positions) - 1)] != idx).any()):
            raise KeyError("a name the stream did not keep")
        return _arrow_names(columnar.arrow_call("take", self.raw, columnar.arrow_indices(k)))


@dataclass(frozen=True)
class _Asked:
    """What ``cbcheck check`` opened: the policy and the context's parts known before the read."""

    policy: Any
    cat: Any
    year: int | None
    strict_trajectory: bool

    def judging(self, year: int) -> Judging:
        from cbcheck.engine import context

        ctx = context(self.policy, year, self.strict_trajectory)
        rules = tuple(r for r in self.policy.rules if r.scope == "facility" and not r.assigned
                      and KINDS[r.kind].outside_period(r, ctx) is None)
        shares: list[dict[str, Any]] = []
        for r in self.policy.rules:
            spec = (self.cat[r.indicator].derive or {}).get("facility_share") if r.indicator in self.cat else None
            if spec and spec not in shares:
                shares.append(spec)
        return Judging(rules, tuple(shares), ctx)


_active: ContextVar[_Asked | None] = ContextVar("cbcheck_stream_judging", default=None)
_head_year: ContextVar[int | None] = ContextVar("cbcheck_head_year", default=None)


def current() -> Judging | None:
    """What to judge as the file now read streams: None when nothing is asked, or the year is not
    known yet (no ``--year``, no 报告年度 row in the head above the table)."""
    asked = _active.get() if enabled() else None
    if asked is None:
        return None
    year = asked.year if asked.year is not None else _head_year.get()
    return None if year is None else asked.judging(year)


@contextlib.contextmanager
def judging(policy: Any, cat: Any, year: int | None, strict_trajectory: bool = False) -> Iterator[None]:
    """The rules and shares of ``policy`` judged while a file streams in this block, in the year
    ``year`` (``--year``), else the year the file's head states (:func:`head`, as
    ``engine.reporting_year`` takes it for a file of facilities only); nothing with another
    engine than numpy or when passing facilities are listed (``--all-facilities``)."""
    from cbcheck import backends

    if backends.chosen() != "numpy" or backends.keep_passing():
        yield
        return
    token = _active.set(_Asked(policy, cat, year, strict_trajectory))
    try:
        yield
    finally:
        _active.reset(token)


@contextlib.contextmanager
def head(meta: dict[str, str]) -> Iterator[None]:
    """The metadata read above a table (报告年度：2025), while its body is read: the year a file of
    facilities only is judged in without ``--year``. A wrong guess costs time, never a verdict:
    a rule asked in another context reads the table again whole."""
    stated = "".join(ch for ch in meta.get("year", "") if ch.isdigit())[:4]
    token = _head_year.set(int(stated) if len(stated) == 4 else None)
    try:
        yield
    finally:
        _head_year.reset(token)
