"""Plain values passed between the layers: policy, submission, findings, report."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cbcheck.i18n.message import Msg


class Status(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    WARN = "WARN"
    MISSING = "MISSING"
    NOT_DUE = "NOT_DUE"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    ERROR = "ERROR"
    WAIVED = "WAIVED"                   # a finding excused by an approved waiver (waivers.yaml)

    def __str__(self) -> str:
        return self.value


# Order for sorting findings "worst first" and for summaries.
STATUS_ORDER = (Status.FAIL, Status.ERROR, Status.MISSING, Status.WARN, Status.PASS,
                Status.NOT_DUE, Status.NOT_APPLICABLE, Status.WAIVED)

COUNTY_SCOPES = frozenset({"region", "county"})
ENTERPRISE_SCOPES = frozenset({"enterprise", "facility"})
# Whose a submission is (Submission.scope; --scope): its rules are COUNTY_SCOPES or ENTERPRISE_SCOPES.
SUBMISSION_SCOPES = ("county", "enterprise")


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str                    # Chinese name as plans write it
    name_en: str
    unit: str                    # default unit
    aliases: tuple[str, ...] = ()
    kind: str = "number"         # number | share | date | boolean
    derive: dict[str, Any] | None = None  # e.g. {"ratio": [numerator, denominator]}
    description: str = ""
    # Spellings that mean a unit for this indicator only: a plan writes 供电煤耗 "300克/千瓦时",
    # meaning 克标准煤/千瓦时 — not a rule for grams in general.
    unit_aliases: tuple[tuple[str, str], ...] = ()
    aggregate: str | None = None         # sum | ratio | none: how county figures add up to a city's

    @property
    def word(self) -> Any:
        """The name as a report says it: ``name`` in Chinese, ``name_en`` in English, as a
        :class:`~cbcheck.i18n.message.Word` (only ever a parameter of a Msg: its plain ``str`` is
        the English, which must not reach a Chinese report through an f-string or a sort key)."""
        from cbcheck.i18n.message import Word

        return Word(zh=self.name, en=self.name_en or self.name)


@dataclass(frozen=True, slots=True)
class Source:
    document: str
    section: str
    quote: str


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    indicator: str
    kind: str
    title: str
    source: Source
    strength: str = "binding"          # binding | aspirational | approximate
    scope: str = "region"
    unit: str | None = None
    target: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive: bool = False             # 超过/突破/低于: the bound itself does not count
    target_year: int | None = None
    base_year: int | None = None
    base_value: float | None = None
    deadline: dt.date | None = None
    mode: str | None = None             # kind-specific: percent|points, yoy|cagr, increase|decrease
    tolerance_abs: float | None = None
    tolerance_rel: float | None = None
    assigned_by: str | None = None      # value comes from the user (省下达目标)
    # None: not said — a binding facility rule then requires its values once due (cbcheck.required)
    required: bool | None = None
    title_en: str = ""
    notes: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    # The plan's earlier targets for the same indicator on the same footing (year, target), e.g.
    # (2025, 13) for a 2030 share of 20 %: the target path runs through them (DOMAIN.md §4).
    waypoints: tuple[tuple[int, float], ...] = ()

    @property
    def binding(self) -> bool:
        return self.strength == "binding"

    @property
    def assigned(self) -> bool:
        return self.assigned_by is not None


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    title: str
    title_en: str
    region: str
    status: str                         # final | draft
    path: str
    sha256: str
    rules: tuple[Rule, ...]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Observation:
    """One submitted value with where it came from."""

    indicator: str
    year: int | None
    value: float | str | dt.date | bool | None   # None: a missing marker
    unit: str | None
    location: str
    raw: str = ""
    approx: bool = False
    error: str | None = None            # set when the cell cannot be read (#DIV/0!, text)
    # What the row says it is measured against (label, unit column, 备注, table notes); None: not stated.
    price_basis: str | None = None      # current (现价/当年价) | comparable (可比价/不变价/按2020年价格)
    rate_basis: str | None = None       # yoy (比上年/同比/上年=100) | cumulative (比2020年/累计/"十四五"以来)
    basis_year: int | None = None       # the year in 按2020年价格 / 比2020年 / 2020年=100
    footnote: str | None = None         # a footnote mark written after the number (172*), ignored


@dataclass(frozen=True, slots=True)
class Unmatched:
    label: str
    location: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class FacilityTable:
    """One table of facilities (one row each), parsed column by column and kept as columns.

    ``data`` maps each column id to its values: ``_row`` (1-based source row, int64),
    ``_name`` (Arrow strings, or an object array of str, None for an unnamed facility), ``_type`` (int32 codes into
    ``types``, -1 for none), and the attribute ids (capacity, feedstock...) and indicator ids
    (coal_power_supply_coal_consumption...): float64 for numbers, object arrays for text, dates
    and yes/no. The rules read these arrays (numpy and Arrow only: a facility check does not
    import pandas, ~0.25 s); :attr:`frame` builds the pandas DataFrame of the same columns for
    the SQL backends. ``columns`` maps each id to its source column label (``D`` for a sheet,
    ``4`` for a CSV) for locations.
    """

    source: str                       # sheet name, or file name for CSV
    data: dict[str, Any]
    columns: dict[str, str]
    units: dict[str, str | None]
    errors: dict[tuple[str, int], str]   # (column id, row) -> why the cell could not be read
    csv: bool = False
    header_row: int = 1
    cell_units: dict[str, Any] = field(default_factory=dict)  # column id -> object array of per-cell units
    types: tuple[str, ...] = ()       # the facility types the ``_type`` codes stand for (sorted)
    # column id -> (codes, distinct values) of a text column, as the reader encoded it (-1: blank):
    # conditions read a million cells as a few distinct words
    coded: dict[str, tuple[Any, list[Any]]] = field(default_factory=dict)
    # column id -> a column whose ``data`` entry is None until :meth:`column` asks for it, made by
    # its ``whole()``, or for some rows by its ``take(idx)`` (reader/facility_cells.py): a text
    # column from the reader's codes (the rules read codes and the cells of the rows they cover,
    # so the object array of every row, 8 bytes a row, is made only for the SQL engines' frame
    # and the tests), the names cleaned only for the facilities a report lists
    lazy: dict[str, Any] = field(default_factory=dict)
    # (column id, row) -> the interval a cell unreadable as a number states (4.3米以下, 4.3/5.5):
    # an applies_to condition may be decided by it (cbcheck.bounds); it is never a value
    bounds: dict[tuple[str, int], Any] = field(default_factory=dict)
    # (column id, row) -> a number written as approximate (约4.3), read as the number, as written
    approximate: dict[tuple[str, int], str] = field(default_factory=dict)

    def location(self, column: str, row: int) -> str:
        before, after = self.location_parts(column)
        return f"{before}{row}{after}"

    def location_parts(self, column: str) -> tuple[str, str]:
        """A cell's location around its row number: a listing of many rows of one column words
        the two parts once."""
        col = self.columns.get(column, "?")
        return (f"{self.source}:", f":{col}") if self.csv else (f"{self.source}!{col}", "")

    def header_location(self, column: str) -> str:
        return self.location(column, self.header_row)

    def __len__(self) -> int:
        return len(self.data["_row"])

    def __contains__(self, column: object) -> bool:
        return column in self.data

    def has(self, column: str) -> bool:
        return column in self.data

    def column(self, column: str) -> Any:
        got = self.data[column]
        if got is None and column in self.lazy:
            got = self.data[column] = self.lazy.pop(column).whole()
        return got

    def take(self, column: str, idx: Any) -> Any:
        """``column(column)[idx]`` (numpy positions), without making the whole column of a lazy one."""
        lazy = self.lazy.get(column)
        if lazy is not None:
            return lazy.take(idx)
        return self.data[column][idx]

    @property
    def rows(self) -> Any:
        """Source row numbers (int64), one per facility."""
        return self.data["_row"]

    @property
    def names(self) -> Any:
        """The facilities' names as read (Arrow strings or an object array; null/None: blank or missing)."""
        return self.column("_name")

    def of_type(self, ftype: str) -> Any:
        """A boolean mask of the facilities of type ``ftype``."""
        import numpy as np

        codes = self.data["_type"]
        if ftype not in self.types:
            return np.zeros(len(codes), dtype=bool)
        return codes == self.types.index(ftype)

    def factorized(self, column: str) -> tuple[Any, list[Any]]:
        """(codes, distinct values) of a column, -1 for a blank (:func:`cbcheck.columnar.factorize`)."""
        got = self.coded.get(column)
        if got is None:
            from cbcheck.columnar import factorize

            got = factorize(self.column(column))
        return got

    def blank(self, column: str) -> Any:
        """Which cells of a column are blank (None or NaN)."""
        got = self.coded.get(column)
        if got is not None:
            return got[0] < 0
        from cbcheck.columnar import blank

        return blank(self.column(column))

    def set_column(self, column: str, values: Any) -> None:
        """Replace one column's values (the reader's second look: percent-formatted cells)."""
        self.data[column] = values
        self.coded.pop(column, None)
        self.lazy.pop(column, None)
        self.__dict__.pop("frame", None)

    @functools.cached_property
    def frame(self) -> Any:
        """The columns as a pandas DataFrame (built on first use: the SQL backends, tests)."""
        import pandas as pd

        out: dict[str, Any] = {}
        for cid in self.data:
            values = self.column(cid)
            if cid == "_type":
                out[cid] = pd.Categorical.from_codes(values, categories=list(self.types))
            elif cid == "_name":
                out[cid] = _name_series(values)
            else:       # objects stay objects (pandas would infer strings for a text column)
                out[cid] = pd.Series(values, dtype=values.dtype, copy=False)
        return pd.DataFrame(out, copy=False)


def _name_series(names: Any) -> Any:
    """Names as the reader kept them before the column store: pandas strings (Arrow-backed)."""
    import pandas as pd

    if type(names).__module__.startswith("pyarrow"):
        import pyarrow as pa

        chunked = names if isinstance(names, pa.ChunkedArray) else pa.chunked_array([names], pa.string())
        return pd.Series(pd.arrays.ArrowStringArray(chunked.cast(pa.string())), copy=False)
    return pd.Series(names, dtype="string")


@dataclass(frozen=True, slots=True)
class Submission:
    path: str
    sha256: str
    entity: str | None
    scope: str                          # county | enterprise
    observations: tuple[Observation, ...]
    meta: dict[str, str] = field(default_factory=dict)
    unmatched: tuple[Unmatched, ...] = ()
    notes: tuple[str, ...] = ()         # how it was read (sheet, layout)
    facilities: tuple[FacilityTable, ...] = ()
    # (2025, the title) where the titles name one year: what the file says it reports (an indicator
    # table's columns may not have it); a facility-only file is judged in it too (meta["year_from_title"])
    title_year: tuple[int, str] | None = None

    @property
    def years(self) -> list[int]:
        return sorted({o.year for o in self.observations if o.year is not None})

    def years_with_values(self) -> set[int]:
        """The years a value or a cell that cannot be read was filled in for."""
        return {o.year for o in self.observations
                if o.year is not None and (o.value is not None or o.error is not None)}

    def said_year(self) -> tuple[int, str] | None:
        """The year the file says it reports, and where: ``row`` (a 报告年度/年度 row) or ``title``. Not
        always a year with values: a 2025 title over 2020年 | 2024年 | 2025年目标 (cbcheck.engine says so)."""
        stated = "".join(ch for ch in self.meta.get("year", "") if ch.isdigit())[:4]
        if len(stated) == 4:
            return int(stated), "row"
        return (self.title_year[0], "title") if self.title_year is not None else None

    @property
    def shown_path(self) -> str:
        """The file as a report names it: ``全市.xlsx［任城区］`` for one county's sheet of a city workbook, which
        ``check`` judges as a submission of its own (``meta["sheet"]``, set by cbcheck.citybook)."""
        return sheet_label(self.path, self.meta.get("sheet"))


def sheet_label(path: object, sheet: str | None) -> str:
    """``全市.xlsx［任城区］``: a file, and the sheet judged as its own submission when there is one."""
    return f"{path}［{sheet}］" if sheet else str(path)


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    indicator: str
    indicator_name: str
    title: str
    status: Status
    strength: str
    year: int
    target_year: int | None
    observed: float | str | None
    expected: float | str | None
    comparator: str
    unit: str | None
    arithmetic: str
    location: str | None
    message: str
    source: Source
    section_order: int = 0
    assigned_by: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def binding(self) -> bool:
        return self.strength == "binding"

    @property
    def missing_required(self) -> bool:
        """Whether a value left blank here makes the file non-compliant (cbcheck.required): a required
        rule's MISSING, or a covered facility's blank beside another's unreadable cell (ERROR). Not a
        required rule that PASSed: its details say ``required`` too."""
        return bool(self.details.get("required")) and (self.status is Status.MISSING
                                                       or bool(self.details.get("required_missing")))

    @property
    def coverage_unknown(self) -> int:
        """How many facilities nobody can tell the rule covers (their 炭化室高度 blank): cbcheck.required."""
        return int(self.details.get("coverage_unknown", 0))


@dataclass(frozen=True, slots=True)
class QualityIssue:
    """Something a statistician would query in the data, independent of any target."""

    check: str            # share_range | share_fraction | negative | disagreement | rate_disagreement
    indicator: str
    year: int | None
    location: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    policy: Policy
    submission: Submission
    year: int
    findings: tuple[Finding, ...]
    strict: bool = False
    quality: tuple[QualityIssue, ...] = ()
    # a city roll-up's roster counties that have not submitted (缺报单位): the city is then never compliant
    roster_missing: tuple[str, ...] = ()
    # a city roll-up's allocations (分解下达) that miss the city target: failures outside the findings
    failed_allocations: tuple[str, ...] = ()
    # the year judged is not the one the file says (engine._year_said): the verdict's reason says so first
    year_reason: Msg | None = None

    def counts(self) -> dict[str, int]:
        # WAIVED is counted only when a waiver applied, so reports without waivers keep their shape.
        waived = any(f.status is Status.WAIVED for f in self.findings)
        counts = {s.value: 0 for s in STATUS_ORDER if s is not Status.WAIVED or waived}
        for f in self.findings:
            counts[f.status.value] += 1
        return counts

    def nothing_judged(self) -> bool:
        """An enterprise's file with no facility table on which no rule could be judged (each finding
        MISSING or NOT_APPLICABLE; an indicator table 指标 | 单位 | 2025年): never 合规, the facility rules
        "do not apply" for want of facilities. A county's MISSING stays as README says (compliant unless
        required); a facility table no rule covers was judged: nothing applies to it."""
        s = self.submission
        if s.scope != "enterprise" or s.facilities or not self.findings:
            return False
        return all(f.status in (Status.MISSING, Status.NOT_APPLICABLE) for f in self.findings)

    def verdict(self) -> str:
        """compliant | non-compliant | incomplete (see exit codes in README)."""
        statuses = {f.status for f in self.findings}
        # a required value missing; for a facility rule, a covered facility's (cbcheck.required), even
        # where another facility's cell cannot be read (the finding is then ERROR)
        required_missing = any(f.missing_required for f in self.findings)
        if Status.FAIL in statuses or required_missing or self.failed_allocations:
            return "non-compliant"
        # a binding facility rule nobody can tell covers a facility (its 炭化室高度 blank): cbcheck.required
        undecided = any(f.status is Status.MISSING and f.coverage_unknown for f in self.findings)
        if Status.ERROR in statuses or self.roster_missing or undecided or self.nothing_judged():
            return "incomplete"
        if self.strict and (Status.WARN in statuses or self.quality):
            return "non-compliant"
        return "compliant"
