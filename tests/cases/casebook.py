"""The workbooks of the case generators (make_*_cases.py), byte for byte reproducible: openpyxl
stamps the save time into the zip entries and, whatever the workbook says, into docProps/core.xml's
``modified``; both are set to a fixed date here."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import openpyxl

FIXED = (2026, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def workbook_bytes(wb: Any, when: tuple[int, ...] = FIXED) -> bytes:
    """``wb`` saved with its properties and every zip entry dated ``when``."""
    wb.properties.created = wb.properties.modified = dt.datetime(*when)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":      # openpyxl writes the time of the save here
                data = _MODIFIED.sub(dt.datetime(*when).strftime(r"\g<1>%Y-%m-%dT%H:%M:%SZ\g<2>").encode(), data)
            dst.writestr(info, data)
    return out.getvalue()


def sheets_book(sheets: dict[str, list[list[object]]], merged: dict[str, list[str]] | None = None) -> bytes:
    """A workbook of these sheets (rows appended as given, ``merged`` ranges by sheet)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merged or {}).get(name, ()):
            ws.merge_cells(ref)
    return workbook_bytes(wb)
