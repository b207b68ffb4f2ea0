"""docs/policies/<id>.md is `cbcheck policy show <id> --format markdown`, kept in step with the policy.

Regenerate after changing a policy: UPDATE_GOLDEN=1 python -m pytest tests/test_policy_docs.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cbcheck.policy import bundled_policy_paths, load_policy
from cbcheck.render.policyview import render_policy

DOCS = Path(__file__).resolve().parents[1] / "docs" / "policies"


@pytest.mark.parametrize("path", bundled_policy_paths(), ids=lambda p: p.stem)
def test_coverage_listing_is_current(path: Path) -> None:
    policy, cat = load_policy(str(path))
    text = render_policy(policy, cat, "markdown")
    target = DOCS / f"{policy.id}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert target.read_text(encoding="utf-8") == text, f"{target} is stale; regenerate it"
