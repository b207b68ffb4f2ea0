"""cbcheck policy coverage: numeric or dated plan sentences that no rule cites.

docs/policies/<id>.coverage.md is the command's output for each bundled policy; regenerate after
changing a policy: UPDATE_GOLDEN=1 python -m pytest tests/test_coverage.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.coverage import coverage, facts, is_numeric, plan_path, render_markdown, split_plan
from cbcheck.policy import bundled_policy_paths
from cbcheck.yamlio import load_yaml

DOCS = Path(__file__).resolve().parents[1] / "docs" / "policies"

# A small plan written the way the city plans are: numbered headings, a 专栏 box, a
# (责任单位:…) note glued to the next item, full-width digits, a document number, a line break
# in the middle of a sentence (scraped copy) and a page marker.
PLAN = """某市碳达峰实施方案
一、总体要求
根据《某省碳达峰实施方案》(某政发〔2022〕29号),制定本方案。
二、主要目标
到2025年,非化石能源消费比重达到１２％,单位地区生产总值能耗比2020年下降14%。到2030年,
-3-
湿地面积稳定在80万亩以上。
三、重点任务
(一)能源绿色低碳转型行动
1.发展光伏。推动时代永福1.1GW光伏发电项目建设,打造千亿级光伏产业。(责任单位:市能源局)2.发展5G基站。建设5G基站。
专栏1 重点项目
(1)新建500千伏麟祥站;(2)扩建500千伏汶上站。
四、组织实施
各县要在每年11月中旬前报送评估报告。到2060年,碳中和目标顺利实现。
"""

POLICY = {
    "id": "test-plan", "title": "某市碳达峰实施方案",
    "rules": [
        {"source": {"quote": "非化石能源消费比重达到12%"}},
        {"source": {"quote": "单位地区生产总值能耗比2020年下降14%"}},
        {"source": {"quote": "湿地面积稳定在80万亩以上"}},
        {"source": {"quote": "新建500千伏麟祥站"}},
    ],
    "not_encoded": [{"quote": "到2060年,碳中和目标顺利实现", "reason": "beyond every horizon"}],
}


def test_sentences_and_sections() -> None:
    _, sentences = split_plan(PLAN)
    where = {s.text: s.section for s in sentences}
    # the line break and the page marker inside the 2030 sentence are gone
    assert where["到2030年,湿地面积稳定在80万亩以上。"] == "二、主要目标"
    assert (where["推动时代永福1.1GW光伏发电项目建设,打造千亿级光伏产业。"]
            == "三、重点任务 (一)能源绿色低碳转型行动 1.发展光伏。")
    # the (责任单位:…) note ends a sentence, so item 2 starts its own section
    assert where["2.发展5G基站。"] == "三、重点任务 (一)能源绿色低碳转型行动 2.发展5G基站。"
    assert where["(2)扩建500千伏汶上站。"].endswith("专栏1 重点项目")


@pytest.mark.parametrize(("sentence", "numeric"), [
    ("根据《某省碳达峰实施方案》(某政发〔2022〕29号),制定本方案。", False),   # a document number
    ("建设5G基站。", False),
    ("实现PM2.5和臭氧协同控制。", False),
    ("实施“415”十大工业产业集群培育工程。", False),
    ("(1)推动绿色发展。", False),                                  # a list marker
    ("打造千亿级光伏产业。", True),                                # a size class
    ("在每年11月中旬前报送。", True),                              # a deadline
    ("到2025年,城市生活垃圾分类体系基本健全。", True),
    ("达到１２％。", True),
])
def test_what_counts_as_a_number_or_deadline(sentence: str, numeric: bool) -> None:
    assert is_numeric(sentence) is numeric


def test_context_facts() -> None:
    # 2025年 and 11月/中旬前 are context; 12 and 1.1 are facts
    kinds = [(s[a:b], ctx) for s in ["到2025年,达到12%,在11月中旬前完成1.1GW"] for a, b, ctx in facts(s)]
    assert kinds == [("2025年", True), ("12", False), ("11月", True), ("中旬前", True), ("1.1", False)]


def test_coverage_of_a_small_plan() -> None:
    cov = coverage(POLICY, PLAN, "plan.txt")
    uncited = {s.text: cov.missing[s] for s in cov.uncited}
    assert uncited == {
        # 1.1 and 千亿级 are cited by no rule
        "推动时代永福1.1GW光伏发电项目建设,打造千亿级光伏产业。": ["1.1", "千亿级"],
        "(2)扩建500千伏汶上站。": ["500"],
        "各县要在每年11月中旬前报送评估报告。": ["11月", "中旬前"],
    }
    # numeric: 2025 targets, 2030 wetland, 光伏 project, 麟祥, 汶上, 11月, 2060
    assert (cov.numeric, cov.cited, cov.acknowledged) == (7, 3, 1)
    # the 2025 sentence is covered although its year is in no quote: 12 and 14 are cited
    text = render_markdown(cov)
    assert "uncited, without a note: 3" in text and "## 四、组织实施" in text


def test_a_note_whose_quote_is_not_in_the_plan_is_reported() -> None:
    cov = coverage({**POLICY, "not_encoded": [{"quote": "到2070年实现", "reason": "r"}]}, PLAN)
    assert cov.unmatched_notes == ["到2070年实现"]
    assert "not found in the plan" in render_markdown(cov)


def test_cli_with_a_plan_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    policy = tmp_path / "p.yaml"
    policy.write_text("schema_version: 1\nid: p\ntitle: 某市碳达峰实施方案\nregion: 某市\nstatus: final\nrules:\n"
                      "  - {id: P-NF-2025, title: t, indicator: non_fossil_energy_share, kind: at_least, target: 12,"
                      " unit: '%', target_year: 2025, strength: binding, scope: region,"
                      " source: {section: 二, quote: 非化石能源消费比重达到12%}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["policy", "coverage", str(policy), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert "到2030年,湿地面积稳定在80万亩以上。 — *not cited:* 2030年, 80" in result.output


def test_cli_without_a_plan_text_says_what_to_do(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("schema_version: 1\nid: p\ntitle: t\nregion: r\nstatus: final\nrules: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["policy", "coverage", str(policy)])
    assert result.exit_code == 3 and "--plan" in result.output


@pytest.mark.parametrize("path", bundled_policy_paths(), ids=lambda p: p.stem)
def test_coverage_report_is_current(path: Path) -> None:
    data = load_yaml(path)
    plan = plan_path(data)
    cov = coverage(data, plan.read_text(encoding="utf-8"), plan.name)
    assert cov.unmatched_notes == [], "not_encoded quotes must occur verbatim in the plan"
    text = render_markdown(cov)
    target = DOCS / f"{data['id']}.coverage.md"
    if os.environ.get("UPDATE_GOLDEN"):
        target.write_text(text, encoding="utf-8")
    assert target.read_text(encoding="utf-8") == text, f"{target} is stale; regenerate it"
