"""``--format json``: the stable, documented structure (schemas/report.schema.json).

Always valid RFC 8259 JSON: a non-finite number (an intensity over a GDP so small that the
division overflows) is written as ``null`` — the finding's message and arithmetic still say
what was computed — and ``json.dumps(allow_nan=False)`` makes any other one a bug, not a
``NaN`` that strict parsers reject.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from cbcheck import __version__
from cbcheck.model import Finding, Report
from cbcheck.render.common import facility_result, number
from cbcheck.render.reading import as_json as reading_json
from cbcheck.render.facility_count import facility_summary

FORMAT_VERSION = 1


def _facilities(f: Any, all_facilities: bool, lazy: list[Any] | None = None) -> dict[str, Any] | None:
    """A facility rule's counts and entries: breaches and missing data always, passing facilities
    only with ``--all-facilities`` (the counts say how many). With ``lazy``, the entries are left
    to :func:`stream` (the result is kept in ``lazy``) and a placeholder stands in the dict."""
    result = facility_result(f)
    if result is None:
        return None
    if lazy is not None:
        lazy.append(result)
        return {"facility_type": result.facility_type, "counts": result.counts(),
                "entries": f"{_PLACEHOLDER}{len(lazy) - 1}"}
    return {"facility_type": result.facility_type, "counts": result.counts(),
            "entries": list(result.entries(include_pass=all_facilities))}


def finite(value: Any) -> Any:
    """``value`` with every NaN and infinity (at any depth) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


_PLACEHOLDER = "\u0000entries:"


def as_dict(report: Report, all_facilities: bool = False, lazy: list[Any] | None = None) -> dict[str, Any]:
    """The report as JSON data; NaN and infinities are null (RFC 8259 has neither)."""
    return finite(_as_dict(report, all_facilities, lazy))


def year_said(report: Report) -> dict[str, Any]:
    """``year_said`` where the year judged is not the one the file says it reports (engine._year_said: the
    text verdict's reason says it first): a 2025 title over 2020年 | 2024年 | 2025年目标 is judged on 2024,
    and a job reading ``year`` alone would file it as 2025's. Absent otherwise (additive, README)."""
    said = report.submission.said_year() if report.year_reason is not None else None
    return {} if said is None else {"year_said": {"year": said[0], "from": said[1]}}


def _blank(f: Finding) -> dict[str, Any]:
    """What a finding's blanks do to the verdict (cbcheck.required), only where they do something, so
    that ``select(.required)`` finds what made a file 不合规 and ``select(.coverage_unknown)`` the rules
    that cannot tell which facilities they cover (无法完整评估 unless something else failed). Absent
    otherwise (additive, README)."""
    out: dict[str, Any] = {"required": True} if f.missing_required else {}
    if f.coverage_unknown:
        out["coverage_unknown"] = f.coverage_unknown
    return out


def _as_dict(report: Report, all_facilities: bool = False, lazy: list[Any] | None = None) -> dict[str, Any]:
    p, s = report.policy, report.submission
    return {
        "format_version": FORMAT_VERSION,
        "cbcheck_version": __version__,
        "policy": {"id": p.id, "title": p.title, "status": p.status, "sha256": p.sha256},
        "submission": {"path": s.path, "sha256": s.sha256, "entity": s.entity, "scope": s.scope,
                       "year": report.year, **year_said(report), "meta": dict(sorted(s.meta.items())),
                       "unmatched": [{"label": u.label, "location": u.location, "suggestions": list(u.suggestions)}
                                     for u in s.unmatched]},
        "reading": reading_json(s.notes),
        "verdict": report.verdict(),
        "data_quality": [{"check": q.check, "indicator": q.indicator, "year": q.year, "location": q.location,
                          "message": q.message} for q in report.quality],
        "summary": report.counts(),
        "facility_summary": facility_summary(report),
        "findings": [
            {
                "rule_id": f.rule_id, "indicator": f.indicator, "indicator_name": f.indicator_name,
                "title": f.title, "status": f.status.value, **_blank(f), "binding": f.binding, "strength": f.strength,
                "year": f.year, "target_year": f.target_year, "observed": number(f.observed),
                "expected": number(f.expected), "comparator": f.comparator, "unit": f.unit,
                "arithmetic": f.arithmetic, "location": f.location, "message": f.message,
                "assigned_by": f.assigned_by,
                "facilities": _facilities(f, all_facilities, lazy),
                "source": {"document": f.source.document, "section": f.source.section, "quote": f.source.quote},
            }
            for f in report.findings
        ],
    }


def render(report: Report, opts: object = None) -> str:
    """JSON is for machines: the same in every language."""
    return "".join(stream(report, opts))


def pieces(report: Report, opts: object = None) -> Iterator[str | bytes]:
    """:func:`stream` with the facility entries as UTF-8 bytes, for a file or a stream's buffer."""
    return stream(report, opts, raw=True)


def joined(pieces: Iterable[str | bytes]) -> str:
    return "".join(p if isinstance(p, str) else str(p, "utf-8") for p in pieces)


def write_pieces(out: TextIO, pieces: Iterable[str | bytes]) -> None:
    """Write pieces to a text stream; bytes go to its binary buffer as they are, where it has one
    and writes line breaks as they are."""
    binary = getattr(out, "buffer", None) if os.linesep == "\n" else None
    for piece in pieces:
        if isinstance(piece, str):
            out.write(piece)
        elif binary is None:
            out.write(str(piece, "utf-8"))
        else:
            out.flush()
            binary.write(piece)


def stream(report: Report, opts: object = None, *, nest: int = 0, all_facilities: bool | None = None,
           raw: bool = False) -> Iterator[Any]:
    """The report in pieces, a block of facility entries at a time: a million facilities are
    never a million dicts (or one big string) at once. The text is
    ``json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\\n"`` except that each facility
    entry is one line, put together from the listing's columns (:mod:`cbcheck.render.jsonlines`:
    the indented pure-Python encoder took 5 s for 220,000 breaches, one C-encoder call per entry
    dict still half of a 1M-row report).

    With ``nest``, the report is a value inside an indented document (the batch report), its key
    indented ``nest`` spaces: every line is indented that much more, the entries are indented as
    ``json.dumps(indent=2)`` writes them (that document's format since it was first written), and
    there is no final newline. With ``raw``, the entries come as UTF-8 bytes (the rest as text)."""
    lazy: list[Any] = []
    if all_facilities is None:
        all_facilities = bool(getattr(opts, "all_facilities", False))
    text = json.dumps(as_dict(report, all_facilities, lazy), ensure_ascii=False, indent=2, allow_nan=False)
    if nest:
        text = text.replace("\n", "\n" + " " * nest)     # a JSON string holds no raw line break
    for i, result in enumerate(lazy):
        # with its key: a string's own quotes are escaped, so no text in the report reads so
        head, text = text.split('"entries": ' + json.dumps(f"{_PLACEHOLDER}{i}"), 1)
        yield head + '"entries": '
        from cbcheck.render.jsonlines import Layout, entry_lines     # numpy: facility reports only

        indent = len(head) - head.rfind("\n") - 1
        yield from entry_lines(result, all_facilities, indent,
                               Layout.indented(indent) if nest else Layout.one_line(indent), raw)
    yield text if nest else text + "\n"
