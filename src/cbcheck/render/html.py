"""``--format html``: one self-contained, printable page for forwarding upward.

Failures first: the title an official forwards (<填报单位><年度>年度《<plan>》目标完成情况核查报告),
the verdict in words with its reason, the counts (each linking to its findings), the action list
(整改清单), then the findings by plan section with a roll-up each; a facility rule lists the
facilities it judged, failing ones first (name, observed, limit, cell).

No scripts, no fonts or images from the network: the CSS is inline and charts are inline
SVG. The page is a Jinja2 template with autoescaping on, so every string that comes from
the submission or the policy is escaped by construction; the renderer passes the view model.
"""

from __future__ import annotations

import functools
from typing import Any

from cbcheck import __version__
from cbcheck.checks.base import fmt
from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.safe import terminal_safe
from cbcheck.render.view import View, build


def _safe(x: Any) -> Any:
    """Control characters from a submission shown as escapes; markup built by the template stays."""
    from markupsafe import Markup

    return terminal_safe(x) if isinstance(x, str) and not isinstance(x, Markup) else x


@functools.cache
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("cbcheck.render", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True,
                             finalize=_safe)
    env.filters["fmtnum"] = fmt
    return env.get_template("report.html.j2")


def context(v: View) -> dict[str, Any]:
    return {"v": v, "m": v.m, "lang": "zh-CN" if v.lang == "zh" else "en", "version": __version__,
            "action_number": {r.rule_id: i for i, r in enumerate(v.actions, start=1)},
            "anchors": {r.status for r in v.actions}}      # a count links to its first row in the action list


def render(report: Report, opts: RenderOptions) -> str:
    v = build(report, opts.m, opts.cat(), show_na=opts.show_all, charts=True)
    return _template().render(**context(v))
