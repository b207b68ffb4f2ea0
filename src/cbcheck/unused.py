"""Values a submission gave that no judged finding read, each listed with the reason.

The rule "never silent": a row the reader recognised (单位产品综合能耗 on an enterprise's sheet)
is either read by a rule that judged it or named in the report's reading notes, saying why not:

- every rule that would read it does not apply to this submission (a city's or county's rule on
  an enterprise's file, a clause addressed to another class of enterprise, a city total a county
  is not allocated) — the first one's reason is quoted;
- it is read only by rules not due in the reporting year (target year later, no trajectory);
- no rule of the plan reads it at all.

A facility table's recognised column (an attribute or an indicator, 产能, 投产年份) is listed
the same way when no judged rule reads it: not the rule's indicator (in any year's column),
nor an attribute its conditions, categories or share weights name, nor the 运行状态 a closure
rule consults (:func:`facility_reads`).

Which indicators a judged rule read is recorded as it reads (:attr:`SeriesBuilder.touched`), so
components (energy and GDP for an intensity), growth indices and yearly rates count as read
exactly when the arithmetic used them. A rule that did not apply never read anything; for it the
indicators it *would* read are worked out from the catalogue (:func:`would_read`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg, Word
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


def _strings(value: Any) -> set[str]:
    """Every string in a rule's parameters, keys included: the attributes its conditions name."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(k) | _strings(v) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return set().union(*(_strings(v) for v in value))
    return set()


def facility_reads(indicator: str, params: dict[str, Any], cat: Catalogue) -> set[str]:
    """The facility columns a rule on ``indicator`` reads: the indicator, the attributes its
    parameters name, a closure rule's 运行状态, and what a share it is derived from weighs and tests."""
    from cbcheck.facility_rules import CLOSURE_INDICATORS

    out = {indicator} | _strings(params)
    if indicator in CLOSURE_INDICATORS:
        out.add("status")
    for ind in would_read(indicator, cat):
        out |= _strings((cat[ind].derive or {}).get("facility_share") or {})
    return out


def _column_name(column: str, cat: Catalogue) -> str:
    from cbcheck.facilities import facility_catalogue

    if column in cat:
        return cat[column].word
    attr = facility_catalogue().attributes.get(column)
    return Word(zh=attr.name, en=attr.name_en) if attr is not None else column


def _some(items: Iterable[object], most: int) -> Msg:
    """The first ``most`` items as a listing, the rest counted: ``A、B、C 及另外 2 项`` / ``A, B, C and 2 more``."""
    items = list(dict.fromkeys(str(i) for i in items))
    if len(items) <= most:
        return Msg.listing(items)
    return Msg("read.some", items=Msg.listing(items[:most]), more=len(items) - most)


def _note(key: str, later: list[Finding], other: list[Finding], params: dict[str, Any]) -> ReadNote:
    """``read.<key>_not_due`` naming the rules not yet due, else ``_not_applicable`` quoting why the
    first rule does not apply, else ``_no_rule``."""
    if later:
        due = sorted({f.target_year for f in later if f.target_year is not None})
        return ReadNote("value_unused", f"read.{key}_not_due", due=Msg.listing(due) if due else "—",
                        rules=_some((f.rule_id for f in later), MAX_RULES), **params)
    if other:
        return ReadNote("value_unused", f"read.{key}_not_applicable", why=phrase(other[0].message),
                        rules=_some((f.rule_id for f in other), MAX_RULES), **params)
    return ReadNote("value_unused", f"read.{key}_no_rule", **params)


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
    not_due = [(f, read.get(f.rule_id, ())) for f in findings if f.status is Status.NOT_DUE]
    # what each rule that does not apply would read: worked out once per indicator, not once per
    # unused row (61 such rules × the rows made the county check 10 % slower)
    wanted: dict[str, set[str]] = {}
    for f in findings:
        if f.status is Status.NOT_APPLICABLE and f.indicator not in wanted:
            wanted[f.indicator] = would_read(f.indicator, cat)
    not_applicable = [(f, wanted[f.indicator]) for f in findings if f.status is Status.NOT_APPLICABLE]
    notes = []
    for ind, rows in by_indicator.items():
        if ind in judged:
            continue
        years = sorted({o.year for o in rows if o.year is not None})
        later = [f for f, reads in not_due if ind in reads]
        other = [f for f, reads in not_applicable if ind in reads]
        notes.append(_note("unused", later, other, {
            "label": cat[ind].word, "location": _some((o.location for o in rows), MAX_CELLS),
            "years": Msg.listing(years) if years else "—"}))
    return notes


def unused_columns(submission: Submission, cat: Catalogue, findings: Iterable[Finding],
                   rules: Mapping[str, Any]) -> list[ReadNote]:
    """One ``value_unused`` note per recognised facility column no judged rule reads (``rules``:
    rule id → Rule, for the parameters)."""
    if not submission.facilities:
        return []
    findings = list(findings)
    reads = {f.rule_id: facility_reads(f.indicator, rules[f.rule_id].params if f.rule_id in rules else {}, cat)
             for f in findings}
    judged = set().union(*(reads[f.rule_id] for f in findings if f.status not in UNJUDGED))
    notes = []
    for table in submission.facilities:
        for column in table.columns:
            base = column.split("@")[0]
            if column.startswith("_") or base in judged or base in ("remark", "owner"):
                continue     # 备注: its own note says how it is read; the owner is said with each name
            later = [f for f in findings if f.status is Status.NOT_DUE and base in reads[f.rule_id]]
            other = [f for f in findings if f.status is Status.NOT_APPLICABLE and base in reads[f.rule_id]]
            notes.append(_note("unused_column", later, other,
                               {"label": _column_name(base, cat), "location": table.header_location(column)}))
    return notes
