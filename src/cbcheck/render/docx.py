"""``--format docx``: the report as a Word document an office edits and forwards upward (公文 layout).

County and city offices forward results as Word attachments to a 请示/报告 and edit them first (a
文号, a signature, a sentence), in WPS Writer or Word; the HTML page prints well but cannot be edited
that way. The document is built from the same view as the HTML (:mod:`cbcheck.render.view`): its
title, verdict and reason, action list, findings and reading notes are the view's words, in the
view's language; nothing is judged or worded here.

Order: the title (<填报单位><年度>年度《<plan>》目标完成情况核查报告), a line naming the policy, the
file and its sha256, the date of the check and the cbcheck version, then 一、总体结论 (the verdict in
words, its reason, the counts), 二、需整改事项 (the action list as a table), 三、逐项核查结果 (a table per
plan section; PASS rows one line each, each other row followed by its message, arithmetic and the
plan's words), 四、设施核查 (each facility rule's counts and failing or missing facilities, capped as
the HTML caps them, with the count of the rest), 五、读取说明 (every reading note). Page and type as
:mod:`cbcheck.render.docxio` sets them. Status words are coloured as in the HTML and are words, so a
black-and-white print reads the same.

The date of the check is the one thing that is not the same on every run (``SOURCE_DATE_EPOCH``
fixes it); the bytes are otherwise reproducible. Binary: never printed, needs ``--output``.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Iterable

from cbcheck import __version__
from cbcheck.checks.base import fmt, with_unit
from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render import docxio as dio
from cbcheck.render.docxio import text as t
from cbcheck.render.view import Row, View, build

# the HTML's status colours, darkened where pale on paper (WARN, NOT_DUE)
COLOUR = {"PASS": "1A7F37", "FAIL": "CF222E", "WARN": "9A6700", "MISSING": "8250DF", "NOT_DUE": "0969DA",
          "NOT_APPLICABLE": "6E7781", "ERROR": "A40E26", "WAIVED": "4472C4"}
STRONG = {"FAIL", "ERROR", "MISSING", "WARN"}        # bold too: the word stands out in black and white
HEADER_FILL = "E7E6E6"
SMALL = 9                      # 小五: a rule id under its title, so that it wraps less in a narrow column
# column widths in cm: the text block is 21 − 2.8 − 2.6 = 15.6 cm wide
ACTION_WIDTHS = (1.2, 1.8, 3.8, 2.2, 2.0, 2.2, 2.4)
SECTION_WIDTHS = (3.9, 2.6, 2.1, 2.1, 2.5, 2.4)
FACILITY_WIDTHS = (2.0, 2.3, 1.9, 2.8, 2.2, 4.4)
ROLLUP_WIDTH = 15.6
_DIGITS = "零一二三四五六七八九"
STYLE_BODY, STYLE_TABLE, STYLE_META = "cbcheck 正文", "cbcheck 表格", "cbcheck 说明"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (headings 一、 and (一)); 100 and more as digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def check_date(lang: str, m: Any) -> str:
    """Today (local), or ``SOURCE_DATE_EPOCH``'s day (reproducible examples, as the ledger does)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    day = dt.datetime.fromtimestamp(int(fixed), dt.timezone.utc).date() if fixed.isdigit() else dt.date.today()
    if lang == "zh":
        return str(m("docx.date", year=day.year, month=day.month, day=day.day))
    return str(m("docx.date", year=day.year, month=f"{day.month:02d}", day=f"{day.day:02d}"))


class Writer:
    """A document being written: styles set once, headings numbered 一、二、… and (一)(二)… as they come."""

    def __init__(self, lang: str, m: Any) -> None:
        import docx
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.m, self.lang = m, lang
        self.doc = doc = docx.Document()
        latin = dio.BODY_FONT[0] if lang == "zh" else dio.LATIN_EN
        dio.page(doc)
        dio.defaults(doc, lang, latin)
        dio.font_table(doc)
        para = WD_STYLE_TYPE.PARAGRAPH
        dio.line_spacing(dio.style(doc, "Normal", para, dio.BODY_FONT, dio.SANHAO, latin=latin), 28)
        title = dio.style(doc, "Title", para, dio.TITLE_FONT, dio.ERHAO,
                          latin=dio.TITLE_FONT[0] if lang == "zh" else latin)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pbdr = title.element.pPr.find(dio._qn("w:pBdr"))
        if pbdr is not None:                  # python-docx's template underlines the title in blue
            title.element.pPr.remove(pbdr)
        dio.line_spacing(title, 36, after=14)
        for name, font in (("Heading 1", dio.HEADING_FONT), ("Heading 2", dio.SUBHEADING_FONT)):
            st = dio.style(doc, name, para, font, dio.SANHAO, latin=font[0] if lang == "zh" else latin)
            dio.line_spacing(st, 28, before=6, first_line_chars=2)
        dio.line_spacing(dio.style(doc, STYLE_BODY, para, dio.BODY_FONT, dio.SANHAO, latin=latin, base="Normal"), 28,
                        first_line_chars=2)
        dio.line_spacing(dio.style(doc, STYLE_TABLE, para, dio.BODY_FONT, dio.XIAOSI, latin=latin, base="Normal"), None)
        dio.line_spacing(dio.style(doc, STYLE_META, para, dio.BODY_FONT, dio.XIAOSI, latin=latin, base="Normal"), None,
                        after=12)
        dio.page_number_footer(doc, latin)
        self.headings = 0
        self.subheadings = 0

    # --- paragraphs ------------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.doc.add_paragraph(t(text), style="Title")
        self.doc.core_properties.title = t(text)

    def heading(self, title: str) -> None:
        self.headings += 1
        self.subheadings = 0
        self.doc.add_paragraph(self.m("docx.heading", n=self._ordinal(self.headings), title=title), style="Heading 1")

    def subheading(self, title: str) -> None:
        self.subheadings += 1
        self.doc.add_paragraph(self.m("docx.subheading", n=self._ordinal(self.subheadings), title=t(title)),
                               style="Heading 2")

    def _ordinal(self, n: int) -> str:
        return cn_ordinal(n) if self.lang == "zh" else str(n)

    def para(self, text: str = "", style: str = STYLE_BODY, *, status: str | None = None, label: str = "") -> Any:
        """A paragraph: ``label`` (bold, from the catalogue), then ``text`` (a status word coloured when
        ``status`` is given)."""
        p = self.doc.add_paragraph(style=style)
        if label:
            p.add_run(label).bold = True
        self._run(p, text, status)
        return p

    def _run(self, p: Any, text: str, status: str | None = None) -> Any:
        from docx.shared import RGBColor

        run = p.add_run(t(text))
        if status is not None:
            run.font.color.rgb = RGBColor.from_string(COLOUR.get(status, "000000"))
            run.bold = status in STRONG
        return run

    # --- tables ----------------------------------------------------------------------------

    def table(self, header: Iterable[str], widths: Iterable[float]) -> Any:
        from docx.shared import Cm

        widths = list(widths)
        tab = self.doc.add_table(rows=1, cols=len(widths))
        tab.style = self.doc.styles["Table Grid"]
        tab.autofit = False
        dio.fixed_widths(tab, widths)
        row = tab.rows[0]
        dio.repeat_header(row)
        for cell, label, width in zip(row.cells, header, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].style = self.doc.styles[STYLE_TABLE]
            cell.paragraphs[0].add_run(label).bold = True
            dio.shade(cell, HEADER_FILL)
        tab._widths = widths
        return tab

    def row(self, tab: Any, values: Iterable[str], status_col: int | None = None, status: str | None = None,
            small: tuple[str, ...] = ()) -> Any:
        """A table row; a cell's lines in ``small`` (a rule id under its title) in a smaller size."""
        from docx.shared import Cm, Pt

        row = tab.add_row()
        dio.keep_row(row)
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Cm(tab._widths[i])
            para = cell.paragraphs[0]
            para.style = self.doc.styles[STYLE_TABLE]
            lines = t(value).split("\n")
            for j, line in enumerate(lines):
                run = self._run(para, line, status if i == status_col else None)
                if line in small:
                    run.font.size = Pt(SMALL)
                if j < len(lines) - 1:
                    run.add_break()
        return row

    def note_row(self, tab: Any, lines: list[str]) -> None:
        """A row across the whole table under the row it explains (the arithmetic, the plan's words)."""
        row = self.row(tab, ["\n".join(lines)] + [""] * (len(tab.columns) - 1))
        first, last = row.cells[0], row.cells[-1]
        first.merge(last)
        merged = row.cells[0]
        for extra in merged.paragraphs[1:]:       # merging keeps each emptied cell's paragraph
            extra._p.getparent().remove(extra._p)

    def bytes(self) -> bytes:
        return dio.to_bytes(self.doc)


# --- the report's parts ------------------------------------------------------------------------


def _actual(r: Row) -> str:
    return "" if r.observed is None else with_unit(r.observed, r.unit) if isinstance(r.observed, (int, float)) \
        else str(r.observed)


def _cells(location: str | None) -> str:
    """表1!F5/表1!F6 one cell a line: a narrow column otherwise breaks inside a reference (表1!F / 6)."""
    return (location or "").replace("/", "/\n")


def _required(r: Row) -> str:
    if r.expected is None:
        return ""
    if not isinstance(r.expected, (int, float)) or isinstance(r.expected, bool):
        return str(r.expected)
    # a bare number with no comparator (68 of 比2005年下降68%, not yet due) would read as the requirement
    # itself; the rule's title, beside it, says it
    return f"{r.comparator} {with_unit(r.expected, r.unit)}" if r.comparator in ("≥", ">", "≤", "<", "=") else ""


def _conclusion(w: Writer, v: View) -> None:
    m = w.m
    w.heading(m("docx.h_conclusion"))
    w.para(v.verdict_label, status={"compliant": "PASS", "non-compliant": "FAIL"}.get(v.verdict, "WARN"),
           label=m("msg.label_colon", label=m("report.verdict"), what=""))
    w.para(m("report.reason", reason=v.reason_ref))
    total = sum(n for _, _, n in v.counts)
    w.para(m("docx.counts", n=total, line=v.summary_line))


def _actions(w: Writer, v: View) -> None:
    m = w.m
    w.heading(m("docx.h_actions"))
    if not v.actions:
        w.para(v.actions_none)
        return
    tab = w.table([m("docx.col_no"), m("col.status"), m("docx.col_rule"), m("docx.col_required"),
                   m("docx.col_actual"), m("report.gap"), m("col.cell")], ACTION_WIDTHS)
    for i, r in enumerate(v.actions, start=1):
        said = f"{r.rule_id} · {r.strength_label}"
        w.row(tab, [str(i), r.status_label, f"{r.title}\n{said}", _required(r), _actual(r), r.gap, _cells(r.location)],
              status_col=1, status=r.status, small=(t(said),))
        lines = [r.message]
        if r.facilities:
            names = "、".join(str(e["facility"]) for e in r.facilities) + (" …" if r.facilities_more else "")
            lines.append(m("report.facilities_involved", names=names))
        lines.append(m("text.todo", text=r.todo))
        w.note_row(tab, lines)


def _findings(w: Writer, v: View) -> None:
    m = w.m
    w.heading(m("docx.h_findings"))
    for section in v.sections:
        if not section.rows:
            continue
        w.subheading(m("docx.plan_section", section=section.name))
        w.para(section.rollup_text, STYLE_META)
        tab = w.table([m("col.rule"), m("docx.col_indicator"), m("col.status"), m("docx.col_actual"),
                       m("docx.col_required"), m("col.cell")], SECTION_WIDTHS)
        for r in section.rows:
            w.row(tab, [f"{r.title}\n{r.rule_id}", r.indicator_name, r.status_label, _actual(r), _required(r),
                        _cells(r.location)], status_col=2, status=r.status, small=(t(r.rule_id),))
            if r.status != "PASS":
                lines = [r.message + (f"（{r.gap}）" if r.gap and v.lang == "zh" else f" ({r.gap})" if r.gap else "")]
                if r.arithmetic:
                    lines.append(m("docx.arithmetic", text=r.arithmetic))
                if r.quote:
                    lines.append(m("msg.label_colon", label=m("report.clause"), what=f"“{r.quote}”"))
                w.note_row(tab, lines)
    if v.hidden_na:
        w.para(m("report.na_hidden", n=v.hidden_na), STYLE_META)
    if v.quality:
        w.subheading(m("text.data_quality"))
        w.para(m("text.data_quality_note"), STYLE_META)
        for q in v.quality:
            where = m("text.cell_paren", location=q["location"]) if q["location"] else ""
            w.para(f"{q['message']}{where}", label=m("msg.label_colon", label=q["label"], what=""))


def _facilities(w: Writer, v: View) -> None:
    m = w.m
    w.heading(m("docx.h_facilities"))
    rows = [r for s in v.sections for r in s.rows if r.facility_counts is not None]
    if v.facility_summary:
        w.para(m("text.facilities_summary", **v.facility_summary))
    if not rows:
        w.para(m("docx.no_facilities"))
        return
    for r in rows:
        w.subheading(m("docx.facility_rule", title=r.title, rule_id=r.rule_id))
        counts = r.facility_counts or {}
        line = " · ".join(f"{n} {m.get(f'status.{s}', s)}" for s, n in counts.items() if n)
        w.para(m("docx.facility_counts", status=r.status_label, line=line or "0"), STYLE_META)
        if not r.facilities:
            w.para(m("docx.facility_all_pass"))
            continue
        tab = w.table([m("col.status"), m("report.facility"), m("report.observed"), m("report.limit"),
                       m("col.cell"), m("col.finding")], FACILITY_WIDTHS)
        for e in r.facilities:
            w.row(tab, [e["status_label"], str(e["facility"]), "" if e["observed"] is None else fmt(e["observed"]),
                        "" if e["expected"] is None else fmt(e["expected"]), e.get("location") or "", e["message"]],
                  status_col=0, status=e["status"])
        if r.facilities_more:
            w.para(m("text.facility_more", n=r.facilities_more).strip(), STYLE_META)


def _reading(w: Writer, v: View) -> None:
    m = w.m
    w.heading(m("docx.h_reading"))
    if not v.read_groups and not v.unmatched:
        w.para(m("docx.reading_none"))
    for g in v.read_groups:
        if g.title is not None:
            w.para(g.title, label="")
            w.doc.paragraphs[-1].runs[0].bold = True
        for line in g.lines:
            w.para(line)
    for u in v.unmatched:
        w.para(u["text"], label=m("msg.label_colon", label=m("text.unrecognised"), what=""))


def add_part(w: Writer, heading: str, parts: list[tuple[str, list[list[str]], list[str]]], closing: str) -> None:
    """A part after the report's own (a city roll-up's figures, allocations and roster): a heading, then
    per part a subheading, its table (a header row first; the last column, the longest, twice as wide)
    and its lines; ``closing`` last, in bold."""
    w.heading(heading)
    for title, rows, lines in parts:
        w.subheading(title)
        if rows:
            unit = ROLLUP_WIDTH / (len(rows[0]) + 1)
            tab = w.table(rows[0], [unit] * (len(rows[0]) - 1) + [2 * unit])
            for row in rows[1:]:
                w.row(tab, row)
        for line in lines:
            w.para(line)
    w.para(closing).runs[0].bold = True


def document(v: View) -> Writer:
    """The report's document, for :func:`render` and for a roll-up to add its own parts to."""
    m = v.m
    w = Writer(v.lang, m)
    w.title(v.title)
    policy = f"《{v.policy['title']}》" + (f"（{v.policy['doc_number']}）" if v.policy.get("doc_number") else "")
    w.para(m("docx.meta", policy=t(policy), file=t(v.submission["path"]), sha=v.submission["sha"],
             date=check_date(v.lang, m), version=__version__), STYLE_META)
    _conclusion(w, v)
    _actions(w, v)
    _findings(w, v)
    _facilities(w, v)
    _reading(w, v)
    return w


def view(report: Report, opts: RenderOptions) -> View:
    """The HTML's view: facilities capped as the HTML caps them (read when called, not when defined)."""
    from cbcheck.render import view as views

    return build(report, opts.m, opts.cat(), show_na=opts.show_all, facility_limit=views.FACILITY_LIST_LIMIT)


def render(report: Report, opts: RenderOptions) -> bytes:
    return document(view(report, opts)).bytes()
