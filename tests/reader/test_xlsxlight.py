"""reader/xlsxlight.py reads a workbook cell for cell as openpyxl does: every workbook under
tests/ and examples/ (the malformed corpus included) and workbooks written the way Excel, WPS
and scripts write them give the same grids (values, their types, number formats, cells, hidden
sheets, merged ranges filled) and the same notes or the same error with ``CBCHECK_FASTXLSX`` on
and off; what the bytes do not settle is read by openpyxl, and the tests say which."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbcheck.errors import CbcheckError
from cbcheck.reader import xlsxcheck, xlsxlight, xlsxrules
from cbcheck.reader.grid import read_file, read_grids

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = sorted(p for base in (ROOT / "tests", ROOT / "examples") for p in base.rglob("*.xls[xm]"))


def _grids(path: Path) -> Any:
    try:
        grids, notes = read_grids(read_file(path), path)
    except CbcheckError as exc:
        return ("error", str(exc))
    return [(g.name, g.hidden, [[(c.value, type(c.value), c.row, c.col, c.number_format) for c in row]
                                for row in g.rows]) for g in grids], notes


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, bool]:
    light, full, how = _read_both(path, monkeypatch)
    return light, full, how != "openpyxl"


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, str]:
    """Both readings, and how the light one went: "light" (no openpyxl), "midway" (openpyxl took
    over a sheet while it streamed) or "openpyxl" (from the opening)."""
    used: list[bool] = []
    midway: list[int] = []
    real, real_sheet = xlsxlight.open_book, xlsxlight.LightBook.openpyxl_sheet

    def spy(*args: Any) -> Any:
        book = real(*args)
        used.append(book is not None)
        return book

    def sheet_spy(self: Any, index: int) -> Any:
        midway.append(index)
        return real_sheet(self, index)

    monkeypatch.setattr(xlsxlight, "open_book", spy)
    monkeypatch.setattr(xlsxlight.LightBook, "openpyxl_sheet", sheet_spy)
    monkeypatch.setenv("CBCHECK_FASTXLSX", "1")
    light = _grids(path)
    monkeypatch.setenv("CBCHECK_FASTXLSX", "0")
    full = _grids(path)
    return light, full, ("openpyxl" if not any(used) else "midway" if midway else "light")


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_workbook_reads_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    light, full, _ = _both(path, monkeypatch)
    assert light == full


def test_the_plain_workbooks_are_read_without_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = {p.relative_to(ROOT).as_posix() for p in WORKBOOKS if _both(p, monkeypatch)[2]}
    examples = {p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").rglob("*.xlsx")}
    assert examples and examples <= taken
    assert len(taken) >= 45        # of 54: 8 are refused before either reader, one has external links


# --- workbooks written by hand, the way WPS, Excel and scripts write them --------------------

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
       '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
       'main+xml"/>{sheets}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
       'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_STYLES = (f'<styleSheet {_MAIN}><numFmts count="3"><numFmt numFmtId="176" formatCode="0.0%"/>'
           '<numFmt numFmtId="177" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
           '<numFmt numFmtId="178" formatCode="[h]:mm"/></numFmts><cellXfs count="7"><xf numFmtId="0"/>'
           '<xf numFmtId="9"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="14"/><xf numFmtId="178"/>'
           '<xf numFmtId="49"/></cellXfs></styleSheet>')


def _workbook(sheets: list[tuple[str, str, str]], strings: list[str], *, date1904: bool = False,
              styles: str = _STYLES) -> bytes:
    """A workbook from sheet XML bodies (name, state, the <sheetData> content and what follows)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT.format(sheets="".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))))
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   f'2006/relationships">{rels}</Relationships>')
        listed = "".join(f'<sheet name="{name}" sheetId="{i}"{f" state={chr(34)}{state}{chr(34)}" if state else ""}'
                         f' r:id="rId{i}"/>' for i, (name, state, _) in enumerate(sheets, start=1))
        pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
        z.writestr("xl/workbook.xml", f'<workbook {_MAIN} {_R}>{pr}<sheets>{listed}</sheets></workbook>')
        z.writestr("xl/styles.xml", styles)
        z.writestr("xl/sharedStrings.xml", f'<sst {_MAIN}>' + "".join(strings) + "</sst>")
        for i, (_, _, body) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<worksheet {_MAIN} {_R}><dimension ref="A1:K20"/>'
                       f'<sheetData>{body}</sheetData></worksheet>')
    return out.getvalue()


_TITLE = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
          '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c></row>')
_STRINGS = ['<si><t>某县碳达峰指标表</t></si>', '<si><t>指标</t></si>', '<si><t xml:space="preserve"> 2025年 </t></si>',
            '<si><t>备注_x000D_说明</t></si>', '<si><r><t>单位</t></r><r><t>（万吨）</t></r></si>',
            '<si><t>x005F_x0041_</t></si>', '<si><t/></si>']
CASES: dict[str, tuple[list[tuple[str, str, str]], list[str], dict[str, Any], str]] = {
    # name: (sheets, shared strings, options, how the light reading goes: see _read_both)
    "merged title, percent, dates as numbers, escapes": ([("表1", "", _TITLE + (
        '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" s="1"><v>0.45</v></c><c r="C3" s="2"><v>0.1325</v></c>'
        '<c r="D3" s="3"><v>45199</v></c><c r="E3" s="4"><v>45199.5</v></c><c r="F3" s="5"><v>1.25</v></c>'
        '<c r="G3" s="6" t="s"><v>5</v></c><c r="H3" t="s"><v>6</v></c></row>'
        '<row r="5"><c r="A5" t="inlineStr"><is><t>内联</t></is></c><c r="B5" t="inlineStr"><is><r><t>分</t></r>'
        '<r><t>段</t></r></is></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><v>#DIV/0!</v></c>'
        '<c r="E5" t="str"><v>公式文本</v></c><c r="F5"><f>SUM(A1:A2)</f></c><c r="G5"><f>1+1</f><v>2</v></c>'
        '<c r="H5" s="4"><v>3000000</v></c><c r="I5" s="4"><v>0.25</v></c><c r="J5"><v>1E-3</v></c></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells><sheetData>'))],
        _STRINGS, {}, "light"),
    "1904 epoch and a hidden sheet": ([("表1", "", '<row r="1"><c r="A1" s="4"><v>40000</v></c><c r="B1" s="5">'
                                               '<v>0.5</v></c></row>'),
                                      ("说明", "hidden", '<row r="1"><c r="A1" t="s"><v>1</v></c></row>'),
                                      ("备用", "veryHidden", "")], _STRINGS, {"date1904": True}, "light"),
    "WPS: rows and cells without references, gaps": ([("Sheet1", "", (
        '<row><c t="s"><v>1</v></c><c><v>5</v></c></row><row><c/><c s="1"><v>1</v></c></row>'
        '<row r="6" spans="1:3"><c r="C6"><v>7</v></c><c><v>8</v></c></row><row r="4"><c r="A4"><v>9</v></c></row>'
        '<row r="9"/><row r="10"><c r="B10" s="0"/></row>'))], _STRINGS, {}, "light"),
    "WPS and Excel sheet settings": ([("表1", "", _TITLE + (
        '</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells><conditionalFormatting sqref="B3:B9">'
        '<cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>0</formula></cfRule>'
        '</conditionalFormatting><dataValidations count="1"><dataValidation type="list" allowBlank="1" '
        'showInputMessage="1" showErrorMessage="1" sqref="C3:C9"><formula1>"是,否"</formula1></dataValidation>'
        '</dataValidations><printOptions horizontalCentered="1"/><pageMargins left="0.75" right="0.75" top="1" '
        'bottom="1" header="0.5" footer="0.5"/><pageSetup paperSize="9" orientation="landscape" '
        'horizontalDpi="600" r:id="rId1"/><headerFooter><oddFooter>&amp;C第 &amp;P 页</oddFooter></headerFooter>'
        '<sheetData>'))], _STRINGS, {}, "light"),
    "a page setup openpyxl refuses: openpyxl at the end": ([("表1", "", _TITLE + (
        '</sheetData><pageSetup paperSize="A4"/><sheetData>'))], _STRINGS, {}, "midway"),
    "a style the workbook lacks": ([("表1", "", '<row r="1"><c r="A1" s="40"><v>1</v></c></row>')],
                                   _STRINGS, {}, "light"),
    "an ISO date cell: openpyxl from that row on": ([("表1", "", _TITLE + '<row r="3"><c r="A3" t="d"><v>2024-01-05'
                                                                         '</v></c></row>')], _STRINGS, {}, "midway"),
    "rich text in a cell": ([("表1", "", _TITLE + (
        '<row r="3"><c r="A3" t="inlineStr"><is><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/></rPr><t>粗</t>'
        '</r><r><rPr><vertAlign val="superscript"/></rPr><t>2</t></r></is></c></row>'))], _STRINGS, {}, "light"),
    "a run's font openpyxl refuses: openpyxl from that row on": ([("表1", "", _TITLE + (
        '<row r="3"><c r="A3" t="inlineStr"><is><r><rPr><u val="wavy"/></rPr><t>波</t></r></is></c></row>'))],
        _STRINGS, {}, "midway"),
    "a damaged row": ([("表1", "", _TITLE + '<row r="3"><c r="A3" t="s"><v>99</v></c></row>')], _STRINGS, {}, "midway"),
    "a bad cell reference": ([("表1", "", _TITLE + '<row r="3"><c r="3A"><v>1</v></c></row>')], _STRINGS, {}, "midway"),
    "rich text in the shared strings (WPS: a superscript in a unit)": ([("表1", "", _TITLE)], [*_STRINGS[:3], (
        '<si><r><t>面积（m</t></r><r><rPr><vertAlign val="superscript"/><sz val="11"/><rFont val="宋体"/>'
        '<family val="3"/><charset val="134"/><color theme="1" tint="-0.25"/></rPr><t>2</t></r><r><t>）</t></r>'
        '</si>')], {}, "light"),
    "phonetic runs in the shared strings": ([("表1", "", _TITLE)], [*_STRINGS[:3], (
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>')], {}, "openpyxl"),
    "a run's font openpyxl refuses in the shared strings": ([("表1", "", _TITLE)], [*_STRINGS[:3], (
        '<si><r><rPr><sz val="big"/></rPr><t>m</t></r></si>')], {}, "openpyxl"),
    "no cell styles": ([("表1", "", '<row r="1"><c r="A1" s="0"><v>1.5</v></c></row>')], _STRINGS,
                       {"styles": f"<styleSheet {_MAIN}/>"}, "light"),
    "a bad dimension": ([("表1", "", _TITLE)], _STRINGS, {}, "openpyxl"),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_written_workbooks_read_alike(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheets, strings, options, how = CASES[case]
    data = _workbook(sheets, strings, **options)
    if case == "a bad dimension":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = src.read(info.filename)
                dst.writestr(info.filename, body.replace(b'ref="A1:K20"', b'ref="A1:K20:"'))
        data = out.getvalue()
    path = tmp_path / "填报.xlsx"
    path.write_bytes(data)
    got, expected, went = _read_both(path, monkeypatch)
    assert got == expected
    assert went == how


def test_the_merged_title_fills_and_the_values_are_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand-checked: what the first case reads (so that 'alike' is not 'alike and wrong'). The merged
    title on row 1 is clipped to the widest row seen so far (xlsxfile._Merges), on both paths."""
    path = tmp_path / "a.xlsx"
    path.write_bytes(_workbook(CASES["merged title, percent, dates as numbers, escapes"][0], _STRINGS))
    monkeypatch.setenv("CBCHECK_FASTXLSX", "1")
    grid = read_grids(read_file(path), path)[0][0]
    cells = {c.location: (c.value, c.number_format) for row in grid.rows for c in row}
    assert cells["表1!A1"] == ("某县碳达峰指标表", "General") and cells["表1!C2"][0] == "备注\r说明"
    assert cells["表1!B3"] == (0.45, "0%") and cells["表1!C3"] == (0.1325, "0.0%")
    assert cells["表1!D3"][0] == dt.datetime(2023, 9, 30) and cells["表1!E3"][0] == dt.datetime(2023, 9, 30, 12)
    assert cells["表1!F3"][0] == dt.timedelta(hours=30)
    assert cells["表1!A3"][0] == "单位（万吨）" and cells["表1!G3"][0] == "x0041_"
    assert cells["表1!B2"][0] == " 2025年 " and cells["表1!B5"][0] == "分段"
    assert cells["表1!C5"][0] is True and cells["表1!D5"][0] == "#DIV/0!" and cells["表1!G5"][0] == 2
    assert repr(cells["表1!F5"][0]) == "NO_CACHED_VALUE"
    assert cells["表1!H5"][0] == "#VALUE!" and cells["表1!I5"][0] == dt.time(6, 0)


# --- openpyxl's rules, as ported ----------------------------------------------------------------

def test_the_ported_rules_are_openpyxls() -> None:
    from openpyxl.styles import numbers
    from openpyxl.xml import constants

    original = {fid: fmt for fid, fmt in numbers.BUILTIN_FORMATS.items() if fid not in xlsxrules.EAST_ASIAN_FORMATS}
    assert {fid: fmt for fid, fmt in xlsxrules.BUILTIN_FORMATS.items()
            if fid not in xlsxrules.EAST_ASIAN_FORMATS} == original        # openpyxl's own, and the East Asian ids
    xlsxrules.east_asian_formats_into_openpyxl()
    assert xlsxrules.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    assert xlsxrules.BUILTIN_FORMATS_MAX_SIZE == numbers.BUILTIN_FORMATS_MAX_SIZE
    assert set(xlsxlight.WORKBOOK_TYPES) == {constants.XLSX, constants.XLSM, constants.XLTX, constants.XLTM}
    assert xlsxlight.SHARED_STRINGS == constants.SHARED_STRINGS and xlsxlight.NS == constants.SHEET_MAIN_NS
    formats = [*numbers.BUILTIN_FORMATS.values(), 'yyyy"年"m"月"', "[h]:mm:ss", "[Red]0.0", "0_);\\(0\\)",
               '"d"0', "[$-804]aaaa", "[mm]:ss", "0.0%;[Red]-0.0%", "[DBNum1]General", "e", "\\d0", None]
    for fmt in formats:
        assert xlsxrules.is_date_format(fmt) == numbers.is_date_format(fmt), fmt
        assert xlsxrules.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt), fmt


_FONT_PARTS = st.sampled_from([
    '<b/>', '<b val="0"/>', '<i val="x"/>', '<strike/>', '<sz val="11"/>', '<sz val="10.5"/>', '<sz val="-1"/>',
    '<sz val="abc"/>', '<sz/>', '<u/>', '<u val="double"/>', '<u val="wavy"/>', '<vertAlign val="superscript"/>',
    '<vertAlign val="top"/>', '<scheme val="minor"/>', '<scheme val="x"/>', '<rFont val="宋体"/>',
    '<family val="2"/>', '<family val="15"/>', '<family val="x"/>', '<charset val="134"/>', '<charset val="1.5"/>',
    '<color rgb="FFFF0000"/>', '<color rgb="red"/>', '<color theme="1"/>', '<color tint="2"/>',
    '<color theme="1" tint="-0.499984740745262"/>', '<color indexed="8"/>', '<color auto="1"/>',
    '<color foo="1"/>', '<name val="x"/>', '<outline/>', '<shadow val="1"/>', '<condense/>', '<extend/>',
    '<color rgb="FF0000"/>'])
_NOT_SETTLED = ('<sz val="-1"/>', '<sz val="abc"/>', '<u val="wavy"/>', '<vertAlign val="top"/>', '<scheme val="x"/>',
            '<family val="15"/>', '<family val="x"/>', '<charset val="1.5"/>', '<color rgb="red"/>',
            '<color tint="2"/>', '<color foo="1"/>', '<name val="x"/>')


@given(st.lists(_FONT_PARTS, max_size=5))
@settings(max_examples=300, deadline=None)
def test_a_runs_font_is_settled_only_where_openpyxl_reads_it(parts: list[str]) -> None:
    from openpyxl.cell.text import InlineFont

    from cbcheck.reader.xlsxrules import fromstring

    node = fromstring(f'<rPr {_MAIN}>{"".join(parts)}</rPr>'.encode())
    try:
        xlsxrules.check_font(node)
    except xlsxrules.Unsettled:
        return
    InlineFont.from_tree(node)         # settled: openpyxl reads it too
    assert not set(parts) & set(_NOT_SETTLED)


@given(st.floats(min_value=-1e6, max_value=3e6, allow_nan=False), st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_serial_dates_as_openpyxl(value: float, mac: bool, delta: bool) -> None:
    from openpyxl.utils.datetime import from_excel

    epoch = xlsxrules.MAC_EPOCH if mac else xlsxrules.WINDOWS_EPOCH

    def run(f: Any) -> Any:
        try:
            return f(value, epoch, timedelta=delta)
        except (OverflowError, ValueError) as exc:
            return type(exc)

    assert run(xlsxrules.from_excel) == run(from_excel)


@given(st.text(alphabet="0123456789.eE+-AZaz$", max_size=8))
@settings(max_examples=300, deadline=None)
def test_numbers_and_references_as_openpyxl(text: str) -> None:
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import _cast_number

    def run(f: Any) -> Any:
        try:
            return f(text)
        except Exception as exc:  # noqa: BLE001 - both must fail, on the same texts
            return Exception if isinstance(exc, (ValueError, TypeError, KeyError)) else type(exc)

    assert run(xlsxrules.cast_number) == run(_cast_number)
    if text:
        assert run(xlsxrules.coordinate_to_tuple) == run(coordinate_to_tuple)


# --- damage: the same reading or the same one-line error --------------------------------------

# written by openpyxl; by Excel with shared strings, a theme and custom properties (as WPS writes them)
_SAMPLES = [(ROOT / p).read_bytes() for p in ("examples/jining-county-pass.xlsx",
                                              "tests/badinput/calamine/header-row.xlsx")]


def _parts(sample: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        return sorted(n for n in z.namelist() if n.endswith((".xml", ".rels")))


@given(st.sampled_from(_SAMPLES).flatmap(lambda s: st.tuples(st.just(s), st.sampled_from(_parts(s)))),
       st.floats(min_value=0, max_value=1, exclude_max=True), st.binary(min_size=1, max_size=3))
@settings(max_examples=200, deadline=None)
def test_a_damaged_part_reads_or_fails_alike(sample_part: tuple[bytes, str], where: float, junk: bytes) -> None:
    """A part's XML with a few bytes replaced (zipped again, so that the XML parsers meet the
    damage, not a CRC check): both paths give the same grids or the same error. Most damage is
    refused by one of openpyxl's typed checks (an attribute it does not know, a value of the wrong
    type), which reader/xlsxschema.py tabulates."""
    import tempfile

    sample, part = sample_part
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                at = int(where * len(body))
                body = body[:at] + junk + body[at + len(junk):]
            dst.writestr(info.filename, body)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.xlsx"
        path.write_bytes(out.getvalue())
        with pytest.MonkeyPatch.context() as monkeypatch:
            light, full, _ = _both(path, monkeypatch)
    assert light == full


def test_the_schema_table_is_the_installed_openpyxls() -> None:
    """reader/xlsxschema.py is what tests/reader/xlsxschema_gen.py makes of this openpyxl: an
    upgrade that changes what openpyxl accepts fails here (regenerate and read the diff)."""
    from xlsxschema_gen import module_text

    assert (ROOT / "src" / "cbcheck" / "reader" / "xlsxschema.py").read_text(encoding="utf-8") == module_text()


@pytest.mark.parametrize(("xml", "settled"), [
    ('<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><cellXfs count="1"><xf numFmtId="164"'
     ' fontId="0" applyNumberFormat="1"><alignment horizontal="center" textRotation="90"/></xf></cellXfs>', True),
    ('<cellXfs><xf numFmtId="0" fontID="0"/></cellXfs>', False),                 # an attribute it does not know
    ('<cellXfs><xf numFmtId="x"/></cellXfs>', False),                            # not a whole number
    ('<cellXfs><xf><alignment horizontal="middle"/></xf></cellXfs>', False),     # not one of its values
    ('<cellXfs><xf><alignment textRotation="181"/></xf></cellXfs>', False),
    ('<fonts><font><b/><sz val="11"/><color theme="1"/><name val="宋体"/><u/></font></fonts>', True),
    ('<fonts><font><sz val="eleven"/></font></fonts>', False),
    ('<fills><fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill></fills>', True),
    ('<fills><fill><patternFill patternType="dotted"/></fill></fills>', False),
    ('<fills><fill><patternFill><fgColor rgb="yellow"/></patternFill></fill></fills>', False),
    ('<fills><fill/></fills>', False),
    ('<fonts><font/></fonts><fills><fill><patternFill/></fill></fills><borders><border/></borders><cellStyleXfs>'
     '<xf fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellStyles><cellStyle name="常规" xfId="0" '
     'builtinId="0"/></cellStyles>', True),
    ('<fonts><font/></fonts><cellStyleXfs><xf fontId="0"/></cellStyleXfs><cellStyles><cellStyle name="常规" xfId="1"/>'
     '</cellStyles>', False),                                                    # no cellStyleXfs[1]
    ('<fonts><font/></fonts><cellStyleXfs><xf fontId="3"/></cellStyleXfs><cellStyles><cellStyle name="常规" xfId="0"/>'
     '</cellStyles>', False),                                                    # no fonts[3]
    ('<cellXfs><xf numFmtId="0" fontId="4294967296"/></cellXfs>', False),       # over 32 bits
])
def test_styles_openpyxl_reads_are_settled_and_no_other(xml: str, settled: bool) -> None:
    """Hand-picked stylesheets: settled ones openpyxl reads; the others it refuses (or, for an
    empty fill, they are not settled here)."""
    from openpyxl.styles.stylesheet import Stylesheet

    root = xlsxrules.fromstring(f"<styleSheet {_MAIN}>{xml}</styleSheet>".encode())
    try:
        xlsxcheck.check_part(root, "styles")
        ok = True
    except xlsxrules.Unsettled:
        ok = False
    assert ok is settled
    if settled:
        Stylesheet.from_tree(xlsxrules.fromstring(f"<styleSheet {_MAIN}>{xml}</styleSheet>".encode()))
    elif "<fill/>" not in xml:
        with pytest.raises((TypeError, ValueError, IndexError, OverflowError)):
            Stylesheet.from_tree(xlsxrules.fromstring(f"<styleSheet {_MAIN}>{xml}</styleSheet>".encode()))


@pytest.mark.filterwarnings("ignore:Cannot parse header or footer")
@given(st.text(alphabet="&LCRKPNBIU\"0123456789ABCDEF +-宋体页[]Pages", max_size=30))
@settings(max_examples=300, deadline=None)
def test_any_header_or_footer_text_is_read_by_openpyxl(text: str) -> None:
    """xlsxschema marks header and footer texts as taking any text: openpyxl's miniformat parser
    (regexes) reads every text without raising."""
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from xml.etree.ElementTree import Element

    node = Element("oddFooter")
    node.text = text
    HeaderFooterItem.from_tree(node)


def test_the_installed_openpyxl_is_the_one_reproduced() -> None:
    """The port is of openpyxl 3.1.5: a new openpyxl (a fresh install picks the newest) makes
    every workbook go to openpyxl at run time — correct, 0.16 s slower — and fails here, so the
    rules and the schema table are checked against it and the version moved on deliberately."""
    import openpyxl

    assert xlsxlight.installed_openpyxl() == openpyxl.__version__ == xlsxlight.OPENPYXL_VERSION


def test_another_openpyxl_version_opens_every_workbook_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read without importing openpyxl only what this openpyxl would read the same: with another
    version installed, openpyxl opens the workbook, and the reading is the same grid."""
    path = ROOT / "examples" / "jining-county-fail.xlsx"
    light, full, how = _read_both(path, monkeypatch)
    assert how == "light" and light == full
    monkeypatch.setattr(xlsxlight, "OPENPYXL_VERSION", "3.0.10")
    other, _, how = _read_both(path, monkeypatch)
    assert how == "openpyxl" and other == full
