"""The table of src/cbcheck/reader/xlsxschema.py, built from the installed openpyxl: what each of
its classes reached from a workbook's small parts accepts (the keyword arguments of ``__init__``,
each value's check, each child element's class). ``python tests/reader/xlsxschema_gen.py``
prints the module; ``test_xlsxlight.py`` asserts that the module is the one openpyxl gives."""

from __future__ import annotations

import inspect
from typing import Any

from openpyxl.descriptors import base, nested, sequence
from openpyxl.descriptors.serialisable import Serialisable
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import _CustomDocumentPropertyList
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import Relationship
from openpyxl.packaging.workbook import WorkbookPackage
from openpyxl.styles.colors import RGB, aRGB_REGEX
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.worksheet.header_footer import HeaderFooterItem

ROOTS = {"manifest": Manifest, "relationship": Relationship, "workbook": WorkbookPackage, "styles": Stylesheet,
         "core": DocumentProperties, "custom": _CustomDocumentPropertyList}
# classes with their own from_tree, followed by hand in xlsxcheck._check (the last two: the generic
# reading, then a value stored); no other class reached may have one
HANDLED = {"Stylesheet", "Font", "Fill", "WorkbookProtection", "PrintPageSetup"}
# keyword arguments that are no descriptor and that __init__ ignores or only stores (read in its source):
# any value does; the other such arguments (aliases such as ``wrap_text``) are not settled
IGNORED = {("CellStyle", "applyAlignment"), ("CellStyle", "applyProtection"), ("CellStyleList", "count"),
           ("NumberFormatList", "count"), ("TableStyleList", "count"), ("_NamedCellStyleList", "count"),
           ("WebPublishObjectList", "count"), ("Alignment", "mergeCell"), ("DifferentialStyle", "extLst"),
           ("WorkbookProtection", "workbookPassword"), ("WorkbookProtection", "revisionsPassword"),
           ("RowBreak", "count"), ("RowBreak", "manualBreakCount"), ("ColBreak", "count"),
           ("ColBreak", "manualBreakCount"), ("MergeCells", "count"), ("DataValidationList", "count"),
           ("TablePartList", "count"), ("ConditionalFormatting", "extLst"),
           ("SheetProtection", "password")}      # stored through a property that hashes any text
CELL_RANGES = {("MergeCell", "ref")}             # CellRange(ref): range_boundaries, then its bounds


def _kind(d: Any) -> list[Any]:
    """How a descriptor takes a str (or None) from the XML."""
    if isinstance(d, base.Alias) or not isinstance(d, base.Descriptor):
        return ["unsettled"]
    an = bool(getattr(d, "allow_none", False))
    if isinstance(d, base.Set):
        return ["set", sorted(v for v in d.values if v is not None), None in d.values, isinstance(d, base.NoneSet)]
    if isinstance(d, base.Min | base.Max):
        return ["minmax", getattr(d, "min", None), getattr(d, "max", None), d.expected_type.__name__, an]
    if isinstance(d, base.MatchPattern):
        return ["pattern", d.pattern, an]
    if isinstance(d, RGB):
        return ["pattern", aRGB_REGEX.pattern, an]
    if isinstance(d, base.DateTime):
        return ["datetime", an]
    from openpyxl.worksheet.cell_range import MultiCellRange

    if isinstance(d, base.Convertible) and d.expected_type is MultiCellRange:
        return ["multirange"]
    if isinstance(d, base.Bool):
        return ["bool", an]
    if isinstance(d, base.Convertible) and d.expected_type in (int, float):
        return [d.expected_type.__name__, an]
    if isinstance(d, base.Typed) and d.expected_type is str:
        return ["str", an]
    return ["unsettled"]


def _serialisable(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, Serialisable)


def _sheet_parts() -> dict[str, Any]:
    """The sheet-level elements openpyxl's WorkSheetParser reads as objects while rows stream."""
    from openpyxl.descriptors.excel import ExtensionList
    from openpyxl.formatting.formatting import ConditionalFormatting
    from openpyxl.worksheet import _reader as r

    return {"sheetProtection": r.SheetProtection, "extLst": ExtensionList, "conditionalFormatting":
            ConditionalFormatting, "legacyDrawing": r.Related, "rowBreaks": r.RowBreak, "colBreaks": r.ColBreak,
            "printOptions": r.PrintOptions, "pageMargins": r.PageMargins, "pageSetup": r.PrintPageSetup,
            "headerFooter": r.HeaderFooter, "autoFilter": r.AutoFilter, "dataValidations": r.DataValidationList,
            "sheetPr": r.WorksheetProperties, "sheetViews": r.SheetViewList, "sheetFormatPr": r.SheetFormatProperties,
            "scenarios": r.ScenarioList, "tableParts": r.TablePartList, "hyperlinks": r.HyperlinkList,
            "mergeCells": r.MergeCells, "dimension": r.SheetDimension}      # the last: read on opening


def build() -> tuple[dict[str, str], dict[str, Any]]:
    classes: dict[str, Any] = {}

    def visit(cls: Any) -> str:
        name = cls.__name__
        if name in classes:
            assert classes[name]["module"] == cls.__module__, name
            return name
        entry: dict[str, Any] = {"module": cls.__module__}
        classes[name] = entry
        entry["custom"] = "from_tree" in cls.__dict__
        assert not entry["custom"] or name in HANDLED, name
        params = [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self"]
        entry["init"] = None if any(p.kind == p.VAR_KEYWORD for p in params) else sorted(p.name for p in params)
        entry["required"] = sorted(p.name for p in params if p.default is p.empty and p.kind != p.VAR_KEYWORD)
        entry["ns"] = [list(x) for x in getattr(cls, "__namespaced__", ())]
        entry["attr_text"] = "attr_text" in getattr(cls, "__attrs__", ())
        values: dict[str, Any] = {}
        children: dict[str, Any] = {}
        others = []
        for tag in sorted({k for klass in cls.__mro__ for k in vars(klass)}):
            d = getattr(cls, tag, None)
            if d is None or isinstance(d, property):
                continue
            if not isinstance(d, base.Descriptor):
                if not tag.startswith("__"):
                    others.append(tag)
                continue
            values[tag] = _kind(d)
            if isinstance(d, base.Alias):
                children[tag] = ["unsettled"]
            elif isinstance(d, sequence.NestedSequence):
                children[tag] = (["nestedseq", visit(d.expected_type)] if _serialisable(d.expected_type)
                                 else ["unsettled"])
            elif isinstance(d, sequence.MultiSequence | sequence.ValueSequence):
                children[tag] = ["unsettled"]
            elif isinstance(d, sequence.Sequence):
                children[tag] = (["seq", visit(d.expected_type)] if _serialisable(d.expected_type)
                                 else ["seqtext", d.expected_type.__name__] if d.expected_type in (str, int, float)
                                 else ["unsettled"])
            elif isinstance(d, nested.EmptyTag):
                children[tag] = ["empty"]
            elif isinstance(d, nested.NestedText):
                children[tag] = ["text"]
            elif isinstance(d, nested.NestedBool):
                children[tag] = ["nestedbool"]
            elif isinstance(d, nested.Nested):
                children[tag] = ["nested"]
            elif hasattr(d, "from_tree"):
                children[tag] = ["unsettled"]
            elif getattr(d, "expected_type", None) is HeaderFooterItem:
                children[tag] = ["headerfooter"]     # any text: parsed by regexes (test_xlsxlight holds it)
            elif _serialisable(getattr(d, "expected_type", None)):
                children[tag] = ["class", visit(d.expected_type)]
            else:
                children[tag] = ["text"]
        for key, kind in values.items():
            if kind[0] == "set" and any(not isinstance(v, str) for v in kind[1]):
                assert (name, key) == ("Alignment", "textRotation"), (name, key)     # __init__: int(textRotation)
                values[key] = ["intset", kind[1]]
        for param in entry["init"] or ():
            if (name, param) in IGNORED:
                assert param not in values, (name, param)
                values[param] = ["any"]
            elif (name, param) in CELL_RANGES:
                values[param] = ["cellrange"]
        entry["values"], entry["children"], entry["others"] = values, children, others
        return name

    roots = {k: visit(v) for k, v in ROOTS.items()}
    roots.update({f"sheet:{k}": visit(v) for k, v in _sheet_parts().items()})
    from openpyxl.styles.fills import GradientFill, PatternFill

    roots["patternFill"], roots["gradientFill"] = visit(PatternFill), visit(GradientFill)
    return roots, classes


def module_text() -> str:
    roots, classes = build()
    lines = "".join(f"    {name!r}: {classes[name]!r},\n" for name in sorted(classes))
    return ('"""What openpyxl accepts in a workbook\'s small parts, class by class (see xlsxcheck.check_part).\n\n'
            "Generated by tests/reader/xlsxschema_gen.py from openpyxl 3.1; test_xlsxlight.py asserts it is still\n"
            'what the installed openpyxl gives. Do not edit."""\n\n'
            "# ruff: noqa: E501\n"
            "from typing import Any\n\n"
            f"ROOTS = {roots!r}\n\n"
            f"CLASSES: dict[str, Any] = {{\n{lines}}}\n")


if __name__ == "__main__":
    print(module_text(), end="")
