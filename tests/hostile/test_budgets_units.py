"""Unit-level regressions for issue 16: each fails on the start commit (6f8f3ab)."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_reader import mutated_csv, mutated_workbook, read_one
from generate import PASS_XLSX, alias_bomb
from cbcheck import budgets
from cbcheck.errors import PolicyError, SubmissionError, UsageError
from cbcheck.params import Assigned, Params, parse_set, range_problems
from cbcheck.reader.xlsxfile import _scan_sheet_xml


def test_formula_scan_is_linear() -> None:
    xml = b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><f>1+1</f></c></row>" + b"<!--" + b"<f>" * 300_000 \
        + b"--></sheetData></worksheet>"
    start = time.perf_counter()
    scan = _scan_sheet_xml(xml)
    assert time.perf_counter() - start < 2
    assert scan.uncached == {(1, 1)}


@pytest.mark.parametrize("env, value", [("CBCHECK_MAX_ROWS", "10"), ("CBCHECK_MAX_CELLS", "50")])
def test_sheet_budgets_are_configurable_and_named(tmp_path: Path, env: str, value: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from cbcheck.policy import catalogue
    from cbcheck.reader import read_submission

    monkeypatch.setenv(env, value)
    path = tmp_path / "a.xlsx"
    path.write_bytes(PASS_XLSX.read_bytes())
    with pytest.raises(budgets.BudgetExceeded) as info:
        read_submission(path, catalogue())
    text = str(info.value)
    assert env in text and f"over the limit of {int(value):,}" in text and "\n" not in text
    monkeypatch.setenv(env, "0")          # 0 switches a count off
    read_submission(path, catalogue())


def test_a_budget_that_is_not_a_number_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_ROWS", "10M")
    with pytest.raises(UsageError):
        budgets.limit("CBCHECK_MAX_ROWS")
    monkeypatch.setenv("CBCHECK_MAX_MEMBER", "10M")
    assert budgets.limit("CBCHECK_MAX_MEMBER") == 10 * 1024 * 1024


def test_every_budget_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for env, default, _ in budgets.table():
        assert f"`{env}`" in readme and default in readme, env


def test_time_budget_raises_in_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_SECONDS", "1")
    with pytest.raises(budgets.BudgetExceeded, match="CBCHECK_MAX_SECONDS"):
        with budgets.time_limit("slow.xlsx"):
            time.sleep(3)


@pytest.mark.parametrize("what", ["parameters", "policy"])
def test_yaml_alias_bomb_is_refused_before_it_is_built(tmp_path: Path, what: str) -> None:
    from cbcheck.yamlio import load_yaml

    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb() + "top: *a8\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(PolicyError, match="CBCHECK_MAX_YAML_NODES"):
        load_yaml(path, what)
    assert time.perf_counter() - start < 2


def test_yaml_aliases_under_the_budget_still_load(tmp_path: Path) -> None:
    from cbcheck.yamlio import load_yaml

    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {unit: '%'}\na: *b\nb: *b\n", encoding="utf-8")
    assert load_yaml(path) == {"base": {"unit": "%"}, "a": {"unit": "%"}, "b": {"unit": "%"}}


@pytest.mark.parametrize("value", ["-inf", "inf", "nan", "NaN", "1e999"])
def test_set_refuses_non_finite(value: str) -> None:
    with pytest.raises(UsageError, match="not a finite number"):
        parse_set([f"JN-CO2-INTENSITY-2025={value}"])


def test_params_range_per_kind() -> None:
    from cbcheck.policy import load_policy

    policy, _ = load_policy("jining-carbon-peak")
    ok = Params({"JN-CO2-INTENSITY-2025": Assigned(16.0, None, "x")})
    assert range_problems(ok, policy) == []
    for bad in (-5.0, 0.0, 100.0, 150.0):
        problems = range_problems(Params({"JN-CO2-INTENSITY-2025": Assigned(bad, None, "x")}), policy)
        assert problems and "between 0 and 100" in problems[0][1], bad


def test_a_full_disk_is_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from cbcheck import outputs

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(outputs.OutputError) as info:
        outputs.write_atomic(tmp_path / "r.json", "x" * 100_000)
    monkeypatch.undo()
    assert info.value.exit_code == 2 and "No space left" in str(info.value) and "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_batch_records_a_report_it_cannot_write_and_goes_on(tmp_path: Path) -> None:
    import io
    import json

    from cbcheck.batch import CheckSettings
    from cbcheck.run import RunOptions, execute

    drop, reports = tmp_path / "drop", tmp_path / "reports"
    drop.mkdir()
    reports.mkdir()
    for name in ("a", "b", "c"):
        (drop / f"{name}.xlsx").write_bytes(PASS_XLSX.read_bytes())
    (reports / "b.cbcheck.json").mkdir()          # the report's name is taken by a folder
    out, errors = io.StringIO(), []
    code = execute([drop], RunOptions(CheckSettings(policy="jining-carbon-peak"), fmt="json", output_dir=reports,
                                      quiet=True), out=out, err=errors.append)
    assert code == 2
    assert (reports / "a.cbcheck.json").is_file() and (reports / "c.cbcheck.json").is_file()
    summary = json.loads(out.getvalue())
    assert [f["exit"] for f in summary["files"]] == [0, 2, 0]
    assert len([e for e in errors if "b.cbcheck.json" in e]) == 1


def test_error_messages_are_one_capped_line() -> None:
    err = PolicyError("parameters file is invalid:\n  " + "\n  ".join(f"p::{i}: {'x' * 5000}" for i in range(500)),
                      where="p.yaml")
    text = str(err)
    assert "\n" not in text and len(text) < 1000 and "(and 497 more)" in text
    assert str(SubmissionError("bad \x1b[2J name", where="a.csv")) == "a.csv: bad \\x1b[2J name"


# --- a short deterministic slice of tests/hostile/fuzz_reader.py ------------------------------------

@given(data=mutated_workbook())
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_fuzz_slice_workbooks(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    assert read_one(data, ".xlsx", tmp_path_factory.mktemp("fz")) in ("ok", "refused")


@given(data=mutated_csv())
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_fuzz_slice_csv(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    assert read_one(data, ".csv", tmp_path_factory.mktemp("fz")) in ("ok", "refused")
