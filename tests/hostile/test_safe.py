"""render/safe.py: terminal and markdown neutralisation (issue 16, class 10)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbcheck.render.safe import ZWSP, markdown_safe, terminal_safe


@pytest.mark.parametrize("raw, shown", [
    ("济宁市示例县\x1b]0;pwned\x07", "济宁市示例县\\x1b]0;pwned\\x07"),
    ("\x1b[2J\x1b[31m红", "\\x1b[2J\\x1b[31m红"),
    ("a\x9bb", "a\\x9bb"),                      # C1 CSI
    ("abc\u202edcba", "abc\\u202edcba"),        # right-to-left override
    ("x\x00y\x7f", "x\\x00y\\x7f"),
    ("行1\n行2\t列", "行1\n行2\t列"),           # newline and tab are layout, kept
    ("单位地区生产总值能耗（吨标准煤/万元）", "单位地区生产总值能耗（吨标准煤/万元）"),
])
def test_terminal_safe(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown


@given(st.text())
def test_terminal_safe_leaves_no_control_character(text: str) -> None:
    out = terminal_safe(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
def test_terminal_safe_is_identity_on_printable_text(text: str) -> None:
    assert terminal_safe(text) == text


@pytest.mark.parametrize("raw", [
    "[点击](http://example.invalid/x)", "![p](http://example.invalid/p.png)", "<img src=x onerror=alert(1)>",
    "**粗体**", "`code`", "~~删~~", "a|b", "<http://example.invalid>", "http://example.invalid/x",
    "www.example.invalid", "[a]: http://example.invalid",
])
def test_markdown_safe_leaves_nothing_live(raw: str) -> None:
    out = markdown_safe(raw)
    assert not re.search(r"(?<!\\)[\[\]<`*~|]", out), out
    assert not re.search(r"(?i)[a-z]://", out) and "www." not in out
    # once rendered (backslash escapes and the zero-width space dropped) it reads the same
    assert re.sub(r"\\(.)", r"\1", out).replace(ZWSP, "") == raw


def test_markdown_safe_keeps_chinese_and_numbers() -> None:
    text = "单位地区生产总值能耗比2020年下降15.6%（约束性）"
    assert markdown_safe(text) == text


@given(st.text())
def test_markdown_safe_round_trips(text: str) -> None:
    out = markdown_safe(text)
    visible = re.sub(r"\\(.)", r"\1", out).replace(ZWSP, "")
    assert visible == terminal_safe(text).replace(ZWSP, "") or "\\" in text
