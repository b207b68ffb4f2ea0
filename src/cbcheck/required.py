"""When a value a rule needs, left blank, makes the submission non-compliant (``required``).

A county's indicator table leaves many rules without a value: a city-wide total, a qualitative
action, a clause addressed to someone else. Those stay MISSING and the file compliant (the summary
counts them: 另有 N 项未填报（非必报）); only the headline targets a policy marks ``required: true``
make it non-compliant when blank.

A facility in an enterprise's table is different. The file itself names the oven, the unit, the
line; the clause covers it (the rule's ``applies_to`` selects it from what the file says of it);
and what the clause needs to judge it — the closure date, the supply coal consumption, the
retrofit date — is blank, the column absent, or written 不详. The plant is the one who holds that
value, and the self-audit is the place it shows the clause is met. Saying 合规 there would tell the
plant its 4.3 m oven is in order when nothing shows it closed. So, unless the rule says otherwise:

- a facility rule that is **binding** (约束性) and **due** (its deadline has come, or its target
  year is the reporting year or past; an open mandate is due every year) **requires** the values
  of the facilities it covers: one of them MISSING makes the file non-compliant (exit 1), and the
  report names the facility, the column and what the clause asks;
- a rule marked ``required: false`` does not (its notes say why: a value the enterprise does not
  hold, such as whether the city listed its unit in a plan); ``required: true`` always does;
- an expected-strength rule (预期性/力争, 左右) never does by default: a miss of it is a warning,
  so its blank cannot weigh more than a miss;
- a rule not yet due does not (a blank completion cell before its deadline is NOT_DUE anyway).

Whether the clause covers a facility can itself be unknown: the oven's 炭化室高度 is blank, or
the table has no such column, so nobody can tell whether it is a 4.3 m oven the plan closes
(MISSING_ATTRIBUTE). That is not a breach nobody has shown, and not a pass: for a binding, due
rule not marked ``required: false`` the report says it cannot tell, names the column, and the
verdict is 无法完整评估 (incomplete, exit 3) unless something else makes the file non-compliant.

This module says it once, for every engine: it reads the verdicts the engines agree on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cbcheck.checks.kind import Verdict
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule

if TYPE_CHECKING:
    from cbcheck.checks.base import Context, Outcome
    from cbcheck.facility_results import FacilityResult

# a covered facility's value is what is missing (blank, no column, done with no date)
_VALUE_MISSING = (Verdict.MISSING, Verdict.DONE_UNDATED)


def due(rule: Rule, ctx: Context) -> bool:
    """Whether the clause speaks for the reporting year: a completion's deadline has come (as of
    31 December), or the target year is this year or past (no target year: every year)."""
    if rule.kind == "completed_by":
        from cbcheck.checks.deadline import deadline_for

        return deadline_for(rule, ctx) <= ctx.as_of
    return rule.target_year is None or rule.target_year <= ctx.year


def by_default(rule: Rule) -> bool:
    """Whether a rule not marked either way requires its values once due: binding facility rules."""
    return rule.scope == "facility" and rule.binding


def values_required(rule: Rule, ctx: Context) -> bool:
    """Whether a MISSING value of this rule makes the submission non-compliant this year."""
    if rule.required is not None:
        return rule.required
    return by_default(rule) and due(rule, ctx)


def missing_details(rule: Rule, outcome: Outcome, ctx: Context) -> dict[str, Any]:
    """What the finding's details say of its missing values: ``required`` (a MISSING value makes the
    file non-compliant) and, for a facility rule, ``coverage_unknown`` (how many facilities nobody can
    tell the clause covers: the file is then incomplete) and ``needs`` (what to fill in, for the action
    list) and ``said`` (the same, for the finding's message). A facility rule is ``required`` only
    where a covered facility's value is missing: a finding whose only gaps are coverage is not."""
    if not values_required(rule, ctx):
        return {}
    result = outcome.details.get("facilities")
    if result is None:
        return {"required": True}
    counts = verdict_counts(result)
    out: dict[str, Any] = {}
    needs, said = [], []
    kind = _kind_word(result)
    blank = counts.get(Verdict.MISSING, 0)
    if blank or counts.get(Verdict.DONE_UNDATED, 0):
        # counted, not only flagged: a finding that is ERROR for another facility is still non-compliant
        out["required"], out["required_missing"] = True, blank + counts.get(Verdict.DONE_UNDATED, 0)
        _name_what_is_needed(result, rule, ctx)
    if blank:
        from cbcheck.facilities import name_of

        absent = any(rule.indicator not in part.table.columns for part in result.parts)
        needs.append(Msg("msg.needs_column" if absent else "msg.needs_values", n=blank, kind=kind,
                         column=name_of(rule.indicator)))
        said.append(Msg("msg.said_required", n=blank, kind=kind, column=name_of(rule.indicator)))
    undecided = counts.get(Verdict.MISSING_ATTRIBUTE, 0)
    if undecided:
        out["coverage_unknown"] = undecided
        needs.append(Msg("msg.needs_attributes", n=undecided, kind=kind))
        said.append(Msg("msg.said_undecided", n=undecided, kind=kind))
    if needs:
        out["needs"], out["said"] = Msg.join(needs), Msg.join(said)
    return out


def _kind_word(result: FacilityResult) -> Any:
    said = result.facility_type          # msg.facility_kind: 焦炉 (coke_oven), or the indicator's name
    return said.params["name"] if isinstance(said, Msg) and "name" in said.params else said


def verdict_counts(result: FacilityResult) -> dict[Verdict, int]:
    """How many facilities got each verdict, over every facility covered (not only those listed)."""
    import numpy as np

    total = np.zeros(len(Verdict), dtype=np.int64)
    for part in result.parts:
        total += np.bincount(part.all_verdicts.astype(np.intp), minlength=len(Verdict))
    return {Verdict(v): int(n) for v, n in enumerate(total.tolist()) if n}


def _name_what_is_needed(result: FacilityResult, rule: Rule, ctx: Context) -> None:
    """Each listed facility whose value is missing told why its blank counts: the clause is binding
    and due (``关停退出时间（约束性，已到期：2023-10-31前完成；缺报即不合规）``), so the plant knows
    what to fill in and by when. A reason already given (no such column, done without a date, a
    state that is neither closed nor running) says what to write already: it is left as it is."""
    import numpy as np

    from cbcheck.checks import KINDS
    from cbcheck.facilities import name_of

    why = Msg("msg.why_marked" if rule.required else "msg.why_binding_due")
    requirement = KINDS[rule.kind].facility_expected(rule, ctx)
    blank = Msg("msg.required_blank", column=name_of(rule.indicator), why=why, requirement=requirement)
    for part in result.parts:
        bare = (part.verdicts == int(Verdict.MISSING)) & ~np.asarray(part.reason, dtype=object).astype(bool)
        part.reason[bare] = blank
