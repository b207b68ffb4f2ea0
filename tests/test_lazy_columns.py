"""A facility table's text columns stay the reader's codes (FacilityTable.lazy) through a numpy
check: the rules take the cells of the rows they cover, and the object array of every row is
made only when something asks for the whole column (the SQL engines' frame, a test). The cells
made either way are the ones the reader read (the whole frames are compared with the general
CSV path's in tests/reader/test_fastcsv.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from cbcheck.engine import evaluate
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

ROOT = Path(__file__).resolve().parents[1]
CASES = ["facility-deadline-states", "facility-deadline-dates", "facility-rules", "kinds-facility-scope"]


def _case(name: str) -> tuple[Path, str, int | None]:
    case = ROOT / "tests" / "cases" / name
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    return case / spec["submission"], str(case / "policy.yaml"), (spec.get("args") or {}).get("year")


@pytest.mark.parametrize("name", CASES)
def test_a_numpy_check_makes_no_whole_text_column(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_FASTCSV", "1")
    path, policy_ref, year = _case(name)
    policy, cat = load_policy(policy_ref)
    submission = read_submission(path, cat)
    lazy_before = [set(t.lazy) for t in submission.facilities]
    assert any(lazy_before), "the reader kept no text column as codes"
    evaluate(policy, cat, submission, year=year)
    assert [set(t.lazy) for t in submission.facilities] == lazy_before


@pytest.mark.parametrize("name", CASES)
def test_some_rows_taken_are_the_rows_of_the_whole_column(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_FASTCSV", "1")
    path, policy_ref, _ = _case(name)
    _, cat = load_policy(policy_ref)
    for table in read_submission(path, cat).facilities:
        rng = np.random.default_rng(7)
        idx = rng.integers(0, len(table), size=2 * len(table)) if len(table) else np.zeros(0, dtype=np.intp)
        for column in list(table.lazy):
            codes, cells = table.lazy[column]
            taken = table.take(column, idx)
            whole = table.column(column)                  # made now, once
            assert column not in table.lazy and table.column(column) is whole
            assert whole.dtype == object and len(whole) == len(table)
            assert [repr(v) for v in taken] == [repr(v) for v in whole[idx]]
            assert [repr(v) for v in whole] == [repr(cells[c]) for c in codes]
            assert [repr(v) for v in table.take(column, idx)] == [repr(v) for v in taken]   # from the array now
