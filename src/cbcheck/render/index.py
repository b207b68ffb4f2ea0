"""The index of a batch written with ``--output-dir``: ``index.html`` and ``汇总表.xlsx``, one row per
submission (entity, verdict, counts, the first problems, links to each report), failures first.

A county office forwards the folder; whoever opens it sees first which files need work. Both are
built from the same plain rows (:func:`rows`); the renderers of the per-file reports are not used.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbcheck.render import RenderOptions
from cbcheck.render.common import COUNTED
from cbcheck.render.safe import terminal_safe
from cbcheck.render.view import build

if TYPE_CHECKING:
    from cbcheck.batch import FileResult

FIRST_PROBLEMS = 3
# non-compliant first, then what could not be checked, then compliant
_RANK = {"non-compliant": 0, "unreadable": 1, "incomplete": 2, "compliant": 3, "not-checked": 4}


def rows(results: list[FileResult], links: dict[tuple[Path, str | None], list[str]],
         opts: RenderOptions) -> list[dict[str, Any]]:
    """One plain row per file (per sheet of a city workbook), sorted failures first (then by file name)."""
    from cbcheck.model import sheet_label

    m = opts.m
    out = []
    for r in results:
        reason = str(r.error) if r.error is not None else r.left_out.text(m.lang) if r.left_out is not None else ""
        row: dict[str, Any] = {"file": sheet_label(r.path.name, r.sheet), "path": r.label, "verdict": r.verdict,
                               "verdict_label": m.get(f"verdict.{r.verdict}", r.verdict), "exit": r.exit_code,
                               "links": links.get(r.key, []), "entity": "", "counts": {}, "problems": [],
                               "reason": reason}
        if r.report is not None:
            v = build(r.report, m, r.catalogue, facility_limit=0)
            row.update(entity=r.report.submission.entity or "", reason=v.reason,
                       counts={s.value: r.report.counts()[s.value] for s in COUNTED},
                       problems=[f"{a.status_label} · {a.rule_id}" + (f" · {a.gap}" if a.gap else "")
                                 for a in v.actions[:FIRST_PROBLEMS]])
        out.append(row)
    return sorted(out, key=lambda x: (_RANK.get(x["verdict"], 1), x["file"]))


def render_html(table: list[dict[str, Any]], opts: RenderOptions, plans: str) -> str:
    m = opts.m

    def e(text: Any) -> str:
        return html.escape(terminal_safe(str(text)))

    head = [m("batch.file"), m("batch.entity"), m("batch.verdict"), *[m(f"status.{s.value}") for s in COUNTED],
            m("batch.first_failures"), m("batch.report")]
    lines = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if m.lang == "zh" else "en"}">', "<head>",
             '<meta charset="utf-8">', f"<title>{e(m('batch.index_title', plans=plans))}</title>",
             "<style>body{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;"
             "margin:1.5rem;color:#1f2328}table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #d0d7de;"
             "padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#f6f8fa}td.n{text-align:right}"
             ".v-non-compliant{background:#ffc7ce}.v-compliant{background:#c6efce}.v-incomplete,.v-unreadable"
             "{background:#ffeb9c}@page{size:A4 landscape;margin:12mm}</style>", "</head>", "<body>",
             f"<h1>{e(m('batch.index_title', plans=plans))}</h1>", "<table>",
             "<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    for row in table:
        counts = "".join(f'<td class="n">{row["counts"].get(s.value, "")}</td>' for s in COUNTED)
        links = " ".join(f'<a href="{html.escape(name)}">{e(Path(name).suffix.lstrip("."))}</a>'
                         for name in row["links"])
        lines.append(f'<tr class="v-{e(row["verdict"])}"><td>{e(row["file"])}</td><td>{e(row["entity"])}</td>'
                     f'<td><strong>{e(row["verdict_label"])}</strong><br>{e(row["reason"])}</td>{counts}'
                     f'<td>{"<br>".join(e(p) for p in row["problems"])}</td><td>{links}</td></tr>')
    lines += ["</table>", "</body>", "</html>", ""]
    return "\n".join(lines)


def render_xlsx(table: list[dict[str, Any]], opts: RenderOptions, plans: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from cbcheck.render.xlsx import VERDICT_FILL, _fill
    from cbcheck.render.xlsxio import put, to_bytes

    m = opts.m
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = m("batch.index_sheet")
    put(ws, 1, 1, m("batch.index_title", plans=plans)).font = Font(bold=True, size=14)
    head = [m("batch.file"), m("batch.entity"), m("batch.verdict"), *[m(f"status.{s.value}") for s in COUNTED],
            m("batch.first_failures"), m("batch.report")]
    for c, h in enumerate(head, start=1):
        put(ws, 3, c, h).font = Font(bold=True)
    for i, row in enumerate(table, start=4):
        values = [row["file"], row["entity"], f"{row['verdict_label']} — {row['reason']}",
                  *[row["counts"].get(s.value) for s in COUNTED], "\n".join(row["problems"])]
        for c, value in enumerate(values, start=1):
            cell = put(ws, i, c, terminal_safe(value) if isinstance(value, str) else value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=i, column=3).fill = _fill(VERDICT_FILL.get(row["verdict"], "FFEB9C"))
        for k, name in enumerate(row["links"]):
            link = put(ws, i, len(values) + 1 + k, name)
            link.hyperlink = Hyperlink(ref=link.coordinate, target=name)
            link.font = Font(color="FF0563C1", underline="single")
    for col, width in zip("ABCDEFGHIJK", (28, 22, 40, 8, 8, 8, 8, 8, 44, 30, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return to_bytes(wb)
