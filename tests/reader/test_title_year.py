"""A facility table's year read from its title when no 报告年度 row and no --year say it, and said."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.reader import _title_year

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "tests" / "cases" / "attrs-coke-heights-written" / "policy.yaml"   # 4.3米焦炉 by 2023-10-31


@pytest.mark.parametrize(("titles", "year"), [
    (["2025年全市水泥熟料生产线情况表"], "2025"),
    (["某焦化有限公司2024年度焦炉情况表"], "2024"),
    (["某焦化有限公司", "2024 年 焦炉情况表"], "2024"),
    (["2024年焦炉情况", "（2024年度）"], "2024"),          # one year said twice
    (["2021-2025年焦炉淘汰计划"], None),                    # a period, not a year
    (["2021年至2025年焦炉情况"], None),
    (["2024年焦炉情况", "2025年1月填报"], None),            # two years: not guessed
    (["焦炉情况表"], None),
    (["12025年"], None),
])
def test_one_year_in_the_titles_is_the_year(titles: list[str], year: str | None) -> None:
    got = _title_year(titles)
    assert got.get("year_from_title") == year


def _check(tmp_path: Path, title: str, *args: str) -> tuple[int, str]:
    path = tmp_path / "焦炉.csv"
    path.write_text(f"{title}\n焦炉编号,炭化室高度（米）,运行状态\n1#,4.3,在产\n2#,6.0,在产\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(path), "-p", str(POLICY), "--lang", "zh", *args])
    return r.exit_code, r.output


def test_the_title_year_is_judged_and_said(tmp_path: Path) -> None:
    code, out = _check(tmp_path, "某焦化有限公司2024年度焦炉情况表")
    assert code == 1                               # 1# (4.3 m, 在产) overdue after 2023-10-31
    assert "2024年度" in out.splitlines()[0]
    assert "报告年度按标题“某焦化有限公司2024年度焦炉情况表”读作 2024 年" in out


def test_year_given_wins_and_nothing_is_said_of_the_title(tmp_path: Path) -> None:
    code, out = _check(tmp_path, "某焦化有限公司2024年度焦炉情况表", "--year", "2022")
    assert code == 0                               # before the deadline: not due
    assert "2022年度" in out.splitlines()[0] and "按标题" not in out


def test_a_period_in_the_title_is_still_refused(tmp_path: Path) -> None:
    code, out = _check(tmp_path, "2021-2025年焦炉淘汰情况表")
    assert code == 3
    assert "设施表没有写明报告年度" in out
