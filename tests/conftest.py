from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("CBCHECK_SEEDS", ROOT.parent / "shared" / "seeds" / "simplified"))


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Golden output must not depend on the developer's terminal or config."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("CBCHECK_CONFIG", raising=False)
    # The report language defaults to the locale's: golden reports are English.
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


def seeds_dir() -> Path:
    if SEEDS.is_dir():
        return SEEDS
    if os.environ.get("CI"):
        pytest.fail(f"plan seeds not found at {SEEDS}; CI must have shared/ beside the checkout")
    pytest.skip(f"plan seeds not found at {SEEDS}")
