"""A plain facility CSV judged group by group as it is read: the whole table's number and text
columns never exist (benchmarks/README.md, "Facility CSV judged as it streams").

:func:`read` is tried by ``read_facility_grid`` before the body is read when a check judges as it
reads (:func:`cbcheck.streamed.current`: ``cbcheck check`` with the numpy engine, ``--year``, no
``--all-facilities``). faststream's record batches (~5k rows) are gathered into groups of at least
``group_rows()`` rows (whole batches), each written into compact columns as faststream writes the
whole file's, its 合计/小计 rows and footers settled (:class:`BodySettler`), made a table of its
own by ``build_table`` and handed to every rule and share (:class:`cbcheck.streamed.Sinks`). The
parser runs a few batches ahead in its own thread (``prefetch.batches``). Kept of each group:
its rows, type codes and names (into buffers that grow, never joined), the 备注 column's codes
(its remarks are put beside the verdicts after the rules), the cells it could not read (by
source row, as the rules look them up) and its column map.

Left to the whole-table read (None, the bytes given back to it): whatever faststream leaves to it
(a blank row, booleans or dates in a number column, a widening beyond float64...), a table
without a name column, a column read by each row's type (``by_type``: a group holds some types
only), a number written as
approximate (约4.3: its note quotes the value read), and a unit error in any group (the whole
table's words for it). A widening restart starts the judging again from the top.
"""

from __future__ import annotations

import dataclasses
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from cbcheck import streamed
from cbcheck.errors import SubmissionError, UnitError
from cbcheck.facilities import FacilityCatalogue
from cbcheck.facility_listing import Grown
from cbcheck.i18n.message import Msg
from cbcheck.model import FacilityTable, Unmatched
from cbcheck.reader import fastcsv, faststream
from cbcheck.reader.facility_cells import LazyNames, build_table
from cbcheck.reader.facility_rows import _without_footers, _without_subtotals
from cbcheck.reader.facility_settle import BodySettler
from cbcheck.readnote import ReadNote


def group_rows() -> int:
    """Rows judged at a time, at least (``CBCHECK_STREAM_GROUP``): whole record batches are gathered
    up to it. 16,384: three or four batches (8k-row groups cost 0.1-0.2 s more CPU at 1M for no
    less memory; 64k-row groups cost ~30 MiB of the 1M peak: benchmarks/probe_stream.py)."""
    return max(1, int(os.environ.get("CBCHECK_STREAM_GROUP", "") or 16384))


def read(grid: Any, rb: int, width: int, plan: Any,
         fc: FacilityCatalogue) -> tuple[FacilityTable, list[Unmatched]] | None:
    """The table below the header ending at row ``rb`` judged as it streams, kept as a
    :class:`~cbcheck.streamed.StreamedTable`; None: the caller reads it whole (module docstring)."""
    judging = streamed.current()
    # An owner column (企业名称 beside 机组编号: a word per enterprise, said with each name) is left to the
    # whole read: a group's many distinct owners come as plain strings, converted cell by cell, where the
    # whole read converts each owner once (200k rows: 1.3 s CPU streamed, 0.5 s whole)
    if judging is None or plan.by_type or plan.name_col is None or plan.reads("owner"):
        return None
    layout = fastcsv.plain_layout(grid, rb)
    if layout is None:
        return None
    skip, first_row, delimiter = layout
    used, types = fastcsv._wanted(plan, width)
    seen: dict[str, int] = {}

    def sink(schema: Any, names: list[str], lines: int, size: int) -> _Judge:
        return _Judge(schema, names, judging.start(lines), grid, width, rb, plan, fc, first_row, lines, size)

    got = faststream.read_grid(grid, skip, first_row, width, delimiter, used, types, sink=sink, seen=seen)
    if got is None:
        return None
    grid.csv_text.release()
    grid.notes.append(ReadNote("layout", "read.fastcsv", sheet=grid.name, n=f"{got.streamed:,}", k=len(used),
                               width=width))
    grid.notes.extend(got.notes.notes)          # the 合计 rows and footers, after the read's own note

    def refill() -> FacilityTable:
        return _whole(grid, seen, skip, first_row, width, delimiter, rb, plan, fc)

    return got.table(refill), got.unmatched


class _Notes:
    """The grid as the settler sees it, its notes kept aside: said after the read's own note, as
    the whole read says them (or never, when the stream leaves the file to the whole read)."""

    def __init__(self, grid: Any) -> None:
        self.grid = grid
        self.notes: list[ReadNote] = []

    def span(self, *args: Any) -> Any:
        return self.grid.span(*args)


def _label(c: int) -> str:
    return str(c + 1)


# text columns the reports read beside each listed facility, kept whole as codes (4 bytes a row): the
# 备注 (facility_remarks)
KEPT_TEXTS = ("remark",)


class _Judge:
    """faststream's sink (``add`` each record batch, then ``result``) that judges groups of rows."""

    def __init__(self, schema: Any, names: list[str], sinks: streamed.Sinks, grid: Any, width: int, rb: int,
                 plan: Any, fc: FacilityCatalogue, first_row: int, lines: int, size: int) -> None:
        self.columns = faststream.columns_for(schema, names, 0, 0)      # only whether the types are read here
        self.schema, self.names, self.sinks = schema, names, sinks
        self.grid, self.width, self.rb, self.plan, self.fc = grid, width, rb, plan, fc
        self.group = group_rows()
        self.pending: list[Any] = []
        self.pending_rows = 0
        self.next_row = first_row
        self.streamed = 0
        self.notes = _Notes(grid)
        self.settler = BodySettler(self.notes, width, plan.name_col)
        # sized by the line count, as faststream's (pages never written are never resident); a
        # handful of facility types: a byte a row
        self.codes = Grown(np.int8, lines)
        self.first_row, self.last_extra = first_row, 0
        # where the row numbers jump, and by how many in all (a few numbers: Python ints, not an array
        # a group left in the heap between the groups' buffers)
        self.jumps: list[int] = []
        self.extra: list[int] = []
        # the positions of the facilities listed, and their names as read, written in place: kept a
        # group at a time as arrays, they were small long-lived pieces between each group's freed
        # buffers (the heap could not give those pages back) and joined again at the end
        self.name_at = Grown(np.int32 if lines < 2 ** 31 else np.int64, lines)
        self.names_of = faststream._Strings(lines, size)
        self.pieces_seen = [0] * len(sinks.rules)     # entries of each rule's listing named so far
        self.type_ids: dict[str, int] = {}        # in order of first appearance; sorted at the end
        # text columns the reports read beside each listed facility (备注, the owner of 甲水泥 1号线), as codes
        self.texts: dict[str, tuple[Any, dict[Any, int]]] = {
            cid: (Grown(np.int32, lines), {}) for cid in KEPT_TEXTS if plan.reads(cid)}
        self.errors: dict[tuple[str, int], Any] = {}
        self.bounds: dict[tuple[str, int], Any] = {}
        self.first: FacilityTable | None = None
        self.unmatched: list[Unmatched] = []
        self.offset = 0

    def add(self, batch: Any) -> bool:
        self.pending.append(batch)
        self.pending_rows += batch.num_rows
        self.streamed += batch.num_rows
        return self.pending_rows < self.group or self._flush()

    def result(self) -> _Judge | None:
        if self.pending and not self._flush():
            return None
        for rows, raw in self.settler.finish():
            if not self._judge(rows, raw):
                return None
        return self if self.first is not None else None

    def _flush(self) -> bool:
        """The batches gathered, written into a group's compact columns after the rows the settler
        held back from the group before (the footers could begin there: one part, not a part of
        ten rows and a group), settled and judged."""
        held, self.settler.tail = self.settler.tail, None
        n = self.pending_rows
        k = 0 if held is None else len(held[0])
        columns = faststream.columns_for(self.schema, self.names, k + n, 64 * (k + n))
        assert columns is not None
        for name, column in columns.items():
            if held is not None and not column.add(held[1][name]):
                return False
        for batch in self.pending:
            for i, name in enumerate(batch.schema.names):
                if not columns[name].add(batch.column(i)):
                    return False
        self.pending, self.pending_rows = [], 0
        rows = np.arange(self.next_row, self.next_row + n, dtype=np.int64)
        if held is not None:
            rows = np.concatenate([held[0], rows])
        self.next_row += n
        raw = {name: column.array() for name, column in columns.items()}
        del columns, held
        return all(self._judge(piece_rows, piece_raw) for piece_rows, piece_raw in self.settler.add(rows, raw))

    def _judge(self, rows: Any, raw: dict[str, Any]) -> bool:
        if not len(rows):
            return True
        part, unmatched = build_table(self.grid.name, raw, rows, self.plan, self.fc, csv=True,
                                      header_row=self.rb + 1, column_label=_label)
        names = part.lazy.get("_name")
        if part.approximate or not isinstance(names, LazyNames):
            return False
        try:
            self.sinks.add(part, self.offset)
        except UnitError:
            return False
        if self.first is None:       # what the kept table takes of the first part: not its columns
            self.first = dataclasses.replace(part, data=dict.fromkeys(part.data), lazy={}, coded={}, cell_units={})
            self.unmatched = unmatched
        lut = np.array([self.type_ids.setdefault(t, len(self.type_ids)) for t in part.types] + [-1], dtype=np.int8)
        if len(self.type_ids) > 127:
            return False
        self.codes.room(len(part))[:] = lut[part.data["_type"]]        # -1 (no type) is the lut's last entry
        self._rows(part.rows)
        if not self._names(names.raw, len(part)):
            return False
        for cid, (kept, ids) in self.texts.items():
            codes, words = part.factorized(cid)
            lut = np.array([ids.setdefault(w, len(ids)) for w in words] + [-1], dtype=np.int32)
            kept.room(len(part))[:] = lut[codes]
        self.errors.update(part.errors)
        self.bounds.update(part.bounds)
        self.offset += len(part)
        return True

    def _rows(self, rows: np.ndarray) -> None:
        """Where the part's row numbers jump (a dropped row before them), for :class:`RowNumbers`."""
        lo = self.offset
        extra = rows - (self.first_row + np.arange(lo, lo + len(rows)))
        jumps = np.flatnonzero(np.diff(extra, prepend=self.last_extra))
        self.jumps += (jumps + lo).tolist()
        self.extra += extra[jumps].tolist()
        self.last_extra = int(extra[-1])

    def _names(self, raw: Any, n: int) -> bool:
        """The names of this part's facilities a rule listed, or may list (waiting to be judged);
        False: names not read as Arrow strings (the whole read)."""
        from cbcheck.columnar import arrow_call, arrow_indices

        lo = self.offset
        wanted = np.zeros(n, dtype=bool)        # a mask, not np.unique: the part's positions in order
        for k, rule in enumerate(self.sinks.rules):
            listed = rule.listing.positions.done()
            for at in [listed[self.pieces_seen[k]:]] + [at for at, _ in rule.waiting]:
                at = at[(at >= lo) & (at < lo + n)]      # earlier parts' were kept with their part
                wanted[at - lo] = True
            self.pieces_seen[k] = len(listed)
        pos = np.flatnonzero(wanted)
        if not len(pos):
            return True
        self.name_at.room(len(pos))[:] = pos + lo
        return bool(self.names_of.add(arrow_call("take", raw, arrow_indices(pos))))

    def table(self, refill: Any) -> FacilityTable:
        """The table kept: rows, types (sorted, as build_table sorts the whole table's) and names;
        the rules' and shares' results attached."""
        first = self.first
        assert first is not None

        order = sorted(self.type_ids)
        lut = np.array([order.index(t) for t in self.type_ids] + [-1], dtype=np.int8)
        codes = self.codes.done()
        codes[:] = lut[codes]
        data: dict[str, Any] = {cid: None for cid in first.data}
        data["_row"] = streamed.RowNumbers(self.first_row, self.offset, np.array(self.jumps, dtype=np.int64),
                                           np.array(self.extra, dtype=np.int64))
        data["_type"] = codes
        table = streamed.StreamedTable(
            source=first.source, data=data, columns=first.columns, units=first.units, errors=self.errors,
            csv=True, header_row=first.header_row, types=tuple(order), bounds=self.bounds,
            lazy={"_name": streamed.SparseNames(self.name_at.done(), self.names_of.array())})
        for cid, (kept, ids) in self.texts.items():
            table.coded[cid] = (kept.done(), list(ids))
        table.refill = refill
        table.judged = self.sinks.results(table)
        return table


def _whole(grid: Any, seen: dict[str, int], skip: int, first_row: int, width: int, delimiter: str, rb: int,
           plan: Any, fc: FacilityCatalogue) -> FacilityTable:
    """The table read again whole, from the file (checked to be the bytes judged), for a question
    the stream did not answer (:meth:`cbcheck.streamed.StreamedTable.materialize`)."""
    path = Path(grid.path)
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if (zlib.crc32(data), len(data)) != (seen.get("crc"), seen.get("size")):
        raise SubmissionError(Msg("rest.read_file_changed"), where=str(path), hint=Msg("rest.read_file_changed_hint"))
    body = fastcsv._read(data, skip, first_row, width, delimiter, plan)
    del data
    assert body is not None, "the bytes streamed are read whole the same way"
    scratch = _Notes(grid)          # said already, by the stream
    rows, raw = _without_subtotals(scratch, body[0], body[1], width, plan.name_col)  # type: ignore[arg-type]
    rows, raw = _without_footers(scratch, rows, raw, width)  # type: ignore[arg-type]
    table, _ = build_table(grid.name, raw, rows, plan, fc, csv=True, header_row=rb + 1, column_label=_label,
                           consume=True)
    return table
