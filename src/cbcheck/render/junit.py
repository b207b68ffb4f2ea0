"""``--format junit``: JUnit XML for CI dashboards (Jenkins, GitLab, GitHub test reporters).

One ``<testsuite>`` per submission, one ``<testcase>`` per rule, so a dashboard shows each
plan target as a test. A test case fails exactly when its finding makes the submission
non-compliant, mirroring the exit code:

- FAIL → ``<failure>``; ERROR → ``<error>``;
- MISSING → ``<failure>`` for a ``required`` rule, ``<skipped>`` otherwise;
- WARN → passes, or ``<failure>`` with ``--strict``;
- NOT_DUE, NOT_APPLICABLE → ``<skipped>``.

Data-quality notes are test cases too (failing only with ``--strict``). No timestamps, no
durations: the same input gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from cbcheck.model import Report
from cbcheck.render import RenderOptions
from cbcheck.render.common import xml_safe
from cbcheck.render.view import Row, build

if TYPE_CHECKING:
    from cbcheck.batch import FileResult


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_safe(str(v)) for k, v in attrs.items() if v is not None})
    if text:
        el.text = xml_safe(text)
    return el


def _outcome(f: Row, strict: bool) -> str | None:
    if f.status == "FAIL":
        return "failure"
    if f.status == "ERROR":
        return "error"
    if f.status == "MISSING":
        # a binding facility rule that cannot tell what it covers leaves the file incomplete, as an ERROR does
        return "failure" if f.required else "error" if f.undecided else "skipped"
    if f.status == "WARN":
        return "failure" if strict else None
    if f.status in ("NOT_DUE", "NOT_APPLICABLE", "WAIVED"):
        return "skipped"
    return None


def _detail(f: Row, m: object) -> str:
    lines = [f.message]
    if f.arithmetic:
        lines.append(f.arithmetic)
    if f.gap:
        lines.append(f.gap)
    if f.location:
        lines.append(m("text.cell", location=f.location))  # type: ignore[operator]
    lines.append(f"{f.section}: “{f.quote}”")
    return "\n".join(lines)


def suite(parent: ET.Element, report: Report, opts: RenderOptions) -> dict[str, int]:
    m = opts.m
    v = build(report, m, opts.catalogue, show_na=True, facility_limit=0)
    s = report.submission
    node = _el(parent, "testsuite", name=s.shown_path)
    props = _el(node, "properties")
    for name, value in (("policy", report.policy.id), ("entity", s.entity or ""), ("year", report.year),
                        ("verdict", report.verdict()), ("submission_sha256", s.sha256)):
        _el(props, "property", name=name, value=value)
    tally = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for f in v.rows:
        case = _el(node, "testcase", classname=report.policy.id, name=f"{f.rule_id} {f.title}")
        kind = _outcome(f, report.strict)
        label = f.status_label
        if kind == "skipped":
            _el(case, "skipped", message=f"{label}: {f.message}")
        elif kind is not None:
            _el(case, kind, _detail(f, m), message=f"{label}: {f.message}", type=f.status)
        if kind != "failure" and kind != "error":
            _el(case, "system-out", f"{label}: {_detail(f, m)}")
        tally["tests"] += 1
        if kind:
            tally[{"failure": "failures", "error": "errors", "skipped": "skipped"}[kind]] += 1
    for q in v.quality:
        case = _el(node, "testcase", classname=f"{report.policy.id}.data-quality",
                   name=f"{q['check']} {q['indicator']} {q['year'] or ''}".strip())
        text = q["message"] + ("\n" + m("text.cell", location=q["location"]) if q["location"] else "")
        if report.strict:
            _el(case, "failure", text, message=q["message"], type="DATA_QUALITY")
            tally["failures"] += 1
        else:
            _el(case, "system-out", text)
        tally["tests"] += 1
    for key, n in tally.items():
        node.set(key, str(n))
    _el(node, "system-out", f"{m('batch.verdict')}: {v.verdict_label} — {v.reason}")
    return tally


def _unreadable(parent: ET.Element, result: FileResult, opts: RenderOptions) -> dict[str, int]:
    if result.left_out is not None:           # a city workbook's sheet not judged (汇总, 说明): skipped, with why
        why = result.left_out.text(opts.lang)
        node = _el(parent, "testsuite", name=result.label, tests=1, failures=0, errors=0, skipped=1)
        case = _el(node, "testcase", classname="cbcheck", name=f"read {result.label}")
        _el(case, "skipped", message=why)
        return {"tests": 1, "failures": 0, "errors": 0, "skipped": 1}
    node = _el(parent, "testsuite", name=result.label, tests=1, failures=0, errors=1, skipped=0)
    case = _el(node, "testcase", classname="cbcheck", name=f"read {result.label}")
    _el(case, "error", str(result.error), message=str(result.error), type="UNREADABLE")
    return {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}


def _document(build: list) -> str:
    root = ET.Element("testsuites", {"name": "cbcheck"})
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for fn in build:
        for key, n in fn(root).items():
            total[key] += n
    for key, n in total.items():
        root.set(key, str(n))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(report: Report, opts: RenderOptions) -> str:
    return _document([lambda root: suite(root, report, opts)])


def render_results(results: list[FileResult], opts: RenderOptions) -> str:
    """A batch: one suite per file; a file that could not be read is a suite with one error."""
    build = []
    for r in results:
        if r.report is not None:
            build.append(lambda root, r=r: suite(root, r.report, opts.with_catalogue(r.catalogue)))
        else:
            build.append(lambda root, r=r: _unreadable(root, r, opts))
    return _document(build)
