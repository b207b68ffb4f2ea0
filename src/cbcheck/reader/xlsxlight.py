"""A workbook read without importing openpyxl, cell for cell as openpyxl reads it.

Importing openpyxl costs a county check about 0.16 s (it imports numpy and, when installed,
Pillow), more than reading the workbook. This module is the part of openpyxl's read-only,
``data_only`` reading that cbcheck uses, written against the same XML parser (defusedxml's
``iterparse``, as openpyxl uses it: no entity expansion), so a value, its type and its number
format are openpyxl's by construction: the sheet list (names, order, ``state``), the shared
strings (rich text: the runs' text), the styles' number formats (custom ids rebased as openpyxl
does, date and duration styles by its own rules, xlsxrules.py), the 1904 epoch, and the rows as
``ReadOnlyWorksheet.iter_rows`` yields them after ``reset_dimensions`` (missing rows empty, cells
placed by column, an empty row ``()``). ``tests/reader/test_xlsxlight.py`` compares both readings
on every workbook in the repository, on workbooks written as Excel, WPS and scripts write them,
and on random damage to every part.

openpyxl also refuses what its typed objects do not take (an attribute it does not know, a value
of the wrong type in the styles, the workbook, the properties, a sheet's page setup…); those
checks are its own, tabulated from it (xlsxschema.py, ``xlsxcheck.check_part``). What the bytes
do not settle goes to openpyxl, which then reads it (and says what is wrong, in its own words):

- at opening: a chartsheet, a workbook part found only through a ``Default`` content type, pivot
  caches or external links, phonetic runs, a part that does not unzip or parse (also by lxml,
  which openpyxl uses for the small parts), anything its typed checks would refuse;
- while a sheet streams: an ISO date cell (``t="d"``), a sheet-level element its checks would
  refuse, or any error (a damaged row, a bad reference): the rows already given are skipped in
  openpyxl's stream and it goes on from there (:meth:`LightSheet.iter_rows`).

What is left unchecked: logic in openpyxl's constructors beyond its descriptors (a handful of
classes; the table's generator lists the keyword arguments it has read in their source).
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from cbcheck.reader.xlsxcheck import check_part
from cbcheck.reader.xlsxrules import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    BUILTIN_REVERSE,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    Unsettled,
    cast_number,
    check_range,
    coordinate_to_tuple,
    from_excel,
    fromstring,
    is_date_format,
    is_timedelta_format,
    iterparse,
    local,
    text_content,
)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK_TYPES = ("application/vnd.ms-excel.template.macroEnabled.main+xml",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                  "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_ROW, _CELL_VALUE, _INLINE, _DIMENSION, _DATA = (f"{{{NS}}}{t}" for t in ("row", "v", "is", "dimension", "sheetData"))
_COL = f"{{{NS}}}col"
# the sheet-level elements openpyxl's WorkSheetParser reads as objects while the rows stream (it
# refuses the sheet where one does not read): checked by its own rules (xlsxcheck.check_part)
_SHEET_PARTS = {f"{{{NS}}}{tag}": f"sheet:{tag}" for tag in (
    "sheetProtection", "extLst", "conditionalFormatting", "legacyDrawing", "rowBreaks", "colBreaks", "printOptions",
    "pageMargins", "pageSetup", "headerFooter", "autoFilter", "dataValidations", "sheetPr", "sheetViews",
    "sheetFormatPr", "scenarios", "tableParts", "hyperlinks", "mergeCells")}

class Style:
    __slots__ = ("numFmtId",)

    def __init__(self, fid: int) -> None:
        self.numFmtId = fid


class LightCell:
    """What ``xlsxfile._value`` asks of openpyxl's ``ReadOnlyCell``: the value and the number format,
    looked up lazily (a style the workbook lacks raises on a number only, as there)."""

    __slots__ = ("value", "_style_id", "_book")

    def __init__(self, value: Any, style_id: Any, book: LightBook) -> None:
        self.value, self._style_id, self._book = value, style_id, book

    @property
    def number_format(self) -> str:
        fid = self._book._cell_styles[self._style_id].numFmtId
        if fid < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(fid, "General")
        return self._book._number_formats[fid - BUILTIN_FORMATS_MAX_SIZE]


class LightBook:
    """The workbook-level facts openpyxl's read-only workbook gives cbcheck (the names are its)."""

    def __init__(self, zf: zipfile.ZipFile, data: bytes, load_openpyxl: Callable[[], Any]) -> None:
        self.zf, self.data = zf, data
        self.epoch = WINDOWS_EPOCH
        self._cell_styles: list[Style] = [Style(0)]
        self._number_formats: list[str] = []
        self._date_formats: set[int] = set()
        self._timedelta_formats: set[int] = set()
        self.strings: list[str] = []
        self.worksheets: list[LightSheet] = []
        self._load_openpyxl = load_openpyxl
        self._openpyxl: Any = None

    def openpyxl_sheet(self, index: int) -> Any:
        if self._openpyxl is None:
            self._openpyxl = self._load_openpyxl()
        return self._openpyxl.worksheets[index]

    def close(self) -> None:
        if self._openpyxl is not None:
            self._openpyxl.close()


class LightSheet:
    def __init__(self, book: LightBook, index: int, title: str, path: str, state: str) -> None:
        self.parent, self.index, self.title, self._worksheet_path, self.sheet_state = book, index, title, path, state
        self._shared_strings = book.strings         # where openpyxl's ReadOnlyWorksheet keeps them

    def reset_dimensions(self) -> None:
        """Rows are never padded to a ``<dimension>`` here (openpyxl's ``reset_dimensions``)."""

    def iter_rows(self) -> Iterator[tuple[Any, ...]]:
        given = 0
        try:
            for row in self._rows():
                yield row
                given += 1
        except Exception:  # noqa: BLE001 - not settled here: openpyxl reads on, and raises what it raises
            ws = self.parent.openpyxl_sheet(self.index)
            ws.reset_dimensions()
            rows = ws.iter_rows()
            for _ in range(given):
                next(rows)
            yield from rows

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        """``ReadOnlyWorksheet._cells_by_row`` with ``min_row=min_col=1`` and no maxima, and
        ``WorkSheetParser.parse_row``/``parse_cell`` with ``data_only``."""
        book = self.parent
        strings, dates, deltas, epoch = book.strings, book._date_formats, book._timedelta_formats, book.epoch
        counter, row_counter = 1, 0
        with book.zf.open(self._worksheet_path) as src:
            for _, el in iterparse(src):
                tag = el.tag
                if tag == _COL:
                    _column_index_letter(int(el.attrib["min"]))
                    continue
                if tag != _ROW:
                    if tag in _SHEET_PARTS:
                        check_part(el, _SHEET_PARTS[tag])
                        el.clear()
                    continue
                r = el.get("r")
                if r is not None:
                    try:
                        row_counter = int(r)
                    except ValueError:
                        val = float(r)
                        if not val.is_integer():
                            raise
                        row_counter = int(val)
                else:
                    row_counter += 1
                col_counter = 0
                cells: list[tuple[int, Any, Any]] = []
                for c in el:
                    kind = c.get("t", "n")
                    style_id: Any = c.get("s", 0)
                    if style_id:
                        style_id = int(style_id)
                    value: Any = None if kind == "inlineStr" else (c.findtext(_CELL_VALUE, None) or None)
                    coordinate = c.get("r")
                    if coordinate:
                        col_counter = coordinate_to_tuple(coordinate)[1]
                    else:
                        col_counter += 1
                    if value is not None:
                        if kind == "n":
                            value = cast_number(value)
                            if style_id in dates:
                                try:
                                    value = from_excel(value, epoch, timedelta=style_id in deltas)
                                except (OverflowError, ValueError):
                                    value = "#VALUE!"
                        elif kind == "s":
                            value = strings[int(value)]
                        elif kind == "b":
                            value = bool(int(value))
                        elif kind == "d":
                            raise Unsettled("an ISO date cell")
                    elif kind == "inlineStr":
                        child = c.find(_INLINE)
                        if child is not None:
                            value = text_content(child)
                    cells.append((col_counter, value, style_id))
                el.clear()
                for _ in range(counter, row_counter):
                    counter += 1
                    yield ()
                if counter <= row_counter:
                    counter += 1
                    yield self._row(cells)

    def _row(self, cells: list[tuple[int, Any, Any]]) -> tuple[Any, ...]:
        if not cells:
            return ()
        width = cells[-1][0]
        out: list[Any] = [_EMPTY] * width
        book = self.parent
        for col, value, style_id in cells:
            if 1 <= col <= width:
                out[col - 1] = LightCell(value, style_id, book)
        return tuple(out)


_EMPTY = LightCell(None, 0, None)  # type: ignore[arg-type]


def _column_index_letter(idx: int) -> None:
    """openpyxl's ``get_column_letter`` raises for a ``<col min>`` outside 1..18278."""
    if not 1 <= idx <= 18278:
        raise ValueError(idx)


def _rels(zf: zipfile.ZipFile, filename: str) -> dict[str, tuple[str, str]]:
    """``get_dependents``: Id → (Type, the target as a path in the zip)."""
    node = fromstring(zf.read(filename))
    check_part(node, "relationships")
    parent = posixpath.split(posixpath.dirname(filename))[0]
    out: dict[str, tuple[str, str]] = {}
    for el in node:
        if el.tag != f"{{{PKG_REL_NS}}}Relationship" or set(el.attrib) - {"Id", "Type", "Target", "TargetMode"}:
            raise Unsettled("a relationship openpyxl may not read")
        target = el.get("Target") or ""
        if el.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
        out.setdefault(el.get("Id"), (el.get("Type") or "", target))
    return out


# The openpyxl whose reading this module reproduces (its rules, xlsxrules.py; its typed checks,
# xlsxschema.py). Another installed version opens every workbook itself: slower, never different.
OPENPYXL_VERSION = "3.1.5"
_VERSION = re.compile(rb"""^__version__\s*=\s*["']([^"']+)["']""", re.M)


@functools.cache
def installed_openpyxl() -> str | None:
    """The installed openpyxl's version, read from its ``_constants.py`` without importing it
    (an import is what this module saves; importlib.metadata costs ~60 ms cold)."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("openpyxl")
        where = spec.submodule_search_locations if spec else None
        if not where:
            return None
        with open(os.path.join(list(where)[0], "_constants.py"), "rb") as f:
            m = _VERSION.search(f.read())
    except (ImportError, OSError, ValueError):
        return None
    return m.group(1).decode("ascii", "replace") if m else None


def open_book(zf: zipfile.ZipFile, data: bytes, load_openpyxl: Callable[[], Any]) -> LightBook | None:
    """The workbook, or None when openpyxl must open it (see the module docstring; also when the
    installed openpyxl is not the version this module reproduces)."""
    if installed_openpyxl() != OPENPYXL_VERSION:
        return None
    try:
        return _open(zf, data, load_openpyxl)
    except Exception:  # noqa: BLE001 - anything unexpected: openpyxl opens it and reports what it finds
        return None


def _open(zf: zipfile.ZipFile, data: bytes, load_openpyxl: Callable[[], Any]) -> LightBook | None:
    names = set(zf.namelist())
    overrides: dict[str, str] = {}
    manifest = fromstring(zf.read("[Content_Types].xml"))
    check_part(manifest, "manifest")
    for el in manifest:
        if el.tag == f"{{{CT_NS}}}Override":
            overrides.setdefault(el.get("ContentType"), el.get("PartName"))
    part = next((overrides[t] for t in WORKBOOK_TYPES if t in overrides), None)
    if not part or not part.startswith("/"):
        return None
    wb_path = part[1:]
    book = LightBook(zf, data, load_openpyxl)
    strings_part = overrides.get(SHARED_STRINGS)
    if strings_part:
        with zf.open(strings_part[1:]) as src:
            for _, node in iterparse(src):
                if node.tag == f"{{{NS}}}si":
                    book.strings.append(text_content(node).replace("x005F_", ""))
                    node.clear()
    folder, name = posixpath.split(wb_path)
    rels = _rels(zf, posixpath.join(folder, "_rels", f"{name}.rels"))
    root = fromstring(zf.read(wb_path))
    if root.tag != f"{{{NS}}}workbook":
        return None
    check_part(root, "workbook")
    sheets = []
    for el in root:
        tag = local(el.tag)
        if tag in ("pivotCaches", "externalReferences", "fileRecoveryPr", "webPublishObjects", "oleSize"):
            return None
        if tag == "workbookPr":
            flag = el.get("date1904")
            if flag is not None and flag not in ("false", "f", "0") and bool(flag):
                book.epoch = MAC_EPOCH
        elif tag == "sheets":
            sheets = list(el)
    _styles(zf, book, names)
    if "docProps/core.xml" in names:
        check_part(fromstring(zf.read("docProps/core.xml")), "core")
    if "docProps/custom.xml" in names:
        check_part(fromstring(zf.read("docProps/custom.xml")), "custom")       # WPS writes its build here
    if "xl/theme/theme1.xml" in names:
        zf.read("xl/theme/theme1.xml")
    for el in sheets:
        state = el.get("state", "visible")
        rid = el.get(f"{{{REL_NS}}}id")
        if state not in ("visible", "hidden", "veryHidden") or el.get("name") is None:
            return None
        if not rid:
            continue
        kind, target = rels[rid]
        if target not in names:
            continue
        if "chartsheet" in kind:
            return None
        folder, name = posixpath.split(target)
        if posixpath.join(folder, "_rels", f"{name}.rels") in names:
            _rels(zf, posixpath.join(folder, "_rels", f"{name}.rels"))
        _dimension(zf, target)
        book.worksheets.append(LightSheet(book, len(book.worksheets), el.get("name"), target, state))
    return book


def _dimension(zf: zipfile.ZipFile, path: str) -> None:
    """openpyxl reads each sheet's ``<dimension>`` on opening; a bad one fails the workbook."""
    with zf.open(path) as src:
        for _, el in iterparse(src):
            if el.tag == _DIMENSION:
                check_part(el, "sheet:dimension")
                check_range(el.get("ref") or "")
                return
            if el.tag == _DATA:
                return
            el.clear()


def _styles(zf: zipfile.ZipFile, book: LightBook, names: set[str]) -> None:
    """``apply_stylesheet`` and ``Stylesheet._normalise_numbers``: each cell style's number format
    id (custom ids rebased from 164 in order of first use), the date and duration styles."""
    if "xl/styles.xml" not in names:
        return
    root = fromstring(zf.read("xl/styles.xml"))
    check_part(root, "styles")
    custom: dict[int, str] = {}
    xfs: list[int] = []
    for el in root:
        tag = local(el.tag)
        if tag == "numFmts":
            for nf in el:
                if local(nf.tag) == "numFmt":
                    custom[int(nf.attrib["numFmtId"])] = nf.attrib["formatCode"]
        elif tag == "cellXfs":
            for xf in el:
                if local(xf.tag) == "xf":
                    xfs.append(int(xf.get("numFmtId", 0)))
    if not xfs:
        return                  # openpyxl keeps its defaults: one style, General
    formats: list[str] = []
    styles = []
    fmt: str | None
    for idx, fid in enumerate(xfs):
        if fid in custom:
            fmt = custom[fid]
            if fmt in BUILTIN_REVERSE:
                fid = BUILTIN_REVERSE[fmt]
            else:
                if fmt not in formats:
                    formats.append(fmt)
                fid = formats.index(fmt) + BUILTIN_FORMATS_MAX_SIZE
        else:
            fmt = BUILTIN_FORMATS.get(fid)
        if is_date_format(fmt):
            book._date_formats.add(idx)
        if is_timedelta_format(fmt):
            book._timedelta_formats.add(idx)
        styles.append(Style(fid))
    book._cell_styles, book._number_formats = styles, formats

