"""A Word document as text, in reading order, for tests and goldens: each paragraph with its style,
each table row by row with its merged cells once (python-docx repeats a merged cell per column), a
line break inside a cell shown as ¶."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph


def blocks(doc: Any) -> list[tuple[str, Any]]:
    """("p", (style, text)) and ("t", rows of cell texts) in the order the body holds them."""
    out: list[tuple[str, Any]] = []
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, doc)
            out.append(("p", (p.style.name, p.text)))
        elif tag == "tbl":
            out.append(("t", [cells(row) for row in Table(el, doc).rows]))
    return out


def cells(row: Any) -> list[str]:
    seen: list[Any] = []
    texts = []
    for cell in row.cells:
        if any(cell._tc is s for s in seen):
            continue
        seen.append(cell._tc)
        texts.append(cell.text)
    return texts


def dump(path: Path) -> str:
    doc = docx.Document(str(path))
    lines = []
    for kind, what in blocks(doc):
        if kind == "p":
            style, text = what
            if text:
                lines.append(f"[{style}] {text}")
        else:
            lines += ["| " + " | ".join(c.replace("\n", " ¶ ") for c in row) for row in what]
    return "\n".join(lines) + "\n"
