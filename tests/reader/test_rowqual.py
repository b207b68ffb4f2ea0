"""What a row's label says beyond the indicator's name: 当量值/等价值, a restatement, the year."""

from __future__ import annotations

import pytest

from cbcheck.reader.rowqual import RowQualifiers, energy_basis, row_qualifiers

Q = RowQualifiers


@pytest.mark.parametrize(("label", "expected"), [
    ("能源消费总量", Q("能源消费总量")),
    ("能源消费总量（当量值）", Q("能源消费总量", energy="calorific")),
    ("能源消费总量(当量值,万吨标准煤)", Q("能源消费总量(万吨标准煤)", energy="calorific")),
    ("能源消费总量（等价值）（万吨标准煤）", Q("能源消费总量（万吨标准煤）", energy="equivalent")),
    ("单位GDP能耗（当量值）", Q("单位GDP能耗", energy="calorific")),
    ("综合能源消费量(等价值)", Q("综合能源消费量", energy="equivalent")),
    # 二氧化碳当量 (CO2e) and 标准煤当量 (tce) are no energy basis
    ("温室气体排放量（二氧化碳当量）", Q("温室气体排放量（二氧化碳当量）")),
    ("能源消费总量（万吨标准煤当量）", Q("能源消费总量（万吨标准煤当量）")),
    ("地区生产总值（可比价，五经普修订）", Q("地区生产总值(可比价)", restated="after")),
    ("地区生产总值（修订后）", Q("地区生产总值", restated="after")),
    ("地区生产总值修订后", Q("地区生产总值", restated="after")),
    ("地区生产总值（修订前）", Q("地区生产总值", restated="before")),
    ("其中：修订后", Q("", restated="after", bare=True)),
    ("其中：五经普修订数", Q("", restated="after", bare=True)),
    ("2020年地区生产总值", Q("地区生产总值", year=2020)),
    ("2020年地区生产总值（五经普修订）", Q("地区生产总值", restated="after", year=2020)),
    ("地区生产总值(2020年可比价)", Q("地区生产总值(2020年可比价)")),
    # a year that opens a basis, not the year the row is about
    ("2020年以来单位GDP能耗累计下降率", Q("2020年以来单位GDP能耗累计下降率")),
    ("2020年=100地区生产总值指数", Q("2020年=100地区生产总值指数")),
])
def test_row_qualifiers(label: str, expected: RowQualifiers) -> None:
    assert row_qualifiers(label) == expected


@pytest.mark.parametrize(("note", "basis"), [
    ("注：能源消费总量按当量值计算。", "calorific"),
    ("注：电力按等价值折算", "equivalent"),
    ("注：能源消费总量为等价值，当量值见附表", None),          # both: the rows' own labels decide
    ("注：温室气体排放量以二氧化碳当量计", None),              # CO2e, not an energy basis
])
def test_energy_basis_of_a_note(note: str, basis: str | None) -> None:
    assert energy_basis(note) == basis
