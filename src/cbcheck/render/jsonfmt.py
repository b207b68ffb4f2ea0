"""``--format json``: the stable, documented structure (schemas/report.schema.json).

Always valid RFC 8259 JSON: a non-finite number (an intensity over a GDP so small that the
division overflows) is written as ``null`` — the finding's message and arithmetic still say
what was computed — and ``json.dumps(allow_nan=False)`` makes any other one a bug, not a
``NaN`` that strict parsers reject.
"""

from __future__ import annotations

import json
import math
from typing import Any

from cbcheck import __version__
from cbcheck.model import Report
from cbcheck.render.common import facility_result, number
from cbcheck.render.view import facility_summary

FORMAT_VERSION = 1


def _facilities(f: Any) -> dict[str, Any] | None:
    result = facility_result(f)
    if result is None:
        return None
    return {"facility_type": result.facility_type, "counts": result.counts(), "entries": list(result.entries())}


def finite(value: Any) -> Any:
    """``value`` with every NaN and infinity (at any depth) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def as_dict(report: Report) -> dict[str, Any]:
    return finite(_as_dict(report))


def _as_dict(report: Report) -> dict[str, Any]:
    p, s = report.policy, report.submission
    return {
        "format_version": FORMAT_VERSION,
        "cbcheck_version": __version__,
        "policy": {"id": p.id, "title": p.title, "status": p.status, "sha256": p.sha256},
        "submission": {"path": s.path, "sha256": s.sha256, "entity": s.entity, "scope": s.scope,
                       "year": report.year, "meta": dict(sorted(s.meta.items())),
                       "unmatched": [{"label": u.label, "location": u.location, "suggestions": list(u.suggestions)}
                                     for u in s.unmatched]},
        "verdict": report.verdict(),
        "data_quality": [{"check": q.check, "indicator": q.indicator, "year": q.year, "location": q.location,
                          "message": q.message} for q in report.quality],
        "summary": report.counts(),
        "facility_summary": facility_summary(report),
        "findings": [
            {
                "rule_id": f.rule_id, "indicator": f.indicator, "indicator_name": f.indicator_name,
                "title": f.title, "status": f.status.value, "binding": f.binding, "strength": f.strength,
                "year": f.year, "target_year": f.target_year, "observed": number(f.observed),
                "expected": number(f.expected), "comparator": f.comparator, "unit": f.unit,
                "arithmetic": f.arithmetic, "location": f.location, "message": f.message,
                "assigned_by": f.assigned_by,
                "facilities": _facilities(f),
                "source": {"document": f.source.document, "section": f.source.section, "quote": f.source.quote},
            }
            for f in report.findings
        ],
    }


def render(report: Report, opts: object = None) -> str:
    """JSON is for machines: the same in every language."""
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
