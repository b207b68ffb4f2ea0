"""Sentences that said something untrue or clumsy, each with the sentence it should be and the
verdict redone by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cbcheck.checks import KINDS, Context, FacilityColumn, Series, Verdict
from cbcheck.checks.base import Value
from cbcheck.i18n.phrases import translate
from cbcheck.model import Rule, Status


def _rule(kind: str, **kw: object) -> Rule:
    return Rule(id="T", indicator="x", kind=kind, title="t", source=None, strength="binding", **kw)  # type: ignore[arg-type]


def _one(year: int, value: object, shown: str, unit: str | None = None) -> Series:
    return Series("x", "指标", unit, {year: Value(value, year, unit, "表1!F5", shown)})


# --- deadlines: a day late, and the deadline day itself ------------------------------------------

@pytest.mark.parametrize("closed,status,arith,zh", [
    # 2023年10月底前 = on or before 2023-10-31: closing on the 31st is on time
    (dt.date(2023, 10, 31), Status.PASS, "2023-10-31 ≤ 2023-10-31", "2023-10-31 ≤ 2023-10-31"),
    # one day after: 11-01 − 10-31 = 1 day, singular
    (dt.date(2023, 11, 1), Status.FAIL, "2023-11-01 > 2023-10-31 (1 day late)",
     "2023-11-01 > 2023-10-31（逾期 1 天）"),
    # 11-02 − 10-31 = 2 days
    (dt.date(2023, 11, 2), Status.FAIL, "2023-11-02 > 2023-10-31 (2 days late)",
     "2023-11-02 > 2023-10-31（逾期 2 天）"),
])
def test_a_completion_date_against_its_deadline(closed: dt.date, status: Status, arith: str, zh: str) -> None:
    rule = _rule("completed_by", deadline=dt.date(2023, 10, 31), target_year=2023)
    out = KINDS["completed_by"].judge(rule, _one(2023, closed, closed.isoformat()), Context(year=2023))
    assert out.status is status
    assert out.arithmetic == arith and translate(out.arithmetic, "zh") == zh


def test_not_done_on_the_deadline_day_is_overdue_and_says_so_without_a_false_inequality() -> None:
    # 2025年底前 = 2025-12-31; the report is judged as of 2025-12-31: the deadline has come, not passed by
    # a day, so "2025-12-31 > 2025-12-31" would be false; the verdict is overdue all the same.
    rule = _rule("completed_by", target_year=2025)
    out = KINDS["completed_by"].judge(rule, _one(2025, "未完成", "未完成"), Context(year=2025))
    assert out.status is Status.FAIL and out.message == "overdue"
    assert out.arithmetic == "not done by the deadline 2025-12-31"
    assert translate(out.arithmetic, "zh") == "截至期限 2025-12-31 未完成"
    # a deadline before the reporting year's end keeps the true inequality
    earlier = KINDS["completed_by"].judge(_rule("completed_by", deadline=dt.date(2025, 6, 30)),
                                          _one(2025, "未完成", "未完成"), Context(year=2025))
    assert earlier.arithmetic == "not done as of 2025-12-31 > 2025-06-30"


def test_a_facility_closed_a_day_late_is_one_day_after() -> None:
    rule = _rule("completed_by", deadline=dt.date(2023, 10, 31), target_year=2023)
    values = np.array([dt.date(2023, 10, 31), dt.date(2023, 11, 1), dt.date(2023, 11, 3)], dtype=object)
    n = len(values)
    col = FacilityColumn(values=values, previous=None, thresholds=None, verdicts=np.full(n, -1),
                         observed=np.full(n, None, dtype=object), expected=np.full(n, None, dtype=object),
                         reasons=np.full(n, None, dtype=object))
    KINDS["completed_by"].judge_facilities(rule, col, Context(year=2025))
    assert list(col.verdicts) == [Verdict.ON_TIME, Verdict.LATE, Verdict.LATE]
    assert col.reasons[1] == "1 day after 2023-10-31" and col.reasons[2] == "3 days after 2023-10-31"
    assert translate(col.reasons[1], "zh") == "晚于2023-10-31 1 天"


# --- between: the arithmetic says where the value is ----------------------------------------------

@pytest.mark.parametrize("value,status,arith,zh", [
    (21.0, Status.PASS, "21% in [20, 22] %", "21% 在区间 [20, 22] %"),
    (22.0, Status.PASS, "22% in [20, 22] %", "22% 在区间 [20, 22] %"),        # ends included
    (23.0, Status.FAIL, "23% not in [20, 22] %", "23% 不在区间 [20, 22] %"),   # 23 > 22: outside
    (19.9, Status.FAIL, "19.9% not in [20, 22] %", "19.9% 不在区间 [20, 22] %"),
])
def test_between_says_in_only_when_the_value_is_in(value: float, status: Status, arith: str, zh: str) -> None:
    rule = _rule("between", minimum=20.0, maximum=22.0, target_year=2025, unit="%")
    out = KINDS["between"].judge(rule, _one(2025, value, f"{value:g}%", "%"), Context(year=2025))
    assert out.status is status
    assert out.arithmetic == arith and translate(out.arithmetic, "zh") == zh
    assert out.message == ("2025: within the range" if status is Status.PASS else "2025: outside the range")


# --- a base value stated in the plan: one pair of brackets ----------------------------------------

def test_a_base_value_stated_in_the_plan_is_said_once_in_brackets() -> None:
    # at_least 13% by 2025 from 10.5% (plan) in 2020: milestone 2023 = 10.5 + 2.5×3/5 = 12; 11% < 12 → behind;
    # gap to the target 13 − 11 = 2 points
    rule = _rule("at_least", target=13.0, target_year=2025, base_year=2020, base_value=10.5, unit="%")
    out = KINDS["at_least"].judge(rule, _one(2023, 11.0, "11%", "%"), Context(year=2023))
    assert out.status is Status.WARN
    assert out.message == ("2023: behind trajectory (base 10.5%, stated in the plan); "
                           "needs 2 percentage points more by 2025")
    assert translate(out.message, "zh") == "2023年：落后于目标进度（基期 10.5%，规划给定）；到2025年还差 2 个百分点"


# --- the action list's advice fits the reason --------------------------------------------------

def _todo(case: str, lang: str) -> list[str]:
    from pathlib import Path

    from typer.testing import CliRunner

    from cbcheck.cli import app

    root = Path(__file__).resolve().parent / "cases" / case
    out = CliRunner().invoke(app, ["check", str(root / "submission.csv"), "--policy", str(root / "policy.yaml"),
                                   "--lang", lang], env={"COLUMNS": "400"})
    word = "整改要求：" if lang == "zh" else "To do: "
    return [line.strip().removeprefix(word) for line in out.output.splitlines() if line.strip().startswith(word)]


def test_gdp_only_at_current_prices_is_not_a_cell_to_correct() -> None:
    # 地区生产总值 520 → 700 亿元 现价, no real growth: the cell is right as written; what is missing
    # is comparable-price GDP or the growth index, so "更正单元格" would send the county to the wrong place
    zh = _todo("price-current-only", "zh")
    assert zh == ["补报可比价地区生产总值，或基期以来各年地区生产总值实际增速（上年=100）"]
    en = _todo("price-current-only", "en")
    assert en == ["give GDP at comparable prices (可比价), or its real growth (上年=100) for each year since the "
                  "base year"]


def test_a_bad_cell_still_says_correct_the_cell() -> None:
    # #DIV/0! in a cell and a value in 吨 for a capacity: the cell itself is what to fix
    zh = _todo("units-and-cells", "zh")
    assert zh[:2] == ["更正单元格submission.csv:3:3，使其可以读取", "更正单元格submission.csv:4:3，使其可以读取"]


def test_advice_follows_the_first_reason_that_has_one() -> None:
    from cbcheck.checks.base import ADVICE, advice, year_label
    from cbcheck.i18n.message import Msg

    why = Msg("msg.rate_unknown", label=year_label("单位GDP二氧化碳排放", 2025), location="表1!E6")
    assert advice(Msg("msg.target_assigned", message=why, who="省发展改革委")) == Msg("msg.todo_rate_basis")
    assert advice(Msg("msg.cell_error_bare", error="#DIV/0!")) is None
    assert advice("plain English") is None
    for key, todo in ADVICE.items():
        for lang in ("en", "zh"):
            from cbcheck.i18n import catalogue

            assert key in catalogue(lang) and todo in catalogue(lang)


def test_facility_type_is_named_without_its_id_in_chinese() -> None:
    """燃煤发电机组 in a Chinese report; 'coal-fired … (coal_power_unit)' keeps the id in English."""
    from pathlib import Path

    from typer.testing import CliRunner

    from cbcheck.cli import app

    plant = Path(__file__).resolve().parents[1] / "examples" / "enterprise" / "yuncheng-power-plant.xlsx"
    args = ["check", str(plant), "--policy", "yuncheng-energy-saving-14fyp"]
    zh = CliRunner().invoke(app, [*args, "--lang", "zh"]).stdout
    en = CliRunner().invoke(app, [*args, "--lang", "en"]).stdout
    assert "3 个燃煤发电机组中 2 个不符合要求" in zh and "coal_power_unit" not in zh
    assert "(coal_power_unit)" in en
