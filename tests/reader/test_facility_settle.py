"""合计/小计 rows and footers settled batch by batch (reader/facility_settle.py) as the whole body
settles them: random bodies (names, a number and a text column; numpy objects or Arrow strings,
floats and dictionaries) cut anywhere into batches give the rows, the cells and the notes, in
order, of ``_without_subtotals`` then ``_without_footers`` over the whole; cases by hand for
footers that begin in a batch before the last."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.reader.facility import _without_footers, _without_subtotals
from cbcheck.reader.facility_settle import BodySettler


class Grid:
    """What the settling asks of a grid: its notes, and spans of cells."""

    def __init__(self) -> None:
        self.notes: list[Any] = []

    def span(self, r1: int, c1: int, r2: int, c2: int) -> str:
        return f"R{r1}C{c1}:R{r2}C{c2}"


NAMES = ["1号机组", "2号", "", None, "合计", "甲厂小计", " 小计：", "Total", "总计", "计量站", "填表人：张三",
         "注：数据为年报", "联系电话：123", "设计总计划"]
line = st.tuples(st.sampled_from(NAMES), st.one_of(st.none(), st.floats(0, 1e4, allow_nan=False)),
                 st.sampled_from([None, "抽凝", "纯凝", "备注：无"]))


def _body(lines: list[Any], arrow: bool) -> tuple[np.ndarray, dict[str, Any]]:
    rows = np.arange(3, 3 + len(lines), dtype=np.int64)
    names, numbers, words = (list(c) for c in zip(*lines, strict=True))
    if arrow:
        raw = {"0": pa.array(names, pa.string()), "1": pa.array(numbers, pa.float64()),
               "2": pa.array(words, pa.string()).dictionary_encode()}
    else:
        raw = {}
        for k, values in enumerate((names, numbers, words)):
            raw[str(k)] = np.empty(len(values), dtype=object)
            raw[str(k)][:] = values
    return rows, raw


def _values(column: Any) -> list[Any]:
    return column.to_pylist() if hasattr(column, "to_pylist") else column.tolist()


def _whole(lines: list[Any], arrow: bool) -> tuple[list[Any], dict[str, list[Any]], list[str]]:
    grid = Grid()
    rows, raw = _without_subtotals(grid, *_body(lines, arrow), 3, 0)
    rows, raw = _without_footers(grid, rows, raw, 3)
    return rows.tolist(), {k: _values(c) for k, c in raw.items()}, [repr(n) for n in grid.notes]


def _batched(lines: list[Any], arrow: bool, cuts: list[int]) -> tuple[list[Any], dict[str, list[Any]], list[str]]:
    grid = Grid()
    rows, raw = _body(lines, arrow)
    settler = BodySettler(grid, 3, 0)
    pieces = []
    bounds = [0, *sorted(c for c in set(cuts) if 0 < c < len(lines)), len(lines)]
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        part = {k: (c.slice(a, b - a) if isinstance(c, pa.Array) else c[a:b]) for k, c in raw.items()}
        pieces += settler.add(rows[a:b], part)
    pieces += settler.finish()
    got_rows = [r for p in pieces for r in p[0].tolist()]
    got = {k: [v for p in pieces for v in _values(p[1][k])] for k in raw}
    return got_rows, got, [repr(n) for n in grid.notes]


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(line, min_size=1, max_size=40), arrow=st.booleans(),
       cuts=st.lists(st.integers(0, 40), max_size=12))
def test_batches_settle_as_the_whole_body(lines: list[Any], arrow: bool, cuts: list[int]) -> None:
    assert _batched(lines, arrow, cuts) == _whole(lines, arrow)


def test_footers_beginning_in_an_earlier_batch_are_footers() -> None:
    # 12 units, then 合计 and three footer rows: the last batch holds only the final footer
    lines = [(f"{k}号", float(k), "抽凝") for k in range(12)]
    lines += [("合计", 66.0, None), ("填表人：张三", None, None), ("注：数据为年报", None, None),
              ("联系电话：123", None, None)]
    rows, raw, notes = _batched(lines, True, [5, 13, 15])
    assert rows == list(range(3, 15))                       # rows 15-18 (合计 and the footers) are not facilities
    assert raw["0"] == [f"{k}号" for k in range(12)]
    assert len(notes) == 4 and "read.total_row" in notes[0] and "R15C1:R15C3" in notes[0]
    assert (rows, raw, notes) == _whole(lines, True)


def test_a_subtotal_inside_is_dropped_where_it_is_read() -> None:
    lines = [("1号", 1.0, None), ("甲厂小计", 1.0, None), ("2号", 2.0, None)]
    rows, raw, notes = _batched(lines, False, [1, 2])
    assert rows == [3, 5] and raw["1"] == [1.0, 2.0]
    assert len(notes) == 1 and "R4C1:R4C3" in notes[0]
