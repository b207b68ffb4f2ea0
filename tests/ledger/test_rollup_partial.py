"""A city roll-up with a roster county missing (缺报单位) decides only what the submitted counties' sums decide
(src/cbcheck/rollup_partial.py). Roster of three, 甲区 and 乙县 submitted, 丙县 not; every number by hand:

  energy (万吨标准煤) 2020 = 100 + 300 = 400;  2025 = 110 + 310 = 420
  GDP at 2020 prices (亿元) 2020 = 200 + 400 = 600;  2025 = 260 + 480 = 740
  solar (万千瓦) 2020 = 30 + 50 = 80;  2025 = 60 + 90 = 150
  intensity 2020 = 400/600 = 0.6667;  2025 = 420/740 = 0.5676;  r = 1 − 0.5676/0.6667 = 14.86 %

  SOLAR-MET     solar ≥ 120:   floor 150 ≥ 120, 丙县 only adds         → PASS for certain
  SOLAR-SHORT   solar ≥ 200:   floor 150 < 200, 丙县 may add 50 or not  → MISSING (undecided)
  ENERGY-OVER   energy ≤ 400:  floor 420 > 400, 丙县 only adds          → FAIL for certain
  ENERGY-UNDER  energy ≤ 500:  floor 420 ≤ 500, 丙县 may add 80 or more → MISSING (undecided)
  SOLAR-RANGE   solar in [100, 140]: floor 150 > 140                  → FAIL for certain
  INTENSITY-LOW   r ≥ 10 %:    14.86 % is 甲区+乙县's, not the city's    → MISSING (undecided), either side
  INTENSITY-HIGH  r ≥ 16 %:    14.86 % < 16 %, still not the city's     → MISSING (undecided)

With 丙县 in (energy 50 → 60, GDP 100 → 130, solar 20 → 60): solar 2025 = 210 ≥ 200, energy 2025 = 480 ≤ 500,
intensity (480/870) / (450/700) = 0.55172 / 0.64286 = 0.85824 → r = 14.18 % ≥ 10 %: compliant, exit 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.ledger.conftest import county_csv
from tests.ledger.test_rollup_sheets import GDP
from tests.ledger.test_withdraw import cbcheck

_RULE = ("scope: region, strength: binding, target_year: 2025, "
         "source: {{section: 一, quote: {quote}}}")
RULES = {
    "SOLAR-MET": "indicator: solar_power_capacity, kind: at_least, target: 120, unit: 万千瓦",
    "SOLAR-SHORT": "indicator: solar_power_capacity, kind: at_least, target: 200, unit: 万千瓦",
    "ENERGY-OVER": "indicator: energy_consumption, kind: at_most, target: 400, unit: 万吨标准煤",
    "ENERGY-UNDER": "indicator: energy_consumption, kind: at_most, target: 500, unit: 万吨标准煤",
    "SOLAR-RANGE": "indicator: solar_power_capacity, kind: between, min: 100, max: 140, unit: 万千瓦",
    "INTENSITY-LOW": "indicator: energy_intensity, kind: reduction_vs_base, target: 10, base_year: 2020, unit: '%'",
    "INTENSITY-HIGH": "indicator: energy_intensity, kind: reduction_vs_base, target: 16, base_year: 2020, unit: '%'",
}
ROSTER = "schema_version: 1\nsource: 测试分解方案\nroster: [济宁市甲区, 济宁市乙县, 济宁市丙县]\n"


def _policy(path: Path, ids: list[str]) -> Path:
    rules = "\n".join(f"  - {{id: {i}, title: {i}, {RULES[i]}, {_RULE.format(quote=i)}}}" for i in ids)
    path.write_text("schema_version: 1\nid: partial-test\ntitle: 测试方案\nregion: 济宁市\nstatus: final\n"
                    f"period: \"2021-2025\"\nrules:\n{rules}\n", encoding="utf-8")
    return path


def _county(folder: Path, name: str, energy: list[int], gdp: list[int], solar: list[int]) -> None:
    county_csv(folder / f"{name}.csv", f"济宁市{name}", [2020, 2025],
               [("能源消费总量", "万吨标准煤", energy, ""), (GDP, "亿元", gdp, ""),
                ("光伏发电装机容量", "万千瓦", solar, "")])


def _two(folder: Path) -> Path:
    _county(folder, "甲区", [100, 110], [200, 260], [30, 60])
    _county(folder, "乙县", [300, 310], [400, 480], [50, 90])
    return folder


def _rollup(tmp_path: Path, ids: list[str], *sources: str, roster: bool = True,
            lang: str = "en", fmt: str = "json") -> tuple[int, Any]:
    params = tmp_path / "p.yaml"
    params.write_text(ROSTER if roster else "schema_version: 1\nsource: 测试\n", encoding="utf-8")
    policy = _policy(tmp_path / "policy.yaml", ids)
    proc = cbcheck("rollup", "-p", str(policy), "-y", "2025", *sources, "--params", str(params), "-f", fmt,
                   "--lang", lang)
    assert proc.returncode in (0, 1, 3), proc.stderr
    return proc.returncode, json.loads(proc.stdout) if fmt == "json" else proc.stdout


def _findings(doc: dict) -> dict[str, dict]:
    return {f["rule_id"]: f for f in doc["report"]["findings"]}


def test_each_rule_kind_on_both_sides_of_its_target(tmp_path: Path) -> None:
    code, doc = _rollup(tmp_path, list(RULES), str(_two(tmp_path / "报送")))
    f = _findings(doc)
    assert {r: f[r]["status"] for r in RULES} == {
        "SOLAR-MET": "PASS", "SOLAR-SHORT": "MISSING", "ENERGY-OVER": "FAIL", "ENERGY-UNDER": "MISSING",
        "SOLAR-RANGE": "FAIL", "INTENSITY-LOW": "MISSING", "INTENSITY-HIGH": "MISSING"}
    assert f["SOLAR-MET"]["observed"] == 150 and f["ENERGY-OVER"]["observed"] == 420
    assert "the missing counties can only add to it, so the city meets it for certain" in f["SOLAR-MET"]["arithmetic"]
    assert "so the city exceeds it for certain" in f["ENERGY-OVER"]["arithmetic"]
    assert "so the city exceeds it for certain" in f["SOLAR-RANGE"]["arithmetic"]
    # the undecided keep the submitted counties' arithmetic and say what it gave and whom the city waits for
    assert "150 万千瓦 vs ≥ 200 万千瓦" in f["SOLAR-SHORT"]["arithmetic"]
    assert "falls short of the target, and the missing counties' figures may make up the gap" \
        in f["SOLAR-SHORT"]["message"]
    assert "(on the submitted counties alone: PASS, " in f["ENERGY-UNDER"]["message"]
    assert "may take the city over it" in f["ENERGY-UNDER"]["message"]
    assert abs(f["INTENSITY-LOW"]["observed"] - 14.8649) < 1e-3
    assert abs(f["INTENSITY-HIGH"]["observed"] - 14.8649) < 1e-3
    assert "(on the submitted counties alone: PASS, " in f["INTENSITY-LOW"]["message"]
    assert "(on the submitted counties alone: FAIL, " in f["INTENSITY-HIGH"]["message"]
    assert all("the missing counties (济宁市丙县)" in f[r]["message"]
               for r in ("SOLAR-SHORT", "ENERGY-UNDER", "INTENSITY-LOW", "INTENSITY-HIGH"))
    # a certain FAIL makes the partial city non-compliant: the missing county cannot undo it
    assert code == 1 and doc["rollup"]["verdict"] == "non-compliant" == doc["report"]["verdict"]
    assert doc["rollup"]["missing"] == ["济宁市丙县"]
    assert doc["rollup"]["undecided"] == ["SOLAR-SHORT", "ENERGY-UNDER", "INTENSITY-LOW", "INTENSITY-HIGH"]


PASSING = ["SOLAR-MET", "SOLAR-SHORT", "ENERGY-UNDER", "INTENSITY-LOW"]


def test_nothing_failed_for_certain_is_incomplete_exit_3_never_compliant(tmp_path: Path) -> None:
    code, doc = _rollup(tmp_path, PASSING, str(_two(tmp_path / "报送")))
    assert code == 3
    assert doc["rollup"]["verdict"] == "incomplete" == doc["report"]["verdict"]
    assert doc["report"]["summary"]["PASS"] == 1 and doc["report"]["summary"]["MISSING"] == 3


def test_the_missing_county_in_decides_every_rule(tmp_path: Path) -> None:
    folder = _two(tmp_path / "报送")
    _county(folder, "丙县", [50, 60], [100, 130], [20, 60])
    code, doc = _rollup(tmp_path, PASSING, str(folder))
    f = _findings(doc)
    assert {r: f[r]["status"] for r in PASSING} == dict.fromkeys(PASSING, "PASS")
    assert f["SOLAR-SHORT"]["observed"] == 210 and f["ENERGY-UNDER"]["observed"] == 480    # 150 + 60, 420 + 60
    assert abs(f["INTENSITY-LOW"]["observed"] - 14.1762) < 1e-3
    assert code == 0 and doc["rollup"]["verdict"] == "compliant" and doc["rollup"]["undecided"] == []


def test_without_a_roster_nothing_changes_the_floor_is_said(tmp_path: Path) -> None:
    code, doc = _rollup(tmp_path, PASSING, str(_two(tmp_path / "报送")), roster=False)
    # nobody is known to be missing: judged on what came in, as before — 150 < 200 万千瓦 is a FAIL
    assert code == 1 and doc["rollup"]["verdict"] == "non-compliant" and doc["rollup"]["undecided"] == []
    assert _findings(doc)["SOLAR-SHORT"]["status"] == "FAIL"
    code, out = _rollup(tmp_path, PASSING, str(_two(tmp_path / "报送")), roster=False, fmt="text")
    assert "no roster of expected entities" in out and "not decided for the city" not in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wording_names_the_missing_county(tmp_path: Path, lang: str) -> None:
    code, out = _rollup(tmp_path, PASSING, str(_two(tmp_path / "报送")), lang=lang, fmt="text")
    assert code == 3
    said = {
        "zh": ["结论：无法完整评估 — 缺报单位 1 个（济宁市丙县）：全市结论待其报送后作出，"
               "3 项目标仅凭已报送单位无法判定",
               "暂无可据以整改的结论：缺报单位（济宁市丙县）报送后重新汇总",
               "全市无法判定：已报送单位合计低于目标，缺报单位的数值可能补足差额",
               "缺报单位报送前全市不作“合规”结论：下限已能确定的达标、超标照常判定，其余 3 项记为缺报（无法判定）",
               "结论：无法完整评估（退出码 3）", "汇总结论：无法完整评估"],
        "en": ["Verdict: INCOMPLETE — 1 on the roster have not submitted (济宁市丙县): "
               "the city's verdict waits for them, 3 targets",
               "roll up again once the missing counties (济宁市丙县) have submitted",
               "not decided for the city: the submitted counties' sum falls short of the target",
               "Roll-up verdict: incomplete"]}[lang]
    flat = " ".join(out.split())          # the report folds long lines
    for text in said:
        assert " ".join(text.split()) in flat, text


def test_the_same_through_the_ledger_and_a_city_workbook(tmp_path: Path) -> None:
    """From the ledger (each county's file recorded by check) and from one workbook with a sheet per county:
    the same verdict, exit code and undecided rules as from the folder."""
    import openpyxl

    folder = _two(tmp_path / "报送")
    policy = _policy(tmp_path / "policy.yaml", PASSING)
    ledger = str(tmp_path / "ledger.sqlite")
    proc = cbcheck("check", str(folder), "-p", str(policy), "--record", "--ledger", ledger, "-q")
    assert proc.returncode in (0, 1), proc.stderr
    code, doc = _rollup(tmp_path, PASSING, "--from-ledger", "--ledger", ledger)
    assert code == 3 and doc["rollup"]["verdict"] == "incomplete"
    assert doc["rollup"]["undecided"] == ["SOLAR-SHORT", "ENERGY-UNDER", "INTENSITY-LOW"]

    wb = openpyxl.Workbook()
    for i, (name, energy, gdp, solar) in enumerate((("甲区", [100, 110], [200, 260], [30, 60]),
                                                     ("乙县", [300, 310], [400, 480], [50, 90]))):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["济宁市碳达峰主要指标统计表"])
        ws.append([f"填报单位：济宁市{name}", None, None, "填报日期：2025年6月20日"])
        ws.append(["序号", "指标名称", "单位", "2020年", "2025年", "备注"])
        ws.append([1, "能源消费总量", "万吨标准煤", *energy, None])
        ws.append([2, GDP, "亿元", *gdp, "按2020年价格计算"])
        ws.append([3, "光伏发电装机容量", "万千瓦", *solar, None])
    wb.save(tmp_path / "全市.xlsx")
    code, doc = _rollup(tmp_path, PASSING, str(tmp_path / "全市.xlsx"))
    assert code == 3 and doc["rollup"]["verdict"] == "incomplete"
    assert doc["rollup"]["undecided"] == ["SOLAR-SHORT", "ENERGY-UNDER", "INTENSITY-LOW"]


def test_the_workbook_and_html_state_the_verdict(tmp_path: Path) -> None:
    import openpyxl

    folder = _two(tmp_path / "报送")
    out = tmp_path / "汇总.xlsx"
    params = tmp_path / "p.yaml"
    params.write_text(ROSTER, encoding="utf-8")
    policy = _policy(tmp_path / "policy.yaml", PASSING)
    proc = cbcheck("rollup", "-p", str(policy), "-y", "2025", str(folder), "--params", str(params),
                   "-f", "xlsx", "-o", str(out), "--lang", "zh")
    assert proc.returncode == 3, proc.stderr
    first = openpyxl.load_workbook(out).worksheets[0]
    assert [first.cell(1, 1).value, first.cell(1, 2).value] == ["汇总结论", "无法完整评估"]
    html = tmp_path / "汇总.html"
    proc = cbcheck("rollup", "-p", str(policy), "-y", "2025", str(folder), "--params", str(params),
                   "-f", "html", "-o", str(html), "--lang", "zh")
    assert proc.returncode == 3
    page = html.read_text(encoding="utf-8")
    assert "汇总结论：无法完整评估" in page and "缺报单位（济宁市丙县）" in page


def test_junit_fails_as_the_exit_code_does(tmp_path: Path) -> None:
    """A dashboard must not show a partial city green: counties missing are an error (exit 3), a certain FAIL a
    failure (exit 1); with every county in and every rule met, nothing fails (exit 0)."""
    import xml.etree.ElementTree as ET

    folder = _two(tmp_path / "报送")

    def suite(ids: list[str]) -> tuple[int, ET.Element]:
        code, out = _rollup(tmp_path, ids, str(folder), fmt="junit")
        return code, ET.fromstring(out.encode("utf-8")).find("testsuite")  # type: ignore[return-value]

    code, node = suite(PASSING)
    assert code == 3 and (node.get("failures"), node.get("errors")) == ("0", "1")
    roster = node.find("testcase[@classname='partial-test.roster']/error")
    assert roster is not None and roster.get("message") == "1 missing (缺报单位): 济宁市丙县"
    assert node[-1].tag == "system-out" and "Verdict: incomplete — 1 on the roster" in str(node[-1].text)
    code, node = suite(["SOLAR-MET", "ENERGY-OVER"])
    assert code == 1 and (node.get("failures"), node.get("errors")) == ("1", "1")
    _county(folder, "丙县", [50, 60], [100, 130], [20, 60])
    code, node = suite(PASSING)
    assert code == 0 and (node.get("failures"), node.get("errors"), node.get("tests")) == ("0", "0", "5")


EVALUATION = ("  - {id: COUNTY-EVALUATION, title: 各县开展年度评价, indicator: peak_annual_evaluation_done, "
              "kind: completed_by, strength: binding, scope: county, source: {section: 二, quote: 各县开展年度评价}}\n")


@pytest.mark.parametrize(("answers", "status", "said"), [
    ({"甲区": "是", "乙县": "否"}, "FAIL", "not done as required by 乙县"),        # certain: 丙县 cannot undo it
    ({"甲区": "是", "乙县": "是"}, "MISSING", "each county must do it, and the submitted ones have"),
    ({"甲区": "是", "乙县": "是", "丙县": "是"}, "PASS", "done by all 3 submitted counties"),
    ({"甲区": "是", "乙县": None}, "MISSING", "乙县 do not say whether it is done"),
])
def test_a_rule_each_county_must_meet_is_judged_per_county(tmp_path: Path, answers: dict, status: str,
                                                            said: str) -> None:
    folder = tmp_path / "报送"
    for name, done in answers.items():
        rows = [("能源消费总量", "万吨标准煤", [100, 110], ""), (GDP, "亿元", [200, 260], "")]
        if done is not None:
            rows.append(("碳达峰目标任务年度评价", "是/否", ["", done], ""))
        county_csv(folder / f"{name}.csv", f"济宁市{name}", [2020, 2025], rows)
    policy = _policy(tmp_path / "policy.yaml", ["ENERGY-UNDER"])
    policy.write_text(policy.read_text(encoding="utf-8") + EVALUATION, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(ROSTER, encoding="utf-8")
    proc = cbcheck("rollup", "-p", str(policy), "-y", "2025", str(folder), "--params", str(tmp_path / "p.yaml"),
                   "-f", "json")
    doc = json.loads(proc.stdout)
    f = _findings(doc)["COUNTY-EVALUATION"]
    assert f["status"] == status and said in f["message"], f["message"]
    by = {c["entity"]: c["status"] for c in doc["rollup"]["by_county"]}
    assert by == {f"济宁市{n}": {"是": "PASS", "否": "FAIL", None: "MISSING"}[d] for n, d in answers.items()}
    assert proc.returncode == {"FAIL": 1, "MISSING": 3, "PASS": 0}[status]
