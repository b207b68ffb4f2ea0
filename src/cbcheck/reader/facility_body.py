"""The body of a facility table (the rows below its header) read in bulk, as numpy or Arrow
columns: a CSV by pyarrow (from the file's bytes, or from the decoded text where row numbers
stay exact; else by pandas' C engine), an xlsx from 64 KiB by python-calamine
(reader/fastxlsx.py), a Parquet file by its typed columns. Each reader gives up (None) where
it could misplace a cell, and :func:`cbcheck.reader.facility.read_facility_grid` then reads the grid cell by cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cbcheck.reader import fastcsv, fastxlsx
from cbcheck.reader.grid import Grid

if TYPE_CHECKING:
    from cbcheck.reader.facility import ColumnPlan


def read_body(grid: Grid, r0: int, width: int, plan: ColumnPlan) -> tuple[Any, dict[str, Any]] | None:
    """The rows below the header at ``r0`` by the fastest reader the source allows: (row numbers,
    raw columns by position), or None for the cell-by-cell path of ``read_facility_grid``."""
    if grid.csv_delimiter is not None:
        body = fastcsv.arrow_body(grid, r0, width, plan)     # a plain UTF-8 file, read by pyarrow as is
        if body is None:
            body = _csv_body(grid, r0, width, plan)
    elif grid.sheet.kind == "xlsx":
        body = fastxlsx.calamine_body(grid, r0, width, plan)    # cell for cell the openpyxl reading
    elif hasattr(grid, "column_body"):                 # Parquet: typed columns (reader/parquetfile.py)
        body = grid.column_body(r0, width)
    else:
        body = None
    return body


def _has_pyarrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def _csv_body(grid: Grid, r0: int, width: int, plan: ColumnPlan) -> tuple[Any, dict[str, Any]] | None:
    """The rows below a CSV header, parsed by pandas: text columns kept as written (names such as
    ``001``), the others as numbers where they are; None when pandas cannot take the file (a
    ragged table, odd quoting), and the cell-by-cell path reads it instead."""
    import io

    import numpy as np
    import pandas as pd

    assert grid.csv_source is not None
    text, delimiter = grid.csv_source
    text_cols = {plan.name_col, *([plan.type_col] if plan.type_col is not None else []),
                 *(c for c, (_, kind, _) in plan.columns.items() if kind != "number")}
    options: dict[str, Any] = dict(sep=delimiter, header=None, skiprows=r0 + 1, names=list(range(width)),
                                   dtype={c: str for c in text_cols}, keep_default_na=False, na_values=[""])
    # pyarrow parses several times faster but drops blank lines and may split quoted line
    # breaks differently; use it only where row numbers (hence cell locations) stay exact. It is
    # called directly (reader/fastcsv.py), not through pandas: pandas' pyarrow engine infers
    # int-named columns before applying dtype=str, which read a name 001 as "1".
    exact = "\n\n" not in text and "\n\r\n" not in text and '"' not in text
    if exact and _has_pyarrow():
        return fastcsv.arrow_text_body(text, r0, width, delimiter, plan)
    try:
        frame = pd.read_csv(io.StringIO(text), engine="c", index_col=False, skip_blank_lines=False,
                            skipinitialspace=True, **options)
    except (pd.errors.ParserError, ValueError, UnicodeError, TypeError):
        return None
    rows = np.arange(r0 + 2, r0 + 2 + len(frame), dtype=np.int64)
    keep = frame.notna().any(axis=1).to_numpy()
    frame = frame[keep].reset_index(drop=True)
    # numbers as numpy numbers, the rest as objects (NaN for a blank): the cells build_table reads
    return rows[keep], {str(c): frame[c].to_numpy() if frame[c].dtype.kind in "fiub" else
                        frame[c].to_numpy(dtype=object) for c in range(width)}
