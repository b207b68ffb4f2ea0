"""Plan text → sentences, each with the section path it sits under and whether it is in a
专栏 (project box).

Headings are recognised by their numbering, as government documents write them:
``一、`` (level 1), ``(一)`` (level 2), ``1.`` / ``1、`` (level 3), ``(1)`` (level 4), and
``专栏N`` boxes. A heading may stand on its own line or open a paragraph
(``1.推进煤炭消费替代和转型升级。实施…``, and everywhere in a text scraped as one long line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEVELS = (
    (1, re.compile(r"^([一二三四五六七八九十]{1,3}、)")),
    (2, re.compile(r"^([(（][一二三四五六七八九十]{1,3}[)）])")),
    (3, re.compile(r"^(\d{1,2}(?:[.．、](?!\d)))")),
    (4, re.compile(r"^([(（]\d{1,2}[)）])")),
)
_BOX = re.compile(r"^(专栏\s*\d{0,2})")
# Where a sentence ends; a heading glued to its text ends at the first of these too.
_SPLIT = re.compile(r"(?<=[。；;！？!?])|\n")
_TITLE_END = re.compile(r"[。；;,，:：“\"(（]")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    section: str            # "三、重点任务 / (一)能源绿色低碳转型行动 / 1.推进…"
    paragraph: int          # index of the paragraph (line) it came from
    in_box: bool            # inside a 专栏 project box
    box: str = ""           # the box's title


def _heading(sentence: str) -> tuple[int, str] | None:
    for level, pattern in ((0, _BOX), *_LEVELS):
        m = pattern.match(sentence)
        if m:
            rest = sentence[m.end():]
            end = _TITLE_END.search(rest)
            title = rest[: end.start()] if end else rest
            title = title.strip().rstrip("。")[:30]
            if level == 3 and not title:      # "1." alone is a list number, not a heading
                return None
            return level, (m.group(1) + title).strip()
    return None


def sentences(text: str) -> list[Sentence]:
    """Every sentence of the plan in order, with its heading path."""
    out: list[Sentence] = []
    stack: dict[int, str] = {}
    box = ""
    for p_index, paragraph in enumerate(text.split("\n")):
        for raw in _SPLIT.split(paragraph):
            sent = raw.strip()
            if not sent:
                continue
            head = _heading(sent)
            if head:
                level, title = head
                if level == 0:
                    box = title
                else:
                    stack = {k: v for k, v in stack.items() if k < level}
                    stack[level] = title
                    if level <= 2:           # a box's own items are numbered 1. 2. …
                        box = ""
            section = " / ".join(stack[k] for k in sorted(stack)) or "(前言)"
            out.append(Sentence(sent, section, p_index, bool(box), box))
    return out
