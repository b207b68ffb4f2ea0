"""Where a county's figure came from, said once: a CSV's cell names its file (qufu-2025.csv:8:6), so
the roll-up line and a value recalled from the ledger do not repeat the file name (they said
``qufu-2025.csv qufu-2025.csv:8:6``, and from the ledger the name three times)."""

from __future__ import annotations

import datetime as dt

import pytest

from cbcheck.ledger.store import StoredObservation, StoredSubmission
from cbcheck.rollup_view import _where


@pytest.mark.parametrize(("file", "cell", "shown"), [
    ("qufu-2025.csv", "qufu-2025.csv:8:6", "qufu-2025.csv:8:6"),
    ("qufu-2025.csv", "qufu-2025.csv:8:6 (2026-06-02)", "qufu-2025.csv:8:6 (2026-06-02)"),     # from the ledger
    ("兖州.xlsx", "表1!F8", "兖州.xlsx 表1!F8"),
    ("兖州.xlsx", "兖州.xlsx (2026-06-02) 表1!F8", "兖州.xlsx (2026-06-02) 表1!F8"),              # from the ledger
    ("a.csv", "a.csv.bak:1:1", "a.csv a.csv.bak:1:1"),      # another file whose name starts alike
])
def test_the_file_is_named_once(file: str, cell: str, shown: str) -> None:
    assert _where(file, cell) == shown


def _recalled(file_name: str, cell: str) -> str:
    sub = StoredSubmission(1, "济宁市曲阜市", 2025, "county", "jining-carbon-peak", "0" * 64, file_name, "1" * 64,
                           "compliant", {}, dt.datetime(2026, 6, 2, 1, 30))
    return StoredObservation(sub, "total_energy_consumption", 2025, 199.0, "万吨标准煤", cell, False, None,
                             None, None, None).observation().location


def test_a_recalled_value_names_its_file_once_and_when_it_was_recorded() -> None:
    assert _recalled("qufu-2025.csv", "qufu-2025.csv:4:6") == "qufu-2025.csv:4:6 (2026-06-02)"
    assert _recalled("兖州.xlsx", "表1!F4") == "兖州.xlsx (2026-06-02) 表1!F4"
