"""The pyarrow fast path for plain facility CSVs (reader/fastcsv.py) reads exactly what the
general path reads: every CSV under tests/ and examples/, every facility case and example, and
random tables (bad cells, blanks, blank rows, a byte-order mark, CRLF, a title above the header,
a ``sep=`` line) give the same facility frame, cell errors, per-cell units, notes and findings
(entries, counts, locations) with ``CBCHECK_FASTCSV`` on and off. The only difference allowed
is the one note saying which path read the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck.engine import evaluate
from cbcheck.errors import CbcheckError
from cbcheck.params import Params, parse_set
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.reader import fastcsv
from cbcheck.reader.fastcsv import _plain

ROOT = Path(__file__).resolve().parents[2]
FAST_NOTE = "facility rows read by pyarrow directly from the file"
DEFAULT_POLICY = "yuncheng-energy-saving-14fyp"        # a bundled policy with facility rules


def _read(path: Path, cat: Any, fast: bool, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    monkeypatch.setenv("CBCHECK_FASTCSV", "1" if fast else "0")
    try:
        return read_submission(path, cat, **options)
    except CbcheckError as exc:
        return ("error", type(exc).__name__, str(exc))


def cli_reports(path: Path, policy: Path, year: int, formats: list[list[str]], monkeypatch: pytest.MonkeyPatch,
                **env: str) -> list[tuple[int, str]]:
    """(exit code, stdout) of ``check`` in each of ``formats``, with the environment ``env`` set:
    the batch, part and stream tests hold one reading path's reports to another's with it."""
    from typer.testing import CliRunner

    from cbcheck.cli import app

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = []
    for args in formats:
        r = CliRunner().invoke(app, ["check", str(path), "-p", str(policy), "--year", str(year), *args])
        assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
        out.append((r.exit_code, r.stdout))
    return out


def _fast_path_ran(submission: Any) -> bool:
    return any(FAST_NOTE in note for note in submission.notes)


def assert_same_reading(fast: Any, slow: Any, note: str = FAST_NOTE) -> None:
    """Both readings raise the same error, or give the same submission but for the one note."""
    if isinstance(slow, tuple) or isinstance(fast, tuple):
        assert fast == slow
        return
    assert [n for n in fast.notes if note not in n] == list(slow.notes)
    assert not any(note in n for n in slow.notes)
    assert fast.observations == slow.observations
    assert fast.unmatched == slow.unmatched
    assert len(fast.facilities) == len(slow.facilities)
    for a, b in zip(fast.facilities, slow.facilities, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert (a.source, a.columns, a.units, a.errors, a.csv, a.header_row) == \
               (b.source, b.columns, b.units, b.errors, b.csv, b.header_row)
        assert a.cell_units.keys() == b.cell_units.keys()
        for key in a.cell_units:
            assert list(a.cell_units[key]) == list(b.cell_units[key])


def findings(policy: Any, cat: Any, submission: Any, **args: Any) -> dict[str, Any]:
    """Findings by rule (compared by repr: a share of inf/inf is nan on both sides, and nan != nan)."""
    report = evaluate(policy, cat, submission, **args)
    out = {}
    for f in report.findings:
        facilities = (f.details or {}).get("facilities")
        out[f.rule_id] = {
            "finding": (f.status, f.observed, f.expected, f.message, f.location, f.arithmetic),
            "entries": list(facilities.entries()) if facilities else None,
            "counts": facilities.counts() if facilities else None,
        }
    return out


# --- every CSV in the repository ----------------------------------------------------------------

CSVS = sorted(p for base in (ROOT / "tests", ROOT / "examples") for p in base.rglob("*.csv"))


def _policy_for(path: Path) -> str:
    for folder in (path.parent, path.parent.parent):
        if (folder / "policy.yaml").is_file():
            return str(folder / "policy.yaml")
    return DEFAULT_POLICY


@pytest.mark.parametrize("path", CSVS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_csv_reads_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, cat = load_policy(_policy_for(path))
    assert_same_reading(_read(path, cat, True, monkeypatch), _read(path, cat, False, monkeypatch))


def test_the_fast_path_reads_the_plain_facility_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above is not empty: the fast path did read the facility cases."""
    ran = []
    for path in CSVS:
        _, cat = load_policy(_policy_for(path))
        got = _read(path, cat, True, monkeypatch)
        if not isinstance(got, tuple) and _fast_path_ran(got):
            ran.append(path.relative_to(ROOT).as_posix())
    assert {"tests/cases/facility-rules/submission.csv", "tests/cases/facility-aggregate/submission.csv",
            "tests/cases/kinds-facility-scope/submission.csv"} <= set(ran)


# --- every facility case and example, judged ------------------------------------------------------

def _inputs() -> list[tuple[str, Path, str, dict[str, Any]]]:
    out = []
    for case in sorted(p for p in (ROOT / "tests" / "cases").iterdir() if (p / "case.yaml").is_file()):
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        args = spec.get("args", {})
        out.append((case.name, case / spec["submission"], str(case / "policy.yaml"),
                    {"year": args.get("year"), "params": Params().with_overrides(parse_set(args.get("set", []))),
                     "strict": args.get("strict", False), "strict_trajectory": args.get("strict_trajectory", False)}))
    for manifest in (ROOT / "examples" / "examples.yaml", ROOT / "examples" / "enterprise" / "examples.yaml"):
        for entry in yaml.safe_load(manifest.read_text(encoding="utf-8")):
            out.append((entry["file"], manifest.parent / entry["file"], entry["policy"], {}))
    return out


@pytest.mark.parametrize("name,path,policy_ref,args", _inputs(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_case_and_example_is_judged_alike(name: str, path: Path, policy_ref: str, args: dict[str, Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    policy, cat = load_policy(policy_ref)
    fast, slow = _read(path, cat, True, monkeypatch), _read(path, cat, False, monkeypatch)
    assert_same_reading(fast, slow)
    if not isinstance(slow, tuple):
        assert repr(findings(policy, cat, fast, **args)) == repr(findings(policy, cat, slow, **args))


# --- random tables -------------------------------------------------------------------------------

POLICY = (ROOT / "tests" / "test_engines.py").read_text(encoding="utf-8").split('POLICY = """')[1].split('"""')[0]
HEADER = ["设施名称", "设施类型", "机组类型", "容量", "原料路线", "炭化室高度(米)", "供电煤耗(克标准煤/千瓦时)",
          "可比熟料综合能耗(千克标准煤/吨)", "合成氨单位产品综合能耗(千克标准煤/吨)", "关停退出时间", "备注"]
TYPES = ["燃煤发电机组", "水泥熟料生产线", "合成氨装置", "焦炉", "", "锅炉房"]      # 锅炉房: not a known type
number = st.one_of(
    st.just(""),
    st.sampled_from(["300", "300.0000001", "315", "299.9", "1150", "1500", "1050.0", "95", "110", "0", "-3",
                     "4.3", "5.5", "200MW", "50MW", "1e3", " 12", "—", "-", "/", "无", "N/A", "#DIV/0!",
                     "#N/A", "12..5", "约300", "三百", "1，200", "８５", "300吨", "inf", "nan", "true", "0012",
                     "2023-09-30"]),
    st.floats(min_value=0, max_value=2000, allow_nan=False).map(lambda x: f"{x:.6g}"),
    st.integers(min_value=-10, max_value=10**12).map(str))
word = st.sampled_from(["抽凝", "纯凝", "背压", " 抽凝 ", "", "0012", "1", "是", "2023-09-30", "N/A"])
name = st.one_of(st.sampled_from(["", "—", "001", "  3号机组 ", "2", "1.5", "N/A"]),
                 st.text(alphabet="号机组线炉ABC0123456789 ", min_size=1, max_size=6))
row = st.tuples(name, st.sampled_from(TYPES), word, number,
                st.sampled_from(["优质无烟块煤", "粉煤", "天然气", "水煤浆", "", "1"]), number, number, number, number,
                st.sampled_from(["2023-09-30", "2023-10-31", "2024/1/5", "未关停", "已关停", "是", "否", "待定", "",
                                 "2025-12-31", "20231031", "2023.10.31"]),
                st.sampled_from(["", "", "", "改造中", "1"]))
blank_row = st.sampled_from(["", "remark-only", "empty-line"])
layout = st.fixed_dictionaries({
    "bom": st.booleans(), "crlf": st.booleans(), "title": st.booleans(), "sep": st.booleans(),
    "delimiter": st.sampled_from([",", ";", "\t", "|"]), "final_newline": st.booleans()})


def _table(rows: list[Any], opts: dict[str, Any]) -> bytes:
    d = opts["delimiter"]
    lines = ([f"sep={d}"] if opts["sep"] else []) + (["某市重点用能设施能耗统计表" + d * (len(HEADER) - 1)]
                                                     if opts["title"] else [])
    lines.append(d.join(HEADER))
    for r in rows:
        if r == "":
            lines.append(d * (len(HEADER) - 1))                   # a blank row (Excel keeps the delimiters)
        elif r == "empty-line":
            lines.append("")                                       # a really empty line
        elif r == "remark-only":
            lines.append(d * (len(HEADER) - 1) + "见附件")         # blank but for a column nobody reads
        else:
            lines.append(d.join(r))
    eol = "\r\n" if opts["crlf"] else "\n"
    text = eol.join(lines) + (eol if opts["final_newline"] else "")
    return (b"\xef\xbb\xbf" if opts["bom"] else b"") + text.encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(row, blank_row), min_size=1, max_size=30), opts=layout,
       year=st.sampled_from([2023, 2025]), block=st.sampled_from([1 << 20, 512, 700]), cut=st.booleans())
def test_random_tables_read_and_judge_alike(tmp_path_factory: pytest.TempPathFactory,
                                            monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                            opts: dict[str, Any], year: int, block: int, cut: bool) -> None:
    """In one block and in many (the fast path reads batch by batch, and the whole file again when
    a later block does not fit the types inferred from the first); a line longer than a block sends
    the file to the general path, as do rows skipped above the header past the first block, so the
    blocks are longer than the title and header. Whole, or cut in two pieces read side by side
    (from 4 MiB; here at any size: the cut may fall in the title or header, when read_csv reads it)."""
    monkeypatch.setattr(fastcsv, "BLOCK_BYTES", block)
    monkeypatch.setattr(fastcsv, "SPLIT_BYTES", 0 if cut else 4 << 20)
    folder = tmp_path_factory.mktemp("fastcsv")
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = folder / "设施.csv"
    data = _table(rows, opts)
    path.write_bytes(data)
    policy, cat = load_policy(str(folder / "policy.yaml"))
    fast, slow = _read(path, cat, True, monkeypatch), _read(path, cat, False, monkeypatch)
    assert_same_reading(fast, slow)
    if not isinstance(slow, tuple) and slow.facilities:
        # every generated layout is plain but for empty lines (left to the general path): the
        # comparison is not vacuous
        assert _fast_path_ran(fast) is not (b"\n\n" in data or b"\n\r\n" in data)
        assert repr(findings(policy, cat, fast, year=year)) == repr(findings(policy, cat, slow, year=year))


@pytest.mark.parametrize("cut", [False, True])
@pytest.mark.parametrize("late", ["301.5", "abc", "200MW", "true", "2023-09-30"])
def test_a_later_block_that_does_not_fit_the_first_blocks_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                late: str, cut: bool) -> None:
    """Integers (and an empty column) in the first blocks, then another kind of cell: the stream
    fails on that block and read_csv widens the type, as it does reading the file whole. Cut in
    two pieces, the second infers the other type from its first block: they cannot be joined."""
    monkeypatch.setattr(fastcsv, "BLOCK_BYTES", 512)
    monkeypatch.setattr(fastcsv, "SPLIT_BYTES", 0 if cut else 4 << 20)
    lines = [",".join(HEADER)] + [f"{i}号机组,燃煤发电机组,抽凝,{300 + i},,,{290 + i},,,,"  for i in range(60)]
    lines.append(f"99号机组,燃煤发电机组,抽凝,{late},,,{late},,,,")
    path = tmp_path / "units.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(path.read_bytes()) > 6 * 512
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    policy, cat = load_policy(str(tmp_path / "policy.yaml"))
    fast, slow = _read(path, cat, True, monkeypatch), _read(path, cat, False, monkeypatch)
    assert _fast_path_ran(fast)
    assert_same_reading(fast, slow)
    assert repr(findings(policy, cat, fast, year=2025)) == repr(findings(policy, cat, slow, year=2025))


# --- which files take the fast path --------------------------------------------------------------

PLAIN = "设施名称,设施类型,供电煤耗(克标准煤/千瓦时)\n1号机组,燃煤发电机组,301\n2号机组,燃煤发电机组,abc\n"


def _ran(path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> bool:
    _, cat = load_policy(DEFAULT_POLICY)
    got = _read(path, cat, True, monkeypatch, **options)
    assert not isinstance(got, tuple), got
    return _fast_path_ran(got)


@pytest.mark.parametrize("variant,fast", [
    (PLAIN.encode("utf-8"), True),
    (b"\xef\xbb\xbf" + PLAIN.replace("\n", "\r\n").encode("utf-8"), True),
    (("sep=,\n" + PLAIN).encode("utf-8"), True),
    (PLAIN.replace("1号机组", '"1号机组"').encode("utf-8"), False),           # quotes: the general path
    (PLAIN.replace("\n2号", "\n\n2号").encode("utf-8"), False),             # an empty line: the general path
    (PLAIN.replace("\n", "\r").encode("utf-8"), True),                       # bare CR line endings (old Mac)
    (PLAIN.replace("\n2号", "\r\r2号").replace("\n", "\r").encode("utf-8"), True),   # ...with a blank line
    (PLAIN.encode("gb18030"), False),                                        # GBK export
    (PLAIN.encode("utf-8") + b"\x00\x00", False),                            # NUL padding
    (PLAIN.encode("utf-16"), False),
])
def test_which_layouts_take_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: bytes,
                                          fast: bool) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(variant)
    assert _ran(path, monkeypatch) is fast
    _, cat = load_policy(DEFAULT_POLICY)
    assert_same_reading(_read(path, cat, True, monkeypatch), _read(path, cat, False, monkeypatch))


def test_the_unreadable_cell_is_named_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "units.csv"
    path.write_text(PLAIN, encoding="utf-8")
    _, cat = load_policy(DEFAULT_POLICY)
    got = _read(path, cat, True, monkeypatch)
    assert _fast_path_ran(got)
    table = got.facilities[0]
    assert table.errors == {("coal_power_supply_coal_consumption", 3): "'abc' is not a number"}
    assert table.location("coal_power_supply_coal_consumption", 3) == "units.csv:3:3"
    assert list(table.frame["coal_power_supply_coal_consumption"].iloc[:1]) == [301.0]


def test_a_forced_encoding_is_left_to_the_general_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "units.csv"
    path.write_text(PLAIN, encoding="utf-8")
    assert not _ran(path, monkeypatch, encoding="utf-8")     # said by the user: not second-guessed


def test_the_switch_turns_the_fast_path_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "units.csv"
    path.write_text(PLAIN, encoding="utf-8")
    _, cat = load_policy(DEFAULT_POLICY)
    assert not _fast_path_ran(_read(path, cat, False, monkeypatch))


@pytest.mark.parametrize("data,plain", [(b"a,b\n1,2\n", True), (b"a,b\r\n1,2\r\n", True), (b'a,"b"\n', False),
                                        (b"a\n\nb\n", True), (b"a\rb\r", True), (b"a\x00b\n", True),
                                        (b"a\x00", False), (b"a\n\x00\x00", False)])
def test_plain(data: bytes, plain: bool) -> None:
    assert _plain(data) is plain


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])      # the fast path, and the general one
def test_names_keep_their_leading_zeros(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    """A unit numbered 001 is 001 (the general path read it through pandas' pyarrow engine, which
    inferred the column as numbers first and showed the unit as "1")."""
    path = tmp_path / "units.csv"
    path.write_bytes("设施名称,设施类型,供电煤耗(克标准煤/千瓦时)\n001,燃煤发电机组,301\n0012,燃煤发电机组,302\n"
                     .encode(encoding))
    _, cat = load_policy(DEFAULT_POLICY)
    got = _read(path, cat, True, monkeypatch)
    assert _fast_path_ran(got) is (encoding == "utf-8")
    assert list(got.facilities[0].frame["_name"]) == ["001", "0012"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(row, blank_row), min_size=1, max_size=20), nulls=st.booleans())
def test_random_tables_as_parquet_read_like_the_csv(tmp_path_factory: pytest.TempPathFactory,
                                                    monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                    nulls: bool) -> None:
    """Parquet goes through the same Arrow column building: a table exported as Parquet (text
    columns; blanks as empty text or as nulls) reads as its CSV does, cell for cell."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = ["" if r == "empty-line" else r for r in rows]   # an empty line sends the CSV to pandas' C engine
    folder = tmp_path_factory.mktemp("fastcsv-parquet")
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    opts = {"bom": False, "crlf": False, "title": False, "sep": False, "delimiter": ",", "final_newline": True}
    (folder / "t.csv").write_bytes(_table(rows, opts))
    blank, remark = ["" for _ in HEADER], ["" for _ in HEADER[:-1]] + ["见附件"]
    records = [blank if r in ("", "empty-line") else remark if r == "remark-only" else list(r) for r in rows]
    columns = {h: [(None if nulls and rec[i] == "" else rec[i]) for rec in records] for i, h in enumerate(HEADER)}
    pq.write_table(pa.table({h: pa.array(v, pa.string()) for h, v in columns.items()}), folder / "t.parquet")
    _, cat = load_policy(str(folder / "policy.yaml"))
    csv, parquet = _read(folder / "t.csv", cat, True, monkeypatch), _read(folder / "t.parquet", cat, True, monkeypatch)
    if isinstance(csv, tuple) or isinstance(parquet, tuple):
        assert isinstance(csv, tuple) and isinstance(parquet, tuple)
        return
    assert len(csv.facilities) == len(parquet.facilities)
    for a, b in zip(csv.facilities, parquet.facilities, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert (a.columns, a.units, a.errors, a.header_row) == (b.columns, b.units, b.errors, b.header_row)


# --- xlsx: workbooks from 64 KiB read by python-calamine (more in test_fastxlsx.py) -----------------------

CALAMINE_NOTE = "facility rows read with "      # python-calamine, or numpy from the sheet XML
cell_value = st.one_of(number, st.sampled_from([274.65999999999997, 0.1 + 0.2, 300.00000000000006, 1e-7, 12,
                                                 1.5e12 + 0.1]))


def _workbook(path: Path, rows: list[Any], formula: bool, merged: bool) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "设施"
    ws.append(HEADER)
    for r in rows:
        ws.append([None] * len(HEADER) if r == "" else [v if v != "" else None for v in r])
    if formula:
        ws.cell(len(rows) + 2, 1).value = "合计"
        ws.cell(len(rows) + 2, 7).value = f"=SUM(G2:G{len(rows) + 1})"
    if merged and len(rows) > 2:
        ws.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)
    wb.save(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(st.tuples(name, st.sampled_from(TYPES), word, cell_value,
                                         st.sampled_from(["粉煤", "天然气", ""]), cell_value, cell_value, cell_value,
                                         cell_value, st.sampled_from(["2023-09-30", "未关停", ""]),
                                         st.sampled_from(["", "改造中"])), st.just("")), min_size=1, max_size=25),
       formula=st.booleans(), merged=st.booleans())
def test_random_workbooks_read_alike_by_calamine_and_openpyxl(tmp_path_factory: pytest.TempPathFactory,
                                                               monkeypatch: pytest.MonkeyPatch, rows: list[Any],
                                                               formula: bool, merged: bool) -> None:
    folder = tmp_path_factory.mktemp("flat-xlsx")
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    path = folder / "设施.xlsx"
    _workbook(path, rows, formula, merged)
    policy, cat = load_policy(str(folder / "policy.yaml"))
    monkeypatch.setenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", "0")
    monkeypatch.setenv("CBCHECK_FASTXLSX", "1")        # the monkeypatch is shared by the examples
    fast = _read(path, cat, True, monkeypatch)
    monkeypatch.setenv("CBCHECK_FASTXLSX", "0")
    slow = _read(path, cat, True, monkeypatch)
    assert_same_reading(fast, slow, CALAMINE_NOTE)
    if isinstance(slow, tuple) or not slow.facilities:
        return
    # formulas saved without a result and error cells are read by calamine too (reader/fastxlsx.py);
    # only merged cells in the body send the sheet to openpyxl
    assert any(CALAMINE_NOTE in n for n in fast.notes) is not (merged and len(rows) > 2)
    assert repr(findings(policy, cat, fast, year=2025)) == repr(findings(policy, cat, slow, year=2025))


def test_a_flat_workbook_of_240_kb_is_read_by_calamine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [(f"{k}号机组", "燃煤发电机组", "抽凝", "30", "", "", str(290 + k % 20), "", "", "", "")
            for k in range(6000)]
    path = tmp_path / "units.xlsx"
    _workbook(path, rows, formula=False, merged=False)
    assert path.stat().st_size >= 64 * 1024
    _, cat = load_policy(DEFAULT_POLICY)
    got = _read(path, cat, True, monkeypatch)
    assert any(CALAMINE_NOTE in n for n in got.notes)
    assert len(got.facilities[0]) == 6000


def test_calamine_numbers_are_rounded_as_openpyxl_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value saved with 16 digits (300.0000000000001) is 300 on screen and on the openpyxl path;
    the calamine path rounds it the same way instead of showing the stored double."""
    rows = [(f"{k}号机组", "燃煤发电机组", "抽凝", 30, "", "", 300.0000000000001 if k == 1 else 290.5 + k % 9,
             "", "", "", "") for k in range(3000)]
    path = tmp_path / "units.xlsx"
    _workbook(path, rows, formula=False, merged=False)
    _, cat = load_policy(DEFAULT_POLICY)
    monkeypatch.setenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", "0")
    fast = _read(path, cat, True, monkeypatch)
    assert any(CALAMINE_NOTE in n for n in fast.notes)
    assert fast.facilities[0].frame["coal_power_supply_coal_consumption"].iloc[1] == 300.0
    monkeypatch.setenv("CBCHECK_FASTXLSX", "0")
    assert_same_reading(fast, _read(path, cat, True, monkeypatch), CALAMINE_NOTE)


@pytest.mark.parametrize("fast", [True, False])
def test_an_error_cell_is_not_read_as_blank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    """calamine gives #DIV/0! as an empty cell: the error text is taken from the sheet XML, and
    the error is reported at its cell on both paths (before, a workbook over 1 MiB lost it)."""
    rows = [(f"{k}号机组", "燃煤发电机组", "抽凝", 30, "", "", "#DIV/0!" if k == 2 else 295, "", "", "", "")
            for k in range(50)]
    path = tmp_path / "units.xlsx"
    _workbook(path, rows, formula=False, merged=False)
    monkeypatch.setenv("CBCHECK_CALAMINE_FLAT_MIN_BYTES", "0")
    monkeypatch.setenv("CBCHECK_FASTXLSX", "1" if fast else "0")
    _, cat = load_policy(DEFAULT_POLICY)
    got = _read(path, cat, True, monkeypatch)
    assert any(CALAMINE_NOTE in n for n in got.notes) is fast
    assert got.facilities[0].errors == {("coal_power_supply_coal_consumption", 4): "the cell holds the error #DIV/0!"}


@given(values=st.lists(st.sampled_from(["coal_power_unit", "coke_oven", "ammonia_plant", None]), max_size=30),
       implied=st.sampled_from(["coke_oven", None]))
def test_the_type_column_is_the_categorical_astype_made(values: list[Any], implied: Any) -> None:
    """build_table's type column from codes is ``astype("category")`` of the values: its codes and categories."""
    import numpy as np

    from cbcheck.reader.facility import _categorical

    uniques = sorted({v for v in values if v is not None})
    mapped = np.array([*uniques, implied], dtype=object)               # the last: what a blank cell means
    codes = np.array([uniques.index(v) if v is not None else -1 for v in values], dtype=np.intp)
    want = pd.Series(mapped[codes], dtype=object).astype("category")
    got_codes, categories = _categorical(mapped, codes)
    assert got_codes.tolist() == want.cat.codes.tolist()
    assert list(categories) == list(want.cat.categories)
