"""Golden reports: every example in examples/examples.yaml, as text and JSON, through the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.schemas import validator

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = [ROOT / "examples" / "examples.yaml", ROOT / "examples" / "enterprise" / "examples.yaml"]
EXAMPLES = [{**entry, "dir": manifest.parent.relative_to(ROOT).as_posix()}
            for manifest in MANIFESTS
            for entry in yaml.safe_load(manifest.read_text(encoding="utf-8"))]
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


def _run(example: dict, fmt: str) -> tuple[int, str]:
    args = ["check", f"{example['dir']}/{example['file']}", "--policy", example["policy"], "--format", fmt,
            *example["args"]]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("fmt,suffix", [("text", "txt"), ("json", "json"), ("markdown", "md")])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["file"])
def test_golden_report(example: dict, fmt: str, suffix: str) -> None:
    code, out = _run(example, fmt)
    assert code == example["exit"], out
    golden = ROOT / example["dir"] / "expected" / f"{example['file']}.{suffix}"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8"), f"report differs from {golden}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["file"])
def test_json_report_matches_published_schema(example: dict) -> None:
    _, out = _run(example, "json")
    data = json.loads(out)
    errors = list(validator("report").iter_errors(data))
    assert errors == []
    assert sum(data["summary"].values()) == len(data["findings"])
