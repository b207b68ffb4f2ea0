"""Chinese line breaking in the terminal report (render/linebreak.py): lines fill the width,
never start with closing punctuation nor end with opening punctuation, and never cut a number,
an id or a unit written in Latin letters unless it is longer than a line."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from cbcheck.render.linebreak import NO_END, NO_START, _clusters, breaks


def lines(text: str, width: int) -> list[str]:
    cuts = [0, *breaks(text, width), len(text)]
    return [text[a:b] for a, b in pairwise(cuts)]


@pytest.mark.parametrize(("text", "width", "want"), [
    # a number and its unit stay whole; the break falls between Chinese characters
    ("最大超出52克标准煤", 6, ["最大超", "出52克", "标准煤"]),
    # closing punctuation never starts a line: the character before it comes along
    ("单位地区生产总值，能耗", 8, ["单位地区", "生产总", "值，能耗"]),
    ("合计（万吨）", 6, ["合计", "（万", "吨）"]),
    # the separator · stays at the end of a line, not at the start of the next
    ("约束性 · 表1!F16", 9, ["约束性 · ", "表1!F16"]),
    # an id is kept whole and moves to the next line; a space at the break hangs
    ("见 JN-ENERGY-INTENSITY-2025 规则", 26, ["见 ", "JN-ENERGY-INTENSITY-2025 ", "规则"]),
    # longer than a line: cut by cells
    ("ABCDEFGHIJ", 4, ["ABCD", "EFGH", "IJ"]),
    # a slash binds its neighbours: 吨标准煤/万元 breaks before 煤/万, not at the slash
    ("0.79吨标准煤/万元", 10, ["0.79吨标准", "煤/万元"]),
    ("", 10, [""]),
])
def test_breaks_by_hand(text: str, width: int, want: list[str]) -> None:
    assert lines(text, width) == want


CHARS = st.sampled_from(list("单位能耗下降万吨标准煤年") + list("，。、；：）（“”%/ ") + list("0123.AB-"))


@settings(max_examples=300, deadline=None)
@given(st.text(CHARS, max_size=80), st.integers(min_value=2, max_value=30))
def test_lines_fit_and_keep_the_rules(text: str, width: int) -> None:
    got = lines(text, width)
    assert "".join(got) == text                                   # nothing lost, nothing added
    for line in got:
        assert cell_len(line.rstrip()) <= width, (got, width)
    clusters = _clusters(text)
    starts = {c[0] for c in clusters}
    for cut in breaks(text, width):     # at a break allowed by the 禁则, or inside a piece wider than a line
        assert cut in starts or any(a < cut < b and cell_len(text[a:b]) > width for a, b, _, _ in clusters)
    for a, *_ in clusters[1:]:
        assert text[a - 1].isspace() or (text[a] not in NO_START and text[a - 1] not in NO_END), (text, a)
    narrow = "".join(c if not c.isspace() and cell_len(c) == 1 else " " for c in text)
    for run in narrow.split():                                    # Latin runs that fit stay whole
        if len(run) <= width // 2:
            assert any(run in line for line in got), (run, got)


def test_the_zh_report_at_80_columns() -> None:
    """The whole report, at 80 columns: no line wider, none starting with ，。、；：）."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "cbcheck", "check", "examples/jining-county-fail.xlsx",
                          "-p", "jining-carbon-peak", "--params", "examples/jining-params.yaml", "--lang", "zh"],
                         cwd=root, env=env, capture_output=True, text=True, check=False).stdout
    assert out.count("\n") > 100
    for line in out.splitlines():
        assert cell_len(line) <= 80, line
        assert line.lstrip()[:1] not in NO_START - {"%", "/"}, line


@pytest.mark.parametrize("cjk", [True, False])
def test_a_numbered_head_continues_under_its_text(cjk: bool) -> None:
    """``1. 未达标 · …`` wrapped: the continuation starts three columns in, under the text, not at
    the margin under the number; every line within the width."""
    from rich.console import Console

    from cbcheck.render.linebreak import Para

    zh = "1. 未达标 · B-CHP-SUPPLY-COAL · facilities.csv:4:7 · 2909 个燃煤发电机组不达标，最大超出 20.9 克标准煤/千瓦时"
    en = ("1. FAIL · B-CHP-SUPPLY-COAL · facilities.csv:4:7 · 2909 not compliant (coal-fired power unit), "
          "the worst over by 20.9 g/kWh and more words to wrap")
    head = zh if cjk else en
    console = Console(width=40, record=True, color_system=None)
    console.print(Para(head, 0, cjk=cjk, hang=3))
    lines = console.export_text().rstrip("\n").split("\n")
    assert len(lines) > 2 and lines[0].startswith("1. ")
    assert all(line.startswith("   ") and not line.startswith("    ") for line in lines[1:]), lines
    assert all(cell_len(line.rstrip()) <= 40 for line in lines), lines
    assert "".join(line.strip() for line in lines).replace(" ", "") == head.replace(" ", "")
