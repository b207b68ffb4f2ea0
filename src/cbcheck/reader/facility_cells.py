"""A facility table's cells parsed column by column into the table's column store.

The raw columns come from the body readers (reader/facility_body.py) as Arrow columns (a CSV
read by pyarrow, Parquet) or numpy object arrays (an xlsx, a CSV read by pandas, the cell-by-cell
path); :func:`build_table` turns them into numpy arrays (numbers float64, text, dates and yes/no
as objects, converted once per distinct value), the facility type as codes and the names as
Arrow strings. Only values that do not convert directly go through the full number parser.
pandas is not imported here but for a column only it can read with certainty (see
:mod:`cbcheck.columnar`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from cbcheck import columnar, units
from cbcheck.bounds import Bounds, parse_bounds
from cbcheck.errors import SubmissionError
from cbcheck.facilities import FacilityCatalogue
from cbcheck.i18n.message import Msg
from cbcheck.model import FacilityTable, Unmatched
from cbcheck.numbers import (MISSING_MARKERS, NotANumber, is_blank_answer, is_excel_error, is_missing_marker,
                             parse_number)
from cbcheck.reader import fastcsv
from cbcheck.reader.cells import date_from_text, is_percent_unit
from cbcheck.textnorm import clean_cell_text
from cbcheck.vocab import NO_WORDS as BOOL_FALSE, YES_WORDS as BOOL_TRUE

if TYPE_CHECKING:
    from cbcheck.reader.facility import ColumnPlan


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_cell_text(str(v))


def objects(values: list[Any]) -> np.ndarray:
    """A list of cell values as a one-dimensional object array (never split into a 2-D one)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def parse_number_column(raw: Any, errors: dict[int, str], rows: np.ndarray, cell_units: dict[int, str] | None = None,
                        unit: str | None = None, bounds: dict[int, Bounds] | None = None,
                        approximate: dict[int, str] | None = None) -> np.ndarray:
    """A raw column -> float64 (NaN = missing); unreadable cells recorded in ``errors``,
    units written inside cells (``200MW``) in ``cell_units`` by position. ``45%`` reads 45 in a
    column in % or, with the cell unit % (``cell_units``), without a unit, and is an error in a
    column of another ``unit`` (30% under 供电煤耗(克标准煤/千瓦时) is neither 30 gce/kWh nor
    anything else), as on an indicator sheet. A cell written as a bound or a range (``4.3米以下``,
    ``4.3/5.5``) stays unreadable as a value, its interval kept in ``bounds`` by row
    (:mod:`cbcheck.bounds`: an applies_to condition may still be decided by it). ``约4.3`` reads
    4.3, as on an indicator sheet, its text kept in ``approximate`` by row for a note."""
    values: np.ndarray | None = None
    if columnar.is_arrow(raw):           # Arrow (reader/fastcsv.py, Parquet): numbers stay numbers
        numbers = fastcsv.numeric(raw)
        if numbers is not None:
            return _unsigned_zero(numbers)
        raw, values = _arrow_cells(raw)
    if raw.dtype.kind in "fiu":          # parsed as numbers already (the pandas CSV path)
        return _unsigned_zero(raw.astype("float64"))
    if values is None:
        values = columnar.to_numbers(raw)
    if values is None:                   # a column only pandas reads with certainty (inf, yes/no…)
        import pandas as pd

        values = pd.to_numeric(pd.Series(raw, copy=False), errors="coerce").to_numpy(dtype="float64", copy=True)
    for i in np.flatnonzero(np.isnan(values) & ~columnar.blank(raw)).tolist():
        text = _text(raw[i])
        if not text or is_missing_marker(text):
            continue
        if is_excel_error(text):
            errors[int(rows[i])] = Msg("msg.f_cell_error", error=text)
            continue
        try:
            parsed = parse_number(text, allow_unit=cell_units is not None)
        except NotANumber as exc:
            parsed = None
            errors[int(rows[i])] = Msg("msg.f_not_a_number_why", raw=repr(text), why=exc.reason)
            _keep_bounds(text, int(rows[i]), bounds)
        if parsed is None:
            continue
        if parsed.percent and unit is not None and not is_percent_unit(unit):
            errors[int(rows[i])] = Msg("rest.cell_percent_unit", raw=repr(text), unit=unit)
            continue
        if parsed.percent and unit is None and cell_units is not None:
            # 55% typed in a bare column is in %, as a percent-formatted cell there is: a rule in %
            # reads 55, a rule in 米 names this cell (not 55 米, read in silence)
            cell_units[i] = "%"
        if parsed.unit_text is not None:
            if not units.is_known(parsed.unit_text):
                errors[int(rows[i])] = Msg("msg.f_not_a_number", raw=repr(text))
                _keep_bounds(text, int(rows[i]), bounds)
                continue
            assert cell_units is not None    # parse_number gives a unit only with allow_unit
            cell_units[i] = parsed.unit_text
        if parsed.approx and approximate is not None:
            approximate[int(rows[i])] = text
        values[i] = parsed.value
    return _unsigned_zero(values)


def _unsigned_zero(values: np.ndarray) -> np.ndarray:
    """-0.0 as 0.0: a zero is a zero, whichever reader saw the cell (openpyxl reads <v>-0</v> as the int
    0, calamine as -0.0; a report said "-0" for one and "0" for the other)."""
    zero = values == 0
    if zero.any() and np.signbit(values[zero]).any():
        values = values if values.flags.writeable else values.copy()
        values[zero] = 0.0
    return values


def _keep_bounds(text: str, row: int, bounds: dict[int, Bounds] | None) -> None:
    got = parse_bounds(text) if bounds is not None else None
    if got is not None and (got.unit is None or units.is_known(got.unit)):
        assert bounds is not None
        bounds[row] = got


def _arrow_cells(raw: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """An Arrow number column holding text, as Python values: a text column as its strings; any
    other type (dates, yes/no in a Parquet file) as pandas gave it, with pandas' numbers."""
    import pyarrow as pa

    if pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type) or pa.types.is_null(raw.type):
        return objects(raw.to_pylist()), None
    import pandas as pd

    series = raw.to_pandas()
    return series.to_numpy(dtype=object), pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", copy=True)


class LazyCells:
    """A text column as codes and the cell of each code (the last: code -1, a blank)."""

    def __init__(self, codes: np.ndarray, cells: np.ndarray) -> None:
        self.codes, self.cells = codes, cells

    def whole(self) -> np.ndarray:
        return self.cells[self.codes]

    def take(self, idx: np.ndarray) -> np.ndarray:
        return self.cells[self.codes[idx]]


class LazyNames:
    """Arrow names as read, cleaned (:func:`_arrow_names`) for the rows asked: every step of the
    cleaning is element by element, so some rows cleaned are those rows of the column cleaned."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def whole(self) -> Any:
        return _arrow_names(self.raw)

    def take(self, idx: np.ndarray) -> Any:
        return _arrow_names(columnar.arrow_call("take", self.raw, columnar.arrow_indices(idx)))


def _arrow_name_strings(raw: Any) -> Any:
    """An Arrow name column as Arrow strings, None where :func:`_name_column` reads it otherwise."""
    if not columnar.is_arrow(raw):
        return None
    import pyarrow as pa

    t = raw.type.value_type if pa.types.is_dictionary(raw.type) else raw.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)):
        return None
    text = columnar.arrow_cast(raw, pa.string())
    # joined now, as the cleaning joined them: the parser's chunks, kept, would pin the pages
    # around them in Arrow's pool (+30-50 MiB at 1M rows), and Arrow's take on a chunked column
    # joins the chunks on every call
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks else pa.nulls(0, pa.string())
    return text


def _name_column(raw: Any) -> Any:
    """Facility names, trimmed and with missing markers blanked (not NFKC-folded: a name is shown
    back as it was written), as pandas' Arrow-backed strings cleaned them before: Arrow strings
    from Arrow (its kernels), an object array from objects (``str.strip`` trims what Arrow's
    ``utf8_trim_whitespace`` trims, every code point checked), so an xlsx needs no pyarrow."""
    if columnar.is_arrow(raw):
        import pyarrow as pa

        t = raw.type.value_type if pa.types.is_dictionary(raw.type) else raw.type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t):
            return _arrow_names(columnar.arrow_cast(raw, pa.string()))
    elif raw.dtype == object:
        items = raw.tolist()
        present = [v for v in items if not (v is None or (isinstance(v, float) and v != v))]
        if all(isinstance(v, str) for v in present):
            return _trimmed([v if isinstance(v, str) else None for v in items])
        if not all(isinstance(v, str) for v in present[:1000]):
            return fastcsv.by_unique(raw, _category)              # numbers or dates in the name column (xlsx)
    # another type (integers in a Parquet file, a number after the first thousand names): as pandas wrote it
    import pandas as pd

    series = raw.to_pandas() if columnar.is_arrow(raw) else pd.Series(raw, dtype=object)
    return _trimmed(series.astype("string").to_numpy(dtype=object, na_value=None).tolist())


def _trimmed(names: list[str | None]) -> np.ndarray:
    stripped = [None if v is None else v.strip() for v in names]
    return objects([v if v and v not in MISSING_MARKERS else None for v in stripped])


def _arrow_names(text: Any) -> Any:
    import pyarrow as pa
    import pyarrow._compute as pac

    call = columnar.arrow_call
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks else pa.nulls(0, pa.string())
    text = call("utf8_trim_whitespace", text)
    markers = pac.SetLookupOptions(columnar.arrow_strings(sorted(MISSING_MARKERS)))
    unnamed = columnar.arrow_bools(call("is_in", text, options=markers))
    unnamed |= columnar.arrow_floats(call("utf8_length", text)) == 0
    return call("if_else", columnar.arrow_mask(unnamed), pa.nulls(len(text), pa.string()), text) if unnamed.any() \
        else text


def _category(v: Any) -> Any:
    text = _text(v)
    return None if not text or is_missing_marker(text) else text


def _boolean(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    text = _text(v).lower()
    if not text or is_blank_answer(text):
        return None
    if text in BOOL_TRUE:
        return True
    if text in BOOL_FALSE:
        return False
    return text      # kept as text; a condition on it will say it cannot be read


def _completion(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, (dt.date, bool)):
        return v
    text = _text(v)
    if not text or is_blank_answer(text):
        return None
    try:
        day = date_from_text(text)
    except ValueError:
        return text                       # not a real day: judged as an unreadable completion state
    return day if day is not None else text


def _categorical(mapped: Any, codes: Any) -> tuple[np.ndarray, tuple[str, ...]]:
    """(codes, categories) of ``mapped[codes]`` as ``astype("category")`` of the values makes them
    (sorted categories of the values that occur, blanks -1), without hashing a million objects."""
    used = np.bincount(np.asarray(codes, dtype=np.intp) + 1, minlength=len(mapped)) > 0   # slot 0: code -1
    present = [mapped[-1]] * bool(used[0]) + [v for v, u in zip(mapped[:-1], used[1:], strict=False) if u]
    categories = sorted({v for v in present if v is not None})       # only the values that occur
    position = {v: i for i, v in enumerate(categories)}
    lut = np.array([position.get(v, -1) if v is not None else -1 for v in mapped], dtype=np.int32)
    return lut[np.asarray(codes, dtype=np.intp)], tuple(categories)


def _split_by_type(by_type: dict[str, tuple[str, str | None]], cid: str, data: dict[str, Any],
                   types: tuple[str, ...], columns: dict[str, str], units_of: dict[str, str | None],
                   cell_units: dict[str, Any], per_cell: tuple[dict[tuple[str, int], Any], ...], label: str) -> None:
    """One column read as each row's type's indicator (合成氨 rows' 单位产品综合能耗 is ammonia energy,
    甲醇 rows' methanol energy); a row of another type, or of none, as what the header says by itself
    (``by_type[""]``), if anything."""
    values, codes = data.pop(cid), data["_type"]
    units = cell_units.pop(cid, None)
    other = by_type.get("", (None,))[0]
    row_ind = np.array([by_type.get(t, (other,))[0] for t in types] + [other], dtype=object)[codes]
    for ind, unit in by_type.values():
        mine = row_ind == ind
        data[ind] = np.where(mine, values, np.nan)
        columns[ind], units_of[ind] = label, unit
        if units is not None:
            cell_units[ind] = np.where(mine, units, None)
    rows = data["_row"]
    for found in per_cell:
        for key in [k for k in found if k[0] == cid]:
            held = found.pop(key)
            ind = row_ind[int(np.searchsorted(rows, key[1]))]
            if ind is not None:
                found[(ind, key[1])] = held


def build_table(source: str, raw_columns: dict[str, Any], rows: Any, plan: ColumnPlan, fc: FacilityCatalogue,
                *, csv: bool, header_row: int, column_label: Any,
                consume: bool = False) -> tuple[FacilityTable, list[Unmatched]]:
    """Parse raw columns (numpy arrays or Arrow columns keyed by source column index as str) into a FacilityTable.
    ``consume``: each raw column the plan reads is set to None once converted, so that its Arrow
    chunks go back to Arrow's pool before the next column is made there (the caller's dict)."""

    def used(c: int) -> None:
        if consume:
            arrow = columnar.is_arrow(raw_columns[str(c)])
            raw_columns[str(c)] = None
            if arrow:       # its pages back to the system: Arrow's pool would not make the next column of them
                fastcsv.release_unused()
    rows = np.asarray(rows, dtype=np.int64)
    data: dict[str, Any] = {"_row": rows}
    columns: dict[str, str] = {}
    units_of: dict[str, str | None] = {}
    errors: dict[tuple[str, int], str] = {}
    cell_units: dict[str, Any] = {}
    bounds: dict[tuple[str, int], Bounds] = {}
    approximate: dict[tuple[str, int], str] = {}
    coded: dict[str, tuple[np.ndarray, list[Any]]] = {}
    lazy: dict[str, Any] = {}      # columns made on request (FacilityTable.lazy)
    if plan.name_col is None:          # no name column: each facility is named by its row
        data["_name"] = objects([f"第{r}行" for r in rows.tolist()])
        columns["_name"] = "?"
    else:
        names = _arrow_name_strings(raw_columns[str(plan.name_col)])
        if names is not None:           # cleaned when a report lists some (a check lists few of a million)
            data["_name"], lazy["_name"] = None, LazyNames(names)
        else:
            data["_name"] = _name_column(raw_columns[str(plan.name_col)])
        columns["_name"] = column_label(plan.name_col)
        used(plan.name_col)
    if plan.type_col is not None:
        codes, uniques = fastcsv.factorized(raw_columns[str(plan.type_col)])   # code -1: blank
        texts = [_text(v) for v in uniques]
        mapped = np.array([*(fc.match_type(t) if t else plan.implied_type for t in texts), plan.implied_type],
                          dtype=object)
        unknown = np.array([bool(t) and m is None for t, m in zip(texts, mapped[:-1], strict=True)] + [False],
                           dtype=bool)
        for i in np.flatnonzero(unknown[codes]):
            errors[("_type", int(rows[i]))] = Msg("rest.read_unknown_facility_type", text=texts[codes[i]])
        data["_type"], types = _categorical(mapped, codes)
        columns["_type"] = column_label(plan.type_col)
        used(plan.type_col)
    else:
        if plan.implied_type is None:
            implied = fc.match_type(source)
            if implied is None:
                raise SubmissionError(
                    Msg("rest.read_facility_type_unknown", source=source), where=source,
                    hint=Msg("rest.read_facility_type_unknown_hint"))
            plan.implied_type = implied
        data["_type"], types = np.zeros(len(rows), dtype=np.int32), (plan.implied_type,) if len(rows) else ()
    for c, (cid, kind, unit) in plan.columns.items():
        raw = raw_columns[str(c)]
        columns[cid] = column_label(c)
        units_of[cid] = unit
        if kind == "number":
            col_errors: dict[int, str] = {}
            found_units: dict[int, str] = {}
            found_bounds: dict[int, Bounds] = {}
            found_approx: dict[int, str] = {}
            data[cid] = parse_number_column(raw, col_errors, rows, found_units, unit, found_bounds, found_approx)
            errors.update({(cid, r): m for r, m in col_errors.items()})
            bounds.update({(cid, r): b for r, b in found_bounds.items()})
            approximate.update({(cid, r): t for r, t in found_approx.items()})
            if found_units:
                per_cell = np.full(len(rows), None, dtype=object)
                for pos, u in found_units.items():
                    per_cell[pos] = u
                cell_units[cid] = per_cell
            if c in plan.by_type:
                _split_by_type(plan.by_type[c], cid, data, types, columns, units_of, cell_units,
                               (errors, bounds, approximate), column_label(c))
        else:
            convert = _boolean if kind == "boolean" else _completion if kind in {"date", "completion"} else _category
            codes, uniques = fastcsv.factorized(raw)
            mapped = columnar.converted(uniques, convert)     # once per distinct value
            data[cid], lazy[cid], coded[cid] = None, LazyCells(codes, mapped), columnar.recoded(mapped, codes)
        del raw
        used(c)
    unmatched = [Unmatched(label, (f"{source}:{header_row}:{column_label(c)}" if csv
                                   else f"{source}!{column_label(c)}{header_row}"), ())
                 for c, label in plan.unmatched]
    table = FacilityTable(source=source, data=data, columns=columns, units=units_of, errors=errors, csv=csv,
                          header_row=header_row, cell_units=cell_units, types=types, coded=coded,
                          lazy=lazy, bounds=bounds, approximate=approximate)
    return table, unmatched
