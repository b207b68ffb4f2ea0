"""A row's unit, from the places a county table writes it (reader/table.py): the unit column,
the name (``非化石能源消费比重(%)``), the column header (``数值(万千瓦)``), a ``单位：`` line above the
table. First found wins; two different units for one row are an error at its cells, not a choice."""

from __future__ import annotations

import re

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.numbers import is_missing_marker
from cbcheck.reader.basis import read_basis, strip_basis
from cbcheck.reader.grid import Cell
from cbcheck.reader.header import Header, cell_at, text_of
from cbcheck.reader.meta import is_units_line, units_of_line
from cbcheck.reader.rowqual import drop_qualifiers
from cbcheck.textnorm import clean_cell_text, trailing_unit

_UNIT_LABEL = re.compile(r"^(计量)?单位\s*[:：]\s*")


def units_of(stated: list[tuple[str | None, str, Cell | None]]) -> tuple[str | None, str | None]:
    """(unit, conflict) from (unit, source, cell) in priority order."""
    given = [(clean_cell_text(u).replace(" ", ""), src, cell) for u, src, cell in stated
             if u and not is_missing_marker(u)]
    if not given:
        return None, None
    first = given[0]
    for other in given[1:]:
        if other[0].lower() != first[0].lower():
            def source(g: tuple[str, str, Cell | None]) -> Msg:
                what = Msg("read.unit_source." + g[1].replace(" ", "_"))
                return Msg("read.unit_source_at", what=what, at=g[2].location) if g[2] is not None else what

            return None, Msg("read.unit_conflict", unit=first[0], source=source(first), other=other[0],
                             other_source=source(other))
    return first[0], None


def unit_cell(row: list[Cell], col: int | None) -> tuple[str | None, str, Cell | None]:
    cell = cell_at(row, col) if col is not None else None
    if cell is None:
        return None, "", None
    text = _UNIT_LABEL.sub("", text_of(cell))
    if read_basis(text):                      # 亿元(现价), %(比上年), 上年=100: the basis is not the unit
        text = strip_basis(text)
    text = drop_qualifiers(text)              # 万吨标准煤(当量值): said of the row (reader/rowqual.py)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text or None, "unit column", cell


def table_unit_for(table_unit: str | None, ind: str, cat: Catalogue) -> str | None:
    """The default unit a ``单位：`` line gives a row: the line's unit, or — for a line listing several
    (``亿元、万吨标准煤、%``) — the first listed unit of the indicator's dimension (None if none fits)."""
    if table_unit is None or not is_units_line(table_unit):
        return table_unit
    from cbcheck import units
    from cbcheck.errors import UnitError

    dim = cat.dimensions.get(ind)
    for unit in units_of_line(table_unit):
        try:
            if dim in units.DIMENSIONS and units.unit_has_dimension(cat.unit_for(ind, unit) or unit, dim):
                return unit
        except UnitError:
            continue
    return None


def row_unit(row: list[Cell], header: Header, name: str, name_cell: Cell, col_unit: str | None,
              table_unit: str | None) -> tuple[str | None, str | None]:
    stated = [unit_cell(row, header.unit_col), (trailing_unit(name), "name", name_cell),
              (col_unit, "column header", None)]
    unit, conflict = units_of(stated)
    return (unit or table_unit), conflict
