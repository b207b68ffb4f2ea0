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

from cbcheck.reader.fastxlsx import col_number as _col   # one spelling of "AB" → 28
from cbcheck.readnote import column_letters
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


_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"[^>]*?/>")
_MERGE_BLOCK = re.compile(rb"<((?:\w+:)?)mergeCells\b[^>]*>(.*?)</(?:\w+:)?mergeCells>", re.DOTALL)
_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")




def _clip_sheet(xml: bytes, budget: int) -> bytes:
    block = _MERGE_BLOCK.search(xml)
    if block is None:
        return xml
    rows = cols = 0
    for m in _REF.finditer(xml):
        rows, cols = max(rows, int(m.group(2))), max(cols, _col(m.group(1)))
    kept: list[bytes] = []
    for m in _MERGE_CELL.finditer(block.group(2)):
        c0, r0 = _col(m.group(1)), int(m.group(2))
        c1, r1 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
        r1, c1 = min(r1, rows), min(c1, cols)
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if r1 < r0 or c1 < c0 or area < 2 or area > budget:
            continue
        budget -= area
        kept.append(f'<mergeCell ref="{column_letters(c0)}{r0}:{column_letters(c1)}{r1}"/>'.encode())
    prefix = block.group(1)
    new = (b"<" + prefix + b"mergeCells count=\"%d\">" % len(kept) + b"".join(kept) + b"</" + prefix + b"mergeCells>"
           if kept else b"")
    return xml[:block.start()] + new + xml[block.end():]


def clip_merges(data: bytes) -> bytes:
    """The package with every sheet's merged ranges clipped to the cells written in it (a merge
    over J40:XFD1048576 of an empty sheet would make openpyxl's full mode build 17 billion
    merged-cell objects), within the merged-cells budget. Other parts are copied as they are."""
    from cbcheck import budgets

    budget = budgets.limit("CBCHECK_MAX_MERGED_CELLS") or 1 << 62
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if _SHEET_PART.match(info.filename) and b"mergeCell" in part:
                part = _clip_sheet(part, budget)
            dst.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


_PLAIN_REF = re.compile(r"^(?:'(?:[^'|\[\]]|'')+'|[^'!|\[\]\s(),=]+)"
                        r"!\$?[A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?$")


def make_inert(wb: Any) -> None:
    """Drop everything in a loaded workbook that can run, fetch or link out: defined names that
    are not plain references to cells of this workbook (``cmd|' /C calc'!A0`` is DDE), data
    validation and conditional formatting (their formulas), hyperlinks to anything but a cell
    (``file:///…``, ``http://…``), external links, macros, legacy drawings (VML controls, OLE
    shapes). openpyxl itself drops OLE objects, ActiveX and embedded packages on load."""
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.worksheet.datavalidation import DataValidationList

    def plain(dn: Any) -> bool:
        return bool(_PLAIN_REF.match(dn.attr_text or ""))

    for name in [n for n, dn in wb.defined_names.items() if not plain(dn)]:
        del wb.defined_names[name]
    wb._external_links = []
    wb.vba_archive = None
    for ws in wb.worksheets:
        for name in [n for n, dn in ws.defined_names.items() if not plain(dn)]:
            del ws.defined_names[name]
        ws.data_validations = DataValidationList()
        ws.conditional_formatting = ConditionalFormattingList()
        ws.legacy_drawing = None
        for row in ws.iter_rows():
            for cell in row:
                link = getattr(cell, "hyperlink", None)
                if link is not None and (link.target or not link.location):
                    cell.hyperlink = None


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
