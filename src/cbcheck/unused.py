"""Values a submission gave that no judged finding read, each listed with the reason.

The rule "never silent": a row the reader recognised (单位产品综合能耗 on an enterprise's sheet)
is either read by a rule that judged it or named in the report's reading notes, saying why not:

- every rule that would read it does not apply to this submission (a city's or county's rule on
  an enterprise's file, a clause addressed to another class of enterprise, a city total a county
  is not allocated) — the first one's reason is quoted;
- it is read only by rules not due in the reporting year (target year later, no trajectory);
- no rule of the plan reads it at all.

Which indicators a judged rule read is recorded as it reads (:attr:`SeriesBuilder.touched`), so
components (energy and GDP for an intensity), growth indices and yearly rates count as read
exactly when the arithmetic used them. A rule that did not apply never read anything; for it the
indicators it *would* read are worked out from the catalogue (:func:`would_read`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import Finding, Observation, Status, Submission
from cbcheck.readnote import ReadNote

# A rule in these states looked at its values without judging them this year.
UNJUDGED = frozenset({Status.NOT_APPLICABLE, Status.NOT_DUE})
MAX_RULES = 3           # rules named per line; the rest counted
MAX_CELLS = 3


def would_read(indicator: str, cat: Catalogue) -> set[str]:
    """The indicators a rule on ``indicator`` reads: itself, its reported reduction rate, the
    components it is derived from (recursively), and a GDP component's real-growth rows."""
    out: set[str] = set()
    todo = [indicator]
    while todo:
        ind = todo.pop()
        if ind in out or ind not in cat:
            continue
        out.add(ind)
        todo += [f"{ind}_reduction", f"{ind}_index", f"{ind}_growth", ind.removesuffix("_reduction")]
        todo += list((cat[ind].derive or {}).get("ratio") or ())
    return out


def _some(items: Iterable[object], most: int) -> Msg:
    """The first ``most`` items as a listing, the rest counted: ``A、B、C (+2)``."""
    items = list(dict.fromkeys(str(i) for i in items))
    more = [f"(+{len(items) - most})"] if len(items) > most else []
    return Msg.listing(items[:most] + more)


def unused_notes(submission: Submission, cat: Catalogue, findings: Iterable[Finding],
                 read: Mapping[str, set[str]]) -> list[ReadNote]:
    """One ``value_unused`` note per recognised indicator of ``submission`` that no judged
    finding read (``read``: rule id → indicators its evaluation looked up)."""
    by_indicator: dict[str, list[Observation]] = {}
    for o in submission.observations:
        if o.indicator in cat:
            by_indicator.setdefault(o.indicator, []).append(o)
    findings = list(findings)
    judged = set().union(*(read.get(f.rule_id, set()) for f in findings if f.status not in UNJUDGED))
    notes = []
    for ind, rows in by_indicator.items():
        if ind in judged:
            continue
        years = sorted({o.year for o in rows if o.year is not None})
        params: dict[str, Any] = {"label": cat[ind].name, "location": _some((o.location for o in rows), MAX_CELLS),
                  "years": Msg.listing(years) if years else "—"}
        not_due = [f for f in findings if f.status is Status.NOT_DUE and ind in read.get(f.rule_id, ())]
        out_of_scope = [f for f in findings if f.status is Status.NOT_APPLICABLE
                        and ind in would_read(f.indicator, cat)]
        if not_due:
            due = sorted({f.target_year for f in not_due if f.target_year is not None})
            notes.append(ReadNote("value_unused", "read.unused_not_due", due=Msg.listing(due) if due else "—",
                                  rules=_some((f.rule_id for f in not_due), MAX_RULES), **params))
        elif out_of_scope:
            notes.append(ReadNote("value_unused", "read.unused_not_applicable",
                                  rules=_some((f.rule_id for f in out_of_scope), MAX_RULES),
                                  why=phrase(out_of_scope[0].message), **params))
        else:
            notes.append(ReadNote("value_unused", "read.unused_no_rule", **params))
    return notes
