"""openpyxl's typed checks of a workbook's parts, applied without openpyxl.

openpyxl builds an object for each small part of a workbook (content types, relationships, the
workbook, the styles, the document and custom properties) and for each sheet-level element it
meets while a sheet streams (page setup, margins, merged ranges, validations…); a value its
descriptors do not take (an attribute it does not know, a number that is not one, a name outside
a set, an index out of range) makes it refuse the workbook or the sheet. reader/xlsxlight.py
settles a workbook only where :func:`check_part` finds that openpyxl would read every such part:
the rules are openpyxl's own, tabulated in reader/xlsxschema.py (generated from openpyxl; the
few constructors that do more than their descriptors are followed here by hand)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cbcheck.reader.xlsxrules import Unsettled, cell_range_ok, local


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
