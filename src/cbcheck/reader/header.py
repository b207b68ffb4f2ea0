"""Finding a table's header in a grid: the row with the indicator-name (or year) label,
the rows it spans (merged two-row headers, a year row above), and what each column holds.

``2024年`` / ``2024`` / ``2024年实际`` / ``完成情况 | 2024`` are a year's value;
``2025年目标`` / ``规划目标 | 2030`` are targets, not data; ``2024年1-9月`` and other
qualified years are not a year's value (``2024年1-12月`` is: the whole year). Both are skipped with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cbcheck.catalogue import Catalogue
from cbcheck.numbers import NotANumber, is_missing_marker, parse_number
from cbcheck.reader.cells import is_year_format
from cbcheck.reader.grid import Cell, Grid
from cbcheck.textnorm import clean_cell_text, norm_name, trailing_unit

# Name-column labels, best first: in 序号 | 项目 | 指标名称 the indicator is under 指标名称.
NAME_HEADERS = tuple(map(norm_name, ("指标名称", "指标", "指标项", "指标项目", "主要指标", "考核指标", "指标内容",
                                     "监测指标", "统计指标", "indicator", "indicator name", "项目", "名称",
                                     "name")))
# A row-number column (序号 | 指标名称 | …): read as the row's number, nothing else.
SEQ_HEADERS = frozenset(map(norm_name, ("序号", "行次", "编号", "no", "no.", "#")))
UNIT_HEADERS = frozenset(map(norm_name, ("单位", "计量单位", "unit", "units")))
# A remarks column: where a county writes 现价 / 可比价 / 比上年 for a row (reader/basis.py).
NOTE_HEADERS = frozenset(map(norm_name, ("备注", "说明", "注", "备注说明", "口径", "统计口径", "note", "notes",
                                         "remark", "remarks")))
YEAR_HEADERS = frozenset(map(norm_name, ("年份", "年度", "统计年度", "报告年度", "year")))
VALUE_HEADERS = frozenset(map(norm_name, ("数值", "值", "完成值", "实际值", "实际完成值", "完成情况", "实际完成",
                                          "本年完成", "数据", "统计值", "绝对值", "绝对数", "value")))
_YEAR = re.compile(r"^(?P<year>(19|20)\d{2})\s*(年度?)?(?P<rest>.*)$")
# 快报/初步核算: the year's figure as first published (DOMAIN §7: final figures come mid next year); it is
# the value the county reports for the year, so it is read as the year's value.
# 绝对值 (over a 增速/比上年增长 column, as a bulletin lays out a year): the year's figure; first, so that
# removing 值 does not leave 绝对 behind.
_ACTUAL_WORDS = ("绝对值", "绝对数", "绝对量", "绝对额",
                 "统计快报数", "统计快报", "快报数", "快报值", "快报", "初步核算数", "初步核算", "初步数",
                 "实际完成值", "实际完成", "实际值", "实际", "完成情况", "完成值", "完成数", "完成", "实绩",
                 "数值", "数据", "统计值", "现状值", "现状", "基期值", "基期", "基准年", "基数", "全年",
                 "年末", "年底", "末", "底", "当年", "本年", "情况", "值", "actual", "value")
_TARGET_WORDS = ("目标", "计划", "规划", "预期", "预计", "预测", "任务", "考核", "要求", "target", "plan", "goal")
# 2025年(预计) / 2025年预测数: the office's estimate of a year not yet in the statistics, not a target
# and not the year's value; said as an estimate, so the reader knows to send the figure once published
_ESTIMATE_WORDS = ("预计", "预测", "预估", "估计", "测算", "estimate", "forecast", "projected")
# 1-12月 in a monthly report's column is the whole year (2025年1-12月 is 2025's value); 1-9月 is not.
_FULL_YEAR = re.compile(r"1\s*[-—–~～至到]\s*12\s*月份?")
# 2020年(五经普修订后) / 2020年(调整后): the year's value as restated after a census (DOMAIN §7); it replaces
# the year's first-published column beside it, which is listed with the column that replaced it.
_REVISED = re.compile(r"修订|调整|经普|普查|核定|修正|重估")
_BEFORE = re.compile(r"前|原")
_PLAN_END = re.compile(r"^[\"“”']?十(?P<n>[一二三四五])五[\"“”']?(?:期)?末(?:\((?P<said>(?:19|20)\d{2})年?\))?"
                       r"(?P<rest>.*)$")
HEADER_SCAN_ROWS = 40
HEADER_MAX_ROWS = 4
NAME_SAMPLE_ROWS = 200


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
    note_col: int | None = None      # 备注
    years: list[tuple[int, int, str | None]] = field(default_factory=list)       # (col, year, unit)
    indicators: list[tuple[int, str, str | None]] = field(default_factory=list)  # (col, id, unit)
    value_unit: str | None = None
    ignored: list[tuple[int, str, str]] = field(default_factory=list)   # (col, label, why): target columns…
    restated: dict[int, str] = field(default_factory=dict)   # first-published column -> the label replacing it


def text_of(cell: Cell | None) -> str:
    """A cell as header/name text: cleaned, 2024.0 as 2024, dates as ISO (as the year when the cell
    shows only the year), other values empty."""
    if cell is None:
        return ""
    v = cell.value
    if v is None or not isinstance(v, str | int | float) or isinstance(v, bool):
        if v is None or not hasattr(v, "isoformat"):
            return ""
        return f"{v.year}年" if hasattr(v, "year") and is_year_format(cell.number_format) else v.isoformat()[:10]
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_cell_text(str(v))


def cell_at(row: list[Cell], col: int) -> Cell | None:
    return row[col] if col < len(row) else None


def year_label(label: str) -> tuple[int, str] | None:
    m = _YEAR.match(label.replace(" ", ""))
    if m:
        return int(m.group("year")), m.group("rest")
    return _plan_end_year(label.replace(" ", ""))


# Rows a table of years ends with (年均增长, “十四五”累计, 合计): no year's values, listed rather than refused.
_SUMMARY_WORDS = re.compile(r"年均|平均|合计|累计|总计|小计|增长|增速|增幅|增减|下降|比上年|同比|变化|以来|期间")


def summary_label(label: str) -> bool:
    """A by-year row labelled with a summary of the years, not with a year (2025年 stays a year,
    2025年（预计） an estimate the year check refuses as before)."""
    return year_label(label) is None and _SUMMARY_WORDS.search(label) is not None


def _plan_end_year(label: str) -> tuple[int, str] | None:
    """``“十三五”末`` is 2020 (the five-year plans end in 2010, 2015, 2020, 2025, 2030); a year written
    beside it (``“十三五”末（2020年）``) must be that year, else the label is no year."""
    m = _PLAN_END.match(label)
    if not m:
        return None
    year = 2010 + 5 * "一二三四五".index(m.group("n"))
    said = m.group("said")
    return (year, m.group("rest")) if said is None or int(said) == year else None


def classify_rest(rest: str) -> tuple[str, str | None]:
    """("actual" | "target" | "estimate" | "revised" | "other", unit) for what follows the year in a column label."""
    text = _FULL_YEAR.sub("", clean_cell_text(rest))
    unit = trailing_unit(text) if "(" in text else None
    if unit:                                  # 2024年(万千瓦): the unit is not a qualifier
        text = text[: text.rindex("(")]
    words = re.sub(r"[\s:：/\-—_.,，、()]+", "", text).lower()
    if any(w in words for w in _ESTIMATE_WORDS) and not any(w in words for w in ("目标", "计划", "规划", "任务")):
        return "estimate", unit
    if any(w in words for w in _TARGET_WORDS):
        return "target", unit
    if _REVISED.search(words) and not _BEFORE.search(words):
        return "revised", unit
    for w in _ACTUAL_WORDS:
        words = words.replace(w, "")
    return ("actual" if not words else "other"), unit


def _column_year(parts: list[str]) -> tuple[int, str, str | None] | None:
    """(year, 'actual'|'target'|'other', unit) of a column from its header parts, or None."""
    years, rest = [], []
    for part in parts:
        parsed = year_label(part)
        if parsed:
            years.append(parsed[0])
            rest.append(parsed[1])
        else:
            rest.append(part)
    if not years:
        return None
    status, unit = classify_rest(" ".join(rest))
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
    top = text_of(cell_at(grid.rows[r0], name_col)) if name_col is not None else ""
    end = r0 + 1
    while end < len(grid.rows) and end < r0 + HEADER_MAX_ROWS:
        row = grid.rows[end]
        texts = [text_of(c) for c in row]
        if not any(texts) or any(_is_number_cell(c) for c in row):
            break
        below = texts[name_col] if name_col is not None and name_col < len(texts) else ""
        if below not in ("", top):
            break
        if all(not t or is_missing_marker(t) for i, t in enumerate(texts) if i != name_col) and not any(
                year_label(t) for t in texts):
            break
        end += 1
    return end


def _labels(grid: Grid, start: int, end: int, width: int) -> list[list[str]]:
    labels: list[list[str]] = [[] for _ in range(width)]
    for r in range(start, end):
        for c, cell in enumerate(grid.rows[r][:width]):
            t = text_of(cell)
            if t and t not in labels[c]:
                labels[c].append(t)
    return labels


def _pick_name_col(grid: Grid, candidates: list[int], start: int, cat: Catalogue) -> int:
    """Of several name-labelled columns, the one whose cells name the most indicators."""
    if len(candidates) == 1:
        return candidates[0]
    rows = grid.rows[start:start + NAME_SAMPLE_ROWS]
    hits = {c: sum(1 for row in rows if cat.match(text_of(cell_at(row, c))) is not None) for c in candidates}
    return max(candidates, key=lambda c: hits[c])


def _unlabelled_name_col(grid: Grid, r: int, texts: list[str], cat: Catalogue) -> int | None:
    """Year columns with no 指标名称 label over the names (a blank top-left cell): the column left of
    the years whose cells below name indicators — at least two, so no other table is taken for one."""
    first_year = next((c for c, t in enumerate(texts) if t and (y := _column_year([t])) and y[1] == "actual"),
                      None)
    if not first_year:
        return None
    rows = grid.rows[r + 1:r + 1 + NAME_SAMPLE_ROWS]
    hits = {c: sum(1 for row in rows if cat.match(text_of(cell_at(row, c))) is not None) for c in range(first_year)}
    best = max(hits, key=lambda c: hits[c])
    return best if hits[best] >= 2 else None


def classify_header(grid: Grid, r: int, cat: Catalogue, *, yearless: bool = False) -> Header | None:
    """The header starting at row ``r``, or ``None`` if that row does not start a table. With ``yearless``
    a name header whose year columns are all qualified (2025年1-9月, 2025年目标) is returned with no years,
    so that a refusal can name them."""
    row = grid.rows[r]
    texts = [text_of(c) for c in row]
    keys = [norm_name(t) if not t.endswith((":", "：")) else "" for t in texts]
    if sum(1 for t in set(texts) if t) < 2:
        return None
    name_cols = [c for c, k in enumerate(keys) if k in NAME_HEADERS]
    if name_cols:
        best = min(NAME_HEADERS.index(keys[c]) for c in name_cols)
        name_cols = [c for c in name_cols if NAME_HEADERS.index(keys[c]) == best]
    year_col = next((c for c, k in enumerate(keys) if k in YEAR_HEADERS), None)
    if not name_cols and year_col is None:
        unlabelled = _unlabelled_name_col(grid, r, texts, cat)
        if unlabelled is None:
            return None
        name_cols = [unlabelled]
    name_col = name_cols[0] if name_cols else None
    end = _block_end(grid, r, name_col)
    start = r
    width = max(len(grid.rows[i]) for i in range(max(0, r - 1), end))
    # A year row just above the name row (2024年 merged over 目标 | 实际): part of the header.
    if r > 0 and name_col is not None and not text_of(cell_at(grid.rows[r - 1], name_col)) and any(
            year_label(text_of(c)) for c in grid.rows[r - 1]):
        start = r - 1
    labels = _labels(grid, start, end, width)
    if name_cols:
        name_col = _pick_name_col(grid, name_cols, end, cat)
    part_keys = [{norm_name(p) for p in parts} for parts in labels]
    unit_col = next((c for c, k in enumerate(part_keys) if k & UNIT_HEADERS and c != name_col), None)
    value_col = next((c for c, k in enumerate(part_keys) if k & VALUE_HEADERS and c not in (name_col, year_col)),
                     None)
    note_col = next((c for c, k in enumerate(part_keys) if k & NOTE_HEADERS and c not in (name_col, unit_col)),
                    None)
    header = Header(row=start, label_row=r, data_start=end, layout="wide", name_col=name_col, unit_col=unit_col,
                    year_col=year_col, value_col=value_col, note_col=note_col)
    if name_col is not None and year_col is not None and value_col is not None:
        header.layout = "long"
        header.value_unit = trailing_unit(" ".join(labels[value_col]))
        for c, parts in enumerate(labels):
            if c not in (name_col, year_col, value_col, unit_col) and any(
                    w in "".join(parts) for w in _TARGET_WORDS):
                status = "estimate" if classify_rest("".join(parts))[0] == "estimate" else "target"
                header.ignored.append((c, " ".join(parts), f"read.{status}_column"))
        return header
    if name_col is not None:
        revised: list[tuple[int, int, str | None, str]] = []
        plan_ends: list[tuple[int, int, str | None, str]] = []
        for c, parts in enumerate(labels):
            if c in (name_col, unit_col) or not parts:
                continue
            parsed = _column_year(parts)
            if parsed is None:
                continue
            year, status, unit = parsed
            if status == "actual" and any(_PLAN_END.match(p.replace(" ", "")) for p in parts):
                plan_ends.append((c, year, unit, " ".join(parts)))
            elif status == "actual":
                header.years.append((c, year, unit))
            elif status == "revised":
                revised.append((c, year, unit, " ".join(parts)))
            elif status in ("target", "estimate"):
                header.ignored.append((c, " ".join(parts), f"read.{status}_column"))
            else:
                header.ignored.append((c, " ".join(parts), "read.not_year_column"))
        # “十三五”末 beside later years is a past base; “十四五”末 with no later year may be the plan's target
        # for that year as well as the actual, so it is listed, not read.
        latest = max((y for _, y, _ in header.years), default=None)
        for c, year, unit, label in plan_ends:
            if latest is not None and year < latest:
                header.years.append((c, year, unit))
            else:
                header.ignored.append((c, label, "read.not_year_column"))
        _restate(header, labels, revised)
        return header if header.years or yearless else None
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


def _restate(header: Header, labels: list[list[str]], revised: list[tuple[int, int, str | None, str]]) -> None:
    """A year's restated column is its value; the first-published one beside it is listed, not read.
    With two restated columns for one year the file does not say which is final: none of that year's
    columns is read, and each is listed saying so."""
    years = [y for _, y, _, _ in revised]
    for c, year, unit, label in revised:
        if years.count(year) > 1:
            header.ignored.append((c, label, "read.restated_ambiguous"))
            for old in [entry for entry in header.years if entry[1] == year]:
                header.years.remove(old)
                header.ignored.append((old[0], " ".join(labels[old[0]]), "read.restated_ambiguous"))
            continue
        for old in [entry for entry in header.years if entry[1] == year]:
            header.years.remove(old)
            header.ignored.append((old[0], " ".join(labels[old[0]]), "read.restated_column"))
            header.restated[old[0]] = label
        header.years.append((c, year, unit))
    header.years.sort()


def find_header(grid: Grid, start: int, cat: Catalogue, scan: int = HEADER_SCAN_ROWS) -> Header | None:
    for r in range(start, min(len(grid.rows), start + scan)):
        header = classify_header(grid, r, cat)
        if header is not None:
            return header
    return None


def next_name_header(grid: Grid, start: int, scan: int | None = None) -> int | None:
    for r in range(start, len(grid.rows) if scan is None else min(len(grid.rows), start + scan)):
        if any(norm_name(text_of(c)) in NAME_HEADERS for c in grid.rows[r]):
            return r
    return None
