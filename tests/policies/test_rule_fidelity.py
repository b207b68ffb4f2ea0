"""Every bundled rule says what its plan says (policies/AUDIT.md, the audit these checks came from):
the quote stands under the cited section; each year the rule judges by is stated; a deadline is the
date the quote writes; 比2020年 is the base year; 以上/以下/超过 are the comparison, for the target
and for the thresholds that choose facilities; the title states no number the plan does not.

The checks are first run on invented rules against a small plan, each case able to fail, then on
every rule of every bundled policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cbcheck.coverage import normalise
from cbcheck.policy import bundled_policy_paths
from cbcheck.yamlio import load_yaml
from conftest import seeds_dir

from .plantext import (base_problems, comparison_problems, deadline_problems, open_list_problems,
                       section_problems, title_problems, year_problems)

PLAN = normalise("""某市碳达峰实施方案
二、主要目标
到2025年,非化石能源消费比重达到13%,单位地区生产总值能源消耗比2020年下降15.6%。
三、重点任务
(一)能源绿色低碳转型行动
1.推进煤炭消费替代
到2025年,煤电机组平均供电煤耗降至295克标准煤/千瓦时以下。实现30万千瓦以下抽凝机组基本替代退出。
有序推进30万千瓦级以下煤电机组淘汰落后和整合工作。
2.大力发展光伏发电
到2030年,光伏发电装机达到800万千瓦。2023年10月底前全部关停4.3米焦炉。
(二)工业领域碳达峰行动
1.推动化工行业集聚化发展
到2025年,重点行业产能达到能效标杆水平的比例超过30%。规模以上工业增加值能耗比上年下降3%。
对20万千瓦以下供电煤耗超300克标准煤/千瓦时的抽凝机组,实施背压改造。到2025年创建10家省级以上节约型公共机构示范单位。
推进大型燃煤电厂热电联产改造。加快实施园区内焦化、钢铁、水泥等企业超低排放改造。焦化、钢铁企业实施超低排放改造。
四、保障措施
各县要组织开展年度评估,在每年11月中旬前向市政府汇报。
""")
PERIOD = "2021-2030"


def _rule(quote: str, section: str, **fields: Any) -> dict[str, Any]:
    rule = {"id": "T-1", "title": "t", "indicator": "x", "kind": "completed_by", "strength": "binding",
            "scope": "region", "source": {"section": section, "quote": quote}}
    rule.update(fields)
    return rule


S_COAL = "三、(一) 1. 推进煤炭消费替代"
S_PV = "三、(一) 2. 大力发展光伏发电"
S_CHEM = "三、(二) 1. 推动化工行业集聚化发展"
Q_PV = "到2030年,光伏发电装机达到800万千瓦"
Q_COKE = "2023年10月底前全部关停4.3米焦炉"
Q_CHP = "实现30万千瓦以下抽凝机组基本替代退出"
Q_OPEN = "加快实施园区内焦化、钢铁、水泥等企业超低排放改造"
Q_BACKPRESSURE = "对20万千瓦以下供电煤耗超300克标准煤/千瓦时的抽凝机组,实施背压改造"


def _where(attribute: str, **bound: Any) -> dict[str, Any]:
    return {"facility_type": "coal_power_unit", "where": [{"attribute": attribute, "unit": "万千瓦", **bound}]}


THREE_SECTORS = {"where": [{"attribute": "sector", "in": ["焦化", "钢铁", "水泥"]}]}

# (check, rule, expected problem fragment or None)
CASES = [
    # -- section: the quote lies between its heading and the next heading of a cited level
    ("section", _rule(Q_PV, S_PV), None),
    ("section", _rule(Q_PV, S_COAL), "not under"),
    ("section", _rule(Q_PV, "三、(二) 1. 推动化工行业集聚化发展"), "not under"),
    ("section", _rule(Q_PV, "三、(一) 3. 发展氢能"), "not found"),
    ("section", _rule("非化石能源消费比重达到13%", "二、主要目标"), None),
    ("section", _rule("非化石能源消费比重达到13%", "四、保障措施"), "not under"),
    # -- years: in the quote's sentence, in the notes, or the plan's horizon
    ("years", _rule("光伏发电装机达到800万千瓦", S_PV, target_year=2030), None),
    ("years", _rule("光伏发电装机达到800万千瓦", S_PV, target_year=2028), "target_year 2028"),
    ("years", _rule("光伏发电装机达到800万千瓦", S_PV, target_year=2028, notes="2028 assumed: …"), None),
    ("years", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, target_year=2030), None),     # horizon
    ("years", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, deadline="2027-12-31"), "deadline 2027"),
    ("years", _rule("单位地区生产总值能源消耗比2020年下降15.6%", "二、主要目标", kind="reduction_vs_base",
                    base_year=2020, target_year=2025), None),
    ("years", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, kind="growth", base_year=2018), "base_year 2018"),
    # -- deadlines: the date the quote writes
    ("deadline", _rule(Q_COKE, S_PV, deadline="2023-10-31"), None),
    ("deadline", _rule(Q_COKE, S_PV, deadline="2023-12-31"), "writes 2023-10-31"),
    ("deadline", _rule(Q_PV, S_PV, deadline="2030-12-31"), None),
    ("deadline", _rule(Q_PV, S_PV, deadline="2030-06-30"), "writes 2030-12-31"),
    ("deadline", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, deadline="2030-12-31"), None),
    ("deadline", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, deadline="2030-06-30"), "the year's end"),
    ("deadline", _rule("在每年11月中旬前向市政府汇报", "四、保障措施", annual_deadline="11-20"), None),
    ("deadline", _rule("在每年11月中旬前向市政府汇报", "四、保障措施", annual_deadline="11-30"), "writes 11-20"),
    ("deadline", _rule(Q_PV, S_PV, annual_deadline="11-30"), "no 每年"),
    # -- base year: 比2020年 is the base; 比上年 is no cumulative change
    ("base", _rule("单位地区生产总值能源消耗比2020年下降15.6%", "二、主要目标", kind="reduction_vs_base",
                   base_year=2020), None),
    ("base", _rule("单位地区生产总值能源消耗比2020年下降15.6%", "二、主要目标", kind="reduction_vs_base",
                   base_year=2005), "compares with [2020]"),
    ("base", _rule("规模以上工业增加值能耗比上年下降3%", S_CHEM, kind="reduction_vs_base", base_year=2020),
     "year-on-year"),
    ("base", _rule("规模以上工业增加值能耗比上年下降3%", S_CHEM, kind="growth", mode="yoy"), None),
    # -- comparison words, for the target
    ("comparison", _rule("煤电机组平均供电煤耗降至295克标准煤/千瓦时以下", S_COAL, kind="at_most", target=295), None),
    ("comparison", _rule("煤电机组平均供电煤耗降至295克标准煤/千瓦时以下", S_COAL, kind="at_least", target=295),
     "lower bound"),
    ("comparison", _rule("能效标杆水平的比例超过30%", S_CHEM, kind="at_least", target=30, exclusive=True), None),
    ("comparison", _rule("能效标杆水平的比例超过30%", S_CHEM, kind="at_least", target=30), "(exclusive)"),
    ("comparison", _rule("创建10家省级以上节约型公共机构示范单位", S_CHEM, kind="at_least", target=10), None),
    ("comparison", _rule(Q_PV, S_PV, kind="at_least", target=800), None),
    ("comparison", _rule(Q_PV, S_PV, kind="at_least", target=800, exclusive=True), "has no 超过"),   # 达到
    # -- … and for the thresholds that choose the facilities
    ("comparison", _rule(Q_CHP, S_COAL, applies_to=_where("capacity", max=30)), None),
    ("comparison", _rule(Q_CHP, S_COAL, applies_to=_where("capacity", max=30, max_exclusive=True)), "(inclusive)"),
    ("comparison", _rule(Q_CHP, S_COAL, applies_to=_where("capacity", max=30, max_exclusive=True),
                         notes="30万千瓦以下 read as < 300 MW (max_exclusive): the next sentence …"), None),
    ("comparison", _rule("有序推进30万千瓦级以下煤电机组淘汰落后和整合工作", S_COAL,
                         applies_to=_where("capacity", max=30, max_exclusive=True)), None),
    ("comparison", _rule(Q_CHP, S_COAL, applies_to=_where("capacity", min=30)), "is a lower bound"),
    ("comparison", _rule(Q_BACKPRESSURE, S_CHEM, applies_to=_where("coal", min=300, min_exclusive=True)), None),
    ("comparison", _rule(Q_BACKPRESSURE, S_CHEM, applies_to=_where("coal", min=300)), "(exclusive)"),
    ("comparison", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, applies_to=_where("capacity", min=30)),
     "neither in the quote nor in the notes"),
    ("comparison", _rule("推进大型燃煤电厂热电联产改造", S_CHEM, applies_to=_where("capacity", min=30),
                         notes="大型 read as 30万千瓦及以上"), None),
    # -- open lists: 焦化、钢铁、水泥等 narrowed to the three named sectors is said in the notes
    ("open_list", _rule(Q_OPEN, S_CHEM, applies_to=THREE_SECTORS), "open list"),
    ("open_list", _rule(Q_OPEN, S_CHEM, applies_to=THREE_SECTORS, notes="等 leaves the list open: …"), None),
    ("open_list", _rule("焦化、钢铁企业实施超低排放改造", S_CHEM,
                        applies_to={"where": [{"attribute": "sector", "in": ["焦化", "钢铁"]}]}), None),
    # -- titles
    ("title", _rule(Q_PV, S_PV, title="光伏发电装机2030年达到800万千瓦", target=800), None),
    ("title", _rule(Q_PV, S_PV, title="光伏发电装机2030年达到900万千瓦", target=800), "title says 900"),
]

CHECKS = {
    "section": lambda rule, plan, period: section_problems(rule, plan),
    "years": lambda rule, plan, period: year_problems(rule, plan, period),
    "deadline": lambda rule, plan, period: deadline_problems(rule),
    "base": lambda rule, plan, period: base_problems(rule),
    "comparison": lambda rule, plan, period: comparison_problems(rule),
    "title": lambda rule, plan, period: title_problems(rule, plan),
    "open_list": lambda rule, plan, period: open_list_problems(rule),
}


@pytest.mark.parametrize(("check", "rule", "expected"), CASES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_check_cases(check: str, rule: dict[str, Any], expected: str | None) -> None:
    problems = CHECKS[check](rule, PLAN, PERIOD)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems


POLICIES = bundled_policy_paths()


@pytest.fixture(scope="module", params=POLICIES, ids=lambda p: p.stem)
def bundled(request: pytest.FixtureRequest) -> tuple[dict[str, Any], str]:
    data = load_yaml(request.param)
    return data, normalise((seeds_dir() / data["source_file"]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_bundled_rules_say_what_the_plan_says(bundled: tuple[dict[str, Any], str], check: str) -> None:
    data, plan = bundled
    problems = [(rule["id"], p) for rule in data["rules"] for p in CHECKS[check](rule, plan, data["period"])]
    assert problems == []


def test_every_policy_states_its_period() -> None:
    """The years check reads the plan horizon from `period`."""
    assert all(load_yaml(Path(p)).get("period") for p in POLICIES)
