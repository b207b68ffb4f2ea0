"""The plan's own words read: for every rule of every bundled policy, a one-row submission labelled
with the phrase the rule's quote uses for the indicator, in the unit the quote writes, is matched to
the rule's indicator and its number converts to the rule's number (issue 12).

The phrase and unit come from :func:`cbcheck.plan_wording.plan_wording`; where that reading takes
the wrong stretch of the quote, ``plan_wording/overrides.yaml`` gives the phrase read by hand, with
why. Rules whose quote sets no number for the indicator (actions, directions) are held to the
catalogue name instead, and the reason is asserted to be one of the known ones.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from cbcheck import units
from cbcheck.checks import KINDS
from cbcheck.checks.kind import working_unit
from cbcheck.facilities import facility_catalogue
from cbcheck.facility_columns import values_in
from cbcheck.model import Rule
from cbcheck.plan_wording import Wording, plan_wording
from cbcheck.policy import bundled_policy_paths, load_policy
from cbcheck.reader import read_submission
from cbcheck.series import SeriesBuilder
from cbcheck.textnorm import nfkc

HERE = Path(__file__).parent
OVERRIDES = yaml.safe_load((HERE / "plan_wording" / "overrides.yaml").read_text(encoding="utf-8"))
NO_PHRASE = ("the quote sets no number", "the quote has no clause", "the quote's subject")
RATE_KINDS = {"reduction_vs_base", "increase_vs_base", "growth"}


def _rules() -> list[tuple[str, Rule]]:
    return [(p.name, r) for p in bundled_policy_paths() for r in load_policy(str(p))[0].rules]


RULES = _rules()


def test_every_rule_is_covered_and_overrides_name_real_rules() -> None:
    ids = {r.id for _, r in RULES}
    assert len(RULES) > 400
    assert set(OVERRIDES) <= ids, set(OVERRIDES) - ids


def _wording(rule: Rule) -> tuple[str, str | None, bool, str | None] | str:
    """(phrase, unit as the plan writes it, is a facility header, conflicting indicator) or a reason."""
    over = OVERRIDES.get(rule.id)
    if over is not None and "phrase" in over:
        quote = nfkc(rule.source.quote)
        if not over.get("elliptical"):
            assert nfkc(over["phrase"]) in quote, f"{rule.id}: {over['phrase']!r} is not in the quote"
        return over["phrase"], over.get("unit"), bool(over.get("header")), over.get("conflict")
    found = plan_wording(rule)
    if isinstance(found, Wording):
        return found.phrase, found.unit, False, None
    return found


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "submission.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("policy", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_plan_wording_reads(policy: str, rule: Rule, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if OVERRIDES.get(rule.id, {}).get("policy_issue"):   # strict: once the policy is fixed, this fails
        request.node.add_marker(pytest.mark.xfail(reason=OVERRIDES[rule.id]["why"], strict=True))
    _, cat = load_policy(policy.removesuffix(".yaml"))
    ind = cat[rule.indicator]
    wording = _wording(rule)
    if isinstance(wording, str):
        assert wording.startswith(NO_PHRASE), wording
        phrase, plan_unit, header, conflict = ind.name, None, False, None
    else:
        phrase, plan_unit, header, conflict = wording
    number = next((v for v in (rule.target, rule.minimum, rule.maximum) if v is not None), None)
    numeric = ind.kind not in {"date", "boolean"}
    if rule.kind in RATE_KINDS or not numeric or number is None or isinstance(wording, str):
        plan_unit, number = None, None        # the plan's number is a rate or there is none: match only
    value = f"{number:g}" if number is not None else ("是" if not numeric else "12.5")
    unit_cell = plan_unit if plan_unit is not None else (ind.unit if numeric and rule.kind not in RATE_KINDS
                                                         else "")
    if rule.scope == "facility" or header:
        ftype = (rule.params.get("applies_to") or {}).get("facility_type")
        type_name = facility_catalogue().types[ftype].name if ftype else ""
        label = f"{phrase}({unit_cell})" if unit_cell else phrase
        path = _csv(tmp_path, f"报告年度：2024\n设施名称,设施类型,{label}\n1号,{type_name},{value}\n")
        sub = read_submission(path, cat)
        assert sub.facilities, sub.notes
        table = sub.facilities[0]
        assert rule.indicator in table.frame, (phrase, table.columns, sub.unmatched)
        if number is not None and numeric:
            got = values_in(table, rule.indicator, working_unit(rule, cat))[0]
            assert math.isclose(got, number, rel_tol=1e-9), (phrase, plan_unit, got)
        return
    path = _csv(tmp_path, f"指标名称,单位,2024年\n{phrase},{unit_cell},{value}\n")
    sub = read_submission(path, cat)
    matched = {o.indicator for o in sub.observations}
    if conflict:
        assert matched == {conflict}, (phrase, matched)
        return
    assert matched == {rule.indicator}, (phrase, matched, [u.suggestions for u in sub.unmatched])
    if number is not None:
        series = SeriesBuilder(sub, cat, 2024).series(rule.indicator, working_unit(rule, cat), rule.base_year)
        got = series.values[2024].value
        assert math.isclose(got, number, rel_tol=1e-9), (phrase, plan_unit, got, units.dimension(unit_cell))
    assert KINDS[rule.kind]
