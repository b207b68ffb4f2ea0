"""What each check kind says about a rule before any data is read: its requirement in English and
Chinese (``describe``, the Requirement column and ``explain``), the formula and the even path it
will judge against (``arithmetic``, printed by ``cbcheck explain`` and the policy documents),
its policy-schema part, and what lint refuses. The policy-document goldens show these too, but a
golden regenerated with the code proves nothing: here every line is written out by hand, with
the path's numbers worked out in the comments.

Only the registry (``cbcheck.checks.KINDS``) and the data model are used."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cbcheck.checks import KINDS, Context
from cbcheck.checks.kind import Verdict, describe
from cbcheck.i18n.message import Msg
from cbcheck.model import Rule, Source, Status

SRC = Source("测试方案", "二", "quote")


def rule(kind: str, **kw: Any) -> Rule:
    kw.setdefault("strength", "binding")
    return Rule(id="T-1", indicator="energy_intensity", kind=kind, title="t", source=SRC, **kw)


# --- describe: the requirement, in both languages ---------------------------------------------

CAT = {"attribute": "机组类型", "targets": {"300MW级": 300, "600MW级": 290}}

DESCRIBE = [
    # (rule, English, Chinese) for the whole requirement, with its year
    (rule("reduction_vs_base", target=15.6, base_year=2020, target_year=2025),
     "−15.6% vs 2020 by 2025", "比2020年下降15.6%（2025年）"),
    (rule("reduction_vs_base", target=2, base_year=2020, target_year=2025, mode="points"),
     "−2 points vs 2020 by 2025", "比2020年下降2个百分点（2025年）"),
    (rule("increase_vs_base", target=5, base_year=2020, target_year=2025, mode="points"),
     "+5 points vs 2020 by 2025", "比2020年提高5个百分点（2025年）"),
    (rule("increase_vs_base", target=10, base_year=2020, target_year=2025, mode="percent"),
     "+10% vs 2020 by 2025", "比2020年提高10%（2025年）"),
    (rule("growth", target=8, mode="cagr", target_year=2025),
     "cagr growth ≥ 8% by 2025", "年均增长不低于8%（2025年）"),
    (rule("growth", target=0, mode="yoy", exclusive=True, params={"comparator": "at_most"}),
     "yoy growth < 0%", "同比增长不高于0%"),                     # 负增长, no year
    (rule("direction", mode="increase"), "rising", "逐年提高"),
    (rule("direction", mode="decrease"), "falling", "逐年下降"),
    (rule("direction", mode="non_increase"), "not rising", "不增加"),
    (rule("direction"), "rising", "逐年提高"),                   # no mode: increase
    (rule("peak_by", target_year=2030), "peaks by 2030", "达峰（2030年）"),
    (rule("at_least", target=13, unit="%", target_year=2025), "≥ 13% by 2025", "≥13%（2025年）"),
    (rule("at_most", target=500, unit="万千瓦", exclusive=True), "< 500 万千瓦", "<500万千瓦"),
    (rule("between", minimum=20, maximum=22, unit="%", target_year=2025),
     "in [20, 22] % by 2025", "20–22%（2025年）"),
    (rule("between", minimum=0.5, maximum=0.8), "in [0.5, 0.8]", "0.5–0.8"),
    (rule("completed_by", params={"annual_deadline": "03-31"}), "complete by 03-31 every year", "每年3月31日前完成"),
    (rule("completed_by", deadline=dt.date(2025, 6, 30), target_year=2025),
     "complete by 2025-06-30", "2025年6月30日前完成"),          # the deadline is the year: no "by 2025"
    (rule("completed_by", target_year=2025), "complete by 2025", "2025年底前完成"),
    (rule("completed_by"), "complete", "完成"),
    (rule("at_least", target=13, unit="%", target_year=2025, assigned_by="省发展改革委"),
     "assigned by 省发展改革委 by 2025", "上级下达（省发展改革委）（2025年）"),
    (rule("completed_by", target_year=2025, assigned_by="市政府"),
     "assigned by 市政府 by 2025", "上级下达（市政府）（2025年）"),
    (rule("at_most", unit="克标准煤/千瓦时", target_year=2025, params={"by_category": CAT}),
     "≤ by 机组类型: 300MW级 300, 600MW级 290 克标准煤/千瓦时 by 2025",
     "≤按机组类型：300MW级 300、600MW级 290克标准煤/千瓦时（2025年）"),
    (rule("at_least", params={"by_category": {"attribute": "类别", "targets": {"甲": 1}}}),
     "≥ by 类别: 甲 1", "≥按类别：甲 1"),
    (rule("at_least", exclusive=True, params={"by_category": {"attribute": "类别", "targets": {"甲": 1}}}),
     "> by 类别: 甲 1", ">按类别：甲 1"),                         # 超过 by category: exclusive
    (rule("at_least", target=13, target_year=2025), "≥ 13 by 2025", "≥13（2025年）"),    # no unit
]


@pytest.mark.parametrize(("r", "en", "zh"), DESCRIBE, ids=[f"{r.kind}-{i}" for i, (r, _, _) in enumerate(DESCRIBE)])
def test_describe(r: Rule, en: str, zh: str) -> None:
    assert describe(r, "en") == en
    assert describe(r, "zh") == zh


# --- arithmetic: the formula and the even path, for explain -----------------------------------

ARITHMETIC = [
    # r_t = 1 − (1 − 0.156)^((t − 2020)/5): 2021 1 − 0.844^0.2 = 3.335 %, 2022 6.559, 2023 9.676, 2024 12.69, 2025 15.6
    (rule("reduction_vs_base", target=15.6, base_year=2020, target_year=2025), 2020,
     ["r = 1 − I_2025 / I_2020 ≥ 15.6%",
      "even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)): "
      "2021 3.335%, 2022 6.559%, 2023 9.676%, 2024 12.69%, 2025 15.6%"]),
    # through 13.5 % in 2025 to 25 % in 2030: 2023 1 − 0.865^(3/5) = 8.334 %;
    # 2027 1 − 0.865·(0.75/0.865)^(2/5) = 18.30 %
    (rule("reduction_vs_base", target=25, base_year=2020, target_year=2030, waypoints=((2025, 13.5),)), 2020,
     ["r = 1 − I_2030 / I_2020 ≥ 25%",
      "even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)), through 13.5% in 2025: "
      "2021 2.859%, 2022 5.636%, 2023 8.334%, 2024 10.95%, 2025 13.5%, "
      "2026 15.93%, 2027 18.3%, 2028 20.6%, 2029 22.83%, 2030 25%"]),
    # 下降10%左右: ±5 % of 10 = 0.5 → the path ends at 9.5; 2021 1 − 0.905^(1/2) = 4.869 %
    (rule("reduction_vs_base", target=10, base_year=2020, target_year=2022, strength="approximate"), 2020,
     ["r = 1 − I_2022 / I_2020 ≥ 10%",
      "even path (compound), r_t = 1 − (1 − R)^((t − b)/(T − b)), "
      "to 9.5% (the loosest value the approximate target accepts): 2021 4.869%, 2022 9.5%"]),
    # points: linear 0 → 2 over four years
    (rule("reduction_vs_base", target=2, base_year=None, target_year=2024, mode="points"), 2020,
     ["d = v_2020 − v_2024 ≥ 2 percentage points", "even path (linear): 2021 0.5, 2022 1, 2023 1.5, 2024 2"]),
    (rule("reduction_vs_base", base_year=2020, target_year=2025, assigned_by="省"), 2020, []),
    (rule("increase_vs_base", target=5, base_year=2020, target_year=2025, mode="points"), 2020,
     ["d = v_t − v_2020 (points) ≥ 5 by 2025", "even path (linear): 2021 1, 2022 2, 2023 3, 2024 4, 2025 5"]),
    # through 6 % in 2022: 3 in 2021, then 6 + (10 − 6)/2 = 8 in 2023
    (rule("increase_vs_base", target=10, base_year=2020, target_year=2024, mode="percent", waypoints=((2022, 6),)),
     2020, ["g = v_t / v_2020 − 1 ≥ 10 by 2024", "even path (linear): 2021 3, 2022 6, 2023 8, 2024 10"]),
    (rule("increase_vs_base", target=10, base_year=None, target_year=2023), 2021,
     ["g = v_t / v_2021 − 1 ≥ 10 by 2023", "even path (linear): 2022 5, 2023 10"]),
    (rule("increase_vs_base", target=10, base_year=2020), 2020, []),                 # no target year
    (rule("growth", target=8, mode="cagr", base_year=2020), 2015, ["g = (v_t / v_2020)^(1/(t − 2020)) − 1 ≥ 8%"]),
    (rule("growth", target=8, mode="cagr"), 2015, ["g = (v_t / v_2015)^(1/(t − 2015)) − 1 ≥ 8%"]),
    (rule("growth", target=0, mode="yoy", params={"comparator": "at_most"}), 2020, ["g = v_t / v_(t−1) − 1 ≤ 0%"]),
    (rule("growth", mode="yoy", assigned_by="省"), 2020, []),
    (rule("at_least", target=13, unit="%", target_year=2025), 2020,
     ["value ≥ 13% in 2025",
      "before 2025: milestone_t linear from v_2020 in 2020 to 13% in 2025, from the submitted base-year value"]),
    # 20%左右 as a ceiling: ±5 % of 20 = 1 → accepted up to 21
    (rule("at_most", target=20, unit="%", target_year=2025, strength="approximate"), 2020,
     ["value ≤ 20% in 2025", "approximate: passes within 1 (±5%), i.e. from 21%",
      "before 2025: milestone_t linear from v_2020 in 2020 to 21% in 2025 "
      "(the loosest value the approximate target accepts), from the submitted base-year value"]),
    (rule("at_least", target=13, unit="%", strength="approximate", tolerance_abs=0.5), 2020,
     ["value ≥ 13%", "approximate: passes within 0.5, i.e. from 12.5%"]),
    (rule("at_least", target=20, unit="%", target_year=2030, base_year=2020, base_value=12, waypoints=((2025, 13),)),
     2018, ["value ≥ 20% in 2030",
            "before 2030: milestone_t linear from 12 in 2020 through 13% in 2025 to 20% in 2030, "
            "from the submitted base-year value"]),
    (rule("at_most", target=0.5, exclusive=True), 2020, ["value < 0.5"]),
    (rule("at_most", unit="克标准煤/千瓦时", params={"by_category": CAT}), 2020, []),
    (rule("between", minimum=20, maximum=22, unit="%"), 2020, ["20 ≤ value ≤ 22 %"]),
    (rule("between", minimum=0.5, maximum=0.8), 2020, ["0.5 ≤ value ≤ 0.8"]),
    (rule("completed_by", deadline=dt.date(2025, 6, 30), target_year=2025), 2020,
     ["completion date ≤ 2025-06-30 (or 是/已完成 reported by then)"]),
    (rule("completed_by", target_year=2025), 2020, ["completion date ≤ 2025-12-31 (or 是/已完成 reported by then)"]),
    (rule("completed_by"), 2020, ["completion date ≤ the reporting year's end (or 是/已完成 reported by then)"]),
    (rule("completed_by", params={"annual_deadline": "11-30"}, target_year=2025), 2020,
     ["completion date ≤ 11-30 of the reporting year (or 是/已完成 reported by then)"]),
    (rule("direction", mode="decrease"), 2020, []),
    (rule("peak_by", target_year=2030), 2020, []),
]


@pytest.mark.parametrize(("r", "default_base", "lines"), ARITHMETIC,
                         ids=[f"{r.kind}-{i}" for i, (r, _, _) in enumerate(ARITHMETIC)])
def test_arithmetic(r: Rule, default_base: int, lines: list[str]) -> None:
    assert KINDS[r.kind].arithmetic(r, default_base) == lines


# --- what a facility summary states, and what is outside a direction rule's period --------------

@pytest.mark.parametrize(("r", "text"), [
    (rule("at_most", target=300, unit="克标准煤/千瓦时"), "≤ 300 克标准煤/千瓦时"),
    (rule("at_least", target=95, unit="%", exclusive=True), "> 95%"),
    (rule("at_most", unit="克标准煤/千瓦时", params={"by_category": CAT}), "≤ by 机组类型: 300MW级 300, 600MW级 290"),
    (rule("direction", mode="decrease"), "should fall vs 2024"),
    (rule("direction", mode="non_increase"), "should not rise vs 2024"),
    (rule("direction"), "should rise vs 2024"),
    (rule("completed_by", deadline=dt.date(2025, 6, 30)), "done by 2025-06-30"),
    (rule("completed_by", params={"annual_deadline": "11-30"}), "done by 2025-11-30"),   # this year's day
    (rule("completed_by", target_year=2024), "done by 2024-12-31"),
    (rule("completed_by"), "done by 2025-12-31"),                                      # the reporting year's end
])
def test_facility_expected(r: Rule, text: str) -> None:
    assert KINDS[r.kind].facility_expected(r, Context(year=2025)) == text


@pytest.mark.parametrize(("r", "year", "message"), [
    (rule("direction", mode="decrease", base_year=2020, target_year=2025), 2020,
     "the rule covers 2021–2025; 2020 is before it"),
    (rule("direction", mode="decrease", base_year=2020), 2019,
     "the rule covers the years from 2021; 2019 is before it"),
    (rule("direction", mode="decrease", base_year=2020), 2021, None),         # the first year it covers
    (rule("direction", mode="decrease"), 2000, None),                         # no base year: always covered
])
def test_direction_outside_its_period(r: Rule, year: int, message: str | None) -> None:
    out = KINDS["direction"].outside_period(r, Context(year=year))
    if message is None:
        assert out is None
    else:
        assert out is not None and out.status is Status.NOT_DUE and out.message == message
        assert (out.observed, out.expected) == (None, "decrease")


# --- policy checks ------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "fields", "problems"), [
    ("between", {"min": 22, "max": 20}, [("min", "min is greater than max")]),
    ("between", {"min": 20, "max": 20}, []),                      # a single value is a range
    ("between", {"min": 20}, []),
    ("completed_by", {"deadline": "2025-02-30"}, [("deadline", "2025-02-30 is not a real date")]),
    ("completed_by", {"deadline": "2024-02-29"}, []),             # a leap day
    ("completed_by", {"annual_deadline": "02-30"}, [("annual_deadline", "02-30 is not a real month-day (MM-DD)")]),
    ("completed_by", {"annual_deadline": "11-30"}, []),
    ("completed_by", {"deadline": "2025-13-01", "annual_deadline": "00-10"},
     [("deadline", "2025-13-01 is not a real date"), ("annual_deadline", "00-10 is not a real month-day (MM-DD)")]),
    ("at_least", {"target": 13}, []),
])
def test_lint(kind: str, fields: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    assert KINDS[kind].lint({"kind": kind, **fields}) == problems


@pytest.mark.parametrize(("kind", "fields", "problem"), [
    ("reduction_vs_base", {"unit": "万吨"}, "targets of reduction_vs_base rules are in %, not '万吨'"),
    ("increase_vs_base", {"unit": "万吨", "mode": "points"},
     "targets of increase_vs_base rules are in 个百分点, not '万吨'"),
    ("reduction_vs_base", {"unit": "%"}, None),
    ("reduction_vs_base", {}, None),
    ("growth", {"unit": "万元"}, "targets of growth rules are in %, not '万元'"),
    ("growth", {"unit": "%"}, None),
])
def test_unit_problem(kind: str, fields: dict[str, Any], problem: str | None) -> None:
    assert KINDS[kind].unit_problem(fields, "energy") == problem


def test_schema_part_of_a_kind() -> None:
    part = KINDS["reduction_vs_base"].schema()
    assert part["if"] == {"properties": {"kind": {"const": "reduction_vs_base"}}, "required": ["kind"]}
    then = part["then"]
    assert then["required"] == ["base_year", "target_year"]
    assert then["allOf"] == [{"anyOf": [{"required": ["target"]}, {"required": ["assigned"]}]}]
    assert then["properties"]["mode"] == {"enum": ["percent", "points"]}
    # the fields of other kinds are forbidden; its own (target, base_value, tolerance) are not listed
    assert then["properties"]["min"] is False and then["properties"]["deadline"] is False
    assert not {"target", "base_year", "base_value", "tolerance"} & set(then["properties"])
    between = KINDS["between"].schema()["then"]
    assert between["required"] == ["min", "max"] and "allOf" not in between
    assert between["properties"]["mode"] is False          # a range has no mode: the field is forbidden
    peak = KINDS["peak_by"].schema()["then"]
    assert peak["required"] == ["target_year"] and peak["properties"]["target"] is False


# --- a facility's verdict: its status and its words ----------------------------------------------

@pytest.mark.parametrize(("verdict", "binding", "status", "en", "zh"), [
    (Verdict.MISS, True, Status.FAIL, "breaches the threshold", "未达到限值要求"),
    (Verdict.MISS, False, Status.WARN, "breaches the threshold (aspirational)", "未达到限值要求（预期性）"),
    (Verdict.OVERDUE, False, Status.WARN, "overdue (aspirational)", "逾期未完成（预期性）"),
    (Verdict.MEETS, False, Status.PASS, "meets the threshold", "达到要求"),
    (Verdict.UNREADABLE, True, Status.ERROR, "cannot be read", "无法读取"),
    (Verdict.EXEMPT, True, Status.NOT_APPLICABLE, "exempt", "豁免"),
])
def test_verdict_status_and_words(verdict: Verdict, binding: bool, status: Status, en: str, zh: str) -> None:
    assert verdict.status(binding) is status
    assert verdict.message(binding) == en and verdict.message(binding, "zh") == zh


def test_a_verdicts_english_words_keep_their_key_for_the_report_language() -> None:
    """The facility listing asks ``message(binding)`` once per verdict and renders it later in the
    reader's language: the English must be a Msg that still knows its key (binding by default)."""

    said = Verdict.MISS.message()
    assert isinstance(said, Msg) and said.key == "msg.f_miss"
    assert said.text("zh") == "未达到限值要求"
    asp = Verdict.LATE.message(False, "en")
    assert isinstance(asp, Msg) and asp.key == "msg.f_late_asp"
    assert type(Verdict.MISS.message(True, "zh")) is str


def test_a_miss_of_an_approximate_target_is_worded_as_approximate_not_aspirational() -> None:
    # 左右 is approximate (DOMAIN §3): the miss is a WARN because it lies beyond the tolerance
    en = "breaches the threshold, beyond the tolerance of an approximate target"
    zh = "未达到限值要求，超出“左右”目标的容差范围"
    miss = Verdict.MISS
    assert (miss.message(False, approximate=True), miss.message(False, "zh", approximate=True)) == (en, zh)
    said = miss.message(False, approximate=True)
    assert isinstance(said, Msg) and said.text("zh") == zh     # a facility listing says it by key, no template
    # a deadline or a direction has no approximate wording of its own: the plain words, no "(aspirational)"
    assert Verdict.OVERDUE.message(False, "zh", approximate=True) == "逾期未完成"
