"""Facility reports at scale: passing facilities are counted, not listed, unless asked
(--all-facilities); the JSON report is streamed piece by piece and is what
json.dumps(indent=2) of the same report would be, except that each facility entry is one line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.engine import evaluate
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.render import RenderOptions, jsonfmt

ROOT = Path(__file__).resolve().parents[1]
PLANT = ROOT / "examples" / "enterprise" / "yuncheng-coking-plant.xlsx"


def _json(*extra: str) -> dict:
    r = CliRunner().invoke(app, ["check", str(PLANT), "--policy", "yuncheng-energy-saving-14fyp", "--format", "json",
                                 *extra], catch_exceptions=False)
    return json.loads(r.stdout)


def test_passing_facilities_are_counted_not_listed_by_default() -> None:
    default, everything = _json(), _json("--all-facilities")
    listed_somewhere = False
    for short, full in zip(default["findings"], everything["findings"], strict=True):
        if full["facilities"] is None:
            assert short["facilities"] is None
            continue
        counts = full["facilities"]["counts"]
        assert short["facilities"]["counts"] == counts
        assert len(full["facilities"]["entries"]) == sum(counts.values())
        passing = counts["PASS"] + counts["NOT_DUE"]
        assert len(short["facilities"]["entries"]) == sum(counts.values()) - passing
        assert all(e["status"] not in {"PASS", "NOT_DUE"} for e in short["facilities"]["entries"])
        assert short["facilities"]["entries"] == [e for e in full["facilities"]["entries"]
                                                  if e["status"] not in {"PASS", "NOT_DUE"}]
        listed_somewhere |= passing > 0
    assert listed_somewhere, "the example must have passing facilities for this test to mean anything"


def test_streamed_json_is_json_dumps_of_the_report() -> None:
    policy, cat = load_policy("yuncheng-energy-saving-14fyp")
    report = evaluate(policy, cat, read_submission(PLANT, cat))
    for all_facilities in (False, True):
        opts = RenderOptions(all_facilities=all_facilities)
        pieces = list(jsonfmt.stream(report, opts))
        assert len(pieces) > 3                          # entries come as separate pieces
        text = "".join(pieces)
        assert text == jsonfmt.render(report, opts)
        assert json.loads(text) == jsonfmt.as_dict(report, all_facilities)
        want = json.dumps(jsonfmt.as_dict(report, all_facilities), ensure_ascii=False, indent=2) + "\n"
        entries = [e for f in json.loads(text)["findings"] if f["facilities"] for e in f["facilities"]["entries"]]
        assert entries, "the example must list facilities for this test to mean anything"
        # the same layout as json.dumps(indent=2) once every entry is folded onto one line
        assert text == _fold_entries(want)
        lines = text.splitlines()
        for e in entries:      # each entry is one line of its own
            line = json.dumps(e, ensure_ascii=False, separators=(", ", ": "))
            assert any(ln.strip().rstrip(",") == line for ln in lines), line


def _fold_entries(text: str) -> str:
    """json.dumps(indent=2) text with each object inside an "entries" list put on one line."""
    out, i, lines = [], 0, text.split("\n")
    while i < len(lines):
        out.append(lines[i])
        if lines[i].rstrip().endswith('"entries": ['):
            i += 1
            while lines[i].strip() != "]":
                start, obj = lines[i], []
                i += 1
                while not lines[i].strip().startswith("}"):
                    obj.append(lines[i].strip())
                    i += 1
                close = lines[i].strip()          # "}" or "},"
                out.append(start + ", ".join(obj).replace(",, ", ", ") + close)
                i += 1
            out.append(lines[i])
        i += 1
    return "\n".join(out)


def test_first_entry_is_the_first_of_the_listing() -> None:
    """The finding's location comes from first_entry(), which does not sort every facility: it
    must be the listing's first row on every facility rule of the examples and cases."""
    import yaml

    inputs = [(ROOT / "examples" / "enterprise" / e["file"], e["policy"], None)
              for e in yaml.safe_load((ROOT / "examples" / "enterprise" / "examples.yaml").read_text(encoding="utf-8"))]
    for case in ("facility-rules", "kinds-facility-scope", "facility-aggregate"):
        folder = ROOT / "tests" / "cases" / case
        spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        inputs.append((folder / spec["submission"], str(folder / "policy.yaml"), spec.get("args", {}).get("year")))
    checked = 0
    for path, ref, year in inputs:
        policy, cat = load_policy(ref)
        report = evaluate(policy, cat, read_submission(path, cat), year=year)
        for f in report.findings:
            result = (f.details or {}).get("facilities")
            if result is not None:
                assert result.first_entry() == next(result.entries(include_pass=False), None), (path, f.rule_id)
                checked += 1
    assert checked >= 15
