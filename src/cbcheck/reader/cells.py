"""One cell to an :class:`~cbcheck.model.Observation`.

A cell that cannot be read becomes an observation with ``error`` set at that cell (the
engine reports it as an ERROR finding); it never raises and it is never dropped.

- numbers: as stored; a percent-formatted cell (``0.132`` shown as ``13.2%``) reads as
  13.2 %. A ``%`` inside quotes or escaped in the format is literal text, not a percent
  format, so ``0.0"%"`` shows (and reads) the number as stored;
- text: through :func:`cbcheck.numbers.parse_number`. ``13.2%`` must sit in a ``%`` row;
  ``3.2亿`` in a 亿元 row is 3.2 亿元 and in a 万元 row 32000 万元 (the multiplier is
  applied to the row's unit, never twice); a unit written in the cell (``500MW``) is
  used when it is a unit of the indicator's dimension;
- missing markers and blanks: a missing value (never zero); ``#DIV/0!`` and friends: an
  error; a formula without a saved result: an error;
- dates, times and TRUE/FALSE: values for date/boolean indicators, errors elsewhere
  (Excel turns ``1-3`` or ``2024.10`` typed into a cell into a date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from decimal import Decimal
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.model import Observation
from cbcheck.numbers import (CROSS_MARKS, PLAIN_NUMBER, NotANumber, is_excel_error, parse_number, split_footnote,
                             unit_scale)
from cbcheck.reader.grid import NO_CACHED_VALUE, Cell
from cbcheck.textnorm import clean_cell_text, nfkc

NON_NUMERIC_KINDS = frozenset({"date", "boolean"})
def date_from_text(text: str) -> dt.date | None:
    """``2023-10-31``, ``2023/10/31``, ``2023年10月31日`` as a date; None when the text is not
    written as a date; ValueError when it is but names no real day (2023-02-30)."""
    m = _DATE_TEXT.match(text)
    return dt.date(*map(int, m.groups())) if m else None


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@functools.lru_cache(maxsize=512)
def is_percent_format(number_format: str) -> bool:
    """Whether Excel shows a number ×100 with ``%``: ``0.0%`` yes, ``0.0"%"`` and ``0.0\\%`` no."""
    if "%" not in number_format:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


@functools.lru_cache(maxsize=512)
def is_year_format(number_format: str) -> bool:
    """Whether Excel shows a date as its year alone: ``yyyy"年"``, ``yyyy``, ``e"年"`` (WPS writes a year
    header typed as a date this way, and the clerk sees 2024年, not 2024-01-01)."""
    codes = re.sub(r'"[^"]*"|\\.|\[[^]]*\]', "", number_format).lower()
    return re.fullmatch(r"[^a-z]*(y{2,4}|e{1,2})[^a-z]*", codes) is not None


def is_percent_unit(unit: str | None) -> bool:
    return unit is not None and nfkc(unit).strip() == "%"


def plain_number(v: int | float) -> str:
    """A number as a person writes it: 45 rather than 45.0."""
    v = v.item() if hasattr(v, "item") else v        # a numpy scalar from a facility column
    return str(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else str(v)


def percent_shown(v: int | float) -> float:
    """What a percent format shows of ``v``, in %: 0.07 is 7 (not 7.000000000000001)."""
    return float(Decimal(repr(float(v))) * 100)


def cell_observation(cell: Cell, ind: str, year: int | None, unit: str | None, cat: Catalogue) -> Observation:
    """The observation a cell holds for ``ind`` in ``year``, given the row's ``unit``."""
    v: Any = cell.value
    unit = cat.unit_for(ind, unit)
    if type(v) is str and PLAIN_NUMBER.match(v):        # the common case, kept cheap
        return Observation(indicator=ind, year=year, value=float(v), unit=unit, location=cell.location, raw=v)
    kind = cat[ind].kind
    base: dict[str, Any] = dict(indicator=ind, year=year, unit=unit, location=cell.location)

    def error(raw: str, message: str) -> Observation:
        return Observation(value=None, raw=raw, error=message, **base)

    if v is None:
        return Observation(value=None, raw="", **base)
    if v is NO_CACHED_VALUE:
        return error("(formula)", Msg("rest.cell_no_cached"))
    if isinstance(v, bool):
        if kind in NON_NUMERIC_KINDS:
            return Observation(value=v, raw=str(v).upper(), **base)
        return error(str(v).upper(), Msg("rest.cell_bool", value=str(v).upper()))
    if isinstance(v, dt.datetime | dt.date):
        day = v.date() if isinstance(v, dt.datetime) else v
        if kind in NON_NUMERIC_KINDS:
            return Observation(value=day, raw=day.isoformat(), **base)
        return error(day.isoformat(), Msg("rest.cell_date", day=day.isoformat()))
    if isinstance(v, dt.time | dt.timedelta):
        return error(str(v), Msg("rest.cell_time", value=str(v)))
    if isinstance(v, int | float):
        return _numeric(cell, v, unit, base, error)
    if isinstance(v, str):
        bare, mark = split_footnote(v)
        if mark:       # 172*: the figure read, the mark named in a note (reader/table.py)
            obs = cell_observation(dataclasses.replace(cell, value=bare), ind, year, unit, cat)
            if obs.error is None and obs.value is not None:
                return dataclasses.replace(obs, raw=f"{obs.raw}{mark}", footnote=mark)
    text = clean_cell_text(str(v))
    if not text:
        return Observation(value=None, raw="", **base)
    if is_excel_error(text):
        return error(text, Msg("msg.cell_error_bare", error=text.upper()))
    if kind in NON_NUMERIC_KINDS:
        if text.lower() in CROSS_MARKS:        # an answer (× is 否), not a blank: judged as written
            return Observation(value=text, raw=text, **base)
        try:
            found = date_from_text(text)
        except ValueError:
            return error(text, Msg("rest.cell_not_date", raw=repr(text)))
        if found is not None:
            return Observation(value=found, raw=text, **base)
    try:
        parsed = parse_number(text, allow_unit=True)
    except NotANumber as exc:
        if kind in NON_NUMERIC_KINDS:
            return Observation(value=text, raw=text, **base)
        return error(text, Msg("rest.cell_reason", raw=repr(text), reason=exc.reason))
    if parsed is None:
        return Observation(value=None, raw=text, **base)
    if parsed.unit_text:
        unit_text = cat.unit_for(ind, parsed.unit_text) or parsed.unit_text
        parsed = dataclasses.replace(parsed, unit_text=unit_text)
        if not _unit_fits(unit_text, ind, cat):
            return error(text, Msg("rest.cell_unit_not_of", raw=repr(text), unit=repr(parsed.unit_text),
                                   name=cat[ind].word))
        return Observation(value=parsed.value, raw=text, approx=parsed.approx,
                           **{**base, "unit": parsed.unit_text})
    if parsed.percent:
        if unit is not None and not is_percent_unit(unit):
            return error(text, Msg("rest.cell_percent_unit", raw=repr(text), unit=unit))
        return Observation(value=parsed.value, raw=text, approx=parsed.approx, **{**base, "unit": "%"})
    if parsed.scale_word:
        effective = unit or cat[ind].unit
        if is_percent_unit(effective):
            return error(text, Msg("rest.cell_multiplier_percent", raw=repr(text), word=parsed.scale_word))
        return Observation(value=parsed.in_scale(unit_scale(effective)), raw=text, approx=parsed.approx,
                           **{**base, "unit": effective})
    return Observation(value=parsed.value, raw=text, approx=parsed.approx, **base)


def _numeric(cell: Cell, v: int | float, unit: str | None, base: dict[str, Any], error: Any) -> Observation:
    if isinstance(v, float) and not math.isfinite(v):
        return error(str(v), Msg("rest.cell_not_finite"))
    if is_percent_format(cell.number_format):
        shown = percent_shown(v)
        raw = f"{plain_number(v)} (shown as {plain_number(shown)}%)"
        if unit is not None and not is_percent_unit(unit):
            return error(raw, Msg("rest.cell_percent_format", shown=plain_number(shown), unit=unit))
        return Observation(value=shown, raw=raw, **{**base, "unit": "%"})
    return Observation(value=float(v), raw=plain_number(v), **base)


def _unit_fits(unit: str, ind: str, cat: Catalogue) -> bool:
    """A unit written inside a value cell is accepted only if it is a unit of the indicator's kind."""
    from cbcheck import units
    from cbcheck.errors import UnitError

    dimension = cat.dimensions.get(ind)
    try:
        if dimension in units.DIMENSIONS:
            return units.unit_has_dimension(unit, dimension)
        return units.is_known(unit)
    except UnitError:
        return False


def ambiguous_fraction(cell: Cell, obs: Observation, cat: Catalogue) -> bool:
    """A share written as a fraction (0.132) without a percent format: read as 0.132 %, but say so."""
    return (cat[obs.indicator].kind == "share" and isinstance(obs.value, float) and obs.error is None
            and 0 < abs(obs.value) < 1 and (obs.unit is None or is_percent_unit(obs.unit))
            and not (isinstance(cell.value, int | float) and is_percent_format(cell.number_format))
            and "%" not in obs.raw)
