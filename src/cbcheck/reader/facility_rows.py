"""The rows of a facility table's body that are not facilities, or not in sight: the 合计/小计 rows and
the footers under it (填表人：…, 注：…, 填报说明：…), each listed as a remark; rows the clerk hid, said."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from cbcheck import columnar
from cbcheck.i18n.message import Msg
from cbcheck.reader.grid import Grid
from cbcheck.reader.meta import FOOTER_ROW
from cbcheck.readnote import ReadNote


def _hidden_rows(grid: Grid, rows: Any, width: int) -> None:
    """Facilities in rows the clerk hid (a line shut down, a unit sold) are still judged, as the
    file holds them: said, with their rows, since the official looking at the sheet does not see them."""
    if not grid.hidden_rows:
        return
    hidden = [int(r) for r in rows if int(r) in grid.hidden_rows]
    if hidden:
        grid.notes.append(ReadNote("value", "read.facility_hidden_rows", [grid.span(r, 1, r, width) for r in hidden],
                                   sheet=grid.name, rows=Msg.listing(hidden)))



# A footer under a facility table (填表人：张三  联系电话：…, 注：…) is not a facility, and neither is
# the 合计 row plants put under their units (it has a capacity and no type, so it was judged MISSING).
_MAX_FOOTER_ROWS = 10
_TOTAL_ROW = re.compile(r"^\S{0,4}?(合计|总计|小计)[:：]?$|^(sub)?total[:：]?$", re.IGNORECASE)


def _without_footers(grid: Grid, rows: Any, raw: dict[str, Any], width: int) -> tuple[Any, dict[str, Any]]:
    """The body without the footer rows at its end, each listed as a remark (it is read, not
    dropped in silence). Columns may be numpy or Arrow arrays (the fast CSV path, Parquet)."""
    keys = sorted(raw, key=int)
    n = len(rows)
    footers: list[tuple[int, list[str], bool]] = []
    while len(footers) < min(n, _MAX_FOOTER_ROWS):
        i = n - 1 - len(footers)
        texts = _row_texts(raw, keys, i)
        total = bool(texts) and _is_total(texts[0])
        if not texts or not (total or FOOTER_ROW.match(texts[0])):
            break
        footers.append((int(rows[i]), texts, total))
    if not footers:
        return rows, raw
    for row, texts, total in reversed(footers):
        _remark(grid, row, width, "read.total_row" if total else "read.remark", texts)
    keep = n - len(footers)
    return rows[:keep], {k: (c.slice(0, keep) if columnar.is_arrow(c) else c[:keep]) for k, c in raw.items()}


def _without_subtotals(grid: Grid, rows: Any, raw: dict[str, Any], width: int,
                       name_col: int | None) -> tuple[Any, dict[str, Any]]:
    """The body without the 小计/合计 rows inside it (a group's units, then 甲厂小计, then the next
    group's), found by the name column and each listed as a total row. Only names holding 计 are
    looked at, by Arrow's kernel on the fast paths, so a million facilities cost one scan."""
    column = raw.get(str(name_col)) if name_col is not None else None
    if column is None or not len(rows):
        return rows, raw
    if columnar.is_arrow(column):
        import pyarrow as pa
        import pyarrow._compute as pac

        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            return rows, raw
        hits = columnar.arrow_call("match_substring", column, options=pac.MatchSubstringOptions("计"))
        candidates = columnar.arrow_call("indices_nonzero", hits).to_pylist()
        texts = {i: column[i].as_py() for i in candidates}
    else:
        texts = {i: v for i, v in enumerate(column.tolist()) if isinstance(v, str) and "计" in v}
    drop = [i for i, v in texts.items() if _is_total(v)]
    if not drop:
        return rows, raw
    keys = sorted(raw, key=int)
    for i in drop:
        _remark(grid, int(rows[i]), width, "read.total_row", _row_texts(raw, keys, i))
    keep = np.ones(len(rows), dtype=bool)
    keep[drop] = False
    mask = columnar.arrow_mask(keep)
    return rows[keep], {k: (columnar.arrow_call("filter", c, mask) if columnar.is_arrow(c) else c[keep])
                        for k, c in raw.items()}


def _is_total(text: str) -> bool:
    return _TOTAL_ROW.match(re.sub(r"\s+", "", text)) is not None


def _row_texts(raw: dict[str, Any], keys: list[str], i: int) -> list[str]:
    """The filled cells of body row ``i`` as text, left to right (numpy or Arrow columns)."""
    out = []
    for k in keys:
        column = raw[k]
        v = column[i].as_py() if columnar.is_arrow(column) else column[i]
        if v is not None and not (isinstance(v, float) and v != v) and str(v).strip():
            out.append(str(v).strip())
    return out


def _remark(grid: Grid, row: int, width: int, key: str, texts: list[str]) -> None:
    """A body row read as a remark (a footer, a 合计), listed with its cells, not judged."""
    span = grid.span(row, 1, row, max(width, 1))
    grid.notes.append(ReadNote("remark", key, [span], location=str(span), text="  ".join(dict.fromkeys(texts))))
