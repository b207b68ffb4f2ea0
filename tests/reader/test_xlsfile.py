"""Old .xls / WPS .et workbooks read into the grids the xlsx reader makes of the same table.

The .xls files under tests/xls were written by xlwt from .xlsx files (tests/xls/make_xls.py says
how); each is read here beside its .xlsx and the two readings held to each other, cell by cell,
and to values worked out by hand."""

from __future__ import annotations

import ast
import datetime as dt
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck.errors import CbcheckError, SubmissionError
from cbcheck.reader import biff
from cbcheck.reader.grid import describe_ole, read_grids

XLS = Path(__file__).resolve().parents[1] / "xls"


def _read(path: Path, name: str | None = None, data: bytes | None = None) -> tuple[list[Any], list[str]]:
    data = path.read_bytes() if data is None else data
    return read_grids(data, Path(name) if name else path)


def _cells(grid: Any) -> list[list[tuple[int, Any, type, str]]]:
    return [[(c.col, c.value, type(c.value), c.number_format) for c in row] for row in grid.rows]


def _by_ref(grid: Any) -> dict[str, Any]:
    return {c.location: c for row in grid.rows for c in row}


@pytest.mark.parametrize("name", ["features", "coke-percent", "jining-county-percent"])
def test_an_xls_reads_as_its_xlsx(name: str) -> None:
    """Every sheet, cell, value type, number format, hidden sheet, row and column the same."""
    xlsx, _ = _read(XLS / f"{name}.xlsx")
    xls, notes = _read(XLS / f"{name}.xls")
    assert notes == []
    assert [(g.name, g.sheet.kind, g.hidden, g.hidden_rows, g.hidden_cols) for g in xls] == \
        [(g.name, g.sheet.kind, g.hidden, g.hidden_rows, g.hidden_cols) for g in xlsx]
    for a, b in zip(xls, xlsx, strict=True):
        assert _cells(a) == _cells(b), a.name


# (cell, value, number format): worked out from tests/xls/make_xls.py's features_xlsx
FEATURES = [
    ("表1!A1", "示例县2024年碳达峰目标任务完成情况统计表", "General"),
    ("表1!E2", dt.datetime(2025, 3, 1), "yyyy-mm-dd"),
    ("表1!E3", dt.datetime(2024, 1, 1), 'yyyy"年"'),          # a year header written as a date
    ("表1!D4", 0.132, "0.0%"),                                   # shows 13.2%: the reader reads 13.2
    ("表1!A4", 1, "General"),
    ("表1!E5", 274.66, "0.00"),                                  # 274.65999999999997 to 15 digits
    ("表1!D6", "#DIV/0!", "General"),
    ("表1!E6", "#N/A", "General"),
    ("表1!D7", 1.23456789012346e16, "General"),                  # 12345678901234567 as Excel holds it
    ("表1!E7", 2.5e-07, "General"),
    ("表1!F7", True, "General"),
    ("表1!D9", dt.datetime(2024, 3, 1, 12, 30), "yyyy-mm-dd hh:mm"),
    ("表1!E9", dt.timedelta(days=1, hours=12), "General"),      # 1.5 in [h]:mm
    ("表1!F9", dt.time(6, 0), "General"),                        # 0.25 in h:mm
]


@pytest.mark.parametrize("ref,value,fmt", FEATURES)
def test_each_kind_of_cell_reads_as_worked_out(ref: str, value: Any, fmt: str) -> None:
    grids, _ = _read(XLS / "features.xls")
    cell = _by_ref(grids[0])[ref]
    assert (cell.value, type(cell.value), cell.number_format) == (value, type(value), fmt)


def test_merged_hidden_and_offset_cells() -> None:
    sheet, hidden, offset = _read(XLS / "features.xls")[0]
    assert [c.value for c in sheet.rows[0]] == ["示例县2024年碳达峰目标任务完成情况统计表"]   # A1:F1, no cells after A1
    assert sheet.hidden_rows == {8} and sheet.hides(8, 2) == "row" and sheet.hides(4, 8) == "column"
    assert sheet.hides(4, 7) is None
    assert (hidden.name, hidden.hidden, offset.hidden) == ("隐藏", True, False)
    assert [(c.location, c.value) for row in offset.rows for c in row if c.value is not None] == \
        [("偏移!C4", "指标名称"), ("偏移!E6", 7)]
    assert len(offset.rows) == 6 and offset.rows[:3] == [[], [], []]


def test_a_merged_range_with_its_blank_cells_fills_across() -> None:
    """Excel writes blank cells over a merged range (xlwt's write_merge too): every cell of the range
    shows the top-left value, as in an .xlsx whose rows hold those cells."""
    grids, _ = _read(XLS / "merged.xls")
    assert [[c.value for c in row] for row in grids[0].rows] == [
        ["示例县统计表"] * 4, ["能源", "能源消费总量"], ["能源", "煤炭消费量"]]


def test_a_merged_range_without_cells_fills_as_far_as_the_row_writes() -> None:
    """jining-county-pass.xls holds A1 alone under its A1:H1 title, as its .xlsx does: row 1 is one cell."""
    book = biff.read_book((XLS / "jining-county-pass.xls").read_bytes())
    assert book.sheets[0].widths[1] == 1 and (1, 1, 1, 8) in book.sheets[0].merges
    assert len(_read(XLS / "jining-county-pass.xls")[0][0].rows[0]) == 1


def test_formulas_read_as_their_saved_results() -> None:
    """274.66, #DIV/0!, TRUE as Excel saved them; a formula saved with an empty text is blank."""
    grids, _ = _read(XLS / "formula.xls")
    assert [[c.value for c in row] for row in grids[0].rows] == [
        ["指标名称", "2024年"], ["森林覆盖率", 274.66], ["能耗降低率", "#DIV/0!"], ["达标", True], ["备注"]]


@pytest.mark.parametrize("name", ["报表.et", "报表.xlsx", "报表.XLS"])
def test_the_same_bytes_under_another_name_read_the_same(name: str) -> None:
    """A WPS .et is the same container; an .xls renamed .xlsx is read for what it is."""
    want = [_cells(g) for g in _read(XLS / "features.xls")[0]]
    got, notes = _read(XLS / "features.xls", name=name, data=(XLS / "features.xls").read_bytes())
    assert [_cells(g) for g in got] == want and notes == []


def test_a_sheet_is_chosen_by_name() -> None:
    grids, _ = read_grids((XLS / "features.xls").read_bytes(), XLS / "features.xls", sheet="偏移")
    assert [g.name for g in grids] == ["偏移"]
    with pytest.raises(SubmissionError) as err:
        read_grids((XLS / "features.xls").read_bytes(), XLS / "features.xls", sheet="表2")
    assert "表2" in str(err.value.message)


# --- what the records say when calamine does not ----------------------------------------------------

@pytest.mark.parametrize("raw,value", [
    (0x00000002 | (1234 << 2), 1234.0),                  # an integer
    (0x00000003 | (1234 << 2), 12.34),                   # an integer / 100
    ((0xFFFFFFFF << 2 | 0x02) & 0xFFFFFFFF, -1.0),       # a negative integer
    (struct.unpack("<Q", struct.pack("<d", 1.5))[0] >> 32, 1.5),        # the top 30 bits of a double
    ((struct.unpack("<Q", struct.pack("<d", 274.5))[0] >> 32) | 1, 2.745),
])
def test_rk_numbers(raw: int, value: float) -> None:
    assert biff._rk(raw) == value


def test_records_of_the_features_workbook() -> None:
    book = biff.read_book((XLS / "features.xls").read_bytes())
    sheet = book.sheets[0]
    assert sheet.rows[6][4] == ("e", "#DIV/0!", 0) and sheet.rows[6][5] == ("e", "#N/A", 0)
    assert sheet.rows[4][2] == ("s", "非化石能源消费比重", 0) and sheet.rows[7][6] == ("b", True, 0)
    assert sheet.hidden_rows == {8} and sheet.hidden_cols == [(8, 8)]
    kind, value, xf = sheet.rows[4][4]
    assert (kind, value, book.formats[xf]) == ("n", 0.132, "0.0%")
    assert not book.date1904 and [(s.name, s.hidden) for s in book.sheets] == [
        ("表1", False), ("隐藏", True), ("偏移", False)]


# --- refusals -----------------------------------------------------------------------------------

def _renamed_stream(data: bytes, name: str) -> bytes:
    """The container with its Workbook stream renamed in the directory (the name field is 64 bytes,
    its length in bytes with the terminating NUL after it)."""
    old = "Workbook".encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 18)
    new = name.encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 2 * len(name) + 2)
    assert data.count(old) == 1
    return data.replace(old, new)


def _encrypted(data: bytes) -> bytes:
    """The workbook globals' WRITEACCESS record turned into a FILEPASS record (same length, so the
    container stays whole): what a workbook saved with a password to open holds."""
    at = data.index(struct.pack("<HH", 0x005C, 112))
    return data[:at] + struct.pack("<HH", 0x002F, 112) + data[at + 4:]


@pytest.mark.parametrize("make,suffix,words", [
    (_encrypted, ".xls", ["password-protected", "remove the password"]),
    (lambda d: _renamed_stream(d, "WordDocument"), ".xls", ["Word document", "put the table"]),
    (lambda d: _renamed_stream(d, "EncryptedPackage"), ".xlsx", ["password-protected"]),
    (lambda d: _renamed_stream(d, "Contents"), ".xls", ["Office file of an unknown kind"]),
    (lambda d: d[:3000], ".xls", ["old-format Excel (.xls) or WPS (.et) workbook cannot be read", "save it as"]),
    (lambda d: d[:3000], ".xlsx", ["Office file of an unknown kind"]),
    (lambda d: b"<html><body><table><tr><td>1</td></tr></table></body></html>", ".xls", ["web page (HTML)"]),
    (lambda d: "指标名称\t2024年\n森林覆盖率\t25.1\n".encode(), ".xls", ["text file", ".csv"]),
    (lambda d: d, ".csv", ["old-format Excel (.xls)", "rename it to .xls"]),
    # Excel 5.0/95: a "Book" stream, or BIFF5 records
    (lambda d: _renamed_stream(d, "Book"), ".xls", ["Excel 5.0/95 workbook (a Book stream, BIFF5)",
                                                    "save it as an Excel Workbook (.xlsx)"]),
    (lambda d: d[:512 + 4] + b"\x00\x05" + d[512 + 6:], ".xls", ["Excel 5.0/95 workbook (BIFF version 0x0500)"]),
])
def test_what_is_not_a_readable_xls_is_one_clear_line(make: Any, suffix: str, words: list[str]) -> None:
    data = make((XLS / "features.xls").read_bytes())
    with pytest.raises(SubmissionError) as err:
        read_grids(data, Path("报表" + suffix))
    text = f"{err.value.message}; {err.value.hint}"
    assert all(w in text for w in words), text


def test_the_container_is_told_by_its_directory() -> None:
    data = (XLS / "features.xls").read_bytes()
    assert describe_ole(data) == "xls"
    assert describe_ole(_renamed_stream(data, "WordDocument")) == "doc"
    assert describe_ole(_renamed_stream(data, "EncryptionInfo")) == "encrypted"
    assert describe_ole(data[:3000]) == "damaged"


# --- damaged bytes: one line or a reading, never a traceback -----------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 9727), st.integers(0, 255)), min_size=1, max_size=12))
def test_damaged_xls_bytes_never_crash(flips: list[tuple[int, int]]) -> None:
    data = bytearray((XLS / "features.xls").read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    try:
        read_grids(bytes(data), Path("报表.xls"))
    except CbcheckError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(512, 9727))
def test_cut_xls_bytes_never_crash(length: int) -> None:
    try:
        read_grids((XLS / "features.xls").read_bytes()[:length], Path("报表.xls"))
    except CbcheckError:
        pass


@pytest.mark.parametrize("env,value,words", [
    ("CBCHECK_MAX_CELLS", "43", ["表1", "over 43 cells", "CBCHECK_MAX_CELLS"]),
    ("CBCHECK_MAX_ROWS", "8", ["表1", "over 8 rows", "CBCHECK_MAX_ROWS"]),
    ("CBCHECK_MAX_COLUMNS", "7", ["表1", "row 3 has values in 8 columns", "CBCHECK_MAX_COLUMNS"]),
    ("CBCHECK_MAX_SHEETS", "2", ["3 sheets", "CBCHECK_MAX_SHEETS"]),
])
def test_an_xls_is_read_under_the_budgets(monkeypatch: pytest.MonkeyPatch, env: str, value: str,
                                          words: list[str]) -> None:
    """表1 of features.xls: 44 cells in 9 rows, 8 columns in row 3; three sheets."""
    monkeypatch.setenv(env, value)
    with pytest.raises(SubmissionError) as err:
        _read(XLS / "features.xls")
    text = f"{err.value.where} {err.value.message} {err.value.hint}"
    assert all(w in text for w in words), text
    monkeypatch.setenv(env, {"CBCHECK_MAX_CELLS": "44", "CBCHECK_MAX_ROWS": "9", "CBCHECK_MAX_COLUMNS": "8",
                             "CBCHECK_MAX_SHEETS": "3"}[env])
    assert len(_read(XLS / "features.xls")[0]) == 3           # at the limit: read


def test_a_1904_workbook_reads_its_dates() -> None:
    book = biff.read_book((XLS / "date1904.xls").read_bytes())
    # 120 years of 365 days and 30 leap days (1904…2020), then January and a leap February: 43,830 + 60
    assert book.date1904 and book.sheets[0].rows[1][2][1] == 43890.0
    grids, _ = _read(XLS / "date1904.xls")
    assert grids[0].rows[0][1].value == dt.datetime(2024, 3, 1)


def _xlstr(text: str, wide: bool, runs: int = 0) -> bytes:
    flags = (0x01 if wide else 0) | (0x08 if runs else 0)
    head = struct.pack("<HB", len(text), flags) + (struct.pack("<H", runs) if runs else b"")
    return head + text.encode("utf-16-le" if wide else "latin-1")


def test_shared_strings_run_on_across_continue_records() -> None:
    """[MS-XLS] 2.4.265: a string's characters may run on into the next CONTINUE record, which
    opens with a flags byte of its own (here: compressed before, UTF-16 after); a rich string's
    formatting runs after its characters may be split too. Each worked out by hand."""
    first = struct.pack("<II", 4, 4) + _xlstr("ab", False) + struct.pack("<HB", 4, 0) + b"cd"
    second = b"\x01" + "能源".encode("utf-16-le") + _xlstr("x", False, runs=2) + b"\x00\x00\x01\x00\x02"
    third = b"\x00\x03\x00" + _xlstr("森林", True)
    assert biff._shared_strings([first, second, third]) == ["ab", "cd能源", "x", "森林"]
    with pytest.raises(biff.BiffError):
        biff._shared_strings([first, second])          # the fourth string's record is missing


def _header_patched(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack("<I", value) + data[at + 4:]


@pytest.mark.parametrize("make,detail", [
    # the directory's chain pointing back at itself: read as far as the file holds sectors, then refused
    (lambda d: _fat_loop(d), "a broken sector chain"),
    (lambda d: _header_patched(d, 0x30, 10_000), "a broken sector chain"),    # the directory past the FAT
    (lambda d: _header_patched(d, 0x4C, 10_000), "sector 10000 beyond the file"),    # the FAT past the end
])
def test_a_damaged_container_is_refused_within_the_file(make: Any, detail: str) -> None:
    with pytest.raises(biff.ContainerError, match=detail):
        biff.read_book(make((XLS / "features.xls").read_bytes()))


def test_a_declared_count_beyond_the_file_costs_nothing() -> None:
    """4 billion FAT sectors declared in the header: only those the DIFAT lists, and the file holds, are read."""
    book = biff.read_book(_header_patched((XLS / "features.xls").read_bytes(), 0x2C, 0xFFFFFFFF))
    assert [s.name for s in book.sheets] == ["表1", "隐藏", "偏移"]


def _fat_loop(data: bytes) -> bytes:
    """The FAT entry of the directory's first sector set to that sector: a chain without end."""
    first_fat = struct.unpack_from("<I", data, 0x4C)[0]
    directory = struct.unpack_from("<I", data, 0x30)[0]
    at = 512 * (first_fat + 1) + 4 * directory
    return _header_patched(data, at, directory)


def _entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
    """A compound-file directory entry ([MS-CFB] 2.6.1)."""
    raw = name.encode("utf-16-le") + b"\0\0"
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 36 + struct.pack("<III", start, size, 0))


def test_an_embedded_objects_workbook_is_not_the_workbook() -> None:
    """An .xls holding an embedded workbook (a storage MBD… with a Workbook stream of its own, here
    64 bytes of nothing): the root's Workbook is the one read."""
    data = (XLS / "features.xls").read_bytes()
    base = 512 * (struct.unpack_from("<I", data, 0x30)[0] + 1)
    workbook = bytearray(data[base + 128:base + 256])
    workbook[72:76] = struct.pack("<I", 2)                 # the root's Workbook, its right sibling: entry 2
    nested = (bytes(workbook) + _entry("MBD0001", 1, 0xFFFFFFFF, 3, 0xFFFFFFFE, 0)
              + _entry("Workbook", 2, 0xFFFFFFFF, 0xFFFFFFFF, 0, 64))
    data = data[:base + 128] + nested + data[base + 512:]
    assert biff.stream_names(data) == {"Workbook"}
    assert [s.name for s in biff.read_book(data).sheets] == ["表1", "隐藏", "偏移"]


def _small_compound_file(stream: bytes) -> bytes:
    """A compound file ([MS-CFB] version 3) whose Workbook stream, under 4,096 bytes, lives in the
    mini stream: sector 0 the FAT, 1 the directory, 2 the mini FAT, 3… the mini stream (64-byte sectors)."""
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    mini_sectors = -(-len(stream) // 64)
    big = -(-mini_sectors * 64 // 512)                      # sectors holding the mini stream
    fat = [0xFFFFFFFD, end, end] + [4 + i for i in range(big - 1)] + [end]
    minifat = [i + 1 for i in range(mini_sectors - 1)] + [end]
    header = (biff.OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, end, 0) + struct.pack("<I", 0)
              + struct.pack("<108I", *[free] * 108))
    directory = (_entry("Root Entry", 5, free, 1, 3, big * 512) + _entry("Workbook", 2, free, free, 0, len(stream))
                 + b"\0" * 256)

    def sector(words: list[int]) -> bytes:
        return struct.pack(f"<{len(words)}I", *words) + struct.pack("<I", free) * (128 - len(words))

    return header + sector(fat) + directory + sector(minifat) + stream.ljust(big * 512, b"\0")


def test_a_small_workbook_stream_is_read_from_the_mini_stream() -> None:
    full = biff.workbook_stream((XLS / "merged.xls").read_bytes())
    at = 0
    while at + 4 <= len(full) and full[at:at + 4] != b"\0\0\0\0":     # the records, then xlwt's padding
        at += 4 + struct.unpack_from("<H", full, at + 2)[0]
    assert at < 4096
    data = _small_compound_file(full[:at])
    assert biff.workbook_stream(data) == full[:at]
    grids, _ = read_grids(data, Path("小.xls"))
    assert [[c.value for c in row] for row in grids[0].rows] == [
        ["示例县统计表"] * 4, ["能源", "能源消费总量"], ["能源", "煤炭消费量"]]


# --- what xlrd gets wrong: why cbcheck reads the records itself (reader/biff.py, benchmarks/xls_vs_xlrd.py) --

def _cell_in_column_65536(data: bytes) -> bytes:
    """features.xls with 偏移!E6 (an RK record: row 5, column 4, both 0-based) moved to column 65,536;
    a BIFF8 sheet has 256."""
    rk = struct.pack("<HHHH", 0x027E, 10, 5, 4)
    assert data.count(rk) == 1
    at = data.index(rk)
    return data[:at + 6] + b"\xff\xff" + data[at + 8:]


def test_a_cell_past_column_256_is_refused() -> None:
    with pytest.raises(SubmissionError) as err:
        read_grids(_cell_in_column_65536((XLS / "features.xls").read_bytes()), Path("报表.xls"))
    assert "(a cell in column 65536 of row 6)" in str(err.value.message)


def test_the_bounds_hold_under_python_O() -> None:
    """xlrd bounds a cell's column by an assert alone (Sheet.put_cell_ragged): under python -O (or
    PYTHONOPTIMIZE) 5,000 such cells, a 175 KB file, made it allocate 3.7 GB. Here the same
    refusal with -O, and no bound in the .xls reader is an assert."""
    code = ("import sys; from pathlib import Path; from cbcheck.reader.grid import read_grids\n"
            "from cbcheck.errors import SubmissionError\n"
            "try: read_grids(sys.stdin.buffer.read(), Path('报表.xls'))\n"
            "except SubmissionError as e: print(sys.flags.optimize, e.message)")
    out = subprocess.run([sys.executable, "-O", "-c", code], input=_cell_in_column_65536(
        (XLS / "features.xls").read_bytes()), capture_output=True, check=True).stdout.decode()
    assert out.startswith("1 ") and "(a cell in column 65536 of row 6)" in out, out
    for module in (biff, sys.modules["cbcheck.reader.xlsfile"]):
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        assert not [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)], module.__name__
