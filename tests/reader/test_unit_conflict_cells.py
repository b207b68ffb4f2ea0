"""A row whose units disagree (光伏发电装机容量（MW） over a 万千瓦 unit column) is read as an ERROR at
each of its cells — and those cells are read: when every row of a table conflicted, its year columns
were also listed as "not an indicator, year, unit or 备注 column, not read"."""

from __future__ import annotations

from pathlib import Path

from cbcheck.catalogue import Catalogue
from cbcheck.reader import read_submission

from reader_support import cat  # noqa: F401  (fixture)


def test_every_row_conflicting_leaves_no_column_unread(tmp_path: Path, cat: Catalogue) -> None:  # noqa: F811
    path = tmp_path / "表.csv"
    path.write_text("指标名称,单位,2024年,2025年\n光伏发电装机容量（MW）,万千瓦,3000,3300\n"
                    "煤电机组平均供电煤耗（克/千瓦时）,千克标准煤/千瓦时,301,294\n", encoding="utf-8")
    sub = read_submission(path, cat)
    assert {o.location: bool(o.error) for o in sub.observations} == {
        "表.csv:2:3": True, "表.csv:2:4": True, "表.csv:3:3": True, "表.csv:3:4": True}
    unread = [n for n in sub.notes if getattr(n, "key", "") == "read.column_not_read"]
    assert unread == [], [str(n) for n in unread]
