"""Writing Word documents as a Chinese office expects them, safely and reproducibly (the docx report).

- Page and type follow the 公文 layout (GB/T 9704): A4, margins 3.7/3.5/2.8/2.6 cm (top, bottom,
  left, right), title 方正小标宋简体 二号, body 仿宋_GB2312 三号 (小四 in tables), 一、 headings 黑体
  三号, (一) headings 楷体_GB2312, page numbers "— 1 —" in 宋体 四号 at the foot (odd pages right, even
  pages left). The fonts are set on
  *styles* (正文, 标题 1, 标题 2, 表格文字…), so an office restyles the document the way it edits any
  other; each style names the font for East Asian text (``w:eastAsia``, which python-docx's
  ``font.name`` leaves unset, so WPS and Word would fall back to the theme's font for Chinese) as well
  as the Latin one, and no theme font. A machine without 方正小标宋简体 or 仿宋_GB2312 gets 宋体 / 仿宋:
  the font table names them as each font's ``altName``.
- :func:`text` is what every string from a submission or a policy goes through: characters an XML
  document cannot hold (C0 controls, lone surrogates, U+FFFE/FFFF; lxml raises on them) and the
  bidirectional controls are shown as escapes (``\\x1b``), as the other reports show them.
- :func:`page_number_footer` is the only field the document has (PAGE); it has no hyperlinks.
- :func:`to_bytes` saves with fixed document dates and fixed zip entry times, so the same report is
  the same bytes (python-docx writes the zip entries with the current time).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from cbcheck.render.safe import terminal_safe
from cbcheck.render.xlsxio import FIXED_TIME, _ZIP_TIME

# (font named, the font a machine without it uses)
TITLE_FONT = ("方正小标宋简体", "宋体")
BODY_FONT = ("仿宋_GB2312", "仿宋")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体_GB2312", "楷体")
PAGE_FONT = ("宋体", "SimSun")
LATIN_EN = "Times New Roman"      # an English report's Latin text; Chinese names in it keep the CJK fonts
# 字号 in points: 二号 22, 三号 16, 四号 14, 小四 12
ERHAO, SANHAO, SIHAO, XIAOSI = 22, 16, 14, 12
A4 = (21.0, 29.7)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}

# XML 1.0 cannot hold C0 controls but \t \n \r, surrogates, U+FFFE/U+FFFF
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def text(value: Any) -> str:
    """A submission's or policy's string as text a document can hold and shows as it is: control
    characters, bidi controls and lone surrogates as visible escapes (``\\x00``, ``\\ud800``)."""
    return _UNWRITABLE.sub(_escape, terminal_safe(str(value)))


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _child(parent: Any, tag: str) -> Any:
    """``parent``'s child ``tag``, added when missing."""
    from docx.oxml import OxmlElement

    found = parent.find(_qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def set_fonts(rpr: Any, east_asia: str, latin: str) -> None:
    """Fonts on a run-properties element: East Asian and Latin named, theme fonts removed (a theme
    font wins over a named one)."""
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(_qn(attr), name)


def style(doc: Any, name: str, kind: int, font: tuple[str, str], size: float, *, latin: str | None = None,
          bold: bool = False, base: str | None = None) -> Any:
    """A paragraph style with its fonts (East Asian and Latin), size and weight; black, no theme."""
    from docx.shared import Pt, RGBColor

    try:
        st = doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, kind)
    if base is not None:
        st.base_style = doc.styles[base]
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.color.rgb = RGBColor(0, 0, 0)
    rpr = st.element.get_or_add_rPr()
    set_fonts(rpr, font[0], latin or font[0])
    color = rpr.find(_qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade"):
        color.attrib.pop(_qn(attr), None)
    return st


def defaults(doc: Any, lang: str, latin: str) -> None:
    """The document's default run fonts and language (the theme's Calibri/宋体 and en-US otherwise)."""
    rpr = doc.styles.element.find(_qn("w:docDefaults")).find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    set_fonts(rpr, BODY_FONT[0], latin)
    lang_el = _child(rpr, "w:lang")
    lang_el.set(_qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    lang_el.set(_qn("w:eastAsia"), "zh-CN")


def font_table(doc: Any) -> None:
    """Each font the document names, with the font a machine without it uses (``w:altName``)."""
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    named = {f.get(_qn("w:name")) for f in root}
    for name, alt in (TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_FONT):
        if name in named:
            continue
        font = etree.SubElement(root, _qn("w:font"), {_qn("w:name"): name})
        etree.SubElement(font, _qn("w:altName"), {_qn("w:val"): alt})
        etree.SubElement(font, _qn("w:charset"), {_qn("w:val"): "86"})      # GB2312
        etree.SubElement(font, _qn("w:family"), {_qn("w:val"): "modern" if name in ("黑体",) else "roman"})
        etree.SubElement(font, _qn("w:pitch"), {_qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def page(doc: Any) -> None:
    from docx.shared import Cm

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(A4[0]), Cm(A4[1])
    sec.top_margin, sec.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    sec.left_margin, sec.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    sec.footer_distance = Cm(2.8)       # the page number sits 7 mm below the text block, as 公文 place it


def line_spacing(st: Any, points: float | None, *, before: float = 0, after: float = 0,
                 first_line_chars: int = 0) -> None:
    """Exact line spacing (公文 set 三号 on a 28-point grid) or single when ``points`` is None; a
    first-line indent counted in characters (两字), which follows the font size."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    pf = st.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if points is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing, pf.line_spacing_rule = Pt(points), WD_LINE_SPACING.EXACTLY
    ind = _child(st.element.get_or_add_pPr(), "w:ind")
    if first_line_chars:
        ind.set(_qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(_qn("w:firstLine"), str(int(first_line_chars * SANHAO * 20)))
    else:
        ind.set(_qn("w:firstLineChars"), "0")
        ind.set(_qn("w:firstLine"), "0")


def page_number_footer(doc: Any, latin: str) -> None:
    """"— 1 —" at the foot of every page, as GB/T 9704 places it: 4号 宋体 between two 一字线, an odd
    page's on the right and an even page's on the left, each one character in from the edge of the
    text. A PAGE field, the document's only one."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        para.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            para.paragraph_format.right_indent = Pt(SIHAO)
        else:
            para.paragraph_format.left_indent = Pt(SIHAO)
        _page_field(para, latin)


def _page_field(para: Any, latin: str) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    def run(content: str | None = None) -> Any:
        r = para.add_run(content)
        r.font.size = Pt(SIHAO)
        set_fonts(r._r.get_or_add_rPr(), PAGE_FONT[0], latin)
        return r

    run("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(_qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif instr == "1":
            r.text = "1"                      # what a reader that does not update fields shows
        else:
            code = OxmlElement("w:instrText")
            code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            code.text = instr
            r._r.append(code)
    run(" —")


def fixed_widths(tab: Any, widths: list[float]) -> None:
    """Column widths a reader keeps: the grid's (LibreOffice and WPS lay a table out by it, not by
    the cells') and a fixed layout, so a long rule id wraps inside its column."""
    from docx.shared import Cm

    for col, width in zip(tab.columns, widths, strict=True):
        col.width = Cm(width)
    tblpr = tab._tbl.tblPr
    _child(tblpr, "w:tblLayout").set(_qn("w:type"), "fixed")
    tblw = _child(tblpr, "w:tblW")
    tblw.set(_qn("w:type"), "dxa")
    tblw.set(_qn("w:w"), str(round(sum(widths) / 2.54 * 1440)))


def repeat_header(row: Any) -> None:
    """A table's header row repeated at the top of each page it runs onto; no row split across pages."""
    trpr = row._tr.get_or_add_trPr()
    _child(trpr, "w:tblHeader")


def keep_row(row: Any) -> None:
    _child(row._tr.get_or_add_trPr(), "w:cantSplit")


def shade(cell: Any, fill: str) -> None:
    shd = _child(cell._tc.get_or_add_tcPr(), "w:shd")
    shd.set(_qn("w:val"), "clear")
    shd.set(_qn("w:color"), "auto")
    shd.set(_qn("w:fill"), fill)


def to_bytes(doc: Any) -> bytes:
    props = doc.core_properties
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.author = props.last_modified_by = "cbcheck"
    props.comments = ""
    props.revision = 1
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(rid)                 # python-docx's template's preview picture, not this document's
        rels._target_parts_by_rId.pop(rid, None)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
