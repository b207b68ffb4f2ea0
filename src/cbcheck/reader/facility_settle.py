"""A facility body's 合计/小计 rows and footers settled record batch by record batch, as the
whole-table read settles them (:func:`cbcheck.reader.facility_rows._without_subtotals`, then
:func:`~cbcheck.reader.facility._without_footers`): the reader's half of judging a CSV as it
streams (benchmarks/README.md, "Facility rules judged by parts of the table").

A 小计 row is told by its own name cell, so each batch drops its own, listed in the order read.
Footers are the last rows of the body (at most ``_MAX_FOOTER_ROWS``), which no batch can tell
before the file ends: the last rows kept so far are held back, joined to the next batch when it
is shorter than them, and settled as footers when the body ends. What each call gives back is
final: rows of the body, in order, never taken back. The notes are the whole read's, in its
order (the 小计 rows, then the footers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from cbcheck import columnar
from cbcheck.reader.facility_rows import _MAX_FOOTER_ROWS, _without_footers, _without_subtotals

Body = tuple[Any, dict[str, Any]]         # (source row numbers, raw column by source index)


class BodySettler:
    """``add`` each batch (rows, raw columns) in order, then ``finish``; each gives back the pieces
    of the body now settled (possibly none)."""

    def __init__(self, grid: Any, width: int, name_col: int | None) -> None:
        self.grid, self.width, self.name_col = grid, width, name_col
        self.tail: Body | None = None

    def add(self, rows: Any, raw: dict[str, Any]) -> list[Body]:
        rows, raw = _without_subtotals(self.grid, rows, raw, self.width, self.name_col)
        if self.tail is not None and len(rows) < _MAX_FOOTER_ROWS:
            rows, raw = _join(self.tail, (rows, raw))        # a few rows: the footers may begin in the held ones
            self.tail = None
        out = [] if self.tail is None else [self.tail]
        keep = max(0, len(rows) - _MAX_FOOTER_ROWS)
        if keep:
            out.append(_cut((rows, raw), 0, keep))
        self.tail = _cut((rows, raw), keep, len(rows))
        return out

    def finish(self) -> list[Body]:
        if self.tail is None:
            return []
        rows, raw = _without_footers(self.grid, *self.tail, self.width)
        self.tail = None
        return [(rows, raw)] if len(rows) else []


def _cut(body: Body, start: int, stop: int) -> Body:
    rows, raw = body
    return rows[start:stop], {k: (c.slice(start, stop - start) if columnar.is_arrow(c) else c[start:stop])
                              for k, c in raw.items()}


def _join(first: Body, second: Body) -> Body:
    rows = np.concatenate([first[0], second[0]])
    raw = {}
    for k, a in first[1].items():
        b = second[1][k]
        if columnar.is_arrow(a):
            import pyarrow as pa

            parts = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in (a, b)]
            raw[k] = pa.concat_arrays(parts)      # dictionaries unified (a few rows)
        else:
            raw[k] = np.concatenate([a, b])
    return rows, raw
