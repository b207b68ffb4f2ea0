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


def _values(column: object) -> list[str]:
    listed = column.to_pylist() if hasattr(column, "to_pylist") else list(column)   # type: ignore[attr-defined]
    return [repr(v) for v in listed]


@pytest.mark.parametrize("name", CASES)
def test_some_rows_taken_are_the_rows_of_the_whole_column(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_FASTCSV", "1")
    path, policy_ref, _ = _case(name)
    _, cat = load_policy(policy_ref)
    for table in read_submission(path, cat).facilities:
        assert "_name" in table.lazy, "names are cleaned on request"
        rng = np.random.default_rng(7)
        idx = rng.integers(0, len(table), size=2 * len(table)) if len(table) else np.zeros(0, dtype=np.intp)
        for column in list(table.lazy):
            taken = table.take(column, idx)
            whole = table.column(column)                  # made now, once
            assert column not in table.lazy and table.column(column) is whole
            assert len(whole) == len(table)
            assert _values(taken) == [_values(whole)[k] for k in idx]
        assert table.names is table.column("_name")


def test_names_cleaned_for_some_rows_are_those_rows_cleaned() -> None:
    """Blanks, padding and the missing markers (—, 无...) of a name, cleaned for some rows or all."""
    import pyarrow as pa

    from cbcheck.reader.facility_cells import LazyNames

    raw = pa.chunked_array([pa.array([" 1号机组 ", None, "—", "", "  "]),
                            pa.array(["无", "2号炉", "\u3000A\u3000", "N/A"])])
    names = LazyNames(raw)
    whole = names.whole().to_pylist()
    assert whole == ["1号机组", None, None, None, None, None, "2号炉", "A", "N/A"]   # markers are lower case
    for idx in ([7, 0, 2], [], [3, 3, 6], list(range(9))):
        assert names.take(np.array(idx, dtype=np.intp)).to_pylist() == [whole[k] for k in idx]


@pytest.mark.parametrize("name", CASES)
def test_the_reader_drops_each_raw_column_once_converted(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """build_table(consume=True) sets the plan's raw columns to None as it converts them (their
    Arrow pages back before the next column is made) and builds the table it builds without."""
    import pandas as pd

    from cbcheck.reader import facility

    monkeypatch.setenv("CBCHECK_FASTCSV", "1")
    path, policy_ref, _ = _case(name)
    _, cat = load_policy(policy_ref)
    seen = []
    build = facility.build_table

    def spy(source, raw, rows, plan, fc, **options):
        before = dict(raw)
        got = build(source, raw, rows, plan, fc, **options)
        seen.append((before, raw, plan))
        again, _ = build(source, before, rows, plan, fc, **{**options, "consume": False})
        pd.testing.assert_frame_equal(got[0].frame, again.frame)
        return got

    monkeypatch.setattr(facility, "build_table", spy)
    read_submission(path, cat)
    assert seen
    for before, after, plan in seen:
        read = {str(c) for c in (plan.name_col, plan.type_col, *plan.columns) if c is not None}
        assert {k for k, v in after.items() if v is None} == read & set(before)
        assert all(after[k] is before[k] for k in set(before) - read)
