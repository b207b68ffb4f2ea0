"""Facility rules as one SQL query per table, backend-neutral (a SQLGlot expression tree that
generates DuckDB or Spark SQL).

The query runs over a *facility relation*: the columns of a facility table that a rule needs,
as read by cbcheck's reader. Numbers are DOUBLE (NULL where blank); text and mixed cells are
dictionary-encoded (an INT code per row, the distinct values kept here), because what a cell
*means* is the reader's business and is decided once per distinct value, in Python, by the
same functions the numpy path uses (``norm_name`` for categories, ``truth`` for yes/no,
``completion_state`` for completion cells, ``blank_by_state`` for 运行状态 words). Everything
per row is SQL: which facilities a rule covers (type, ``where``, ``exempt``), the category
threshold, the unit factor, the comparison with its float slack and tolerance, the deadline,
the verdict, which words say it, and the counts. The words themselves stay in Python
(:class:`Reasons`: the query carries a code per row), as the ``Msg`` the numpy path gives. Each
check kind compiles its own part (:meth:`cbcheck.checks.Kind.facility_sql`).

The arithmetic is written to be the numpy path's, operation for operation (``satisfies``:
``value <= bound + 1e-9 * (1 + |bound|)``), in IEEE doubles on both engines, so verdicts are
identical; the test suite compares every facility case and example across engines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from sqlglot import exp

from cbcheck.checks.base import EPS

# --- expression helpers ---------------------------------------------------------------------------


def num(x: float) -> exp.Expression:
    """A DOUBLE literal (a bare ``300.5`` would be a DECIMAL in both dialects)."""
    return exp.cast(exp.Literal.number(repr(float(x))), "DOUBLE")


def integer(x: int) -> exp.Expression:
    return exp.Literal.number(int(x))


def col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _p(e: Any) -> exp.Expression:
    return exp.paren(e, copy=False)


def add(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return _p(exp.Add(this=a, expression=b))


def sub(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return _p(exp.Sub(this=a, expression=b))


def mul(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return _p(exp.Mul(this=a, expression=b))


def absolute(a: exp.Expression) -> exp.Expression:
    return exp.Abs(this=a)


def cmp(a: exp.Expression, op: str, b: exp.Expression) -> exp.Expression:
    node = {"<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE, "=": exp.EQ}[op]
    return _p(node(this=a, expression=b))


def and_(*parts: exp.Expression) -> exp.Expression:
    parts = tuple(p for p in parts if p is not None)
    if not parts:
        return exp.true()
    return _p(exp.and_(*parts, copy=False))


def or_(*parts: exp.Expression) -> exp.Expression:
    parts = tuple(p for p in parts if p is not None)
    if not parts:
        return exp.false()
    return _p(exp.or_(*parts, copy=False))


def not_(a: exp.Expression) -> exp.Expression:
    return _p(exp.not_(a, copy=False))


def is_null(a: exp.Expression) -> exp.Expression:
    return _p(exp.Is(this=a, expression=exp.null()))


def is_in(a: exp.Expression, values: list[int]) -> exp.Expression:
    if not values:
        return exp.false()
    return _p(exp.In(this=a, expressions=[integer(v) for v in values]))


def case(branches: list[tuple[exp.Expression, exp.Expression]],
         default: exp.Expression | None = None) -> exp.Expression:
    if not branches:
        return default if default is not None else exp.null()
    c = exp.case()
    for when, then in branches:
        c = c.when(when, then, copy=False)
    return c.else_(default if default is not None else exp.null(), copy=False)


def satisfies_sql(value: exp.Expression, bound: exp.Expression, at_least: bool, exclusive: bool) -> exp.Expression:
    """:func:`cbcheck.checks.base.satisfies` as SQL, the same operations in the same order."""
    slack = mul(num(EPS), add(num(1.0), absolute(bound)))
    if at_least:
        return cmp(value, ">", add(bound, slack)) if exclusive else cmp(value, ">=", sub(bound, slack))
    return cmp(value, "<", sub(bound, slack)) if exclusive else cmp(value, "<=", add(bound, slack))


# --- the relation -------------------------------------------------------------------------------------


@dataclass
class Dictionary:
    """A text or mixed column, dictionary-encoded: ``code`` per row (NULL where blank) and the
    distinct values; :meth:`codes_where` gives the codes whose value passes a Python test."""

    name: str
    uniques: list[Any]

    @property
    def code(self) -> exp.Expression:
        return col(self.name)

    def codes_where(self, test: Callable[[Any], bool]) -> list[int]:
        return [i for i, v in enumerate(self.uniques) if test(v)]

    def mapped(self, convert: Callable[[Any], Any], literal: Callable[[Any], exp.Expression],
               default: exp.Expression | None = None) -> exp.Expression:
        """A CASE giving ``literal(convert(value))`` for each distinct value (grouped by result)."""
        groups: dict[Any, list[int]] = {}
        for i, v in enumerate(self.uniques):
            out = convert(v)
            if out is not None:
                groups.setdefault(out, []).append(i)
        return case([(is_in(self.code, codes), literal(out)) for out, codes in groups.items()], default)


@dataclass
class Relation:
    """The columns compiled rules read, as numpy arrays ready for Arrow, built once per table
    and column and shared by the rules. SQL names are plain (``c0``, ``c1``…) whatever the
    column ids and units are; ``_pos`` is the row's position in the table's frame."""

    n: int
    arrays: dict[str, np.ndarray] = field(default_factory=dict)     # SQL name -> values
    dictionaries: dict[str, Dictionary] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)             # what -> SQL name
    arrow: dict[str, Any] = field(default_factory=dict)             # SQL name -> Arrow array (made once)

    def arrow_table(self) -> Any:
        """The relation as an Arrow table, each column converted once (NaN → NULL)."""
        import pyarrow as pa

        for name, values in self.arrays.items():
            if name not in self.arrow:
                self.arrow[name] = pa.array(values, from_pandas=True)
        return pa.table({name: self.arrow[name] for name in self.arrays})

    def _name(self, key: str, build: Callable[[], Any]) -> tuple[str, Any]:
        if key in self.names:
            return self.names[key], None
        name = f"c{len(self.names)}"
        built = build()                  # may raise (a unit pint refuses): then nothing is registered
        self.names[key] = name
        return name, built

    def number(self, key: str, build: Callable[[], np.ndarray]) -> exp.Expression:
        name, values = self._name(key, build)
        if values is not None:
            self.arrays[name] = np.asarray(values, dtype=float)
        return col(name)

    def dictionary(self, key: str, build: Callable[[], tuple[np.ndarray, list[Any]]]) -> Dictionary:
        name, built = self._name(key, build)
        if built is not None:
            codes, uniques = built
            self.arrays[name] = codes
            self.dictionaries[name] = Dictionary(name, uniques)
        return self.dictionaries[name]


# A str or a date equals no value of another type that reads differently (a date is never == a
# str), so a column of only these (a closure-date column: dates and words) needs no per-row type pass.
_EQUAL_ONLY_TO_OWN_TYPE = (str, dt.date)


def encode(values: Any) -> tuple[np.ndarray, list[Any]]:
    """(codes as float with NaN for blanks — NULL in Arrow —, distinct values) of a column.
    Distinct by type as well as value (``1``, ``1.0`` and ``True`` compare equal in Python but
    read differently: ``truth(True)`` is a yes, ``str(1.0)`` is ``"1.0"``)."""
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    codes, uniques = s.factorize(use_na_sentinel=True)
    mixed = s.dtype == object and len(uniques) \
        and pd.api.types.infer_dtype(uniques, skipna=True) not in {"string", "empty"}
    if mixed and not all(type(u) in _EQUAL_ONLY_TO_OWN_TYPE for u in uniques):
        kinds, type_list = pd.Series([type(v) for v in s], dtype=object).factorize()
        if len(type_list) > 1:
            combined = np.where(codes < 0, -1, codes.astype(np.int64) * len(type_list) + kinds)
            keys, first = np.unique(combined, return_index=True)
            keep = keys >= 0
            keys, first = keys[keep], first[keep]
            codes = np.searchsorted(keys, combined)
            codes[combined < 0] = -1
            uniques = s.to_numpy(dtype=object)[first]
    out = codes.astype(float)
    out[codes < 0] = np.nan
    return out, list(uniques)


# --- what a kind compiles against ---------------------------------------------------------------------


@dataclass
class Reasons:
    """The words a query can give as a reason, by code: the SQL carries an INT per row and the
    words themselves (a ``Msg``, which keeps its catalogue key: the report says it in the
    reader's language, as the numpy path's does) stay here, each distinct one once."""

    said: list[Any] = field(default_factory=list)
    codes: dict[tuple[Any, str], int] = field(default_factory=dict)

    def code(self, words: Any) -> exp.Expression:
        """The INT literal standing for ``words`` (NULL for None)."""
        if words is None:
            return exp.null()
        key = (getattr(words, "key", None), words)     # a Msg equals its English: keep keys apart
        if key not in self.codes:
            self.codes[key] = len(self.said)
            self.said.append(words)
        return integer(self.codes[key])

    def of(self, d: Dictionary) -> exp.Expression:
        """The code of each row's own words, for a column of words (a reader's cell errors)."""
        offset = len(self.said)
        self.said.extend(d.uniques)
        return add(d.code, integer(offset))

    def lookup(self, codes: Any) -> np.ndarray:
        """The words of the codes a query returned (None where NULL)."""
        codes = np.asarray(codes, dtype=float)
        said = np.empty(len(self.said) + 1, dtype=object)
        said[:-1] = self.said
        said[-1] = None
        return said[np.where(np.isnan(codes), -1, codes).astype(np.int64)]


@dataclass
class FacilitySql:
    """A kind's input in SQL: the rule's value per facility (``value`` for number kinds,
    ``cells`` for cell kinds), last year's value, the per-facility threshold when the rule sets
    one by category, the facility's 运行状态 where a closure rule reads it (``states``), and
    the reasons registry (:meth:`reason`). The kind returns a :class:`SqlJudgement`."""

    value: exp.Expression | None
    cells: Dictionary | None
    previous: exp.Expression | None
    threshold: exp.Expression | None
    states: Dictionary | None = None
    reasons: Reasons = field(default_factory=Reasons)

    def reason(self, words: Any) -> exp.Expression:
        return self.reasons.code(words)


@dataclass
class SqlJudgement:
    """The kind's verdict (a Verdict code), reason (a :class:`Reasons` code or NULL), and what is
    observed and expected per facility: ``observed`` a DOUBLE expression or a dictionary code
    (``observed_cells``: into ``observed_uniques``, by default the cells' values),
    ``observed_judged`` what is observed instead where the kind judges the row (a blank closure
    date shows the 运行状态 that answered it), ``expected`` a DOUBLE expression or one constant
    for every row."""

    verdict: exp.Expression
    reason: exp.Expression
    observed: exp.Expression | None = None
    observed_cells: bool = False
    expected: exp.Expression | None = None
    expected_constant: Any = None
    observed_judged: exp.Expression | None = None
    observed_uniques: list[Any] | None = None


@dataclass
class Compiled:
    """One rule over one table: the query, the relation it reads, and how to rebuild the result."""

    query: exp.Select
    relation: Relation
    judgement: SqlJudgement
    cells: Dictionary | None
    kind_runs: bool = True           # False: the kind never judges (no value column at all)
    reasons: Reasons = field(default_factory=Reasons)

    def sql(self, dialect: str) -> str:
        return self.query.sql(dialect=dialect)


def date_literal(d: dt.date) -> exp.Expression:
    return exp.cast(exp.Literal.string(d.isoformat()), "DATE")


def tolerance_edge_sql(rule: Any, bound: exp.Expression, at_least: bool) -> exp.Expression:
    """:func:`cbcheck.checks.base.tolerance_edge` as SQL."""
    from cbcheck.checks.base import DEFAULT_APPROX_TOLERANCE_REL

    if rule.tolerance_abs is not None:
        tol = num(rule.tolerance_abs)
    elif rule.tolerance_rel is not None:
        tol = mul(absolute(bound), num(rule.tolerance_rel))
    elif rule.strength == "approximate":
        tol = mul(absolute(bound), num(DEFAULT_APPROX_TOLERANCE_REL))
    else:
        tol = num(0.0)
    return sub(bound, tol) if at_least else add(bound, tol)


def in_codes(code: exp.Expression, codes: list[int]) -> Any:
    """code IN (...), FALSE where the code is NULL (a blank cell)."""
    if not codes:
        return exp.false()
    return exp.func("COALESCE", is_in(code, codes), exp.false())


def true_where(cond: exp.Expression) -> Any:
    """A condition that is FALSE, never NULL, where a compared value is blank."""
    return exp.func("COALESCE", cond, exp.false())
