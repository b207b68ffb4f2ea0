"""``--format markdown``: for pasting into reports and tickets, failures first: the verdict and its
reason, the action list (整改清单) as a table, then one table per plan section with its roll-up
(PASS rows one line each; NOT_APPLICABLE hidden with a count unless --show-na)."""

from __future__ import annotations

from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.safe import markdown_safe, terminal_safe
from cbcheck.render.view import Row, View, build


def cell(text: str) -> str:
    """Text safe inside a table cell: markdown and HTML inert (:func:`~cbcheck.render.safe.markdown_safe`:
    no link, image, tag or emphasis can start in it, control characters shown), line breaks as <br>."""
    return markdown_safe(text).replace("\n", "<br>")


def code(text: str) -> str:
    """A code span inside a table cell (HTML is inert there; pipes still end the cell)."""
    return "`" + terminal_safe(text).replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def _target(row: Row) -> str:
    year = f" ({row.target_year})" if row.target_year and str(row.target_year) not in row.title else ""
    return cell(row.title + year) + " · " + cell(row.strength_label)


def _finding(row: Row, v: View) -> str:
    out = cell(row.message) + (f"<br>{code(row.arithmetic)}" if row.arithmetic else "")
    out += "".join(f"<br>{cell(e['status_label'])} {cell(str(e['facility']))} ({cell(e['location'])}): "
                   f"{cell(e['message'])}" for e in row.facilities)
    if row.facilities_more:
        out += "<br>" + cell(v.m("text.facility_more", n=row.facilities_more).strip())
    return out


def render(report: Report, opts: RenderOptions) -> str:
    return render_view(build(report, opts.m, opts.catalogue, show_na=opts.show_all))


def render_view(v: View) -> str:
    m = v.m
    lines = [f"# {cell(v.title)}", "",
             "- " + m("md.verdict", verdict=v.verdict_label, code=v.exit_code) + " — " + cell(v.reason_ref),
             "- " + m("md.summary", line=v.summary_line),
             "- " + m("md.policy", id=v.policy["id"], status=v.policy["status"], sha=v.policy["sha"]),
             "- " + m("md.submission", path=cell(v.submission["path"]), sha=v.submission["sha"]),
             "- " + m("md.entity_line", entity=cell(v.submission["entity"]), year=v.year), ""]
    lines += [f"## {m('report.actions')}", ""]
    if not v.actions:
        lines += [v.actions_none, ""]
    else:
        lines += [f"| # | {m('col.status')} | {m('col.rule')} | {m('col.target')} | {m('report.gap')} | "
                  f"{m('col.finding')} | {m('col.cell')} | {m('report.todo')} |", "|---|---|---|---|---|---|---|---|"]
        for i, row in enumerate(v.actions, start=1):
            lines.append(f"| {i} | **{cell(row.status_label)}** | {row.rule_id} | {_target(row)} | {cell(row.gap)} | "
                         f"{_finding(row, v)} | {cell(row.location or '')} | {cell(row.todo)} |")
        lines.append("")
    lines += [f"## {m('report.findings')}", ""]
    for section in v.sections:
        if not section.rows:
            continue
        lines += [f"### {cell(section.name)}", "", cell(section.rollup_text), ""]
        detailed = [r for r in section.rows if r.status != "PASS"]
        passed = [r for r in section.rows if r.status == "PASS"]
        if detailed:
            lines += [f"| {m('col.status')} | {m('col.rule')} | {m('col.target')} | {m('col.finding')} | "
                      f"{m('col.cell')} |", "|---|---|---|---|---|"]
            lines += [f"| {cell(r.status_label)} | {r.rule_id} | {_target(r)} | {_finding(r, v)} | "
                      f"{cell(r.location or '')} |" for r in detailed]
            lines.append("")
        lines += [f"- {cell(r.status_label)} · {r.rule_id} · {_target(r)}"
                  + (f" · {cell(r.location)}" if r.location else "") for r in passed]
        if passed:
            lines.append("")
    if v.quality:
        lines += [f"## {m('text.data_quality')}", ""]
        lines += [f"- **{cell(q['label'])}**: {cell(q['message'])}"
                  + (f" ({cell(q['location'])})" if q["location"] else "")
                  for q in v.quality]
        lines.append("")
    if v.reading or v.unmatched:
        lines += [f"## {m('report.reading')}", ""]
        for group in v.read_groups:
            if group.title is None:
                lines += [f"- {cell(line)}" for line in group.lines]
            else:
                lines += [f"- **{cell(group.title)}**"] + [f"  - {cell(line)}" for line in group.lines]
        lines += [f"- {m('text.unrecognised')}: {cell(u['text'])}" for u in v.unmatched]
        lines.append("")
    if v.hidden_na:
        lines += [cell(m("report.na_hidden", n=v.hidden_na)), ""]
    if v.facility_summary:
        lines += [m("text.facilities_summary", **v.facility_summary), ""]
    return "\n".join(lines)
