"""Column headers as county offices write a year: a date shown as 2024年, a monthly report's 1-12月,
a base restated after an economic census; units written inside a basis bracket, footnote marks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cbcheck.catalogue import Catalogue
from cbcheck.reader import read_submission
from cbcheck.reader.cells import is_year_format
from cbcheck.reader.header import _column_year, year_label
from cbcheck.textnorm import norm_name, trailing_unit

from reader_support import cat  # noqa: F401  (fixture)


@pytest.mark.parametrize(("label", "want"), [
    ("2025年1-12月", (2025, "actual")),
    ("2025年1—12月份", (2025, "actual")),
    ("2025年1~12月", (2025, "actual")),
    ("2025年1-9月", (2025, "other")),          # three quarters are not the year
    ("2025年1-12月目标", (2025, "target")),
    ("2025年（预计）", (2025, "estimate")),     # the office's estimate: neither the year's value nor a target
    ("2025年预测数", (2025, "estimate")),
    ("2025年预估", (2025, "estimate")),
    ("2025年（预计完成）", (2025, "estimate")),
    ("2025年计划（预计）", (2025, "target")),   # a plan figure stays a target
    ("2025年预期目标", (2025, "target")),
    ("2020年（五经普修订后）", (2020, "revised")),
    ("2020年调整后", (2020, "revised")),
    ("2020年（调整前）", (2020, "other")),      # the first-published figure is not read as a restatement
    ("2020年", (2020, "actual")),
    ("2025年 绝对值", (2025, "actual")),       # a bulletin's year over 绝对值 | 比上年增长(%)
    ("2025年 绝对数", (2025, "actual")),
    ("2025年 比上年增长(%)", (2025, "other")),
    ("2025年 增速", (2025, "other")),
])
def test_column_year(label: str, want: tuple[int, str]) -> None:
    parsed = _column_year([label])
    assert parsed is not None and parsed[:2] == want


@pytest.mark.parametrize(("label", "want"), [
    ("“十三五”末", (2020, "")), ("十三五末(2020年)", (2020, "")), ("“十四五”期末", (2025, "")),
    ("十二五末", (2015, "")), ("十三五末(2015年)", None), ("十三五期间", None), ("2024年", (2024, "")),
])
def test_plan_period_end(label: str, want: tuple[int, str] | None) -> None:
    assert year_label(label) == want


@pytest.mark.parametrize(("fmt", "want"), [
    ('yyyy"年"', True), ("yyyy", True), ('e"年"', True), ('[$-804]yyyy"年"', True),
    ("yyyy-mm-dd", False), ('yyyy"年"m"月"', False), ("General", False), ("0", False), ("[h]:mm", False),
    ('0"年"', False),
])
def test_year_format(fmt: str, want: bool) -> None:
    assert is_year_format(fmt) is want


@pytest.mark.parametrize(("label", "name", "unit"), [
    ("地区生产总值（可比价，万元）", "地区生产总值", "万元"),
    ("地区生产总值(2020年价,亿元)", "地区生产总值", "亿元"),
    ("能源消费总量（当量值、万吨标准煤）", "能源消费总量(当量值、万吨标准煤)", "万吨标准煤"),   # 当量值 stays
    ("光伏装机(万千瓦,兆瓦)", "光伏装机(万千瓦,兆瓦)", None),        # two units: none is certain
    ("装机容量(万千瓦)", "装机容量", "万千瓦"),
    ("能源消费总量①", "能源消费总量", None),               # footnote marks are not the name
    ("地区生产总值（可比价）注2", "地区生产总值", None),
    ("装机容量(万千瓦)①", "装机容量", "万千瓦"),
    ("PM2.5浓度", "pm2.5浓度", None),
])
def test_unit_beside_notes(label: str, name: str, unit: str | None) -> None:
    assert (norm_name(label), trailing_unit(label)) == (name, unit)


def _book(path: Path, header: list[object], rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["填报单位：太谷区发展和改革局"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_restated_column_replaces_first_published(tmp_path: Path, cat: Catalogue) -> None:  # noqa: F811
    path = _book(tmp_path / "r.xlsx", ["指标名称", "单位", "2020年", "2020年(调整后)", "2025年"],
                 [["能源消费总量", "万吨标准煤", 160, 165, 172]])
    sub = read_submission(path, cat)
    assert {o.year: o.value for o in sub.observations if o.indicator == "energy_consumption"} == {2020: 165, 2025: 172}
    said = [n for n in sub.notes if n.key == "read.restated_column"]
    assert len(said) == 1 and said[0].params["label"] == "2020年" and said[0].params["by"] == "2020年(调整后)"


def test_two_restated_columns_read_none(tmp_path: Path, cat: Catalogue) -> None:  # noqa: F811
    path = _book(tmp_path / "r.xlsx", ["指标名称", "单位", "2020年", "2020年(调整后)", "2020年(五经普修订)", "2025年"],
                 [["能源消费总量", "万吨标准煤", 160, 165, 166, 172]])
    sub = read_submission(path, cat)
    assert {o.year for o in sub.observations if o.indicator == "energy_consumption"} == {2025}
    assert sorted(n.params["label"] for n in sub.notes if n.key == "read.restated_ambiguous") == \
        ["2020年", "2020年(五经普修订)", "2020年(调整后)"]


def test_a_plan_end_with_no_later_year_is_not_read(tmp_path: Path, cat: Catalogue) -> None:  # noqa: F811
    # in a 2024 table “十四五”末 may hold the plan's 2025 target: listed, not read as 2025's value
    path = _book(tmp_path / "r.xlsx", ["指标名称", "单位", "“十三五”末", "2024年", "“十四五”末"],
                 [["能源消费总量", "万吨标准煤", 160, 170, 175]])
    sub = read_submission(path, cat)
    assert {o.year: o.value for o in sub.observations if o.indicator == "energy_consumption"} == {2020: 160, 2024: 170}
    assert [n.params["label"] for n in sub.notes if n.key == "read.not_year_column"] == ["“十四五”末"]


def test_refusal_names_the_year_columns_it_did_not_read(tmp_path: Path, cat: Catalogue) -> None:  # noqa: F811
    """A progress table with only 2025年1-9月 and a target column: refused, naming both columns (it used to
    say the header had no year columns at all)."""
    from cbcheck.errors import SubmissionError

    wb = openpyxl.Workbook()
    for row in (["某县2025年碳达峰进展情况"], ["指标名称", "单位", "2025年1-9月", "2025年目标"],
                ["能源消费总量", "万吨标准煤", 330, 440]):
        wb.active.append(row)
    path = tmp_path / "进展.xlsx"
    wb.save(path)
    with pytest.raises(SubmissionError) as refused:
        read_submission(path, cat)
    said = refused.value.text("zh")
    assert "第 2 行表头的年份列 2025年1-9月、2025年目标 都不是全年数值" in said, said
