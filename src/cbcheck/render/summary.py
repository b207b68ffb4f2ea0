"""A batch on stdout: every file's report (unless --quiet or --output-dir) and one summary
table (file, entity, counts, verdict), in the chosen format.

- text, markdown: the reports one after another, then the summary table;
- json: one object ``{"files": [{path, sheet, entity, verdict, year, [year_said,] exit, summary, error,
  not_checked, report}], "exit"}`` (a city workbook: an entry per sheet, ``sheet`` naming it;
  ``not_checked`` says why a sheet was not judged);
- csv: one header and every file's findings (a row for a file that cannot be read), or with
  --quiet one row per file;
- junit: one ``<testsuites>`` with a test suite per file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rich import box
from rich.markup import escape
from rich.table import Table

from cbcheck import __version__
from cbcheck.exitcodes import worst as worst_exit
from cbcheck.render import RenderOptions, render
from cbcheck.render.common import COUNTED, status_label, verdict_label

if TYPE_CHECKING:
    from cbcheck.batch import FileResult

BATCH_FORMATS = ("text", "markdown", "json", "csv", "junit")
_RANK = {"non-compliant": 0, "unreadable": 1, "incomplete": 2, "compliant": 3, "not-checked": 4}


def _failures_first(results: list[FileResult]) -> list[FileResult]:
    return sorted(results, key=lambda r: _RANK.get(r.verdict, 1))


def _short(path: object, width: int = 40) -> str:
    """A long path shortened from the left (…/报送/济宁市示例县.xlsx): the file name matters most."""
    text = str(path)
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _row(r: FileResult, opts: RenderOptions) -> list[str]:
    m = opts.m
    entity = (r.report.submission.entity or "") if r.report else ""
    counts = r.report.counts() if r.report else {}
    verdict = verdict_label(r.verdict, m)
    return [_short(r.label), entity, *[str(counts[s.value]) if r.report else "" for s in COUNTED],
            f"{verdict} ({r.exit_code})"]


def _header(opts: RenderOptions) -> list[str]:
    m = opts.m
    return [m("batch.file"), m("batch.entity"), *[status_label(s, m) for s in COUNTED], m("batch.verdict")]


def _totals(results: list[FileResult], opts: RenderOptions) -> str:
    m = opts.m
    tally: dict[str, int] = {}
    for r in results:
        tally[r.verdict] = tally.get(r.verdict, 0) + 1
    parts = " · ".join(f"{n} {verdict_label(v, m)}" for v, n in tally.items())
    code = worst_exit([r.exit_code for r in results])
    if any(r.sheet is not None for r in results):          # a city workbook: its sheets are counted, not it
        return m("batch.totals_sheets", n=len(results), parts=parts or "—", code=code)
    return m("batch.totals", n=len(results), parts=parts or "—", code=code)


def _below_table(results: list[FileResult], opts: RenderOptions) -> list[str]:
    """A city workbook's sheets not judged, each with why (the table says only 未核查); then the files
    whose verdict alone would hide something, as -q's line says it (a 合规 judged on 2024 for a file that
    says 2025: render/quiet.remarks)."""
    from cbcheck.render.quiet import remarks

    said = [opts.m("batch.not_checked", file=r.label, why=r.left_out.text(opts.lang))
            for r in results if r.left_out is not None]
    for r in _failures_first(results):
        why = remarks(r.report, opts.lang) if r.report is not None else []
        if why:
            said.append(opts.m("batch.remark", file=r.label, verdict=verdict_label(r.verdict, opts.m),
                               why=opts.m("reason.sep").join(why)))
    return said


def summary_text(results: list[FileResult], opts: RenderOptions) -> str:
    from cbcheck.render.text import console_for

    buf = io.StringIO()
    console = console_for(buf, opts)
    table = Table(box=box.SIMPLE_HEAD if opts.color else box.ASCII2, show_edge=False, pad_edge=False,
                  title=None, expand=False)
    for i, label in enumerate(_header(opts)):
        table.add_column(label, justify="right" if 2 <= i < 2 + len(COUNTED) else "left",
                         overflow="fold")
    for r in _failures_first(results):
        table.add_row(*[escape(c) for c in _row(r, opts)])
    console.print(f"[bold]{escape(opts.m('batch.title'))}[/bold]")
    console.print(table)
    for line in _below_table(results, opts):
        console.print(escape(line))
    console.print(escape(_totals(results, opts)))
    return buf.getvalue()


def summary_markdown(results: list[FileResult], opts: RenderOptions) -> str:
    from cbcheck.render.markdown import cell

    header = _header(opts)
    lines = [f"## {opts.m('batch.title')}", "", "| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in _row(r, opts)) + " |" for r in _failures_first(results)]
    listed = _below_table(results, opts)
    lines += ["", *(f"- {cell(line)}" for line in listed)] if listed else []
    return "\n".join(lines + ["", _totals(results, opts), ""])


_REPORT = "\u0000report:"


def _file_json(r: FileResult, with_report: bool, index: int) -> dict[str, Any]:
    """A file's entry; its report is a marker for :func:`batch_pieces` to put the report in."""
    from cbcheck.render.jsonfmt import year_said

    rep = r.report
    return {"path": str(r.path), "sheet": r.sheet, "entity": rep.submission.entity if rep else None,
            "policy": rep.policy.id if rep else None, "verdict": r.verdict,
            "year": rep.year if rep else None, **(year_said(rep) if rep else {}), "exit": r.exit_code,
            "summary": rep.counts() if rep else None, "error": None if r.error is None else str(r.error),
            "not_checked": None if r.left_out is None else r.left_out.text("en"),
            **({"report": f"{_REPORT}{index}" if rep else None} if with_report else {})}


def _json_pieces(results: list[FileResult], include_reports: bool) -> Iterator[str | bytes]:
    """The batch as one JSON document, ``json.dumps(..., indent=2)`` of every file's entry with
    its whole report, written a report at a time and each report's facility entries a block at a
    time (:func:`cbcheck.render.jsonfmt.stream`): a batch of large facility tables is never its
    entries as dicts, nor one string."""
    from cbcheck.render.jsonfmt import stream

    data = {"format_version": 1, "cbcheck_version": __version__,
            "exit": worst_exit([r.exit_code for r in results]),
            "files": [_file_json(r, include_reports, i) for i, r in enumerate(results)]}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    for i, r in enumerate(results):
        if not include_reports or r.report is None:
            continue
        head, text = text.split('"report": ' + json.dumps(f"{_REPORT}{i}"), 1)   # see jsonfmt.stream
        yield head + '"report": '
        yield from stream(r.report, nest=len(head) - head.rfind("\n") - 1, all_facilities=False, raw=True)
    yield text + "\n"


def batch_pieces(fmt: str, results: list[FileResult], opts: RenderOptions, *,
                 include_reports: bool) -> Iterator[str | bytes]:
    """:func:`render_batch` in pieces, to be written as they come (JSON is streamed)."""
    if fmt == "json":
        yield from _json_pieces(results, include_reports)
    else:
        yield render_batch(fmt, results, opts, include_reports=include_reports)


def render_batch(fmt: str, results: list[FileResult], opts: RenderOptions, *, include_reports: bool) -> str:
    if fmt == "json":
        from cbcheck.render.jsonfmt import joined

        return joined(_json_pieces(results, include_reports))
    if fmt == "junit":
        from cbcheck.render.junit import render_results

        return render_results(results, opts)
    if fmt == "csv":
        from cbcheck.render.csvfmt import render_results, render_summary

        return render_results(results, opts) if include_reports else render_summary(results, opts)
    parts: list[str] = []
    if include_reports:
        for r in results:
            if r.report is not None:
                out = render(fmt, r.report, opts.with_catalogue(r.catalogue))
                assert isinstance(out, str)
                parts.append(out if fmt == "text" else out + "\n")
    parts.append(summary_markdown(results, opts) if fmt == "markdown" else summary_text(results, opts))
    return ("\n" if fmt == "text" else "").join(parts)
