"""The 差距 column of the action list for facility rules (HTML, xlsx and text share the view):
how many facilities fail and the worst one's distance from the limit, by hand from the example
power plant (examples/enterprise/yuncheng-power-plant.xlsx): 供电煤耗 ≤ 300 克标准煤/千瓦时 with
2号机组 303.2 and 5号机组 352.0 failing, so 2 fail and the worst is 352.0 − 300 = 52 over."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbcheck.engine import evaluate
from cbcheck.i18n import Messages
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.render.view import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    policy, cat = load_policy(ROOT / "policies" / "yuncheng-energy-saving-14fyp.yaml")
    submission = read_submission(ROOT / "examples" / "enterprise" / "yuncheng-power-plant.xlsx", cat)
    return evaluate(policy, cat, submission), cat


@pytest.mark.parametrize(("lang", "rule", "gap"), [
    ("zh", "YC-CHP-SUPPLY-COAL-300", "2 个燃煤发电机组不达标，最大超出 52 克标准煤/千瓦时"),
    ("en", "YC-CHP-SUPPLY-COAL-300", "2 not compliant (coal-fired power unit), the worst over by 52 克标准煤/千瓦时"),
    # a deadline has no distance: the count alone
    ("zh", "YC-COAL-UNIT-300MW-RETROFIT", "1 个燃煤发电机组不达标"),
])
def test_facility_rule_gap(report, lang: str, rule: str, gap: str) -> None:  # type: ignore[no-untyped-def]
    rep, cat = report
    view = build(rep, Messages(lang), cat)
    assert {r.rule_id: r.gap for r in view.actions}[rule] == gap


# --- the worst distance: the numbers in one numpy pass, anything else value by value, alike --------------

def _loop_worst(parts: list[tuple[list[object], list[object], list[str]]], status: str) -> float | None:
    """The worst gap as written before (a loop over every failing facility), to hold the pass to."""
    import math

    worst: float | None = None
    for observed, expected, statuses in parts:
        for seen, limit, s in zip(observed, expected, statuses, strict=True):
            if s != status or isinstance(seen, bool) or isinstance(limit, bool) \
                    or not isinstance(seen, (int, float)) or not isinstance(limit, (int, float)):
                continue
            gap = float(seen) - float(limit)
            if math.isfinite(gap) and (worst is None or abs(gap) > abs(worst)):
                worst = gap
    return worst


def _value():  # type: ignore[no-untyped-def]
    import datetime as dt
    import math

    from hypothesis import strategies as st

    return st.one_of(st.floats(-1e6, 1e6), st.sampled_from([math.nan, math.inf, -math.inf]), st.integers(-1000, 1000),
                     st.sampled_from([None, True, False, "在产", dt.date(2023, 10, 31), 300.0, -300.0]))


def test_the_worst_gap_is_the_loops() -> None:
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cbcheck.facility_listing import Values
    from cbcheck.render.facility_gap import _worst

    statuses = ["FAIL", "PASS", "MISSING"]
    part = st.lists(st.tuples(_value(), _value(), st.integers(0, 2)), max_size=12)

    @settings(max_examples=300, deadline=None)
    @given(parts=st.lists(part, max_size=4), numeric=st.booleans())
    def check(parts: list[list[tuple[object, object, int]]], numeric: bool) -> None:
        class Part:
            def __init__(self, rows: list[tuple[object, object, int]]) -> None:
                def column(values: list[object]) -> np.ndarray:
                    out = np.empty(len(values), dtype=object)
                    out[:] = values
                    return out
                # kept as a listing keeps them: float64 where a float, codes into the other values
                self.observed = Values.of(column([r[0] for r in rows]))
                self.expected = Values.of(column([r[1] for r in rows]))
                self.verdicts = np.array([r[2] for r in rows], dtype=np.int64)

        if numeric:             # only numbers, as the rules of a threshold give them: the numpy pass
            parts = [[(float(o) if isinstance(o, (int, float)) and not isinstance(o, bool) else 1.5,
                       float(e) if isinstance(e, (int, float)) and not isinstance(e, bool) else 2.0, s)
                      for o, e, s in p] for p in parts]

        class Result:
            def __init__(self) -> None:
                self.parts = [Part(p) for p in parts]

            @staticmethod
            def _status_names() -> np.ndarray:
                return np.array(statuses, dtype=object)

        want = _loop_worst([([r[0] for r in p], [r[1] for r in p], [statuses[r[2]] for r in p]) for p in parts],
                           "FAIL")
        got = _worst(Result(), "FAIL")
        assert (got is None and want is None) or (got == want and np.signbit(got) == np.signbit(want))

    check()
