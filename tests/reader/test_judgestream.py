"""A plain facility CSV judged group by group as it streams (reader/judgestream.py, streamed.py)
writes the reports the whole table writes: hypothesis over random tables as test_fastcsv makes
them (合计 rows, footers, blank rows, a column blank in the first batches that widens and starts
the stream again, unreadable cells, unit errors), groups of 1-5 rows and record batches of a few
rows, six CLI outputs byte for byte against the judging turned off; cases by hand; and a spy that
fails if the plain layout stops being judged while it streams."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck import backends, facility_parts, streamed
from cbcheck.reader import faststream, judgestream

sys.path.insert(0, str(Path(__file__).parent))
from test_fastcsv import HEADER, POLICY, TYPES, _table, blank_row, cli_reports, layout, row  # noqa: E402

FORMATS = [["-q"], [], ["--lang", "en"], ["-f", "json"], ["-f", "json", "--all-facilities"], ["-f", "markdown"]]

# numbers every column reads (the random `row` adds 约300, 200MW, 300吨...: approximate cells and
# unit errors, which leave the file to the whole-table read)
plain_number = st.one_of(st.sampled_from(["", "", "300", "299.9", "1150", "95", "110", "4.3", "5.5", "—", "N/A",
                                          "#DIV/0!", "0"]),
                         st.floats(min_value=0, max_value=2000, allow_nan=False).map(lambda x: f"{x:.6g}"))
plain_row = st.tuples(st.text(alphabet="号机组线炉AB0123 ", min_size=1, max_size=5), st.sampled_from(TYPES),
                      st.sampled_from(["抽凝", "纯凝", "背压", ""]), plain_number,
                      st.sampled_from(["优质无烟块煤", "粉煤", "天然气", ""]), plain_number, plain_number, plain_number,
                      plain_number, st.sampled_from(["2023-09-30", "2024/1/5", "未关停", "已关停", ""]),
                      st.sampled_from(["", "", "已停产", "拟于2024年关停"]))
# 合计 / 小计 rows inside the body and at its end, footers under it
total_row = st.sampled_from([("合计",) + ("",) * 2 + ("1350",) + ("",) * 7, ("甲厂小计",) + ("",) * 10])
footer = st.sampled_from([["填表人：张三"], ["注：本表数据为初步统计"], ["合计", "", "", "1350"]])


class Spy:
    """Per read: whether it was judged as it streamed, and how many parts the rules were handed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.judged: list[bool] = []
        self.parts = 0
        self.refills = 0
        real_read, real_add = judgestream.read, facility_parts.RuleParts.add
        real_fill = streamed.StreamedTable.materialize

        def read(*args: Any, **kwargs: Any) -> Any:
            got = real_read(*args, **kwargs)
            if streamed.current() is not None:
                self.judged.append(got is not None)
            return got

        def add(self_: Any, part: Any, offset: int) -> None:
            self.parts += 1
            real_add(self_, part, offset)

        def materialize(self_: Any) -> None:
            if self_.__dict__.get("refill") is not None:
                self.refills += 1
            real_fill(self_)

        monkeypatch.setattr(judgestream, "read", read)
        monkeypatch.setattr(facility_parts.RuleParts, "add", add)
        monkeypatch.setattr(streamed.StreamedTable, "materialize", materialize)


def _csv(rows: list[Any], footers: list[list[str]], opts: dict[str, Any]) -> bytes:
    d = opts["delimiter"]
    data = _table(rows, opts)
    eol = b"\r\n" if opts["crlf"] else b"\n"
    if footers:
        cells = [f + [""] * (len(HEADER) - len(f)) for f in footers]     # Excel writes every delimiter
        data = data.rstrip(b"\r\n") + eol + eol.join(d.join(c).encode("utf-8") for c in cells) + eol
    return data


def _reports(path: Path, policy: Path, year: int, judge: bool, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    return cli_reports(path, policy, year, FORMATS, monkeypatch, CBCHECK_STREAM_JUDGE="1" if judge else "0")


def _same(path: Path, policy: Path, year: int, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _reports(path, policy, year, False, monkeypatch)
    for args, got, want in zip(FORMATS, _reports(path, policy, year, True, monkeypatch), whole, strict=True):
        assert got == want, args


@pytest.fixture
def counting() -> Any:
    """As the CLI without --all-facilities: passing facilities counted, not kept (the stream judges then)."""
    before = backends.keep_passing()
    backends.keep_passing(False)
    yield
    backends.keep_passing(before)


def _write(folder: Path, data: bytes) -> tuple[Path, Path]:
    policy = folder / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    path = folder / "设施.csv"
    path.write_bytes(data)
    return path, policy


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(plain_row, plain_row, total_row, row, blank_row), min_size=1, max_size=30),
       footers=st.lists(footer, max_size=3), opts=layout, year=st.sampled_from([2023, 2025]),
       group=st.sampled_from(["1", "2", "5"]), block=st.sampled_from([300, 700, 1 << 20]),
       thread=st.booleans())
def test_streamed_judging_writes_the_whole_tables_reports(tmp_path_factory: pytest.TempPathFactory,
                                                          monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                          footers: list[list[str]], opts: dict[str, Any], year: int,
                                                          group: str, block: int, thread: bool) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", group)
    monkeypatch.setenv("CBCHECK_STREAM_THREAD", "1" if thread else "0")
    monkeypatch.setattr(faststream, "BATCH_BYTES", block)
    path, policy = _write(tmp_path_factory.mktemp("judgestream"), _csv(rows, footers, opts))
    _same(path, policy, year, monkeypatch)


def _plain_rows(n: int) -> list[tuple[str, ...]]:
    kinds = [("燃煤发电机组", "抽凝", "15", "", "", "305.5", "", "", "", ""),
             ("水泥熟料生产线", "", "", "", "", "", "112", "", "", "已停产"),
             ("合成氨装置", "", "", "粉煤", "", "", "", "1490", "", ""),
             ("焦炉", "", "", "", "4.3", "", "", "", "2024-06-30", "")]
    assert all(len(k) == len(HEADER) - 1 for k in kinds)
    return [(f"{i}号设施", *kinds[i % 4]) for i in range(n)]


PLAIN = {"bom": False, "crlf": False, "title": True, "sep": False, "delimiter": ",", "final_newline": True}


def test_the_plain_layout_is_judged_while_it_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails if the plain layout stops being judged as it streams: the rules are handed parts of
    a group each, the table is never read again, and the reports are the whole table's."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "7")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 400)
    rows: list[Any] = [*_plain_rows(60), ("合计", "", "", "1350") + ("",) * 7]
    path, policy = _write(tmp_path, _csv(rows, [["填表人：张三"]], PLAIN))
    spy = Spy(monkeypatch)
    judged = _reports(path, policy, 2025, True, monkeypatch)
    assert spy.judged and all(spy.judged)
    assert spy.parts > 20              # each facility rule handed several parts
    assert spy.refills == 0            # every rule and share answered from the stream
    assert judged == _reports(path, policy, 2025, False, monkeypatch)


@pytest.mark.parametrize("late,why", [
    ("200MW", "a unit error: the whole table's words for it"),
    ("约4.3", "an approximate number: its note quotes the value read"),
    ("true", "a boolean under numbers: no number type reads it"),
])
def test_what_the_stream_leaves_to_the_whole_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: str,
                                                 why: str) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "3")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 300)
    rows: list[Any] = _plain_rows(40)
    rows[33] = (rows[33][0], "焦炉", "", "", "", late, *rows[33][6:])     # 炭化室高度(米), far below the first group
    path, policy = _write(tmp_path, _csv(rows, [], PLAIN))
    spy = Spy(monkeypatch)
    _same(path, policy, 2025, monkeypatch)
    assert spy.judged and not any(spy.judged), why


def test_a_widening_column_starts_the_judging_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """炭化室高度 blank in the first batches, then integers, then a decimal: two restarts, each
    judging from the top with fresh rules (nothing of an abandoned start is counted twice)."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "2")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 300)
    rows: list[Any] = [r[:5] + ("",) + r[6:] for r in _plain_rows(60)]
    rows[30] = rows[30][:5] + ("6",) + rows[30][6:]
    rows[50] = rows[50][:5] + ("4.3",) + rows[50][6:]
    path, policy = _write(tmp_path, _csv(rows, [], PLAIN))
    spy = Spy(monkeypatch)
    _same(path, policy, 2025, monkeypatch)
    assert spy.judged and all(spy.judged) and spy.refills == 0


def test_a_rule_asked_otherwise_reads_the_table_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     counting: None) -> None:
    """A rule asked by another year than the one judged is not guessed: the table is made whole."""
    from cbcheck.checks import Context
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    path, policy_path = _write(tmp_path, _csv(_plain_rows(30), [], PLAIN))
    policy, cat = load_policy(str(policy_path))
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "4")
    with streamed.judging(policy, cat, 2025):
        table = read_submission(path, cat).facilities[0]
    assert isinstance(table, streamed.StreamedTable) and table.data["capacity"] is None
    rule = next(r for r in policy.rules if r.scope == "facility")
    other = facility_parts.judged(rule, table, Context(year=2024, default_base_year=2020))
    assert table.data["capacity"] is not None or "capacity" in table.lazy      # read again whole
    whole = read_submission(path, cat).facilities[0]
    again = facility_parts.judged(rule, whole, Context(year=2024, default_base_year=2020))
    assert (other is None) == (again is None)
    if other is not None and again is not None:
        assert other.all_verdicts.tolist() == again.all_verdicts.tolist()
        assert other.all_index.tolist() == again.all_index.tolist()


def test_a_file_changed_before_it_is_read_again_is_refused(tmp_path: Path, counting: None) -> None:
    from cbcheck.errors import SubmissionError
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    path, policy_path = _write(tmp_path, _csv(_plain_rows(10), [], PLAIN))
    policy, cat = load_policy(str(policy_path))
    with streamed.judging(policy, cat, 2025):
        table = read_submission(path, cat).facilities[0]
    path.write_bytes(path.read_bytes() + "9号设施,焦炉,,,,4.3,,,,,\n".encode())
    with pytest.raises(SubmissionError):
        table.column("capacity")


def test_the_year_in_the_head_is_the_year_judged_without_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """报告年度：2024 above the table and no --year: judged as it streams in 2024, never read again."""
    from typer.testing import CliRunner

    from cbcheck.cli import app

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "5")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 300)
    body = _csv(_plain_rows(30), [], {**PLAIN, "title": False})
    path, policy = _write(tmp_path, ("报告年度：2024" + "," * (len(HEADER) - 1) + "\n").encode("utf-8") + body)
    spy = Spy(monkeypatch)
    out = []
    for judge in ("1", "0"):
        monkeypatch.setenv("CBCHECK_STREAM_JUDGE", judge)
        for args in FORMATS:
            r = CliRunner().invoke(app, ["check", str(path), "-p", str(policy), *args])
            out.append((r.exit_code, r.stdout))
    assert out[:len(FORMATS)] == out[len(FORMATS):]
    assert spy.judged and all(spy.judged) and spy.refills == 0
    assert FORMATS[3] == ["-f", "json"] and '"year": 2024' in out[3][1]


def test_an_owner_column_is_left_to_the_whole_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """企业名称 beside the facility's own name: the owners are said with each name; the whole read converts
    each owner once, the groups would convert them cell by cell, so the stream leaves it, and the reports
    are the same."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "5")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 300)
    lines = _csv(_plain_rows(40), [], PLAIN).decode("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(HEADER[0]))
    lines = lines[:at] + [f"企业名称,{lines[at]}"] + [f"甲公司{i % 3},{line}" if line else line
                                                    for i, line in enumerate(lines[at + 1:])]
    path, policy = _write(tmp_path, "\n".join(lines).encode("utf-8"))
    spy = Spy(monkeypatch)
    _same(path, policy, 2025, monkeypatch)
    assert spy.judged and not any(spy.judged)
    assert "甲公司1 " in _reports(path, policy, 2025, True, monkeypatch)[1][1]       # the text report names them


def test_a_streamed_listing_is_columns_of_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  counting: None) -> None:
    """Fails if a listing goes back to a Python object per entry: what each rule keeps, judged as
    the file streams in groups of 4 rows, is numpy columns of numbers and codes (floats where the
    values are floats; the deadline's dates and 未关停 as codes into a few distinct values), and
    the entries are the whole table's, across the groups' boundaries."""
    import numpy as np

    from cbcheck.engine import context
    from cbcheck.facility_listing import Reasons, Values
    from cbcheck.facility_results import FacilityResult
    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    rows: list[Any] = _plain_rows(40)
    rows[3] = (rows[3][0], "焦炉", "", "", "4.3", "", "", "", "", "未关停", "")     # a text observed
    rows[7] = (rows[7][0], "焦炉", "", "", "", "", "", "", "", "2023-09-30", "")    # attribute missing: a reason
    rows[9] = (rows[9][0], "燃煤发电机组", "抽凝", "15", "", "", "", "", "", "", "")  # blank observed
    path, policy_path = _write(tmp_path, _csv(rows, [], PLAIN))
    policy, cat = load_policy(str(policy_path))
    ctx = context(policy, 2025)
    monkeypatch.setenv("CBCHECK_STREAM_GROUP", "4")
    with streamed.judging(policy, cat, 2025):
        table = read_submission(path, cat).facilities[0]
    assert isinstance(table, streamed.StreamedTable)
    whole = read_submission(path, cat).facilities[0]
    texts = 0
    for rule in (r for r in policy.rules if r.scope == "facility"):
        part, want = facility_parts.judged(rule, table, ctx), facility_parts.judged(rule, whole, ctx)
        assert (part is None) == (want is None)
        if part is None or want is None:
            continue
        assert isinstance(part.observed, Values) and isinstance(part.expected, Values)
        assert isinstance(part.reason, Reasons) and part.reason.codes.dtype == np.int32
        assert part.verdicts.dtype == np.int8 and part.index.dtype == np.int32
        for values in (part.observed, part.expected):
            assert values.numbers.dtype == np.float64
            assert values.codes is None or values.codes.dtype == np.int32
            texts += sum(isinstance(v, str) for v in values.objects)
        got = FacilityResult(rule.id, "t", (part,), rule.binding)
        expected = FacilityResult(rule.id, "t", (want,), rule.binding)
        assert list(got.entries(include_pass=False)) == list(expected.entries(include_pass=False))
    assert texts                  # 未关停 kept as the text it is
