"""Hidden rows and columns as the sheet XML says them, for messages about cells the clerk cannot see."""

from __future__ import annotations

from cbcheck.reader.xlsxfile import _hidden_lines


def test_hidden_rows_and_column_ranges_in_any_spelling() -> None:
    xml = (b'<worksheet><cols><col min="2" max="4" width="9" hidden="1"/><col min="6" max="6"/>'
           b"<x:col min='8' max='8' hidden='true'/></cols><sheetData>"
           b'<row r="3" hidden="1"><c r="A3"/></row><row r="4" hidden="0"/><x:row r="7" spans="1:2" hidden="true">'
           b'</x:row><row hidden="1"/></sheetData></worksheet>')
    assert _hidden_lines(xml) == (frozenset({3, 7}), ((2, 4), (8, 8)))


def test_nothing_hidden() -> None:
    assert _hidden_lines(b'<worksheet><cols><col min="1" max="3"/></cols><row r="1"/></worksheet>') == (frozenset(), ())
