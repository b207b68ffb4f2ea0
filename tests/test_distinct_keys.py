"""The facility summary counts distinct facilities across rules by a bitmap per table; it must
count what a set would."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cbcheck.render.facility_count import distinct_keys

key = st.tuples(st.integers(0, 3), st.integers(0, 5000)).map(lambda tr: tr[0] * (1 << 32) + tr[1])


@given(st.lists(st.lists(key, max_size=60), max_size=5))
def test_distinct_keys_counts_what_a_set_counts(parts: list[list[int]]) -> None:
    arrays = [np.array(p, dtype=np.int64) for p in parts]
    assert distinct_keys(arrays) == len({k for p in parts for k in p})


def test_by_hand() -> None:
    t1 = 1 << 32
    # table 0 rows 2, 3 (twice), table 1 row 2: three distinct facilities; row 2 in two tables is two
    assert distinct_keys([np.array([2, 3], np.int64), np.array([3, t1 + 2], np.int64)]) == 3
    assert distinct_keys([]) == 0
    assert distinct_keys([np.empty(0, np.int64)]) == 0
