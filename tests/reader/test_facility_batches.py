"""Facility rules judged a batch of facilities at a time (``CBCHECK_FACILITY_BATCH``,
facility_rules._judged) write the reports one batch writes: random tables as test_fastcsv makes
them, the CLI's text, ``-q``, English and JSON (with and without ``--all-facilities``) byte for
byte with batches of 1, 7 and 64 facilities against one batch; the counts, the listing order
(worst first, then table order across batch boundaries), the first finding's cell and the
facility summary (checked, breached, exempt) included. Without ``--all-facilities`` a result keeps
only what a report lists: cases by hand check what it keeps and what it counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cbcheck import backends
from cbcheck.cli import app
from cbcheck.engine import evaluate
from cbcheck.facility_results import FacilityResult
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from test_fastcsv import POLICY, cli_reports, _table, blank_row, layout, row

FORMATS = [["-q"], [], ["--lang", "en"], ["-f", "json"], ["-f", "json", "--all-facilities"]]


def _reports(path: Path, policy: Path, year: int, batch: int, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    return cli_reports(path, policy, year, FORMATS, monkeypatch, CBCHECK_FACILITY_BATCH=str(batch))


# no shrinking: an example runs the CLI twenty times, and shrinking one took over five minutes
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(rows=st.lists(st.one_of(row, blank_row), min_size=1, max_size=40), opts=layout,
       year=st.sampled_from([2023, 2025]))
def test_batches_of_1_7_and_64_write_the_reports_one_batch_writes(tmp_path_factory: pytest.TempPathFactory,
                                                                  monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                                  opts: dict[str, Any], year: int) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    folder = tmp_path_factory.mktemp("batches")
    policy = folder / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    path = folder / "设施.csv"
    path.write_bytes(_table(rows, opts))
    whole = _reports(path, policy, year, 1 << 30, monkeypatch)
    for batch in (1, 7, 64):
        for args, got, want in zip(FORMATS, _reports(path, policy, year, batch, monkeypatch), whole, strict=True):
            assert got == want, (batch, args)


# --- what a result keeps without --all-facilities, by hand -----------------------------------------

CSV = """设施名称,设施类型,机组类型,容量,供电煤耗(克标准煤/千瓦时)
1号,燃煤发电机组,抽凝,10,290
2号,燃煤发电机组,抽凝,10,310
3号,燃煤发电机组,抽凝,3,330
4号,燃煤发电机组,抽凝,10,
5号,燃煤发电机组,抽凝,10,299
6号,燃煤发电机组,抽凝,10,305
7号,燃煤发电机组,,10,280
"""


@pytest.fixture()
def coal(tmp_path: Path) -> tuple[Any, Any, Any]:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "设施.csv").write_text(CSV, encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    return policy, cat, read_submission(tmp_path / "设施.csv", cat)


def _coal_result(coal: tuple[Any, Any, Any], keep: bool, batch: int, monkeypatch: pytest.MonkeyPatch) -> FacilityResult:
    policy, cat, submission = coal
    monkeypatch.setenv("CBCHECK_FACILITY_BATCH", str(batch))
    before = backends.keep_passing()
    backends.keep_passing(keep)
    try:
        report = evaluate(policy, cat, submission, year=2025)
    finally:
        backends.keep_passing(before)
    return next(f.details["facilities"] for f in report.findings if f.rule_id == "R-COAL")


@pytest.mark.parametrize("batch", [1, 2, 3, 100])
def test_passing_facilities_are_counted_not_kept(coal: Any, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    # R-COAL: 抽凝/纯凝 units up to 20 万千瓦 at most 300, those up to 5 exempt. Rows 2-8 (header row 1):
    # 1号 290 PASS, 2号 310 FAIL, 3号 3万千瓦 exempt, 4号 blank MISSING, 5号 299 PASS, 6号 305 FAIL,
    # 7号 no unit type: MISSING_ATTRIBUTE (MISSING)
    result = _coal_result(coal, False, batch, monkeypatch)
    (part,) = result.parts
    assert part.table.rows[part.index].tolist() == [3, 4, 5, 7, 8]       # all but 1号, 5号: table order
    assert part.table.rows[part.all_index].tolist() == [2, 3, 4, 5, 6, 7, 8]
    assert result.total == 7
    assert result.counts() == {"FAIL": 2, "ERROR": 0, "MISSING": 2, "WARN": 0, "PASS": 2, "NOT_DUE": 0,
                               "NOT_APPLICABLE": 1}
    # FAIL first, then MISSING, exempt last (listed with its reason)
    assert [e["row"] for e in result.entries(include_pass=False)] == [3, 7, 5, 8, 4]
    assert result.first_entry() is not None and result.first_entry()["row"] == 3
    with pytest.raises(RuntimeError):
        list(result.entries(include_pass=True))


@pytest.mark.parametrize("batch", [1, 3, 100])
def test_kept_and_counted_say_the_same(coal: Any, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    kept, counted = _coal_result(coal, True, batch, monkeypatch), _coal_result(coal, False, 1 << 20, monkeypatch)
    assert kept.counts() == counted.counts() and kept.total == counted.total
    assert list(kept.entries(include_pass=False)) == list(counted.entries(include_pass=False))
    # every covered facility and its verdict, kept whole or counted from the codes alike
    got, want = counted.parts[0], kept.parts[0]
    assert np.array_equal(got.table.rows[got.all_index], want.table.rows[want.all_index])
    assert np.array_equal(got.all_verdicts, want.all_verdicts)
    assert [e["row"] for e in kept.entries()] == [3, 7, 5, 8, 2, 6, 4]       # PASS before exempt


def test_the_cli_lists_passing_facilities_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "设施.csv").write_text(CSV, encoding="utf-8")
    monkeypatch.setenv("CBCHECK_FACILITY_BATCH", "2")
    args = ["check", str(tmp_path / "设施.csv"), "-p", str(tmp_path / "policy.yaml"), "--year", "2025", "-f", "json"]
    listed = {}
    for extra in ([], ["--all-facilities"]):
        r = CliRunner().invoke(app, [*args, *extra])
        found = next(f for f in json.loads(r.stdout)["findings"] if f["rule_id"] == "R-COAL")
        listed[bool(extra)] = [e["row"] for e in found["facilities"]["entries"]]
    assert listed == {False: [3, 7, 5, 8, 4], True: [3, 7, 5, 8, 2, 6, 4]}
    assert backends.keep_passing()          # the process's default again after the run


@pytest.mark.parametrize("first", ["missing", "judged"])
@pytest.mark.parametrize("batch", [1, 100])
def test_a_decided_facility_shows_its_cell_when_another_is_judged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   first: str, batch: int) -> None:
    # R-OVEN covers coke ovens up to 4.3 米: an oven without a height is MISSING_ATTRIBUTE before
    # judging; one pass over the column shows its 关停退出时间 all the same, because the other oven is
    # judged. A batch holding only the undecided one must show it too, before or after the other.
    rows = {"missing": "1号焦炉,焦炉,,2023-09-30", "judged": "2号焦炉,焦炉,4.3,2023-11-01"}
    order = [rows[first], *(v for k, v in rows.items() if k != first)]
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "设施.csv").write_text("设施名称,设施类型,炭化室高度(米),关停退出时间\n" + "\n".join(order) + "\n",
                                     encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    monkeypatch.setenv("CBCHECK_FACILITY_BATCH", str(batch))
    report = evaluate(policy, cat, read_submission(tmp_path / "设施.csv", cat), year=2025)
    result = next(f.details["facilities"] for f in report.findings if f.rule_id == "R-OVEN")
    seen = {e["facility"]: (e["status"], e["observed"]) for e in result.entries()}
    assert seen == {"1号焦炉": ("MISSING", "2023-09-30"), "2号焦炉": ("FAIL", "2023-11-01")}
