"""openpyxl's reading rules that reader/xlsxlight.py needs, written out so that reading a
workbook does not import openpyxl (which imports numpy and Pillow): the built-in number formats
and which formats are dates or durations (``openpyxl.styles.numbers``), a ``<v>`` text as a number
(``_cast_number``), serial dates (``utils.datetime.from_excel``), cell references
(``utils.cell``), a string's text without its formatting (``cell.text.Text.content``).
``tests/reader/test_xlsxlight.py`` holds each to openpyxl's own on the same inputs.

Where openpyxl would raise, these raise too (any exception): the caller then lets openpyxl read
the workbook and say what is wrong in its own words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# openpyxl.styles.numbers: the built-in formats and its rules for dates and durations
BUILTIN_FORMATS = {
    0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy',
    16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
    22: 'm/d/yy h:mm', 37: '#,##0_);(#,##0)', 38: '#,##0_);[Red](#,##0)', 39: '#,##0.00_);(#,##0.00)',
    40: '#,##0.00_);[Red](#,##0.00)', 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: 'mm:ss', 46: '[h]:mm:ss',
    47: 'mmss.0', 48: '##0.0E+0', 49: '@',
}
BUILTIN_FORMATS_MAX_SIZE = 164
BUILTIN_REVERSE = {value: key for key, value in BUILTIN_FORMATS.items()}
# The built-in formats of East Asian Excel (ECMA-376 Part 1, 18.8.30, zh-cn): a date typed in Chinese
# Excel or WPS may carry numFmtId 31 (2023年10月31日) or 57/58 with no numFmt element, and openpyxl, which
# knows only the ids above, read it as the serial number 45230. They are dates and times in every East
# Asian locale. Added to the table every reader looks ids up in (and to openpyxl's, see
# :func:`east_asian_formats_into_openpyxl`), not to BUILTIN_REVERSE: a workbook's own custom format
# written the same way keeps its own id, as openpyxl gives it.
EAST_ASIAN_FORMATS = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: 'm-d-yy', 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
BUILTIN_FORMATS.update(EAST_ASIAN_FORMATS)


def east_asian_formats_into_openpyxl() -> None:
    """openpyxl's built-in table given the East Asian ids too (its Stylesheet looks ids up in it when a
    workbook is opened), so a workbook openpyxl reads gives the dates reader/xlsxlight.py gives."""
    from openpyxl.styles import numbers

    for fid, fmt in EAST_ASIAN_FORMATS.items():
        numbers.BUILTIN_FORMATS.setdefault(fid, fmt)
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA = re.compile(r'\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?', re.I)
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
WINDOWS_EPOCH, MAC_EPOCH = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)


class Unsettled(Exception):
    """The bytes do not settle what openpyxl would read: openpyxl reads it."""


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _DATE_LETTER.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None


def cast_number(value: str) -> int | float:
    """openpyxl's ``_cast_number``: a ``<v>`` text as an int or a float."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def from_excel(value: Any, epoch: dt.datetime = WINDOWS_EPOCH, timedelta: bool = False) -> Any:
    """openpyxl's ``from_excel``: a serial number as a datetime, time or timedelta."""
    if value is None:
        return None
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def _column_index(col: str) -> int:
    """openpyxl's ``column_index_from_string``."""
    if len(col) > 3:
        raise ValueError(col)
    idx = 0
    for letter, power in zip(reversed(col.upper()), (1, 26, 676), strict=False):
        if not ("A" <= letter <= "Z") or len(letter.encode()) != 1:
            raise ValueError(col)
        idx += (ord(letter) - 64) * power
    if not 0 < idx < 18279:
        raise ValueError(col)
    return idx


def coordinate_to_tuple(coordinate: str) -> tuple[int, int]:
    """openpyxl's: (row, column) of ``B12``; anything else raises as it does."""
    idx = 0
    for idx, c in enumerate(coordinate):  # noqa: B007 - openpyxl's loop: the last index when no digit
        if c in "0123456789":
            break
    return int(coordinate[idx:]), _column_index(coordinate[:idx])


_RANGE = re.compile(r"^[$]?([A-Za-z]{1,3})?[$]?(\d+)?(:[$]?([A-Za-z]{1,3})?[$]?(\d+)?)?$")


def check_range(ref: str) -> None:
    """openpyxl's ``range_boundaries`` raises for this ``<dimension ref>`` (the workbook does not open)."""
    m = _RANGE.match(ref)
    if not m:
        raise Unsettled(ref)
    min_col, min_row, sep, max_col, max_row = m.groups()
    if sep and not (all((min_col, max_col, min_row, max_row)) or (min_col and max_col and not (min_row or max_row))
                    or (min_row and max_row and not (min_col or max_col))):
        raise Unsettled(ref)
    for col in (min_col, max_col):
        if col is not None:
            _column_index(col)


def cell_range_ok(ref: str) -> bool:
    """Whether openpyxl's ``CellRange(ref)`` takes this range (``A1:C3``, ``B2``): both corners, in
    the sheet's bounds, the first above and left of the second (stricter than openpyxl where it
    would take a whole row or column)."""
    m = _RANGE.match(ref)
    if not m or not (m.group(1) and m.group(2)) or (m.group(3) and not (m.group(4) and m.group(5))):
        return False
    try:
        c0, c1 = _column_index(m.group(1)), _column_index(m.group(4) or m.group(1))
    except ValueError:
        return False
    r0, r1 = int(m.group(2)), int(m.group(5) or m.group(2))
    return 1 <= r0 <= r1 <= 1_048_576 and c0 <= c1


def iterparse(source: Any) -> Any:
    from defusedxml.ElementTree import iterparse as parse

    return parse(source)


def fromstring(data: bytes) -> Any:
    """A small part (content types, relationships, workbook, styles, properties) parsed safely
    (defusedxml: no entities, no external references). openpyxl parses these parts with lxml
    when it is installed (it is: python-docx needs it), and libxml2 refuses some documents expat
    reads (a namespace that is not a URI): those are parsed by lxml too, without entities or
    network, so that what openpyxl would refuse is refused here and openpyxl says why."""
    from defusedxml.ElementTree import fromstring as parse

    root = parse(data)
    if _openpyxl_uses_lxml():
        from lxml import etree

        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return root


def _openpyxl_uses_lxml() -> bool:
    """openpyxl.xml.LXML, without importing openpyxl."""
    import os

    if os.environ.get("OPENPYXL_LXML", "True") != "True":
        return False
    try:
        from lxml.etree import LXML_VERSION
    except ImportError:
        return False
    return bool(LXML_VERSION >= (3, 3, 1, 0))


def local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_content(node: Any) -> str:
    """openpyxl's ``Text.from_tree(node).content``: the plain text and the runs' texts, formatting
    dropped. A run's formatting is read as openpyxl reads it only to know it would not refuse it
    (:func:`check_font`); phonetic runs and attributes are not settled here."""
    if any(not k.startswith("{") for k in node.attrib):
        raise Unsettled("attributes on a text")
    plain, runs = None, []
    for el in node:
        tag = local(el.tag)
        if tag == "t":
            plain = el.text
        elif tag == "r":
            if any(not k.startswith("{") for k in el.attrib):
                raise Unsettled("attributes on a run")
            t = None
            for part in el:
                name = local(part.tag)
                if name == "t":
                    t = part.text
                elif name == "rPr":
                    check_font(part)
            runs.append(t)
        elif tag in ("rPh", "phoneticPr"):
            raise Unsettled("phonetic text")
    return "".join(s for s in (plain, *runs) if s is not None)


_WHOLE, _DECIMAL = re.compile(r"[0-9]{1,9}"), re.compile(r"[0-9]{1,4}(\.[0-9]{1,12})?")
_TINT = re.compile(r"-?[01](\.[0-9]{1,17})?")
_RGB = re.compile(r"[A-Fa-f0-9]{8}|[A-Fa-f0-9]{6}")
_CHOICES = {"u": {"single", "double", "singleAccounting", "doubleAccounting", "none", None},
            "vertAlign": {"superscript", "subscript", "baseline", "none", None},
            "scheme": {"major", "minor", "none", None}}
_FLAGS = {"b", "i", "strike", "outline", "shadow", "condense", "extend"}     # any val reads as a bool


def check_font(rpr: Any) -> None:
    """Raises :class:`Unsettled` unless openpyxl's ``InlineFont.from_tree`` surely accepts this
    ``<rPr>`` (as Excel and WPS write it: font, size, colour, bold, underline, superscript…)."""
    if any(not k.startswith("{") for k in rpr.attrib):
        raise Unsettled("attributes on a run's font")
    for el in rpr:
        tag, val = local(el.tag), el.get("val")
        if tag in _FLAGS or tag == "rFont":
            continue
        if tag in _CHOICES:
            ok = val in _CHOICES[tag]
        elif tag == "charset":
            ok = val is None or bool(_WHOLE.fullmatch(val))
        elif tag == "family":
            ok = val is None or bool(_DECIMAL.fullmatch(val)) and float(val) <= 14
        elif tag == "sz":
            ok = val is None or bool(_DECIMAL.fullmatch(val))
        elif tag == "color":
            ok = _plain_color(el)
        else:
            ok = False
        if not ok:
            raise Unsettled(f"a run's font: {tag}")


def _plain_color(el: Any) -> bool:
    a = {k: v for k, v in el.attrib.items() if not k.startswith("{")}
    return (len(el) == 0 and set(a) <= {"rgb", "indexed", "theme", "tint", "auto"}
            and ("rgb" not in a or bool(_RGB.fullmatch(a["rgb"])))
            and all(bool(_WHOLE.fullmatch(a[k])) for k in ("indexed", "theme") if k in a)
            and ("tint" not in a or bool(_TINT.fullmatch(a["tint"])) and -1 <= float(a["tint"]) <= 1))

