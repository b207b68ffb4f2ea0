"""The numpy cell reader of facility xlsx bodies (reader/xlsxcells.py) reads what calamine and
openpyxl read: random workbooks written by openpyxl and by hand the ways WPS, Excel and
xlsxwriter write them (shared or inline strings, ``t="n"`` written or not, attributes in either
order, styled blanks, booleans, entities and character references, error cells, dates) give the
same facility frame, cell errors, notes and findings on the three paths; the shapes it leaves to
calamine (cells without a reference, rows out of order, whitespace between tags, formulas, a
carriage return in a text) are read by calamine or openpyxl, alike; and a plain file is read by
it (a test fails if it is silently never taken)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck.policy import load_policy
from cbcheck.reader import sidebyside, xlsxcells, xlsxcolumns, xmlscan
from cbcheck.reader.xmlscan import SheetBytes
from test_fastcsv import HEADER, POLICY, TYPES, _policy_for, _read, assert_same_reading, findings
from test_xlsxlight import _workbook as _package

BULK = "facility rows read with "          # python-calamine or numpy: the one note allowed to differ
XML_NOTE = "facility rows read with numpy from the sheet XML"
CALAMINE_NOTE = "facility rows read with python-calamine"


def _three(path: Path, cat: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, Any]:
    """(numpy, calamine, openpyxl) readings of one workbook."""
    monkeypatch.setenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", "0")
    monkeypatch.setenv("CBCHECK_FASTXLSX", "1")
    monkeypatch.setenv("CBCHECK_XLSXCELLS", "1")
    fast = _read(path, cat, True, monkeypatch)
    monkeypatch.setenv("CBCHECK_XLSXCELLS", "0")
    calamine = _read(path, cat, True, monkeypatch)
    monkeypatch.setenv("CBCHECK_FASTXLSX", "0")
    slow = _read(path, cat, True, monkeypatch)
    return fast, calamine, slow


def _said(submission: Any, note: str) -> bool:
    return not isinstance(submission, tuple) and any(note in n for n in submission.notes)


def _all_alike(folder: Path, path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    policy, cat = load_policy(str(folder / "policy.yaml"))
    fast, calamine, slow = _three(path, cat, monkeypatch)
    assert_same_reading(fast, slow, BULK)
    assert_same_reading(calamine, slow, BULK)
    assert not _said(calamine, XML_NOTE)
    if not isinstance(slow, tuple):
        assert repr(findings(policy, cat, fast, year=2025)) == repr(findings(policy, cat, slow, year=2025))
    return fast, calamine


# --- workbooks written by openpyxl (inline strings, t="n", t="b", dates in a style) -------------

text = st.one_of(st.sampled_from(["", " ", "抽凝", " 抽凝 ", "0012", "N/A", "#DIV/0!", "A&B <1>", "a\tb", "2号\n机组",
                                  "1号_机组", "—"]),
                 st.text(alphabet="号机组线炉ABC0123456789 &<>'\"", min_size=1, max_size=6))
number = st.one_of(st.none(), st.integers(min_value=-10, max_value=10**12),
                   st.floats(min_value=-1e6, max_value=1e9, allow_nan=False),
                   st.sampled_from([274.65999999999997, 0.1 + 0.2, 300.0000000000001, 1e-7, 1.5e12 + 0.1, 5.0, -0.0,
                                    1e300]))
cell = st.one_of(number, text, st.booleans(), st.just(dt.date(2023, 9, 30)))
facility = st.tuples(st.one_of(text, st.integers(0, 99)), st.sampled_from(TYPES), cell, number, cell, number,
                     number, number, number, cell, cell)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(facility, st.just(None)), min_size=1, max_size=20), title=st.booleans(),
       extra=st.booleans())
def test_random_openpyxl_workbooks_read_alike(tmp_path_factory: pytest.TempPathFactory,
                                               monkeypatch: pytest.MonkeyPatch, rows: list[Any], title: bool,
                                               extra: bool) -> None:
    import openpyxl

    folder = tmp_path_factory.mktemp("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "设施"
    if title:
        ws.append(["某市重点用能设施能耗统计表"])
    ws.append(HEADER)
    for r in rows:
        ws.append([None] * len(HEADER) if r is None else list(r) + (["多出的一格"] if extra else []))
    path = folder / "设施.xlsx"
    wb.save(path)
    fast, calamine = _all_alike(folder, path, monkeypatch)
    assert _said(fast, XML_NOTE) is _said(calamine, CALAMINE_NOTE)      # openpyxl writes flat bodies


# --- workbooks written by hand, the ways WPS, Excel and xlsxwriter write them ------------------

def _ref(col: int, row: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _char_refs(s: str) -> str:
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in escape(s))


def _sheet(rows: list[list[Any]], how: dict[str, Any]) -> tuple[str, list[str], bool]:
    """(sheet XML rows, shared strings, whether the odd shape asked for is in the body) for a
    header and rows, written as ``how`` says."""
    strings: list[str] = []
    out = []
    order = list(range(len(rows)))
    if how["odd"] == "rows out of order" and len(order) > 2:
        order[1], order[2] = order[2], order[1]
    for i in order:
        r = i + 1
        cells = []
        for c, v in enumerate(rows[i], start=1):
            ref = "" if how["odd"] == "no references" else f' r="{_ref(c, r)}"'
            style = f' s="{how["style"]}"' if how["style"] is not None else ""
            if v is None:
                if how["styled_blanks"]:
                    cells.append(f"<c{ref}{style}/>")
                continue
            if isinstance(v, bool):
                kind, inner = "b", f"<v>{int(v)}</v>"
            elif isinstance(v, int | float):
                kind, inner = ("n" if how["t_n"] else ""), f"<v>{v!r}</v>"
            elif how["inline"]:
                t = _char_refs(v) if how["char_refs"] else escape(v)
                kind, inner = "inlineStr", f"<is><t>{t}</t></is>"
            else:
                strings.append(f"<si><t xml:space=\"preserve\">{escape(v)}</t></si>")
                kind, inner = "s", f"<v>{len(strings) - 1}</v>"
            t_attr = f' t="{kind}"' if kind else ""
            attrs = f"{t_attr}{style}" if how["t_first"] else f"{style}{t_attr}"
            cells.append(f"<c{ref}{attrs}>{inner}</c>")
        spans = f' spans="1:{len(rows[i])}"' if how["spans"] else ""
        gap = "\n" if how["odd"] == "whitespace between tags" and i else ""
        out.append(f'<row r="{r}"{spans}>{gap}' + "".join(cells) + "</row>" if cells else f'<row r="{r}"{spans}/>')
    head, body = out[0], "".join(out[1:])
    # a body of blank rows has no cell whose reference could be left out: it is a plain sheet
    odd = {None: False, "no references": "<c" in body, "rows out of order": len(order) > 2,
           "whitespace between tags": "\n" in body, "a formula": "<v>" in body,
           "a carriage return in a text": "<t>" in body}[how["odd"]]
    if how["odd"] == "a formula":
        body = body.replace("<v>", "<f>1+1</f><v>", 1)
    if how["odd"] == "a carriage return in a text":
        body = body.replace("<t>", "<t>\r", 1)
    return head + body, strings, odd


hand = st.fixed_dictionaries({
    "inline": st.booleans(), "char_refs": st.booleans(), "t_n": st.booleans(), "t_first": st.booleans(),
    "style": st.sampled_from([None, 0, 6, 1]), "styled_blanks": st.booleans(), "spans": st.booleans(),
    "odd": st.sampled_from([None, None, None, "no references", "rows out of order", "whitespace between tags",
                            "a formula", "a carriage return in a text"])})
hand_cell = st.one_of(st.none(), st.integers(min_value=-10, max_value=10**12),
                      st.floats(min_value=-1e6, max_value=1e9, allow_nan=False), text, st.booleans())
hand_row = st.tuples(st.one_of(text, st.integers(0, 99)), st.sampled_from(TYPES), hand_cell, hand_cell, hand_cell,
                     hand_cell, hand_cell, hand_cell, hand_cell, hand_cell, hand_cell)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(hand_row, st.just(None)), min_size=3, max_size=15), how=hand)
def test_random_hand_written_workbooks_read_alike(tmp_path_factory: pytest.TempPathFactory,
                                                  monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                  how: dict[str, Any]) -> None:
    folder = tmp_path_factory.mktemp("hand")
    grid = [list(HEADER)] + [[None] * len(HEADER) if r is None else list(r) for r in rows]
    body, strings, odd = _sheet(grid, how)
    path = folder / "设施.xlsx"
    path.write_bytes(_package([("设施", "", body)], strings))
    fast, calamine = _all_alike(folder, path, monkeypatch)
    if not _said(fast, BULK):
        return
    # a percent style (s="1") is read from the sheet XML too; only the odd shapes go to calamine
    assert _said(fast, XML_NOTE) is (not odd), how["odd"]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.one_of(hand_row, st.just(None)), min_size=1, max_size=12), how=hand,
       first=st.integers(1, 4))
def test_parts_read_as_the_whole(rows: list[Any], how: dict[str, Any], first: int) -> None:
    """A body read in two parts side by side (reader/sidebyside.py) gives the cells, and the
    refusals, of one reading: forced here on small bodies, taken by large ones on two cores."""
    grid = [list(HEADER)] + [[None] * len(HEADER) if r is None else list(r) for r in rows]
    body, strings, _ = _sheet(grid, how)
    whole = _cells(body, strings, first)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlsxcells, "SPLIT_MIN_TAGS", 0)
        mp.setattr(xlsxcells, "cores", lambda: 2)
        mp.setattr(xmlscan, "SIDE_BY_SIDE_MIN_BYTES", 0)
        mp.setattr(xmlscan, "cores", lambda: 2)
        parts = _cells(body, strings, first)
    assert (whole is None) is (parts is None)
    if whole is not None and parts is not None:
        for a, b in zip((*whole[:3], *whole[3]), (*parts[:3], *parts[3]), strict=True):
            assert [(type(x), repr(x)) for x in a.tolist()] == [(type(x), repr(x)) for x in b.tolist()]


# --- the reader itself ---------------------------------------------------------------------------

def _cells(body: str, strings: list[str] | None = None, first: int = 2) -> Any:
    xml = f'<worksheet xmlns="m"><sheetData>{body}</sheetData></worksheet>'.encode()
    sb = SheetBytes(xml)
    sb.ref_extent()         # the scans the head read makes first
    return xlsxcells.read_cells(sb, strings or [], first)


def test_cells_as_written() -> None:
    got = _cells('<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>'
                 '<row r="2" spans="1:5"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>1.5</v></c>'
                 '<c r="C2" s="3" t="n"><v>-2E3</v></c><c r="D2" t="b" s="1"><v>1</v></c><c r="AA2" s="2"/></row>'
                 '<row r="4"><c r="A4" t="inlineStr"><is><t>A&amp;B &#21495;</t></is></c>'
                 '<c r="B4" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c><c r="C4" t="inlineStr"></c>'
                 '<c r="D4" t="inlineStr"><is><t/></is></c></row><row r="5"></row>', ["x", "一号"])
    assert got is not None
    row, col, kind, (values, numbers) = got
    assert row.tolist() == [2, 2, 2, 2, 2, 4, 4, 4, 4] and col.tolist() == [1, 2, 3, 4, 27, 1, 2, 3, 4]
    assert kind.tolist() == [2, 1, 1, 3, 0, 2, 2, 0, 0]
    assert values[0] == "一号" and values[3] is True and values[5] == "A&B 号" and values[6] == " x "
    assert numbers[1] == 1.5 and numbers[2] == -2000.0


@pytest.mark.parametrize("body", [
    '<row r="2"><c t="s"><v>0</v></c></row>',                                    # no reference
    '<row r="2"><c r="A3"><v>1</v></c></row>',                                   # not on its row
    '<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>1</v></c></row>',              # out of order
    '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>',
    '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>',                          # a formula
    '<row r="2"><c r="A2" t="str"><v>x</v></c></row>',
    '<row r="2"><c r="A2" t="d"><v>2023-09-30</v></c></row>',
    '<row r="2"><c r="A2" t="inlineStr"><is><r><t>x</t></r></is></c></row>',      # rich text
    '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="keep"> x</t></is></c></row>',
    '<row r="2"><c r="A2" t="inlineStr"><is><t>a&nbsp;b</t></is></c></row>',      # not an XML entity
    '<row r="2"><c r="A2" t="inlineStr"><is><t>a\rb</t></is></c></row>',
    '<row r="2"><c r="A2"><v></v></c></row>',
    '<row r="2"><c r="A2"><v>1 000</v></c></row>',
    '<row r="2"><c r="A2"><v>1_000</v></c></row>',
    '<row r="2"><c r="A2"><v>inf</v></c></row>',
    '<row r="2"><c r="A2" t="b"><v>2</v></c></row>',
    '<row r="2"><c r="A2" t="s"><v>5</v></c></row>',                               # no such string
    '<row r="2"> <c r="A2"><v>1</v></c></row>',
    '<row r="2"><c r="A2" cm="1"><v>1</v></c></row>',
    "<row r='2'><c r='A2'><v>1</v></c></row>",
    '<row r="2"><c r="A2" s="1" s="2"><v>1</v></c></row>',
    '<row><c r="A2"><v>1</v></c></row>',
    '<row r="2"><x:c r="A2"><v>1</v></x:c></row>',
    '<row r="2"><c r="A02"><v>1</v></c></row>',
    '<row r="2"><c r="XFE2"><v>1</v></c></row>',
    '<row r="2"><c r="A2"><v>1</v></c>',
])
def test_what_is_left_to_calamine(body: str) -> None:
    assert _cells(body, ["x"]) is None


def test_the_head_may_hold_anything() -> None:
    got = _cells('<row r="1"><c r="A1" t="inlineStr"><is><r><t>富</t></r></is></c><c r="B1"><f>1</f></c></row>'
                 '<row r="2"><c r="A2"><v>7</v></c></row>')
    assert got is not None and got[0].tolist() == [2] and got[3][1].tolist() == [7.0]


def test_a_long_text_before_a_short_last_one_near_the_end() -> None:
    """The short texts are gathered as rows as wide as the longest: the last row runs past the XML's
    end when the last text is short and near it (found by the hand-written workbooks above: the
    sheet went to calamine)."""
    long = "&#29123;" * 7
    got = _cells(f'<row r="2"><c r="A2" t="inlineStr"><is><t>{long}</t></is></c>'
                 '<c r="B2" t="inlineStr"><is><t></t></is></c></row>')
    assert got is not None and got[3][0].tolist() == ["燃" * 7, ""]


def test_numbers_as_python_parses_them() -> None:
    """numpy's text-to-float conversion rounds as ``float()`` does (openpyxl's reading)."""
    texts = ["0.1", "274.65999999999997", "1e-320", "2.2250738585072011e-308", "-0", "007", "+3.5", ".5", "5.",
             "1E400", "0.1000000000000000055511151231257827021181583404541015624", "123456789012345678901"]
    body = '<row r="2">' + "".join(f'<c r="{_ref(k + 1, 2)}"><v>{t}</v></c>' for k, t in enumerate(texts)) + "</row>"
    got = _cells(body)
    assert got is not None
    assert [repr(v) for v in got[3][1].tolist()] == \
        [repr(float(t) if any(c in t for c in ".eE") else float(int(t))) for t in texts]   # -0 is 0, as int("-0")


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30))
def test_floats_round_trip_like_float(values: list[float]) -> None:
    body = '<row r="2">' + "".join(f'<c r="{_ref(k + 1, 2)}"><v>{v!r}</v></c>' for k, v in enumerate(values)) + "</row>"
    got = _cells(body)
    assert got is not None
    assert got[3][1].tolist() == values


def test_openpyxl_numbers_as_calamine_path_shows_them() -> None:
    from cbcheck.reader.fastxlsx import _as_openpyxl_reads

    f = np.array([5.0, -0.0, 274.65999999999997, 0.1 + 0.2, 1.5e12 + 0.1, 1e-300, 12.5, 3e14, np.inf])
    got = xlsxcolumns.openpyxl_numbers(f)
    want = _as_openpyxl_reads(f.astype(object), frozenset({float}), np.zeros(len(f), dtype=bool))
    assert [(type(a), a) for a in got] == [(type(b), b) for b in want]
    assert xlsxcolumns.openpyxl_numbers(np.array([1e15])) is None      # an int on one path, a float on the other
    assert xlsxcolumns.openpyxl_numbers(np.array([1e300])) is None


# --- the plain files take the numpy reader ---------------------------------------------------------

def test_the_facility_examples_are_read_by_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every facility example is flat: the comparisons above are not comparisons of calamine with itself."""
    root = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", "0")
    for path in sorted((root / "examples" / "enterprise").glob("*.xlsx")):
        _, cat = load_policy(_policy_for(path))
        got = _read(path, cat, True, monkeypatch)
        assert _said(got, XML_NOTE), path.name


def test_a_large_xlsxwriter_style_file_is_read_by_numpy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's shape (inline strings, numbers without t, over 64 KiB) at the default threshold."""
    rows = [[f"F{k:07d}", "燃煤发电机组", "抽凝", 30 + k % 7, None, None, 290.5 + k % 13, None, None, None, None]
            for k in range(4000)]
    body, strings, _ = _sheet([list(HEADER), *rows], {"inline": True, "char_refs": False, "t_n": False,
                                                   "t_first": True, "style": None, "styled_blanks": False,
                                                   "spans": True, "odd": None})
    path = tmp_path / "设施.xlsx"
    path.write_bytes(_package([("设施", "", body)], strings))
    assert path.stat().st_size >= 64 * 1024
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    _, cat = load_policy(str(tmp_path / "policy.yaml"))
    got = _read(path, cat, True, monkeypatch)
    assert _said(got, XML_NOTE)
    assert len(got.facilities[0]) == 4000
    # on two cores, the body in two parts and the '<' and '"' located side by side (here at lower
    # thresholds than a 100,000-row sheet's: 2.5M tags, 23 MB)
    assert len(xlsxcells._parts(100_000, 2_500_000)) - 1 == (2 if sidebyside.cores() >= 2 else 1)
    assert xmlscan.SIDE_BY_SIDE_MIN_BYTES < 23_000_000
    calls: list[str] = []
    spy = sidebyside.side_by_side
    monkeypatch.setattr(xlsxcells, "side_by_side", lambda c: calls.append("body") or spy(c))
    monkeypatch.setattr(xmlscan, "side_by_side", lambda c: calls.append("positions") or spy(c))
    for module in (xlsxcells, xmlscan):
        monkeypatch.setattr(module, "cores", lambda: 2)
    monkeypatch.setattr(xlsxcells, "SPLIT_MIN_TAGS", 10_000)
    monkeypatch.setattr(xmlscan, "SIDE_BY_SIDE_MIN_BYTES", 64 * 1024)
    assert_same_reading(got, _read(path, cat, True, monkeypatch), "\0")   # every note alike
    assert calls == ["positions", "body"]
    monkeypatch.setenv("CBCHECK_XLSXCELLS", "0")
    assert _said(_read(path, cat, True, monkeypatch), CALAMINE_NOTE)
    monkeypatch.setenv("CBCHECK_FASTXLSX", "0")
    assert_same_reading(got, _read(path, cat, True, monkeypatch), BULK)
