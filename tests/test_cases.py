"""Engine cases as data: tests/cases/<name>/case.yaml + policy.yaml + a submission.

case.yaml:
    description: what the case pins down (arithmetic checked by hand in comments)
    submission: submission.csv          # file in the case folder
    args: {year: 2023, set: [RULE=VALUE, 重点用能单位=是], strict: false, strict_trajectory: false,
           scope: enterprise}                # scope: as --scope
    scope: county | enterprise               # whose submission the file is read as
    read_notes: [read.scope_enterprise]      # the keys of its notes on whose it is, exactly
    note_keys: [read.year_said_absent]       # keys the reading notes (the reader's and the engine's) include
    year_reason_zh: "exact text"             # the verdict's reason on the year judged; null: none
    verdict: compliant | non-compliant | incomplete
    expect:
      RULE-ID: {status: PASS, observed: 9.26, expected: 9.68, location: "submission.csv:3:3",
                message_contains: "behind"}
      RULE-ID: {comparator: "≥", arithmetic: "exact text", message: "exact text",
                message_zh: "exact Chinese text", arithmetic_zh: "exact Chinese text",
                details: {milestone: 9.68, trajectory: compound}}      # details: these keys, others ignored
      RULE-ID: {facilities: {"1号机组": FAIL, "2号机组": [NOT_APPLICABLE, "exempt"]}}   # exactly these
      RULE-ID: {facilities: {"1号机组": {status: PASS, message: "exact words", observed: 300, expected: 300}},
                facility_counts: {PASS: 1}}        # the rule's counts by status, the non-zero ones exactly
    quality: [{check: share_range, indicator: forest_coverage, year: 2025}]   # exactly these notes
    xfail: why the engine gets this case wrong today (strict: the case must fail until fixed)
Numbers are compared to 0.01.

A case with per-facility expectations runs again on DuckDB (``test_facility_case_on_duckdb``) and
must give the same hand-worked answer there: the SQL a kind compiles (``facility_sql``) is its own
code, which engine agreement alone cannot check where both paths share a mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cbcheck import backends
from cbcheck.engine import evaluate
from cbcheck.i18n.message import Msg
from cbcheck.params import Params, parse_classes, parse_set
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.readnote import kind_of

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if (p / "case.yaml").is_file())


def _param(case_dir: Path, engine: str = "numpy") -> Any:
    """A case that documents a known bug carries ``xfail: reason`` (``xfail_duckdb: reason`` for a bug
    of the DuckDB path only); strict, so the fix must remove it."""
    case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    reason = case.get("xfail") or (case.get("xfail_duckdb") if engine == "duckdb" else None)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case_dir, marks=marks, id=case_dir.name)


def _close(actual: Any, expected: Any) -> bool:
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return abs(actual - expected) <= 0.01
    return actual == expected


def _facility_want(want: Any) -> dict[str, Any]:
    """``STATUS``, ``[STATUS, message part]`` or ``{status, message, message_contains, observed, expected}``."""
    if isinstance(want, str):
        return {"status": want}
    if isinstance(want, list):
        return {"status": want[0], "message_contains": want[1]}
    return dict(want)


def _check_facilities(rule_id: str, f: Any, value: dict[str, Any]) -> None:
    entries = {e["facility"]: e for e in f.details["facilities"].entries()}
    for name, want in value.items():
        assert name in entries, f"{rule_id}: facility {name!r} not judged ({sorted(entries)})"
        got = entries[name]
        for key, expected in _facility_want(want).items():
            if key == "message_contains":
                assert expected in got["message"], f"{rule_id}/{name}: {got}"
            else:
                assert _close(got[key], expected), f"{rule_id}/{name}.{key}: {got}"
    assert len(entries) == len(value), f"{rule_id}: judged {sorted(entries)}"


def check_case(case_dir: Path, monkeypatch: pytest.MonkeyPatch, engine: str | None = None) -> None:
    monkeypatch.chdir(case_dir)
    case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    args = case.get("args", {})
    policy, cat = load_policy("policy.yaml")
    submission = read_submission(Path(case["submission"]), cat, scope=args.get("scope"))
    if "scope" in case:
        assert submission.scope == case["scope"], [str(n) for n in submission.notes]
    if "read_notes" in case:
        said = [n.key for n in submission.notes if kind_of(n) in ("entity", "scope")]
        assert said == case["read_notes"], [str(n) for n in submission.notes]
    backends.use(engine)
    try:
        report = evaluate(policy, cat, submission, year=args.get("year"),
                          params=Params().with_overrides(parse_set(args.get("set", [])))
                          .with_classes(parse_classes(args.get("set", []))),
                          strict=args.get("strict", False), strict_trajectory=args.get("strict_trajectory", False))
    finally:
        backends.use(None)
    if "note_keys" in case:      # what the reading must say (a row listed not read, a restatement), by key
        keys = [n.key for n in report.submission.notes if isinstance(n, Msg)]    # the reader's and the engine's
        assert all(k in keys for k in case["note_keys"]), keys
    if "year_reason_zh" in case:   # the verdict's reason on the year judged (None: it says nothing of it)
        said = report.year_reason.text("zh") if report.year_reason is not None else None
        assert said == case["year_reason_zh"], said
    findings = {f.rule_id: f for f in report.findings}
    assert set(case["expect"]) <= set(findings), "case names rules the policy does not have"
    for rule_id, exp in case["expect"].items():
        f = findings[rule_id]
        got = {"status": f.status.value, "observed": f.observed, "expected": f.expected,
               "location": f.location, "unit": f.unit, "comparator": f.comparator,
               "arithmetic": f.arithmetic, "message": f.message}
        for key, value in exp.items():
            if key == "message_contains":
                assert value in f.message, f"{rule_id}: {f.message!r}"
            elif key in ("message_zh", "arithmetic_zh"):   # the same finding in the reader's default language
                said = getattr(f, key[:-3])
                zh = said.text("zh") if isinstance(said, Msg) else said
                assert zh == value, f"{rule_id}.{key}: {zh!r}"
            elif key == "arithmetic_contains":
                assert value in f.arithmetic, f"{rule_id}: {f.arithmetic!r}"
            elif key == "details":
                for name, want in value.items():
                    assert name in f.details and _close(f.details[name], want), f"{rule_id}.details: {f.details}"
            elif key == "facilities":   # {facility name: STATUS} or {facility name: [STATUS, message part]}
                _check_facilities(rule_id, f, value)
            elif key == "facility_counts":
                counts = {k: n for k, n in f.details["facilities"].counts().items() if n}
                assert counts == value, f"{rule_id}: counts {counts}"
            else:
                assert _close(got[key], value), f"{rule_id}.{key}: got {got[key]!r}, want {value!r} ({f.message})"
    quality = sorted((q.check, q.indicator, q.year) for q in report.quality)
    assert quality == sorted((q["check"], q["indicator"], q["year"]) for q in case.get("quality", [])), \
        [q.message for q in report.quality]
    if "verdict" in case:
        assert report.verdict() == case["verdict"]


@pytest.mark.parametrize("case_dir", [_param(c) for c in CASES])
def test_case(case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(case_dir, monkeypatch)


def _judges_facilities(case_dir: Path) -> bool:
    expect = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8")).get("expect", {})
    return any("facilities" in exp or "facility_counts" in exp for exp in expect.values())


@pytest.mark.parametrize("case_dir", [_param(c, "duckdb") for c in CASES if _judges_facilities(c)])
def test_facility_case_on_duckdb(case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(case_dir, monkeypatch, engine="duckdb")


def test_there_are_cases() -> None:
    assert len(CASES) >= 8
