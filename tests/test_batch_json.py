"""The batch JSON (several files, ``--format json``) is streamed: each file's report, and each
report's facility entries a block at a time, written as they are put together. The text must be
what ``json.dumps(..., indent=2)`` gave for the whole batch built as dicts (the format before it
was streamed), on stdout and in ``--output`` alike, with the exit codes of the files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck import __version__, facility_results
from cbcheck.batch import CheckSettings, Checker, expand_inputs
from cbcheck.cli import app
from cbcheck.exitcodes import worst
from cbcheck.render import RenderOptions
from cbcheck.render.jsonfmt import as_dict
from cbcheck.render.summary import batch_pieces, render_batch
from cbcheck.schemas import validator

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "cases" / "facility-rules"


@pytest.fixture()
def drop(tmp_path: Path) -> Path:
    """Two facility tables (one with a name that needs escaping and a NUL in a cell), one file that
    cannot be read, one that is not a workbook."""
    d = tmp_path / "drop"
    d.mkdir()
    text = (CASE / "submission.csv").read_text(encoding="utf-8")
    shutil.copy(CASE / "submission.csv", d / "a-units.csv")
    (d / "b-quoted.csv").write_text(text.replace("2号机组", 'say "2号"\\机组').replace("2号熟料线", "2号\x00熟料线"),
                                    encoding="utf-8")
    (d / "c-empty.csv").write_text("", encoding="utf-8")
    (d / "d-broken.xlsx").write_bytes(b"this is not a workbook")
    return d


def _by_dicts(drop: Path, include_reports: bool) -> tuple[str, list]:
    """The batch as one dict through json.dumps(indent=2), entries as dicts: the text before it
    was streamed."""
    checker = Checker(CheckSettings(policy=str(CASE / "policy.yaml"), year=2025))
    results = [r for p in expand_inputs([drop])[0] for r in checker.file_results(p)]
    data = {"format_version": 1, "cbcheck_version": __version__, "exit": worst([r.exit_code for r in results]),
            "files": [{"path": str(r.path), "sheet": None, "entity": r.report.submission.entity if r.report else None,
                       "policy": r.report.policy.id if r.report else None, "verdict": r.verdict,
                       "year": r.report.year if r.report else None,
                       "exit": r.exit_code, "summary": r.report.counts() if r.report else None,
                       "error": None if r.error is None else str(r.error), "not_checked": None,
                       **({"report": as_dict(r.report) if r.report else None} if include_reports else {})}
                      for r in results]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n", results


@pytest.mark.parametrize("block", [1, 3, 16384])
@pytest.mark.parametrize("include_reports", [True, False])
def test_streamed_batch_is_the_indented_dump(drop: Path, monkeypatch: pytest.MonkeyPatch, block: int,
                                             include_reports: bool) -> None:
    monkeypatch.setattr(facility_results, "BLOCK", block)
    want, results = _by_dicts(drop, include_reports)
    pieces = [p if isinstance(p, str) else str(p, "utf-8")
              for p in batch_pieces("json", results, RenderOptions(), include_reports=include_reports)]
    assert "".join(pieces) == want == render_batch("json", results, RenderOptions(), include_reports=include_reports)
    data = json.loads(want)
    assert [f["exit"] for f in data["files"]] == [1, 1, 3, 3] and data["exit"] == 1
    if include_reports:
        listings = [x["facilities"]["entries"] for f in data["files"][:2] for x in f["report"]["findings"]
                    if x["facilities"]]
        entries = [e for listing in listings for e in listing]
        assert {'say "2号"\\机组', "2号\x00熟料线"} <= {e["facility"] for e in entries}
        # a block of entries a piece: a listing is never held whole
        assert max(p.count('"facility": ') for p in pieces) == min(block, max(map(len, listings)))
        assert sum(p.count('"facility": ') for p in pieces) == len(entries) == 18
        for f in data["files"][:2]:
            assert not list(validator("report").iter_errors(f["report"]))


def test_cli_batch_json_stdout_and_output(drop: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "batch.json"
    r = CliRunner().invoke(app, ["check", str(drop), "-p", str(CASE / "policy.yaml"), "--year", "2025",
                                 "-f", "json", "--output", str(target)])
    assert r.exit_code == 1, r.output                      # non-compliant outranks unreadable
    want, _ = _by_dicts(drop, True)
    assert r.stdout == want
    assert target.read_text(encoding="utf-8") == want
    assert not [p for p in target.parent.iterdir() if p.name != "batch.json"]     # no temporary file left


def test_cli_batch_json_unreadable_only(drop: Path) -> None:
    for name in ("a-units.csv", "b-quoted.csv"):
        (drop / name).unlink()
    r = CliRunner().invoke(app, ["check", str(drop), "-p", str(CASE / "policy.yaml"), "-f", "json"])
    data = json.loads(r.stdout)
    assert r.exit_code == 3 == data["exit"]
    assert [f["verdict"] for f in data["files"]] == ["unreadable", "unreadable"]
    assert all("report" in f and f["report"] is None and f["error"] for f in data["files"])
