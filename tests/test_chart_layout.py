"""The HTML charts' labels do not collide (issue 20): the first year's label and the first
point's value label clear the y-axis tick labels, and no label runs off the right edge. Text
widths are estimated from the template's font sizes (10px axis labels, 9px value labels; a digit
is at most 0.6 em wide in the sans-serif fonts a browser picks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbcheck.batch import Checker, CheckSettings
from cbcheck.checks.base import fmt
from cbcheck.policy import catalogue
from cbcheck.render.chart import LEFT, WIDTH, build
from cbcheck.render.common import rules_by_id

ROOT = Path(__file__).resolve().parents[1]
DIGIT = 0.6


def _charts():  # noqa: ANN202
    report = Checker(CheckSettings(policy="jining-carbon-peak",
                                   params=ROOT / "examples" / "jining-params.yaml")).check(
        ROOT / "examples" / "jining-county-fail.xlsx").report
    rules, cat = rules_by_id(report.policy), catalogue()
    charts = [build(f, rules[f.rule_id], report.submission, cat, 2020) for f in report.findings if f.rule_id in rules]
    return [c for c in charts if c is not None]


CHARTS = _charts()


def test_there_are_charts_to_look_at() -> None:
    assert len(CHARTS) >= 8


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: f"{c.unit}-{len(c.values)}")
def test_labels_clear_the_y_axis_and_the_edges(chart) -> None:  # noqa: ANN001
    y_labels_end = chart.left - 4                                     # text-anchor end at left − 4
    for x, label in chart.xticks:
        half = len(label) * 10 * DIGIT / 2
        assert x - half > y_labels_end + 1, f"year label {label} at {x:.1f} touches the y-axis labels"
        assert x + half < WIDTH
    for p in chart.values:
        half = len(fmt(p.value)) * 9 * DIGIT / 2
        assert p.x - half > y_labels_end + 1, f"value label {fmt(p.value)} at {p.x:.1f} touches the y-axis labels"
        assert p.x + half < WIDTH, f"value label {fmt(p.value)} at {p.x:.1f} runs off the right edge"
    assert all(LEFT < p.x < WIDTH - 14 for p in (*chart.values, *chart.path))
