"""Approved waivers (豁免): ``waivers.yaml``, validated by ``waivers.schema.json``.

A finding of a waived rule for the waived entity that did not pass (FAIL, WARN, MISSING,
ERROR) becomes WAIVED: it counts neither as a pass nor as a failure, and shows the approval
document (文号), who approved it and until when. On the day after ``expires`` the waiver
no longer applies: the finding keeps its own status and says that its waiver expired.

A waiver is judged at the date the submission was made, not the date cbcheck runs: an approval
"until 2026-06-30" covers what was submitted before then, so a 2024 file checked again in
September keeps the 已豁免 it had in March. That date is the file's 填报日期; for a file recorded in
the ledger without one, the day it was recorded; for a file that states none, or a 填报日期 after
today (a file cannot have been submitted in the future), today — and the finding says which.
``--as-of DATE`` judges every file at DATE. A roll-up is the city's submission once its last county
file is in: it is judged at the latest of its counties' dates.

Example::

    schema_version: 1
    policy: jining-carbon-peak
    waivers:
      - rule: JN-ENERGY-INTENSITY-2025
        entity: 济宁市兖州区
        reason: 2024年新投产重大项目能耗单列
        document: 济发改环资〔2025〕12号
        approved_by: 济宁市发展和改革委员会
        expires: 2026-06-30
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from cbcheck.errors import Listing, PolicyError
from cbcheck.i18n.message import Msg
from cbcheck.model import Finding, Policy, Report, Status
from cbcheck.params import entity_key, same_entity

WAIVABLE = frozenset({Status.FAIL, Status.WARN, Status.MISSING, Status.ERROR})


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    entity: str
    reason: str
    document: str
    approved_by: str
    expires: dt.date
    where: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "entity": self.entity, "reason": self.reason, "document": self.document,
                "approved_by": self.approved_by, "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class Waivers:
    items: tuple[Waiver, ...]
    policy: str | None = None
    path: str = ""

    def find(self, rule: str, entity: str | None) -> Waiver | None:
        """The waiver of ``rule`` for ``entity``: by its name as written, else as one county written two
        ways (晋中市和顺县 in the waiver, 和顺县发展和改革局 on the file) — never a county of another city
        (阳泉市城区's waiver is not 晋城市城区's: :func:`~cbcheck.params.same_entity`)."""
        name = (entity or "").strip()
        exact = next((w for w in self.items if w.rule == rule and w.entity == name), None)
        return exact or next((w for w in self.items if w.rule == rule and name
                              and same_entity(w.entity, name)), None)


def load_waivers(path: Path) -> Waivers:
    from cbcheck.schemas import schema_errors
    from cbcheck.yamlio import load_yaml

    data = load_yaml(path, "waivers")
    items = []
    for i, raw in enumerate((data or {}).get("waivers") or [] if isinstance(data, dict) else []):
        expires = raw.get("expires") if isinstance(raw, dict) else None
        if isinstance(expires, dt.date):               # YAML reads an unquoted 2026-06-30 as a date
            raw = {**raw, "expires": expires.isoformat()}
            data["waivers"][i] = raw
    problems = [Msg("cli.schema_line", path=path, field=where, message=msg)
                for where, msg in schema_errors("waivers", data)]
    if problems:
        raise PolicyError(Listing(Msg("cli.waivers_invalid"), problems), where=str(path))
    for i, raw in enumerate(data["waivers"]):
        try:
            expires = dt.date.fromisoformat(raw["expires"])
        except ValueError:
            raise PolicyError(Msg("cli.at", where=f"waivers.{i}.expires",
                                  message=Msg("cli.not_a_date", value=raw["expires"])), where=str(path),
                              hint=Msg("cli.date_hint")) from None
        items.append(Waiver(raw["rule"], raw["entity"].strip(), raw["reason"], raw["document"], raw["approved_by"],
                            expires, f"{path}::waivers.{i}"))
    return Waivers(tuple(items), data.get("policy"), str(path))


def today() -> dt.date:
    from cbcheck.ledger.store import now

    return now().date()


@dataclass(frozen=True)
class JudgedOn:
    """The date waivers are judged at, and why that date (said in each waived or expired finding)."""

    date: dt.date
    said: Msg


def _iso(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def judged_on(stated: str | None, as_of: dt.date | None = None, recorded: dt.date | None = None,
              run_date: dt.date | None = None) -> JudgedOn:
    """``stated``: the file's 填报日期 (YYYY-MM-DD); ``recorded``: the day the ledger recorded it."""
    run_date = run_date or today()
    if as_of is not None:
        return JudgedOn(as_of, Msg("rest.waiver_on_as_of", date=as_of.isoformat()))
    filed = _iso(stated)
    if filed is not None and filed <= run_date:
        return JudgedOn(filed, Msg("rest.waiver_on_filed", date=filed.isoformat()))
    if filed is not None:
        return JudgedOn(run_date, Msg("rest.waiver_on_future", date=run_date.isoformat(), stated=filed.isoformat()))
    if recorded is not None:
        return JudgedOn(recorded, Msg("rest.waiver_on_recorded", date=recorded.isoformat()))
    return JudgedOn(run_date, Msg("rest.waiver_on_today", date=run_date.isoformat()))


def latest_of(dates: Iterable[tuple[str, JudgedOn]], as_of: dt.date | None = None) -> JudgedOn:
    """A roll-up's date: the latest of its files' ``(file, date)``, naming the file."""
    if as_of is not None:
        return judged_on(None, as_of)
    file, last = max(dates, key=lambda fd: fd[1].date)
    return JudgedOn(last.date, Msg("rest.waiver_on_latest", judged=last.said, file=file))


def apply(report: Report, waivers: Waivers, on: JudgedOn | None = None) -> Report:
    """The report with waived findings WAIVED (or noted as expired), judged ``on`` a date (default: the
    file's 填报日期, see :func:`judged_on`)."""
    judged = on or judged_on(report.submission.meta.get("date"))
    entity = report.submission.entity
    changed = False
    findings: list[Finding] = []
    for f in report.findings:
        w = waivers.find(f.rule_id, entity)
        if w is None or f.status not in WAIVABLE:
            findings.append(f)
            continue
        changed = True
        expired = judged.date > w.expires
        info = {**w.as_dict(), "original_status": f.status.value, "expired": expired,
                "judged_on": judged.date.isoformat()}
        if expired:
            findings.append(dataclasses.replace(
                f, message=Msg("rest.waiver_expired", message=f.message, document=w.document,
                               approved_by=w.approved_by, expires=w.expires.isoformat(), judged=judged.said),
                details={**f.details, "waiver": info}))
        else:
            findings.append(dataclasses.replace(
                f, status=Status.WAIVED, details={**f.details, "waiver": info},
                message=Msg("rest.waived", document=w.document, approved_by=w.approved_by, reason=w.reason,
                            expires=w.expires.isoformat(), status=Msg(f"status.{f.status.value}"),
                            message=f.message, judged=judged.said)))
    return dataclasses.replace(report, findings=tuple(findings)) if changed else report


@dataclass
class WaiverHook:
    """``check --waivers FILE``: applied to each report after evaluation (see batch.CheckSettings.hooks).
    ``as_of``: ``--as-of``; ``on``: a date fixed for every report (the roll-up's, :func:`latest_of`);
    ``recorded``: the day the ledger first recorded a file (by sha256), for a file without 填报日期."""

    waivers: Waivers
    as_of: dt.date | None = None
    on: JudgedOn | None = None
    recorded: Callable[[str], dt.date | None] | None = None

    def before(self, submission: Any, policy: Policy, year: int | None) -> Any:
        return submission

    def after(self, report: Report, cat: Any) -> Report:
        if self.on is not None:
            return apply(report, self.waivers, self.on)
        sub = report.submission
        stated = sub.meta.get("date")
        day = self.recorded(sub.sha256) if self.recorded is not None and _iso(stated) is None else None
        return apply(report, self.waivers, judged_on(stated, self.as_of, day))


def lint(waivers: Waivers, policy: Policy, roster: Iterable[str] | None, on: dt.date | None = None
         ) -> list[tuple[str, str, str]]:
    """(where, severity, message): unknown rules and entities, duplicates, expired waivers."""
    on = on or today()
    rules = {r.id for r in policy.rules}
    names = {entity_key(e) for e in roster} if roster is not None else None
    seen: dict[tuple[str, str], str] = {}
    out: list[tuple[str, str, str]] = []
    if waivers.policy and waivers.policy != policy.id:
        out.append((f"{waivers.path}::policy", "error",
                    Msg("rest.waiver_wrong_policy", named=waivers.policy, policy=policy.id)))
    for w in waivers.items:
        if w.rule not in rules:
            out.append((w.where, "error", Msg("rest.waiver_no_rule", rule=w.rule, policy=policy.id)))
        if names is not None and entity_key(w.entity) not in names:
            out.append((w.where, "error", Msg("rest.waiver_off_roster", entity=w.entity)))
        if (w.rule, w.entity) in seen:
            out.append((w.where, "error",
                        Msg("rest.waiver_twice", rule=w.rule, entity=w.entity, first=seen[w.rule, w.entity])))
        seen.setdefault((w.rule, w.entity), w.where)
        if on > w.expires:
            out.append((w.where, "warning",
                        Msg("rest.waiver_expired_on", expires=w.expires.isoformat(), document=w.document)))
    if names is None:
        out.append((waivers.path, "warning", Msg("rest.waiver_no_roster")))
    return out
