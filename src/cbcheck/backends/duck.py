"""Running a compiled facility rule on DuckDB (embedded, in process): the relation is handed
over as an Arrow table (zero-copy for numbers), the query is the SQLGlot tree in DuckDB's
dialect, and only the covered facilities come back, as Arrow columns."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np


@functools.cache
def connection() -> Any:
    import duckdb

    return duckdb.connect(":memory:")


def run(compiled: Any) -> dict[str, np.ndarray]:
    con = connection()
    con.register("facility_relation", compiled.relation.arrow_table())
    try:
        result = con.sql(compiled.sql("duckdb")).to_arrow_table()
    finally:
        con.unregister("facility_relation")
    return to_numpy(result)


def to_numpy(result: Any) -> dict[str, np.ndarray]:
    """Arrow columns as numpy: numbers with NaN for NULL, text as objects with None."""
    import pyarrow as pa

    out = {}
    for name in result.column_names:
        column = result.column(name)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type) or pa.types.is_null(column.type):
            out[name] = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
        elif pa.types.is_boolean(column.type):
            out[name] = column.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        else:
            out[name] = column.cast(pa.float64()).to_numpy(zero_copy_only=False) if column.null_count \
                else column.to_numpy(zero_copy_only=False)
    return out
