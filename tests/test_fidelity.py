"""Fidelity lint (src/cbcheck/fidelity.py): units written in the quote, wording → strength."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cbcheck.fidelity import rule_problems, strength_of_wording, unit_problems


def _rule(quote: str, **fields: Any) -> dict[str, Any]:
    raw = {"id": "T-1", "title": "t", "indicator": "wetland_area", "kind": "at_least",
           "strength": "binding", "scope": "region", "source": {"section": "s", "quote": quote}}
    raw.update(fields)
    return raw


def _where(**bound: Any) -> dict[str, Any]:
    return {"facility_type": "coal_power_unit", "where": [{"attribute": "capacity", **bound}]}


# (quote, rule fields, expected problem fragment or None)
UNIT_CASES = [
    # the issue-15 slip: 80万亩 with no unit is read as 80 公顷
    ("湿地面积达到80万亩", {"target": 80}, "states no unit"),
    ("湿地面积达到80万亩", {"target": 80, "unit": "公顷"}, "not the same amount"),
    ("湿地面积达到80万亩", {"target": 80, "unit": "万亩"}, None),
    # 53,333.33 公顷 is the same amount but the number is not the quote's: the older lint warns
    ("湿地面积达到80万亩", {"target": 53333.33, "unit": "公顷"}, None),
    ("新能源装机达到500万千瓦以上", {"target": 500, "unit": "万千瓦"}, None),
    ("新能源装机达到500万千瓦以上", {"target": 500, "unit": "MW"}, "not the same amount"),
    ("时代永福1.1GW光伏发电项目", {"target": 1.1, "unit": "GW"}, None),
    ("时代永福1.1GW光伏发电项目", {"target": 1.1, "unit": "百万千瓦"}, None),   # 1 GW = 百万千瓦
    # 万千瓦时 is the longest unit, not 万千瓦
    ("年发电量达到12万千瓦时", {"target": 12, "unit": "万千瓦"}, "not the same amount"),
    ("比2020年下降15.6%", {"target": 15.6, "unit": "%", "kind": "reduction_vs_base"}, None),
    # A reduction's target is a % change (or points, by its mode) whatever the indicator's unit.
    ("比2020年下降15.6%", {"target": 15.6, "kind": "reduction_vs_base"}, None),
    ("较2020年下降5个百分点", {"target": 5, "kind": "reduction_vs_base"}, "add mode: points"),
    ("较2020年下降5个百分点", {"target": 5, "kind": "reduction_vs_base", "mode": "points"}, None),
    ("比2020年下降5%", {"target": 5, "kind": "reduction_vs_base", "mode": "points"}, "has mode: points"),
    ("提高2个百分点", {"target": 2, "unit": "%"}, "not the same amount"),
    ("提高2个百分点", {"target": 2, "unit": "个百分点"}, None),
    # a bare number has nothing to compare
    ("累计建成加氢站15座", {"target": 15, "unit": "座"}, None),
    ("新建项目能效达到标杆水平比例达到30", {"target": 30}, None),
    # the plans' shorthand: a capacity in 万吨 is 万吨 a year; 克/千瓦时 in a 煤耗 sentence is 克标准煤
    ("浩威新能源20万吨废铅酸废电池综合利用项目", {"target": 20, "unit": "万吨/年"}, None),
    ("煤电机组平均供电煤耗降至300克/千瓦时以下", {"target": 300, "unit": "克标准煤/千瓦时"}, None),
    ("每千瓦时排放300克", {"target": 300, "unit": "克标准煤/千瓦时"}, "not the same amount"),
    # 台(套): the bracket ends the unit
    ("推广高效节能设备10000台(套)", {"target": 10000, "unit": "台套"}, None),
    # markup after a number is not part of its unit
    ("达到50%<script>alert(5)</script>", {"target": 50, "unit": "%"}, None),
    # a year after the number is a date, not a unit
    ("在2025年完成", {"target": 2025}, None),
    # min/max and by_category are checked as well
    ("控制在20—30万千瓦", {"kind": "between", "min": 20, "max": 30, "unit": "万吨"}, "max 30"),
    ("合成氨单位产品能耗:粉煤1200千克标准煤/吨",
     {"by_category": {"attribute": "feedstock", "targets": {"粉煤": 1200}}}, "states no unit"),
    # an assigned target has no number of its own
    ("完成省下达的80万亩", {"assigned": {"by": "省"}}, None),
    # the thresholds that choose the facilities are in the quote's unit too
    ("实现30万千瓦以下抽凝机组基本替代退出", {"kind": "completed_by", "applies_to": _where(max=30, unit="万千瓦")},
     None),
    ("实现30万千瓦以下抽凝机组基本替代退出", {"kind": "completed_by", "applies_to": _where(max=30, unit="MW")},
     "applies_to.where.0.max 30"),
    ("年综合能耗超过5000吨标准煤的数据中心",
     {"kind": "completed_by", "applies_to": _where(min=5000, unit="万吨标准煤")}, "not the same amount"),
    ("年综合能耗超过1万吨标准煤的数据中心",
     {"kind": "completed_by", "applies_to": _where(min=1, unit="万吨标准煤")}, None),
    ("在建焦化项目单位产品能耗达到标杆水平,2500吨/日以下除外",
     {"kind": "at_most", "assigned": {"by": "国家"}, "applies_to": _where(max=2500, unit="吨/日")}, None),
    ("在建焦化项目单位产品能耗达到标杆水平,2500吨/日以下除外",
     {"kind": "at_most", "assigned": {"by": "国家"}, "applies_to": _where(max=2500, unit="万吨/年")},
     "not the same amount"),
]


@pytest.mark.parametrize(("quote", "fields", "expected"), UNIT_CASES, ids=[f"{q}|{f}" for q, f, _ in UNIT_CASES])
def test_unit_cases(quote: str, fields: dict[str, Any], expected: str | None) -> None:
    problems = unit_problems(_rule(quote, **fields))
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0][1], problems


def test_the_wetland_rules_fail_60_wan_mu(tmp_path: Path) -> None:
    """YCH-WETLAND-AREA-2025/-2030 (80万亩) against a county reporting 60万亩 and 53,400 公顷."""
    from cbcheck.engine import evaluate
    from cbcheck.params import Params
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    policy, cat = load_policy("yinchuan-carbon-peak-draft")
    findings = {}
    for value, unit, year in (("60", "万亩", 2025), ("60", "万亩", 2030), ("53400", "公顷", 2030),
                              ("79.9", "万亩", 2025)):
        sub = tmp_path / f"{unit}-{year}.csv"
        sub.write_text(f"指标名称,单位,{year}年\n湿地面积,{unit},{value}\n", encoding="utf-8")
        report = evaluate(policy, cat, read_submission(sub, cat), year=year, params=Params())
        findings[(value, year)] = {f.rule_id: f.status.value for f in report.findings}
    assert findings[("60", 2025)]["YCH-WETLAND-AREA-2025"] == "FAIL"
    assert findings[("60", 2030)]["YCH-WETLAND-AREA-2030"] == "FAIL"
    # 53,400 公顷 = 80.1万亩 (1万亩 = 666.67 公顷): passes
    assert findings[("53400", 2030)]["YCH-WETLAND-AREA-2030"] == "PASS"
    assert findings[("79.9", 2025)]["YCH-WETLAND-AREA-2025"] == "FAIL"


def test_lint_reports_a_unit_slip_through_policy_lint(tmp_path: Path) -> None:
    from cbcheck.policy import lint_file

    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 1\nid: p\ntitle: t\nregion: r\nstatus: final\nrules:\n"
                    "  - {id: P-WET-2025, title: t, indicator: wetland_area, kind: at_least, target: 80,"
                    " target_year: 2025, strength: binding, scope: region,"
                    " source: {section: s, quote: 湿地面积达到80万亩}}\n", encoding="utf-8")
    problems, _ = lint_file(path)
    assert [(p.field, p.severity) for p in problems] == [("rules.0.unit", "error")]
    assert "80万亩" in problems[0].message


# (quote, strength, strength_reason, expected problem fragment or None): docs/policy-format.md
STRENGTH_CASES = [
    ("单位地区生产总值能源消耗下降确保完成省下达目标", "binding", None, None),
    ("单位地区生产总值能源消耗下降确保完成省下达目标", "aspirational", None, "确保"),
    ("加快推动城市公共交通工具全部实现新能源化", "aspirational", None, "全部"),
    ("严禁新增钢铁产能", "approximate", None, "严禁"),
    ("新建项目不得低于能效标杆水平", "aspirational", None, "不得"),
    ("大力推动新建公共建筑全面实现电气化,到2030年电气化比例力争达到20%", "aspirational",
     "力争 governs the 20 %", None),
    # plain statements are binding (吕梁 建设…储能电站 was aspirational)
    ("建设10万千瓦锂离子电池储能电站", "binding", None, None),
    ("建设10万千瓦锂离子电池储能电站", "aspirational", None, "states it plainly"),
    ("到2025年,实现30万千瓦以下抽凝机组基本替代退出", "binding", None, None),
    ("力争到2025年达到20%", "aspirational", None, None),
    ("力争到2025年达到20%", "binding", None, "力争"),
    ("推动国有企业制定碳达峰实施方案", "aspirational", None, None),
    ("推动国有企业制定碳达峰实施方案", "binding", None, None),
    ("清洁能源装机650万千瓦左右", "approximate", None, None),
    ("清洁能源装机约650万千瓦", "approximate", None, None),
    ("清洁能源装机650万千瓦", "approximate", None, "states it plainly"),
    # 约 inside 约束性/节约型/履约 is not 约 + number
    ("创建10家省级以上节约型公共机构示范单位", "approximate", None, "states it plainly"),
    # full-width text reads the same
    ("力争到２０２５年达到２０％", "aspirational", None, None),
]


@pytest.mark.parametrize(("quote", "strength", "reason", "expected"), STRENGTH_CASES,
                         ids=[f"{q[:16]}|{s}|{bool(r)}" for q, s, r, _ in STRENGTH_CASES])
def test_strength_cases(quote: str, strength: str, reason: str | None, expected: str | None) -> None:
    fields: dict[str, Any] = {"strength": strength}
    if reason:
        fields["strength_reason"] = reason
    problems = [p for p in rule_problems(_rule(quote, **fields)) if p[0] == "strength"]
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0][1], problems
        marker = any(m in quote for m in ("确保", "全部", "全面", "严禁", "不得"))
        assert problems[0][2] == ("error" if marker else "warning")


def test_binding_marker_wins_over_力争() -> None:
    assert strength_of_wording("力争在2025年底全面开工建设") == {"binding"}


def test_every_strength_reason_is_needed() -> None:
    """A strength_reason on a bundled rule explains a real departure from the table, not a habit."""
    from cbcheck.policy import bundled_policy_paths
    from cbcheck.yamlio import load_yaml

    idle = []
    for path in bundled_policy_paths():
        for raw in load_yaml(path)["rules"]:
            if raw.get("strength_reason"):
                bare = {k: v for k, v in raw.items() if k != "strength_reason"}
                if not [p for p in rule_problems(bare) if p[0] == "strength"]:
                    idle.append(raw["id"])
    assert idle == []


@pytest.mark.parametrize(("text", "expected"), [
    ("打造千亿级甲醇经济", "打造1000亿级甲醇经济"),
    ("百万千瓦级", "百万千瓦级"),            # a unit (百万千瓦 = GW), not a size class
    ("培育百亿级企业", "培育100亿级企业"),
    ("万亿级产业", "10000亿级产业"),
    ("3千亿级", "3千亿级"),                  # digits already there: left alone
])
def test_size_classes_read_as_numbers(text: str, expected: str) -> None:
    from cbcheck.fidelity import arabic_magnitudes

    assert arabic_magnitudes(text) == expected


@pytest.mark.parametrize(("reported", "status"), [
    ("2025-11-20", "PASS"),    # 中旬前 = by the 20th: the 20th itself is on time
    ("2025-11-21", "FAIL"),
    ("2024-11-15", "MISSING"),  # last year's report does not count for 2025
])
def test_jinzhong_mid_november_deadline(tmp_path: Path, reported: str, status: str) -> None:
    """JZ-ANNUAL-ASSESSMENT: 每年11月中旬前 → annual_deadline 11-20 (issue 15)."""
    from cbcheck.engine import evaluate
    from cbcheck.params import Params
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    policy, cat = load_policy("jinzhong-carbon-peak")
    year_col = reported[:4]
    sub = tmp_path / "county.csv"
    sub.write_text(f"指标名称,单位,{year_col}年\n碳达峰目标任务年度评估,日期,{reported}\n", encoding="utf-8")
    report = evaluate(policy, cat, read_submission(sub, cat), year=2025, params=Params())
    found = {f.rule_id: f for f in report.findings}["JZ-ANNUAL-ASSESSMENT"]
    assert found.status.value == status, found.message


def test_methanol_economy_is_a_threshold_of_1000_yi_yuan(tmp_path: Path) -> None:
    from cbcheck.engine import evaluate
    from cbcheck.params import Params
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    policy, cat = load_policy("jinzhong-carbon-peak")
    statuses = {}
    for value, unit in (("999", "亿元"), ("1000", "亿元"), ("1.01", "千亿元")):
        sub = tmp_path / f"m{value}.csv"
        sub.write_text(f"指标名称,单位,2025年\n甲醇经济产业规模,{'万元' if unit == '千亿元' else unit},"
                       f"{'10100000' if unit == '千亿元' else value}\n", encoding="utf-8")
        report = evaluate(policy, cat, read_submission(sub, cat), year=2025, params=Params())
        statuses[value] = {f.rule_id: f.status.value for f in report.findings}["JZ-METHANOL-ECONOMY-SCALE"]
    # 999 < 1000 warns (aspirational); 1000 passes (千亿级 includes 1000); 1010万万元 = 1010亿元 passes
    assert statuses == {"999": "WARN", "1000": "PASS", "1.01": "PASS"}


def test_jinzhong_data_centre_metering_review_covers_only_above_5000_tce() -> None:
    """JZ-DATA-CENTRE-METERING-REVIEW (issue 15, the half of the sentence that was missing):
    the example data-centre table judged against 晋中's rule; 超过5000 excludes 5000 itself."""
    from cbcheck.engine import evaluate
    from cbcheck.params import Params
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    root = Path(__file__).resolve().parents[1]
    policy, cat = load_policy("jinzhong-carbon-peak")
    report = evaluate(policy, cat, read_submission(root / "examples/enterprise/lvliang-data-centres.xlsx", cat),
                      year=2025, params=Params())
    finding = {f.rule_id: f for f in report.findings}["JZ-DATA-CENTRE-METERING-REVIEW"]
    entries = {e["facility"]: e["status"] for e in finding.details["facilities"].entries()}
    # 12800 and 6200 tce are covered and reviewed; 1800 and exactly 5000 are not covered at all
    assert entries == {"吕梁云计算中心一期": "PASS", "吕梁云计算中心二期": "PASS"}
    assert finding.status.value == "PASS"
