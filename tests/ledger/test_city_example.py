"""examples/city: three county files, params with allocations and a roster, a waivers file,
and their golden outputs (regenerate with UPDATE_GOLDEN=1 and read the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app

CITY = Path(__file__).resolve().parents[2] / "examples" / "city"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
ENV = {"NO_COLOR": "1", "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1750377600"}


def _golden(name: str, text: str) -> None:
    path = CITY / "expected" / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args), env=ENV)
    return r.exit_code, r.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rollup_golden(lang: str) -> None:
    code, out = _run("rollup", "-p", "jining-carbon-peak", "-y", "2025", str(CITY / "2025"),
                     "--params", str(CITY / "params.yaml"), "--waivers", str(CITY / "waivers.yaml"), "--lang", lang)
    assert code == 1
    _golden(f"rollup-2025.{lang}.txt", out.replace(str(CITY), "examples/city"))


def test_record_then_history_golden(tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    # 2024's submission first, then 2025's three counties: 兖州区 restated 2020 and 2024 energy use
    for folder, want in (("2024", 0), ("2025", 1)):    # 2024: warnings only; 2025: a FAIL in each county
        code, _ = _run("check", str(CITY / folder), "-p", "jining-carbon-peak", "--record", "--ledger", ledger, "-q")
        assert code == want, folder
    code, out = _run("history", "济宁市兖州区", "--ledger", ledger, "--lang", "zh")
    assert code == 0
    _golden("history-兖州区.zh.txt", out)


def test_waivers_file_lints_clean_of_errors() -> None:
    code, out = _run("waivers", "lint", str(CITY / "waivers.yaml"), "-p", "jining-carbon-peak",
                     "--params", str(CITY / "params.yaml"))
    assert code == 0 and out.strip().endswith(": ok")       # on 2025-06-20 neither waiver has expired


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "csv", "xlsx", "docx", "junit"])
def test_rollup_writes_every_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{ {'markdown': 'md', 'text': 'txt', 'junit': 'xml'}.get(fmt, fmt) }"
    code, _ = _run("rollup", "-p", "jining-carbon-peak", "-y", "2025", str(CITY / "2025"),
                   "--params", str(CITY / "params.yaml"), "-f", fmt, "-o", str(out), "--lang", "zh")
    assert code == 1 and out.stat().st_size > 0
    if fmt in ("html", "markdown", "text"):
        assert "缺报单位 1 个：济宁市邹城市" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "html", "xlsx"])
def test_history_writes_every_format(tmp_path: Path, fmt: str) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    _run("check", str(CITY / "2025"), "-p", "jining-carbon-peak", "--record", "--ledger", ledger, "-q")
    out = tmp_path / f"h.{fmt}"
    code, _ = _run("history", "济宁市任城区", "--ledger", ledger, "-f", fmt, "-o", str(out))
    assert code == 0 and out.stat().st_size > 0
    if fmt == "html":
        assert "<svg" in out.read_text(encoding="utf-8")        # the report's trajectory charts
