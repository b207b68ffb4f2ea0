"""Text normalisation shared by indicator matching, header detection and unit parsing.

Spreadsheets from county offices write the same name many ways: full-width
brackets and digits, stray spaces, a leading ``1.`` / ``(一)`` / ``其中：``, a trailing
``(%)``.  Everything that compares names goes through :func:`norm_name` so the
rules are in one place.

A trailing bracket is dropped only when it holds a unit or a neutral note
(``(%)``, ``(万千瓦)``, ``(预期性)``, ``(2020年可比价)``); any other qualifier is kept,
so ``地区生产总值(现价)`` does not quietly become the comparable-price GDP.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
                           "{": "(", "}": ")", "〈": "(", "〉": ")", "「": "", "」": "", "“": "",
                           "”": "", "\"": "", "'": "", "‘": "", "’": "", "《": "", "》": ""})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"\s+")
_SPACE_RUN = re.compile(r"\s\s|[^ \S]")      # two spaces, or any whitespace other than a space
_CIRCLED_ANY = re.compile(r"[\u2460-\u2473\u24ea\u2776-\u277f\u2780-\u2793]")


def _circled(m: re.Match[str]) -> str:
    return "(" + unicodedata.normalize("NFKC", m.group(0)).strip() + ")" if m.group(0) != "\u24ea" else "(0)"


_LEADING_ENUM = re.compile(
    r"^(?:\d+(?:\.\d+)*\s*[.、)](?!\d)|\d+(?:\.\d+)+\s+|\d+\s+(?=\D)|\(\s*\d+\s*\)|\(\s*[一二三四五六七八九十]+\s*\)"
    r"|[一二三四五六七八九十]+\s*[、.]|[ivx]+\s*[、.]|[a-z]\s*[、.)])\s*",
    re.IGNORECASE)
_LEADING_MARKS = re.compile(r"^(?:其中\s*[:：,，]?|[-—–·•*★☆△▲※]+)\s*")
# Footnote marks after a label: 能源消费总量*, 地区生产总值注2 (① is read as (1), see _NOTES).
_TRAILING_MARKS = re.compile(r"\s*(?:[*※★]+|注\d{1,2})$")
_TRAILING_PAREN = re.compile(r"\(([^()]*)\)$")
# What a unit in brackets looks like: symbols, Latin letters and the unit characters of §5.
_UNITISH = re.compile(r"^[%‰a-zA-Zµμ²³0-9/·.×^\- 万亿千百十吨标准煤油气克瓦时焦兆千米平方立方公里顷亩元人户辆座台套"
                      r"家个项处条所辆倍kKwWhHtT℃度年月日天次车标箱]+$")
_NOTES = re.compile(r"^(预期性|约束性|累计|当年|全年|可比价|不变价|(\d{4}年)?(可比价|价|不变价)(格)?|"
                    r"(\d{4}年)?价格?|注\d*|\d{1,2})$")
_UNIT_LABEL = re.compile(r"^(计量)?单位\s*[:：]?\s*")
_BRACKET_PARTS = re.compile(r"[,，、;；]")


def nfkc(text: str) -> str:
    """Full-width to half-width (digits, letters, brackets, %), compatibility forms folded."""
    return unicodedata.normalize("NFKC", text)


def clean_cell_text(text: str) -> str:
    """NFKC, invisible characters and Excel's ``_x000D_`` removed, whitespace collapsed.

    Circled numbers become ``(1)``: NFKC alone would glue a bare 1 to the name (①森林 -> 1森林).
    """
    if text.isascii():                    # most cells: numbers and codes; NFKC is the identity on ASCII
        text = text.strip()
        if "_x000D_" in text:
            text = text.replace("_x000D_", "")
        return _SPACE.sub(" ", text) if _SPACE_RUN.search(text) else text
    text = _CIRCLED_ANY.sub(_circled, text.translate(_INVISIBLE))
    text = nfkc(text).replace("_x000D_", "")
    return _SPACE.sub(" ", text).strip()


def _unit_in_brackets(content: str) -> str | None:
    content = _UNIT_LABEL.sub("", content.strip())
    if not content or not _UNITISH.match(content) or content[0].isdigit():
        return None
    return content


def _unit_among_notes(content: str) -> str | None:
    """The one unit in a bracket that also qualifies the row: ``(可比价,万元)``, ``(当量值、万吨标准煤)``.
    Two units in one bracket (``(万千瓦,兆瓦)``) say nothing certain, so no unit."""
    parts = [p for p in _BRACKET_PARTS.split(content) if p.strip()]
    found = [u for u in map(_unit_in_brackets, parts) if u]
    return found[0] if len(parts) > 1 and len(found) == 1 else None


def _notes_and_unit(content: str) -> bool:
    """``(可比价,万元)``: a unit and notes only, so the bracket is not part of the name."""
    parts = [p.strip() for p in _BRACKET_PARTS.split(content) if p.strip()]
    return _unit_among_notes(content) is not None and all(_unit_in_brackets(p) or _NOTES.match(p) for p in parts)


@functools.lru_cache(maxsize=8192)
def norm_name(text: str) -> str:
    """Key used to compare indicator names, aliases and header labels (cached: names repeat)."""
    text = clean_cell_text(text).translate(_BRACKETS)
    for _ in range(2):                    # "(一) 1." or "1. 其中：" …
        text = _LEADING_MARKS.sub("", _LEADING_ENUM.sub("", text))
    text = _TRAILING_MARKS.sub("", text)
    text = _SPACE.sub("", text).lower()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]                 # 【单位GDP能耗】
    while True:
        m = _TRAILING_PAREN.search(text)
        if not m or m.start() == 0 or not (_unit_in_brackets(m.group(1)) or _NOTES.match(m.group(1))
                                             or _notes_and_unit(m.group(1))):
            break
        text = text[: m.start()]
    if text.endswith(("%", "‰")) and len(text) > 1:
        text = text[:-1]
    return text.strip(":：")


def trailing_unit(text: str) -> str | None:
    """The unit written at the end of a label: ``装机容量(万千瓦)`` -> ``万千瓦``, ``比重%`` -> ``%``.

    Bracketed text that does not look like a unit (``(可比价)``, ``(现价)``) is not a unit.
    """
    text = _TRAILING_MARKS.sub("", clean_cell_text(text).translate(_BRACKETS))
    while True:
        m = re.search(r"\(([^()]*)\)\s*$", text)
        if not m:
            break
        unit = _unit_in_brackets(m.group(1)) or _unit_among_notes(m.group(1))
        if unit:
            return unit.replace(" ", "")
        if not _NOTES.match(m.group(1).strip()):
            return None
        text = text[: m.start()].rstrip()     # 比重(%)(预期性): look past the note
    if text.endswith(("%", "‰")) and len(text) > 1:
        return text[-1]
    return None


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}


def cn_number(text: str) -> int | None:
    """A number written in Chinese numerals as plans write them: 一 → 1, 十二 → 12, 二十 → 20 (headings,
    months), digit by digit without 十 (二〇二三 → 2023, 二三 → 23); None for anything else."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        n = 0
        for ch in text:
            n = n * 10 + _CN_DIGITS[ch]
        return n
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
