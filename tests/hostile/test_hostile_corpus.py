"""The hostile corpus (issue 16): every case in a subprocess under an address-space ceiling and a
timeout, so that a regression fails here instead of hanging CI or taking the machine.

Each case must finish in under 10 s with a peak resident set under 500 MB, with one of its
allowed exit codes and (for refusals) one line on stderr naming the budget. Cases with output
are then checked for what they must never contain.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from generate import BADINPUT, CASES, MD_ENTITY, PASS_XLSX
from run_hostile import SRC, run_case, run_limited

SECONDS = 10
PEAK_MB = 500
CEILING_MB = 2048          # RLIMIT_AS: the interpreter with pandas/pyarrow maps ~1 GB of address space
BY_NAME = {c.name: c for c in CASES}


def _strict_json(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON (RFC 8259)")
    return json.loads(text, parse_constant=refuse)


def _run(name: str, tmp_path: Path):
    outcome = run_case(BY_NAME[name], tmp_path, timeout=SECONDS * 3, mem_mb=CEILING_MB)
    case = outcome.case
    assert not outcome.timed_out, f"{name}: killed after {outcome.seconds:.0f} s"
    assert outcome.seconds < SECONDS, f"{name}: {outcome.seconds:.1f} s"
    assert outcome.peak_mb < PEAK_MB, f"{name}: peak {outcome.peak_mb:.0f} MB"
    assert outcome.code in case.exits, f"{name}: exit {outcome.code}\n{outcome.stderr[-2000:]}"
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr
    if case.stderr:
        assert re.search(case.stderr, outcome.stderr), outcome.stderr[-2000:]
    for line in outcome.stderr.splitlines():
        assert len(line) < 1500, "an error line is capped"
    return outcome


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_case_is_bounded(name: str, tmp_path: Path) -> None:
    _run(name, tmp_path)


# --- what the outputs must not contain ---------------------------------------------------------

def test_xlsx_copy_is_inert(tmp_path: Path) -> None:
    _run("injection-channels", tmp_path)
    with zipfile.ZipFile(tmp_path / "report.xlsx") as zf:
        names = zf.namelist()
        assert not [n for n in names if re.search(r"externalLink|vbaProject|activeX|embeddings|oleObject|"
                                                  r"connections|ctrlProps", n, re.I)], names
        for n in names:
            data = zf.read(n)
            if n.endswith(".xml"):
                assert not re.search(rb"<(\w+:)?f[\s>]", data), f"formula in {n}"
                assert b"<formula" not in data and b"dataValidation " not in data and b"ddeLink" not in data, n
                assert b"cmd|" not in data and b"HYPERLINK(" not in data, n
            if n.endswith(".rels"):
                assert b'TargetMode="External"' not in data, n
        workbook = zf.read("xl/workbook.xml").decode()   # cell ranges, and print titles such as $10:$10
        names_defined = re.findall(r"<definedName [^>]*>([^<]*)</definedName>", workbook)
        assert names_defined and all(re.fullmatch(r"'?[^'|]+'?!(\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?|\$?\d+:\$?\d+)", v)
                                     for v in names_defined), names_defined
        sheet = zf.read("xl/worksheets/sheet2.xml").decode()
        # parsed, not matched as text: with lxml installed openpyxl writes 表 as &#34920;
        import xml.etree.ElementTree as ET
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        locations = [h.get("location") for h in ET.fromstring(sheet).iter(f"{ns}hyperlink")]
        assert "'表1'!A1" in locations, "a link to a cell is kept"
        # the formula cells kept their values
        assert "33.2" in sheet


def test_merge_in_report_is_clipped(tmp_path: Path) -> None:
    _run("merge-in-xlsx-report", tmp_path)
    with zipfile.ZipFile(tmp_path / "report.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml").decode()
    assert re.findall(r'<mergeCell ref="([^"]+)"', sheet) == ["A1:H1"]


def test_nul_inside_a_value_is_an_error_at_the_cell(tmp_path: Path) -> None:
    out = _run("nul-in-value", tmp_path)
    report = _strict_json(out.stdout)
    found = [f for f in report["findings"] if f["rule_id"] == "JN-NONFOSSIL-2025"][0]
    assert found["status"] == "ERROR" and found["location"] == "nul.csv:4:3" and found["observed"] is None


def test_json_is_strict_and_valid_for_a_tiny_gdp(tmp_path: Path) -> None:
    from cbcheck.schemas import validator

    out = _run("zero-gdp", tmp_path)
    report = _strict_json(out.stdout)
    assert not list(validator("report").iter_errors(report))
    intensity = [f for f in report["findings"] if f["rule_id"] == "JN-ENERGY-INTENSITY-2025"][0]
    assert intensity["observed"] is None, intensity
    # an intensity over a GDP too small to divide by is not judged at all: ERROR at the GDP cell
    assert intensity["status"] == "ERROR" and "too small to divide by" in intensity["message"], intensity


def test_text_report_has_no_escape_sequence(tmp_path: Path) -> None:
    out = _run("escape-sequences", tmp_path)
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "\\x1b]0;pwned\\x07" in out.stdout, "shown, escaped"


def test_markdown_report_has_nothing_live(tmp_path: Path) -> None:
    out = _run("markdown-links", tmp_path)
    assert not re.search(r"(?<!\\)\]\(", out.stdout) and not re.search(r"(?<!\\)<img", out.stdout)
    assert not re.search(r"(?i)[a-z]://", out.stdout)
    assert "济宁市示例县" in out.stdout and MD_ENTITY not in out.stdout


def test_unwritable_output_leaves_nothing(tmp_path: Path) -> None:
    _run("output-unwritable", tmp_path)
    assert not list(tmp_path.glob("**/*.tmp"))


# --- the first round's corpus, as one batch under the same ceilings --------------------------------

def test_first_round_corpus_as_one_batch(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for path in BADINPUT.rglob("*"):
        if path.is_file() and path.suffix.lower() in {".xlsx", ".xlsm", ".csv", ".tsv"}:
            (drop / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    n = len(list(drop.iterdir()))
    code, seconds, peak, out, err = run_limited(["check", "drop", "--policy", "jining-carbon-peak", "-q",
                                                 "--format", "json"], tmp_path, timeout=120, mem_mb=CEILING_MB)
    # none of the corpus is a plan's indicator table: every file is refused with one line (exit 3),
    # none is judged (a judged non-compliant file would make it 1)
    assert code == 3, err[-2000:]
    assert seconds < 3 * n and peak < PEAK_MB, (seconds, peak)
    summary = _strict_json(out)
    assert len(summary["files"]) == n
    assert {f["verdict"] for f in summary["files"]} == {"unreadable"}
    assert "Traceback" not in err and "internal error" not in err


# --- Ctrl-C ------------------------------------------------------------------------------------------

def test_ctrl_c_stops_a_batch_with_130_and_no_partial_files(tmp_path: Path) -> None:
    drop, reports = tmp_path / "drop", tmp_path / "reports"
    drop.mkdir()
    for i in range(60):
        (drop / f"县{i:02d}.xlsx").write_bytes(PASS_XLSX.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "cbcheck", "check", "drop", "--policy", "jining-carbon-peak",
                             "--output-dir", "reports", "--output-format", "json,xlsx", "-q"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(reports.glob("*.xlsx"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 130, err.decode()[-2000:]
    assert time.monotonic() - sent < 5
    assert b"interrupted" in err and b"Traceback" not in err
    assert not list(reports.glob(".*tmp")), "no partial files"
    assert len(list(reports.glob("*.json"))) < 60, "the batch stopped"
    for path in reports.glob("*.json"):
        _strict_json(path.read_text(encoding="utf-8"))
