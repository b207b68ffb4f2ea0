"""Facility tables: one row per facility (unit, kiln line, coke oven, data centre...).

A table is recognised by a facility-name header (机组名称, 焦炉编号, 设施名称...).
The facility type comes from a 设施类型 column, else from the name header
(机组名称 → coal_power_unit), else from the sheet name. Other headers are
facility attributes (facilities.yaml) or measured indicators (indicators.yaml),
with the unit in the header: ``装机容量(万千瓦)``.

Cells are parsed column by column into numpy and Arrow arrays (reader/facility_cells.py), so
large tables stay fast; only values that do not convert directly go through the full number
parser. A number in a percent-formatted cell reads as the percentage it shows
(reader/facility_percent.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck import columnar
from cbcheck.i18n.message import Msg, Word
from cbcheck.facilities import FacilityCatalogue
from cbcheck.model import FacilityTable, Unmatched
from cbcheck.reader import facility_percent, fastcsv, judgestream
from cbcheck.readnote import ReadNote, Span
from cbcheck.units import is_known
from cbcheck.reader.facility_body import read_body
from cbcheck.reader.facility_cells import _categorical, _text, build_table, objects   # noqa: F401 (tests)
from cbcheck.reader.facility_rows import (_MAX_FOOTER_ROWS, _hidden_rows, _row_texts,  # noqa: F401 (settle, tests)
                                          _without_footers, _without_subtotals)
from cbcheck.reader.grid import Grid, col_letter
from cbcheck.textnorm import clean_cell_text, norm_name, trailing_unit

import numpy as np

IGNORED_HEADERS = frozenset(map(norm_name, ("序号", "说明", "填报说明", "编号说明", "no")))
# A 备注 column is kept as text: a remark saying a facility stopped (已停产, 已关停) is shown beside its
# verdicts (cbcheck.facility_remarks); it never changes one
# The facility type whose name headers (企业名称, 单位名称) name a row's owner when a facility's own name
# header stands beside them
OWNER_TYPE = "enterprise"
REMARK_HEADERS = frozenset(map(norm_name, ("备注", "remark", "remarks", "notes")))
HEADER_SCAN_ROWS = 40


@dataclass
class ColumnPlan:
    """What each source column means."""

    name_col: int | None              # None: no name column; facilities are named by their row number
    implied_type: str | None
    type_col: int | None = None
    columns: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)  # col -> (id, kind, unit)
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)      # 序号, 备注: read by nobody, said so
    by_context: list[tuple[int, str, str, str]] = field(default_factory=list)  # (col, header, indicator, type)
    # A header read by each row's type in a table of several (单位产品综合能耗 beside 设施类型 合成氨 / 甲醇):
    # col -> {type: (indicator, unit)}; the column is parsed once and each row's value goes to its type's
    by_type: dict[int, dict[str, tuple[str, str | None]]] = field(default_factory=dict)

    def reads(self, ident: str) -> bool:
        """Whether a column is read as ``ident`` (``remark``, ``owner``, an indicator…)."""
        return any(i == ident for i, _, _ in self.columns.values())


def find_header(rows: list[list[Any]], fc: FacilityCatalogue) -> tuple[int, int, str | None] | None:
    """(header row index, name column, implied type) of the first row with a facility-name header.

    A city's or a group's table names the owner before the facility (企业名称 | 熟料生产线名称 | …):
    the facility's own name header names the rows, the owner's (企业名称, 单位名称) is read as the
    ``owner`` column and said with the name (甲水泥 1号线). Taking the owner's as the name read every
    row as an enterprise and no rule on clinker lines found one (合规 with lines past their exit date).
    """
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        heads = [(c, fc.name_header(clean_cell_text(str(value)))) for c, value in enumerate(row) if value is not None]
        found = [(c, implied) for c, (is_name, implied) in heads if is_name]
        if found:
            c, implied = next(((c, t) for c, t in found if t != OWNER_TYPE), found[0])
            return r, c, implied
    return None


def find_unnamed_header(rows: list[list[Any]], cat: Catalogue, fc: FacilityCatalogue) -> int | None:
    """The row of a facility header without a name column: two or more facility attributes (设施类型,
    运行状态, 装机容量…), at least one of them not a measured indicator, with rows below it."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        labels = [clean_cell_text(str(v)) for v in row if v is not None and str(v).strip()]
        attrs = sum(1 for label in labels if fc.match_attribute(label) is not None)
        inds = sum(1 for label in labels if _indicator_column(label, cat) is not None)
        if attrs >= 1 and attrs + inds >= 2 and r + 1 < len(rows):
            return r
    return None


def table_type(grid_name: str, titles: list[str], implied: str | None, type_values: list[str],
               fc: FacilityCatalogue, weak: bool = False) -> str | None:
    """The one facility type a table is about, for reading its headers in context: the 设施类型 cells when
    they all name one type, else the name header (机组名称), the sheet name, a title above the header. A
    name header that only defaults to a type (``weak``: 生产线 heads clinker lines too) yields to the type
    the sheet name or a title names (熟料线)."""
    if type_values:
        found = {fc.match_type(v) for v in type_values}
        return found.pop() if len(found) == 1 else None
    if implied is not None and not weak:
        return implied
    for text in (grid_name, *titles):
        found_type = fc.type_in_text(text)
        if found_type is not None:
            return found_type
    return implied


# A year in a measured column's header: 单位产品综合能耗（2024年）, 2024年可再生能源利用比例(%), 上年….
_YEAR_MARK = re.compile(r"[(（\[【]\s*((?:19|20)\d{2})\s*年?度?\s*[)）\]】]|((?:19|20)\d{2})\s*年度?")
_PREVIOUS_YEAR = re.compile(r"^(上年度?|上一年度?|去年)|[(（](上年度?|上一年度?|去年)[)）]")
_THIS_YEAR = re.compile(r"^(本年度?|当年|今年)|[(（](本年度?|当年|今年)[)）]")


def year_of_column(label: str) -> tuple[str, str | None]:
    """(label without its year mark, the year it names: ``2024``, ``prev`` for 上年, or None)."""
    for pattern, year in ((_PREVIOUS_YEAR, "prev"), (_THIS_YEAR, None)):
        m = pattern.search(label)
        if m:
            return (label[:m.start()] + label[m.end():]).strip(), year
    m = _YEAR_MARK.search(label)
    if m:
        return (label[:m.start()] + label[m.end():]).strip(), m.group(1) or m.group(2)
    return label, None


def plan_columns(labels: list[str], name_col: int | None, implied: str | None, cat: Catalogue,
                 fc: FacilityCatalogue, context: str | None = None, row_types: tuple[str, ...] = ()) -> ColumnPlan:
    """What each column means; ``row_types``: the several types a 设施类型 column names, whose own
    headers (facilities.yaml ``headers``) are read row by row."""
    plan = ColumnPlan(name_col=name_col, implied_type=implied)
    for c, label in enumerate(labels):
        if c == name_col or not label:
            continue
        key = norm_name(label)
        if key in IGNORED_HEADERS or (key in REMARK_HEADERS and plan.reads("remark")):
            plan.ignored.append((c, label))
            continue
        if key in REMARK_HEADERS:
            plan.columns[c] = ("remark", "category", None)
            continue
        if name_col is not None and implied != OWNER_TYPE and not plan.reads("owner") \
                and fc.name_header(label) == (True, OWNER_TYPE):
            plan.columns[c] = ("owner", "category", None)
            continue
        unit = trailing_unit(label)
        attr = fc.match_attribute(label)
        bare, year = year_of_column(label)
        in_context = fc.context_header(context, bare)
        per_type = {t: ind for t in row_types if (ind := fc.context_header(t, bare)) is not None and ind in cat
                    and cat[ind].kind not in {"date", "boolean"}} if attr is None and year is None else {}
        if in_context is not None and in_context in cat and attr is None:
            column = f"{in_context}@{year}" if year else in_context
            plan.columns[c] = (column, "completion" if cat[in_context].kind in {"date", "boolean"} else "number",
                               cat.unit_for(in_context, unit) or cat[in_context].unit)
            plan.by_context.append((c, label, in_context, context or ""))
        elif per_type:
            # rows of the other types (and of none) keep what the header says by itself, if anything
            if set(row_types) - set(per_type) and (generic := _indicator_column(label, cat)) is not None \
                    and cat[generic[0]].kind == "number":
                per_type.setdefault("", generic[0])
            plan.by_type[c] = {t: (ind, cat.unit_for(ind, unit) or cat[ind].unit) for t, ind in per_type.items()}
            first = next(iter(plan.by_type[c].values()))
            plan.columns[c] = (first[0], "number", first[1])
        elif attr == "facility_type":
            plan.type_col = c
        elif attr is not None:
            plan.columns[c] = (attr, fc.attributes[attr].kind, unit)
        elif (found := _indicator_column(label, cat)) is not None:
            ind, year = found
            kind = cat[ind].kind
            column = f"{ind}@{year}" if year else ind
            plan.columns[c] = (column, "completion" if kind in {"date", "boolean"} else "number",
                               cat.unit_for(ind, unit) or cat[ind].unit)
        else:
            plan.unmatched.append((c, label))
    return plan


def _indicator_column(label: str, cat: Catalogue) -> tuple[str, str | None] | None:
    """The indicator a header names, and the year it is for when the header says (a table may hold
    this year's and last year's values side by side, for rules on the direction of change)."""
    ind = cat.match(label)
    if ind is not None:
        return ind, None
    bare, year = year_of_column(label)
    if bare != label and (ind := cat.match(bare)) is not None:
        return ind, year
    return None


def read_facility_grid(grid: Grid, cat: Catalogue,
                       fc: FacilityCatalogue) -> tuple[FacilityTable, list[Unmatched]] | None:
    """A facility table from a sheet/CSV grid, or None when the grid has no facility-name header."""
    head = [[c.value for c in row] for row in grid.head(HEADER_SCAN_ROWS).rows]
    found = find_header(head, fc)
    name_col: int | None
    if found is None:
        r_unnamed = find_unnamed_header(head, cat, fc)
        if r_unnamed is None:
            return None            # not a facility table: the rest of the sheet is never read
        r0, name_col, implied = r_unnamed, None, None
    else:
        r0, name_col, implied = found
    width = max(len(row) for row in head[r0:])
    labels = [_text(head[r0][c]) if c < len(head[r0]) else "" for c in range(width)]
    units = _units_row(head, r0, width, labels, name_col)
    if units is None and (sub := _sub_header(head, r0, width, labels, name_col, cat, fc)) is not None:
        labels, r0 = sub, r0 + 1           # the header's own labels are on its second row
        grid.notes.append(ReadNote("layout", "read.facility_two_row_header", [grid.span(r0, 1, r0 + 1, width)],
                                   sheet=grid.name, row=r0 + 1))
        units = _units_row(head, r0, width, labels, name_col)
    rb = r0 if units is None else r0 + 1         # the last header row: the body starts below it
    if units is not None:
        labels = [f"{label}({unit})" if label and unit and unit != label else label
                  for label, unit in zip(labels, units, strict=True)]
        grid.notes.append(ReadNote("layout", "read.facility_units_row", [grid.span(rb + 1, 1, rb + 1, width)],
                                   sheet=grid.name, row=rb + 1))
    titles = [" ".join(_text(v) for v in row if _text(v)) for row in head[:r0]]
    type_col = next((c for c, label in enumerate(labels) if label and fc.match_attribute(label) == "facility_type"),
                    None)
    type_values = [] if type_col is None else sorted(
        {_text(row[type_col]) for row in head[rb + 1:] if type_col < len(row) and _text(row[type_col])})
    weak = name_col is not None and fc.weak_name_header(labels[name_col])
    context = table_type(grid.name, titles, implied, type_values, fc, weak)
    row_types = tuple(dict.fromkeys(t for v in type_values if (t := fc.match_type(v)) is not None))
    plan = plan_columns(labels, name_col, implied if type_col is not None else context, cat, fc, context,
                        row_types if context is None else ())
    if context is None and type_col is None and not plan.columns:
        return None            # a generic name column (名称, 编号) and nothing a facility rule reads
    where = (lambda c: f"{grid.name}:{r0 + 1}:{c + 1}") if grid.csv_delimiter is not None else \
        (lambda c: f"{grid.name}!{col_letter(c)}{r0 + 1}")
    if name_col is None:
        grid.notes.append(ReadNote("layout", "read.facility_no_name", [grid.span(r0 + 1, 1, r0 + 1, width)],
                                   sheet=grid.name, row=r0 + 1, labels=Msg.listing(label for label in labels if label)))
    for c, by_type in plan.by_type.items():
        for ftype, (ind, _) in by_type.items():
            grid.notes.append(ReadNote("layout", "read.by_row_type", [grid.span(r0 + 1, c + 1)], location=where(c),
                                       label=labels[c], name=Word(cat[ind].name, cat[ind].name_en or cat[ind].name),
                                       indicator=ind, type=Word(fc.types[ftype].name, fc.types[ftype].name_en)
                                       if ftype in fc.types else Msg("read.by_row_type_other")))
    for c, label, ind, ftype in plan.by_context:
        grid.notes.append(ReadNote("layout", "read.by_context", [grid.span(r0 + 1, c + 1)], location=where(c),
                                   label=label, name=Word(cat[ind].name, cat[ind].name_en or cat[ind].name),
                                   indicator=ind, type=Word(fc.types[ftype].name, fc.types[ftype].name_en)
                                   if ftype in fc.types else ftype))
    csv = Path(grid.path).suffix.lower() in {".csv", ".tsv", ".txt"} or grid.sheet.kind == "csv"
    column_label = (lambda c: str(c + 1)) if csv else col_letter
    judged = judgestream.read(grid, rb, width, plan, fc) if csv else None
    if judged is not None:           # judged as it streamed: no body kept (reader/judgestream.py)
        table, unmatched = judged
        rows, raw, percent, body = table.rows, {}, {}, None
        _hidden_rows(grid, rows, width)
    else:
        body = read_body(grid, rb, width, plan)
        if body is None:
            values = [[c.value for c in row] for row in grid.rows]
            width = max(width, max(len(row) for row in values))
            data = [(i + 1, row) for i, row in enumerate(values) if i > rb and any(_text(v) for v in row)]
            rows = np.array([i for i, _ in data], dtype=np.int64)
            raw = {str(c): objects([row[c] if c < len(row) else None for _, row in data])
                   for c in range(width)}
            percent = facility_percent.from_cells(grid.rows, rb) if grid.sheet.kind == "xlsx" else {}
        else:
            rows, raw = body
            body = None           # the raw columns are build_table's to drop as it converts them
            width = max(width, *(int(k) + 1 for k in raw))     # body cells beyond the header (xlsx)
            percent = facility_percent.from_xml(grid)        # calamine's body: the styles in the sheet XML
        rows, raw = _without_subtotals(grid, rows, raw, width, name_col)
        rows, raw = _without_footers(grid, rows, raw, width)
        _hidden_rows(grid, rows, width)
        table, unmatched = build_table(grid.name, raw, rows, plan, fc, csv=csv, header_row=rb + 1,
                                       column_label=column_label, consume=True)
    facility_percent.apply(grid, table, plan, percent, labels, where)
    _approximate_notes(grid, table, plan)
    suggestions = [Unmatched(u.label, u.location, cat.suggest(u.label)) for u in unmatched]
    _facility_spans(grid, rb, width, head, labels, plan, raw, rows, suggestions, where)
    del body, raw
    fastcsv.release_unused()
    return table, suggestions


def _sub_header(head: list[list[Any]], r0: int, width: int, labels: list[str], name_col: int | None,
                cat: Catalogue, fc: FacilityCatalogue) -> list[str] | None:
    """The labels of a header on two rows whose upper row groups the columns, merged across (基本情况
    over 机组类型 and 装机容量, 能效指标 over 供电煤耗), or None: the row under the header when its name
    cell is blank or the merged label, none of its cells a number, and at least one of them an attribute
    or an indicator where the label above it is neither. A year under a label (2024年 under 供电煤耗)
    is that label's year."""
    if name_col is None or r0 + 1 >= len(head):
        return None
    row = [_text(head[r0 + 1][c]) if c < len(head[r0 + 1]) else "" for c in range(width)]
    if row[name_col] not in ("", labels[name_col]) or any(_is_number(t) for t in row if t):
        return None

    def known(text: str) -> bool:
        return bool(text) and (fc.match_attribute(text) is not None or _indicator_column(text, cat) is not None
                               or norm_name(text) in IGNORED_HEADERS | REMARK_HEADERS)

    if not any(t and t != labels[c] and known(t) and not known(labels[c]) for c, t in enumerate(row)):
        return None
    out = []
    for c, text in enumerate(row):
        if not text or text == labels[c]:
            out.append(labels[c])
        elif _YEAR_ONLY.match(text) and labels[c]:
            out.append(f"{labels[c]}（{text}）")
        else:
            out.append(text)
    return out


_YEAR_ONLY = re.compile(r"^(19|20)\d{2}\s*年?度?$")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _units_row(head: list[list[Any]], r0: int, width: int, labels: list[str],
               name_col: int | None) -> list[str] | None:
    """The units of a header written on two rows (装机容量 over 万千瓦, the labels merged down over
    both), or None: the row under the header when its name cell is blank or the merged label, and
    every other cell a unit or the label above it, at least one a unit."""
    if r0 + 1 >= len(head):
        return None
    row = [_text(head[r0 + 1][c]) if c < len(head[r0 + 1]) else "" for c in range(width)]
    if name_col is not None and row[name_col] not in ("", labels[name_col]):
        return None
    units: list[str] = []
    for c, text in enumerate(row):
        bare = text.strip("()（）[]【】 ")
        if not text or text == labels[c]:
            units.append("")
        elif not any(ch.isdigit() for ch in bare) and len(bare) > 1 and is_known(bare):
            units.append(bare)
        else:
            return None
    return units if any(units) else None


def _facility_spans(grid: Grid, r0: int, width: int, head: list[list[Any]], labels: list[str], plan: ColumnPlan,
                    raw: dict[str, Any],
                    rows: Any, unmatched: list[Unmatched], where: Any) -> None:
    """What the facility table read (titles above it, its header, the body of the columns it uses: one
    rectangle per run of used columns, whatever the number of rows) and notes naming the columns it
    did not read, each with its cells."""
    last = int(rows.max()) if len(rows) else r0 + 1
    spans = [grid.span(r + 1, 1, r + 1, len(row)) for r, row in enumerate(head[:r0]) if any(_text(v) for v in row)]
    spans.append(grid.span(r0 + 1, 1, r0 + 1, width))
    used = sorted({c for c in (plan.name_col, plan.type_col) if c is not None} | set(plan.columns))
    runs: list[list[int]] = []
    for c in used:
        if runs and runs[-1][-1] == c - 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    if plan.name_col is None:           # the row numbers name the facilities: every row is read
        runs = [[c] for c in used] or []
    spans += [grid.span(r0 + 2, run[0] + 1, last, run[-1] + 1) for run in runs if last >= r0 + 2]
    grid.read_spans = spans

    def body(c: int) -> list[Span]:
        return [grid.span(r0 + 1, c + 1, max(last, r0 + 1), c + 1)]

    # A column the clerk hid (last year's figures, a superseded value) is still judged: said, with its cells.
    for c in used if grid.hidden_cols else ():
        if grid.hides(0, c + 1) == "column":
            grid.notes.append(ReadNote("value", "read.facility_hidden_column", body(c), location=where(c),
                                       label=labels[c] if c < len(labels) else ""))
    for c, label in plan.ignored:
        grid.notes.append(ReadNote("column_ignored", "read.facility_column_unused", body(c), location=where(c),
                                   label=label))
    for c in (c for c, (cid, _, _) in plan.columns.items() if cid == "remark"):
        grid.notes.append(ReadNote("remark", "read.facility_remarks", body(c), location=where(c),
                                   label=labels[c] if c < len(labels) else ""))
    suggestions = {u.label: u.suggestions for u in unmatched}
    for c, label in plan.unmatched:
        names = suggestions.get(label, ())
        grid.notes.append(ReadNote("row_unmatched", "read.facility_column_unknown_dym", body(c), location=where(c),
                                   label=label, names=" / ".join(names)) if names else
                          ReadNote("row_unmatched", "read.facility_column_unknown", body(c), location=where(c),
                                   label=label))
    labelled = {c for c, label in enumerate(labels) if label}
    for c in range(max(width, len(raw))):
        column = raw.get(str(c))
        if c in labelled or column is None or not _any_text(column):
            continue
        grid.notes.append(ReadNote("column_ignored", "read.column_no_label", body(c), sheet=grid.name,
                                   column=str(c + 1) if grid.sheet.kind != "xlsx" else col_letter(c)))


def _approximate_notes(grid: Grid, table: FacilityTable, plan: ColumnPlan) -> None:
    """约4.3 reads 4.3, as on an indicator sheet (4.3 m is the oven class the plan itself names):
    said at its cell, as the indicator reader says it."""
    column_of = {cid: c for c, (cid, _, _) in plan.columns.items()}
    by_column: dict[str, list[tuple[int, str]]] = {}
    for (cid, row), text in table.approximate.items():
        by_column.setdefault(cid, []).append((row, text))
    for cid, cells in by_column.items():
        value = table.column(cid)[int(np.searchsorted(table.rows, cells[0][0]))]
        said = dict(location=table.location(cid, cells[0][0]), raw=cells[0][1], value=f"{value:g}")
        if len(cells) > 10:       # a platform's export: one note for the column, every cell in it
            grid.notes.append(ReadNote("approximate", "read.facility_approximate_many",
                                       [grid.span(row, column_of[cid] + 1) for row, _ in cells], n=len(cells),
                                       **said))
            continue
        for row, text in cells:
            value = table.column(cid)[int(np.searchsorted(table.rows, row))]
            grid.notes.append(ReadNote("approximate", "read.approximate", [grid.span(row, column_of[cid] + 1)],
                                       location=table.location(cid, row), raw=text, value=f"{value:g}"))


def _any_text(column: Any) -> bool:
    """Whether a raw column holds a cell with text (a value in a column without a label)."""
    values = column.drop_null().to_pylist() if columnar.is_arrow(column) else column.tolist()
    return any(bool(_text(v)) for v in values if not (v is None or (isinstance(v, float) and v != v)))
