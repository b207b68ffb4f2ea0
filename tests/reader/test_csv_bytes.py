"""CSV bytes as offices write them, read through the head-only path of a large UTF-8 file
(reader/csvfile.py: ``_head_only``, ``_valid_utf8``, ``_line_ends``) and the NUL cleaning, each
asserting the decoded cells, their row numbers and the words said about them.

As in test_csv_head.py the head is made small (HEAD_BYTES, SAMPLE_CHARS monkeypatched) so that a
file of a few KiB takes the path a file of a few hundred MiB takes; the reference is the same
file read with a head larger than itself (decoded whole)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cbcheck.errors import CbcheckError
from cbcheck.reader import csvfile
from cbcheck.reader.grid import read_grids
from cbcheck.readnote import Span

CHUNK = 64 * 1024          # _valid_utf8 judges the bytes in pieces of this size


def small_head(monkeypatch: pytest.MonkeyPatch, head_bytes: int) -> None:
    monkeypatch.setattr(csvfile, "SAMPLE_CHARS", 16)
    monkeypatch.setattr(csvfile, "HEAD_BYTES", head_bytes)
    monkeypatch.setattr(csvfile, "_PIECE", 40)


def read(data: bytes, monkeypatch: pytest.MonkeyPatch, head_bytes: int, name: str = "t.csv") -> Any:
    small_head(monkeypatch, head_bytes)
    try:
        (grid,), notes = read_grids(data, Path(name))
    except CbcheckError as exc:
        return ("error", str(exc))
    return [[(c.value, c.row, c.col) for c in row] for row in grid.rows], grid.csv_encoding, grid.notes


def took_head(data: bytes, monkeypatch: pytest.MonkeyPatch, head_bytes: int) -> bool:
    small_head(monkeypatch, head_bytes)
    return csvfile._head_only(data, None) is not None


# --- every byte is judged, whatever the size of the pieces -----------------------------------------

def test_gbk_in_the_second_piece_of_the_utf8_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """ASCII up to 8 bytes past the first 64 KiB piece, then a WPS/Excel GBK line: the file is not
    UTF-8, so it is decoded whole as GB18030 and the GBK line reads as written, in its row."""
    header = b"name,unit,2024\n"
    filler = b"".join(b"row%05d,t,%d\n" % (i, i) for i in range(5000))
    prefix = (header + filler)[: CHUNK + 8]
    prefix = prefix[: prefix.rfind(b"\n") + 1]                   # whole lines only
    prefix += b"x" * (CHUNK + 8 - len(prefix) - 1) + b"\n"       # the GBK line starts at 64 KiB + 8
    assert len(prefix) == CHUNK + 8
    data = prefix + "煤炭消费量,万吨,1800\n".encode("gbk") + b"tail,t,1\n"
    assert not took_head(data, monkeypatch, 120)
    rows, how, _ = read(data, monkeypatch, 120)
    assert how == "gb18030 (not UTF-8; GBK/GB18030 assumed)"
    n = prefix.count(b"\n")
    assert rows[n] == [("煤炭消费量", n + 1, 1), ("万吨", n + 1, 2), ("1800", n + 1, 3)]
    assert rows[n + 1][0] == ("tail", n + 2, 1)
    assert read(data, monkeypatch, 1 << 40) == (rows, how, [])


@pytest.mark.parametrize("pad", [0, 2])
def test_utf8_characters_across_the_pieces_of_the_check(pad: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chinese throughout (three bytes a character), so the 64 KiB pieces, and the head's end, cut
    characters in two: still valid UTF-8, read from the head, every row as written. (The padding
    moves where the cuts fall.)"""
    text = "指标名称,单位,数值" + "x" * pad + "\n" + \
        "".join(f"煤炭消费量能耗{'甲' * (i % 5)},万吨标准煤,一千\n" for i in range(2000))
    data = text.encode("utf-8")
    assert len(data) > CHUNK + 1024             # past the first piece however it is cut
    assert took_head(data, monkeypatch, 1000)
    rows, how, _ = read(data, monkeypatch, 1000)
    assert how == "utf-8"
    assert len(rows) == 2001
    assert rows[0][2] == ("数值" + "x" * pad, 1, 3)
    assert rows[2000] == [("煤炭消费量能耗甲甲甲甲", 2001, 1), ("万吨标准煤", 2001, 2), ("一千", 2001, 3)]
    assert read(data, monkeypatch, 1 << 40) == (rows, how, [])


def test_a_file_cut_off_inside_its_last_character_is_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    """An export cut short in the middle of 煤 (E7 85 A4 → E7 85): every byte before is UTF-8, but the
    file is not, so it is not read from its head (which would fail on the last piece) and is
    decoded whole, as before."""
    data = ("指标名称,单位,2024年\n" + "".join(f"能耗{i},万吨,{i}\n" for i in range(40))).encode() + "煤".encode()[:2]
    assert not took_head(data, monkeypatch, 120)
    assert read(data, monkeypatch, 120) == read(data, monkeypatch, 1 << 40)


# --- the row budget, counted in the bytes ----------------------------------------------------------

def test_old_mac_line_ends_count_for_the_row_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file beginning with a bare CR (a blank first line) and ten CR-ended lines before the LF ones:
    1 + 10 + 21 = 32 lines. Over a budget of 25, refused from the head as from the whole text."""
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "25")
    lf = "指标名称,单位,2024年\n" + "".join(f"能耗{i},万吨,{i}\n" for i in range(20))
    data = b"\r" + b"x,1\r" * 10 + lf.encode()
    assert took_head(data, monkeypatch, 300)
    refused = read(data, monkeypatch, 300)
    assert refused[0] == "error" and "the file has 32 lines" in refused[1] and "CBCHECK_MAX_CSV_ROWS" in refused[1]
    assert read(data, monkeypatch, 1 << 40) == refused
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "32")            # exactly at the budget: read
    rows, _, _ = read(data, monkeypatch, 300)
    assert rows[1] == [("x", 2, 1), ("1", 2, 2)] and rows[-1][0] == ("能耗19", 32, 1)


def test_a_file_at_the_row_budget_is_not_decoded_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """LF only: 21 line ends = 21 lines, not over a budget of 21, so the text past the head is never
    decoded as one string (a file of hundreds of MiB would need four bytes a character)."""
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "21")
    data = ("指标名称,单位,2024年\n" + "".join(f"能耗{i},万吨,{i}\n" for i in range(20))).encode()

    def whole(self: csvfile.CsvText) -> str:
        raise AssertionError("decoded whole")

    assert took_head(data, monkeypatch, 120)
    monkeypatch.setattr(csvfile.CsvText, "whole", whole)
    rows, how, _ = read(data, monkeypatch, 120)
    assert how == "utf-8" and rows[-1] == [("能耗19", 21, 1), ("万吨", 21, 2), ("19", 21, 3)]


@pytest.mark.parametrize(("end", "tail", "lines"), [
    ("\n", "", 21),            # LF: 21 ends, 21 lines
    ("\r\n", "", 21),          # CR LF: 42 ends, one line each
    ("\n", "能耗20,万吨,20", 22),   # a last line without an end is a line
    ("\r\n", "能耗20,万吨,20", 22),
])
def test_a_file_over_the_row_budget_is_refused_without_decoding_it_whole(
        end: str, tail: str, lines: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the budget the lines are counted in the bytes: the file a budget turns away (10M rows, 490 MB)
    is never made one string and split into a list of lines (2.7 GB to refuse it). The count is the
    lines a spreadsheet shows: CR LF once, the unended last line too; one line fewer in the budget is
    refused, the exact count read."""
    data = ("指标名称,单位,2024年" + end + "".join(f"能耗{i},万吨,{i}{end}" for i in range(20)) + tail).encode()

    def whole(self: csvfile.CsvText) -> str:
        raise AssertionError("decoded whole")

    assert took_head(data, monkeypatch, 120)
    monkeypatch.setattr(csvfile.CsvText, "whole", whole)
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", str(lines - 1))
    refused = read(data, monkeypatch, 120)
    assert refused[0] == "error" and f"the file has {lines} lines" in refused[1]
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", str(lines))
    rows, _, _ = read(data, monkeypatch, 120)
    assert rows[-1][0][0] == ("能耗20" if tail else "能耗19")


# --- a NUL inside a text cell: removed, and the note names the cell --------------------------------

@pytest.mark.parametrize("name", ["t.csv", "月报:2024.csv"])          # a colon is allowed in a name on Linux/macOS
def test_a_nul_inside_a_label_is_removed_and_the_cell_named(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "指标名称,单位,2024年\n能耗,万吨,1\n煤炭\x00消费量,万吨,1800\n".encode()
    rows, how, notes = read(data, monkeypatch, 1 << 40, name)
    assert rows[2] == [("煤炭消费量", 3, 1), ("万吨", 3, 2), ("1800", 3, 3)]
    (note,) = notes
    assert note.cells == (Span(name, True, 3, 1, 3, 1),)
    assert str(note) == f"{name}:3:1: NUL byte(s) removed from the text"
    assert str(note.cells[0]) == f"{name}:3:1"


def test_text_past_the_head_is_refused_once_the_bytes_are_released(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that let the bytes go (reader/fastcsv.py, after pyarrow read the table) and then asks
    for the text past the head gets a clear error, not a TypeError from a memoryview of None."""
    data = ("指标名称,单位,2024年\n" + "".join(f"能耗{i},万吨,{i}\n" for i in range(20))).encode()
    small_head(monkeypatch, 120)
    (grid,), _ = read_grids(data, Path("t.csv"))
    text = grid.csv_text
    assert text.head == data[: data.rfind(b"\n", 0, 120) + 1].decode()
    text.release()
    with pytest.raises(AssertionError, match="^the bytes were released$"):
        text.whole()
    with pytest.raises(AssertionError, match="^the bytes were released$"):
        list(text.pieces())


@pytest.mark.parametrize("head_bytes", [120, 1 << 40])            # read from the head; decoded whole
def test_the_text_comes_in_pieces_that_end_at_line_ends(head_bytes: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of about _PIECE bytes (40 here, a MiB in use), each but the last ending at a line end,
    so that no piece holds the whole file and no CRLF is split; together, the text as written."""
    lines = [f"能耗{i},万吨,{i}\r\n" for i in range(40)]            # 能耗N,万吨,N: 18–19 bytes with CRLF
    data = ("指标名称,单位,2024年\r\n" + "".join(lines)).encode()
    small_head(monkeypatch, head_bytes)
    (grid,), _ = read_grids(data, Path("t.csv"))
    pieces = list(grid.csv_text.pieces())
    assert "".join(pieces) == data.decode()
    assert len(pieces) > 5                         # ~800 bytes (~500 characters) in pieces of ~40 or more
    assert all(p.endswith("\r\n") for p in pieces[:-1])
    assert max(len(p) for p in pieces[1:]) <= 40 + 20     # _PIECE (bytes or characters), then one more line
