"""A plan's 已建成 (existing, built) facilities are the built ones whatever state they are in: an oven a
plant lists as 在产 or 停产 is built. A bundled rule that selects ``status in [已建成]`` alone left every
operating oven outside it (NOT_APPLICABLE, the file 合规) — the table says 在产, not 已建成."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cbcheck.facilities import facility_catalogue

POLICIES = sorted((Path(__file__).resolve().parents[2] / "policies").glob("*.yaml"))
BUILT = {"已建成", "在产", "停产"}


def _status_conditions():
    for path in POLICIES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in data.get("rules") or [] if isinstance(data, dict) else []:
            for cond in ((rule.get("applies_to") or {}).get("where") or []):
                if cond.get("attribute") == "status" and "in" in cond:
                    yield f"{path.stem}:{rule['id']}", cond["in"]


@pytest.mark.parametrize(("rule", "wanted"), list(_status_conditions()))
def test_built_means_every_built_state(rule: str, wanted: list[str]) -> None:
    if "已建成" in wanted:
        assert BUILT <= set(wanted), f"{rule}: 已建成 without {sorted(BUILT - set(wanted))}"


@pytest.mark.parametrize(("written", "plan_word"), [
    ("正常生产", "在产"), ("运行", "在产"), ("在运", "在产"), ("生产中", "在产"),
    ("已投产", "已建成"), ("建成", "已建成"), ("建设中", "在建"),
    ("停产", "停产"), ("已关停", "已关停"), ("拟建", "拟建"),
])
def test_status_words_as_plants_write_them(written: str, plan_word: str) -> None:
    fc = facility_catalogue()
    assert fc.category_key("status", written) == fc.category_key("status", plan_word)


def test_closed_and_stopped_stay_apart() -> None:
    """停产 (stopped, may restart) is not 关停 (closed for good), nor is either 在产."""
    fc = facility_catalogue()
    keys = {fc.category_key("status", w) for w in ("停产", "已关停", "在产", "在建", "拟建", "已建成")}
    assert len(keys) == 6
