"""From a grid to observations: metadata rows, header detection, layouts, cell values.

Layouts recognised:
- *wide*: one row per indicator, one column per year (``指标名称 | 单位 | 2020年 | 2024年``);
- *long*: one row per indicator and year (``指标 | 年份 | 数值 | 单位``).
Header rows may span several rows with merged cells; their labels are joined.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.model import Observation, Unmatched
from cbcheck.numbers import SCALE_WORDS, NotANumber, is_excel_error, parse_number
from cbcheck.reader.grid import Cell, Grid
from cbcheck.textnorm import clean_cell_text, norm_name, trailing_unit

NAME_HEADERS = frozenset(map(norm_name, ("指标名称", "指标", "指标项", "指标项目", "项目", "名称", "主要指标",
                                         "指标内容", "考核指标", "indicator", "indicator name", "name")))
UNIT_HEADERS = frozenset(map(norm_name, ("单位", "计量单位", "unit", "units")))
YEAR_HEADERS = frozenset(map(norm_name, ("年份", "年度", "year")))
VALUE_HEADERS = frozenset(map(norm_name, ("数值", "值", "完成值", "实际值", "数据", "value")))
META_KEYS = {"填报单位": "entity", "填报地区": "entity", "单位名称": "entity", "地区": "entity",
             "填报日期": "date", "报送日期": "date", "填报人": "contact", "联系电话": "phone",
             "政策": "policy", "policy": "policy", "政策编号": "policy", "报告年度": "year", "年度": "year"}
_YEAR_LABEL = re.compile(r"^(?P<year>(19|20)\d{2})(\.0)?\s*年?(度)?\s*(?P<rest>.*)$")
_TARGET_WORDS = ("目标", "计划", "规划", "预期", "预计", "target", "plan")
_META_PAIR = re.compile(r"([^\s:：]{2,8})\s*[:：]\s*([^:：]*?)(?=\s+[^\s:：]{2,8}\s*[:：]|$)")
_TITLE_ENTITY = re.compile(r"^(?P<entity>.+?(?:县|区|市|旗|州|盟|开发区|新区|管委会))\s*\d{4}\s*年")
HEADER_SCAN_ROWS = 40


@dataclass
class TableRead:
    observations: list[Observation] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    found: bool = False


def _text(cell: Cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_cell_text(str(v))


def _year_of(label: str) -> tuple[int, str] | None:
    m = _YEAR_LABEL.match(label.replace(" ", ""))
    return (int(m.group("year")), m.group("rest")) if m else None


def _meta_from_row(texts: list[str], meta: dict[str, str]) -> bool:
    """Read ``填报单位：XX县  填报日期：2025-01-10`` rows (one cell or split over cells)."""
    found = False
    line = "  ".join(t for t in texts if t)
    for key, value in _META_PAIR.findall(line):
        if key in META_KEYS and value.strip():
            meta.setdefault(META_KEYS[key], value.strip())
            found = True
    nonempty = [t for t in texts if t]
    for i in range(len(nonempty) - 1):            # key and value in adjacent cells
        key = nonempty[i].rstrip(":：")
        if key in META_KEYS and nonempty[i].endswith((":", "：")) or (key in META_KEYS and i + 1 < len(nonempty)
                                                                     and len(nonempty) == 2):
            meta.setdefault(META_KEYS[key], nonempty[i + 1])
            found = True
    return found


def _find_header(grid: Grid) -> tuple[int, int] | None:
    """(header row, name column) of the first row with an indicator-name header."""
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        for c, cell in enumerate(row):
            if norm_name(_text(cell)) in NAME_HEADERS:
                return r, c
    return None


def _header_labels(grid: Grid, r0: int, name_col: int) -> tuple[list[str], int]:
    """Labels per column joined over a multi-row header; returns (labels, first data row)."""
    width = max(len(row) for row in grid.rows)
    top = grid.rows[r0]
    name_label = _text(top[name_col])
    end = r0 + 1
    # Continue while the name column is empty or repeats its label (vertical merge).
    while end < len(grid.rows) and end < r0 + 4:
        row = grid.rows[end]
        below = _text(row[name_col]) if name_col < len(row) else ""
        if below not in ("", name_label):
            break
        if not any(_text(c) for c in row):
            break
        end += 1
    labels = []
    for c in range(width):
        parts: list[str] = []
        for r in range(r0, end):
            row = grid.rows[r]
            t = _text(row[c]) if c < len(row) else ""
            if t and t not in parts:
                parts.append(t)
        labels.append(" ".join(parts))
    return labels, end


def _row_is_meta_or_title(texts: list[str]) -> bool:
    return sum(1 for t in texts if t) <= 2


def read_table(grid: Grid, cat: Catalogue) -> TableRead:
    out = TableRead()
    header = _find_header(grid)
    scan_to = header[0] if header else min(len(grid.rows), 8)
    for row in grid.rows[:scan_to]:
        texts = [_text(c) for c in row]
        if not _meta_from_row(texts, out.meta) and _row_is_meta_or_title(texts):
            title = next((t for t in texts if t), "")
            m = _TITLE_ENTITY.match(title)
            if m and "title" not in out.meta:
                out.meta["title"] = title
                out.meta.setdefault("entity_from_title", m.group("entity"))
    if header is None:
        return out
    r0, name_col = header
    labels, data_start = _header_labels(grid, r0, name_col)
    norm = [norm_name(lb) for lb in labels]
    unit_col = next((c for c, n in enumerate(norm) if n in UNIT_HEADERS), None)
    year_col = next((c for c, n in enumerate(norm) if n in YEAR_HEADERS), None)
    value_col = next((c for c, n in enumerate(norm) if n in VALUE_HEADERS), None)
    out.found = True
    if year_col is not None and value_col is not None:
        out.notes.append(f"{grid.name}: long layout, header at row {r0 + 1}")
        _read_long(grid, cat, out, data_start, name_col, unit_col, year_col, value_col)
        return out
    years: dict[int, int] = {}
    for c, lb in enumerate(labels):
        parsed = _year_of(lb.split(" ")[-1]) or _year_of(lb.replace(" ", ""))
        if c == name_col or parsed is None:
            continue
        year, rest = parsed
        if any(w in rest.lower() for w in _TARGET_WORDS) and not any(w in rest for w in ("实际", "完成")):
            out.notes.append(f"{grid.name}: column {labels[c]!r} is a target column, not read as data")
            continue
        if year in years:
            # prefer a column labelled 实际/完成 over a plain one
            if any(w in rest for w in ("实际", "完成")):
                years[year] = c
            continue
        years[year] = c
    if not years:
        out.notes.append(f"{grid.name}: header at row {r0 + 1} has no year columns")
        out.found = False
        return out
    out.notes.append(f"{grid.name}: wide layout, header at row {r0 + 1}, years "
                     + ", ".join(str(y) for y in sorted(years)))
    _read_wide(grid, cat, out, data_start, name_col, unit_col, years)
    return out


def _row_unit(row: list[Cell], unit_col: int | None, name: str) -> str | None:
    if unit_col is not None and unit_col < len(row):
        u = _text(row[unit_col])
        if u and u not in {"-", "—", "/"}:
            return u
    return trailing_unit(name)


def _read_wide(grid: Grid, cat: Catalogue, out: TableRead, start: int, name_col: int,
               unit_col: int | None, years: dict[int, int]) -> None:
    for row in grid.rows[start:]:
        if name_col >= len(row):
            continue
        name = _text(row[name_col])
        cells = {y: row[c] for y, c in years.items() if c < len(row)}
        has_values = any(_text(cell) for cell in cells.values())
        if not name:
            if has_values:
                out.unmatched.append(Unmatched("(no indicator name)", row[name_col].location))
            continue
        ind = cat.match(name)
        if ind is None:
            if has_values:
                out.unmatched.append(Unmatched(name, row[name_col].location, cat.suggest(name)))
            continue
        unit = _row_unit(row, unit_col, name)
        for year, cell in cells.items():
            out.observations.append(cell_observation(cell, ind, year, unit, cat))


def _read_long(grid: Grid, cat: Catalogue, out: TableRead, start: int, name_col: int,
               unit_col: int | None, year_col: int, value_col: int) -> None:
    for row in grid.rows[start:]:
        if max(name_col, year_col, value_col) >= len(row):
            continue
        name = _text(row[name_col])
        if not name:
            continue
        ind = cat.match(name)
        if ind is None:
            out.unmatched.append(Unmatched(name, row[name_col].location, cat.suggest(name)))
            continue
        parsed_year = _year_of(_text(row[year_col]))
        if parsed_year is None:
            raise SubmissionError(f"year {_text(row[year_col])!r} is not a year", where=row[year_col].location,
                                  hint="write the year as 2024 or 2024年")
        out.observations.append(cell_observation(row[value_col], ind, parsed_year[0],
                                                 _row_unit(row, unit_col, name), cat))


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_observation(cell: Cell, ind: str, year: int, unit: str | None, cat: Catalogue) -> Observation:
    """One cell to an :class:`Observation`; unreadable cells carry an error, not an exception."""
    v: Any = cell.value
    kind = cat[ind].kind
    base = dict(indicator=ind, year=year, unit=unit, location=cell.location)
    if v is None or (isinstance(v, str) and not v.strip()):
        return Observation(value=None, raw="", **base)
    if isinstance(v, dt.datetime):
        return Observation(value=v.date(), raw=v.date().isoformat(), **base)
    if isinstance(v, dt.date):
        return Observation(value=v, raw=v.isoformat(), **base)
    if isinstance(v, bool):
        return Observation(value=v, raw=str(v), **base)
    if isinstance(v, (int, float)):
        if "%" in (cell.number_format or ""):
            # A percent-formatted cell stores 0.132 for 13.2 %.
            return Observation(value=float(v) * 100, raw=f"{v} ({cell.number_format})",
                               **{**base, "unit": "%" if unit in (None, "%") else unit})
        return Observation(value=float(v), raw=str(v), **base)
    text = clean_cell_text(str(v))
    if is_excel_error(text):
        return Observation(value=None, raw=text, error=f"the cell holds the error {text}", **base)
    if kind in {"date", "boolean"}:
        m = _DATE_TEXT.match(text)
        if m:
            try:
                return Observation(value=dt.date(*map(int, m.groups())), raw=text, **base)
            except ValueError:
                return Observation(value=None, raw=text, error=f"{text!r} is not a valid date", **base)
    try:
        parsed = parse_number(text)
    except NotANumber:
        if kind in {"date", "boolean"}:
            return Observation(value=text, raw=text, **base)
        return Observation(value=None, raw=text, error=f"{text!r} is not a number", **base)
    if parsed is None:
        return Observation(value=None, raw=text, **base)
    value = parsed.value
    if parsed.scale_word and unit and clean_cell_text(unit).startswith(parsed.scale_word):
        value /= SCALE_WORDS[parsed.scale_word]   # "3.2亿" in a 亿元 row is 3.2 亿元
    if parsed.percent:
        if unit not in (None, "%", "％"):
            return Observation(value=None, raw=text, error=f"{text!r} is a percentage but the unit is {unit}",
                               **base)
        base["unit"] = "%"
    return Observation(value=value, raw=text, approx=parsed.approx, **base)
