"""A form is read back with the scope it was made for: ``cbcheck template`` writes a 报送类别
row (reader/scope.py reads it) and takes ``scope`` from cbcheck.toml as ``check`` does."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission


def _template(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    out = tmp_path / "填报表.xlsx"
    r = CliRunner().invoke(app, ["template", "-p", "yuncheng-energy-saving-14fyp", "--years", "2024,2025",
                                 "-o", str(out), *args], env=env)
    assert r.exit_code == 0, r.output
    return out


def _meta(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 30) if ws.cell(r, 1).value}


def _fill(path: Path, entity: str) -> Path:
    """A unit's name, a year's answer to one row, as the enterprise would fill it."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    labels = {ws.cell(r, 1).value: r for r in range(1, 30)}
    ws.cell(labels["填报单位："], 2).value = entity
    header = next(r for r in range(1, 40) if ws.cell(r, 2).value == "指标名称")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    first = header + 1
    ws.cell(first, cols["2025年"]).value = "是"
    out = path.with_name("已填报.xlsx")
    wb.save(out)
    return out


@pytest.mark.parametrize(("scope", "written"), [("enterprise", "企业"), ("county", "县（市、区）")])
def test_the_form_says_whose_it_is(tmp_path: Path, scope: str, written: str) -> None:
    meta = _meta(_template(tmp_path, "--scope", scope))
    assert meta["报送类别："] == written
    assert meta["政策编号："] == "yuncheng-energy-saving-14fyp"


def test_scope_comes_from_cbcheck_toml(tmp_path: Path) -> None:
    config = tmp_path / "cbcheck.toml"
    config.write_text('scope = "enterprise"\n', encoding="utf-8")
    meta = _meta(_template(tmp_path, env={"CBCHECK_CONFIG": str(config)}))
    assert meta["报送类别："] == "企业"
    assert "是否重点用能单位：" in meta       # the enterprise form's declarations, not the county's form


def test_the_flag_wins_over_cbcheck_toml(tmp_path: Path) -> None:
    config = tmp_path / "cbcheck.toml"
    config.write_text('scope = "enterprise"\n', encoding="utf-8")
    meta = _meta(_template(tmp_path, "--scope", "county", env={"CBCHECK_CONFIG": str(config)}))
    assert meta["报送类别："] == "县（市、区）"


@pytest.mark.parametrize("entity", ["XX能源站", "新华", "XX焦化有限公司"])
def test_an_enterprise_form_filled_in_is_read_as_an_enterprise_s(tmp_path: Path, entity: str) -> None:
    """Whatever the name says (an 能源站, a bare name that says nothing), the form says 企业."""
    filled = _fill(_template(tmp_path, "--scope", "enterprise"), entity)
    _, cat = load_policy("yuncheng-energy-saving-14fyp")
    sub = read_submission(filled, cat)
    assert sub.scope == "enterprise", [str(n) for n in sub.notes]
    assert sub.meta.get("submitter") == "企业"
