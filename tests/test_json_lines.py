"""The JSON facility listing is put together from columns (render/jsonlines.py); every line must
be what json.dumps gives for the entry dict FacilityResult.entries() yields, in the listing's
order (breaches first, then table order), whatever the names, values and reasons hold."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbcheck import facility_results
from cbcheck.checks.completion import days_after
from cbcheck.checks.kind import Verdict
from cbcheck.facility_results import WORST_FIRST, FacilityResult, TablePart, plain
from cbcheck.i18n.message import Msg
from cbcheck.model import FacilityTable, Status
from cbcheck.outputs import OutputError, write_atomic
from cbcheck.render.jsonlines import entry_lines, values

V = Verdict
DEADLINE = dt.date(2023, 10, 31)


def _objects(vals: list) -> np.ndarray:
    col = np.empty(len(vals), dtype=object)
    col[:] = vals
    return col


def _part(source: str, csv: bool, names: list, name_dtype: str, column: str, rows: list[tuple]) -> TablePart:
    """rows: (verdict, observed, expected, reason), one per name."""
    # names as the reader keeps them (Arrow strings), or as objects (a number among them)
    name_column = pa.array(names, pa.string()) if name_dtype == "string" else _objects(names)
    data = {"_row": np.arange(len(names), dtype=np.int64) * 3 + 2, "_name": name_column}
    table = FacilityTable(source, data, {"_name": "A", "x": "C"}, {}, {}, csv=csv)
    verdicts, observed, expected, reasons = zip(*rows, strict=True)
    return TablePart(table, np.arange(len(names)), np.array(verdicts, dtype=np.int8), _objects(list(observed)),
                     _objects(list(expected)), column, _objects(list(reasons)))


def _result(binding: bool) -> FacilityResult:
    late = days_after(dt.date(2023, 12, 15), DEADLINE)
    sheet = _part("表1", False, ["F1", 'say "hi"', "back\\slash", "new\nline", "\x01ctl", "", None, "中文名", "😀",
                                 "plain"], "string", "x", [
        (V.MISS, 306.1, 300.0, None),
        (V.MEETS, -0.0, 300, ""),
        (V.MISSING, None, 300.0, None),
        (V.LATE, "2023-12-15", DEADLINE, late),
        (V.OVERDUE, "未关停", DEADLINE, Msg("msg.state_running_after", state="在运", date="2023-10-31")),
        (V.UNREADABLE, float("nan"), np.float64(1150), "some words"),
        (V.MEETS, np.float64(1e-7), 1e21, None),
        (V.EXEMPT, 5, None, "exempt words"),
        (V.NOT_DUE, 'x"y', dt.date(2025, 12, 31), None),
        (V.MISS, float("inf"), -1.5, None)])
    # a CSV whose judged column is missing (the location points at the name), names read as
    # objects (a number among them), the same late reason as another object
    csv = _part("f.csv", True, ["G1", 7.0, "G3", "G4", "G5"], "object", "not_a_column", [
        (V.LATE, dt.date(2023, 12, 15), DEADLINE, days_after(dt.date(2023, 12, 15), DEADLINE)),
        (V.MISS, 1.25, 1.0, None),
        (V.WRONG_WAY, 2.0, 1.0, ""),
        (V.MISSING_ATTRIBUTE, None, None, "capacity"),
        (V.MISS, -0.0, 0.0, None)])
    return FacilityResult("R-1", "coke_oven", (sheet, csv), binding)


def _by_hand(result: FacilityResult, include_pass: bool) -> list[tuple[str, int]]:
    """(table, row) of each entry in the listing's order, sorted in plain Python."""
    keyed = []
    for pi, part in enumerate(result.parts):
        for k, code in enumerate(part.verdicts.tolist()):
            status = Verdict(code).status(result.binding)
            if include_pass or status not in (Status.PASS, Status.NOT_DUE):
                keyed.append((WORST_FIRST.index(status), pi, k, part.table.source, k * 3 + 2))
    return [(source, row) for *_, source, row in sorted(keyed)]


@pytest.mark.parametrize("block", [2, 3, 1000])
@pytest.mark.parametrize("binding", [True, False])
@pytest.mark.parametrize("include_pass", [True, False])
def test_lines_are_json_dumps_of_the_entries(monkeypatch: pytest.MonkeyPatch, block: int, binding: bool,
                                             include_pass: bool) -> None:
    monkeypatch.setattr(facility_results, "BLOCK", block)
    result = _result(binding)
    entries = list(result.entries(include_pass))
    assert [(e["table"], e["row"]) for e in entries] == _by_hand(result, include_pass)
    lines = [" " * 6 + json.dumps(e, ensure_ascii=False, separators=(", ", ": "), allow_nan=False) for e in entries]
    text = "".join(entry_lines(result, include_pass, 4))
    assert text == "[\n" + ",\n".join(lines) + "\n    ]"
    got = json.loads(text)
    names = [e["facility"] for e in got if e["table"] == "表1"]
    misses = ["F1", "new\nline", "\x01ctl", "plain"]       # FAIL when binding, WARN (after ERROR) when not
    assert names[:5] == (misses + ["(row 17)"] if binding else ["(row 17)"] + names[1:5])
    assert [n for n in names if n in misses] == misses
    assert ("(row 20)" in names) is include_pass                                # unnamed, passing
    assert {e["location"] for e in got if e["table"] == "f.csv"} >= {"f.csv:2:A"}


def test_a_listing_with_nothing_to_list() -> None:
    part = _part("t", False, ["a"], "string", "x", [(V.MEETS, 1.0, 2.0, None)])
    result = FacilityResult("R", "t", (part,))
    assert list(result.entries(False)) == []
    assert "".join(entry_lines(result, False, 8)) == "[]"
    assert "".join(entry_lines(FacilityResult("R", "t", ()), True, 8)) == "[]"


def test_a_reason_is_worded_once_and_keeps_its_key() -> None:
    result = _result(True)
    messages = [e["message"] for e in result.entries(False)]
    late = [m for m in messages if m.startswith("done late")]
    assert len(late) == 2 and late[0] is late[1]          # two equal reasons, one sentence
    assert isinstance(late[0], Msg) and late[0].key == "msg.f_reason"
    assert late[0].text("zh") != str(late[0])


scalar = st.one_of(st.floats(), st.floats().map(np.float64), st.integers(-10**20, 10**20), st.none(), st.dates(),
                   st.text(max_size=6), st.booleans(), st.sampled_from([0.0, -0.0, math.nan, math.inf, 1e-320]))


def _as_list(coded: object, n: int) -> list:
    codes, words = coded.codes, coded.words  # type: ignore[attr-defined]
    return [words[0]] * n if codes is None else [words[c] for c in codes.tolist()]


@given(st.lists(scalar, max_size=30))
def test_values_read_as_the_json_encoder_writes_them(vals: list) -> None:
    want = [json.dumps(plain(v), ensure_ascii=False, allow_nan=False) for v in vals]
    seen: dict = {}
    assert _as_list(values(_objects(vals), seen), len(vals)) == want
    assert _as_list(values(_objects(vals), seen), len(vals)) == want     # again, from what was seen


@given(st.lists(st.one_of(st.floats(), st.floats().map(np.float64), st.sampled_from([0.0, -0.0])), min_size=1,
                max_size=40))
def test_float_columns_by_bit_pattern(vals: list) -> None:
    want = [json.dumps(plain(v), allow_nan=False) for v in vals]
    seen: dict = {}
    assert _as_list(values(_objects(vals), seen), len(vals)) == want
    assert _as_list(values(_objects(vals[::-1]), seen), len(vals)) == want[::-1]


def test_a_report_written_in_pieces(tmp_path) -> None:
    target = tmp_path / "out" / "r.json"
    write_atomic(target, iter(["{", '"a": "中"', b"}\n"]))
    assert target.read_text(encoding="utf-8") == '{"a": "中"}\n'

    def broken():
        yield "{"
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "b.json", broken())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]       # no partial file, no temporary

    (tmp_path / "dir.json").mkdir()
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "dir.json", iter(["x"]))


def test_pieces_written_to_a_text_stream_keep_their_order() -> None:
    """Bytes go to the stream's buffer (after what was written as text), or are decoded where it has none."""
    import io

    from cbcheck.render.jsonfmt import joined, write_pieces

    pieces = ["{", '"a": [', "中".encode(), ", ", b'"\xe6\x96\x87"', "]}\n"]
    binary = io.BytesIO()
    wrapped = io.TextIOWrapper(binary, encoding="utf-8")
    plain_text = io.StringIO()
    for out in (wrapped, plain_text):
        write_pieces(out, pieces)
        out.flush()
    assert binary.getvalue().decode("utf-8") == plain_text.getvalue() == joined(pieces) == '{"a": [中, "文"]}\n'


@pytest.mark.parametrize("names", [["a", "", 'q"', "b"], ["", ""], ["x\\", "中"], ["a", "b\x1f"]])
def test_names_without_nulls(names: list) -> None:
    """Blank and escaped names found from the names' bytes (no null among them)."""
    part = _part("t.csv", True, names, "string", "x", [(V.MISS, 1.0, 0.5, None)] * len(names))
    result = FacilityResult("R", "t", (part,))
    want = [json.dumps(e, ensure_ascii=False, separators=(", ", ": ")) for e in result.entries(False)]
    assert "".join(entry_lines(result, False, 0)) == "[\n  " + ",\n  ".join(want) + "\n]"
    assert [e["facility"] for e in json.loads("".join(entry_lines(result, False, 0)))] == \
        [n or f"(row {3 * i + 2})" for i, n in enumerate(names)]
