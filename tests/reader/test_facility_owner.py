"""A facility table that names each row's owner beside the facility (企业名称 | 机组名称): the
facility's own name header names the rows, the owner is read as ``owner`` and said with each name."""

from __future__ import annotations

import pytest

from cbcheck.policy import catalogue as bundled_catalogue
from cbcheck.facilities import facility_catalogue
from cbcheck.reader.facility import find_header, plan_columns


@pytest.mark.parametrize(("labels", "name_col", "owner_col", "implied"), [
    (["企业名称", "机组名称", "供电煤耗"], 1, 0, "coal_power_unit"),        # owner first: the unit names the row
    (["机组名称", "企业名称", "供电煤耗"], 0, 1, "coal_power_unit"),        # owner after: the same
    (["序号", "单位名称", "熟料生产线名称"], 2, 1, "cement_clinker_line"),
    (["企业名称", "设施名称", "设施类型"], 1, 0, None),                      # a generic facility name
    (["企业名称", "综合能耗"], 0, None, "enterprise"),                      # the enterprise is the row
    (["企业名称", "单位名称", "综合能耗"], 0, None, "enterprise"),          # two owner headers: the first names
    (["所属企业", "焦炉编号", "炭化室高度"], 1, 0, "coke_oven"),             # the owner as group tables head it
    (["公司名称", "数据中心名称", "PUE"], 1, 0, "data_centre"),
])
def test_the_facility_names_the_row_and_the_owner_is_read(labels: list[str], name_col: int, owner_col: int | None,
                                                          implied: str | None) -> None:
    fc, cat = facility_catalogue(), bundled_catalogue()
    found = find_header([["2025年全市情况表"], labels, ["甲公司"] * len(labels)], fc)
    assert found == (1, name_col, implied)
    plan = plan_columns(labels, name_col, implied, cat, fc)
    owners = [c for c, (ident, _, _) in plan.columns.items() if ident == "owner"]
    assert owners == ([owner_col] if owner_col is not None else [])
    assert all(c != owner_col for c, _ in plan.unmatched)
