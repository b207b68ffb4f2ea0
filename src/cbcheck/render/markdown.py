"""``--format markdown``: for pasting into reports and tickets."""

from __future__ import annotations

from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.safe import markdown_safe
from cbcheck.render.common import (sections_of, exit_code, facility_entries, policy_status, policy_title, rule_title, rules_by_id,
                                   short_sha, status_label, strength_label, summary_line, verdict_label)


def cell(text: str) -> str:
    """Text safe inside a table cell: markdown and HTML inert (:func:`~cbcheck.render.safe.markdown_safe`:
    no link, image, tag or emphasis can start in it), line breaks as <br>."""
    return markdown_safe(text).replace("\n", "<br>")


def code(text: str) -> str:
    """A code span inside a table cell (HTML is inert there; pipes still end the cell)."""
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def render(report: Report, opts: RenderOptions) -> str:
    m = opts.m
    p, s = report.policy, report.submission
    rules = rules_by_id(p)
    lines = [f"# cbcheck: {cell(policy_title(p, m))}", "",
             "- " + m("md.policy", id=p.id, status=policy_status(p, m), sha=short_sha(p.sha256)),
             "- " + m("md.submission", path=cell(s.path), sha=short_sha(s.sha256)),
             "- " + m("md.entity_line", entity=cell(s.entity or m("text.not_stated")), year=report.year),
             "- " + m("md.verdict", verdict=verdict_label(report.verdict(), m), code=exit_code(report)),
             "- " + m("md.summary", line=summary_line(report, m)), ""]
    for section, findings in sections_of(report.findings):
        lines += [f"## {cell(section)}", "",
                  f"| {m('col.status')} | {m('col.rule')} | {m('col.target')} | {m('col.finding')} | "
                  f"{m('col.cell')} |", "|---|---|---|---|---|"]
        for f in findings:
            target = (rule_title(f, rules, m) + (f" ({f.target_year})" if f.target_year else "")
                      + f", {strength_label(f.strength, m)}")
            finding = cell(f.message) + (f"<br>{code(f.arithmetic)}" if f.arithmetic else "")
            listed, more = facility_entries(f)
            finding += "".join(f"<br>{status_label(e['status'], m)} {cell(str(e['facility']))} "
                               f"({cell(e['location'])}): {cell(e['message'])}" for e in listed)
            if more:
                finding += "<br>" + cell(m("text.facility_more", n=more).strip())
            lines.append(f"| {status_label(f.status, m)} | {f.rule_id} | {cell(target)} | {finding} | "
                         f"{cell(f.location or '')} |")
        lines.append("")
    if report.quality:
        lines += [f"## {m('text.data_quality')}", ""]
        lines += [f"- **{q.check}**: {cell(q.message)}" + (f" ({cell(q.location)})" if q.location else "")
                  for q in report.quality]
        lines.append("")
    return "\n".join(lines)
