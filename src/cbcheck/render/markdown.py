"""``--format markdown``: for pasting into reports and tickets."""

from __future__ import annotations

from cbcheck.engine import sections_of
from cbcheck.model import Report
from cbcheck.render.common import (FACILITY_LIST_LIMIT, STRENGTH_LABEL, exit_code, facility_result, short_sha,
                                   summary_line)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render(report: Report) -> str:
    p, s = report.policy, report.submission
    lines = [f"# cbcheck: {p.title}", "",
             f"- Policy: `{p.id}` ({p.status}), sha256 `{short_sha(p.sha256)}`",
             f"- Submission: `{s.path}`, sha256 `{short_sha(s.sha256)}`",
             f"- Entity: {s.entity or '(not stated)'} · Year: {report.year}",
             f"- Verdict: **{report.verdict()}** (exit {exit_code(report)})",
             f"- Summary: {summary_line(report)}", ""]
    for section, findings in sections_of(report.findings):
        lines += [f"## {section}", "", "| Status | Rule | Target | Finding | Cell |", "|---|---|---|---|---|"]
        for f in findings:
            target = f"{f.title}" + (f" ({f.target_year})" if f.target_year else "") + f", {STRENGTH_LABEL[f.strength]}"
            finding = f.message + (f"<br>`{f.arithmetic}`" if f.arithmetic else "")
            result = facility_result(f)
            if result is not None:
                listed = [e for _, e in zip(range(FACILITY_LIST_LIMIT), result.entries(include_pass=False))]
                finding += "".join(f"<br>{e['status']} {e['facility']} ({e['location']}): {e['message']}" for e in listed)
            lines.append(f"| {f.status.value} | {f.rule_id} | {_cell(target)} | {_cell(finding)} | {f.location or ''} |")
        lines.append("")
    if report.quality:
        lines += ["## Data quality", ""]
        lines += [f"- **{q.check}**: {q.message}" + (f" ({q.location})" if q.location else "") for q in report.quality]
        lines.append("")
    return "\n".join(lines)
