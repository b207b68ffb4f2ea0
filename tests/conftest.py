from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The plans as the policies quote them: shipped in the repository (docs/plans/README.md).
SEEDS = ROOT / "docs" / "plans" / "simplified"


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Golden output must not depend on the developer's terminal or config."""
    # The per-user cache (validated policies, unit conversions) lives in the session's temp dir,
    # never in the developer's home.
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cbcheck-cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("CBCHECK_CONFIG", raising=False)
    # The report language follows the locale (Chinese when it says nothing, as under cron):
    # an explicit English locale keeps the English golden reports deterministic.
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


@pytest.fixture(autouse=True)
def _fresh_unit_caches_under_mutmut(monkeypatch: pytest.MonkeyPatch) -> None:
    """mutmut forks every mutant from a process that has already run the suite, so a unit parsed
    then is answered from functools.cache, or from the conversion memo units.py keeps in memory and
    on disk, and a mutant in units.py never runs. Only under mutmut (it sets MUTANT_UNDER_TEST),
    where the on-disk cache is off too; ordinary runs keep the caches."""
    if "MUTANT_UNDER_TEST" in os.environ:
        from cbcheck import units

        units.parse_unit.cache_clear()
        units.dimension.cache_clear()
        monkeypatch.setenv("CBCHECK_NO_CACHE", "1")
        monkeypatch.setattr(units, "_memory", None)
        monkeypatch.setattr(units, "_dirty", False)


def seeds_dir() -> Path:
    assert SEEDS.is_dir(), f"the plan texts are part of the repository: {SEEDS}"
    return SEEDS
