"""The vectorised sheet-XML questions (reader/xmlscan.py) give exactly the plain byte searches'
answers, on every worksheet in the repository and on XML made of the fragments that matter
(tags with and without namespace prefixes, the rare bytes inside and outside ``sheetData``,
one-letter types, style ids, ``sheetData`` at the very ends)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cbcheck.reader.xlsxfile import _scan_sheet_xml
from cbcheck.reader.xmlscan import SheetBytes

ROOT = Path(__file__).resolve().parents[2]
COUNTED = [b"<row", b":row ", b"<c ", b"<c>", b":c "]
LOOKED_FOR = [b"_x", b"s='", b"t='", b"\ts=", b"\ns=", b"\rs=", b"\tt=", b"\nt=", b"\rt=", b":mergeCell", b":f",
              b"'", b"_"]


def _plain_numbers(xml: bytes) -> frozenset[int]:
    out = set()
    for value in re.findall(rb' s="([^"]*)"', xml):
        digits = re.match(rb"\d{0,7}", value).group(0)     # type: ignore[union-attr]
        out.add(int(digits) if digits else 0)
    return frozenset(out)


def assert_answers_alike(xml: bytes) -> None:
    sb = SheetBytes(xml)
    for needle in COUNTED:
        assert sb.count(needle) == xml.count(needle), needle
    for needle in LOOKED_FOR:
        assert sb.has(needle) == (needle in xml), needle
    assert sb.one_letter_values(b"t") == frozenset(re.findall(rb' t="(.)"', xml))
    assert sb.numbers_of(b"s") == _plain_numbers(xml)
    assert sb.has_formula_tag == (b"<f" in xml or b":f" in xml)
    assert bool(sb.count_tag(b"mer", None)) == (b"<mer" in xml)
    assert _scan_sheet_xml(xml, sb) == _scan_sheet_xml(xml, _Everything(xml))
    assert sb.ref_extent() == _plain_extent(xml)


class _Everything(SheetBytes):
    """Says every tag may be there: the scan then searches as it did before xmlscan."""

    def count_tag(self, name: bytes, then: bytes | None) -> int:
        return 1

    def has(self, needle: bytes) -> bool:
        return True

    @property
    def has_formula_tag(self) -> bool:       # type: ignore[override]
        return True


def _plain_extent(xml: bytes) -> tuple[int, int, int]:
    """Each `` r="`` value up to its closing quote: a cell reference when it starts with a capital;
    a row (and a column) when it is up to three capitals then one to ten digits."""
    cells, rows, cols = 0, 0, 0
    for m in re.finditer(rb' r="', xml):
        end = xml.find(b'"', m.end())
        value = xml[m.end():end if end >= 0 else len(xml)]
        cells += value[:1].isupper() and value[:1].isalpha()
        ref = re.fullmatch(rb"([A-Z]{0,3})(\d{1,10})", value)
        if ref is not None:
            rows = max(rows, int(ref.group(2)))
            if ref.group(1):
                cols = max(cols, _col(ref.group(1)))
    return cells, rows, cols


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheets() -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(p for base in (ROOT / "tests", ROOT / "examples") for p in base.rglob("*.xls[xm]")):
        try:
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                        out.append((f"{path.relative_to(ROOT)}:{name}", zf.read(name)))
        except (zipfile.BadZipFile, OSError, KeyError, EOFError):
            continue           # the damaged workbooks of the refusal tests
    return out


SHEETS = _sheets()


def test_the_repository_has_sheets_to_compare() -> None:
    assert len(SHEETS) > 30


@pytest.mark.parametrize("name,xml", SHEETS, ids=[n for n, _ in SHEETS])
def test_every_sheet_xml_answers_alike(name: str, xml: bytes) -> None:
    assert_answers_alike(xml)


FRAGMENTS = [b"<row r=\"1\">", b"</row>", b"<c r=\"A1\">", b"<c r=\"B2\" s=\"3\" t=\"e\">", b"<c>", b"<c/>",
             b"<x:c r=\"C3\" ", b"<x:row ", b" t=\"d\"", b" t=\"str\"", b" s=\"12\"", b" s=\"1234567\"", b" s=\"\"",
             b" s=\"x\"", b"s='1'", b"t='e'", b"\ts=\"2\"", b"\ns=\"4\"", b"<f>1+1</f>", b"<x:f>", b"<v>",
             b"</v>", b"<v/>", b"</c>", b"'", b"_x000D_", b"_", b"\n", b"\r", b"\t", b":", b"sheetData",
             b"<sheetData>", b"</sheetData>", b"<mergeCells>", b"<mergeCell ref=\"A1:B2\"/>", b"<x:mergeCell ",
             b"<rowBreaks>", b"=\"", b"\"", b"<", b" ", b"<r", b"<ro", b"<m", b"<me", b"t", b"s", b"e", b"1",
             b" r=\"", b"XFD", b"A", b"ABCD", b"1048576", b"12345678901", b" r=\"C7\"", b"<row r=\"300000\"/>",
             b"0", b"9", b"007", b"B", b" r=\"A9\"", b" r=\"AB12\"", b" r=\"Z99\""]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(FRAGMENTS), max_size=40))
# bytes ending inside an attribute's value: no closing quote, so no value (hypothesis found the first)
@example(parts=[b"<x:c r=\"C3\" ", b"s", b"=\""])
@example(parts=[b" t=\"", b"e"])
@example(parts=[b" s=\"12\"", b" s=\"", b"1"])
@example(parts=[b"<c r=\"A1\">", b" r=\"", b"XFD", b"1048576"])
def test_generated_xml_answers_alike(parts: list[bytes]) -> None:
    assert_answers_alike(b"".join(parts))
