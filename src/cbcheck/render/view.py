"""The report as every renderer reads it: plain data built once, in the chosen language.

:func:`build` turns a :class:`~cbcheck.model.Report` into a :class:`View`: the verdict and its
one-line reason, the action list (整改清单: what failed, what could not be read, which required
values are missing, what warns — each with its gap and what to do), the findings grouped by plan
section in the plan's order with a roll-up per section, facility entries as plain rows, the
data-quality notes and how the file was read. Renderers format this view; they do not reach
into the engine or the findings' ``details`` (STYLE.md "Renderers read a view model").

Translation happens here too: finding messages, arithmetic, facility verdicts, data-quality
and reading notes are worded by the check kinds in English and translated through the
catalogues (:mod:`cbcheck.i18n.phrases`), so every renderer shows the same words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cbcheck.checks.base import advice
from cbcheck.exitcodes import for_verdict
from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg, Word
from cbcheck.i18n.phrases import translate
from cbcheck.model import STATUS_ORDER, Finding, Report, Rule, Status, Submission
from cbcheck.render.common import rule_title, rules_by_id
from cbcheck.render.facility_count import facility_summary
from cbcheck.render.facility_gap import facility_gap, facility_kind, gap_amount, undated_facilities
from cbcheck.render.sections import plan_order

if TYPE_CHECKING:
    from cbcheck.catalogue import Catalogue

FACILITY_LIST_LIMIT = 20       # per rule in the formats people read; json lists every facility
REASON_IDS = 3                 # rule ids named in the verdict's reason, per kind of problem
# The order of the action list: what makes the file non-compliant first.
ACTION_ORDER = (Status.FAIL, Status.ERROR, Status.MISSING, Status.WARN)


@dataclass
class Row:
    """One finding, plain: every value a renderer shows, already in the report language."""

    rule_id: str
    status: str                  # PASS, FAIL… (the enum's value, for css classes and colours)
    status_label: str
    title: str                   # the rule's title in the report language
    indicator: str
    indicator_name: str
    strength: str
    strength_label: str
    target_year: int | None
    observed: Any
    expected: Any
    comparator: str
    unit: str | None
    location: str | None
    message: str                 # translated
    arithmetic: str              # translated wording, same numbers
    message_en: str              # as the engine wrote it (json keeps this)
    arithmetic_en: str
    section: str
    quote: str
    document: str
    assigned_by: str | None
    binding: bool
    required: bool
    gap: str = ""                # 还差 2.1 个百分点 / 超出 12 克标准煤/千瓦时
    todo: str = ""               # what to do about it (action list only)
    facilities: list[dict[str, Any]] = field(default_factory=list)   # breaches and gaps first, plain rows
    facilities_more: int = 0
    facility_counts: dict[str, int] | None = None
    facility_type: str | None = None
    chart: Any = None            # html only (cbcheck.render.chart.Chart)
    undecided: int = 0           # facilities nobody can tell the binding rule covers (cbcheck.required)
    required_missing: int = 0    # covered facilities whose required value is missing (cbcheck.required)

    @property
    def is_action(self) -> bool:
        return (self.status in ("FAIL", "ERROR", "WARN")) or (self.status == "MISSING" and
                                                              (self.required or bool(self.undecided)))

    @property
    def action_rank(self) -> tuple[int, bool]:
        """Its place in the action list: by status, and among MISSING a required value before a
        rule that cannot tell what it covers (each kind one run, for the verdict's reason)."""
        return ACTION_ORDER.index(Status(self.status)), self.status == Status.MISSING.value and not self.required


@dataclass
class Section:
    name: str
    rows: list[Row]              # shown rows (without NOT_APPLICABLE unless asked for)
    rollup: list[tuple[str, str, int]]    # (status, label, n), worst first, over every finding
    hidden: int = 0              # NOT_APPLICABLE rows left out

    @property
    def rollup_text(self) -> str:
        return " · ".join(f"{n} {label}" for _, label, n in self.rollup)


@dataclass
class View:
    lang: str
    m: Messages
    title: str                   # the document title (html <title>, xlsx heading)
    policy: dict[str, Any]
    submission: dict[str, Any]
    year: int
    verdict: str
    verdict_label: str
    reason: str                  # why, in one line
    reason_ref: str              # the same, pointing at the numbered action list's items
    exit_code: int
    strict: bool
    counts: list[tuple[str, str, int]]    # every status in STATUS_ORDER, with zeros
    summary_line: str
    actions: list[Row]
    sections: list[Section]
    rows: list[Row]              # every finding, section order (json, csv, junit)
    hidden_na: int
    show_na: bool
    quality: list[dict[str, Any]]
    reading: list[str]           # how this file was read
    unmatched: list[dict[str, Any]]
    facility_summary: dict[str, int] | None
    read_groups: list[Any] = field(default_factory=list)    # the reading section by kind (render/reading.py)
    actions_none: str = ""       # what an empty action list says (a partial city roll-up: chase the missing)

    def count(self, status: str) -> int:
        return next((n for s, _, n in self.counts if s == status), 0)


# --- wording --------------------------------------------------------------------------------


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


def gap_text(f: Finding, m: Messages) -> str:
    """How far a numeric finding is from its requirement, in the requirement's terms."""
    observed, expected = _number(f.observed), _number(f.expected)
    if observed is None or expected is None or f.comparator not in ("≥", ">", "≤", "<"):
        return ""
    gap = abs(expected - observed)
    if gap == 0:
        return ""
    return m("gap.short" if f.comparator in ("≥", ">") else "gap.over", amount=gap_amount(gap, f.unit, m))


def todo_text(f: Finding, m: Messages, indicator: str) -> str:
    where = f.location or ""
    said = advice(f.message) if f.status in (Status.ERROR, Status.MISSING) else None
    if said is not None:         # the reason is not a cell to correct: advice that fits it
        return said.text(m.lang)
    if f.status is Status.MISSING:
        name = Word(zh=indicator, en=indicator)          # a name: lower case inside an English sentence
        missing = m("todo.MISSING_at" if where else "todo.MISSING", indicator=name, year=f.year, location=where)
        if f.details.get("date_missing"):                # done, and when is what is missing: ask for the date
            return m("todo.undated_at" if where else "todo.undated", location=where)
        result = f.details.get("facilities")
        if result is not None:
            undated, others = undated_facilities(result)
            needs = f.details.get("needs")          # a binding facility rule's blanks (cbcheck.required)
            if needs is not None:
                missing = translate(needs, m.lang)
            if undated:
                ask = m("todo.undated_facilities", n=undated, kind=facility_kind(result))
                return f"{ask}{m('reason.sep')}{missing}" if others or needs is not None else ask
        return missing
    if f.status is Status.ERROR:
        return m("todo.ERROR_at" if where else "todo.ERROR", location=where)
    if f.status is Status.FAIL:
        return m("todo.FAIL")
    if f.status is Status.WARN:
        return m("todo.WARN")
    return ""


def reason_text(verdict: str, actions: list[Row], strict: bool, quality: int, m: Messages,
                numbered: bool = False, missing: int = 0, report: Report | None = None) -> str:
    """The verdict's reason in one line (:func:`reasons`), naming ids, or with ``numbered`` the
    numbered action list's items."""
    return reasons(verdict, actions, strict, quality, m, missing, report)[1 if numbered else 0]


def reasons(verdict: str, actions: list[Row], strict: bool, quality: int, m: Messages,
            missing: int = 0, report: Report | None = None) -> tuple[str, str]:
    """The verdict's reason in one line, twice from one grouping: naming the first few rule ids, and
    pointing at the numbered action list's items (整改清单第 1–3 项) for the reports that show that
    list right below — a line of ids is what a Chinese reader least needs first, and at 80 columns
    the terminal folds it in the middle of an id. Which rules, by count: "不合规" is never shown
    without it, even when nothing FAILed (a required value missing)."""
    at: dict[str, list[int]] = {s.value: [] for s in ACTION_ORDER}    # positions in the sorted action list
    undecided: list[int] = []       # MISSING rows that are actions only as coverage nobody can tell
    for i, row in enumerate(actions):
        # an action row is a Row; the ones a caller builds by hand may carry only a status and an id
        r: Any = row
        if r.status == Status.MISSING.value and getattr(r, "undecided", 0) and not getattr(r, "required", True):
            undecided.append(i)
        elif r.status in at:
            at[r.status].append(i)
        if r.status == Status.ERROR.value and getattr(r, "required_missing", 0):   # one unreadable, one blank
            at[Status.MISSING.value].append(i)
    at[Status.MISSING.value].sort()

    def ids(status: Status | str, numbered: bool) -> str:
        got = at[status.value] if isinstance(status, Status) else undecided
        if numbered:                          # rows of a status are one run of the sorted list, as a rule
            first, last = got[0] + 1, got[-1] + 1
            if last - first + 1 != len(got):
                return m("reason.items", items=Msg.listing(i + 1 for i in got).text(m.lang))
            return m("reason.item", items=first) if first == last else m("reason.items", items=f"{first}–{last}")
        listed = Msg.listing(actions[i].rule_id for i in got[:REASON_IDS]).text(m.lang)
        return listed + ("…" if len(got) > REASON_IDS else "")

    # (catalogue key, its other parameters, the status whose rules it names — None: none named)
    parts: list[tuple[str, dict[str, Any], Status | str | None]] = [
        (key, {"n": len(at[st.value])}, st) for key, st in (
            ("reason.fail", Status.FAIL), ("reason.missing", Status.MISSING), ("reason.error", Status.ERROR))
        if at[st.value]]
    if undecided:       # a binding facility rule that cannot tell whether it covers a facility (cbcheck.required)
        parts.append(("reason.undecided", {"n": len(undecided)}, "undecided"))
    if report is not None and report.failed_allocations:  # a city roll-up: the county allocations miss the target
        parts.append(("reason.allocations", {"n": len(report.failed_allocations),
                                             "ids": Msg.listing(report.failed_allocations).text(m.lang)}, None))
    if report is not None and report.roster_missing:      # a city roll-up with counties missing (rollup_partial)
        parts.append(("reason.roster_missing", {
            "n": len(report.roster_missing), "names": Msg.listing(report.roster_missing).text(m.lang),
            "undecided": sum(1 for f in report.findings if f.details.get("undecided"))}, None))
    if report is not None and report.nothing_judged():    # an enterprise's indicator table, no facility table
        parts.append(("reason.no_facility_table", {"policy": report.policy.id}, None))
    if verdict == "non-compliant" and not parts and strict:
        if at[Status.WARN.value]:
            parts.append(("reason.strict_warn", {"n": len(at[Status.WARN.value])}, Status.WARN))
        if quality:
            parts.append(("reason.strict_quality", {"n": quality}, None))
    if verdict == "compliant":
        warned = len(at[Status.WARN.value])
        parts = [("reason.compliant_warn", {"n": warned}, None) if warned else ("reason.compliant", {}, None)]
        # values not given for rules no one must report (``missing``: MISSING findings, none of
        # them required, else the verdict would not be compliant): said, so that "compliant" is
        # never read as "everything was checked" (a binding facility rule with no value in any row)
        if missing:
            parts.append(("reason.compliant_missing", {"n": missing}, None))

    # which year was judged, first, when the file says it reports another (cbcheck.engine._year_said)
    year = [report.year_reason.text(m.lang)] if report is not None and report.year_reason is not None else []

    def line(numbered: bool) -> str:
        return m("reason.sep").join([*year, *(m(key, **params, **({} if st is None else {"ids": ids(st, numbered)}))
                                              for key, params, st in parts)])

    return line(False), line(True)


def title_entity(entity: str | None) -> str:
    """The place a report is about, from the office that filed it: 中阳县发展和改革局 → 中阳县,
    吕梁市中阳县人民政府 → 吕梁市中阳县 (the office suffixes :func:`cbcheck.params.entity_key`
    strips, the city kept when the office wrote it). An enterprise's name stays as it is."""
    from cbcheck.params import entity_city, entity_key

    if not entity:
        return ""
    key, city = entity_key(entity), entity_city(entity)
    return city + key if city and not key.startswith(city) else key


def _title(report: Report, m: Messages) -> str:
    """<county><年度>年度《<plan>》目标完成情况核查报告: the county, not the office that filed it
    (that one is the 填报单位 in the header lines)."""
    p, s = report.policy, report.submission
    plan = p.title_en if m.lang == "en" and p.title_en else p.title
    return m("report.title", entity=title_entity(s.entity), year=report.year, plan=plan).strip()


# --- building -------------------------------------------------------------------------------


def _indicator_name(f: Finding, cat: Catalogue | None, m: Messages) -> str:
    if m.lang == "en" and cat is not None and f.indicator in cat:
        return cat[f.indicator].name_en or f.indicator_name
    return f.indicator_name


def _facilities(f: Finding, m: Messages, limit: int) -> tuple[list[dict[str, Any]], int, dict[str, int] | None,
                                                             str | None]:
    result = f.details.get("facilities")
    if result is None:
        return [], 0, None, None
    listed = []
    # entries share their message objects: each distinct one translated once (kept, so that its id
    # is not reused); a Msg keeps its key, no template matching
    said: dict[int, tuple[str, str]] = {}
    for e in itertools.islice(result.entries(include_pass=False), limit):
        message = e["message"]
        if id(message) not in said:
            said[id(message)] = (message, translate(message, m.lang))
        listed.append({**e, "status_label": m.get(f"status.{e['status']}", e["status"]),
                       "message": said[id(message)][1]})
    counts = result.counts()
    listable = sum(n for status, n in counts.items() if status not in ("PASS", "NOT_DUE"))
    return listed, listable - len(listed), counts, result.facility_type


def _scope(s: Submission, region: str) -> str:
    """What kind of submitter the header names: a county file, an enterprise, or the city itself
    (济宁市, or the roll-up of its counties), which is judged with the county scopes but is 全市."""
    from cbcheck.engine import is_city_level

    return "region" if s.scope == "county" and s.entity and is_city_level(s, region) else s.scope


def _row(f: Finding, section: str, m: Messages, cat: Catalogue | None, rules: dict[str, Rule],
         facility_limit: int | None) -> Row:
    indicator_name = _indicator_name(f, cat, m)
    listed, more, counts, ftype = _facilities(f, m, facility_limit if facility_limit is not None else 10**9)
    return Row(
        rule_id=f.rule_id, status=f.status.value, status_label=m.get(f"status.{f.status.value}", f.status.value),
        title=rule_title(f, rules, m), indicator=f.indicator, indicator_name=indicator_name,
        strength=f.strength, strength_label=m.get(f"strength.{f.strength}", f.strength), target_year=f.target_year,
        observed=f.observed, expected=translate(f.expected, m.lang) if isinstance(f.expected, str) else f.expected,
        comparator=m.get(f"comparator.{f.comparator}", translate(f.comparator, m.lang)), unit=f.unit,
        location=translate(f.location, m.lang) if f.location else f.location,
        message=translate(f.message, m.lang), arithmetic=translate(f.arithmetic, m.lang), message_en=f.message,
        arithmetic_en=f.arithmetic, section=section, quote=f.source.quote, document=f.source.document,
        assigned_by=f.assigned_by, binding=f.binding, required=bool(f.details.get("required")),
        gap=(gap_text(f, m) or facility_gap(f, m)) if f.status in (Status.FAIL, Status.WARN) else
        facility_gap(f, m) if f.status is Status.MISSING else "",
        todo=todo_text(f, m, indicator_name), facilities=listed, facilities_more=more, facility_counts=counts,
        facility_type=ftype, undecided=int(f.details.get("coverage_unknown", 0)),
        required_missing=int(f.details.get("required_missing", 0)))


def build(report: Report, m: Messages, cat: Catalogue | None = None, *, show_na: bool = False,
          facility_limit: int | None = FACILITY_LIST_LIMIT, charts: bool = False) -> View:
    """The view of one report in ``m.lang``. ``facility_limit=None`` lists every facility."""
    p, s = report.policy, report.submission
    rules = rules_by_id(p)
    sections: list[Section] = []
    rows: list[Row] = []
    base = int(str(p.meta["period"])[:4]) - 1 if p.meta.get("period") else 2020
    for name, findings in plan_order(list(report.findings)):
        section_rows = []
        for f in findings:
            row = _row(f, name, m, cat, rules, facility_limit)
            if charts and cat is not None and f.rule_id in rules:
                from cbcheck.render.chart import build as chart

                row.chart = chart(f, rules[f.rule_id], s, cat, base)
            section_rows.append(row)
        rows += section_rows
        tally = {st: sum(1 for r in section_rows if r.status == st.value) for st in STATUS_ORDER}
        shown = [r for r in section_rows if show_na or r.status != "NOT_APPLICABLE"]
        # worst first inside a section, keeping the plan's order among equals
        shown.sort(key=lambda r: STATUS_ORDER.index(Status(r.status)))
        sections.append(Section(name, shown, [(st.value, m(f"status.{st.value}"), n)
                                              for st, n in tally.items() if n],
                                hidden=len(section_rows) - len(shown)))
    actions = sorted((r for r in rows if r.is_action), key=lambda r: r.action_rank)
    verdict = report.verdict()
    counts = report.counts()
    reason, reason_ref = reasons(verdict, actions, report.strict, len(report.quality), m, counts.get("MISSING", 0),
                                 report)
    hidden = sum(sec.hidden for sec in sections)
    from cbcheck.render import reading as read_section

    read_groups = read_section.groups(s, m)
    reading = read_section.flat(read_groups)
    noted = read_section.noted_locations(s.notes)
    unmatched = [{"label": u.label, "location": u.location, "suggestions": list(u.suggestions),
                  "text": m("text.label_at", label=u.label, location=u.location)
                  + (m("text.did_you_mean", names=Msg.listing(u.suggestions)) if u.suggestions else "")}
                 for u in s.unmatched
                 if u.location not in noted]
    quality = [{"check": q.check, "label": m.get(f"quality.{q.check}", q.check), "indicator": q.indicator,
                "year": q.year, "location": q.location, "message": translate(q.message, m.lang),
                "message_en": q.message} for q in report.quality]
    return View(
        lang=m.lang, m=m, title=_title(report, m),
        policy={"id": p.id, "title": p.title_en if m.lang == "en" and p.title_en else p.title,
                "title_full": (f"{p.title_en} — {p.title}" if m.lang == "en" and p.title_en else p.title),
                "status": m.get(f"policy_status.{p.status}", p.status), "sha": p.sha256[:12], "sha256": p.sha256,
                "doc_number": p.meta.get("doc_number"), "issuer": p.meta.get("issuer"), "date": p.meta.get("date")},
        submission={"path": s.shown_path, "sha": s.sha256[:12], "sha256": s.sha256,
                    "entity": s.entity or m("text.not_stated"), "entity_raw": s.entity,
                    "date": s.meta.get("date"), "scope": m.get(f"scope.{_scope(s, p.region)}", s.scope),
                    "scope_raw": s.scope},
        year=report.year, verdict=verdict, verdict_label=m.get(f"verdict.{verdict}", verdict),
        reason=reason, reason_ref=reason_ref,
        exit_code=int(for_verdict(verdict)), strict=report.strict,
        counts=[(st.value, m(f"status.{st.value}"), counts[st.value]) for st in STATUS_ORDER if st.value in counts],
        summary_line=" · ".join(f"{n} {m(f'status.{st}')}" for st, n in counts.items() if n),
        actions=actions, sections=sections, rows=rows, hidden_na=hidden, show_na=show_na, quality=quality,
        reading=reading, unmatched=unmatched, facility_summary=facility_summary(report), read_groups=read_groups,
        actions_none=m("report.actions_roster", names=Msg.listing(report.roster_missing).text(m.lang))
        if report.roster_missing else m("report.actions_facility_table", policy=p.id) if report.nothing_judged()
        else m("report.actions_none"))
