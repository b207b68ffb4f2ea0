"""Ctrl-C at any moment of an output's write leaves neither a partial report nor a temporary file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cbcheck import outputs


def test_an_interrupt_the_moment_the_temporary_file_is_created_leaves_nothing(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def open_then_interrupt(path: object, flags: int, mode: int = 0o777) -> int:
        real_open(path, flags, mode)            # the file exists; its descriptor never reaches the caller
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_atomic(tmp_path / "report.json", "{}")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_while_a_streamed_report_is_written_leaves_the_old_report(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "{\"a\": "
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        outputs.write_atomic(target, pieces())
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert target.read_text(encoding="utf-8") == "old"


def test_a_name_taken_by_another_writer_is_not_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = tmp_path / ".report.json.00000000.tmp"
    taken.write_text("another run's", encoding="utf-8")
    tokens = iter(["00000000", "11111111"])
    monkeypatch.setattr(outputs.secrets, "token_hex", lambda n: next(tokens))
    outputs.write_atomic(tmp_path / "report.json", "{}")
    assert taken.read_text(encoding="utf-8") == "another run's"
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "{}"
