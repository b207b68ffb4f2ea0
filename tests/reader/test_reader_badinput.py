"""The shared corpus of malformed CSV/XLSX files from other readers' test suites.

Every file gives a reading or a SubmissionError (through the CLI: exit 3 and one line on
stderr). None of them is an indicator table, so "no indicator table found" is the right
answer for most; the broken ones must say what is wrong. The grid-level checks make
sure that what was read underneath is right (1904 dates, _x000D_, percent formats,
merged cells, a header on row 9, encodings, line endings).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reader_support import badinput_dir, cat  # noqa: F401  (fixture)
from typer.testing import CliRunner

from cbcheck.catalogue import Catalogue
from cbcheck.cli import app
from cbcheck.errors import SubmissionError
from cbcheck.reader import read_submission
from cbcheck.reader.grid import Grid, read_file, read_grids

BADINPUT = badinput_dir()
FILES = sorted(p for p in BADINPUT.rglob("*") if p.is_file() and p.suffix in {".csv", ".xlsx"})
EXPECTED_ERRORS = {
    "calamine/empty_sheet.xlsx": "every sheet is empty",
    "calamine/pass_protected.xlsx": "password-protected",
    "calamine/strict_iso_paths.xlsx": "Strict Open XML",
    "python-calamine/empty_file.xlsx": "the file is empty",
    "openpyxl/null_archive.xlsx": "without [Content_Types].xml",
}


@pytest.fixture(scope="module")
def corpus() -> Path:
    assert FILES, f"the bad-input corpus is part of the repository: {BADINPUT}"
    return BADINPUT


def _rel(path: Path) -> str:
    return path.relative_to(BADINPUT).as_posix()


def test_the_corpus_is_there(corpus: Path) -> None:
    assert len(FILES) == 40


@pytest.mark.parametrize("path", FILES, ids=[_rel(p) for p in FILES])
def test_reading_or_submission_error(path: Path, corpus: Path, cat: Catalogue) -> None:
    with pytest.raises(SubmissionError) as info:
        read_submission(path, cat)
    assert EXPECTED_ERRORS.get(_rel(path), "no indicator table found") in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("path", FILES, ids=[_rel(p) for p in FILES])
def test_cli_exit_3_and_one_line(path: Path, corpus: Path) -> None:
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = CliRunner().invoke(app, ["check", str(path), "--policy", "jining-carbon-peak"])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("cbcheck: error: ") and str(path) in lines[0], result.stderr
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def _grids(rel: str) -> list[Grid]:
    path = BADINPUT / rel  # type: ignore[operator]
    return read_grids(read_file(path), path)[0]


def _values(grid: Grid) -> list[list[object]]:
    return [[c.value for c in row] for row in grid.rows]


def test_1904_dates(corpus: Path) -> None:
    rows = _values(_grids("calamine/date_1904.xlsx")[0])
    assert rows[0][0] == dt.datetime(2021, 1, 1)
    assert isinstance(rows[2][0], dt.timedelta)


def test_x000d_escape_is_a_line_break(corpus: Path) -> None:
    assert _values(_grids("calamine/has_x000D_.xlsx")[0])[0][0] == "ABC\r\nDEF"


def test_percent_format_is_kept(corpus: Path) -> None:
    cell = _grids("frictionless-py/preserve-formatting-percentage.xlsx")[0].rows[1][1]
    assert (cell.value, cell.number_format, cell.location) == (0.52, "0.00%", "Sheet1!B2")


def test_excel_errors_are_read_as_errors(corpus: Path) -> None:
    from cbcheck.numbers import is_excel_error

    column = [row[0].value for row in _grids("calamine/errors.xlsx")[0].rows]
    assert all(is_excel_error(v) for v in column) and "#DIV/0!" in column and "#N/A" in column


def test_merged_cells_are_filled(corpus: Path) -> None:
    rows = _values(_grids("calamine/merge_cells.xlsx")[0])
    assert rows[0][0] == rows[0][1] is not None          # A1:B1
    assert rows[1][0] == rows[2][0] == rows[3][0]        # A2:A4
    assert rows[1][1] == rows[3][3]                      # B2:D4


def test_header_on_row_9(corpus: Path) -> None:
    grid = _grids("calamine/header-row.xlsx")[0]
    assert [c.value for c in grid.rows[2] if c.value] == ["Note 1"] and grid.rows[2][2].location == "Sheet1!C3"
    assert any(c.value for c in grid.rows[8]) and grid.rows[8][0].location == "Sheet1!A9"


def test_floating_point_noise_is_shown_as_excel_does(corpus: Path) -> None:
    values = {c.value for row in _grids("frictionless-py/adjust-floating-point-error.xlsx")[0].rows for c in row}
    assert 274.66 in values and 274.65999999999997 not in values


@pytest.mark.parametrize(("rel", "delimiter", "encoding", "first"), [
    ("messytables/utf-16le_encoded.csv", ",", "utf-16", None),
    ("frictionless-py/issue-1009-semicolon.csv", ";", "utf-8", None),
    ("CleverCSV/milk.csv", "\t", None, None),
    ("frictionless-py/bom.csv", ",", "utf-8-sig", "id"),
    ("frictionless-py/latin1.csv", ",", None, "id"),
    ("csvlint.rb/invalid-byte-sequence.csv", ",", None, None),
])
def test_csv_encoding_and_delimiter(corpus: Path, rel: str, delimiter: str, encoding: str | None,
                                    first: str | None) -> None:
    path = BADINPUT / rel  # type: ignore[operator]
    grids, notes = read_grids(read_file(path), path)
    assert f"delimiter {delimiter!r}" in " ".join(notes)
    if encoding:
        assert f"read as {encoding}" in " ".join(notes)
    if first:
        assert grids[0].rows[0][0].value == first


def test_latin1_is_not_read_as_chinese(corpus: Path) -> None:
    path = BADINPUT / "csvlint.rb/invalid-byte-sequence.csv"  # type: ignore[operator]
    grids, notes = read_grids(read_file(path), path)
    text = " ".join(str(c.value) for row in grids[0].rows[:3] for c in row)
    assert "Hist" in text and "髍" not in text and "gb18030" not in " ".join(notes)


def test_cr_only_line_endings(corpus: Path) -> None:
    grid = _grids("messytables/mixedGLB.csv")[0]
    assert len(grid.rows) > 10 and max(len(r) for r in grid.rows) > 5


def test_nul_byte_is_kept_in_its_cell(corpus: Path) -> None:
    # Removing it would silently change a value (1<NUL>3 read as 13, issue 16); kept, the cell is
    # refused where it is read as a number.
    path = BADINPUT / "csvkit/null_byte.csv"  # type: ignore[operator]
    grids, notes = read_grids(read_file(path), path)
    assert len(grids[0].rows) == 2 and grids[0].rows[1][0].value == "\x00"
