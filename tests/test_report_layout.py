"""The report layer's promises to a county official (issue 20): the verdict always has its reason,
failures come first, the plan's own section order, the gap in the plan's terms, -q one line per
failure, 80 columns, control characters neutralised, output files readable by colleagues."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.i18n import messages
from cbcheck.i18n.phrases import translate
from cbcheck.model import Finding, Source, Status
from cbcheck.render import RenderOptions
from cbcheck.render.sections import section_key
from cbcheck.render.view import build, gap_text

ROOT = Path(__file__).resolve().parents[1]
FAIL = "examples/jining-county-fail.xlsx"
PARAMS = ["--params", "examples/jining-params.yaml"]


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _report(path: str = FAIL, params: str | None = "examples/jining-params.yaml"):
    from cbcheck.engine import evaluate
    from cbcheck.params import load_params
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    policy, cat = load_policy("jining-carbon-peak")
    sub = read_submission(Path(path), cat)
    return evaluate(policy, cat, sub, params=load_params(Path(params)) if params else None), cat


@pytest.mark.parametrize("names,expected", [
    (["四、(二) 推动落实经济政策支持", "四、(一) 提升统计核算和监测能力"],
     ["四、(一) 提升统计核算和监测能力", "四、(二) 推动落实经济政策支持"]),
    (["三、(一) 专栏1 重点项目", "三、(一) 5. 新型电力系统", "三、(一) 能源"],
     ["三、(一) 能源", "三、(一) 5. 新型电力系统", "三、(一) 专栏1 重点项目"]),
    (["十二、保障", "二、主要目标", "十、其他"], ["二、主要目标", "十、其他", "十二、保障"]),
])
def test_sections_follow_the_plans_numbering(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=lambda n: section_key(n)) == expected


def test_plan_order_in_the_report() -> None:
    report, cat = _report()
    v = build(report, messages("zh"), cat)
    names = [s.name for s in v.sections]
    assert names.index("四、(一) 提升统计核算和监测能力") < names.index("四、(二) 推动落实经济政策支持")
    # the policy lists 四、(二) first: the renderer, not the policy file, decides the order
    order = [r.source.section for r in report.policy.rules]
    assert order.index("四、(二) 推动落实经济政策支持") < order.index("四、(一) 提升统计核算和监测能力")


def _finding(status: Status, observed: float, expected: float, comparator: str, unit: str) -> Finding:
    return Finding("R-1", "x", "x", "t", status, "binding", 2025, 2025, observed, expected, comparator, unit, "", None,
                   "", Source("d", "s", "q"))


def test_gap_in_the_plans_terms() -> None:
    zh, en = messages("zh"), messages("en")
    # 16.38 − 15.6 the other way: a reduction of 4.729 % against 15.6 % is 10.871 points short
    assert gap_text(_finding(Status.FAIL, 4.729, 15.6, "≥", "%"), zh) == "还差 10.87 个百分点"
    assert gap_text(_finding(Status.FAIL, 299.4, 295, "≤", "克标准煤/千瓦时"), zh) == "超出 4.4 克标准煤/千瓦时"
    assert gap_text(_finding(Status.FAIL, 299.4, 295, "≤", "克标准煤/千瓦时"), en) == "over by 4.4 克标准煤/千瓦时"
    assert gap_text(_finding(Status.FAIL, 11.2, 13, ">", "%"), en) == "short by 1.8 percentage points"
    assert gap_text(_finding(Status.FAIL, 5, 5, "≥", "%"), zh) == ""       # nothing to close


def test_action_list_is_failures_first_with_gap_cell_and_todo() -> None:
    report, cat = _report()
    v = build(report, messages("zh"), cat)
    statuses = [r.status for r in v.actions]
    assert statuses == sorted(statuses, key=["FAIL", "ERROR", "MISSING", "WARN"].index)
    assert statuses.count("FAIL") == report.counts()["FAIL"] == 4
    first = v.actions[0]
    assert first.rule_id == "JN-ENERGY-INTENSITY-2025" and first.gap == "还差 10.87 个百分点"
    assert first.location == "表1!F5/表1!F6" and first.todo and "4.729%，要求 ≥ 15.6%" in first.arithmetic
    assert v.reason.startswith("4 项目标未达标（JN-ENERGY-INTENSITY-2025、")


def test_non_compliant_without_fail_names_the_missing_required_rule() -> None:
    """不合规 with no FAIL: the reason says which required value is missing (issue 13 part 4)."""
    from cbcheck.engine import evaluate
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    case = ROOT / "tests" / "cases" / "units-and-cells"
    policy, cat = load_policy(str(case / "policy.yaml"))
    import yaml

    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    report = evaluate(policy, cat, read_submission(case / spec["submission"], cat),
                      year=spec.get("args", {}).get("year"))
    required_missing = [f.rule_id for f in report.findings if f.status is Status.MISSING and f.details.get("required")]
    assert required_missing, "the case has a required rule without a value"
    v = build(report, messages("zh"), cat)
    assert v.verdict == "non-compliant" and "必报指标缺报" in v.reason and required_missing[0] in v.reason
    assert any(r.rule_id == required_missing[0] and r.todo.startswith(("补报", "在")) for r in v.actions)


def test_not_applicable_hidden_everywhere_people_read_and_kept_for_scripts(tmp_path: Path) -> None:
    na = "JN-CHP-EXTRACTION-UNIT-EXIT-2025"                                  # a facility rule on a county file
    for fmt in ("text", "markdown", "html"):
        out = run("check", FAIL, "-p", "jining-carbon-peak", "-f", fmt, "--lang", "zh").stdout
        assert na not in out and "条规则不适用于本报送" in out, fmt
        assert na in run("check", FAIL, "-p", "jining-carbon-peak", "-f", fmt, "--show-na").stdout, fmt
    for fmt in ("json", "csv", "junit"):
        assert na in run("check", FAIL, "-p", "jining-carbon-peak", "-f", fmt).stdout, fmt


def test_pass_is_one_line_in_text() -> None:
    out = run("check", FAIL, "-p", "jining-carbon-peak", "--lang", "zh", *PARAMS).stdout
    line = next(line for line in out.splitlines() if "JN-URBAN-WASTE-RECYCLING-2025" in line)
    assert line.strip().startswith("达标 · JN-URBAN-WASTE-RECYCLING-2025 · ") and "表1!F29" in line
    assert "36.2% ≥ 35%" not in out                                        # no arithmetic for a PASS


def test_quiet_prints_one_line_per_failure_then_the_summary() -> None:
    r = run("check", FAIL, "-p", "jining-carbon-peak", "--lang", "zh", "-q", *PARAMS)
    lines = r.stdout.splitlines()
    assert r.exit_code == 1 and len(lines) == 7 + 1                      # 4 未达标 + 3 预警, then the file
    assert lines[0] == ("未达标 · JN-ENERGY-INTENSITY-2025 · 表1!F5/表1!F6 · "
                        "r = 1 − 0.7548 / 0.7923 = 4.729%，要求 ≥ 15.6%")
    assert lines[-1].startswith(f"{FAIL}：不合规 · 4 未达标")


def test_readable_at_80_columns() -> None:
    report, cat = _report()
    from cbcheck.render.text import render

    for lang in ("zh", "en"):
        out = render(report, RenderOptions(lang=lang, width=80, catalogue=cat))
        assert max(cell_len(line) for line in out.splitlines()) <= 80
        assert "· 2025年 · 2025年" not in out and "by 2025 · by 2025" not in out


def test_control_characters_are_neutralised(tmp_path: Path) -> None:
    sub = tmp_path / "x.csv"
    sub.write_text("填报单位：示例县\x1b[2J\x1b]0;pwned\x07\n指标名称,单位,2020年,2025年\n非化石能源消费比重,%,8.2,13.1\n"
                   "某指标\x1b[31m,%,1,2\n", encoding="utf-8")
    for fmt in ("text", "markdown", "csv", "html", "junit"):
        out = run("check", str(sub), "-p", "jining-carbon-peak", "-f", fmt, "--lang", "zh").stdout
        assert "\x1b" not in out and "\x07" not in out, fmt
    out = run("check", str(sub), "-p", "jining-carbon-peak", "--lang", "zh").stdout
    assert "\\x1b[2J" in out                                               # shown, not obeyed


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_files_honour_the_umask(tmp_path: Path, mask: int, mode: int) -> None:
    old = os.umask(mask)
    try:
        out = tmp_path / "r.html"
        run("check", FAIL, "-p", "jining-carbon-peak", "-o", str(out), "-q")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_translation_nests_and_english_is_untouched() -> None:
    from cbcheck.checks.base import Context, not_due, year_label
    from cbcheck.i18n.message import Msg
    from cbcheck.model import Rule

    # the NOT_DUE a reduction_vs_base rule gives when its 2005 base value is absent (checks/change.py)
    missing = Msg("msg.not_in_submission", label=year_label("单位地区生产总值二氧化碳排放", 2005,
                                                            Msg("msg.w_base_year")))
    rule = Rule(id="T", indicator="co2_intensity", kind="reduction_vs_base", title="t", source=None,  # type: ignore[arg-type]
                target=65.0, target_year=2030, base_year=2005)
    msg = not_due(rule, Context(year=2025), Msg("msg.cannot_judge", missing=missing)).message
    assert msg == ("target year 2030 is after 2025; 单位地区生产总值二氧化碳排放 2005 (base year) is not in the "
                   "submission, so the trajectory cannot be judged")
    assert translate(msg, "zh") == ("目标年份2030年晚于报告年度2025年；"
                                    "单位地区生产总值二氧化碳排放 2005（基期）：未填报，无法判断进度")
    assert translate(msg, "en") == msg
    assert (translate("steel_enterprise in jining-county-long.csv", "zh")
            == "steel_enterprise 属于 jining-county-long.csv")


def test_enterprise_reports_name_the_facilities(tmp_path: Path) -> None:
    """The action list names the facility that broke the rule; the xlsx colours and comments every
    offending cell, not only the first per rule (2号机组 F5 and 5号机组 F8 both exceed 300 gce/kWh)."""
    import openpyxl

    src = "examples/enterprise/yuncheng-power-plant.xlsx"
    page = run("check", src, "-p", "yuncheng-energy-saving-14fyp", "-f", "html", "--lang", "zh").stdout
    actions = page[page.index("整改清单"):page.index('class="plan-section"')]
    assert "涉及设施：2号机组、5号机组" in actions and "涉及设施：4号机组" in actions
    out = tmp_path / "r.xlsx"
    run("check", src, "-p", "yuncheng-energy-saving-14fyp", "-o", str(out), "-q", "--lang", "zh")
    ws = openpyxl.load_workbook(out)["机组"]
    for coord in ("F5", "F8"):
        assert ws[coord].fill.start_color.rgb == "FFFFC7CE", coord
        assert "YC-CHP-SUPPLY-COAL-300 · 未达标" in ws[coord].comment.text, coord


def test_html_counts_link_to_rows_that_exist() -> None:
    import re

    page = run("check", FAIL, "-p", "jining-carbon-peak", "-f", "html", "--lang", "zh", *PARAMS).stdout
    targets = set(re.findall(r'href="#([^"]+)"', page))
    ids = set(re.findall(r' id="([^"]+)"', page))
    assert targets and targets <= ids and {"s-FAIL", "s-WARN"} <= targets
    assert page.count("<title>济宁市示例县2025年度《济宁市碳达峰工作方案》目标完成情况核查报告</title>") == 1
    assert "退出码" not in page[:page.index("整改清单")]                     # the verdict in words, no exit code


@pytest.mark.parametrize(("statuses", "zh", "en"), [
    (["FAIL"], "1 项目标未达标（整改清单第 1 项）", "targets missed: 1 (action 1)"),
    (["FAIL", "FAIL", "ERROR", "MISSING", "MISSING", "MISSING", "WARN"],
     "2 项目标未达标（整改清单第 1–2 项）；3 项必报指标缺报（整改清单第 4–6 项）；1 项数据无法读取（整改清单第 3 项）",
     "targets missed: 2 (actions 1–2); required values missing: 3 (actions 4–6); "
     "values that cannot be read: 1 (action 3)"),
    (["ERROR", "WARN", "WARN"], "1 项数据无法读取（整改清单第 1 项）", "values that cannot be read: 1 (action 1)"),
])
def test_the_reason_points_at_the_numbered_actions_not_at_ids(statuses: list[str], zh: str, en: str) -> None:
    """Text, Markdown and HTML show the numbered action list under the verdict: the reason names
    its items (a row of ids folded mid-id at 80 columns was the first thing a reader saw); the
    batch index and JUnit, which have no list, keep the ids."""
    from types import SimpleNamespace

    from cbcheck.render.view import reason_text

    actions = [SimpleNamespace(status=s, rule_id=f"R{i}") for i, s in enumerate(statuses, start=1)]
    for lang, want in (("zh", zh), ("en", en)):
        m = messages(lang)
        assert reason_text("non-compliant", actions, False, 0, m, numbered=True) == want
        assert "R1" in reason_text("non-compliant", actions, False, 0, m)


def test_the_text_report_verdict_names_the_action_items_in_zh() -> None:
    out = run("check", FAIL, "--policy", "jining-carbon-peak", *PARAMS, "--lang", "zh").stdout
    verdict = next(line for line in out.splitlines() if line.startswith("结论"))
    assert verdict == "结论：不合规 — 4 项目标未达标（整改清单第 1–4 项）"


def test_a_compliant_verdict_says_how_many_rules_had_no_value() -> None:
    """合规 is not "everything was checked": rules without a value (none required) are counted in
    the reason, so a reader of the first line knows to look (a binding facility rule whose column
    is absent from the table was MISSING and the verdict read as if all were given)."""
    from types import SimpleNamespace

    from cbcheck.render.view import reason_text

    warn = [SimpleNamespace(status="WARN", rule_id="R1")]
    assert reason_text("compliant", warn, False, 0, messages("zh"), missing=33) == \
        "无约束性目标未达标；1 项预警需关注；另有 33 项未填报（非必报，列于各章节）"
    assert reason_text("compliant", [], False, 0, messages("en"), missing=0) == \
        "every binding target checked is met and every required value is given"
    assert reason_text("compliant", [], False, 0, messages("en"), missing=2) == (
        "every binding target checked is met and every required value is given; "
        "2 rules without a value (none required; listed under their sections)")
