"""``--format html``: one self-contained, printable page for forwarding upward.

No scripts, no fonts or images from the network: the CSS is inline and charts are inline
SVG. The page is a Jinja2 template with autoescaping on, so every string that comes from
the submission or the policy (entity, labels, sheet names, quotes, messages) is escaped
by construction; the renderer passes only plain values.
"""

from __future__ import annotations

import functools
from typing import Any

from cbcheck import __version__
from cbcheck.checks.base import fmt
from cbcheck.model import STATUS_ORDER, Report
from cbcheck.render import RenderOptions
from cbcheck.render.chart import build
from cbcheck.render.common import (sections_of, exit_code, indicator_label, policy_status, policy_title, rule_title,
                                   rules_by_id, scope_label, short_sha, status_label, strength_label,
                                   verdict_label)


@functools.cache
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("cbcheck.render", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["fmtnum"] = fmt
    return env.get_template("report.html.j2")


def _default_base(report: Report) -> int:
    period = report.policy.meta.get("period")
    return int(str(period)[:4]) - 1 if period else 2020


def context(report: Report, opts: RenderOptions) -> dict[str, Any]:
    m, cat = opts.m, opts.cat()
    p, s = report.policy, report.submission
    rules = rules_by_id(p)
    base = _default_base(report)
    sections = []
    for name, findings in sections_of(report.findings):
        items = []
        for f in findings:
            rule = rules.get(f.rule_id)
            items.append({
                "rule_id": f.rule_id, "status": f.status.value, "status_label": status_label(f.status, m),
                "title": rule_title(f, rules, m), "indicator": indicator_label(f, cat, m),
                "strength": strength_label(f.strength, m), "target_year": f.target_year,
                "message": f.message, "arithmetic": f.arithmetic, "location": f.location,
                "quote": f.source.quote, "assigned_by": f.assigned_by,
                "chart": build(f, rule, s, cat, base) if rule is not None else None,
            })
        sections.append({"name": name, "findings": items})
    counts = report.counts()
    verdict = report.verdict()
    meta = p.meta
    return {
        "m": m, "lang": "zh-CN" if m.lang == "zh" else "en", "version": __version__,
        "policy": {"title": policy_title(p, m), "id": p.id, "status": policy_status(p, m),
                   "sha": short_sha(p.sha256), "doc_number": meta.get("doc_number"), "issuer": meta.get("issuer"),
                   "date": meta.get("date")},
        "submission": {"path": s.path, "sha": short_sha(s.sha256), "entity": s.entity or m("text.not_stated"),
                       "date": s.meta.get("date"), "scope": scope_label(s.scope, m)},
        "year": report.year, "verdict": verdict, "verdict_label": verdict_label(verdict, m),
        "exit": exit_code(report),
        "counts": [{"status": st.value, "label": status_label(st, m), "n": counts[st.value]} for st in STATUS_ORDER
                   if st.value in counts],
        "unmatched": [{"label": u.label, "location": u.location, "suggestions": ", ".join(u.suggestions)}
                      for u in s.unmatched],
        "quality": [{"check": q.check, "message": q.message, "location": q.location} for q in report.quality],
        "strict": report.strict, "sections": sections,
    }


def render(report: Report, opts: RenderOptions) -> str:
    return _template().render(**context(report, opts))
