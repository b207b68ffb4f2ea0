"""The 差距 column of the action list for facility rules (HTML, xlsx and text share the view):
how many facilities fail and the worst one's distance from the limit, by hand from the example
power plant (examples/enterprise/yuncheng-power-plant.xlsx): 供电煤耗 ≤ 300 克标准煤/千瓦时 with
2号机组 303.2 and 5号机组 352.0 failing, so 2 fail and the worst is 352.0 − 300 = 52 over."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbcheck.engine import evaluate
from cbcheck.i18n import Messages
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.render.view import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    policy, cat = load_policy(ROOT / "policies" / "yuncheng-energy-saving-14fyp.yaml")
    submission = read_submission(ROOT / "examples" / "enterprise" / "yuncheng-power-plant.xlsx", cat)
    return evaluate(policy, cat, submission), cat


@pytest.mark.parametrize(("lang", "rule", "gap"), [
    ("zh", "YC-CHP-SUPPLY-COAL-300", "2 个燃煤发电机组不达标，最大超出 52 克标准煤/千瓦时"),
    ("en", "YC-CHP-SUPPLY-COAL-300", "2 not compliant (coal-fired power unit), the worst over by 52 克标准煤/千瓦时"),
    # a deadline has no distance: the count alone
    ("zh", "YC-COAL-UNIT-300MW-RETROFIT", "1 个燃煤发电机组不达标"),
])
def test_facility_rule_gap(report, lang: str, rule: str, gap: str) -> None:  # type: ignore[no-untyped-def]
    rep, cat = report
    view = build(rep, Messages(lang), cat)
    assert {r.rule_id: r.gap for r in view.actions}[rule] == gap
