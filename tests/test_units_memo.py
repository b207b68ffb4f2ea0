"""The memo of pint's answers that units.py keeps between runs (``units-<digest>.json`` in the
cache): written at exit, keyed by the digest of the units definitions, read back by the next
run, and thrown away when it belongs to other definitions or is damaged. A stale memo would
convert with an old factor, so what is read back is checked, not only that a file appears."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

from cbcheck import units

DIGEST = hashlib.sha256((resources.files("cbcheck") / "data" / "units.txt").read_bytes()).hexdigest()
MEMO = f"units-{DIGEST[:16]}.json"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CBCHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(units, "_memory", None)      # as in a new process
    monkeypatch.setattr(units, "_dirty", False)
    return tmp_path


def test_answers_are_written_at_exit_under_the_definitions_digest(cache: Path) -> None:
    assert units.convert(520, "MW", "万千瓦") == pytest.approx(52)     # 1 万千瓦 = 10 MW
    assert units.is_known("吨标准煤/万元") and not units.is_known("万吨标准煤每火星")
    assert units.same_dimension("MW", "万千瓦")
    units.save_memo()
    saved = json.loads((cache / MEMO).read_text(encoding="utf-8"))
    assert saved["units_sha256"] == DIGEST
    assert saved["factor"]["MW\x1f万千瓦"] == pytest.approx(0.1)
    assert saved["known"] == {"吨标准煤/万元": True, "万吨标准煤每火星": False}
    assert saved["same"] == {"MW\x1f万千瓦": True}


def test_nothing_new_nothing_written(cache: Path) -> None:
    units.save_memo()
    assert not (cache / MEMO).exists()


def test_the_next_run_reads_the_memo_back(cache: Path) -> None:
    # a memo saying 1 MW = 0.1 万千瓦 and nothing else: its answer is used without asking pint
    (cache / MEMO).write_text(json.dumps({"units_sha256": DIGEST, "factor": {"MW\x1f万千瓦": 0.1},
                                          "known": {"tce": True}, "same": {}}), encoding="utf-8")
    assert units.convert(520, "MW", "万千瓦") == pytest.approx(52)
    assert units._memo()["known"] == {"tce": True}


@pytest.mark.parametrize("entry", [
    {"units_sha256": "0" * 64, "factor": {"MW\x1f万千瓦": 99.0}, "known": {}, "same": {}},   # other definitions
    {"units_sha256": DIGEST, "factor": [], "known": {}, "same": {}},                         # damaged: a list
    {"units_sha256": DIGEST, "factor": {"MW\x1f万千瓦": 99.0}, "known": {}},                 # a table missing
], ids=["other-digest", "factor-not-a-table", "same-missing"])
def test_a_memo_for_other_definitions_or_damaged_is_not_used(cache: Path, entry: dict) -> None:
    (cache / MEMO).write_text(json.dumps(entry), encoding="utf-8")
    assert units._memo() == {"units_sha256": DIGEST, "factor": {}, "known": {}, "same": {}}
    assert units.convert(520, "MW", "万千瓦") == pytest.approx(52)       # pint's answer, not 99
