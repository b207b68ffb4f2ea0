"""Helpers shared by the reader tests (imported by name: tests are not a package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbcheck.catalogue import Catalogue
from cbcheck.policy import catalogue as bundled_catalogue

CASES = Path(__file__).resolve().parent / "cases"

# A deadline indicator the bundled catalogue does not (yet) have, to read dates for.
TEST_INDICATORS = [{"id": "test_coke_oven_closure", "name": "4.3米焦炉关停完成时间", "name_en": "Coke ovens closed",
                    "unit": "", "dimension": "date", "kind": "date"}]


def make_catalogue() -> Catalogue:
    return bundled_catalogue().extended(TEST_INDICATORS)


@pytest.fixture(scope="session")
def cat() -> Catalogue:
    """Import it into a test module (``from reader_support import cat``). There is no conftest.py here:
    a second conftest module would shadow ``tests/conftest.py`` for ``from conftest import …``."""
    return make_catalogue()


def badinput_dir() -> Path:
    """The malformed files from other readers' test suites, vendored in tests/badinput (see its README)."""
    return Path(__file__).resolve().parents[1] / "badinput"
