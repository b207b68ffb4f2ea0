"""Parquet facility tables (monitoring platforms export them): read with pyarrow, columns kept
typed as the file stores them.

The column names are the header (row 1), as a CSV export of the same table would have them,
and each record is a row below it (row 2 onwards), so locations read ``file.parquet:12:4``
(row 12, column 4). The facility reader takes the body as columns (:meth:`ParquetGrid.
column_body`): numbers stay numbers, no text is parsed; only the first rows become cells, for
finding the header.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cbcheck.errors import SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.reader.grid import HEAD_ROWS, Cell, Grid, Sheet

PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
MAGIC = b"PAR1"


class ParquetGrid(Grid):
    """A grid over a pyarrow table: header row, then the records."""

    def __init__(self, sheet: Sheet, table: Any) -> None:
        self.table = table
        super().__init__(sheet, source=self._cells())

    def _cells(self) -> Iterator[list[Cell]]:
        yield [Cell(name, 1, c + 1, self.sheet) for c, name in enumerate(self.table.column_names)]
        for start in range(0, self.table.num_rows, HEAD_ROWS):
            chunk = self.table.slice(start, HEAD_ROWS).to_pylist()
            for i, record in enumerate(chunk):
                yield [Cell(v, start + i + 2, c + 1, self.sheet) for c, v in enumerate(record.values())]

    def column_body(self, header_index: int, width: int) -> tuple[Any, dict[str, Any]] | None:
        """(source rows, Arrow columns by index) below the header, as the facility reader's fast CSV
        path gives them (reader/fastcsv.py: build_table converts text once per distinct value, keeps
        numbers as they are stored); None when the header is not the column names (row 1). A row
        whose every cell is null, NaN or empty text is blank and dropped, as in a CSV."""
        import numpy as np
        import pyarrow as pa
        import pyarrow._compute as pac

        from cbcheck.columnar import arrow_bools, arrow_call, arrow_floats, arrow_mask

        if header_index != 0 or width > self.table.num_columns:
            return None
        table = self.table.select(list(range(width))).combine_chunks()
        blank = np.ones(table.num_rows, dtype=bool) if width else None
        for column in table.columns:    # numpy masks: pyarrow's scalars would import pandas
            empty = arrow_bools(arrow_call("is_null", column, options=pac.NullOptions(nan_is_null=True)))
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                empty |= arrow_floats(arrow_call("utf8_length", column)) == 0
            blank &= empty
        rows = np.arange(2, 2 + table.num_rows, dtype="int64")
        if blank is not None and blank.any():
            table = arrow_call("filter", table, arrow_mask(~blank), options=pac.FilterOptions("drop"))
            rows = rows[~blank]
        return rows, {str(c): table.column(c) for c in range(width)}


def read_parquet_grid(data: bytes, path: Path) -> tuple[list[Grid], list[str]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # ParquetFile, not read_table: read_table imports pandas (its dataset layer), ~0.25 s
    if not data.startswith(MAGIC):
        raise SubmissionError(Msg("rest.read_not_parquet"), where=str(path),
                              hint=Msg("rest.read_not_parquet_hint"))
    try:
        table = pq.ParquetFile(pa.BufferReader(data)).read()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
        raise SubmissionError(Msg("rest.read_parquet_failed", detail=str(exc).splitlines()[0][:160]), where=str(path),
                              hint=Msg("rest.read_export_again")) from None
    if table.num_columns == 0:
        raise SubmissionError(Msg("rest.read_parquet_no_columns"), where=str(path), hint=Msg("rest.read_export_again"))
    sheet = Sheet(path.name, str(path), "csv")      # locations as for a CSV: file:row:col
    return [ParquetGrid(sheet, table)], [f"{path.name}: Parquet, {table.num_rows:,} records"]
