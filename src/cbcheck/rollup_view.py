"""Output of ``cbcheck rollup`` in every format: the city report (by the report renderers,
unchanged) with the roll-up's own sections — city figures with each county's contribution,
indicators recomputed or not aggregable, allocations (分解下达) and missing entities (缺报单位)."""

from __future__ import annotations

import html as _html
import io
import json
from typing import Any

from cbcheck.checks.base import fmt
from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import translate
from cbcheck.render import RenderOptions, render
from cbcheck.render.common import status_label, verdict_label
from cbcheck.rollup import Rollup

FORMATS = ("text", "json", "markdown", "html", "csv", "xlsx", "docx", "junit")


def _name(cat: Any, ind: str, m: Messages) -> str:
    if ind not in cat:
        return ind
    return cat[ind].name_en if m.lang == "en" and cat[ind].name_en else cat[ind].name


def as_dict(r: Rollup) -> dict[str, Any]:
    return {
        "policy": r.policy.id, "year": r.year, "verdict": r.verdict(),
        "submissions": [{"name": r.roster_name(c), "entity": c.entity, "file": c.file, "sha256": c.submission.sha256}
                        for c in r.counties],
        "figures": [{"indicator": f.indicator, "year": f.year, "unit": f.unit, "total": float(fmt(f.total)),
                     "contributions": [{"entity": p.entity, "value": float(fmt(p.value)), "as_submitted": p.shown,
                                        "file": p.file, "cell": p.cell} for p in f.parts]} for f in r.figures],
        "recomputed": [{"indicator": i, "numerator": n, "denominator": d} for i, n, d in r.recomputed],
        "not_aggregable": [{"indicator": i, "entities": e} for i, e in r.not_aggregable],
        "not_summed": r.incomplete,
        "allocations": [{"rule_id": a.rule_id, "indicator": a.indicator, "status": a.status.value,
                         "city_target": a.city_target, "allocated": a.allocated, "unit": a.unit,
                         "arithmetic": a.arithmetic} for a in r.allocations],
        "roster": list(r.roster), "missing": r.missing, "not_on_roster": r.unexpected,
        "files_not_added": r.file_notes, "same_values": r.same_values,
        # with roster counties missing: the rules the submitted counties' figures cannot decide (rollup_partial)
        "undecided": undecided(r),
        "by_county": [{"rule_id": c.rule_id, "entity": c.entity, "status": c.finding.status.value,
                       "message": c.finding.message} for c in r.by_county],
    }


def undecided(r: Rollup) -> list[str]:
    return [f.rule_id for f in r.report.findings if f.details.get("undecided")]


def sections(r: Rollup, cat: Any, m: Messages) -> list[tuple[str, list[list[str]], list[str]]]:
    """(title, table rows with a header first, extra lines) for text, markdown and html."""
    out = []
    rows = [[m("rollup.col_indicator"), m("rollup.col_year"), m("rollup.col_total"), m("rollup.col_parts")]]
    for f in r.figures:
        parts = "; ".join(f"{p.entity} {p.shown} ({_where(p.file, p.cell)})" for p in f.parts)
        rows.append([_name(cat, f.indicator, m), str(f.year), f"{fmt(f.total)} {f.unit}", parts])
    extra = [m("rollup.recomputed", indicator=_name(cat, i, m), num=_name(cat, n, m), den=_name(cat, d, m))
             for i, n, d in r.recomputed]
    extra += [m("rollup.not_aggregable", indicator=_name(cat, i, m), entities=_listing(e, m))
              for i, e in r.not_aggregable]
    extra += [m("rollup.not_summed", why=translate(w, m.lang)) for w in r.incomplete]
    out.append((m("rollup.figures"), rows, extra))
    if r.by_county:
        rows = [[m("col.status"), m("col.rule"), m("rollup.col_entity"), m("col.finding")]]
        rows += [[status_label(c.finding.status, m), c.rule_id, r.roster_name_of(c.entity),
                  translate(c.finding.message, m.lang)] for c in r.by_county]
        out.append((m("rollup.by_county"), rows, [m("rollup.by_county_missing", names=_listing(r.missing, m))]
                    if r.missing else []))
    if r.allocations:
        rows = [[m("col.status"), m("col.rule"), m("rollup.col_arithmetic")]]
        rows += [[status_label(a.status, m), a.rule_id, translate(a.arithmetic, m.lang)] for a in r.allocations]
        out.append((m("rollup.allocations"), rows, []))
    lines = [m("rollup.submitted", n=len(r.counties), names=_listing((_submitted(r, c) for c in r.counties), m))]
    lines += [translate(n, m.lang) for n in r.same_values]
    if r.roster:
        lines.append(m("rollup.missing", n=len(r.missing), names=_listing(r.missing, m) or "—"))
        if r.missing:
            lines.append(m("rollup.floor"))
            lines.append(m("rollup.partial", n=len(undecided(r))))
        if r.unexpected:
            lines.append(m("rollup.not_on_roster", names=_listing(r.unexpected, m)))
    else:
        lines.append(m("rollup.no_roster"))
    lines += [translate(n, m.lang) for n in r.file_notes]      # which of a county's files was added up
    out.append((m("rollup.roster"), [], lines))
    return out


def _submitted(r: Rollup, c: Any) -> str | Msg:
    """已报送 names the county as the roster does, and who signed the file when that reads otherwise."""
    name = r.roster_name(c)
    return name if name == c.entity else Msg("rollup.signed_as", name=name, signer=c.entity, file=c.file)


def _text(r: Rollup, cat: Any, m: Messages) -> str:
    buf = [f"{m('rollup.title', region=r.policy.region, year=r.year, n=len(r.counties))}", ""]
    for title, rows, extra in sections(r, cat, m):
        buf.append(f"== {title} ==")
        for row in rows[1:]:
            buf.append("  " + " | ".join(row))
        buf += [f"  {line}" for line in extra]
        buf.append("")
    buf.append(m("msg.label_colon", label=m("rollup.verdict"), what=verdict_label(r.verdict(), m)))
    return "\n".join(buf) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(r: Rollup, cat: Any, m: Messages) -> str:
    buf = [f"## {m('rollup.title', region=r.policy.region, year=r.year, n=len(r.counties))}", ""]
    for title, rows, extra in sections(r, cat, m):
        buf += [f"### {title}", ""]
        if rows:
            buf.append("| " + " | ".join(rows[0]) + " |")
            buf.append("|" + "---|" * len(rows[0]))
            buf += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows[1:]]
            buf.append("")
        buf += [f"- {line}" for line in extra]
        buf.append("")
    buf.append(f"**{m('msg.label_colon', label=m('rollup.verdict'), what=verdict_label(r.verdict(), m))}**")
    return "\n".join(buf) + "\n"


def _html_section(r: Rollup, cat: Any, m: Messages) -> str:
    e = _html.escape
    title = m("rollup.title", region=r.policy.region, year=r.year, n=len(r.counties))
    buf = [f'<section class="rollup"><h2>{e(title)}</h2>']
    for title, rows, extra in sections(r, cat, m):
        buf.append(f"<h3>{e(title)}</h3>")
        if rows:
            buf.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in rows[0]) + "</tr></thead><tbody>")
            buf += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows[1:]]
            buf.append("</tbody></table>")
        if extra:
            buf.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in extra) + "</ul>")
    said = m("msg.label_colon", label=m("rollup.verdict"), what=verdict_label(r.verdict(), m))
    buf.append(f"<p><strong>{e(said)}</strong></p></section>")
    return "\n".join(buf) + "\n"


def _csv(r: Rollup, cat: Any, m: Messages) -> str:
    import csv

    from cbcheck.render.common import defuse_formula

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([m("rollup.col_indicator"), m("rollup.col_year"), m("rollup.col_entity"), m("rollup.col_value"),
                m("rollup.col_unit"), m("rollup.col_file"), m("rollup.col_cell")])
    for f in r.figures:
        for p in f.parts:
            w.writerow([_name(cat, f.indicator, m), f.year, defuse_formula(p.entity), fmt(p.value), f.unit,
                        defuse_formula(p.file), p.cell])
        w.writerow([_name(cat, f.indicator, m), f.year, m("rollup.city_total"), fmt(f.total), f.unit, "", ""])
    return "\ufeff" + buf.getvalue()                 # BOM: Excel opens UTF-8 CSV correctly


def _xlsx(r: Rollup, cat: Any, m: Messages) -> bytes:
    from openpyxl import Workbook

    from cbcheck.render.common import rule_title, rules_by_id

    wb = Workbook()
    ws = wb.active
    ws.title = m("rollup.sheet_figures")
    ws.append([m("rollup.col_indicator"), m("rollup.col_year"), m("rollup.col_entity"), m("rollup.col_value"),
               m("rollup.col_unit"), m("rollup.col_file"), m("rollup.col_cell")])
    for f in r.figures:
        for p in f.parts:
            ws.append([_name(cat, f.indicator, m), f.year, p.entity, p.value, f.unit, p.file, p.cell])
        ws.append([_name(cat, f.indicator, m), f.year, m("rollup.city_total"), f.total, f.unit, None, None])
    for line in sections(r, cat, m)[0][2]:       # sums not made and why: the workbook is what an office files
        ws.append([line])
    fs = wb.create_sheet(m("rollup.sheet_findings"))
    fs.append([m("col.status"), m("col.rule"), m("col.finding")])
    rules = rules_by_id(r.policy)
    for finding in r.report.findings:
        fs.append([status_label(finding.status, m), finding.rule_id,
                   m("rest.finding_line", title=rule_title(finding, rules, m),
                                             message=translate(finding.message, m.lang))])
    for title, rows, extra in sections(r, cat, m)[1:]:
        sheet = wb.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
        for line in extra:
            sheet.append([line])
    # the workbook is what a weekly cron forwards: it states the verdict, as every other format does
    ws.insert_rows(1)
    ws.cell(1, 1, m("rollup.verdict"))
    ws.cell(1, 2, verdict_label(r.verdict(), m))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _docx(r: Rollup, opts: RenderOptions) -> bytes:
    """The city report's document with the roll-up's parts after its own, as the HTML page adds them."""
    from cbcheck.render.docx import add_part, document, view

    m = opts.m
    w = document(view(r.report, opts))
    add_part(w, m("docx.h_rollup"), sections(r, opts.cat(), m),
             m("msg.label_colon", label=m("rollup.verdict"), what=verdict_label(r.verdict(), m)))
    return w.bytes()


def _junit(r: Rollup, opts: RenderOptions) -> str:
    """The city report's suite, and what the roll-up adds to it as test cases that fail as the exit code does:
    an allocation that misses the city target a failure (exit 1), one that cannot be checked and counties
    missing from the roster an error (exit 3: the city is not judged whole, so a dashboard is not green)."""
    import xml.etree.ElementTree as ET

    from cbcheck.render.common import xml_safe
    from cbcheck.render.junit import _document, suite

    m = opts.m

    def build(root: ET.Element) -> dict[str, int]:
        tally = suite(root, r.report, opts)
        node = root[-1]
        cases = [(f"{r.policy.id}.allocations", a.rule_id, {"FAIL": "failure", "ERROR": "error"}.get(a.status.value),
                  a.status.value, f"{status_label(a.status, m)}: {translate(a.arithmetic, m.lang)}")
                 for a in r.allocations]
        if r.roster:
            said = m("rollup.missing", n=len(r.missing), names=_listing(r.missing, m) or "—")
            if r.missing:
                said += "\n" + m("rollup.partial", n=len(undecided(r)))
            cases.append((f"{r.policy.id}.roster", m("rollup.roster"), "error" if r.missing else None,
                          "MISSING_COUNTIES", said))
        for classname, name, kind, kind_type, text in cases:
            case = ET.SubElement(node, "testcase", {"classname": xml_safe(classname), "name": xml_safe(name)})
            if kind is not None:
                ET.SubElement(case, kind, {"message": xml_safe(text.split("\n")[0]), "type": kind_type}).text = \
                    xml_safe(text)
                tally[{"failure": "failures", "error": "errors"}[kind]] += 1
            else:
                ET.SubElement(case, "system-out").text = xml_safe(text)
            tally["tests"] += 1
        for key, n in tally.items():
            node.set(key, str(n))
        for line in [c for c in node if c.tag == "system-out"]:      # the suite's verdict line stays last
            node.remove(line)
            node.append(line)
        return tally

    return _document([build])


def render_rollup(r: Rollup, fmt_name: str, opts: RenderOptions) -> str | bytes:
    m, cat = opts.m, opts.cat()
    if fmt_name == "json":
        doc = {"format_version": 1, "rollup": as_dict(r), "report": json.loads(render("json", r.report, opts))}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt_name == "csv":
        return _csv(r, cat, m)
    if fmt_name == "junit":
        return _junit(r, opts)
    if fmt_name == "xlsx":
        return _xlsx(r, cat, m)
    if fmt_name == "docx":
        return _docx(r, opts)
    if fmt_name == "markdown":
        return str(render("markdown", r.report, opts)) + "\n" + _markdown(r, cat, m)
    if fmt_name == "html":
        page = str(render("html", r.report, opts))
        cut = page.rfind("</body>")
        return page[:cut] + _html_section(r, cat, m) + page[cut:] if cut >= 0 else page + _html_section(r, cat, m)
    return str(render("text", r.report, opts)) + "\n" + _text(r, cat, m)


def _where(file: str, cell: str) -> str:
    """``yanzhou-2025.csv:8:6`` alone (a CSV's cell names its file), ``yanzhou.xlsx 表1!F8`` otherwise; a sheet
    of a city workbook (``城市.xlsx!兖州区``) as ``城市.xlsx 兖州区!F8``, the sheet once."""
    book, _, sheet = file.rpartition("!")
    if book and cell.startswith(f"{sheet}!"):
        return f"{book} {cell}"
    return cell if cell.startswith(f"{file}:") or cell.startswith(f"{file} (") else f"{file} {cell}"


def _listing(names: Any, m: Messages) -> str:
    """Names as the report's language lists them: ``曲阜市、任城区`` in Chinese, ``曲阜市, 任城区`` in English."""
    return Msg.listing(list(names)).text(m.lang)
