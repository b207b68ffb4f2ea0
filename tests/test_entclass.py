"""Whom an enterprise rule addresses (cbcheck.entclass): the vocabulary, the policies' encoding,
lint, what a submission declares. The verdicts themselves are cases as data:
tests/cases/enterprise-addressees-*."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cbcheck.entclass import DECLARATION_KEYS, addressed, declarations, profile, vocabulary
from cbcheck.facilities import facility_catalogue
from cbcheck.i18n import catalogue
from cbcheck.model import Submission
from cbcheck.params import parse_classes, parse_set
from cbcheck.policy import bundled_policy_paths, lint_file
from cbcheck.reader.meta import meta_from_row

POLICY = """\
schema_version: 1
id: t
title: 测试方案
region: 运城市
status: final
rules:
  - id: T-ONE
    title: 重点用能单位执行能源利用状况报告制度
    indicator: energy_use_status_report_submitted
    kind: completed_by
    strength: binding
    scope: {scope}
    addressees: [{addressee}]
    source: {{section: 四, quote: 严格执行重点用能单位能源利用状况报告制度}}
"""


def _sub(meta: dict[str, str]) -> Submission:
    return Submission(path="x.csv", sha256="", entity="某企业", scope="enterprise", observations=(), meta=meta)


def test_every_class_is_named_in_both_languages_and_refers_to_known_ids() -> None:
    voc = vocabulary()
    types = facility_catalogue().types
    for c in voc.classes.values():
        for lang in ("zh", "en"):
            assert f"entclass.{c.id}" in catalogue(lang), (c.id, lang)
        assert set(c.implies) <= set(voc.classes), c.id
        assert set(c.facility_types) <= set(types), c.id


def test_every_yes_no_class_has_a_row_to_declare_it() -> None:
    """The MISSING hint names a row the reader understands (是否重点用能单位：是)."""
    rows = set(DECLARATION_KEYS.values())
    missing = [c.id for c in vocabulary().classes.values() if c.group == "status" and c.id not in rows]
    assert missing == []
    assert set(rows) - {"declared", "ownership"} <= set(vocabulary().classes)


@pytest.mark.parametrize("path", bundled_policy_paths(), ids=lambda p: p.stem)
def test_every_bundled_enterprise_rule_says_whom_it_addresses(path: Path) -> None:
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    bare = [r["id"] for r in rules if r["scope"] == "enterprise" and not r.get("addressees")]
    assert bare == []
    assert all(not r.get("addressees") for r in rules if r["scope"] != "enterprise")


def test_bundled_enterprise_rules_count() -> None:
    """39 enterprise rules across the five policies, as the brief counted them: none dropped or added."""
    n = sum(r["scope"] == "enterprise" for p in bundled_policy_paths()
            for r in yaml.safe_load(p.read_text(encoding="utf-8"))["rules"])
    assert n == 39


@pytest.mark.parametrize(("scope", "addressee", "field", "words"), [
    ("enterprise", "key_logistic", "rules.0.addressees.0", "key_logistic"),
    ("region", "key_energy_user", "rules.0.addressees", "scope enterprise"),
])
def test_lint_refuses_unknown_class_and_addressees_off_enterprise_rules(tmp_path: Path, scope: str, addressee: str,
                                                                          field: str, words: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(POLICY.format(scope=scope, addressee=addressee), encoding="utf-8")
    problems, _ = lint_file(path)
    hits = [p for p in problems if p.field == field]
    assert hits and hits[0].severity == "error" and words in hits[0].message, problems


def test_lint_accepts_a_known_class(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(POLICY.format(scope="enterprise", addressee="key_energy_user"), encoding="utf-8")
    assert [p for p in lint_file(path)[0] if p.severity == "error"] == []


def test_set_splits_class_declarations_from_targets() -> None:
    items = ["重点用能单位=是", "key_logistics=no", "YC-ENERGY-TOTAL=520 万吨标准煤", "生产企业 = 否"]
    assert declarations(items) == ({"key_energy_user": True, "key_logistics": False, "producer": False},
                                   ["YC-ENERGY-TOTAL=520 万吨标准煤"])
    assert parse_classes(items) == {"key_energy_user": True, "key_logistics": False, "producer": False}
    assert list(parse_set(items)) == ["YC-ENERGY-TOTAL"]


@pytest.mark.parametrize(("row", "field", "value"), [
    (["是否重点用能单位：", "是"], "class.key_energy_user", "是"),
    (["是否重点用能单位", "否"], "class.key_energy_user", "否"),
    (["所属行业：焦化、化工"], "class.declared", "焦化、化工"),
    (["企业性质：国有"], "class.ownership", "国有"),
    (["填报单位：某焦化厂", "是否重点排污单位：是"], "class.key_pollutant_discharger", "是"),
])
def test_declaration_rows_are_read_as_metadata(row: list[str], field: str, value: str) -> None:
    meta: dict[str, str] = {}
    assert meta_from_row(row, meta)
    assert meta[field] == value


@pytest.mark.parametrize(("meta", "cls", "holds"), [
    ({"class.declared": "焦化、化工"}, "chemical", True),
    ({"class.declared": "焦化、化工"}, "high_energy", True),        # implied by the sector
    ({"class.declared": "焦化、化工"}, "logistics", False),          # a known sector excludes the others
    ({"class.declared": "焦化、化工"}, "key_logistics", False),      # …and what implies them
    ({"class.declared": "焦化、化工"}, "key_energy_user", None),     # never derived
    ({"class.declared": "重点用能单位"}, "key_energy_user", True),
    ({"class.declared": "重点用能单位"}, "logistics", None),         # no sector said: nothing excluded
    ({"class.ownership": "国有独资"}, "state_owned", True),
    ({"class.ownership": "民营"}, "state_owned", False),
    ({"class.ownership": "股份制"}, "state_owned", None),
    ({"class.key_energy_user": "是"}, "key_energy_user", True),
    ({"class.key_energy_user": "不清楚"}, "key_energy_user", None),  # not a yes/no word: unknown
])
def test_profile_from_declarations(meta: dict[str, str], cls: str, holds: bool | None) -> None:
    state = profile(_sub(meta)).known.get(cls)
    assert (state[0] if state else None) is holds


def test_explicit_words_beat_what_is_derived() -> None:
    prof = profile(_sub({"class.declared": "焦化", "class.high_energy": "否"}), {"coking": False})
    assert prof.known["coking"][0] is False          # --set over the declaration
    assert prof.known["high_energy"][0] is False     # the declaration over the implication


def test_any_addressee_that_holds_makes_the_rule_judged() -> None:
    prof = profile(_sub({"class.declared": "化工"}))
    assert addressed(["state_owned", "chemical"], prof).answer == "yes"
    assert addressed(["state_owned", "logistics"], prof).answer == "unknown"   # state_owned not said
    assert addressed(["steel", "logistics"], prof).answer == "no"


@pytest.mark.parametrize("lang,said", [
    ("zh", "--set 声明了企业类别（重点用能单位），而本文件是县（市、区）报送，未使用（仅适用于企业报送）"),
    ("en", "--set declares what kind of enterprise this is (key energy-using unit), but this is not an "
           "enterprise's file (county submission): not used (declarations apply to enterprise files)"),
])
def test_a_class_declared_for_a_county_file_is_said_unused(lang: str, said: str) -> None:
    """Never silent: ``--set 重点用能单位=是`` on a county file changes nothing, and says so, on stderr
    and in the report's reading notes; the verdict is the one without it."""
    from typer.testing import CliRunner

    from cbcheck.cli import app

    county = str(Path(__file__).resolve().parents[1] / "examples" / "jining-county-pass.xlsx")
    args = ["check", county, "--policy", "jining-carbon-peak", "--year", "2025", "--lang", lang]
    plain = CliRunner().invoke(app, [*args, "-q"])
    declared = CliRunner().invoke(app, [*args, "--set", "重点用能单位=是"])
    assert said in declared.stderr
    flat = "".join  # the report wraps at the terminal's width: compare without whitespace
    assert flat(said.split()) in flat(declared.stdout.split())      # the report's notes on the reading
    assert said not in plain.stderr and declared.exit_code == plain.exit_code == 0
