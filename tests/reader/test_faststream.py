"""A plain facility CSV parsed in small record batches into compact columns (reader/faststream.py)
writes the reports the whole-table read writes, byte for byte: random tables with batches of a
few hundred bytes, and tables by hand that take the stream (many batches, a 合计 row with an
integer capacity, footers) or leave it for the whole-table read (a blank row, a column whose type
widens further down, a column blank in the first batch, cells pyarrow reads as booleans)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.columnar import arrow_floats, own_floats
from cbcheck.facility_listing import Grown
from cbcheck.reader import faststream
from test_fastcsv import HEADER, POLICY, cli_reports, _table, blank_row, layout, row

FORMATS = [["-q"], [], ["--lang", "en"], ["-f", "json"], ["-f", "json", "--all-facilities"], ["-f", "markdown"]]


class Spy:
    """Whether the stream gave the body (True) or left it to the whole-table read (False), per read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: list[bool] = []
        real = faststream._widening

        def read(*args: Any, **kwargs: Any) -> Any:
            got = real(*args, **kwargs)
            judging = len(args) > 9 and args[9] is not None     # judged as it streams (reader/judgestream.py)
            if faststream.enabled() and not (judging and got is None):    # not the runs with the stream off;
                self.taken.append(got is not None)      # a judging left to the whole read: that read says
            return got

        monkeypatch.setattr(faststream, "_widening", read)


class _Count:
    def __init__(self) -> None:
        self.calls = 0


def _count(monkeypatch: pytest.MonkeyPatch) -> _Count:
    """How many times the stream started (once a read, and again for each type widened)."""
    counter = _Count()
    real = faststream._parsed

    def parsed(*args: Any, **kwargs: Any) -> Any:
        if faststream.enabled():
            counter.calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(faststream, "_parsed", parsed)
    return counter


def _reports(path: Path, policy: Path, year: int, stream: bool, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    return cli_reports(path, policy, year, FORMATS, monkeypatch, CBCHECK_FASTCSV_STREAM="1" if stream else "0")


def _same_reports(path: Path, policy: Path, year: int, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _reports(path, policy, year, False, monkeypatch)
    for args, got, want in zip(FORMATS, _reports(path, policy, year, True, monkeypatch), whole, strict=True):
        assert got == want, args


# no shrinking: an example runs the CLI twelve times
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(rows=st.lists(st.one_of(row, row, row, blank_row), min_size=1, max_size=40), opts=layout,
       year=st.sampled_from([2023, 2025]), batch=st.sampled_from([300, 700, 2000, 1 << 20]),
       from_file=st.booleans())
def test_random_tables_streamed_in_small_batches_write_the_same_reports(
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, rows: list[Any],
        opts: dict[str, Any], year: int, batch: int, from_file: bool) -> None:
    """From the bytes held, or (``from_file``) from the file once the bytes are let go, and read
    again for the whole-table read when the stream leaves the file to it."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "BATCH_BYTES", batch)
    monkeypatch.setattr(faststream, "FROM_FILE_BYTES", 0 if from_file else 4 << 20)
    folder = tmp_path_factory.mktemp("stream")
    policy = folder / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    path = folder / "设施.csv"
    path.write_bytes(_table(rows, opts))
    _same_reports(path, policy, year, monkeypatch)


def _units(n: int, extra: list[str] | None = None, late: dict[int, str] | None = None) -> str:
    """``n`` coal units, every read column filled (the types stay those of the first batch), then
    ``extra`` lines; ``late`` replaces row i's line."""
    lines = [",".join(HEADER)]
    for i in range(n):
        lines.append(f"{i:04d}号机组,燃煤发电机组,{['抽凝', '纯凝', '背压'][i % 3]},{300 + i % 7},粉煤,4.3,"
                     f"{290 + (i % 40) / 2:.1f},100.5,1200.5,{'2023-09-30' if i % 5 else '未关停'},")
        if late and i in late:
            lines[-1] = late[i]
    return "\n".join(lines + (extra or [])) + "\n"


def _write(tmp_path: Path, text: str) -> tuple[Path, Path]:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    return path, tmp_path / "policy.yaml"


@pytest.mark.parametrize("from_file", [False, True])
def test_a_plain_table_is_streamed_in_many_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   from_file: bool) -> None:
    """The stream is taken (this fails if it silently never streams), in batches of ~1 KiB, with a
    小计 row whose integer capacity is listed as written (1350, not 1350.0) and footers."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 1024)
    monkeypatch.setattr(faststream, "FROM_FILE_BYTES", 0 if from_file else 4 << 20)
    total = ["甲厂小计,,,1350,,,,,,,"]
    path, policy = _write(tmp_path, _units(400, ["填表人：张三,,,,,,,,,,", "联系电话：123,,,,,,,,,,"],
                                           late={200: total[0]}))
    assert path.stat().st_size > 20 * 1024
    spy = Spy(monkeypatch)
    _same_reports(path, policy, 2025, monkeypatch)
    assert spy.taken and all(spy.taken)
    r = CliRunner().invoke(app, ["check", str(path), "-p", str(policy), "--year", "2025", "--lang", "en"])
    assert "甲厂小计  1350" in r.stdout and "1350.0" not in r.stdout


@pytest.mark.parametrize("late", [
    ",,,,,,,,,,",                                                        # a blank row
    "9999号机组,燃煤发电机组,抽凝,true,粉煤,4.3,301.5,100.5,1200.5,2023-09-30,",    # integers, then a word
])
@pytest.mark.parametrize("from_file", [False, True])
def test_what_the_stream_leaves_to_the_whole_table_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        late: str, from_file: bool) -> None:
    """From the file, the bytes let go are read again (and checked) for the whole-table read."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 1024)
    monkeypatch.setattr(faststream, "FROM_FILE_BYTES", 0 if from_file else 4 << 20)
    path, policy = _write(tmp_path, _units(300, late={250: late}))
    spy = Spy(monkeypatch)
    _same_reports(path, policy, 2025, monkeypatch)
    assert spy.taken and not any(spy.taken)


@pytest.mark.parametrize("from_file", [False, True])
def test_a_row_with_only_a_remark_is_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_file: bool) -> None:
    """备注 is read (a remark is shown beside the facility's verdicts), so a row holding only
    ``见附件`` is not blank in every column read: the stream takes it, and reads it as the whole
    table does. (It was the case of a row blank but for a column nobody reads, left to the
    whole-table read, before remarks were read.)"""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 1024)
    monkeypatch.setattr(faststream, "FROM_FILE_BYTES", 0 if from_file else 4 << 20)
    path, policy = _write(tmp_path, _units(300, late={250: ",,,,,,,,,,见附件"}))
    spy = Spy(monkeypatch)
    _same_reports(path, policy, 2025, monkeypatch)
    assert spy.taken and all(spy.taken)


@pytest.mark.parametrize("from_file", [False, True])
@pytest.mark.parametrize("case", ["blank first", "decimal later", "blank, integers, decimal"])
def test_a_type_that_widens_further_down_is_streamed_again_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   case: str, from_file: bool) -> None:
    """A column blank in the first batch (a table sorted by type), or integers then a decimal: the
    stream starts again with the type read_csv's inference reaches (int64, float64), and the
    reports are the whole-table read's, a 合计 row's capacity included."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 1024)
    monkeypatch.setattr(faststream, "FROM_FILE_BYTES", 0 if from_file else 4 << 20)
    total = "甲厂小计,,,1350,,,,,,,"
    if case == "blank first":
        text = _units(300, late={280: total}).replace(",4.3,", ",,", 100)     # 炭化室高度 blank in the first 100 rows
    elif case == "decimal later":
        text = _units(300, late={250: "9999号机组,燃煤发电机组,抽凝,300.5,粉煤,4.3,301.5,100.5,1200.5,2023-09-30,",
                                 280: total})
    else:
        text = _units(300, late={280: total}).replace(",4.3,", ",,", 100).replace(",4.3,", ",4,", 100)
    path, policy = _write(tmp_path, text)
    spy = Spy(monkeypatch)
    widened = _count(monkeypatch)
    _same_reports(path, policy, 2025, monkeypatch)
    assert spy.taken and all(spy.taken)
    assert widened.calls > len(spy.taken)             # started again at least once a read


def test_booleans_in_a_number_column_are_left_to_the_whole_table_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, policy = _write(tmp_path, _units(5).replace(",4.3,", ",true,"))
    spy = Spy(monkeypatch)
    _same_reports(path, policy, 2025, monkeypatch)
    assert spy.taken == [False, False, False, False, False, False]


@pytest.mark.parametrize("when", ["stream", "again"])
def test_a_file_changed_while_it_is_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    when: str) -> None:
    """The file rewritten (same length) after its bytes were read and let go: what the stream
    reads, or what is read again for the whole-table read, is not what was checked: exit 3, one line."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "FROM_FILE_BYTES", 0)
    text = _units(50, late={40: ",,,,,,,,,,"} if when == "again" else None)
    path, policy = _write(tmp_path, text)
    real = faststream._Tap.__init__

    def rewritten(self: Any, at: Path) -> None:
        at.write_text(text.replace("燃煤发电机组,抽凝,300", "燃煤发电机组,抽凝,900", 1), encoding="utf-8")
        real(self, at)

    monkeypatch.setattr(faststream._Tap, "__init__", rewritten)
    r = CliRunner().invoke(app, ["check", str(path), "-p", str(policy), "--year", "2025", "--lang", "en"])
    assert r.exit_code == 3
    assert "the file changed while it was read" in r.output and "Traceback" not in r.output


def test_own_floats_are_given_back_without_a_copy_once() -> None:
    values = np.array([1.5, np.nan, 3.0])
    arrow = own_floats(values)
    first = arrow_floats(arrow)
    assert np.shares_memory(first, values) and first.flags.writeable
    again = arrow_floats(arrow)                   # a second reader gets its own copy
    assert not np.shares_memory(again, values)
    np.testing.assert_array_equal(again, values)


def test_line_ends_undercounted_grow_the_buffers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bare CRs end lines for pyarrow, but the buffers are sized by the LFs: they grow as rows come."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(faststream, "BATCH_BYTES", 1024)
    path, policy = _write(tmp_path, "")
    path.write_bytes(_units(300).replace("\n", "\r").encode("utf-8"))
    spy = Spy(monkeypatch)
    _same_reports(path, policy, 2025, monkeypatch)
    assert spy.taken and all(spy.taken)


def test_grown_keeps_what_was_written() -> None:
    grown = Grown(np.int64, 3)
    for start in range(0, 100, 7):
        grown.room(7)[:] = np.arange(start, start + 7)
    np.testing.assert_array_equal(grown.done(), np.arange(0, 105))
