"""The corners of reading a CSV (src/cbcheck/reader/csvfile.py) that the everyday exports do not
reach: UTF-32, Excel's ``sep=`` line with Windows line ends, titles above a semicolon table, DOS
end-of-file marks, NUL padding, an unbalanced quote, the row and column budgets. Each test
asserts the cells decoded (and, where the note is the point, the note), never only that "it read"."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cbcheck.errors import SubmissionError
from cbcheck.reader.csvfile import decode, read_csv_grid, sniff_delimiter

P = Path("报送/甲县.csv")
ROWS = [["指标名称", "单位", "2024年"], ["煤炭消费量", "万吨", "1800"]]


def rows_of(data: bytes, **kw: str) -> tuple[list[list[object]], list[str]]:
    grid, notes = read_csv_grid(data, P, **kw)
    return [[c.value for c in r] for r in grid.rows], notes


def crlf(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(r) + "\r\n" for r in rows)


# --- encodings ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf32_with_a_byte_order_mark(bom: bytes, codec: str) -> None:
    # FF FE 00 00 also starts like a UTF-16 LE mark: UTF-32 must be tried first
    got, notes = rows_of(bom + crlf(ROWS).encode(codec))
    assert got == ROWS
    assert notes[0] == "甲县.csv: read as utf-32 (byte-order mark)"


def test_decode_returns_the_text_without_the_mark() -> None:
    text = crlf(ROWS)
    for data in (codecs.BOM_UTF8 + text.encode(), codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
                 b"\x84\x31\x95\x33" + text.encode("gb18030")):
        assert decode(data, "甲县.csv")[0] == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_mark_all_chinese_but_digits(codec: str) -> None:
    # the zeros come only from the ASCII digits, commas and line ends (9 of 18 characters here)
    rows = [["指标名称", "2024年"], ["能耗", "5"]]
    got, notes = rows_of(crlf(rows).encode(codec))
    assert got == rows
    assert notes[0] == f"甲县.csv: read as {codec} (no byte-order mark)"


def test_utf8_with_a_few_nul_bytes_is_not_taken_for_utf16() -> None:
    # six NULs of padding after a UTF-8 line: zeros at both even and odd offsets, so not UTF-16
    data = "能耗,5\n".encode() + b"\x00" * 6
    got, notes = rows_of(data)
    assert got == [["能耗", "5"]]
    assert notes == ["甲县.csv: read as utf-8", "甲县.csv: 6 NUL byte(s) after the last line removed",
                     "甲县.csv: delimiter ','"]


def test_a_guess_is_named_in_the_note() -> None:
    # neither UTF-8 nor Chinese GBK: charset-normalizer guesses, and the note says it is a guess
    data = crlf([["Histórico", "São Paulo", "5"], ["Año", "Mês", "6"]]).encode("latin-1")
    _got, notes = rows_of(data)
    assert notes[0].startswith("甲县.csv: read as ")
    assert notes[0].endswith(" (guessed; pass --encoding if names look garbled)")


# --- what is not text ---------------------------------------------------------------------------

def test_a_dos_end_of_file_mark_is_not_binary() -> None:
    # old DOS/FoxPro exports end with Ctrl-Z (0x1A): one control character is no reason to refuse
    got, _ = rows_of(crlf(ROWS).encode("gbk") + b"\x1a")
    assert got[:2] == ROWS


@pytest.mark.parametrize(("controls", "refused"), [(8, False), (9, True)])
def test_control_characters_in_a_short_file(controls: int, refused: bool) -> None:
    # a file under 900 characters may hold up to 8 control characters (max(8, len // 100))
    data = (crlf(ROWS) + "备注," + "\x01" * controls + "\r\n").encode()
    assert len(data.decode()) < 900
    if refused:
        with pytest.raises(SubmissionError, match=r"^报送/甲县.csv: this is not a text file"):
            read_csv_grid(data, P)
    else:
        got, _ = rows_of(data)
        assert got[:2] == ROWS


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_control_characters_in_a_long_file_scale_with_its_length(extra: int, refused: bool) -> None:
    # 2000 characters allow 2000 // 100 = 20 control characters, not 21
    body = "能耗,5\r\n" * 250                    # 250 × 6 characters
    head = "备注," + "\x01" * (20 + extra) + "\r\n"
    text = body + head
    text = text + "x" * (2000 + extra - len(text))
    assert len(text) == 2000 + extra and (2000 + extra) // 100 == 20
    data = text.encode()
    if refused:
        with pytest.raises(SubmissionError, match="this is not a text file"):
            read_csv_grid(data, P)
    else:
        got, _ = rows_of(data)
        assert got[0] == ["能耗", "5"] and len(got) == 252     # 250 rows, the 备注 row, the padding row


# --- delimiters ---------------------------------------------------------------------------------

def test_excel_sep_line_with_windows_line_ends() -> None:
    data = "sep=;\r\n指标名称;2024年\r\n能耗;5\r\n".encode()
    grid, notes = read_csv_grid(data, P)
    assert [[c.value for c in r] for r in grid.rows] == [["指标名称", "2024年"], ["能耗", "5"]]
    assert notes == ["甲县.csv: read as utf-8", "甲县.csv: delimiter ';' from the sep= line"]
    assert grid.csv_source == ("指标名称;2024年\r\n能耗;5\r\n", ";")     # the sep= line is not data


def test_a_delimiter_given_wins_over_the_sep_line_which_stays_a_row() -> None:
    grid, notes = read_csv_grid("sep=;\n指标名称,2024年\n能耗,5\n".encode(), P, delimiter=",")
    assert [[c.value for c in r] for r in grid.rows] == [["sep=;"], ["指标名称", "2024年"], ["能耗", "5"]]
    assert notes == ["甲县.csv: read as utf-8"]
    assert grid.csv_source[1] == ","


def test_title_lines_above_a_semicolon_table_do_not_vote_for_the_comma() -> None:
    # a title and a unit line have no delimiter at all: lines with none are not a vote
    text = "济宁市碳达峰主要指标统计表\n单位：万吨标准煤\n指标名称;2024年\n能耗;5\n"
    assert sniff_delimiter(text) == ";"


def test_on_a_complete_tie_the_comma_wins() -> None:
    # two lines split by ',' into 2 fields, two by '\t' into 2: the first of , tab ; | is kept
    assert sniff_delimiter("a,b\tc\n1,2\t3\n") == ","
    assert sniff_delimiter("a\tb;c\n1\t2;3\n") == "\t"


def test_the_field_count_most_lines_agree_on_wins_over_a_larger_one() -> None:
    # three lines split by ';' into 3 fields, one line by ',' into 5: the semicolon
    assert sniff_delimiter("a;b;c\n1;2;3\n4;5;6\nx,1,2,3,4,5\n") == ";"


# --- malformed and oversized --------------------------------------------------------------------

def test_an_unbalanced_quote_swallowing_the_file_is_one_line_at_a_line() -> None:
    # an opening quote never closed: the cell grows past the csv module's 131072-character limit
    data = ('指标名称,备注\n能耗,"含1号机组\n' + "煤耗,5\n" * 30000).encode()
    with pytest.raises(SubmissionError) as info:
        rows_of(data)
    line = str(info.value)
    assert line.startswith("报送/甲县.csv:")
    assert "malformed CSV: field larger than field limit (131072)" in line
    assert line.endswith(" — check the quotes on that line, or export the table again")
    where = info.value.where
    assert where.startswith("报送/甲县.csv:") and int(where.rsplit(":", 1)[1]) > 2


def test_row_budget_counts_lines_once_even_with_crlf(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3 lines with CRLF: 6 line-end characters, but 3 lines, which a budget of 3 allows
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "3")
    got, _ = rows_of(crlf([["指标名称", "2024年"], ["能耗", "5"], ["煤耗", "6"]]).encode())
    assert len(got) == 3
    with pytest.raises(SubmissionError) as info:
        rows_of(crlf([["指标名称", "2024年"], ["能耗", "5"], ["煤耗", "6"], ["水耗", "7"]]).encode())
    assert "the file has 4 lines" in str(info.value) and "CBCHECK_MAX_CSV_ROWS" in str(info.value)
    assert info.value.where == "报送/甲县.csv"


@pytest.mark.parametrize("eol", ["\n", "\r"], ids=["lf", "bare-cr"])
def test_row_budget_with_unix_and_old_mac_line_ends(eol: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_CSV_ROWS", "3")
    text = eol.join(["指标名称,2024年", "能耗,5", "煤耗,6", "水耗,7"]) + eol
    with pytest.raises(SubmissionError, match="the file has 4 lines"):
        rows_of(text.encode())


def test_column_budget_names_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_MAX_COLUMNS", "3")
    got, _ = rows_of("指标名称,2023,2024,,\n能耗,4,5\n".encode())     # trailing empty cells do not count
    assert got == [["指标名称", "2023", "2024"], ["能耗", "4", "5"]]
    with pytest.raises(SubmissionError) as info:
        rows_of("指标名称,2023,2024\n能耗,4,5,6\n".encode())
    assert "line 2 has values in 4 columns" in str(info.value)
    assert info.value.where == "报送/甲县.csv:2"


# --- when GB18030 text "reads as Chinese" ---------------------------------------------------------

@pytest.mark.parametrize(("text", "i", "ordinary"), [
    ("a能b", 1, True),          # a GB2312 character is ordinary wherever it stands
    ("堃源煤业", 0, True),       # 堃: GBK, not GB2312, but among Chinese
    ("源堃", 1, True),           # … also as the last character
    ("a源堃", 2, True),          # a Latin letter two places away does not count
    ("堃源a", 0, True),
    ("堃a", 0, False),           # a rare ideograph wedged against a Latin letter: Latin-1 read as GB18030
    ("a堃", 1, False),
    ("Hist髍ico", 4, False),
    ("€", 0, False),             # neither GB2312 nor an ideograph
])
def test_ordinary_chinese(text: str, i: int, ordinary: bool) -> None:
    from cbcheck.reader.csvfile import _ordinary_chinese

    assert _ordinary_chinese(text, i) is ordinary


@pytest.mark.parametrize(("text", "chinese"), [
    ("指标,2024\n", True), ("abc,1\n", True),                # nothing but ASCII is not a reason to refuse
    ("Hist髍ico", False),
    ("能耗Hist髍ico", False),                                  # 2 of 3 wide characters ordinary: 67 % < 90 %
    ("能耗能耗能耗能耗能a髍b", True),                          # 9 of 10: exactly 90 % is enough
    ("能耗能耗能耗能耗a髍b", False),                           # 8 of 9: 88.9 %
])
def test_reads_as_chinese(text: str, chinese: bool) -> None:
    from cbcheck.reader.csvfile import _reads_as_chinese

    assert _reads_as_chinese(text) is chinese


# --- UTF-16 without a mark, told by where its zero bytes are ---------------------------------------

def _bytes(n: int, zeros: list[int]) -> bytes:
    """n bytes of 'A' with a zero byte at each offset in ``zeros``."""
    return bytes(0 if i in zeros else 0x41 for i in range(n))


ODD, EVEN = list(range(1, 80, 2)), list(range(0, 80, 2))


@pytest.mark.parametrize(("data", "codec"), [
    # 20 bytes, 10 byte pairs: UTF-16 LE needs zeros in more than 30 % of the odd bytes (> 3) and in
    # under 5 % of the even ones (< 0.5, i.e. none); BE the other way round
    (_bytes(20, [1, 3, 5, 7]), "utf-16-le"),
    (_bytes(20, [1, 3, 5]), None),                  # 3 of 10 is not more than 30 %
    (_bytes(20, [0, 2, 4, 6]), "utf-16-be"),
    (_bytes(20, [0, 2, 4]), None),
    (_bytes(20, [1]), None),                        # one NUL in a text file: neither
    (_bytes(20, [0]), None),
    (bytes(20), None),                              # zeros everywhere: binary, not text
    # 80 bytes, 40 pairs: under 5 % is fewer than 2 (一 is U+4E00: in UTF-16 LE its first byte is zero)
    (_bytes(80, ODD[:20] + [0]), "utf-16-le"),
    (_bytes(80, ODD[:20] + [0, 2]), None),
    (_bytes(80, EVEN[:20] + [1]), "utf-16-be"),
    (_bytes(80, EVEN[:20] + [1, 3]), None),
    (b"5\x00", None),                               # under 4 bytes: too short to tell
    (b"abcdefgh", None),                            # no zero at all
])
def test_utf16_without_mark_by_its_zero_bytes(data: bytes, codec: str | None) -> None:
    from cbcheck.reader.csvfile import _utf16_without_bom

    assert _utf16_without_bom(data) == codec


def test_utf16_le_text_with_yi_is_still_utf16() -> None:
    # 统一 (U+4E00 → 00 4E): one zero at an even offset among the ASCII zeros at odd ones
    rows = [["统一核算", "2024年"], ["能耗", "5"], ["煤耗", "6"]]
    data = crlf(rows).encode("utf-16-le")
    got, notes = rows_of(data)
    assert got == rows and notes[0] == "甲县.csv: read as utf-16-le (no byte-order mark)"


def test_commas_inside_quotes_do_not_tie_with_the_tab() -> None:
    # one quoted comma on each tab-separated line: unstripped, ',' would tie with tab and win the tie
    assert sniff_delimiter('指标名称\t"单位,说明"\n能耗\t"万吨,折标"\n') == "\t"


def test_one_line_with_more_fields_does_not_outvote_the_others() -> None:
    # three lines split by ';' into 3 fields and a total row into 6; two lines hold one comma:
    # ';' scores 3 lines agreeing (on 2 delimiters), ',' only 2
    assert sniff_delimiter("a;b;c\n1;2;3\n4;5,6;7\n合计;1;2;3;4;5\nx,y\n") == ";"


def test_among_field_counts_on_equally_many_lines_the_larger_wins() -> None:
    # ';' splits one line into 3 fields and one into 5 (one line each): it counts as 5 fields,
    # which beats ',' splitting one line into 4
    assert sniff_delimiter("a;b;c\nd;e;f;g;h\ni,j,k,l\n") == ";"


def test_a_web_page_without_an_extension_says_so() -> None:
    with pytest.raises(SubmissionError) as info:
        read_csv_grid(b"<html><body><table><tr><td>1</td></tr></table></body></html>", Path("报送/甲县"))
    assert str(info.value).startswith("报送/甲县: this is a web page (HTML) saved with a (no extension) name, ")


def test_a_block_of_nul_bytes_inside_is_binary() -> None:
    # 40 zero bytes between two lines (zeros at even and odd offsets alike, so not UTF-16)
    data = "指标名称,2024\n".encode() + bytes(40) + "能耗,5\n".encode()
    with pytest.raises(SubmissionError, match="this is not a text file"):
        read_csv_grid(data, P)


def test_nul_padding_after_a_last_line_without_line_end() -> None:
    # WPS leaves no line end after the last row; the padding goes, the last cell ("X": 不适用) stays
    got, notes = rows_of("编号,类别\n1,X".encode() + b"\x00" * 4)
    assert got == [["编号", "类别"], ["1", "X"]]
    assert "甲县.csv: 4 NUL byte(s) after the last line removed" in notes


def test_a_line_break_inside_a_quoted_cell_is_kept_as_written() -> None:
    # Alt+Enter in Excel: the cell holds a line break; the CSV quotes it and ends lines with CRLF
    got, _ = rows_of('指标名称,备注\r\n能耗,"第一行\r\n第二行"\r\n'.encode())
    assert got == [["指标名称", "备注"], ["能耗", "第一行\r\n第二行"]]


def test_a_first_cell_starting_with_x_keeps_it_after_the_mark() -> None:
    # "XX县" is how a template names the county; the byte-order mark goes, the Xs stay
    got, _ = rows_of(codecs.BOM_UTF8 + "XX县能耗统计表\n指标名称,2024年\n能耗,5\n".encode())
    assert got[0] == ["XX县能耗统计表"]
