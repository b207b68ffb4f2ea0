"""Chinese numerals, one reading for the report's section order and a draft plan's date
(textnorm.cn_number): hand-read values, and the dates a plan's head writes in numerals."""

from __future__ import annotations

import pytest

from cbcheck.draft.meta import find_meta
from cbcheck.textnorm import cn_number


@pytest.mark.parametrize(("text", "want"), [
    ("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一十", 10),
    ("二〇二三", 2023), ("二O二三", 2023), ("二○二三", 2023), ("二零二五", 2025), ("二三", 23),
    ("", None), ("三a", None), ("第三", None), ("3", None),
])
def test_a_numeral_reads_as_its_number(text: str, want: int | None) -> None:
    assert cn_number(text) == want


@pytest.mark.parametrize(("line", "date"), [
    ("二〇二三年九月", "2023-09"),
    ("二O二三年十二月", "2023-12"),          # a Latin O for 〇, as typed
    ("二〇二二年十月", "2022-10"),
])
def test_a_plan_dated_in_numerals(line: str, date: str) -> None:
    meta, _ = find_meta(f"某某市碳达峰实施方案\n{line}\n一、总体要求\n")
    assert meta["date"] == date
