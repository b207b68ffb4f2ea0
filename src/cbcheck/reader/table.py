"""From a grid to observations: metadata rows, header detection, layouts.

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

import re
from dataclasses import dataclass, field

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.model import Observation, Unmatched
from cbcheck.numbers import NotANumber, is_missing_marker, parse_number
from cbcheck.reader.cells import ambiguous_fraction, cell_observation
from cbcheck.reader.grid import Cell, Grid
from cbcheck.reader.meta import meta_from_row, title_entity
from cbcheck.textnorm import clean_cell_text, norm_name, trailing_unit

# Name-column labels, best first: in 序号 | 项目 | 指标名称 the indicator is under 指标名称.
NAME_HEADERS = tuple(map(norm_name, ("指标名称", "指标", "指标项", "指标项目", "主要指标", "考核指标", "指标内容",
                                     "监测指标", "统计指标", "indicator", "indicator name", "项目", "名称",
                                     "name")))
UNIT_HEADERS = frozenset(map(norm_name, ("单位", "计量单位", "unit", "units")))
YEAR_HEADERS = frozenset(map(norm_name, ("年份", "年度", "统计年度", "报告年度", "year")))
VALUE_HEADERS = frozenset(map(norm_name, ("数值", "值", "完成值", "实际值", "实际完成值", "完成情况", "实际完成",
                                          "本年完成", "数据", "统计值", "value")))
_YEAR = re.compile(r"^(?P<year>(19|20)\d{2})\s*(年度?)?(?P<rest>.*)$")
_ACTUAL_WORDS = ("实际完成值", "实际完成", "实际值", "实际", "完成情况", "完成值", "完成数", "完成", "实绩",
                 "数值", "数据", "统计值", "现状值", "现状", "基期值", "基期", "基准年", "基数", "全年",
                 "年末", "年底", "末", "底", "当年", "本年", "情况", "值", "actual", "value")
_TARGET_WORDS = ("目标", "计划", "规划", "预期", "预计", "预测", "任务", "考核", "要求", "target", "plan", "goal")
_UNIT_LABEL = re.compile(r"^(计量)?单位\s*[:：]\s*")
HEADER_SCAN_ROWS = 40
HEADER_MAX_ROWS = 4
NAME_SAMPLE_ROWS = 200
MAX_SUGGESTED = 200


@dataclass
class TableRead:
    observations: list[Observation] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    found: bool = False
    reason: str | None = None        # why no table was found, when there is more to say than "none"


@dataclass
class Header:
    row: int                         # 0-based index of the first header row
    label_row: int                   # 0-based index of the row with the 指标名称/年份 label
    data_start: int                  # 0-based index of the first data row
    layout: str                      # wide | long | by_year
    name_col: int | None = None
    unit_col: int | None = None
    year_col: int | None = None
    value_col: int | None = None
    years: list[tuple[int, int, str | None]] = field(default_factory=list)       # (col, year, unit)
    indicators: list[tuple[int, str, str | None]] = field(default_factory=list)  # (col, id, unit)
    value_unit: str | None = None
    notes: list[str] = field(default_factory=list)


def _text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    v = cell.value
    if v is None or not isinstance(v, str | int | float) or isinstance(v, bool):
        return "" if v is None or not hasattr(v, "isoformat") else v.isoformat()[:10]
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_cell_text(str(v))


def _at(row: list[Cell], col: int) -> Cell | None:
    return row[col] if col < len(row) else None


def _year_label(label: str) -> tuple[int, str] | None:
    m = _YEAR.match(label.replace(" ", ""))
    return (int(m.group("year")), m.group("rest")) if m else None


def _classify_rest(rest: str) -> tuple[str, str | None]:
    """('actual' | 'target' | 'other', unit) for what follows the year in a column label."""
    text = clean_cell_text(rest)
    unit = trailing_unit(text) if "(" in text else None
    if unit:                                  # 2024年(万千瓦): the unit is not a qualifier
        text = text[: text.rindex("(")]
    words = re.sub(r"[\s:：/\-—_.,，、()]+", "", text).lower()
    if any(w in words for w in _TARGET_WORDS):
        return "target", unit
    for w in _ACTUAL_WORDS:
        words = words.replace(w, "")
    return ("actual" if not words else "other"), unit


def _column_year(parts: list[str]) -> tuple[int, str, str | None] | None:
    """(year, 'actual'|'target'|'other', unit) of a column from its header parts, or None."""
    years, rest = [], []
    for part in parts:
        parsed = _year_label(part)
        if parsed:
            years.append(parsed[0])
            rest.append(parsed[1])
        else:
            rest.append(part)
    if not years:
        return None
    status, unit = _classify_rest(" ".join(rest))
    if len(set(years)) > 1 or re.search(r"(19|20)\d{2}", " ".join(rest)):
        return years[0], "other", unit
    return years[0], status, unit


def _is_number_cell(cell: Cell) -> bool:
    """A data value (a number that is not a year label): header rows hold none."""
    v = cell.value
    if isinstance(v, str):
        try:
            parsed = parse_number(v)
        except NotANumber:
            return False
        if parsed is None:
            return False
        v = parsed.value
    return isinstance(v, int | float) and not isinstance(v, bool) and not (1900 <= v <= 2100 and v == int(v))


def _block_end(grid: Grid, r0: int, name_col: int | None) -> int:
    """One past the last header row: continue over rows that only add labels (merged headers)."""
    top = _text(_at(grid.rows[r0], name_col)) if name_col is not None else ""
    end = r0 + 1
    while end < len(grid.rows) and end < r0 + HEADER_MAX_ROWS:
        row = grid.rows[end]
        texts = [_text(c) for c in row]
        if not any(texts) or any(_is_number_cell(c) for c in row):
            break
        below = texts[name_col] if name_col is not None and name_col < len(texts) else ""
        if below not in ("", top):
            break
        if all(not t or is_missing_marker(t) for i, t in enumerate(texts) if i != name_col) and not any(
                _year_label(t) for t in texts):
            break
        end += 1
    return end


def _labels(grid: Grid, start: int, end: int, width: int) -> list[list[str]]:
    labels: list[list[str]] = [[] for _ in range(width)]
    for r in range(start, end):
        for c, cell in enumerate(grid.rows[r][:width]):
            t = _text(cell)
            if t and t not in labels[c]:
                labels[c].append(t)
    return labels


def _pick_name_col(grid: Grid, candidates: list[int], start: int, cat: Catalogue) -> int:
    """Of several name-labelled columns, the one whose cells name the most indicators."""
    if len(candidates) == 1:
        return candidates[0]
    rows = grid.rows[start:start + NAME_SAMPLE_ROWS]
    hits = {c: sum(1 for row in rows if cat.match(_text(_at(row, c))) is not None) for c in candidates}
    return max(candidates, key=lambda c: hits[c])


def classify_header(grid: Grid, r: int, cat: Catalogue) -> Header | None:
    """The header starting at row ``r``, or ``None`` if that row does not start a table."""
    row = grid.rows[r]
    texts = [_text(c) for c in row]
    keys = [norm_name(t) if not t.endswith((":", "：")) else "" for t in texts]
    if sum(1 for t in set(texts) if t) < 2:
        return None
    name_cols = [c for c, k in enumerate(keys) if k in NAME_HEADERS]
    if name_cols:
        best = min(NAME_HEADERS.index(keys[c]) for c in name_cols)
        name_cols = [c for c in name_cols if NAME_HEADERS.index(keys[c]) == best]
    year_col = next((c for c, k in enumerate(keys) if k in YEAR_HEADERS), None)
    if not name_cols and year_col is None:
        return None
    name_col = name_cols[0] if name_cols else None
    end = _block_end(grid, r, name_col)
    start = r
    width = max(len(grid.rows[i]) for i in range(max(0, r - 1), end))
    # A year row just above the name row (2024年 merged over 目标 | 实际): part of the header.
    if r > 0 and name_col is not None and not _text(_at(grid.rows[r - 1], name_col)) and any(
            _year_label(_text(c)) for c in grid.rows[r - 1]):
        start = r - 1
    labels = _labels(grid, start, end, width)
    if name_cols:
        name_col = _pick_name_col(grid, name_cols, end, cat)
    flat = [norm_name(" ".join(p)) for p in labels]
    part_keys = [{norm_name(p) for p in parts} for parts in labels]
    unit_col = next((c for c, k in enumerate(part_keys) if k & UNIT_HEADERS and c != name_col), None)
    value_col = next((c for c, k in enumerate(part_keys) if k & VALUE_HEADERS and c not in (name_col, year_col)),
                     None)
    header = Header(row=start, label_row=r, data_start=end, layout="wide", name_col=name_col, unit_col=unit_col,
                    year_col=year_col, value_col=value_col)
    where = f"{grid.name}: header at row {start + 1}"
    if name_col is not None and year_col is not None and value_col is not None:
        header.layout = "long"
        header.value_unit = trailing_unit(" ".join(labels[value_col]))
        for c, parts in enumerate(labels):
            if c not in (name_col, year_col, value_col, unit_col) and any(
                    w in "".join(parts) for w in _TARGET_WORDS):
                header.notes.append(f"{where}: column {' '.join(parts)!r} is a target column, not read as data")
        return header
    if name_col is not None:
        for c, parts in enumerate(labels):
            if c in (name_col, unit_col) or not parts:
                continue
            parsed = _column_year(parts)
            if parsed is None:
                continue
            year, status, unit = parsed
            if status == "actual":
                header.years.append((c, year, unit))
            elif status == "target":
                header.notes.append(f"{where}: column {' '.join(parts)!r} is a target column, not read as data")
            else:
                header.notes.append(f"{where}: column {' '.join(parts)!r} is not a year's value, not read")
        return header if header.years else None
    # one row per year, one column per indicator
    header.layout = "by_year"
    for c, parts in enumerate(labels):
        if c in (year_col, unit_col) or not parts:
            continue
        label = " ".join(parts)
        ind = cat.match(label) or cat.match(parts[-1])
        if ind is not None:
            header.indicators.append((c, ind, trailing_unit(label)))
    return header if header.indicators else None


def find_header(grid: Grid, start: int, cat: Catalogue, scan: int = HEADER_SCAN_ROWS) -> Header | None:
    for r in range(start, min(len(grid.rows), start + scan)):
        header = classify_header(grid, r, cat)
        if header is not None:
            return header
    return None


def _preamble(grid: Grid, upto: int, out: TableRead) -> None:
    """Title and metadata rows above a table."""
    for row in grid.rows[:upto]:
        texts = [_text(c) for c in row]
        if meta_from_row(texts, out.meta):
            continue
        distinct = [t for t in dict.fromkeys(texts) if t]
        if len(distinct) == 1 and "title" not in out.meta:
            entity = title_entity(distinct[0])
            if entity:
                out.meta["title"] = distinct[0]
                out.meta.setdefault("entity_from_title", entity)


def read_table(grid: Grid, cat: Catalogue) -> TableRead:
    out = TableRead()
    head = grid.head(HEADER_SCAN_ROWS + HEADER_MAX_ROWS)   # a sheet without a table is read no further
    header = find_header(head, 0, cat)
    _preamble(head, header.row if header else min(len(head.rows), HEADER_SCAN_ROWS), out)
    if header is None:
        near = _skip_to_next_name_header(head, 0, HEADER_SCAN_ROWS)
        if near is not None:
            out.reason = f"the header at row {near + 1} has no year columns such as 2024年"
        return out
    # Again on the whole sheet, so that the name column is chosen from all its rows.
    header = classify_header(grid, header.label_row, cat) or header
    out.found = True
    table_unit = out.meta.get("unit")
    while header is not None:
        out.notes.extend(header.notes)
        layout = {"wide": "one row per indicator", "long": "one row per indicator and year",
                  "by_year": "one row per year"}[header.layout]
        out.notes.append(f"{grid.name}: header at row {header.row + 1}, {layout}"
                         + (", years " + ", ".join(str(y) for y in sorted({y for _, y, _ in header.years}))
                            if header.years else ""))
        reader = {"wide": _read_wide, "long": _read_long, "by_year": _read_by_year}[header.layout]
        next_row = reader(grid, cat, out, header, table_unit)
        header = None
        while next_row is not None and header is None and next_row < len(grid.rows):
            header = classify_header(grid, next_row, cat)
            if header is None:
                next_row = _skip_to_next_name_header(grid, next_row + 1)
    return out


def _skip_to_next_name_header(grid: Grid, start: int, scan: int | None = None) -> int | None:
    for r in range(start, len(grid.rows) if scan is None else min(len(grid.rows), start + scan)):
        if any(norm_name(_text(c)) in NAME_HEADERS for c in grid.rows[r]):
            return r
    return None


def _has_value(cell: Cell | None) -> bool:
    if cell is None or cell.value is None:
        return False
    return not (isinstance(cell.value, str) and is_missing_marker(cell.value))


def _is_note_row(texts: list[str], out: TableRead) -> bool:
    """Footers: 填表人：… rows, and a note merged across the row (注：…)."""
    distinct = [t for t in dict.fromkeys(texts) if t]
    if len(distinct) == 1 and sum(1 for t in texts if t) > 1:
        return True
    if distinct and re.match(r"^(注|说明|备注|填表说明|数据来源|资料来源)\s*\d*\s*[:：]", distinct[0]):
        return True
    return meta_from_row(texts, out.meta)


def _units(stated: list[tuple[str | None, str, Cell | None]]) -> tuple[str | None, str | None]:
    """(unit, conflict) from (unit, source, cell) in priority order."""
    given = [(clean_cell_text(u).replace(" ", ""), src, cell) for u, src, cell in stated
             if u and not is_missing_marker(u)]
    if not given:
        return None, None
    first = given[0]
    for other in given[1:]:
        if other[0].lower() != first[0].lower():
            def source(g: tuple[str, str, Cell | None]) -> str:
                return f"{g[1]} {g[2].location}" if g[2] is not None else g[1]

            return None, f"the unit is given as {first[0]} ({source(first)}) and as {other[0]} ({source(other)})"
    return first[0], None


def _unit_cell(row: list[Cell], col: int | None) -> tuple[str | None, str, Cell | None]:
    cell = _at(row, col) if col is not None else None
    if cell is None:
        return None, "", None
    text = _UNIT_LABEL.sub("", _text(cell))
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text or None, "unit column", cell


def _row_unit(row: list[Cell], header: Header, name: str, name_cell: Cell, col_unit: str | None,
              table_unit: str | None) -> tuple[str | None, str | None]:
    stated = [_unit_cell(row, header.unit_col), (trailing_unit(name), "name", name_cell),
              (col_unit, "column header", None)]
    unit, conflict = _units(stated)
    return (unit or table_unit), conflict


def _observe(out: TableRead, cat: Catalogue, cell: Cell, ind: str, year: int | None, unit: str | None,
             conflict: str | None) -> None:
    if conflict:
        out.observations.append(Observation(indicator=ind, year=year, value=None, unit=None,
                                            location=cell.location, raw=_text(cell), error=conflict))
        return
    obs = cell_observation(cell, ind, year, unit, cat)
    if ambiguous_fraction(cell, obs, cat):
        out.notes.append(f"{cell.location}: {obs.raw} read as {obs.raw} %; if 13.2 % was meant, write 13.2 "
                         "or format the cell as a percentage")
    out.observations.append(obs)


def _blank(grid: Grid, r: int, c: int) -> Cell:
    return Cell(None, r + 1, c + 1, grid.sheet)


def _name_row(grid: Grid, cat: Catalogue, out: TableRead, r: int, name_col: int,
              value_cells: list[Cell]) -> tuple[str, str | None] | None | int:
    """(name, indicator id) for a data row; None to skip it; an int to stop at a new header."""
    row = grid.rows[r]
    name_cell = _at(row, name_col) or _blank(grid, r, name_col)
    name = _text(name_cell)
    has_values = any(_has_value(c) for c in value_cells)
    if norm_name(name) in NAME_HEADERS:
        return r
    if not name:
        if has_values:
            out.unmatched.append(Unmatched("(no indicator name)", name_cell.location))
        return None
    ind = cat.match(name)
    if ind is None and _is_note_row([_text(c) for c in row], out):
        return None
    if ind is None and has_values:
        # did-you-mean costs ~0.5 ms; a sheet of thousands of unknown names is not worth more than the first
        suggestions = cat.suggest(name) if len(out.unmatched) < MAX_SUGGESTED else ()
        out.unmatched.append(Unmatched(name, name_cell.location, suggestions))
    return name, ind


def _read_wide(grid: Grid, cat: Catalogue, out: TableRead, header: Header, table_unit: str | None) -> int | None:
    assert header.name_col is not None
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        cells = [(year, _at(row, c) or _blank(grid, r, c), unit) for c, year, unit in header.years]
        named = _name_row(grid, cat, out, r, header.name_col, [cell for _, cell, _ in cells])
        if isinstance(named, int):
            return named
        if named is None or named[1] is None:
            continue
        name, ind = named
        name_cell = _at(row, header.name_col) or _blank(grid, r, header.name_col)
        row_units: dict[str | None, tuple[str | None, str | None]] = {}
        for year, cell, col_unit in cells:
            if col_unit not in row_units:
                row_units[col_unit] = _row_unit(row, header, name, name_cell, col_unit, table_unit)
            _observe(out, cat, cell, ind, year, *row_units[col_unit])
    return None


def _year_of_cell(cell: Cell) -> int:
    text = _text(cell)
    parsed = _year_label(text)
    if parsed is None or _classify_rest(parsed[1])[0] != "actual":
        raise SubmissionError(f"{text!r} is not a year", where=cell.sheet.where(cell.row, cell.col),
                              hint="write the year as 2024 or 2024年, one year per row")
    return parsed[0]


def _read_long(grid: Grid, cat: Catalogue, out: TableRead, header: Header, table_unit: str | None) -> int | None:
    assert header.name_col is not None and header.year_col is not None and header.value_col is not None
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        value_cell = _at(row, header.value_col) or _blank(grid, r, header.value_col)
        named = _name_row(grid, cat, out, r, header.name_col, [value_cell])
        if isinstance(named, int):
            return named
        if named is None or named[1] is None:
            continue
        name, ind = named
        year_cell = _at(row, header.year_col) or _blank(grid, r, header.year_col)
        year = _year_of_cell(year_cell)
        name_cell = _at(row, header.name_col) or _blank(grid, r, header.name_col)
        unit, conflict = _row_unit(row, header, name, name_cell, header.value_unit, table_unit)
        _observe(out, cat, value_cell, ind, year, unit, conflict)
    return None


def _read_by_year(grid: Grid, cat: Catalogue, out: TableRead, header: Header,
                  table_unit: str | None) -> int | None:
    assert header.year_col is not None
    for r in range(header.data_start, len(grid.rows)):
        row = grid.rows[r]
        cells = [(ind, _at(row, c) or _blank(grid, r, c), unit) for c, ind, unit in header.indicators]
        year_cell = _at(row, header.year_col) or _blank(grid, r, header.year_col)
        if not _text(year_cell):
            if any(_has_value(cell) for _, cell, _ in cells):
                out.unmatched.append(Unmatched("(no year)", year_cell.location))
            continue
        if _is_note_row([_text(c) for c in row], out):
            continue
        year = _year_of_cell(year_cell)
        row_unit = _unit_cell(row, header.unit_col)
        for ind, cell, col_unit in cells:
            unit, conflict = _units([row_unit, (col_unit, "column header", None)])
            _observe(out, cat, cell, ind, year, unit or table_unit, conflict)
    return None
