"""The body of a facility table (the rows below its header) read in bulk: a CSV by pandas
(pyarrow where row numbers stay exact), a large xlsx by python-calamine, a Parquet file by its
typed columns. Each reader gives up (None) where it could misplace a cell, and
:func:`cbcheck.reader.facility.read_facility_grid` then reads the grid cell by cell.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbcheck.reader import fastcsv
from cbcheck.readnote import ReadNote
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
    elif grid.sheet.kind == "xlsx" and _large(grid.path):
        body = _xlsx_body(grid, r0, width) if _calamine_reads(grid.path, errors_only=True) else None
    elif grid.sheet.kind == "xlsx" and _calamine_reads(grid.path, min_bytes=_flat_min_bytes()):
        body = _xlsx_body(grid, r0, width, exact=True)
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
    rows = pd.Series(range(r0 + 2, r0 + 2 + len(frame)), dtype="int64")
    keep = frame.notna().any(axis=1).to_numpy()
    frame = frame[keep].reset_index(drop=True)
    rows = rows[keep].reset_index(drop=True)
    return rows, {str(c): frame[c] for c in range(width)}


CALAMINE_MIN_BYTES = 1024 * 1024    # smaller workbooks: openpyxl, which also sees cell formats


def _large(path: str) -> bool:
    try:
        return Path(path).stat().st_size >= int(os.environ.get("CBCHECK_CALAMINE_MIN_BYTES", CALAMINE_MIN_BYTES))
    except (OSError, ValueError):
        return False


# A workbook from this size on is read by calamine when it is flat (no formulas, no escaped
# characters: see _calamine_reads); below it openpyxl has already read most of it for the head.
CALAMINE_FLAT_MIN_BYTES = 64 * 1024
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c [^>]*\bt=["']e["']""")


def _flat_min_bytes() -> int:
    try:
        return int(os.environ.get("CBCHECK_CALAMINE_FLAT_MIN_BYTES", CALAMINE_FLAT_MIN_BYTES))
    except ValueError:
        return CALAMINE_FLAT_MIN_BYTES


def _calamine_reads(path: str, *, min_bytes: int = 0, errors_only: bool = False) -> bool:
    """Whether calamine reads the workbook's cells as the openpyxl path does. Never when a cell
    holds an Excel error (``t="e"``: calamine gives it as blank, openpyxl as #DIV/0!, reported at
    the cell). For a workbook under 1 MiB (not ``errors_only``) it must also be flat: no formula
    in any worksheet (openpyxl flags one saved without its result), no ``_xHHHH_`` escape in the
    cell text (the openpyxl path decodes them). Merged cells in the body are checked by
    _xlsx_body; numbers are rounded to 15 digits there, as the openpyxl path rounds them."""
    import zipfile

    try:
        if Path(path).stat().st_size < min_bytes:
            return False
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename
                if not (name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml") or \
                        not name.endswith(".xml") or info.file_size > 1024 * 1024 * 1024:
                    continue
                xml = zf.read(info)
                if _ERROR_CELL.search(xml):
                    return False
                if not errors_only and (_ESCAPED.search(xml) or
                                        (name != "xl/sharedStrings.xml" and _FORMULA_TAG.search(xml))):
                    return False
    except (OSError, ValueError, zipfile.BadZipFile, KeyError, RuntimeError):
        return False
    return True


def _as_openpyxl_reads(column: Any) -> Any:
    """Floats rounded to 15 significant digits, as the openpyxl path shows them (Excel's digits:
    274.65999999999997 is 274.66); the values already that short, nearly all, are left alone."""
    import numpy as np

    a = column.to_numpy(dtype=object)
    is_float = np.fromiter((type(v) is float for v in a), dtype=bool, count=len(a))
    if not is_float.any():
        return column
    f = a[is_float].astype(float)
    with np.errstate(invalid="ignore"):
        short = ~np.isfinite(f) | ((np.abs(f) < 1e9) & (f == np.round(f, 6)))
    if short.all():
        return column
    at = np.flatnonzero(is_float)[~short]
    a = a.copy()
    a[at] = [float(f"{v:.15g}") for v in a[at]]
    return type(column)(a, index=column.index, dtype=object)


def _xlsx_body(grid: Grid, r0: int, width: int, exact: bool = False) -> tuple[Any, dict[str, Any]] | None:
    """The rows below an xlsx header read with python-calamine (values only, several times faster
    than openpyxl on a large flat sheet); None when the body has merged cells, which the openpyxl
    path fills, or when calamine cannot read the sheet. ``exact``: numbers as the openpyxl path
    reads them (rounded to 15 digits)."""
    import pandas as pd

    try:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(grid.path).get_sheet_by_name(grid.name)
        if any(end[0] > r0 for _, end in (sheet.merged_cell_ranges or [])):
            return None
        values = sheet.to_python(skip_empty_area=False)
    except Exception:   # noqa: BLE001 - any calamine failure: the openpyxl path reads it and says why
        return None
    body = values[r0 + 1:]
    frame = pd.DataFrame(body, dtype=object)
    if frame.shape[1] < width:
        for c in range(frame.shape[1], width):
            frame[c] = None
    frame = frame.mask(frame == "")
    rows = pd.Series(range(r0 + 2, r0 + 2 + len(frame)), dtype="int64")
    keep = frame.notna().any(axis=1).to_numpy()
    frame, rows = frame[keep].reset_index(drop=True), rows[keep].reset_index(drop=True)
    grid.notes.append(ReadNote("layout", "read.calamine", sheet=grid.name))
    if exact:
        return rows, {str(c): _as_openpyxl_reads(frame[c]) for c in range(width)}
    return rows, {str(c): frame[c] for c in range(width)}
