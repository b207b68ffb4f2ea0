"""What a county officer reads when a "CSV" is not one, and the notes on how a CSV was read:
the whole line, as cbcheck prints it (``path: message — hint``), for every refusal in csvfile."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cbcheck.errors import SubmissionError, UsageError
from cbcheck.reader.csvfile import read_csv_grid

P = Path("报送/甲县.csv")
SAVE_XLSX = "open it in Excel or WPS and save it as .xlsx"


@pytest.mark.parametrize(("data", "line"), [
    ("<!DOCTYPE html><html><body><table><tr><td>指标</td></tr></table></body></html>".encode(),
     f"报送/甲县.csv: this is a web page (HTML) saved with a .csv name, not a CSV file — {SAVE_XLSX} or CSV"),
    ("<?xml version='1.0'?><html xmlns='x'><body>a</body></html>".encode(),   # XHTML: an XML prolog, then <html
     f"报送/甲县.csv: this is a web page (HTML) saved with a .csv name, not a CSV file — {SAVE_XLSX} or CSV"),
    ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'.encode(),
     f"报送/甲县.csv: this is an Excel 2003 XML spreadsheet, not a CSV file — {SAVE_XLSX}"),
    ('<?xml version="1.0"?><root><a>1</a></root>'.encode(),
     f"报送/甲县.csv: this is an XML document, not a CSV file — {SAVE_XLSX}"),
    ('{"指标名称": "能耗"}'.encode(),
     "报送/甲县.csv: this is a JSON document, not a CSV file — export the table as CSV or .xlsx"),
    ('[{"a": 1}]'.encode(),
     "报送/甲县.csv: this is a JSON document, not a CSV file — export the table as CSV or .xlsx"),
    (bytes(range(1, 32)) * 20,
     "报送/甲县.csv: this is not a text file (it holds binary data) — "
     "export the table as CSV (UTF-8 or GBK) or save it as .xlsx"),
    (b"\r\n  \r\n", "报送/甲县.csv: the file has no content — export the table again"),
    (codecs.BOM_UTF8 + "指标".encode() + b"\xff\xfe\xfa",
     "报送/甲县.csv: the file starts with a utf-8-sig byte-order mark but byte 6 is not valid utf-8-sig — "
     "save it again as UTF-8, or force one with --encoding"),
    (codecs.BOM_UTF16_LE + b"a\x00\x00\xd8",
     "报送/甲县.csv: the file starts with a utf-16 byte-order mark but byte 4 is not valid utf-16 — "
     "save it again as UTF-8, or force one with --encoding"),
], ids=["html", "xhtml", "excel-2003-xml", "xml", "json-object", "json-array", "binary", "blank", "bad-utf8-bom",
        "bad-utf16-bom"])
def test_refusal_is_one_line_naming_the_file_and_what_to_do(data: bytes, line: str) -> None:
    with pytest.raises(SubmissionError) as info:
        read_csv_grid(data, P)
    assert str(info.value) == line
    assert info.value.where == "报送/甲县.csv"


GBK_WITH_JUNK = "指标名称,2024年\n".encode("gbk") + b"\xff"


@pytest.mark.parametrize(("encoding", "line"), [
    ("utf-8", "报送/甲县.csv: the file is not valid utf-8: byte 2 cannot be decoded — "
              "check --encoding (e.g. utf-8, gb18030, utf-16)"),
    ("gbk", "报送/甲县.csv: the file is not valid gbk: byte 16 cannot be decoded — "
            "check --encoding (e.g. utf-8, gb18030, utf-16)"),
])
def test_forced_encoding_that_does_not_fit(encoding: str, line: str) -> None:
    with pytest.raises(SubmissionError) as info:
        read_csv_grid(GBK_WITH_JUNK, P, encoding=encoding)
    assert str(info.value) == line


def test_unknown_encoding_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        read_csv_grid(b"a,b\n", P, encoding="klingon")
    assert str(info.value) == "unknown encoding 'klingon' — use e.g. --encoding utf-8, gb18030, gbk or utf-16"


@pytest.mark.parametrize(("encoding", "note"), [
    ("utf-8", "甲县.csv: read as utf-8 (as given with --encoding)"),
    ("UTF8", "甲县.csv: read as UTF8 (as given with --encoding)"),
    ("gb18030", "甲县.csv: read as gb18030 (as given with --encoding)"),
])
def test_forced_encoding_is_named_and_a_utf8_bom_is_dropped(encoding: str, note: str) -> None:
    text = "指标名称,2024年\n能耗,5\n"
    data = (codecs.BOM_UTF8 + text.encode()) if encoding.lower().startswith("utf") else text.encode(encoding)
    grid, notes = read_csv_grid(data, P, encoding=encoding)
    assert notes[0] == note
    assert [[c.value for c in r] for r in grid.rows] == [["指标名称", "2024年"], ["能耗", "5"]]


@pytest.mark.parametrize(("data", "notes", "rows"), [
    ("sep=;\n指标;2024\n能耗;5\n".encode(),
     ["甲县.csv: read as utf-8", "甲县.csv: delimiter ';' from the sep= line"], [["指标", "2024"], ["能耗", "5"]]),
    ("指标名称\t2024年\n能耗\t5\n".encode(),
     ["甲县.csv: read as utf-8", "甲县.csv: delimiter '\\t'"], [["指标名称", "2024年"], ["能耗", "5"]]),
    ("指标|2023|2024\n能耗|4|5\n".encode(),
     ["甲县.csv: read as utf-8", "甲县.csv: delimiter '|'"], [["指标", "2023", "2024"], ["能耗", "4", "5"]]),
    ("指标名称,2024\n能耗\x00,5\n".encode(),
     # the NUL is removed from the label with a note naming its cell (src/cbcheck/reader/csvfile.py); the
     # note comes as the rows are read, so it is checked in test_nul_in_a_label_is_noted_at_its_cell
     ["甲县.csv: read as utf-8", "甲县.csv: delimiter ','"],
     [["指标名称", "2024"], ["能耗", "5"]]),
    ("指标名称,2024年\n煤炭消费量,1800\n".encode("gbk"),
     ["甲县.csv: read as gb18030 (not UTF-8; GBK/GB18030 assumed)", "甲县.csv: delimiter ','"],
     [["指标名称", "2024年"], ["煤炭消费量", "1800"]]),
    ("5\n".encode("utf-16-le"),                       # four bytes: the shortest UTF-16 file told by its zeros
     ["甲县.csv: read as utf-16-le (no byte-order mark)", "甲县.csv: delimiter ','"], [["5"]]),
    ("5\n".encode("utf-16-be"),
     ["甲县.csv: read as utf-16-be (no byte-order mark)", "甲县.csv: delimiter ','"], [["5"]]),
    (codecs.BOM_UTF16_LE + "能耗,5\n".encode("utf-16-le"),
     ["甲县.csv: read as utf-16 (byte-order mark)", "甲县.csv: delimiter ','"], [["能耗", "5"]]),
    (b"\x84\x31\x95\x33" + "能耗,5\n".encode("gb18030"),
     ["甲县.csv: read as gb18030 (byte-order mark)", "甲县.csv: delimiter ','"], [["能耗", "5"]]),
], ids=["sep-line", "tab", "pipe", "nul", "gbk", "utf16le-4-bytes", "utf16be-4-bytes", "utf16-bom", "gb18030-bom"])
def test_notes_say_how_the_file_was_read(data: bytes, notes: list[str], rows: list[list[str]]) -> None:
    grid, got = read_csv_grid(data, P)
    assert got == notes
    assert [[c.value for c in r] for r in grid.rows] == rows


def test_nul_in_a_label_is_noted_at_its_cell() -> None:
    grid, notes = read_csv_grid("指标名称,2024\n能耗\x00,5\n".encode(), P)
    assert [[c.value for c in r] for r in grid.rows] == [["指标名称", "2024"], ["能耗", "5"]]
    assert "甲县.csv:2:1: NUL byte(s) removed from the text" in grid.notes + notes


def test_trailing_empty_cells_are_dropped_and_blank_cells_are_none() -> None:
    grid, _ = read_csv_grid("指标名称,2023,2024,,\n能耗, ,5,,\n".encode(), P)
    assert [[c.value for c in r] for r in grid.rows] == [["指标名称", "2023", "2024"], ["能耗", None, "5"]]
    assert [(c.row, c.col) for c in grid.rows[1]] == [(2, 1), (2, 2), (2, 3)]


def test_a_comma_inside_quotes_does_not_split_and_does_not_fool_the_sniffer() -> None:
    data = '指标名称;备注\n能耗;"含1,2,3号机组"\n煤耗;"a,b"\n'.encode()
    grid, notes = read_csv_grid(data, P)
    assert notes[-1] == "甲县.csv: delimiter ';'"
    assert [[c.value for c in r] for r in grid.rows][1] == ["能耗", "含1,2,3号机组"]


@pytest.mark.parametrize(("head", "kind"), [
    (b"<!DOCTYPE html>\n<table><tr><td>1</td></tr></table>", "html"),   # WPS "网页" export, no <html> tag
    (b"<html><body>", "html"), (b"<HTML>", "html"), (b"<table border=1>", "html"),
    (b'<meta charset="gbk"><table>', "html"), (b"<head><title>t</title></head>", "html"), (b"<body>", "html"),
    (b"  \r\n\t<table>", "html"),                                       # leading blank lines
    ("<table>".encode("utf-16-le"), "html"),                          # zeros between the letters
    (codecs.BOM_UTF8 + b"<table>", "html"), (codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"), "html"),
    (b'<?xml version="1.0"?><root/>', "xml"),
    (b'{"a": 1}', "json"), (b"[[1, 2]]", "json"), (b'["a"]', "json"), (b"[\n  {}\n]", "json"), (b"[\r\n{}]", "json"),
    (b"[2024],value\n", "text"),                      # a bracketed header is a CSV, not JSON
    ("指标名称,2024年\n".encode("gbk"), "text"), (b"", "text"),
])
def test_text_kind_from_how_the_file_begins(head: bytes, kind: str) -> None:
    from cbcheck.reader.csvfile import text_kind

    assert text_kind(head) == kind


@pytest.mark.parametrize(("text", "delimiter"), [
    ("a;b;c\n1;2;3\n4;5;6\n", ";"),
    ("a,b;c\n1,2;3\n4,5;6\n", ","),                 # a tie on lines: more fields wins
    ("指标名称\t备注\n能耗\t含1,2号机组\n煤耗\t3,4\n", "\t"),
    ("只有一列\n没有分隔符\n", ","),                 # nothing splits: the default
    ('a|"b|c"|d\n1|"2|3"|4\n', "|"),
])
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    from cbcheck.reader.csvfile import sniff_delimiter

    assert sniff_delimiter(text) == delimiter
