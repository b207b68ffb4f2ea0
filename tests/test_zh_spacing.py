"""Chinese reports officials forward: no space between full-width punctuation and Chinese text
(``按 gb18030（不是 UTF-8，按 GBK/GB18030） 读取`` had one), and English names are lower case inside
a sentence (``no 2020 Total energy consumption``)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from cbcheck.i18n import catalogue
from cbcheck.i18n.message import Msg, Word

ROOT = Path(__file__).resolve().parents[1]
_PUNCT = "、。《》「」『』【】（），：；！？“”"
_CJK = "\u4e00-\u9fff"
STRAY = re.compile(f"[{_PUNCT}] +[{_CJK}{_PUNCT}]|[{_CJK}] +[{_PUNCT}]|\\S +（")


def _literals(template: str) -> str:
    """The template's own text, a placeholder standing as an ASCII x (a space beside ASCII is fine)."""
    return "".join(lit + ("x" if field is not None else "") for lit, field, _, _ in string.Formatter().parse(template))


@pytest.mark.parametrize("key", sorted(catalogue("zh")))
def test_zh_template_has_no_stray_space(key: str) -> None:
    assert not STRAY.search(_literals(catalogue("zh")[key])), catalogue("zh")[key]


@pytest.mark.parametrize(("key", "params", "expected"), [
    ("read.read_as", {"file": "a.csv", "how": Msg("read.how_gbk", encoding="gb18030")},
     "a.csv：按 gb18030（不是 UTF-8，按 GBK/GB18030）读取"),
    # a space beside ASCII stays: 按 gb18030
    ("read.read_as", {"file": "a.csv", "how": "gb18030"}, "a.csv：按 gb18030 读取"),
    ("msg.r_reported", {"value": "14%"}, "r = 14%（报送的下降率）"),
])
def test_zh_composed_sentence_has_no_stray_space(key: str, params: dict[str, object], expected: str) -> None:
    assert Msg(key, **params).text("zh") == expected


def test_zh_example_reports_have_no_stray_space() -> None:
    for path in sorted((ROOT / "examples" / "expected").glob("*.zh.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not STRAY.search(line), f"{path.name}:{n}: {line}"


@pytest.mark.parametrize(("en", "said"), [
    ("Total energy consumption", "total energy consumption"),
    ("GDP at comparable prices", "GDP at comparable prices"),      # an acronym keeps its capitals
    ("CO2 emissions", "CO2 emissions"),
    ("Yushe–Wuxiang coal-power base", "Yushe–Wuxiang coal-power base"),   # a place name stays
])
def test_english_name_is_lower_case_mid_sentence(en: str, said: str) -> None:
    name = Word("能源消费总量", en)
    msg = Msg("msg.ratio_calc", name=name, year=2025, num=name, n=468, den=name, d=520, value=0.9)
    # the name opening the sentence keeps its capital; the same name inside it does not
    assert str(msg) == f"{en} 2025 = {said} 468 / {said} 520 = 0.9"
    assert msg.text("zh").startswith("能源消费总量")


def test_a_quoted_english_name_is_kept_as_written() -> None:
    name = Word("能源消费总量", "Total energy consumption")
    assert str(Msg("read.looks_like", place="row 4", label=name)) == "row 4 'Total energy consumption' looks like it"
