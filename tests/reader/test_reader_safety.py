"""Safety: XML parsed safely, zip bombs and absurd sizes refused (configurable), input never written."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from reader_support import CASES, cat  # noqa: F401  (fixture)
from typer.testing import CliRunner

from cbcheck.catalogue import Catalogue
from cbcheck.cli import app
from cbcheck.errors import SubmissionError, UsageError
from cbcheck.reader import read_submission
from cbcheck.reader.grid import read_file, read_grids

WORKBOOK = CASES / "xlsx_merged_header.xlsx"


def _rezip(src: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, (replace or {}).get(info.filename, zin.read(info.filename)))
        for name, body in (add or {}).items():
            zout.writestr(name, body)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_openpyxl_parses_xml_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_entity_expansion_bomb_is_refused(tmp_path: Path, cat: Catalogue) -> None:
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10 if i else "lol"}">' for i in range(10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{lol}]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>').encode()
    path = _write(tmp_path, "bomb.xlsx", _rezip(WORKBOOK.read_bytes(), {"xl/worksheets/sheet1.xml": sheet}))
    started = time.perf_counter()
    with pytest.raises(SubmissionError, match="cannot be read|cannot open"):
        read_submission(path, cat)
    assert time.perf_counter() - started < 5


def test_external_entities_are_not_resolved(tmp_path: Path, cat: Catalogue) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file://{secret}">]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>').encode()
    path = _write(tmp_path, "xxe.xlsx", _rezip(WORKBOOK.read_bytes(), {"xl/worksheets/sheet1.xml": sheet}))
    with pytest.raises(SubmissionError) as info:
        read_submission(path, cat)
    assert "TOP-SECRET" not in str(info.value)


def test_zip_bomb_is_refused(tmp_path: Path, cat: Catalogue) -> None:
    path = _write(tmp_path, "zipbomb.xlsx", _rezip(WORKBOOK.read_bytes(), add={"xl/media/pad.bin": bytes(50 << 20)}))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(SubmissionError, match="zip bomb") as info:
        read_submission(path, cat)
    assert "CBCHECK_MAX_RATIO" in str(info.value)


def test_unzipped_limit_is_configurable(tmp_path: Path, cat: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_UNZIPPED", "4K")
    with pytest.raises(SubmissionError, match="over the limit"):
        read_submission(WORKBOOK, cat)
    monkeypatch.setenv("CBCHECK_MAX_UNZIPPED", "1G")
    assert read_submission(WORKBOOK, cat).observations


def test_ratio_limit_is_configurable(tmp_path: Path, cat: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "padded.xlsx", _rezip(WORKBOOK.read_bytes(), add={"xl/media/pad.bin": bytes(12 << 20)}))
    monkeypatch.setenv("CBCHECK_MAX_RATIO", "100000")
    assert read_submission(path, cat).observations


def test_file_size_limit_is_configurable(cat: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_BYTES", "100")
    with pytest.raises(SubmissionError, match="over the limit") as info:
        read_submission(WORKBOOK, cat)
    assert "CBCHECK_MAX_BYTES" in str(info.value)


def test_a_bad_limit_is_a_usage_error(cat: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_BYTES", "lots")
    with pytest.raises(UsageError, match="CBCHECK_MAX_BYTES"):
        read_submission(WORKBOOK, cat)


def test_a_bogus_dimension_does_not_pad_rows(tmp_path: Path, cat: Catalogue) -> None:
    src = WORKBOOK.read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    sheet, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    assert n == 1
    path = _write(tmp_path, "dimension.xlsx", _rezip(src, {"xl/worksheets/sheet1.xml": sheet}))
    started = time.perf_counter()
    assert read_submission(path, cat).observations
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("case", "exit_code"), [
    ("xlsx_merged_header.xlsx", 0),    # read and compliant
    ("csv_gbk.csv", 0),
    ("xlsx_errors_formulas.xlsx", 1),  # read; #DIV/0! and friends make findings that fail
    ("csv_duplicate.csv", 3),          # refused: two different values for one indicator and year
    ("corrupt_xlsx.xlsx", 3),          # refused: not a workbook
])
def test_check_leaves_the_input_untouched(tmp_path: Path, case: str, exit_code: int) -> None:
    path = tmp_path / case
    path.write_bytes((CASES / case).read_bytes())
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(tmp_path.iterdir()))
    result = CliRunner().invoke(app, ["check", str(path), "--policy", "jining-carbon-peak"])
    assert result.exit_code == exit_code, result.output
    assert (path.read_bytes(), path.stat().st_mtime_ns, sorted(tmp_path.iterdir())) == before


@pytest.mark.parametrize(("case", "fragment"), [
    ("csv_duplicate.csv", "csv_duplicate.csv:2:3 and 12.9 at csv_duplicate.csv:4:3"),
    ("encrypted_xlsx.xlsx", "password-protected"),
    ("wrong_ext_xlsx_as_csv.csv", "rename it to .xlsx"),
    ("xlsx_empty.xlsx", "every sheet is empty"),
])
def test_cli_refusal_is_one_line_and_exit_3(case: str, fragment: str) -> None:
    result = CliRunner().invoke(app, ["check", str(CASES / case), "--policy", "jining-carbon-peak"])
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"cbcheck: error: {CASES / case}") and fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_sheet_and_encoding_options() -> None:
    result = CliRunner().invoke(app, ["check", str(CASES / "xlsx_per_county.xlsx"), "--sheet", "乙县",
                                      "--policy", "jining-carbon-peak", "--format", "json"])
    assert result.exit_code == 0 and "乙县!C3" in result.stdout
    result = CliRunner().invoke(app, ["check", str(CASES / "csv_gbk.csv"), "--encoding", "utf-8",
                                      "--policy", "jining-carbon-peak"])
    assert result.exit_code == 3 and "not valid utf-8" in result.stderr
    result = CliRunner().invoke(app, ["check", str(CASES / "csv_gbk.csv"), "--encoding", "klingon",
                                      "--policy", "jining-carbon-peak"])
    assert result.exit_code == 2 and "unknown encoding" in result.stderr


def test_a_sheet_without_a_table_is_read_only_as_far_as_its_head(tmp_path: Path, cat: Catalogue) -> None:
    """A large sheet that is neither an indicator nor a facility table (a lookup list) costs its
    first rows only: here its tail is broken XML, which a full read would meet."""
    wb = openpyxl.Workbook()
    wb.active.title = "指标"
    wb.active.append(["指标名称", "单位", "2024年"])
    wb.active.append(["森林覆盖率", "%", 25])
    facilities = wb.create_sheet("设施")
    facilities.append(["序号", "代码", "说明"])
    for i in range(3000):
        facilities.append([i, f"C{i:04d}", f"代码说明{i}"])
    raw = io.BytesIO()
    wb.save(raw)
    with zipfile.ZipFile(raw) as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml")
    broken = sheet[: int(len(sheet) * 0.9)] + b"<row r=\"9999\"><c r=\"A9999\"><v>1</broken>"
    path = _write(tmp_path, "lazy.xlsx", _rezip(raw.getvalue(), {"xl/worksheets/sheet2.xml": broken}))
    sub = read_submission(path, cat)
    assert [o.location for o in sub.observations] == ["指标!C2"]
    assert any("设施: no indicator table" in n for n in sub.notes)
    with pytest.raises(SubmissionError, match="sheet '设施' cannot be read"):
        read_grids(read_file(path), path)            # reading every row does meet it
