"""Golden reports for the formats added after text/json/markdown, on every example in
examples/examples.yaml, through the CLI: html, junit, csv, a dump of the xlsx copy (its
sheets, values, fills and comments), the Chinese text report, and the Word report's text (its
paragraphs with their styles and its tables row by row: a picture of the output; what it must
hold is asserted in tests/test_docx_report.py).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest
tests/test_format_goldens.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = yaml.safe_load((ROOT / "examples" / "examples.yaml").read_text(encoding="utf-8"))
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
FORMATS = [("html", "html", []), ("junit", "junit.xml", []), ("csv", "csv", []), ("text", "zh.txt", ["--lang", "zh"])]


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _args(example: dict) -> list[str]:
    return ["check", f"examples/{example['file']}", "--policy", example["policy"], *example["args"]]


def _compare(golden: Path, out: str) -> None:
    if UPDATE:
        golden.write_bytes(out.encode("utf-8"))
    if not golden.exists():
        pytest.fail(f"no golden file {golden}; create it with UPDATE_GOLDEN=1 and review it")
    assert out == golden.read_bytes().decode("utf-8"), f"report differs from {golden}"   # CRLF in csv kept


@pytest.mark.parametrize("fmt,suffix,extra", FORMATS, ids=[f[1] for f in FORMATS])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["file"])
def test_golden_format(example: dict, fmt: str, suffix: str, extra: list[str]) -> None:
    result = CliRunner().invoke(app, [*_args(example), "--format", fmt, *extra], catch_exceptions=False)
    assert result.exit_code == example["exit"], result.output
    _compare(ROOT / "examples" / "expected" / f"{example['file']}.{suffix}", result.stdout)


def dump_workbook(path: Path) -> str:
    """Every non-empty or marked cell of every sheet: value, fill colour, comment."""
    wb = openpyxl.load_workbook(path)
    lines = [f"sheets: {wb.sheetnames} (active: {wb.active.title})"]
    for ws in wb.worksheets:
        lines.append(f"--- {ws.title} (freeze {ws.freeze_panes}, filter {ws.auto_filter.ref})")
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill.start_color.rgb if cell.fill.fill_type == "solid" else None
                if cell.value is None and fill is None and cell.comment is None:
                    continue
                text = f"{cell.coordinate} [{cell.data_type}] {cell.value!r}"
                if fill:
                    text += f" fill={fill}"
                if cell.hyperlink is not None:
                    text += f" link={cell.hyperlink.location}"
                if cell.comment is not None:
                    text += " comment=" + repr(cell.comment.text)
                lines.append(text)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["file"])
def test_golden_xlsx(example: dict, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(app, [*_args(example), "--output", str(out), "--quiet"], catch_exceptions=False)
    assert result.exit_code == example["exit"], result.output
    _compare(ROOT / "examples" / "expected" / f"{example['file']}.xlsx-dump.txt", dump_workbook(out))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["file"])
def test_golden_docx(example: dict, tmp_path: Path) -> None:
    from tests.docxdump import dump

    out = tmp_path / "report.docx"
    result = CliRunner().invoke(app, [*_args(example), "--output", str(out), "--quiet", "--lang", "zh"],
                                env={"SOURCE_DATE_EPOCH": "1750377600"}, catch_exceptions=False)
    assert result.exit_code == example["exit"], result.output
    _compare(ROOT / "examples" / "expected" / f"{example['file']}.docx.txt", dump(out))
