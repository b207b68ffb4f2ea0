"""Parquet facility tables (as monitoring platforms export them): the same facilities give the
same findings as the CSV export of the same table, whether the columns are stored as text or
typed (numbers as doubles, closing dates as dates); locations are file:row:col with the column
names as row 1; a damaged file is one clear line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.engine import evaluate
from cbcheck.errors import SubmissionError
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

CASE = Path(__file__).resolve().parent / "cases" / "facility-rules"


def _findings(path: Path) -> dict:
    policy, cat = load_policy(str(CASE / "policy.yaml"))
    report = evaluate(policy, cat, read_submission(path, cat), year=2025)
    out = {}
    for f in report.findings:
        facilities = (f.details or {}).get("facilities")
        entries = [{**e, "location": e["location"].split(":", 1)[1], "table": None}
                   for e in facilities.entries()] if facilities else None
        out[f.rule_id] = (f.status, f.observed, f.expected, entries)
    return out


def test_parquet_as_text_columns_reads_like_the_csv(tmp_path: Path) -> None:
    frame = pd.read_csv(CASE / "submission.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "facilities.parquet"
    frame.to_parquet(path, index=False)
    assert _findings(path) == _findings(CASE / "submission.csv")


def test_parquet_with_typed_columns_reads_like_the_csv(tmp_path: Path) -> None:
    """Numbers stored as doubles (the per-cell units such as 200MW stay text in their column),
    closing dates stored as dates, blanks as nulls."""
    frame = pd.read_csv(CASE / "submission.csv", dtype=str, keep_default_na=False).replace("", None)
    for column in frame.columns:
        numbers = pd.to_numeric(frame[column], errors="coerce")
        if numbers.notna().sum() == frame[column].notna().sum() and frame[column].notna().any():
            frame[column] = numbers
    table = pa.Table.from_pandas(frame, preserve_index=False)
    closed = "关停退出时间"
    dates = [dt.date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else None
             for v in frame[closed]]
    if all(d is not None or v is None for d, v in zip(dates, frame[closed], strict=True)):
        table = table.set_column(table.column_names.index(closed), closed, pa.array(dates, pa.date32()))
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    assert _findings(path) == _findings(CASE / "submission.csv")


def test_locations_and_blank_records(tmp_path: Path) -> None:
    table = pa.table({"机组名称": ["1号机组", None, "3号机组"], "设施类型": ["燃煤发电机组", None, "燃煤发电机组"],
                      "供电煤耗(克标准煤/千瓦时)": [310.0, None, 296.0]})
    path = tmp_path / "platform-export.parquet"
    pq.write_table(table, path)
    policy = Path(__file__).resolve().parent / "cases" / "kinds-facility-scope" / "policy.yaml"
    r = CliRunner().invoke(app, ["check", str(path), "--policy", str(policy), "--year", "2025", "--format", "json",
                                 "--all-facilities"], catch_exceptions=False)
    data = json.loads(r.stdout)
    entries = next(f["facilities"]["entries"] for f in data["findings"] if f["rule_id"] == "F-SUPPLY-COAL-APPROX")
    # row 1 holds the column names; the blank record (row 3) is no facility
    assert {e["facility"]: e["location"] for e in entries} == {"1号机组": "platform-export.parquet:2:3",
                                                              "3号机组": "platform-export.parquet:4:3"}


def test_a_damaged_parquet_file_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64)
    _, cat = load_policy(str(CASE / "policy.yaml"))
    with pytest.raises(SubmissionError, match="cannot read the Parquet file"):
        read_submission(path, cat)
    path.write_text("设施名称,设施类型\n", encoding="utf-8")
    with pytest.raises(SubmissionError, match="not a Parquet file"):
        read_submission(path, cat)
