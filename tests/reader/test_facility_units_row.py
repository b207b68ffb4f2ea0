"""A facility header on two rows: the labels, then their units (装机容量 over MW). The second row is
taken for units only when it can be nothing else: its name cell blank or the merged label, every
other cell a unit word or the label above it, at least one a unit."""

from __future__ import annotations

from typing import Any

import pytest

from cbcheck.reader.facility import _units_row

LABELS = ["机组名称", "机组类型", "装机容量", "供电煤耗"]


@pytest.mark.parametrize("second,units", [
    ([None, None, "MW", "克标准煤/千瓦时"], ["", "", "MW", "克标准煤/千瓦时"]),
    (["机组名称", "机组类型", "（万千瓦）", None], ["", "", "万千瓦", ""]),       # merged labels repeated
    (["1号机组", "抽凝", "MW", None], None),          # a unit's row: its name is a name
    ([None, "抽凝", "MW", None], None),               # 抽凝 is no unit
    ([None, None, 135, 298.6], None),                 # numbers: a unit without a name
    ([None, None, "1", None], None),                  # '1' parses as a unit; a digit never heads a column
    ([None, None, None, None], None),                 # a blank row: nothing to read
    ([None, None, "机组类型", None], None),           # a label, but not the one above it
])
def test_the_row_under_the_header_is_units_only_when_it_is_nothing_else(second: list[Any],
                                                                       units: list[str] | None) -> None:
    assert _units_row([LABELS, second], 0, 4, LABELS, 0) == units
