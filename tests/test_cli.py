"""Every command and every exit code, through typer's CliRunner (and once as a process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck import __version__
from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
PASS = "examples/jining-county-pass.xlsx"
FAIL = "examples/jining-county-fail.xlsx"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_version_and_help() -> None:
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"cbcheck {__version__}"
    r = run("--help")
    assert r.exit_code == 0 and "check" in r.stdout and "explain" in r.stdout


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "cbcheck", "--version"], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == f"cbcheck {__version__}"


def test_policies_lists_bundled() -> None:
    r = run("policies")
    assert r.exit_code == 0
    ids = [line.split("\t")[0] for line in r.stdout.splitlines()]
    assert "jining-carbon-peak" in ids


def test_policy_show_text_and_markdown() -> None:
    r = run("policy", "show", "jining-carbon-peak")
    assert r.exit_code == 0 and "二、主要目标" in r.stdout and "JN-NONFOSSIL-2025" in r.stdout
    r = run("policy", "show", "jining-carbon-peak", "--format", "markdown")
    assert r.exit_code == 0 and r.stdout.startswith("# 济宁市碳达峰工作方案") and "| JN-NONFOSSIL-2025 |" in r.stdout


def test_policy_lint_ok() -> None:
    r = run("policy", "lint", "policies/jining-carbon-peak.yaml")
    assert r.exit_code == 0 and r.stdout.strip().endswith(": ok")


def test_policy_lint_reports_field_paths(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema_version: 1\nid: bad\ntitle: t\nregion: r\nstatus: final\nrules:\n"
        "  - {id: B-1, title: t, indicator: no_such_thing, kind: at_least, target: 1, unit: '%',"
        " strength: binding, scope: region, source: {section: s, quote: 达到1%}}\n"
        "  - {id: B-1, title: t, indicator: forest_coverage, kind: at_least, target: 5, unit: 万千瓦,"
        " target_year: 2020, base_year: 2025, strength: binding, scope: region, source: {section: s, quote: qqqq}}\n"
        "  - {id: B-3, title: t, indicator: forest_coverage, kind: at_leest, strength: sometimes, scope: region,"
        " source: {section: s, quote: qqqq}}\n",
        encoding="utf-8")
    r = run("policy", "lint", str(bad))
    assert r.exit_code == 3
    out = r.stdout
    assert f"{bad}::rules.2.kind:" in out          # schema error, with the field path
    assert f"{bad}::rules.2.strength:" in out
    # the schema stops semantic checks; fix the schema errors and lint again
    bad.write_text(bad.read_text(encoding="utf-8").split("  - {id: B-3")[0], encoding="utf-8")
    out = run("policy", "lint", str(bad)).stdout
    assert "unknown indicator 'no_such_thing'" in out
    assert "duplicate rule id 'B-1'" in out
    assert "is not a unit of share" in out
    assert "target year 2020 is not after base year 2025" in out
    assert "warning: 5 does not occur in the quoted sentence" in out


def test_explain_rule_and_kind() -> None:
    r = run("explain", "JN-ENERGY-INTENSITY-2025")
    assert r.exit_code == 0
    assert "单位地区生产总值能源消耗比2020年下降15.6%" in r.stdout and "r = 1 − I_t / I_base" in r.stdout
    r = run("explain", "completed_by")
    assert r.exit_code == 0 and "done late" in r.stdout
    r = run("explain", "NO-SUCH-RULE")
    assert r.exit_code == 2 and "no rule or check kind" in r.stderr


def test_check_exit_0_compliant() -> None:
    r = run("check", PASS, "--policy", "jining-carbon-peak")
    assert r.exit_code == 0, r.output
    assert "Verdict: COMPLIANT" in r.stdout and r.stderr == ""


def test_check_exit_1_noncompliant() -> None:
    r = run("check", FAIL, "--policy", "jining-carbon-peak")
    assert r.exit_code == 1 and "Verdict: NON-COMPLIANT" in r.stdout


def test_strict_makes_warnings_fail() -> None:
    assert run("check", PASS, "--policy", "jining-carbon-peak").exit_code == 0
    assert run("check", PASS, "--policy", "jining-carbon-peak", "--strict").exit_code == 1


@pytest.mark.parametrize("args,needle", [
    (["check", PASS], "no policy given"),
    (["check", PASS, "--policy", "jining-carbon-peak", "--format", "yaml"], "unknown format"),
    (["check", PASS, "--policy", "jining-carbon-peak", "--set", "JN-X"], "is not RULE=VALUE"),
    (["no-such-command"], "no such command"),
])
def test_check_exit_2_usage(args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.exit_code == 2 and needle in r.output


@pytest.mark.parametrize("args,needle", [
    (["check", "examples/does-not-exist.xlsx", "--policy", "jining-carbon-peak"], "file not found"),
    (["check", PASS, "--policy", "no-such-policy"], "no bundled policy with id 'no-such-policy'"),
    (["check", "README.md", "--policy", "jining-carbon-peak"], "unsupported file type .md"),
])
def test_check_exit_3_input(args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.exit_code == 3 and needle in r.stderr
    assert "Traceback" not in r.output and r.stdout == ""


def test_check_exit_3_corrupt_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "报表.xlsx"
    fake.write_bytes("指标名称,2024年\n".encode("utf-8"))
    r = run("check", str(fake), "--policy", "jining-carbon-peak")
    assert r.exit_code == 3 and "not an Excel workbook" in r.stderr and str(fake) in r.stderr


def test_check_exit_4_internal_error_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import cbcheck.engine

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cbcheck.engine, "evaluate", boom)
    r = run("check", PASS, "--policy", "jining-carbon-peak")
    assert r.exit_code == 4 and "internal error: RuntimeError: kaboom" in r.stderr
    assert "Traceback" not in r.output


def test_json_on_stdout_only() -> None:
    r = run("check", FAIL, "--policy", "jining-carbon-peak", "--format", "json")
    data = json.loads(r.stdout)
    assert data["verdict"] == "non-compliant" and r.stderr == ""


def test_output_files_written_and_input_untouched(tmp_path: Path) -> None:
    src = ROOT / PASS
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    out_json, out_md = tmp_path / "r.json", tmp_path / "sub" / "r.md"
    r = run("check", PASS, "--policy", "jining-carbon-peak", "-o", str(out_json), "-o", str(out_md), "-q")
    assert r.exit_code == 0
    assert json.loads(out_json.read_text(encoding="utf-8"))["policy"]["id"] == "jining-carbon-peak"
    assert out_md.read_text(encoding="utf-8").startswith("# 济宁市示例县 2025 — Jining")
    assert not [p for p in tmp_path.rglob(".*.tmp")]
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before


def test_params_file_and_year(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("schema_version: 1\nsource: 山东省下达（示例）\nvalues:\n  JN-CO2-INTENSITY-2025: 18\n",
                      encoding="utf-8")
    r = run("check", PASS, "--policy", "jining-carbon-peak", "--params", str(params), "--format", "json",
            "--year", "2024")
    data = json.loads(r.stdout)
    co2 = next(f for f in data["findings"] if f["rule_id"] == "JN-CO2-INTENSITY-2025")
    assert data["submission"]["year"] == 2024
    assert co2["assigned_by"] == "山东省下达（示例）"
    # 2024 of 2020→2025, assigned 18 %: milestone 1 − 0.82^(4/5) = 1 − e^(0.8·ln 0.82) = 14.68 %;
    # the county's 12.73 % is behind the path → WARN (an interim year never FAILs without --strict-trajectory)
    assert co2["status"] == "WARN"
    assert round(co2["expected"], 2) == 14.68 and round(co2["observed"], 2) == 12.73


def test_params_file_invalid(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("schema_version: 1\nvalues:\n  JN-CO2-INTENSITY-2025: lots\n", encoding="utf-8")
    r = run("check", PASS, "--policy", "jining-carbon-peak", "--params", str(params))
    assert r.exit_code == 3 and "::(top): 'source' is a required property" in r.stderr


def test_no_color_env_gives_plain_text() -> None:
    r = CliRunner().invoke(app, ["check", PASS, "--policy", "jining-carbon-peak"], env={"NO_COLOR": "1"})
    assert "\x1b[" not in r.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = ("import sys; from cbcheck.cli import app\n"
            "try:\n    app(['--help'], prog_name='cbcheck')\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'openpyxl', 'pint', 'jsonschema', 'numpy') if m in sys.modules]\n"
            "print('HEAVY=' + ','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "NO_COLOR": "1"})
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_params_lint(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("schema_version: 1\nsource: 省下达\nvalues:\n  JN-CO2-INTENSITY-2025: {value: 19.5, unit: '%'}\n",
                    encoding="utf-8")
    r = run("params", "lint", str(good), "--policy", "jining-carbon-peak")
    assert r.exit_code == 0 and r.stdout.strip().endswith(": ok")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nsource: 省下达\nvalues:\n  JN-NOPE-1: 3\n  JN-SOLAR-2030: 900\n"
                   "entities:\n  某县:\n    JN-CO2-INTENSITY-2025: {value: 2, unit: 万千瓦}\n", encoding="utf-8")
    r = run("params", "lint", str(bad), "--policy", "jining-carbon-peak")
    assert r.exit_code == 3
    assert "values.JN-NOPE-1: no rule" in r.stdout
    assert "values.JN-SOLAR-2030: rule JN-SOLAR-2030 has its target in the plan" in r.stdout
    assert "entities.某县.JN-CO2-INTENSITY-2025: unit '万千瓦'" in r.stdout


def test_not_applicable_rules_hidden_unless_asked() -> None:
    plain = run("check", PASS, "--policy", "jining-carbon-peak", "--lang", "en").stdout
    assert "do not apply to this submission are not shown" in plain
    assert "JN-CHP-EXTRACTION-UNIT-EXIT-2025" not in plain           # a facility rule on a county file
    full = run("check", PASS, "--policy", "jining-carbon-peak", "--lang", "en", "--show-na").stdout
    assert "JN-CHP-EXTRACTION-UNIT-EXIT-2025" in full and "not shown" not in full
