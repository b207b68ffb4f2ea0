"""Which text a CSV export really holds, whatever its encoding: the assertions are on the cells
decoded, never on the note (a guess names gb18030 in its note too while reading garbage).

The files are what Excel and WPS write on a Chinese Windows: "CSV (逗号分隔)" is GBK (cp936),
"CSV UTF-8" has a BOM, "Unicode 文本" is UTF-16 LE with a BOM and tabs; some tools drop the BOM.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cbcheck.reader.csvfile import read_csv_grid

HEADER = ["指标名称", "单位", "2024年"]
ROWS = [HEADER, ["煤炭消费量", "万吨", "1800"]]


def cells(data: bytes, name: str = "填报表.csv") -> list[list[object]]:
    grid, _notes = read_csv_grid(data, Path(name))
    return [[c.value for c in row] for row in grid.rows]


def csv_text(rows: list[list[str]], sep: str = ",", eol: str = "\r\n") -> str:
    return "".join(sep.join(r) + eol for r in rows)


# --- GBK / GB18030 ---------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
@pytest.mark.parametrize("rows", [
    [["能耗", "5"]],                                         # two characters: the shortest real line
    [HEADER],                                                 # a header alone
    [["煤炭消费量", "万吨", "1800"]],                          # one data line, no header
    ROWS,
], ids=["two-chars", "header-only", "one-line", "header-and-line"])
def test_short_gbk_lines_decode_to_the_chinese_written(codec: str, rows: list[list[str]]) -> None:
    assert cells(csv_text(rows).encode(codec)) == rows


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_long_gbk_table_decodes_every_row(codec: str) -> None:
    counties = ["榆次区", "太谷区", "祁县", "平遥县", "介休市", "灵石县",
                "寿阳县", "昔阳县", "和顺县", "左权县", "榆社县"]
    rows = [["县（市、区）", "指标名称", "单位", "2020年", "2024年"]]
    for i, county in enumerate(counties * 20):
        rows.append([county, "单位地区生产总值能耗", "吨标准煤/万元", f"0.{500 + i}", f"0.{420 + i}"])
    assert cells(csv_text(rows).encode(codec)) == rows


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
@pytest.mark.parametrize("line", [
    ["堃源煤业", "万吨", "5"],         # 堃 is GBK, not GB2312: a company name
    ["镕", "5"],                       # a one-character name
    ["王赟", "是"],                    # a person's name in a contact column
    ["單位地區生產總值能耗", "噸標準煤/萬元", "0.5"],   # traditional forms (WPS on a 繁体 system)
])
def test_gbk_characters_outside_gb2312_in_a_short_file(codec: str, line: list[str]) -> None:
    rows = [line]
    assert cells(csv_text(rows).encode(codec)) == rows


def test_gb18030_four_byte_character_in_a_short_file() -> None:
    rows = [["𠮷村光伏电站", "万千瓦", "12"]]   # 𠮷 (U+20BB7) exists only in GB18030, as four bytes
    data = csv_text(rows).encode("gb18030")
    assert len("𠮷".encode("gb18030")) == 4
    assert cells(data) == rows


def test_gb18030_byte_order_mark() -> None:
    data = b"\x84\x31\x95\x33" + csv_text(ROWS).encode("gb18030")
    assert cells(data) == ROWS


def test_latin1_is_still_not_read_as_gbk() -> None:
    # Latin-1 is not ours to read exactly (it is handed to the guesser); it must not become Chinese
    rows = [["Histórico", "São Paulo", "5"], ["Año", "Mês", "6"]]
    got = cells(csv_text(rows).encode("latin-1"))
    assert got[0][0] == "Histórico" and [r[2] for r in got] == ["5", "6"]
    assert not any("\u3400" <= ch <= "\u9fff" for row in got for cell in row for ch in str(cell))


# --- UTF-16 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
@pytest.mark.parametrize("with_bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_with_and_without_bom(codec: str, bom: bytes, with_bom: bool) -> None:
    # Excel's "Unicode 文本" is tab separated
    data = (bom if with_bom else b"") + csv_text(ROWS, sep="\t").encode(codec)
    assert cells(data, "填报表.txt.csv") == ROWS


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_short_utf16_line_without_bom(codec: str) -> None:
    rows = [["能耗", "5"]]
    assert cells(csv_text(rows).encode(codec)) == rows


# --- UTF-8 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["no-bom", "bom"])
def test_utf8_with_and_without_bom(bom: bytes) -> None:
    got = cells(bom + csv_text(ROWS).encode("utf-8"))
    assert got == ROWS   # the BOM is not glued to the first header cell
    assert got[0][0] == "指标名称"


def test_utf8_short_line_is_not_taken_for_gbk() -> None:
    # 3-byte UTF-8 sequences also decode as GB18030 (into other characters): UTF-8 must win
    rows = [["能耗", "5"]]
    assert cells(csv_text(rows).encode("utf-8")) == rows
