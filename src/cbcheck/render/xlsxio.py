"""Writing workbooks safely and reproducibly (shared by the xlsx report and the template).

- :func:`put` writes a value; text is always stored as text (an inline string), never as a
  formula, whatever it starts with, and text starting with = + - @ also gets Excel's quote
  prefix so that editing the cell keeps it text. Characters a workbook cannot hold are
  dropped.
- :func:`to_bytes` saves with fixed document dates and fixed zip entry times, so the same
  report is the same bytes (openpyxl stamps "modified" with the current time).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from cbcheck.render.common import FORMULA_PREFIXES

FIXED_TIME = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")   # openpyxl's ILLEGAL_CHARACTERS_RE


def clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` as text: never a formula, even when it starts with ``=``."""
    text = clean(text)
    cell.value = text
    cell.data_type = "s"                 # openpyxl made it "f" if it starts with "="
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    return cell


def to_bytes(wb: Any) -> bytes:
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "cbcheck"
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\2", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()
