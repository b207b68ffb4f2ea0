"""The column operations the facility rules use without pandas (cbcheck.columnar) read every
column as pandas did: factorize, blanks and to_numeric, on generated columns of what the readers
give (Python floats, ints, texts, yes/no, dates, blanks)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbcheck import columnar

TEXTS = st.one_of(
    st.text(alphabet="0123456789.+-eE", max_size=8),
    st.text(alphabet="0123456789.+-eEinfatyINFATY \t\x00abc%MW,，　", max_size=8),
    st.sampled_from(["301.5", "-0", "+0", "-0.0", "007", "1e3", "inf", "nan", " 5", "5 ", "1,000", "45%", "200MW",
                     "—", "无", "", "12345678901234567890", "0.1000000000000000055511151231257827", "1e400"]),
    st.floats(allow_nan=False).map(repr),
    st.integers(-10 ** 20, 10 ** 20).map(str),
)
CELLS = st.one_of(
    st.none(), st.just(float("nan")), st.floats(), st.integers(-2 ** 60, 2 ** 60), st.booleans(), TEXTS,
    st.dates(), st.datetimes(), st.times(),
)


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _same_floats(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and bool(
        np.all((a.view(np.int64) == b.view(np.int64)) | (np.isnan(a) & np.isnan(b))))


@given(st.lists(CELLS, max_size=12))
def test_to_numbers_reads_as_pandas_or_defers(cells: list[Any]) -> None:
    values = _objects(cells)
    got = columnar.to_numbers(values)
    if got is not None:
        want = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("float64").to_numpy()
        assert _same_floats(got, want), (cells, got, want)


@pytest.mark.parametrize(("cells", "want"), [
    ([301.5, None, 7, "abc", "45%", "200MW", "", "—", dt.date(2024, 1, 1)],
     [301.5, math.nan, 7.0, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan]),
    (["301.5", "1e3", "-2", "007", ".5", "5."], [301.5, 1000.0, -2.0, 7.0, 0.5, 5.0]),
    ([1, 2, None], [1.0, 2.0, math.nan]),
])
def test_the_common_columns_are_read_without_pandas(cells: list[Any], want: list[float]) -> None:
    got = columnar.to_numbers(_objects(cells))
    assert got is not None
    assert _same_floats(got, np.array(want))


@pytest.mark.parametrize("cells", [["inf"], [" 5"], [True, 1.0], ["-0", 1.5], ["12345678901234567890"]])
def test_what_depends_on_pandas_parser_is_left_to_it(cells: list[Any]) -> None:
    assert columnar.to_numbers(_objects(cells)) is None


@given(st.lists(st.one_of(st.none(), st.just(float("nan")), st.booleans(), st.integers(-3, 3),
                          st.sampled_from([0.0, -0.0, 1.0, 2.5]), st.sampled_from(["a", "b", "1", ""]),
                          st.sampled_from([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1)])), max_size=15))
def test_factorize_is_pandas_factorize(cells: list[Any]) -> None:
    values = _objects(cells)
    codes, uniques = columnar.factorize(values)
    want_codes, want_uniques = pd.Series(values, dtype=object).factorize(use_na_sentinel=True)
    assert codes.tolist() == want_codes.tolist()
    assert [(type(u), u) for u in uniques] == [(type(u), u) for u in want_uniques]
    assert columnar.blank(values).tolist() == pd.isna(pd.Series(values, dtype=object)).tolist()


@given(st.lists(st.one_of(st.just(float("nan")), st.sampled_from([0.0, -0.0, 1.0, 2.5, -7.0])), max_size=15))
def test_factorize_a_float_column_is_pandas_factorize(cells: list[float]) -> None:
    values = np.array(cells, dtype=float)
    codes, uniques = columnar.factorize(values)
    want_codes, want_uniques = pd.Series(values).factorize(use_na_sentinel=True)
    assert codes.tolist() == want_codes.tolist()
    assert [math.copysign(1, u) * abs(u) for u in uniques] == [math.copysign(1, u) * abs(u) for u in want_uniques]
    assert [str(u) for u in uniques] == [str(u) for u in want_uniques]


@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=False), st.integers(-2 ** 40, 2 ** 40)), max_size=40),
       st.integers(0, 5), st.integers(0, 5), st.sampled_from(["float64", "int64", "int32"]))
def test_arrow_columns_cross_to_numpy_as_pyarrow_converts_them(cells: list[Any], start: int, cut: int,
                                                                 kind: str) -> None:
    """By buffers, whatever the slice offset and the chunks: as ``to_numpy`` (NaN for a null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind != "float64":
        cells = [None if v is None or not math.isfinite(v) else int(v) % 2 ** 30 for v in cells]
    arr = pa.array(cells, getattr(pa, kind)())
    sliced = arr.slice(min(start, len(arr)))
    chunked = pa.chunked_array([sliced.slice(0, cut), sliced.slice(cut)], sliced.type)
    for column in (sliced, chunked):
        want = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
        assert _same_floats(columnar.arrow_floats(column), want)
        mask = pc.is_null(column)
        assert columnar.arrow_bools(mask).tolist() == mask.to_pylist()
    codes = pc.dictionary_encode(sliced)
    assert columnar.arrow_codes(codes.indices).tolist() == [-1 if i is None else i for i in codes.indices.to_pylist()]


@pytest.mark.parametrize("cells", [
    [2 ** 53, -2 ** 53, None, 3],               # the largest integers float64 holds exactly: joined
    [2 ** 53 + 1, 1],                           # not exact: Arrow's safe cast refuses, as before
    [None, -(2 ** 53) - 1],
    [None, None],
])
def test_integers_cross_to_floats_only_where_the_cast_is_exact(cells: list[Any]) -> None:
    """The chunks written one by one into one array (columnar._joined_floats) give what the cast
    gives, and an integer the cast refuses is refused the same way."""
    import pyarrow as pa

    column = pa.chunked_array([pa.array(cells[:1], pa.int64()), pa.array(cells[1:], pa.int64())])
    try:
        want = column.cast(pa.float64()).to_numpy()
    except pa.ArrowInvalid:
        with pytest.raises(pa.ArrowInvalid):
            columnar.arrow_floats(column)
        return
    assert _same_floats(columnar.arrow_floats(column), want)


@given(st.lists(st.one_of(st.none(), st.text()), max_size=20), st.lists(st.booleans(), max_size=20))
def test_numpy_and_python_values_cross_to_arrow_as_pyarrow_converts_them(texts: list[Any], flags: list[bool]) -> None:
    import pyarrow as pa

    assert columnar.arrow_strings(texts).equals(pa.array(texts, pa.string()))
    assert columnar.arrow_mask(np.array(flags, dtype=bool)).equals(pa.array(flags, pa.bool_()))
    idx = np.arange(len(flags))[::-1]
    assert columnar.arrow_indices(idx).equals(pa.array(idx, pa.int64()))


def test_names_are_trimmed_alike_from_objects_and_from_arrow() -> None:
    """An xlsx's names are trimmed by ``str.strip``, a CSV's by Arrow's ``utf8_trim_whitespace``
    (what pandas' Arrow-backed strings ran): the same for every code point, before and after a
    name, and the missing markers blanked alike."""
    import pyarrow as pa

    from cbcheck.numbers import MISSING_MARKERS
    from cbcheck.reader.facility_cells import _arrow_names, _trimmed

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    names = [f"{ch}1号机组{ch}" for ch in chars] + [f" {m}\t" for m in sorted(MISSING_MARKERS)] + [None, "", "　"]
    assert _arrow_names(pa.array(names, pa.string())).to_pylist() == _trimmed(names).tolist()
