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


_ISO = re.compile(r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?(?P<time>(?P<hour>\d{2}):"
                  r"(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?")


def _iso_datetime(text: str) -> bool:
    """Whether openpyxl's ``from_ISO8601`` makes a ``datetime`` of this text (``DateTime`` takes
    nothing else: a date alone, a time alone or a duration is refused)."""
    m = _ISO.match(text)
    if not (m and m.group("date") and m.group("time")):
        return False
    micro = m.group("microsecond")
    try:
        dt.datetime(int(m.group("year")), int(m.group("month")), int(m.group("day")), int(m.group("hour")),
                    int(m.group("minute")), int(m.group("second") or 0), int(float(micro) * 1_000_000) if micro else 0)
    except ValueError:
        return False
    return True


_OBJECT = object()        # a child element read as an object (checked on its own)


def check_part(root: Any, part: str) -> None:
    """Raises :class:`Unsettled` unless openpyxl's ``from_tree`` surely reads this part (a workbook
    whose content types, relationships, workbook, styles or properties openpyxl refuses is
    openpyxl's to refuse). The rules are openpyxl's own, tabulated in reader/xlsxschema.py: the
    attributes and child elements each class takes, each value's type, set or range."""
    from cbcheck.reader.xlsxschema import ROOTS

    if part == "relationships":          # an ElementList: every child a Relationship
        for el in root:
            _check(el, ROOTS["relationship"])
        return
    _check(root, ROOTS[part])
    if part == "custom" and any(el.get("name") is None for el in root):
        raise Unsettled("a custom property without a name")        # CustomPropertyList refuses it
    if part == "styles":
        _style_references(root)
    if part == "sheet:extLst" and any(el.get("uri") is None for el in root if local(el.tag) == "ext"):
        raise Unsettled("an extension without its uri")            # WorkSheetParser reads e.uri.upper()


def _check(node: Any, name: str) -> None:
    import keyword

    from cbcheck.reader.xlsxschema import CLASSES

    spec = CLASSES[name]
    if name == "Fill":
        kids = list(node)
        if not kids:
            raise Unsettled("an empty fill")
        if "patternFill" in kids[0].tag:
            _pattern_fill(kids[0])
        else:
            _check(kids[0], "GradientFill")
        return
    attrib = {} if name == "Stylesheet" else dict(node.attrib)      # Stylesheet.from_tree drops them
    for key, ns in spec["ns"]:
        if ns in attrib:
            attrib[key] = attrib.pop(ns)
    for key in list(attrib):
        if key.startswith("{"):
            del attrib[key]
        elif key in keyword.kwlist:
            attrib["_" + key] = attrib.pop(key)
        elif "-" in key:
            attrib[key.replace("-", "_")] = attrib.pop(key)
    values: dict[str, Any] = dict(attrib)
    if node.text and spec["attr_text"]:
        values["attr_text"] = node.text
    for el in node:
        tag = local(el.tag)
        tag = "_" + tag if tag in keyword.kwlist else tag
        how = spec["children"].get(tag)
        if how is None:
            if tag in spec["others"]:
                raise Unsettled(f"<{tag}> in {name}")
            continue
        mode = how[0]
        if mode in ("class", "seq"):
            _check(el, how[1])
            values[tag] = _OBJECT
        elif mode == "nestedseq":
            for sub in el:
                _check(sub, how[1])
            values[tag] = _OBJECT
        elif mode == "seqtext":
            if how[1] != "str" and not value_ok([how[1], True], el.text):
                raise Unsettled(f"<{tag}> in {name}")
            values.setdefault(tag, _OBJECT)
        elif mode == "headerfooter":
            values[tag] = _OBJECT
        elif mode == "empty":
            values[tag] = True
        elif mode == "nestedbool":
            values[tag] = el.get("val", True)
        elif mode == "text":
            values[tag] = el.text
        elif mode == "nested":
            values[tag] = "single" if name == "Font" and tag == "u" and el.get("val") is None else el.get("val")
        else:
            raise Unsettled(f"<{tag}> in {name}")
    if spec["init"] is not None and not set(values) <= set(spec["init"]):
        raise Unsettled(f"{name} takes no {sorted(set(values) - set(spec['init']))}")
    if not set(spec["required"]) <= set(values):
        raise Unsettled(f"{name} without {spec['required']}")
    for key, v in values.items():
        if v is not _OBJECT and not value_ok(spec["values"].get(key, ["unsettled"]), v):
            raise Unsettled(f"{name}.{key} = {v!r}")


_INT32 = (-(2 ** 31), 2 ** 31 - 1)


def _style_references(root: Any) -> None:
    """What ``Stylesheet.__init__`` does beyond its descriptors: each cell style's ids go into a
    32-bit array (``StyleArray``), and each named style (``cellStyles``, duplicates by ``xfId`` or
    name dropped, in ``xfId`` order) looks up its ``cellStyleXfs`` entry and that entry's font,
    fill and border by index; an index out of range or an id over 32 bits and openpyxl refuses."""
    lists: dict[str, list[Any]] = {}
    for el in root:
        lists[local(el.tag)] = list(el)
    for xf in lists.get("cellXfs", ()):
        for key in ("fontId", "fillId", "borderId", "numFmtId", "xfId"):
            if xf.get(key) is not None and not _INT32[0] <= int(xf.get(key)) <= _INT32[1]:
                raise Unsettled(f"a cell style's {key} over 32 bits")
    named = [el for el in lists.get("cellStyles", ()) if local(el.tag) == "cellStyle"]
    if any(el.get("xfId") is None or el.get("name") is None for el in named):
        raise Unsettled("a named style without its xfId or name")
    ids, names = set(), set()
    xfs = lists.get("cellStyleXfs", [])

    def within(i: int, items: list[Any]) -> bool:
        return -len(items) <= i < len(items)

    for ns in sorted(named, key=lambda el: int(el.get("xfId"))):
        xf_id = int(ns.get("xfId"))
        if xf_id in ids or ns.get("name") in names:
            continue
        ids.add(xf_id)
        names.add(ns.get("name"))
        if not within(xf_id, xfs):
            raise Unsettled("a named style's xfId out of range")
        xf = xfs[xf_id]
        for key, part in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            if not within(int(xf.get(key, 0)), lists.get(part, [])):
                raise Unsettled(f"a named style's {key} out of range")


def _pattern_fill(node: Any) -> None:
    """``PatternFill._from_tree``: the attributes as they are (no namespace dropped), each child a Color."""
    from cbcheck.reader.xlsxschema import CLASSES

    if not set(node.attrib) <= {"patternType"} or any(local(c.tag) not in ("fgColor", "bgColor") for c in node):
        raise Unsettled("a pattern fill")
    if "patternType" in node.attrib and not value_ok(CLASSES["PatternFill"]["values"]["patternType"],
                                                     node.attrib["patternType"]):
        raise Unsettled("a pattern fill's type")
    for child in node:
        _check(child, "Color")


def value_ok(kind: list[Any], v: Any) -> bool:
    """Whether openpyxl's descriptor takes this value from the XML (a str, True or None)."""
    what = kind[0]
    if what == "set":
        _, values, none_ok, none_set = kind
        if none_set and v == "none":
            v = None
        return v in values or (v is None and none_ok)
    if what == "unsettled":
        return False
    if what == "any":
        return True
    if what == "multirange":
        return isinstance(v, str) and all(cell_range_ok(part) for part in v.split())
    if what == "cellrange":
        return isinstance(v, str) and cell_range_ok(v)
    if what == "intset":                 # Alignment.__init__ takes int(textRotation)
        try:
            return int(v) in kind[1]
        except (TypeError, ValueError):
            return False
    if v is None:
        return bool(kind[-1])
    if what == "datetime":
        return isinstance(v, str) and _iso_datetime(v)
    if what == "str":
        return isinstance(v, str)
    if what == "bool":
        return True
    if what == "pattern":
        return isinstance(v, str) and re.compile(kind[1], re.VERBOSE).match(v) is not None
    convert = float if what == "float" or (what == "minmax" and kind[3] == "float") else int
    try:
        x = convert(v)
    except (TypeError, ValueError, OverflowError):
        return False
    return what != "minmax" or ((kind[1] is None or x >= kind[1]) and (kind[2] is None or x <= kind[2]))
