"""Batch and cron: folders and several files in one process, one summary, worst exit code,
unreadable files reported and skipped, one report per file with safe names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.batch import expand_inputs, output_paths, safe_stem
from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture()
def drop(tmp_path: Path) -> Path:
    """A cron drop folder: a passing file, a failing file, a broken one, and noise."""
    d = tmp_path / "drop"
    d.mkdir()
    shutil.copy(EX / "jining-county-pass.xlsx", d / "a-pass.xlsx")
    shutil.copy(EX / "jining-county-fail.xlsx", d / "b-fail.xlsx")
    (d / "c-broken.xlsx").write_bytes(b"this is not a workbook")
    (d / "~$a-pass.xlsx").write_bytes(b"excel lock file")
    (d / "notes.txt").write_text("not a submission", encoding="utf-8")
    (d / "sub").mkdir()
    shutil.copy(EX / "jining-county-pass.xlsx", d / "sub" / "ignored.xlsx")
    return d


def test_expand_inputs(drop: Path) -> None:
    files, batch = expand_inputs([drop])
    assert [p.name for p in files] == ["a-pass.xlsx", "b-fail.xlsx", "c-broken.xlsx"] and batch
    files, batch = expand_inputs([drop / "a-pass.xlsx"])
    assert len(files) == 1 and not batch


def test_folder_summary_and_worst_exit(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak")
    assert r.exit_code == 1, r.output                       # non-compliant outranks unreadable
    out = r.stdout
    assert out.count("Verdict: ") == 4                      # top and bottom of both readable reports, then the table
    summary = out[out.rindex("Summary\n"):]
    assert "a-pass.xlsx" in summary and "compliant (0)" in summary
    assert "b-fail.xlsx" in summary and "non-compliant (1)" in summary
    assert "c-broken.xlsx" in summary and "unreadable (3)" in summary
    assert "3 files:" in summary
    assert "c-broken.xlsx" in r.stderr and "not an Excel workbook" in r.stderr
    assert "a-pass.xlsx" not in r.stderr


@pytest.mark.parametrize("names,code", [
    (["a-pass.xlsx"], 0),
    (["a-pass.xlsx", "c-broken.xlsx"], 3),
    (["c-broken.xlsx", "b-fail.xlsx"], 1),
    (["a-pass.xlsx", "b-fail.xlsx"], 1),
])
def test_exit_code_is_the_worst(drop: Path, names: list[str], code: int) -> None:
    r = run("check", *[str(drop / n) for n in names], "--policy", "jining-carbon-peak", "-q")
    assert r.exit_code == code, r.output


def test_quiet_is_summary_only(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "--quiet")
    assert "Verdict:" not in r.stdout and r.stdout.startswith("Summary")


def test_json_batch_is_one_document(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "--format", "json")
    data = json.loads(r.stdout)
    assert data["exit"] == 1 == r.exit_code
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["a-pass.xlsx"]["verdict"] == "compliant" and by_name["a-pass.xlsx"]["report"]["findings"]
    assert by_name["c-broken.xlsx"]["verdict"] == "unreadable" and by_name["c-broken.xlsx"]["exit"] == 3
    assert "not an Excel workbook" in by_name["c-broken.xlsx"]["error"]
    quiet = json.loads(run("check", str(drop), "-p", "jining-carbon-peak", "-f", "json", "-q").stdout)
    assert "report" not in quiet["files"][0]


def test_output_dir_one_report_per_file(drop: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "--output-dir", str(out),
            "--output-format", "json", "--output-format", "md")
    assert r.exit_code == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["a-pass.cbcheck.json", "a-pass.cbcheck.md", "b-fail.cbcheck.json", "b-fail.cbcheck.md",
                     "index.html", "汇总表.xlsx"]                       # the index of the folder
    assert json.loads((out / "b-fail.cbcheck.json").read_text(encoding="utf-8"))["verdict"] == "non-compliant"
    assert "Verdict:" not in r.stdout and "Summary" in r.stdout    # stdout: the summary only


def test_html_batch_needs_output_dir(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "--format", "html")
    assert r.exit_code == 2 and "--output-dir" in r.stderr and r.stdout == ""


def test_empty_folder(tmp_path: Path) -> None:
    r = run("check", str(tmp_path), "--policy", "jining-carbon-peak", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["files"] == [] and "no submission files" in r.stderr


def test_bad_policy_stops_before_any_file(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "no-such-policy")
    assert r.exit_code == 3 and r.stdout == ""


def test_no_progress_bar_or_colour_when_piped(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "-q")
    assert "\x1b[" not in r.stdout and "\x1b[" not in r.stderr and "━" not in r.stderr


@pytest.mark.parametrize("name,stem", [
    ("报表.xlsx", "报表"), ("../../etc/passwd", "passwd"), ("..\\..\\win.xlsx", "win"), (".hidden.csv", "hidden"),
    ("a:b*c?.xlsx", "a_b_c"), ("CON.xlsx", "_CON"), ("...", "submission"), ("x" * 300 + ".csv", "x" * 80),
])
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(Path(name)) == stem


def test_output_names_collide_safely(tmp_path: Path) -> None:
    inputs = [Path("x/a.xlsx"), Path("y/a.xlsx"), Path("a.csv"), Path("A.xlsx")]
    names = [p.name for p in output_paths(inputs, tmp_path, ".html").values()]
    assert names == ["a.cbcheck.html", "a-2.cbcheck.html", "a-3.cbcheck.html", "A-4.cbcheck.html"]
    assert all(p.parent == tmp_path for p in output_paths(inputs, tmp_path, ".html").values())


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    victim = tmp_path / "a.cbcheck.xlsx"
    victim.write_bytes(b"input")
    paths = output_paths([victim, tmp_path / "a.xlsx"], tmp_path, ".xlsx")
    assert victim not in paths.values()


def test_output_never_replaces_a_submission(drop: Path) -> None:
    src = drop / "a-pass.xlsx"
    before = src.read_bytes()
    r = run("check", str(src), "--policy", "jining-carbon-peak", "-o", str(src))
    assert r.exit_code == 2 and "would be overwritten" in r.stderr and src.read_bytes() == before


def test_reports_in_the_drop_folder_are_not_checked_again(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "--output-dir", str(drop),
            "--output-format", "html,xlsx", "-q")
    assert r.exit_code == 1
    written = sorted(p.name for p in drop.glob("*.cbcheck.*"))
    assert written == ["a-pass.cbcheck.html", "a-pass.cbcheck.xlsx", "b-fail.cbcheck.html", "b-fail.cbcheck.xlsx"]
    again = run("check", str(drop), "--policy", "jining-carbon-peak", "-f", "json", "-q")
    assert [Path(f["path"]).name for f in json.loads(again.stdout)["files"]] == \
        ["a-pass.xlsx", "b-fail.xlsx", "c-broken.xlsx"]
    assert r.stdout.startswith("Summary")                                  # html/xlsx go to files, text summary out


def test_output_dir_writes_an_index_failures_first(drop: Path, tmp_path: Path) -> None:
    """index.html and 汇总表.xlsx: one row per file, non-compliant first, links to each report; a
    second run over the same folder does not take the index for a submission."""
    out = tmp_path / "reports"
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "--output-dir", str(out),
            "--output-format", "html,xlsx", "--lang", "zh")
    assert r.exit_code == 1
    page = (out / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="v-([a-z-]+)">', page)
    assert rows == sorted(rows, key=["non-compliant", "unreadable", "incomplete", "compliant"].index)
    assert rows[0] == "non-compliant" and 'href="b-fail.cbcheck.html"' in page and 'href="b-fail.cbcheck.xlsx"' in page
    assert "未达标 · JN-ENERGY-INTENSITY-2025 · 还差 10.87 个百分点" in page   # 15.6 − 4.729
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    ws = wb.active
    assert ws.title == "汇总表" and ws["A4"].value == "b-fail.xlsx" and ws["C4"].value.startswith("不合规 — ")
    # the drop folder as the output folder: the index is not read back as a submission
    again = run("check", str(drop), "--policy", "jining-carbon-peak", "--output-dir", str(drop), "-q")
    again2 = run("check", str(drop), "--policy", "jining-carbon-peak", "-q")
    assert "汇总表" not in again2.stdout and again.exit_code == again2.exit_code


def test_terminal_summary_failures_first(drop: Path) -> None:
    r = run("check", str(drop), "--policy", "jining-carbon-peak", "-q", "--lang", "en")
    body = r.stdout
    assert body.index("non-compliant (1)") < body.index("compliant (0)")
