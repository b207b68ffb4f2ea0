"""``--scope county|enterprise`` on check (one file, a folder) and ``scope`` in cbcheck.toml: whose
submission the files are, over what each file says (cbcheck.reader.scope)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

CASES = Path(__file__).parent / "cases"
ENTERPRISE = CASES / "scope-enterprise-sheet"      # a coking plant's indicator sheet, no facility table
COUNTY = CASES / "scope-county-office"             # a county 发改局's table


def run(*args: str, **kw):
    return CliRunner().invoke(app, list(args), **kw)


def _json(case: Path, *extra: str) -> tuple[int, dict]:
    r = run("check", str(case / "submission.csv"), "--policy", str(case / "policy.yaml"), "--format", "json",
            "--year", "2025", *extra)
    return r.exit_code, json.loads(r.stdout)


def _status(data: dict, rule: str) -> str:
    return next(f["status"] for f in data["findings"] if f["rule_id"] == rule)


def test_an_enterprise_sheet_is_judged_as_an_enterprise_s() -> None:
    code, data = _json(ENTERPRISE)
    assert data["submission"]["scope"] == "enterprise" and code == 1          # 112 > 110 kgce/t
    assert _status(data, "T-COKE-ENERGY") == "FAIL" and _status(data, "T-REGION-NONFOSSIL") == "NOT_APPLICABLE"
    note = next(n for n in data["reading"] if n["key"] == "read.scope_enterprise")
    assert "某某焦化有限公司" in note["message"] and "--scope county" in note["message"]


@pytest.mark.parametrize("case,scope,judged,not_applicable", [
    (ENTERPRISE, "county", "T-REGION-NONFOSSIL", "T-COKE-ENERGY"),
    (COUNTY, "enterprise", "T-ENT-ENERGY-AUDIT", "T-REGION-NONFOSSIL"),
])
def test_scope_overrides_both_ways(case: Path, scope: str, judged: str, not_applicable: str) -> None:
    _, data = _json(case, "--scope", scope)
    assert data["submission"]["scope"] == scope
    assert _status(data, judged) != "NOT_APPLICABLE" and _status(data, not_applicable) == "NOT_APPLICABLE"
    assert any(n["key"] == "read.scope_chosen_against" for n in data["reading"])


def test_an_unknown_scope_is_a_usage_error_before_reading() -> None:
    r = run("check", str(ENTERPRISE / "submission.csv"), "--policy", str(ENTERPRISE / "policy.yaml"),
            "--scope", "firm", "--lang", "zh")
    assert r.exit_code == 2 and "未知的 --scope “firm”" in r.stderr and "enterprise" in r.stderr


def test_scope_applies_to_every_file_of_a_folder(tmp_path: Path) -> None:
    for case in (ENTERPRISE, COUNTY):
        shutil.copy(case / "submission.csv", tmp_path / f"{case.name}.csv")
    r = run("check", str(tmp_path), "--policy", str(COUNTY / "policy.yaml"), "--year", "2025", "--format", "json",
            "--scope", "county")
    files = json.loads(r.stdout)["files"]
    assert len(files) == 2 and {f["report"]["submission"]["scope"] for f in files} == {"county"}


def test_set_declarations_are_used_on_an_enterprise_sheet() -> None:
    """--set 重点用能单位=是 on an enterprise's sheet is not 'unused' as it is on a county's."""
    r = run("check", str(ENTERPRISE / "submission.csv"), "--policy", str(ENTERPRISE / "policy.yaml"),
            "--year", "2025", "--set", "重点用能单位=是", "--lang", "en")
    assert "not used" not in r.stderr
    r = run("check", str(COUNTY / "submission.csv"), "--policy", str(COUNTY / "policy.yaml"),
            "--year", "2025", "--set", "重点用能单位=是", "--lang", "en")
    assert "not used" in r.stderr


@pytest.fixture()
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(COUNTY / "submission.csv", tmp_path / "county.csv")
    shutil.copy(COUNTY / "policy.yaml", tmp_path / "policy.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_scope_in_config_and_the_flag_over_it(office: Path) -> None:
    (office / "cbcheck.toml").write_text('policy = "policy.yaml"\nscope = "enterprise"\nformat = "json"\n',
                                         encoding="utf-8")
    r = run("check", "county.csv", "--year", "2025")
    assert json.loads(r.stdout)["submission"]["scope"] == "enterprise"
    r = run("check", "county.csv", "--year", "2025", "--scope", "county")
    assert json.loads(r.stdout)["submission"]["scope"] == "county"


@pytest.mark.parametrize("text,needle", [
    ('scope = "firm"\n', "scope must be one of county, enterprise, not 'firm'"),
    ("scope = 1\n", "scope must be"),
])
def test_scope_mistakes_in_config_are_usage_errors(office: Path, text: str, needle: str) -> None:
    (office / "cbcheck.toml").write_text(text, encoding="utf-8")
    r = run("check", "county.csv", "--policy", "policy.yaml", "--lang", "en")
    assert r.exit_code == 2 and needle in r.stderr and "cbcheck.toml" in r.stderr
