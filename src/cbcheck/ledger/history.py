"""``cbcheck history ENTITY``: one entity's submissions across years, from the ledger.

Values by indicator and year as each submission gave them (the latest one wins in the
trajectory), verdicts by reporting year, restatements (a year's value that changed between
submissions), and — in HTML — the trajectory charts of the report, drawn by the HTML report
renderer on a submission made of the latest value of every year.
"""

from __future__ import annotations

import dataclasses
import html as _html
import io
import json
from dataclasses import dataclass, field
from typing import Any

from cbcheck.checks.base import fmt
from cbcheck.errors import UsageError
from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg
from cbcheck.ledger.crossyear import SAME_REL
from cbcheck.ledger.store import Ledger, StoredObservation, StoredSubmission, in_filing_order, iter_numeric
from cbcheck.model import Submission

FORMATS = ("text", "json", "html", "xlsx")


@dataclass
class History:
    entity: str
    policy: str | None
    submissions: list[StoredSubmission]
    values: dict[str, dict[int, list[StoredObservation]]] = field(default_factory=dict)   # in submission order
    restatements: list[tuple[StoredObservation, StoredObservation]] = field(default_factory=list)  # (old, new)
    withdrawn: list[StoredSubmission] = field(default_factory=list)     # listed, their values not used

    def latest(self) -> Submission:
        """The trajectory: each indicator-year's value from the latest submission that gave it."""
        obs = [rows[-1].observation() for by_year in self.values.values() for rows in by_year.values()]
        last = self.submissions[-1]
        return Submission(f"{self.entity} (ledger)", last.file_sha256, self.entity, last.scope, tuple(obs),
                          notes=(Msg("ledger.history_note", n=len(self.submissions)),))


def build(ledger: Ledger, entity: str, policy: str | None = None) -> History:
    every = ledger.submissions(entity=entity, policy=policy, withdrawn=True)
    subs = [s for s in every if s.withdrawn_at is None]
    if not every:
        known = sorted({s.entity for s in ledger.submissions() if s.entity})
        said = Msg("ledgererr.nothing_under", entity=entity, policy=policy) if policy else \
            Msg("ledgererr.nothing", entity=entity)
        raise UsageError(said, where=ledger.shown,
                         hint=Msg("ledgererr.recorded", names=Msg.listing(known)) if known
                         else Msg("ledgererr.record_hint"))
    subs = in_filing_order(subs)
    hist = History(entity, policy, subs, withdrawn=[s for s in every if s.withdrawn_at is not None])
    rank = {s.id: i for i, s in enumerate(subs)}
    for row in sorted(iter_numeric(ledger.observations(subs)), key=lambda r: rank[r.submission.id]):
        assert row.year is not None
        rows = hist.values.setdefault(row.indicator, {}).setdefault(row.year, [])
        same = [r for r in rows if (r.price_basis, r.rate_basis) == (row.price_basis, row.rate_basis)]
        # 1050000 吨标准煤 last year, 106 万吨标准煤 now: a restatement in two units, compared in one
        earlier, now = _in_unit(same[-1], row.unit) if same else None, float(row.value)  # type: ignore[arg-type]
        if earlier is not None and abs(earlier - now) > SAME_REL * max(abs(earlier), abs(now), 1e-12):
            hist.restatements.append((same[-1], row))
        rows.append(row)
    return hist


def _in_unit(r: StoredObservation, unit: str | None) -> float | None:
    """``r``'s value in ``unit``; None when the two units do not convert (not comparable)."""
    from cbcheck import units
    from cbcheck.errors import UnitError

    if (r.unit or "") == (unit or ""):
        return float(r.value)  # type: ignore[arg-type]
    if not r.unit or not unit:
        return None
    try:
        return units.convert(float(r.value), r.unit, unit)  # type: ignore[arg-type]
    except UnitError:
        return None


def _name(cat: Any, ind: str, m: Messages) -> str:
    if ind not in cat:
        return ind
    return cat[ind].name_en if m.lang == "en" and cat[ind].name_en else cat[ind].name


def as_dict(h: History) -> dict[str, Any]:
    return {
        "format_version": 1, "entity": h.entity, "policy": h.policy,
        "submissions": [{"id": s.id, "year": s.year, "file": s.file_name, "sha256": s.file_sha256,
                         "policy": s.policy_id, "recorded": s.date, "verdict": s.verdict, "summary": s.counts}
                        for s in h.submissions],
        "withdrawn": [{"id": s.id, "year": s.year, "file": s.file_name, "sha256": s.file_sha256, "policy": s.policy_id,
                       "recorded": s.date, "verdict": s.verdict, "withdrawn": s.withdrawn_on,
                       "reason": s.withdrawn_reason} for s in h.withdrawn],
        "values": {ind: {str(y): [{"value": r.value, "unit": r.unit, "file": r.submission.file_name,
                                   "recorded": r.submission.date, "cell": r.cell,
                                   **({"rate_basis": r.rate_basis} if r.rate_basis else {})} for r in rows]
                         for y, rows in sorted(by_year.items())} for ind, by_year in sorted(h.values.items())},
        "restatements": [{"indicator": new.indicator, "year": new.year, "old": old.value, "old_unit": old.unit,
                          "new": new.value, "unit": new.unit, "old_file": old.submission.file_name,
                          "old_recorded": old.submission.date, "new_file": new.submission.file_name,
                          "new_recorded": new.submission.date}
                         for old, new in h.restatements],
    }


def _restatement(old: StoredObservation, new: StoredObservation, cat: Any, m: Messages) -> str:
    before = _in_unit(old, new.unit)
    return m("history.restated", year=new.year, indicator=_name(cat, new.indicator, m),
             old=fmt(old.value if before is None else before),
             new=fmt(new.value), unit=new.unit or "", old_file=old.submission.file_name,
             old_date=old.submission.date, new_file=new.submission.file_name, new_date=new.submission.date)


def _tables(h: History, cat: Any, m: Messages) -> list[tuple[str, list[list[str]]]]:
    verdicts = [[m("history.col_id"), m("history.col_year"), m("history.col_file"), m("history.col_recorded"),
                 m("history.col_policy"), m("history.col_verdict")]]
    from cbcheck.render.common import verdict_label

    def said(s: StoredSubmission) -> str:
        if s.withdrawn_at is None:
            return verdict_label(s.verdict, m)
        return m("history.withdrawn", date=s.withdrawn_on, reason=s.withdrawn_reason,
                 verdict=verdict_label(s.verdict, m))

    # withdrawn files in their place among the others: what was recorded when stays visible
    listed = in_filing_order(h.submissions + h.withdrawn)
    verdicts += [[str(s.id), str(s.year), s.file_name, s.date, s.policy_id, said(s)] for s in listed]
    years = sorted({y for by_year in h.values.values() for y in by_year})
    values = [[m("history.col_indicator"), m("history.col_unit"), *map(str, years)]]
    for ind, by_year in sorted(h.values.items()):
        unit = cat[ind].unit if ind in cat else next((r.unit for rs in by_year.values() for r in rs if r.unit), "")
        row = [_name(cat, ind, m), unit or ""]
        for y in years:
            shown = dict.fromkeys(_value(r, unit) for r in by_year.get(y, []))
            row.append(" → ".join(shown))
        values.append(row)
    return [(m("history.verdicts"), verdicts), (m("history.values"), values)]


def _value(r: StoredObservation, unit: str | None) -> str:
    """A value in the indicator's unit: a county that gave 万元 one year and 亿元 the next is no 2000000 → 200
    restatement. A unit that does not convert is shown beside the value."""
    from cbcheck import units
    from cbcheck.errors import UnitError

    if r.rate_basis == "yoy" and r.unit == "%":
        return f"{fmt(r.value)}%"
    if not unit or not r.unit or r.unit == unit:
        return fmt(r.value)
    try:
        return fmt(units.convert(float(r.value), r.unit, unit))  # type: ignore[arg-type]
    except (UnitError, TypeError, ValueError):
        return f"{fmt(r.value)} {r.unit}"


def _number(text: str) -> str | int | float:
    """A value, an id or a year as a number in the workbook (Excel sums it and flags no 'number stored as
    text'); anything else (528 → 530, 3.1%) as written."""
    import re

    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    return float(text) if re.fullmatch(r"-?\d+\.\d+", text) else text


def render_history(h: History, fmt_name: str, lang: str, cat: Any) -> str | bytes:
    m = Messages(lang)
    if fmt_name == "json":
        return json.dumps(as_dict(h), ensure_ascii=False, indent=2) + "\n"
    # the rows below list the withdrawn files too: the title counts them, said apart
    n = len(h.submissions) + len(h.withdrawn)
    title = (m("history.title_withdrawn", entity=h.entity, n=n, withdrawn=len(h.withdrawn)) if h.withdrawn
             else m("history.title", entity=h.entity, n=n))
    tables = _tables(h, cat, m)
    notes = [_restatement(o, n, cat, m) for o, n in h.restatements] or [m("history.no_restatements")]
    if fmt_name == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in tables + [(m("history.restatements"), [[n] for n in notes])]:
            ws = wb.create_sheet(name[:31])
            for row in rows:
                ws.append([_number(v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    if fmt_name == "html":
        return _html_page(h, title, tables, notes, lang, cat, m)
    buf = [title, ""]
    for name, rows in tables:
        buf.append(f"== {name} ==")
        buf += ["  " + " | ".join(r) for r in rows]
        buf.append("")
    buf.append(f"== {m('history.restatements')} ==")
    buf += [f"  {n}" for n in notes]
    return "\n".join(buf) + "\n"


def _html_page(h: History, title: str, tables: list[tuple[str, list[list[str]]]], notes: list[str], lang: str,
               cat: Any, m: Messages) -> str:
    e = _html.escape
    part = [f'<section class="history"><h2>{e(title)}</h2>']
    for name, rows in tables:
        part.append(f"<h3>{e(name)}</h3><table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in rows[0])
                    + "</tr></thead><tbody>")
        part += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows[1:]]
        part.append("</tbody></table>")
    part.append(f"<h3>{e(m('history.restatements'))}</h3><ul>" + "".join(f"<li>{e(n)}</li>" for n in notes)
                + "</ul></section>")
    section = "\n".join(part) + "\n"
    page = _trajectory_page(h, lang)
    if page is None:
        return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>'
                f"</head><body>{section}</body></html>\n")
    cut = page.find("<main")
    cut = page.find(">", cut) + 1 if cut >= 0 else page.find("<body>") + len("<body>")
    return page[:cut] + section + page[cut:]


def _trajectory_page(h: History, lang: str) -> str | None:
    """The HTML report of the latest values across years: its charts are the trajectory."""
    from cbcheck.engine import evaluate
    from cbcheck.errors import CbcheckError
    from cbcheck.policy import load_policy
    from cbcheck.render import RenderOptions, render

    if not h.submissions:                 # every file withdrawn: no trajectory to draw
        return None
    ref = h.policy or h.submissions[-1].policy_id
    try:
        policy, cat = load_policy(ref)
        sub = h.latest()
        report = evaluate(policy, cat, sub, year=h.submissions[-1].year)
    except CbcheckError:
        return None
    report = dataclasses.replace(report)
    return str(render("html", report, RenderOptions(lang=lang, catalogue=cat)))
