"""cbcheck explain RULE: the arithmetic the check will do, with the rule's own numbers."""

from __future__ import annotations

from typer.testing import CliRunner

from cbcheck.cli import app


def explain(rule: str) -> str:
    r = CliRunner().invoke(app, ["explain", rule])
    assert r.exit_code == 0, r.output
    return r.stdout


def test_reduction_shows_formula_and_compound_milestones() -> None:
    out = explain("JN-ENERGY-INTENSITY-2025")
    assert "r = 1 − I_2025 / I_2020 ≥ 15.6%" in out
    assert "2023 9.676%" in out and "2025 15.6%" in out          # DOMAIN.md: the 2023 milestone is about 9.7 %


def test_approximate_level_shows_its_tolerance() -> None:
    out = explain("JN-NONFOSSIL-2025")
    assert "value ≥ 13% in 2025" in out and "from 12.35%" in out
    assert out.index("Arithmetic for this rule:") < out.index("How it is judged")
