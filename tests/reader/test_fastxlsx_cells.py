"""The per-column shortcuts of the calamine body (reader/fastxlsx.py) give what the cell-by-cell
way gives: which rows are filled, and numbers as the openpyxl path shows them."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.reader.fastxlsx import _as_openpyxl_reads, _filled_cells

# what a name cell holds: names, codes, spaces, invisible characters, punctuation, full-width space
TEXTS = st.lists(st.sampled_from(["1号机组", "F0000001", "2×300MW", " ", "\u200b", "\u3000", "  x", "-", "（空）",
                                  "\ufeff", "A", "x\u200b", "\t", "#1", "", "焦炉 1"]) | st.text(max_size=4),
                 max_size=30)


def _objects(values: list[Any]) -> Any:
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


@settings(max_examples=300, deadline=None)
@given(texts=TEXTS)
def test_a_text_column_is_filled_as_cell_by_cell(texts: list[str]) -> None:
    a = _objects(texts)
    # with a float among the kinds the shortcut is off: every cell goes through the one test
    assert _filled_cells(a, frozenset({str})).tolist() == _filled_cells(a, frozenset({str, float})).tolist()


def test_filled_cells_by_hand() -> None:
    a = _objects(["F1", " ", "\u200b", "1号机组", "2×300MW", "", "\u3000", "  x"])
    assert _filled_cells(a, frozenset({str})).tolist() == [True, False, False, True, True, False, False, True]


NUMBERS = st.lists(st.none() | st.sampled_from([2500.0, 301.4, 274.65999999999997, 0.1 + 0.2, -3.0, 1e14, 7.0])
                   | st.floats(allow_nan=True, allow_infinity=True, width=64).filter(lambda v: abs(v) < 1e15 or v != v),
                   max_size=30)


def _general(values: list[Any]) -> list[Any]:
    """Cell by cell: whole numbers as int (but -0.0, which openpyxl reads as the float it is
    written as), the rest to 15 significant digits, None and text as they are."""
    out: list[Any] = []
    for v in values:
        if type(v) is float and v == v and abs(v) != float("inf"):
            out.append(int(v) if v == round(v) and str(v) != "-0.0" else float(f"{v:.15g}"))
        else:
            out.append(v)
    return out


@settings(max_examples=300, deadline=None)
@given(values=NUMBERS, text=st.booleans())
def test_a_number_column_with_blanks_reads_as_cell_by_cell(values: list[Any], text: bool) -> None:
    """A float column whose text was only its blanks (None by then) and one with a text left."""
    if text:
        values = [*values, "备注"]
    a = _objects(values)
    got = _as_openpyxl_reads(a, frozenset({float, str, type(None)}), np.equal(a, None))
    assert got is not None
    want = _general(values)
    assert [type(v) for v in got.tolist()] == [type(v) for v in want]
    assert [v if v == v else "nan" for v in got.tolist()] == [v if v == v else "nan" for v in want]
