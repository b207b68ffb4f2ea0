"""The sector a unit's own name says (cbcheck.entclass.sectors_in_name): cases as data
(entclass_names.yaml), and how the derivation enters the profile — after what the enterprise
declares, noted in the report so a wrong guess shows, overridden by --set or 所属行业."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cbcheck.engine import evaluate
from cbcheck.entclass import addressed, profile, sectors_in_name
from cbcheck.model import Status, Submission
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.readnote import ReadNote

CASES = yaml.safe_load((Path(__file__).parent / "entclass_names.yaml").read_text(encoding="utf-8"))
SHEET = Path(__file__).parent / "enterprise_sheets" / "coking-energy-report-gbk.csv"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] or "(empty)" for c in CASES])
def test_sectors_in_name(case: dict) -> None:
    assert [c for c, _ in sectors_in_name(case["name"])] == case["sectors"]


def _sub(entity: str, meta: dict[str, str] | None = None) -> Submission:
    return Submission(path="x.csv", sha256="", entity=entity, scope="enterprise", observations=(), meta=meta or {})


def test_a_coking_name_makes_the_logistics_clause_not_applicable() -> None:
    prof = profile(_sub("XX焦化有限公司"))
    assert prof.from_name == (("coking", "焦化"),)
    assert prof.known["coking"][0] is True and prof.known["producer"][0] is True
    said = addressed(["key_logistics"], prof)
    assert said.answer == "no"
    assert said.message is not None and "单位名称“XX焦化有限公司”含“焦化”" in said.message.text("zh")


@pytest.mark.parametrize(("meta", "declared"), [
    ({"class.declared": "化工"}, None),           # 所属行业：化工 above the table
    ({}, {"coking": False}),                      # --set 焦化企业=否
    ({}, {"chemical": True}),                     # --set 化工企业=是
])
def test_what_the_enterprise_says_wins_over_its_name(meta: dict, declared: dict | None) -> None:
    prof = profile(_sub("XX焦化有限公司", meta), declared)
    assert prof.from_name == ()
    assert prof.known.get("coking", (False,))[0] is False


def test_a_name_that_says_nothing_leaves_the_clause_asking() -> None:
    prof = profile(_sub("XX化工贸易有限公司"))
    assert prof.from_name == ()
    assert addressed(["key_logistics"], prof).answer == "unknown"


def test_the_report_notes_the_derivation_and_how_to_correct_it() -> None:
    pol, cat = load_policy("yuncheng-energy-saving-14fyp")
    report = evaluate(pol, cat, read_submission(SHEET, cat))
    notes = [n for n in report.submission.notes if isinstance(n, ReadNote) and n.key == "read.class_from_name"]
    assert [n.text("zh") for n in notes] == [
        "按单位名称“XX焦化有限公司”认定行业：焦化企业（名称含“焦化”）；"
        "如不符，在表头填写“所属行业：…”或用 --set 焦化企业=否 更正"]
    assert notes[0].kind == "entity"
    box = next(f for f in report.findings if f.rule_id == "YC-LOGISTICS-BOX-SHARE")
    assert box.status is Status.NOT_APPLICABLE
