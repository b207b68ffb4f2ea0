"""Plan text in: read .txt (UTF-8 or GB18030), .docx or a text-layer PDF, and clean it up.

The clean-up is what the bundled plans needed (docs/plans/README.md): Traditional characters
converted to Simplified (OpenCC ``t2s``), pinyin glosses such as 推進(jìn) dropped, page markers
such as ``- 6 -`` dropped, full-width digits and punctuation folded (NFKC), and lines that a
PDF or a web copy wrapped in mid-sentence joined again. Nothing else is changed, so a quote
taken from the cleaned text is found in the original under the same normalisation that
``tests/test_policies_faithful.py`` uses.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path

from cbcheck.errors import SubmissionError
from cbcheck.i18n.message import Msg

# A pinyin gloss: a bracketed Latin syllable with tone marks (推進(jìn), 質(zhì)).
_PINYIN = re.compile(r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7})\)")
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
_PAGE_MARK = re.compile(r"(?:^|(?<=[\s。；;，,:：)）]))[-—–]\s*\d{1,3}\s*[-—–](?=\s|$|[\u4e00-\u9fff（(“])", re.M)
_SENTENCE_END = "。；;！？!?：:"
_DOC_NUMBER_END = re.compile(r"[〔\[(（【]\d{4}[〕\])）】]\d+号$|\d{4}年\d{1,2}月\d{1,2}日$")
# A line that starts a heading or a numbered item: never glued to the line before it.
HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)|[(（]\d{1,2}[)）]"
    r"|专栏\s*\d*|附件|附表|[①-⑳])")


@functools.cache
def _t2s():  # OpenCC's converter loads its dictionaries once
    import opencc

    return opencc.OpenCC("t2s")


def decode(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SubmissionError(Msg("draft.plan_not_utf8"), where=where, hint=Msg("draft.plan_not_utf8_hint"))


def _docx_text(path: Path) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError):      # python-docx's text only repeats the path
        raise SubmissionError(Msg("draft.plan_bad_docx"), where=str(path),
                              hint=Msg("draft.plan_bad_docx_hint")) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:           # 专栏 boxes and 任务分工表 are often tables
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append("　".join(cells))
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs ("EOF marker not found") in English on stderr: a PDF it cannot
    # read is said once below, in the reader's language, with pypdf's words as the detail
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise SubmissionError(Msg("draft.plan_bad_pdf", error=exc), where=str(path),
                              hint=Msg("draft.plan_bad_pdf_hint")) from None
    finally:
        quiet.setLevel(level)
    text = "\n".join(pages)
    if sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < 20:
        raise SubmissionError(Msg("draft.plan_no_text"), where=str(path), hint=Msg("draft.plan_no_text_hint"))
    return text


def read_plan(path: Path) -> str:
    """The plan's raw text, by file type; one clear error when it cannot be read."""
    if not path.is_file():
        raise SubmissionError(Msg("draft.plan_not_found"), where=str(path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_text(path)
    if suffix == ".pdf":
        return _pdf_text(path)
    if suffix in {".doc", ".wps"}:
        raise SubmissionError(Msg("draft.plan_old_word"), where=str(path), hint=Msg("draft.plan_old_word_hint"))
    data = path.read_bytes()
    if data[:5] == b"%PDF-":
        return _pdf_text(path)
    if data[:4] == b"PK\x03\x04":
        return _docx_text(path)
    return decode(data, str(path))


def is_traditional(text: str) -> bool:
    """More than 2 % of the Han characters change under t2s: a Traditional text."""
    han = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han)
    changed = sum(a != b for a, b in zip(sample, _t2s().convert(sample), strict=False))
    return changed > 0.02 * len(sample)


def strip_pinyin(text: str) -> str:
    """Drop bracketed pinyin after a Han character; a bracket without tone marks is kept
    unless it follows a Han character and is a plain syllable (rare in plans: (a)(b) items)."""
    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        if "\u4e00" <= before <= "\u9fff" and _TONED.search(m.group(1)):
            return ""
        return m.group(0)
    return _PINYIN.sub(repl, text)


def join_wrapped(text: str) -> str:
    """Glue lines that were wrapped inside a sentence (PDF or web copies)."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        prev = out[-1] if out else ""
        if prev and prev[-1] not in _SENTENCE_END and not HEADING_START.match(line) \
                and not HEADING_START.match(prev) and len(prev) >= 12 and not _is_title(prev) \
                and not _DOC_NUMBER_END.search(prev):
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out)


def _is_title(line: str) -> bool:
    return len(line) <= 40 and line.endswith(("方案", "规划", "通知", "意见", "(征求意见稿)", "（征求意见稿）"))


def clean(text: str) -> str:
    """The text the drafter reads: Simplified, NFKC, no glosses, no page markers, lines joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = strip_pinyin(text)
    if is_traditional(text):
        text = _t2s().convert(text)
    text = unicodedata.normalize("NFKC", text)
    text = _PAGE_MARK.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text)
    return join_wrapped(text)


def load(path: Path) -> str:
    return clean(read_plan(path))
