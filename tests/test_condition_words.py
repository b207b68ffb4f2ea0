"""A facility rule's conditions in the reader's words: attributes and facility types by the facility
catalogue's names (炭化室高度 / coke-chamber height), never the id; the bounds as symbols with the
plan's unit, the same in both languages; the plan's category values as written. Expectations are
written out by hand, one per shape of condition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cbcheck.checks.base import term
from cbcheck.facilities import build, name_of
from cbcheck.i18n.message import Msg, Word
from cbcheck.model import Rule
from cbcheck.policy import load_policy
from cbcheck.wording import applies_text, describe_condition

ROOT = Path(__file__).resolve().parents[1]

CONDITIONS = [
    ({"attribute": "oven_height", "min": 5.5, "unit": "米"},
     "炭化室高度 ≥ 5.5 米", "coke-chamber height ≥ 5.5 米"),
    ({"attribute": "capacity", "max": 30, "max_exclusive": True, "unit": "万千瓦"},
     "容量 < 30 万千瓦", "capacity < 30 万千瓦"),
    ({"attribute": "capacity", "min": 30, "max": 60, "unit": "万千瓦"},
     "容量 ≥ 30 万千瓦 且 ≤ 60 万千瓦", "capacity ≥ 30 万千瓦 and ≤ 60 万千瓦"),
    ({"attribute": "feedstock", "in": ["粉煤", "块煤"]},
     "原料路线 属于｛粉煤、块煤｝", "feedstock in {粉煤, 块煤}"),
    ({"attribute": "in_industrial_park", "equals": True},
     "是否在园区内 = 是", "in an industrial park = yes"),
    ({"attribute": "unit_type", "equals": "抽凝"},
     "机组类型 = 抽凝", "unit type = 抽凝"),
    ({"attribute": "baseline_supply_coal_consumption"},
     "已填报 改造前供电煤耗", "supply coal consumption before the retrofit given"),
    ({"attribute": "not_in_catalogue", "min": 1},          # an id the catalogue lacks reads as written
     "not_in_catalogue ≥ 1", "not_in_catalogue ≥ 1"),
]


@pytest.mark.parametrize(("cond", "zh", "en"), CONDITIONS)
def test_a_condition_reads_in_each_language(cond: dict, zh: str, en: str) -> None:
    said = describe_condition(cond)
    assert (said.text("zh"), said.text("en"), str(said)) == (zh, en, en)


def _rule(applies: dict) -> Rule:
    rule = Rule.__new__(Rule)
    object.__setattr__(rule, "params", {"applies_to": applies})
    return rule


def test_which_facilities_a_rule_covers_with_where_and_exempt() -> None:
    said = applies_text(_rule({
        "facility_type": "coal_power_unit",
        "where": [{"attribute": "unit_type", "in": ["抽凝"]}, {"attribute": "capacity", "max": 20, "unit": "万千瓦"}],
        "exempt": [{"attribute": "meets_retirement_conditions", "equals": False},
                   {"attribute": "capacity", "max": 5, "max_exclusive": True, "unit": "万千瓦"}]}))
    assert isinstance(said, Msg)
    assert said.text("zh") == ("燃煤发电机组，条件：机组类型 属于｛抽凝｝ 且 容量 ≤ 20 万千瓦；"
                               "豁免：是否达到退役条件 = 否、容量 < 5 万千瓦")
    assert said.text("en") == ("coal-fired power unit where unit type in {抽凝} and capacity ≤ 20 万千瓦; "
                               "exempt: meets the retirement conditions = no, capacity < 5 万千瓦")
    assert applies_text(_rule({"facility_type": "coke_oven"})).text("zh") == "焦炉"


def test_term_names_attributes_by_the_catalogue_and_scopes_by_the_messages() -> None:
    assert (term("oven_height").text("zh"), str(term("oven_height"))) == ("炭化室高度", "coke-chamber height")
    assert (term("county").text("zh"), str(term("county"))) == ("县（市、区）", "county")
    assert term("no_such_word") == "no_such_word"
    assert name_of("coke_oven", "type").text("zh") == "焦炉"
    # development_zone is both a type (开发区) and an attribute (所在开发区): each asks for its own
    assert (name_of("development_zone", "type").text("zh"), name_of("development_zone").text("zh")) == \
        ("开发区", "所在开发区")


def test_a_word_keeps_both_languages_through_pickling() -> None:
    import pickle

    said = pickle.loads(pickle.dumps(Msg("msg.needed_threshold", attribute=term("feedstock"))))
    assert (said.text("zh"), str(said)) == ("需要原料路线才能确定限值", "feedstock is needed to choose the threshold")
    assert isinstance(said.params["attribute"], Word)


def test_every_type_and_attribute_has_an_english_name_that_is_not_an_id() -> None:
    data = yaml.safe_load((ROOT / "policies" / "facilities.yaml").read_text(encoding="utf-8"))
    for entry in data["facility_types"] + data["attributes"]:
        assert entry.get("name_en") and not re.search(r"[a-z]_[a-z]", entry["name_en"]), entry["id"]


def test_a_catalogue_without_name_en_reads_the_id_in_english() -> None:
    cat = build({"facility_types": [{"id": "coke_oven", "name": "焦炉"}],
                 "attributes": [{"id": "oven_height", "name": "炭化室高度", "kind": "number"}]})
    assert (cat.types["coke_oven"].name_en, cat.attributes["oven_height"].name_en) == ("coke_oven", "oven_height")


def test_every_bundled_facility_condition_is_worded_without_an_id_in_chinese() -> None:
    """Every applies_to of every bundled policy, said in Chinese, names no attribute or type by its id."""
    seen = 0
    for path in sorted((ROOT / "policies").glob("*.yaml")):
        if path.name in ("indicators.yaml", "facilities.yaml"):
            continue
        policy, _ = load_policy(str(path))
        for rule in policy.rules:
            said = applies_text(rule)
            if isinstance(said, Msg):
                seen += 1
                assert not re.search(r"[a-z]+_[a-z_]+", said.text("zh")), (rule.id, said.text("zh"))
    assert seen > 20


@pytest.mark.parametrize(("entry", "field"), [
    ({"id": "coke_oven", "name": "焦炉"}, "facility_types.0"),                              # no name_en
    ({"id": "coke_oven", "name": "焦炉", "name_en": "coke_oven"}, "facility_types.0.name_en"),  # an id as its name
])
def test_lint_wants_an_english_name_that_is_not_an_id(entry: dict, field: str) -> None:
    from cbcheck.schemas import schema_errors

    height = {"id": "oven_height", "name": "炭化室高度", "name_en": "coke-chamber height", "kind": "number"}
    data = {"schema_version": 1, "facility_types": [entry], "attributes": [height]}
    assert [where for where, _ in schema_errors("facilities", data)] == [field]
