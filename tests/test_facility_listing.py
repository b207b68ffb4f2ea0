"""A listing's columns (facility_listing.py): what is observed and expected as float64 with codes
into the other values, reasons as codes into the messages, written batch after batch. Each must
give back, entry for entry, what the object arrays the kinds write held, as every report words
it (:func:`cbcheck.facility_results.plain`: None and NaN are both null, 1 is not 1.0 or True)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.facility_listing import Grown, Listing, Reasons, Values
from cbcheck.facility_results import plain
from cbcheck.i18n.message import Msg

value = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none(), st.integers(-10**20, 10**20),
                  st.sampled_from([True, False, "未关停", "已关停", "", dt.date(2023, 10, 31), dt.date(2024, 1, 5),
                                   dt.datetime(2023, 10, 31, 8), np.float64(2.5), np.float64("nan"), -0.0]))


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _same(got: Any, want: Any) -> bool:
    """One entry as the reports see it: the value plain() gives, of the same type."""
    a, b = plain(got), plain(want)
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.copysign(1, a) == math.copysign(1, b)
                                              and a == b)) and str(a) == str(b)


@settings(max_examples=300, deadline=None)
@given(st.lists(value, max_size=30), st.data())
def test_values_give_back_what_the_objects_held(values: list[Any], data: Any) -> None:
    got = Values.of(_objects(values))
    assert len(got) == len(values) and got.numbers.dtype == np.float64
    assert all(_same(g, w) for g, w in zip(got.tolist(), values, strict=True))
    assert all(_same(got[k], values[k]) for k in range(len(values)))
    # a slice and positions in any order give the same entries
    at = data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=10)) if values else []
    taken = got[np.array(at, dtype=np.int64)]
    assert all(_same(g, values[k]) for g, k in zip(taken.tolist(), at, strict=True))
    assert all(_same(g, w) for g, w in zip(got[2:5].tolist(), values[2:5], strict=True))


def test_floats_are_kept_as_floats_and_others_once() -> None:
    got = Values.of(_objects([300.5, None, 301.0, np.float64(2.5)]))
    assert got.codes is None                                # all floats: no codes, no objects
    assert got.numbers.tolist()[0] == 300.5 and math.isnan(got.numbers[1])
    deadline = dt.date(2023, 10, 31)
    mixed = Values.of(_objects([deadline, "未关停", deadline, None, 1, 1.0, True, "未关停"]))
    assert mixed.codes is not None and mixed.codes.dtype == np.int32
    assert mixed.objects == [deadline, "未关停", 1, True]    # 1, 1.0 and True told apart; 1.0 a float
    assert mixed.codes.tolist() == [0, 1, 0, -1, 2, -1, 3, 1]
    # distances: floats and whole numbers, not yes/no, dates or words
    assert [x if not math.isnan(x) else None for x in mixed.floats().tolist()] == \
        [None, None, None, None, 1.0, 1.0, None, None]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(value, max_size=8), max_size=5), st.sampled_from([None, 1, 100]))
def test_a_listing_written_in_batches_is_the_whole_columns(batches: list[list[Any]], capacity: int | None) -> None:
    listing = Listing(capacity)
    said = [Msg("msg.no_column", column="供电煤耗"), "已停产"]
    at, reasons = 0, []
    for batch in batches:
        why = [said[k % 3] if k % 3 < 2 else None for k in range(at, at + len(batch))]
        reasons += why
        listing.add(np.arange(at, at + len(batch)), np.full(len(batch), 6), _objects(batch), _objects(batch[::-1]),
                    _objects(why))
        at += len(batch)
    index, verdicts, observed, expected, reason = listing.done()
    flat = [v for b in batches for v in b]
    assert index.tolist() == list(range(at)) and verdicts.dtype == np.int8 and set(verdicts.tolist()) <= {6}
    assert all(_same(g, w) for g, w in zip(observed.tolist(), flat, strict=True))
    assert all(_same(g, w) for g, w in zip(expected.tolist(), [v for b in batches for v in b[::-1]], strict=True))
    assert [r is w for r, w in zip(reason.tolist(), reasons, strict=True)] == [True] * at
    assert len(reason.objects) <= 2                          # each message object kept once


def test_reasons_by_position_and_set() -> None:
    note = Msg("msg.no_column", column="供电煤耗")
    reasons = Reasons.of(_objects([None, note, "", note]))
    assert reasons.codes.tolist() == [-1, 0, 1, 0] and reasons.objects == [note, ""]
    assert reasons[0] is None and reasons[1] is note and reasons[2] == ""      # "" is kept, as written
    reasons[0] = "已停产"
    assert reasons.tolist() == ["已停产", note, "", note]
    assert list(reasons[np.array([3, 0])]) == [note, "已停产"]


def test_a_buffer_grows_past_its_capacity() -> None:
    buf = Grown(np.int32, 2)
    for k in range(100):
        buf.put(np.array([k, k]))
    assert buf.done().tolist() == [k for k in range(100) for _ in range(2)]
