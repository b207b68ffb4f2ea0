"""Facility rules and shares judged a part of the table at a time (``CBCHECK_TABLE_PART`` rows,
:mod:`cbcheck.facility_parts`) give what the whole table gives: the CLI's reports byte for byte
(random tables as test_fastcsv makes them, parts of 1, 2 and 5 rows, with facility batches of 1
and 3 so that waiting batches span parts), the rule parts array for array, shares (value,
arithmetic, which cell is missing) for specs of one and two conditions; cases by hand for a
share's message settled across parts, and a test that fails if the numpy path stops judging
by parts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cbcheck import backends, facility_parts, facility_rules
from cbcheck.checks import Context
from cbcheck.facility_rules import facility_share
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

sys.path.insert(0, str(Path(__file__).parent / "reader"))
from test_fastcsv import POLICY, cli_reports, _table, blank_row, layout, row  # noqa: E402

FORMATS = [["-q"], ["--lang", "en"], ["-f", "json"], ["-f", "json", "--all-facilities"], ["-f", "markdown"]]
WHOLE = str(1 << 30)


def _reports(path: Path, policy: Path, year: int, part: str, batch: str, mp: pytest.MonkeyPatch) -> list[Any]:
    return cli_reports(path, policy, year, FORMATS, mp, CBCHECK_TABLE_PART=part, CBCHECK_FACILITY_BATCH=batch)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(rows=st.lists(st.one_of(row, blank_row), min_size=1, max_size=30), opts=layout,
       year=st.sampled_from([2023, 2025]), part=st.sampled_from(["1", "2", "5"]), batch=st.sampled_from(["1", "3"]))
def test_parts_write_the_reports_the_whole_table_writes(tmp_path_factory: pytest.TempPathFactory,
                                                        monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                        opts: dict[str, Any], year: int, part: str,
                                                        batch: str) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path_factory.mktemp("parts")
    policy = folder / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    path = folder / "设施.csv"
    path.write_bytes(_table(rows, opts))
    whole = _reports(path, policy, year, WHOLE, WHOLE, monkeypatch)
    got = _reports(path, policy, year, part, batch, monkeypatch)
    for args, g, w in zip(FORMATS, got, whole, strict=True):
        assert g == w, args


SPECS = [
    {"facility_type": "coke_oven", "weight": "capacity", "where": [{"attribute": "oven_height", "min": 5.5,
                                                                   "unit": "米"}]},
    {"facility_type": "coal_power_unit", "weight": "capacity", "unit": "万千瓦",
     "where": [{"attribute": "unit_type", "in": ["抽凝", "纯凝"]},
               {"attribute": "capacity", "max": 20, "unit": "万千瓦"}]},
    {"facility_type": "coal_power_unit", "where": [{"attribute": "capacity", "min": 5, "unit": "万千瓦"},
                                                   {"attribute": "unit_type", "in": ["抽凝"]}]},
    {"facility_type": "ammonia_plant", "weight": "ammonia_energy_per_tonne",
     "where": [{"attribute": "feedstock", "in": ["粉煤", "天然气"]}]},
]


def _tables(folder: Path, rows: list[Any], opts: dict[str, Any]) -> tuple[Any, Any, Any]:
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = folder / "设施.csv"
    path.write_bytes(_table(rows, opts))
    policy, cat = load_policy(str(folder / "policy.yaml"))
    return policy, cat, read_submission(path, cat).facilities


def _part_arrays(part: Any) -> Any:
    if part is None:
        return None
    covered = None if part.covered is None else [a.tolist() for a in part.covered]
    return (part.index.tolist(), part.verdicts.tolist(), repr(part.observed.tolist()),
            repr(part.expected.tolist()), repr(part.reason.tolist()), part.column, covered)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(row, blank_row), min_size=1, max_size=30), opts=layout,
       year=st.sampled_from([2023, 2025]), part=st.integers(1, 7), keep=st.booleans())
def test_a_rule_part_and_a_share_are_the_whole_tables(tmp_path_factory: pytest.TempPathFactory,
                                                       monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                       opts: dict[str, Any], year: int, part: int,
                                                       keep: bool) -> None:
    policy, cat, tables = _tables(tmp_path_factory.mktemp("parts"), rows, opts)
    ctx = Context(year=year, default_base_year=2020)
    before = backends.keep_passing()
    backends.keep_passing(keep)
    try:
        for table in tables:
            for rule in (r for r in policy.rules if r.scope == "facility"):
                monkeypatch.setenv("CBCHECK_TABLE_PART", WHOLE)
                want = _rule_part(rule, table, ctx)
                monkeypatch.setenv("CBCHECK_TABLE_PART", str(part))
                assert _rule_part(rule, table, ctx) == want, rule.id
        for spec in SPECS:
            monkeypatch.setenv("CBCHECK_TABLE_PART", WHOLE)
            want = repr(facility_share(spec, tables))
            monkeypatch.setenv("CBCHECK_TABLE_PART", str(part))
            assert repr(facility_share(spec, tables)) == want, spec
    finally:
        backends.keep_passing(before)


def _rule_part(rule: Any, table: Any, ctx: Context) -> Any:
    try:
        return _part_arrays(facility_parts.judged(rule, table, ctx))
    except Exception as exc:        # a unit error: the same words either way
        return repr(exc)


# --- by hand -------------------------------------------------------------------------------------

# Coal units; the spec: 抽凝 units up to 20 万千瓦, weighted by capacity. Rows 2-7 (header row 1).
CSV = """设施名称,设施类型,机组类型,容量
1号,燃煤发电机组,抽凝,10
2号,燃煤发电机组,纯凝,30
3号,燃煤发电机组,抽凝,
4号,燃煤发电机组,,5
5号,燃煤发电机组,抽凝,4
6号,燃煤发电机组,抽凝,8
"""
SPEC = {"facility_type": "coal_power_unit", "weight": "capacity",
        "where": [{"attribute": "unit_type", "in": ["抽凝"]}, {"attribute": "capacity", "max": 20, "unit": "万千瓦"}]}


def _share(tmp_path: Path, csv: str, part: int, monkeypatch: pytest.MonkeyPatch) -> Any:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "设施.csv").write_text(csv, encoding="utf-8")
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    monkeypatch.setenv("CBCHECK_TABLE_PART", str(part))
    return facility_share(SPEC, read_submission(tmp_path / "设施.csv", cat).facilities)


@pytest.mark.parametrize("part", [1, 2, 4, 100])
def test_the_first_condition_missing_anywhere_is_named_before_a_later_ones(tmp_path: Path, part: int,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # 3号 (row 4) lacks 容量, the second condition; 4号 (row 5) lacks 机组类型, the first: one pass
    # over the table names 4号's cell, whichever part saw 3号's first
    said = str(_share(tmp_path, CSV, part, monkeypatch))
    assert ":5:3" in said and ":4:4" not in said


@pytest.mark.parametrize("part", [1, 2, 4, 100])
def test_a_share_over_parts_is_the_same_double(tmp_path: Path, part: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # without 3号 and 4号: 抽凝 up to 20 万千瓦 are 1号 10, 5号 4, 6号 8 of 10+30+4+8 = 52: 22/52 = 42.307...%
    csv = "\n".join(line for line in CSV.splitlines() if not line.startswith(("3号", "4号"))) + "\n"
    share, arithmetic, where = _share(tmp_path, csv, part, monkeypatch)
    assert share == 22 / 52 * 100
    assert "22 / 52" in str(arithmetic)


def test_the_numpy_path_judges_by_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails if evaluate stops handing the rules parts of the table (and so the stream could not)."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "设施.csv").write_text(CSV, encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    submission = read_submission(tmp_path / "设施.csv", cat)
    seen: list[int] = []
    select = facility_rules.select

    def spy(rule: Any, table: Any) -> Any:
        seen.append(len(table))
        return select(rule, table)

    monkeypatch.setattr(facility_rules, "select", spy)
    monkeypatch.setenv("CBCHECK_TABLE_PART", "2")
    from cbcheck.engine import evaluate

    report = evaluate(policy, cat, submission, year=2025)
    assert seen and max(seen) == 2 and len(seen) >= 3          # six rows, parts of two, every rule
    coal = next(f.details["facilities"] for f in report.findings if f.rule_id == "R-COAL-APPROX")
    assert coal.parts[0].table is submission.facilities[0]     # reports see the table, rows as numbered
    assert np.array_equal(coal.parts[0].table.rows[coal.parts[0].all_index], [2, 3, 4, 5, 6, 7])


CASES = Path(__file__).resolve().parent / "cases"


@pytest.mark.parametrize("case", ["attrs-coke-heights-written", "attrs-coke-dates-gbk-csv",
                                  "facred-coke-closure-written"])
def test_cells_written_as_bounds_and_dates_read_the_same_in_parts(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a table keeps by source row (the bounds of 4.3米以下 / 4.3/5.5, 约4.3, remarks) reaches
    every part: parts of two rows gave 4.3/5.5 as unreadable without its range when table_part
    built a table field by field and missed the fields added later."""
    folder = CASES / case
    submission = next(p for p in folder.iterdir() if p.name.startswith("submission"))
    got = {part: _reports(submission, folder / "policy.yaml", 2025, part, "65536", monkeypatch)
           for part in ("2", "65536")}
    assert got["2"] == got["65536"]
