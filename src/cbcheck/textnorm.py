"""Text normalisation shared by indicator matching, header detection and unit parsing.

Spreadsheets from county offices write the same name many ways: full-width
brackets and digits, stray spaces, a trailing ``(%)``.  Everything that
compares names goes through :func:`norm_name` so the rules are in one place.
"""

from __future__ import annotations

import re
import unicodedata

_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
                           "{": "(", "}": ")", "「": "", "」": "", "“": "", "”": "",
                           "\"": "", "'": "", "‘": "", "’": "", "《": "", "》": ""})
_SPACE = re.compile(r"\s+")
# A trailing parenthesised unit or note: "非化石能源消费比重(%)" -> "非化石能源消费比重".
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")
_LEADING_ENUM = re.compile(r"^(\d+[.、)]|\(\d+\)|[一二三四五六七八九十]+[、.])")


def nfkc(text: str) -> str:
    """Full-width to half-width (digits, letters, brackets, %), compatibility forms folded."""
    return unicodedata.normalize("NFKC", text)


def clean_cell_text(text: str) -> str:
    """NFKC, Excel's ``_x000D_`` escape removed, whitespace collapsed and stripped."""
    text = nfkc(text).replace("_x000D_", "")
    return _SPACE.sub(" ", text).strip()


def norm_name(text: str) -> str:
    """Key used to compare indicator names, aliases and header labels."""
    text = clean_cell_text(text).translate(_BRACKETS)
    text = _SPACE.sub("", text).lower()
    text = _LEADING_ENUM.sub("", text)
    while True:
        stripped = _TRAILING_PAREN.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    return text.strip(":：")


def trailing_unit(text: str) -> str | None:
    """The unit written in a label's trailing brackets: ``装机容量(万千瓦)`` -> ``万千瓦``."""
    text = clean_cell_text(text).translate(_BRACKETS)
    m = re.search(r"\(([^()]+)\)\s*$", text)
    return m.group(1).strip() if m else None
