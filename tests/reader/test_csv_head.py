"""A large UTF-8 CSV is decoded only as far as its head (reader/csvfile.CsvText): the same grid,
the same notes, the same errors and the same judgement of its encoding as a file decoded whole.

The head's size is lowered here (HEAD_BYTES and SAMPLE_CHARS monkeypatched) so that the
repository's small files take the head-only path; the reference is the same file read with a
head larger than the file (decoded whole, as before), under the same SAMPLE_CHARS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.errors import CbcheckError
from cbcheck.policy import load_policy
from cbcheck.facilities import facility_catalogue
from cbcheck.reader import csvfile, read_submission
from cbcheck.reader.facility import read_facility_grid
from cbcheck.reader.grid import read_grids

ROOT = Path(__file__).resolve().parents[2]
CSVS = sorted(p for base in (ROOT / "tests", ROOT / "examples") for p in base.rglob("*.csv"))
FACILITY_POLICY = "yuncheng-energy-saving-14fyp"


def _small_head(monkeypatch: pytest.MonkeyPatch, head_only: bool) -> None:
    monkeypatch.setattr(csvfile, "SAMPLE_CHARS", 16)
    monkeypatch.setattr(csvfile, "HEAD_BYTES", 120 if head_only else 1 << 40)
    monkeypatch.setattr(csvfile, "_PIECE", 40)        # rows past the head come in several pieces


def _grid(data: bytes, name: str, monkeypatch: pytest.MonkeyPatch, head_only: bool, **options: Any) -> Any:
    _small_head(monkeypatch, head_only)
    try:
        grids, notes = read_grids(data, Path(name), **options)
    except CbcheckError as exc:
        return ("error", type(exc).__name__, str(exc))
    grid = grids[0]
    return ([[(c.value, c.row, c.col) for c in row] for row in grid.rows], notes, grid.notes, grid.csv_source,
            grid.csv_encoding)


def _took_head(data: bytes, monkeypatch: pytest.MonkeyPatch, **options: Any) -> bool:
    _small_head(monkeypatch, True)
    return csvfile._head_only(data, options.get("encoding")) is not None


@pytest.mark.parametrize("path", CSVS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_csv_reads_alike_from_its_head(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    assert _grid(data, path.name, monkeypatch, True) == _grid(data, path.name, monkeypatch, False)


def test_the_head_only_path_is_taken_by_most_of_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above is not empty."""
    taken = [p for p in CSVS if _took_head(p.read_bytes(), monkeypatch)]
    assert len(taken) >= 40


def _submission(path: Path, monkeypatch: pytest.MonkeyPatch, head_only: bool) -> Any:
    _small_head(monkeypatch, head_only)
    _, cat = load_policy(FACILITY_POLICY)
    try:
        got = read_submission(path, cat)
    except CbcheckError as exc:
        return ("error", type(exc).__name__, str(exc))
    return got.notes, got.observations, got.unmatched, [(t.frame, t.errors) for t in got.facilities]


@pytest.mark.parametrize("fast", ["1", "0"])
def test_a_facility_table_reads_alike_from_its_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     fast: str) -> None:
    """By the fast path (pyarrow from the bytes) and by the general one (the text decoded when asked)."""
    monkeypatch.setenv("CBCHECK_FASTCSV", fast)
    rows = "".join(f"{i}号机组,燃煤发电机组,{300 + i % 7}\n" for i in range(1, 40))
    path = tmp_path / "units.csv"
    path.write_bytes(("设施名称,设施类型,供电煤耗(克标准煤/千瓦时)\n" + rows + "41号机组,燃煤发电机组,abc\n").encode())
    head, whole = _submission(path, monkeypatch, True), _submission(path, monkeypatch, False)
    assert _took_head(path.read_bytes(), monkeypatch)
    assert head[0] != "error"
    assert head[:3] == whole[:3]
    (frame, errors), = head[3]
    pd.testing.assert_frame_equal(frame, whole[3][0][0])
    assert errors == whole[3][0][1] == {("coal_power_supply_coal_consumption", 41): "'abc' is not a number"}


@pytest.mark.parametrize("fast", [True, False])
def test_the_bytes_go_once_the_table_is_read_from_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       fast: bool) -> None:
    monkeypatch.setenv("CBCHECK_FASTCSV", "1" if fast else "0")
    _small_head(monkeypatch, True)
    data = ("设施名称,设施类型,供电煤耗(克标准煤/千瓦时)\n" +
            "".join(f"{i}号机组,燃煤发电机组,{300 + i}\n" for i in range(1, 40))).encode()
    (grid,), _ = read_grids(data, Path("units.csv"))
    _, cat = load_policy(FACILITY_POLICY)
    table, _ = read_facility_grid(grid, cat, facility_catalogue())
    assert len(table) == 39
    assert (grid.csv_text.raw is None) is fast       # the general path keeps them: it decoded the text


# --- the encoding is judged on every byte, not the head --------------------------------------------

HEAD = "指标名称,单位,2024年\n" + "".join(f"能耗{i},万吨,{i}\n" for i in range(20))


def test_gbk_after_the_head_is_still_read_as_gbk(monkeypatch: pytest.MonkeyPatch) -> None:
    """ASCII and UTF-8 up to far past the head, then a GBK byte: not UTF-8, so decoded whole as GBK
    (as before); the head of valid UTF-8 is not taken for the file."""
    data = ("指标名称,单位,2024年\n" + "".join(f"row{i},t,{i}\n" for i in range(40))).encode("ascii", "ignore") \
        + "煤炭消费量,万吨,1800\n".encode("gbk")
    assert not _took_head(data, monkeypatch)
    got = _grid(data, "t.csv", monkeypatch, True)
    assert got == _grid(data, "t.csv", monkeypatch, False)
    assert got[0][-1][0][0] == "煤炭消费量"
    assert got[4].startswith("gb18030")


def test_utf8_characters_across_the_head_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    data = ("\ufeff" + HEAD + "".join(f"煤炭消费量{i},万吨,{i}\n" for i in range(30))).encode("utf-8")
    assert _took_head(data, monkeypatch)
    got = _grid(data, "t.csv", monkeypatch, True)
    assert got == _grid(data, "t.csv", monkeypatch, False)
    assert got[4] == "utf-8-sig (byte-order mark)"
    assert got[0][-1][0] == ("煤炭消费量29", 51, 1)


@pytest.mark.parametrize("variant", [
    b"sep=;\n" + HEAD.replace(",", ";").encode(),                      # Excel's sep= line, then the head
    HEAD.replace("\n", "\r\n").encode(),                               # CRLF: no \r\n split between pieces
    HEAD.replace("\n", "\r").encode(),                                 # bare CR: no line end to cut at
    HEAD.encode() + b"\x00\x00",                                       # NUL padding: stripped from the text
    HEAD.encode() + "能耗x,万吨,\udcff\n".encode("utf-8", "surrogatepass"),   # a surrogate: not UTF-8
    HEAD.encode() + '"多行\n名称",万吨,1\n'.encode(),                   # a quoted line break past the head
    b"\n" * 200 + HEAD.encode(),                                        # a blank head
])
def test_layouts_read_alike_from_the_head(variant: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _grid(variant, "t.csv", monkeypatch, True) == _grid(variant, "t.csv", monkeypatch, False)


def test_given_encoding_or_delimiter(monkeypatch: pytest.MonkeyPatch) -> None:
    data = ("sep=;\n" + HEAD).encode()
    for options in ({"encoding": "utf-8"}, {"delimiter": ","}):
        assert _grid(data, "t.csv", monkeypatch, True, **options) == \
            _grid(data, "t.csv", monkeypatch, False, **options)
    assert not _took_head(data, monkeypatch, encoding="utf-8")


def test_the_row_budget_counts_every_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted in the bytes (CR and LF are single bytes in UTF-8), the same refusal as before."""
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "15")
    for data in (HEAD.encode(), HEAD.replace("\n", "\r\n").encode()):
        head, whole = _grid(data, "t.csv", monkeypatch, True), _grid(data, "t.csv", monkeypatch, False)
        assert head == whole
        assert head[0] == "error" and "CBCHECK_MAX_CSV_ROWS" in head[2]
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "30")          # CRLF counted twice, then recounted: passes
    data = HEAD.replace("\n", "\r\n").encode()
    assert _grid(data, "t.csv", monkeypatch, True) == _grid(data, "t.csv", monkeypatch, False)


# bytes near every way UTF-8 goes wrong: overlong forms (C0 80, E0 80 80), surrogates (ED A0 80),
# past U+10FFFF (F4 90 80 80), lone continuations, cut sequences; and CR/LF among them
_UTF8_PIECES = [b"a", b"\n", b"\r", b"\r\n", b",", "设施".encode(), "€".encode(), "𠀋".encode(), b"\x00",
                b"\xc0\x80", b"\xc2", b"\x80", b"\xe0\x80\x80", b"\xe0\xa0", b"\xed\xa0\x80", b"\xed\x9f\xbf",
                b"\xef\xbb\xbf", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xff"]


@given(st.lists(st.sampled_from(_UTF8_PIECES), max_size=40), st.sampled_from([1, 3, 16]), st.sampled_from([0, 3]))
@settings(max_examples=300, deadline=None)
def test_the_utf8_pass_judges_and_counts_as_the_decoder(pieces: list[bytes], piece: int, start: int) -> None:
    """Piece by piece (pieces of a few bytes here, cut after an LF), the same verdict as Python's
    strict decoder of the whole and the same CR and LF count as its text."""
    data = b"\xef\xbb\xbf"[:start] + b"".join(pieces)
    try:
        text: str | None = data[start:].decode("utf-8")
    except UnicodeDecodeError:
        text = None
    old = csvfile._CHECKED
    csvfile._CHECKED = piece
    try:
        got = csvfile._utf8_line_ends(data, start)
    finally:
        csvfile._CHECKED = old
    assert got == (None if text is None else text.count("\n") + text.count("\r"))
