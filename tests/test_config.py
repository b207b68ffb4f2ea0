"""cbcheck.toml: found upward from the working directory or named by CBCHECK_CONFIG; flags win."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.config import find_config, load_config

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A county office folder with a config at its top and the work in a subfolder."""
    top = tmp_path / "office"
    (top / "2025").mkdir(parents=True)
    shutil.copy(EX / "jining-county-pass.xlsx", top / "2025" / "county.xlsx")
    (top / "targets.yaml").write_text("schema_version: 1\nsource: 市级分解方案\nvalues:\n"
                                      "  JN-CO2-INTENSITY-2025: 16\n", encoding="utf-8")
    (top / "cbcheck.toml").write_text('policy = "jining-carbon-peak"\nparams = "targets.yaml"\nformat = "json"\n'
                                      'lang = "zh"\n', encoding="utf-8")
    monkeypatch.chdir(top / "2025")
    return top


def run(*args: str, **kw):
    return CliRunner().invoke(app, list(args), **kw)


def test_found_upward_and_paths_relative_to_it(project: Path) -> None:
    assert find_config(Path.cwd()) == (project / "cbcheck.toml").resolve()
    cfg = load_config(env={})
    assert cfg.get("params") == str(project / "targets.yaml") and cfg.policy() == "jining-carbon-peak"
    r = run("check", "county.xlsx")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)                                   # format = "json" from the config
    co2 = next(f for f in data["findings"] if f["rule_id"] == "JN-CO2-INTENSITY-2025")
    assert co2["assigned_by"] == "市级分解方案"                    # params from the config


def test_flags_override_config(project: Path) -> None:
    r = run("check", "county.xlsx", "--format", "text", "--lang", "en")
    assert r.stdout.startswith("济宁市示例县 2025 — Jining") and "Verdict: COMPLIANT" in r.stdout
    r = run("check", "county.xlsx", "--format", "text")
    assert "结论：合规" in r.stdout                                # lang = "zh" from the config
    r = run("check", "county.xlsx", "--policy", "no-such-policy")
    assert r.exit_code == 3 and "no-such-policy" in r.stderr


def test_strict_in_config_and_no_strict_flag(project: Path) -> None:
    (project / "cbcheck.toml").write_text('policy = "jining-carbon-peak"\nstrict = true\n', encoding="utf-8")
    assert run("check", "county.xlsx", "--set", "JN-CO2-INTENSITY-2025=16").exit_code == 1
    assert run("check", "county.xlsx", "--set", "JN-CO2-INTENSITY-2025=16", "--no-strict").exit_code == 0


def test_env_var_names_the_file(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('policy = "no-such-policy"\n', encoding="utf-8")
    r = run("check", "county.xlsx", env={"CBCHECK_CONFIG": str(other)})
    assert r.exit_code == 3 and "no-such-policy" in r.stderr
    r = run("check", "county.xlsx", env={"CBCHECK_CONFIG": str(tmp_path / "missing.toml")})
    assert r.exit_code == 2 and "config file not found" in r.stderr


@pytest.mark.parametrize("text,needle", [
    ('polcy = "x"\n', "unknown key 'polcy' — did you mean 'policy'?"),
    ("strict = 1\n", "strict must be true or false"),
    ('output_formats = "html"\n', "output_formats must be a list of strings"),
    ("policy = \n", "invalid TOML"),
])
def test_config_mistakes_are_usage_errors(project: Path, text: str, needle: str) -> None:
    (project / "cbcheck.toml").write_text(text, encoding="utf-8")
    r = run("check", "county.xlsx")
    assert r.exit_code == 2 and needle in r.stderr and "cbcheck.toml" in r.stderr


def test_search_stops_at_a_repository_root(tmp_path: Path) -> None:
    (tmp_path / "cbcheck.toml").write_text('policy = "x"\n', encoding="utf-8")
    repo = tmp_path / "repo" / "sub"
    repo.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert find_config(repo) is None
    assert find_config(tmp_path / "repo" / "..") == tmp_path / "cbcheck.toml"


def test_output_dir_and_formats_from_config(project: Path) -> None:
    (project / "cbcheck.toml").write_text('policy = "jining-carbon-peak"\noutput_dir = "reports"\n'
                                          'output_formats = ["json", "markdown"]\n', encoding="utf-8")
    r = run("check", "county.xlsx", "-q")
    assert r.exit_code == 0
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["county.cbcheck.json", "county.cbcheck.md"]
