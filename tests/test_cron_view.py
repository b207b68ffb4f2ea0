"""What a cron job sees of the verdicts that need more than a word (render/quiet.remarks, jsonfmt's
``year_said``, ``required`` and ``coverage_unknown``), through a real ``python -m cbcheck`` process as
the job runs it: the last ``-q`` line and ``json.loads`` of ``-f json``, in zh and en.

Cases: tests/cases/redfix-title-year-without-column (a 2025 title over 2020年 | 2024年 | 2025年目标, judged
on 2024), redfix-head-year-without-column (年度：2025 in the head), redfix-enterprise-indicator-table
(nothing judged), bindfac-oven-cell-blank (a covered oven's closure date blank: 不合规 without a FAIL),
bindfac-oven-height-absent (no 炭化室高度 column: 2 ovens nobody can tell are covered).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cbcheck.schemas import validator

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"


def cbcheck(case: str, *args: str, submission: str = "submission.xlsx") -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, run from the case's folder (the report names the file as given)."""
    env = {**os.environ, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "cbcheck", "check", submission, "--policy", "policy.yaml", *args],
                          cwd=CASES / case, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


def last_line(case: str, *args: str, code: int, submission: str = "submission.xlsx") -> str:
    r = cbcheck(case, "-q", *args, submission=submission)
    assert r.returncode == code, r.stderr
    assert r.stdout.endswith("\n") and not r.stderr, (r.stdout, r.stderr)
    return r.stdout.splitlines()[-1]


def report(case: str, *args: str, code: int, submission: str = "submission.xlsx") -> dict[str, Any]:
    r = cbcheck(case, "-f", "json", *args, submission=submission)
    assert r.returncode == code, r.stderr
    doc = json.loads(r.stdout)
    assert not list(validator("report").iter_errors(doc))
    return doc


# --- -q: the last line --------------------------------------------------------------------------

QUIET = [
    ("redfix-title-year-without-column", "zh", 0,
     "submission.xlsx：合规 — 本报告核查的是 2024 年（标题写的是 2025 年，表中没有 2025 年的数值） · 2 达标"),
    ("redfix-title-year-without-column", "en", 0,
     "submission.xlsx: compliant — this report judges 2024 (the title says 2025; the table has no values for 2025)"
     " · 2 PASS"),
    ("redfix-head-year-without-column", "zh", 0,
     "submission.xlsx：合规 — 本报告核查的是 2024 年（表头年度写的是 2025 年，表中没有 2025 年的数值） · 2 达标"),
    ("redfix-head-year-without-column", "en", 0,
     "submission.xlsx: compliant — this report judges 2024 (the head's year says 2025; the table has no values"
     " for 2025) · 2 PASS"),
    ("redfix-enterprise-indicator-table", "zh", 3,
     "submission.xlsx：无法完整评估 — 本文件没有设施表，没有一条规则能据其判定：企业自查请每个设施（机组、生产线、"
     "数据中心等）填一行，模板：cbcheck template --policy redfix-enterprise-indicator-table --scope enterprise"
     " · 1 缺报 · 2 不适用"),
    ("redfix-enterprise-indicator-table", "en", 3,
     "submission.xlsx: incomplete — the file has no facility table and no rule could be judged on it: an "
     "enterprise's self-check lists one row per facility (a unit, a line, a data centre…); the template: "
     "cbcheck template --policy redfix-enterprise-indicator-table --scope enterprise · 1 MISSING · 2 NOT_APPLICABLE"),
]


@pytest.mark.parametrize("case,lang,code,want", QUIET, ids=[f"{c}-{lang}" for c, lang, _, _ in QUIET])
def test_quiet_last_line_says_what_the_word_would_hide(case: str, lang: str, code: int, want: str) -> None:
    assert last_line(case, "--lang", lang, code=code) == want


@pytest.mark.parametrize("lang,want", [("zh", "submission.xlsx：合规 · 2 达标"),
                                       ("en", "submission.xlsx: compliant · 2 PASS")])
def test_quiet_line_is_bare_when_the_year_judged_is_the_one_asked(lang: str, want: str) -> None:
    """--year 2024 names the year judged: nothing is hidden, the line is as before (2 PASS on 2024's values)."""
    assert last_line("redfix-title-year-without-column", "--year", "2024", "--lang", lang, code=0) == want


@pytest.mark.parametrize("lang,want", [
    ("zh", ["缺报 · BF-OVEN-43 · submission.csv:2:3 · 覆盖 2 个：1 缺报 · 1 达标",
            "submission.csv：不合规 · 2 缺报 · 3 不适用"]),
    ("en", ["MISSING · BF-OVEN-43 · submission.csv:2:3 · 2 covered: 1 MISSING · 1 PASS",
            "submission.csv: non-compliant · 2 MISSING · 3 NOT_APPLICABLE"]),
])
def test_quiet_required_blank_has_its_action_line_and_no_remark(lang: str, want: list[str]) -> None:
    """不合规 without a FAIL already says why on its action line: the verdict line gets no remark."""
    r = cbcheck("bindfac-oven-cell-blank", "-q", "--year", "2025", "--lang", lang, submission="submission.csv")
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines() == want


# --- JSON --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case,said", [("redfix-title-year-without-column", "title"),
                                       ("redfix-head-year-without-column", "row")])
def test_json_year_said_beside_the_year_judged(case: str, said: str, lang: str) -> None:
    doc = report(case, "--lang", lang, code=0)
    sub = doc["submission"]
    assert (sub["year"], sub["year_said"], doc["verdict"]) == (2024, {"year": 2025, "from": said}, "compliant")
    assert list(sub).index("year_said") == list(sub).index("year") + 1
    assert all(f["year"] == 2024 for f in doc["findings"])


@pytest.mark.parametrize("args", [("--year", "2024"), ("--year", "2025")])
def test_json_no_year_said_when_the_year_is_asked(args: tuple[str, str]) -> None:
    """--year names the year judged (2025: the file's own, its values MISSING): nothing to remark."""
    doc = report("redfix-title-year-without-column", *args, code=0)
    assert doc["submission"]["year"] == int(args[1]) and "year_said" not in doc["submission"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_required_finds_what_made_the_file_non_compliant(lang: str) -> None:
    """1号's closure date blank, the clause binding and due (2023-10-31): the finding is MISSING, not FAIL,
    and ``select(.required)`` finds it; the other rules (not applicable to coke ovens) say nothing."""
    doc = report("bindfac-oven-cell-blank", "--year", "2025", "--lang", lang, code=1, submission="submission.csv")
    assert doc["verdict"] == "non-compliant" and doc["summary"]["FAIL"] == 0
    required = [(f["rule_id"], f["status"]) for f in doc["findings"] if f.get("required")]
    assert required == [("BF-OVEN-43", "MISSING")]
    assert all(f["required"] is True for f in doc["findings"] if "required" in f)
    assert not [f for f in doc["findings"] if "coverage_unknown" in f]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_coverage_unknown_counts_the_facilities(lang: str) -> None:
    """No 炭化室高度 column: neither oven can be told to be a 4.3 m oven the plan closes (2 of 2);
    incomplete, and nothing is required (no covered facility's value is missing)."""
    doc = report("bindfac-oven-height-absent", "--year", "2025", "--lang", lang, code=3,
                 submission="submission.csv")
    assert doc["verdict"] == "incomplete"
    assert [(f["rule_id"], f["coverage_unknown"]) for f in doc["findings"] if "coverage_unknown" in f] \
        == [("BF-OVEN-43", 2)]
    assert not [f for f in doc["findings"] if "required" in f]


# the rules policies/jinzhong-carbon-peak.yaml marks ``required: true``
HEADLINE = ["JZ-NONFOSSIL-2025", "JZ-NEWCLEAN-CAPACITY-SHARE-2025", "JZ-NEWCLEAN-GENERATION-SHARE-2025",
            "JZ-ENERGY-INTENSITY-2025", "JZ-CO2-INTENSITY-2025"]


def test_json_a_required_rule_that_passed_is_not_required() -> None:
    """jinzhong's pass example fills every headline target (rules marked ``required: true``): compliant, so
    no finding is what made it non-compliant; the fail example leaves one blank, and that one alone is."""
    passed = subprocess.run([sys.executable, "-m", "cbcheck", "check", "examples/jinzhong-county-pass.xlsx", "-p",
                             "jinzhong-carbon-peak", "--params", "examples/jinzhong-params.yaml", "-f", "json"],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    doc = json.loads(passed.stdout)
    assert passed.returncode == 0 and doc["verdict"] == "compliant"
    status = {f["rule_id"]: f["status"] for f in doc["findings"]}
    assert [status[r] for r in HEADLINE] == ["PASS"] * 5
    assert not [f["rule_id"] for f in doc["findings"] if "required" in f]
    failed = subprocess.run([sys.executable, "-m", "cbcheck", "check", "examples/jinzhong-county-fail.xlsx", "-p",
                             "jinzhong-carbon-peak", "--params", "examples/jinzhong-params.yaml", "-f", "json"],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    doc = json.loads(failed.stdout)
    assert failed.returncode == 1
    status = {f["rule_id"]: f["status"] for f in doc["findings"]}
    assert [status[r] for r in HEADLINE] == ["FAIL", "PASS", "MISSING", "FAIL", "FAIL"]
    assert [f["rule_id"] for f in doc["findings"] if f.get("required")] == ["JZ-NEWCLEAN-GENERATION-SHARE-2025"]


# --- a drop folder: `cbcheck check DIR -q` (and -f json), as README's nightly job runs it ------------

def drop_folder(tmp_path: Path) -> Path:
    """The title case's table, the head case's, and the same figures with no year said (a CSV): each
    judged on 2024 (2 PASS), only the first two with a remark."""
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a-title.xlsx").write_bytes((CASES / "redfix-title-year-without-column" / "submission.xlsx").read_bytes())
    (drop / "b-head.xlsx").write_bytes((CASES / "redfix-head-year-without-column" / "submission.xlsx").read_bytes())
    (drop / "c-plain.csv").write_text("填报单位：某县发展和改革局\n序号,指标名称,单位,2020年,2024年,2025年目标\n"
                                      "1,非化石能源消费比重,%,8.2,11.6,12\n2,煤电机组平均供电煤耗,克标准煤/千瓦时,306,301,300\n",
                                      encoding="utf-8")
    return drop


def batch(drop: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "LC_ALL": "C.UTF-8", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cbcheck", "check", ".", "--policy",
                           str(CASES / "redfix-title-year-without-column" / "policy.yaml"), "-q", *args],
                          cwd=drop, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize("lang,want", [
    ("zh", ["a-title.xlsx：合规 — 本报告核查的是 2024 年（标题写的是 2025 年，表中没有 2025 年的数值）",
            "b-head.xlsx：合规 — 本报告核查的是 2024 年（表头年度写的是 2025 年，表中没有 2025 年的数值）"]),
    ("en", ["a-title.xlsx: compliant — this report judges 2024 (the title says 2025; the table has no values for 2025)",
            "b-head.xlsx: compliant — this report judges 2024 (the head's year says 2025; the table has no values "
            "for 2025)"]),
])
def test_batch_quiet_lists_the_remarks_under_the_table(tmp_path: Path, lang: str, want: list[str]) -> None:
    r = batch(drop_folder(tmp_path), "--lang", lang)
    assert r.returncode == 0, r.stderr
    said = [line for line in r.stdout.splitlines() if " — " in line]
    assert [line.rsplit("/", 1)[-1] for line in said] == want


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batch_json_quiet_entries_say_the_year_judged_and_said(tmp_path: Path, lang: str) -> None:
    r = batch(drop_folder(tmp_path), "-f", "json", "--lang", lang)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    entries = {Path(f["path"]).name: f for f in doc["files"]}
    assert {name: (f["verdict"], f["year"], f.get("year_said")) for name, f in entries.items()} == {
        "a-title.xlsx": ("compliant", 2024, {"year": 2025, "from": "title"}),
        "b-head.xlsx": ("compliant", 2024, {"year": 2025, "from": "row"}),
        "c-plain.csv": ("compliant", 2024, None),
    }
    assert "year_said" not in entries["c-plain.csv"] and not any("report" in f for f in doc["files"])
