"""From a grid to observations: metadata rows, layouts, units (headers: :mod:`.header`).

Layouts recognised:

- *wide*: one row per indicator, one column per year (``指标名称 | 单位 | 2020年 | 2024年``);
  ``2024年目标`` / ``目标值`` columns are targets, not data; ``2024年1-9月`` and other
  columns that are not a year's value are skipped with a note;
- *long*: one row per indicator and year (``指标 | 年份 | 数值 | 单位``);
- *by year*: one row per year, one column per indicator (``年份 | 光伏发电装机容量(万千瓦)``).

The header is the first row (of the first 40) with an indicator-name label (指标名称,
指标, 项目 …) that leads to year columns; it may span several rows with merged cells,
whose labels are joined. Rows above it are titles and metadata (``填报单位：…``,
``填报日期：…``, ``单位：万元``). A later row with a name label starts another table.

Units, first found wins: the unit column, the name (``非化石能源消费比重(%)``), the
column header (``数值(万千瓦)``), a ``单位：`` line above the table. Two different units
for one row are an error at its cells, not a choice.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.model import Observation, Unmatched
from cbcheck.numbers import is_missing_marker
from cbcheck.reader.basis import Basis, read_basis, row_subject, strip_basis
from cbcheck.reader.cells import ambiguous_fraction, cell_observation, plain_number
from cbcheck.i18n.message import Msg
from cbcheck.readnote import ReadNote, Span, merge_spans
from cbcheck.reader.grid import Cell, Grid
from cbcheck.reader.header import (HEADER_MAX_ROWS, HEADER_SCAN_ROWS, NAME_HEADERS, Header, cell_at,
                                   classify_header, classify_rest, find_header, next_name_header,
                                   summary_label, text_of, year_label)
from cbcheck.reader.meta import NOTE_ROW, meta_from_row, title_entity
from cbcheck.reader import restate
from cbcheck.reader.rowunit import row_unit, table_unit_for, unit_cell, units_of
from cbcheck.reader.rowqual import RowQualifiers, row_qualifiers
from cbcheck.reader.table_used import filled, mark_used, not_read, use_header
from cbcheck.textnorm import norm_name

MAX_SUGGESTED = 200


@dataclass
class TableRead:
    observations: list[Observation] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    found: bool = False
    reason: str | None = None        # why no table was found, when there is more to say than "none"
    basis_notes: list[str] = field(default_factory=list)   # titles and 注： rows, read for 现价/比上年 (basis.py)
    used: set[tuple[int, int]] = field(default_factory=set)       # (row, col), 1-based: cells read
    listed: set[int] = field(default_factory=set)                 # rows named whole in a note (unmatched, 注：)
    titles: list[str] = field(default_factory=list)               # one-text rows above the table (reader/scope.py)
    # what a row's label qualifies (reader/rowqual.py, settled by reader/restate.py): by observation location
    marks: dict[str, restate.Mark] = field(default_factory=dict)
    last_named: tuple[str, str] | None = None                     # (label, indicator) of the last row read


def _row_span(grid: Grid, row: list[Cell]) -> Span:
    cols = [c.col for c in row if filled(c)]
    r = row[0].row if row else 1
    return grid.span(r, min(cols, default=1), r, max(cols, default=1))


def _list_row(grid: Grid, out: TableRead, row: list[Cell], kind: str, key: str, **params: object) -> None:
    """Name a whole row in a note (a 注： row, a row whose label names no indicator)."""
    if not row:
        return
    span = _row_span(grid, row)
    out.listed.add(span.row)
    out.notes.append(ReadNote(kind, key, [span], location=str(span), **params))


def _preamble(grid: Grid, upto: int, out: TableRead) -> None:
    """Title and metadata rows above a table."""
    for row in grid.rows[:upto]:
        texts = [text_of(c) for c in row]
        mark_used(out, *row)                # titles, 填报单位, 单位： lines: read for metadata and basis
        if any(texts):
            out.basis_notes.append("  ".join(dict.fromkeys(t for t in texts if t)))
        if meta_from_row(texts, out.meta):
            continue
        distinct = [t for t in dict.fromkeys(texts) if t]
        if len(distinct) == 1 and not NOTE_ROW.match(distinct[0]):
            out.titles.append(distinct[0])
        if len(distinct) == 1 and "title" not in out.meta:
            entity = title_entity(distinct[0])
            if entity:
                out.meta["title"] = distinct[0]
                out.meta.setdefault("entity_from_title", entity)


def _why_no_years(grid: Grid, row: int, cat: Catalogue) -> Msg:
    """Why the name header at ``row`` starts no table: it has no year columns, or each one it has is
    not a year's value (2025年1-9月, 2025年 增速) — named, so the clerk knows which heading to change."""
    header = classify_header(grid, row, cat, yearless=True)
    labels = [label for _, label, _ in header.ignored] if header is not None else []
    if labels:
        return Msg("read.why_years_not_read", row=row + 1, columns=Msg.listing(labels))
    return Msg("read.why_no_years", row=row + 1)


def read_table(grid: Grid, cat: Catalogue) -> TableRead:
    out = TableRead()
    head = grid.head(HEADER_SCAN_ROWS + HEADER_MAX_ROWS)   # a sheet without a table is read no further
    header = find_header(head, 0, cat)
    _preamble(head, header.row if header else min(len(head.rows), HEADER_SCAN_ROWS), out)
    if header is None:
        near = next_name_header(head, 0, HEADER_SCAN_ROWS)
        if near is not None:
            out.reason = _why_no_years(head, near, cat)
        return out
    # Again on the whole sheet, so that the name column is chosen from all its rows.
    header = classify_header(grid, header.label_row, cat) or header
    out.found = True
    table_unit = out.meta.get("unit")
    before: set[tuple[int, int]] = set()
    while header is not None:
        note_at = len(out.notes)
        use_header(grid, out, header)
        reader = {"wide": _read_wide, "long": _read_long, "by_year": _read_by_year}[header.layout]
        next_row = reader(grid, cat, out, header, table_unit)
        end = next_row if next_row is not None else len(grid.rows)      # 0-based, exclusive
        not_read(grid, out, header, end)
        mine = out.used - before
        before = set(out.used)
        years = sorted({y for _, y, _ in header.years})
        layout = Msg(f"read.layout_{header.layout}")
        params = {"sheet": grid.name, "row": header.row + 1, "layout": layout}
        note = (ReadNote("table", "read.header_years", _spans(grid, mine), years=Msg.listing(years), **params)
                if years else ReadNote("table", "read.header", _spans(grid, mine), **params))
        out.notes.insert(note_at, note)
        header = None
        while next_row is not None and header is None and next_row < len(grid.rows):
            header = classify_header(grid, next_row, cat)
            if header is None:
                next_row = next_name_header(grid, next_row + 1)
    restate.settle(out, cat, grid)
    _table_basis(out, cat)
    return out


def _spans(grid: Grid, cells: set[tuple[int, int]]) -> list[Span]:
    return merge_spans(grid.span(r, c) for r, c in cells)


def _has_value(cell: Cell | None) -> bool:
    if cell is None or cell.value is None:
        return False
    return not (isinstance(cell.value, str) and is_missing_marker(cell.value))


def _is_note_row(texts: list[str], out: TableRead, grid: Grid | None = None, row: list[Cell] | None = None) -> bool:
    """Footers: 填表人：… rows, and a note merged across the row (注：…); read (for the basis, the
    contact) and listed as remarks."""
    distinct = [t for t in dict.fromkeys(texts) if t]
    merged = len(distinct) == 1 and sum(1 for t in texts if t) > 1
    if merged or (distinct and NOTE_ROW.match(distinct[0])) \
            or meta_from_row(texts, out.meta):
        out.basis_notes.append("  ".join(distinct))
        if grid is not None and row:
            _list_row(grid, out, row, "remark", "read.remark", text="  ".join(distinct))
        return True
    return False


def _row_basis(row: list[Cell], header: Header, name: str, ind: str, cat: Catalogue) -> Basis:
    """The basis a row states: its name first, then its unit cell, then its 备注 cell."""
    subject = row_subject(ind, cat.dimensions.get(ind))
    found = Basis()
    for text in (name, text_of(cell_at(row, header.unit_col)) if header.unit_col is not None else "",
                 text_of(cell_at(row, header.note_col)) if header.note_col is not None else ""):
        found = found.filled_from(read_basis(text, subject))
    return found


def _with_basis(obs: Observation, basis: Basis) -> Observation:
    if not basis or (obs.price_basis, obs.rate_basis) == (basis.price, basis.rate):
        return obs
    return dataclasses.replace(obs, price_basis=basis.price, rate_basis=basis.rate, basis_year=basis.year)


def _table_basis(out: TableRead, cat: Catalogue) -> None:
    """Basis stated once for the table (title, 注： rows) fills what the rows leave unstated."""
    if not out.basis_notes or not out.observations:
        return
    text = "；".join(out.basis_notes)
    by_subject = {s: read_basis(text, s) for s in ("level", "rate")}
    if not any(by_subject.values()):
        return
    for i, obs in enumerate(out.observations):
        basis = by_subject[row_subject(obs.indicator, cat.dimensions.get(obs.indicator))]
        if basis.price and not (cat.dimensions.get(obs.indicator) == "currency"
                                or obs.indicator.endswith(("_growth", "_index"))):
            basis = Basis(None, basis.rate, basis.year if basis.rate else None)   # 按可比价 is about money rows
        if basis:
            own = Basis(obs.price_basis, obs.rate_basis, obs.basis_year)
            out.observations[i] = _with_basis(obs, own.filled_from(basis))


def _observe(out: TableRead, cat: Catalogue, cell: Cell, ind: str, year: int | None, unit: str | None,
             conflict: str | None, basis: Basis = Basis()) -> None:
    if conflict:      # read, and an ERROR at the cell: not also a column "not read" when every row conflicts
        out.observations.append(Observation(indicator=ind, year=year, value=None, unit=None,
                                            location=cell.location, raw=text_of(cell), error=conflict))
        mark_used(out, cell)
        return
    obs = _with_basis(cell_observation(cell, ind, year, unit, cat), basis)
    mark_used(out, cell)
    span = cell.sheet.location(cell.row, cell.col)
    if ambiguous_fraction(cell, obs, cat):
        meant = f"{float(obs.value) * 100:.6g}" if isinstance(obs.value, int | float) else obs.raw
        out.notes.append(ReadNote("value", "read.percent", [Span(cell.sheet.name, cell.sheet.kind != "xlsx",
                                                                 cell.row, cell.col, cell.row, cell.col)],
                                  location=span, raw=obs.raw, meant=meant))
    if obs.footnote:
        here = Span.cell(cell.sheet.name, cell.sheet.kind != "xlsx", cell.row, cell.col)
        out.notes.append(ReadNote("cleaned", "read.footnote_mark", [here],
                                  location=span, raw=obs.raw, mark=obs.footnote,
                                  value=plain_number(obs.value) if isinstance(obs.value, float) else str(obs.value)))
    if obs.approx and obs.value is not None:
        out.notes.append(ReadNote("approximate", "read.approximate", [Span(cell.sheet.name, cell.sheet.kind != "xlsx",
                                                                           cell.row, cell.col, cell.row, cell.col)],
                                  location=span, raw=obs.raw, value=f"{obs.value:g}"
                                  if isinstance(obs.value, float) else str(obs.value)))
    out.observations.append(obs)


def _cell(grid: Grid, r: int, c: int) -> Cell:
    """The cell at 0-based (r, c), a blank one where the row stops short of it (its location still
    names the place)."""
    return cell_at(grid.rows[r], c) or Cell(None, r + 1, c + 1, grid.sheet)


def _name_row(grid: Grid, cat: Catalogue, out: TableRead, r: int, header: Header,
              value_cells: list[Cell]) -> tuple[str, str | None, RowQualifiers] | None | int:
    """(name, indicator id) for a data row; None to skip it; an int to stop at a new header."""
    row = grid.rows[r]
    assert header.name_col is not None
    name_cell = _cell(grid, r, header.name_col)
    name = text_of(name_cell)
    has_values = any(_has_value(c) for c in value_cells)
    if norm_name(name) in NAME_HEADERS:
        return r
    texts = [text_of(c) for c in row]
    if not name:
        if any(texts) and _is_note_row(texts, out, grid, row):          # 填表人：… 联系电话：… footers
            return None
        if has_values:
            out.unmatched.append(Unmatched("(no indicator name)", name_cell.location))
            _list_row(grid, out, row, "row_unmatched", "read.no_name", at=name_cell.location)
        return None
    ind = cat.match(name)
    qual = row_qualifiers(name)
    if ind is not None:
        # a name the catalogue knows as written (结构调整…): only an energy basis qualifies it
        qual = RowQualifiers(qual.label, energy=qual.energy) if qual.energy else RowQualifiers(name)
    elif qual.bare and out.last_named is not None:
        ind = out.last_named[1]                 # 其中：修订后 under the row it restates
    elif qual != RowQualifiers(name):
        ind = _match(cat, qual.label)
    else:
        ind = _match(cat, name)
    if ind is None and _is_note_row(texts, out, grid, row):
        return None
    if ind is None and has_values:
        # did-you-mean costs ~0.5 ms; a sheet of thousands of unknown names is not worth more than the first
        suggestions = cat.suggest(name) if len(out.unmatched) < MAX_SUGGESTED else ()
        out.unmatched.append(Unmatched(name, name_cell.location, suggestions))
        if suggestions:
            _list_row(grid, out, row, "row_unmatched", "read.unmatched_dym", label=name,
                      names=" / ".join(suggestions), at=name_cell.location)
        else:
            _list_row(grid, out, row, "row_unmatched", "read.unmatched", label=name, at=name_cell.location)
    elif ind is None:
        mark_used(out, *row)         # a label with no value: a heading (一、能源消费), read as nothing else
    else:
        notes = [text_of(cell_at(row, c)) for c in (header.unit_col, header.note_col) if c is not None]
        if restate.other_energy_basis(cat, ind, qual, notes):
            _list_row(grid, out, row, "row_basis", "read.calorific_row", label=name, at=name_cell.location,
                      indicator=ind, name=cat[ind].word)
            return None
        mark_used(out, name_cell)
        if not qual.bare:
            out.last_named = (name, ind)
    return name, ind, qual


def _match(cat: Catalogue, name: str) -> str | None:
    ind = cat.match(name)
    if ind is None and (bare := strip_basis(name)) != name:
        # 地区生产总值(现价), 单位GDP能耗比上年下降: the name without its basis (kept on the observation)
        ind = cat.match(bare) or cat.match(bare + "率")
    return ind


def _read_wide(grid: Grid, cat: Catalogue, out: TableRead, header: Header, table_unit: str | None) -> int | None:
    assert header.name_col is not None
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        cells = [(year, _cell(grid, r, c), unit) for c, year, unit in header.years]
        named = _name_row(grid, cat, out, r, header, [cell for _, cell, _ in cells])
        if isinstance(named, int):
            return named
        if named is None or named[1] is None:
            continue
        name, ind, qual = named
        if qual.year is not None and any(year == qual.year for year, _, _ in cells):
            cells = [c for c in cells if c[0] == qual.year]      # 2020年地区生产总值: the 2020 cell
        assert ind is not None
        name_cell = _cell(grid, r, header.name_col)
        row_units: dict[str | None, tuple[str | None, str | None]] = {}
        basis = _row_basis(row, header, name, ind, cat)
        _use_row_extras(out, row, header)
        for year, cell, col_unit in cells:
            if col_unit not in row_units:
                row_units[col_unit] = row_unit(row, header, name, name_cell, col_unit,
                                                table_unit_for(table_unit, ind, cat))
            _observe(out, cat, cell, ind, year, *row_units[col_unit], basis)
            restate.mark(out, cell.location, name, qual)
    return None


def _use_row_extras(out: TableRead, row: list[Cell], header: Header) -> None:
    """A matched row's unit and 备注 cells: read for its unit and basis."""
    mark_used(out, *(cell_at(row, c) for c in (header.unit_col, header.note_col) if c is not None))


def _year_of_cell(cell: Cell) -> int:
    text = text_of(cell)
    if not text:
        raise SubmissionError(Msg("read.error.year_missing"), where=cell.sheet.where(cell.row, cell.col),
                              hint=Msg("read.error.year_missing_hint"))
    parsed = year_label(text)
    if parsed is None or classify_rest(parsed[1])[0] != "actual":
        raise SubmissionError(Msg("read.error.not_a_year", text=text), where=cell.sheet.where(cell.row, cell.col),
                              hint=Msg("read.error.not_a_year_hint"))
    return parsed[0]


def _read_long(grid: Grid, cat: Catalogue, out: TableRead, header: Header, table_unit: str | None) -> int | None:
    assert header.name_col is not None and header.year_col is not None and header.value_col is not None
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        value_cell = _cell(grid, r, header.value_col)
        named = _name_row(grid, cat, out, r, header, [value_cell])
        if isinstance(named, int):
            return named
        if named is None or named[1] is None:
            continue
        name, ind, qual = named
        assert ind is not None
        year_cell = _cell(grid, r, header.year_col)
        year = _year_of_cell(year_cell)
        mark_used(out, year_cell)
        _use_row_extras(out, row, header)
        name_cell = _cell(grid, r, header.name_col)
        unit, conflict = row_unit(row, header, name, name_cell, header.value_unit,
                                   table_unit_for(table_unit, ind, cat))
        _observe(out, cat, value_cell, ind, year, unit, conflict, _row_basis(row, header, name, ind, cat))
        restate.mark(out, value_cell.location, name, qual)
    return None


def _read_by_year(grid: Grid, cat: Catalogue, out: TableRead, header: Header,
                  table_unit: str | None) -> int | None:
    assert header.year_col is not None
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        cells = [(ind, _cell(grid, r, c), unit) for c, ind, unit in header.indicators]
        year_cell = _cell(grid, r, header.year_col)
        if not text_of(year_cell):
            if _is_note_row([text_of(c) for c in row], out, grid, row):
                continue
            if any(_has_value(cell) for _, cell, _ in cells):
                out.unmatched.append(Unmatched("(no year)", year_cell.location))
                _list_row(grid, out, row, "row_unmatched", "read.no_year", at=year_cell.location)
            continue
        if _is_note_row([text_of(c) for c in row], out, grid, row):
            continue
        if summary_label(text_of(year_cell)):
            _list_row(grid, out, row, "row_unmatched", "read.row_not_a_year", at=year_cell.location,
                      text=text_of(year_cell))
            continue
        year = _year_of_cell(year_cell)
        mark_used(out, year_cell)
        _use_row_extras(out, row, header)
        row_unit = unit_cell(row, header.unit_col)
        for ind, cell, col_unit in cells:
            unit, conflict = units_of([row_unit, (col_unit, "column header", None)])
            _observe(out, cat, cell, ind, year, unit or table_unit_for(table_unit, ind, cat), conflict)
    return None
