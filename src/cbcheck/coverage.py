"""Coverage of a plan by its policy: which numeric or dated sentences no rule cites.

``cbcheck policy coverage ID`` splits the plan text into sentences under their sections
(一、 / (一) / 1. / 专栏), keeps those that hold a number or a deadline, and lists the ones that
neither a rule's quote nor an entry of the policy's ``not_encoded`` overlaps. A reviewer sees
what the policy leaves out at a glance; docs/policies/<id>.coverage.md keeps the output of each
bundled policy.

Text is compared in the form the faithfulness test uses: NFKC, no whitespace, no page markers
(``-6-``), so a quote matches across the line breaks of a scraped copy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PAGE_MARK = re.compile(r"-\s*\d{1,3}\s*-")
_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^([{_CN}]+)、")
_L2 = re.compile(rf"^\(([{_CN}]+)\)")
_L3 = re.compile(r"^(\d{1,2})[.、](?!\d)")
_BOX = re.compile(r"^专栏\s*(\d+)")
_NEXT_MARK = re.compile(rf"\([{_CN}]+\)|(?<![\d.])\d{{1,2}}\.(?!\d)|专栏\d")
# A sentence ends at 。;!? and at a (责任单位:…)/(…按职责分工负责) note, which the plans put right
# before the next item's number.
_NOTE_BODY = r"(?:[^\[\]()【】]|\([^()]*\))*"
_SENTENCE_END = re.compile(rf"[。;!?]|[\[(【]{_NOTE_BODY}(?:责任单位|负责){_NOTE_BODY}[\])】]")
# Digits that are not facts: document numbers, list markers, 5G, "1+N" policy-system names.
_NOT_FACTS = re.compile(r"[〔(\[]\d{4}[〕)\]]\s*\d+\s*号|第\d+号|\(\d{1,2}\)|[①-⑳]|\d+G(?![WwB])|PM2\.5|PM10"
                        r"|“[\d+]+”"
                        r"|\d+(?:\+\d+)*\+[A-Za-z]|\d+\+\d+")
# Facts: numbers (with a size class written in Chinese numerals, 千亿级) and deadline words.
# Years, months and deadline words are context: excused when the sentence's other facts are cited.
_FACT = re.compile(r"(?P<context>(?:19|20)\d{2}年|\d{1,2}月|年底前?|月底前?|[上中下]旬前?|年内)"
                   r"|(?P<fact>\d+(?:\.\d+)?|[十百千万亿]+级)")
_TITLE_CHARS = 14


def normalise(text: str) -> str:
    """The comparison form: NFKC (full-width to half-width), no whitespace, no page markers."""
    text = unicodedata.normalize("NFKC", text)
    text = _PAGE_MARK.sub("", text)
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True, slots=True)
class Sentence:
    section: str
    text: str
    start: int   # offsets in the normalised plan text
    end: int


@dataclass(slots=True)
class Coverage:
    policy_id: str
    title: str
    plan: str
    numeric: int = 0
    cited: int = 0
    acknowledged: int = 0
    uncited: list[Sentence] = field(default_factory=list)
    unmatched_notes: list[str] = field(default_factory=list)   # not_encoded quotes not in the plan
    missing: dict[Sentence, list[str]] = field(default_factory=dict)   # the facts no quote covers

    def by_section(self) -> list[tuple[str, list[Sentence]]]:
        out: dict[str, list[Sentence]] = {}
        for s in self.uncited:
            out.setdefault(s.section, []).append(s)
        return list(out.items())


def _is_heading_line(line: str) -> bool:
    return len(line) <= 40 and "。" not in line and bool(
        _L1.match(line) or _L2.match(line) or _L3.match(line) or _BOX.match(line))


class _Sections:
    """The current heading at each level; a sentence that opens with markers moves them."""

    def __init__(self) -> None:
        self.levels: dict[str, str] = {}

    def _title(self, rest: str, whole_line: bool) -> str:
        if whole_line:
            return rest
        nxt = _NEXT_MARK.search(rest)
        title = rest[:nxt.start()] if nxt else rest
        return title if len(title) <= _TITLE_CHARS else title[:_TITLE_CHARS] + "…"

    def update(self, text: str, whole_line: bool = False) -> None:
        while text:
            for level, pattern, fmt in (("1", _L1, "{}、"), ("2", _L2, "({})"), ("3", _L3, "{}."),
                                        ("box", _BOX, "专栏{} ")):
                m = pattern.match(text)
                if m:
                    rest = text[m.end():]
                    title = self._title(rest, whole_line)
                    for lower in {"1": ("2", "3", "box"), "2": ("3", "box"), "3": (), "box": ("3",)}[level]:
                        self.levels.pop(lower, None)
                    self.levels[level] = fmt.format(m.group(1)) + title
                    text = rest[len(title.rstrip("…")):] if not whole_line else ""
                    break
            else:
                return

    def label(self) -> str:
        return " ".join(self.levels[k] for k in ("1", "2", "box", "3") if k in self.levels) or "(preamble)"


def split_plan(raw: str) -> tuple[str, list[Sentence]]:
    """The normalised plan text and its sentences, each under its section."""
    stream: list[str] = []
    sentences: list[Sentence] = []
    sections = _Sections()
    offset = 0
    pending = ""          # text of a sentence still open across lines
    pending_start = 0

    def close(text: str, start: int) -> None:
        if text:
            sections.update(text)
            sentences.append(Sentence(sections.label(), text, start, start + len(text)))

    for line in raw.splitlines():
        norm = normalise(line)
        if not norm:
            continue
        stream.append(norm)
        if _is_heading_line(norm) and not pending:
            sections.update(norm, whole_line=True)
            offset += len(norm)
            continue
        pos = 0
        for m in _SENTENCE_END.finditer(norm):
            piece = norm[pos:m.end()]
            if not pending:
                pending_start = offset + pos
            pending += piece
            close(pending, pending_start)
            pending = ""
            pos = m.end()
        if pos < len(norm):
            if not pending:
                pending_start = offset + pos
            pending += norm[pos:]
        offset += len(norm)
    close(pending, pending_start)
    return "".join(stream), sentences


def _masked(sentence: str) -> str:
    """The sentence with document numbers, list markers and names like 5G blanked (same length)."""
    blank = lambda m: " " * len(m.group())  # noqa: E731
    body = _NOT_FACTS.sub(blank, sentence)
    while True:   # leading section markers, possibly several (三、(一)1.)
        for pattern in (_L1, _L2, _L3, _BOX):
            m = pattern.match(body.lstrip())
            if m:
                lead = len(body) - len(body.lstrip())
                body = body[:lead] + " " * m.end() + body[lead + m.end():]
                break
        else:
            return body


def facts(sentence: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_context) of each number or deadline in the sentence."""
    return [(m.start(), m.end(), m.group("context") is not None) for m in _FACT.finditer(_masked(sentence))]


def is_numeric(sentence: str) -> bool:
    """A number or a deadline, once document numbers, list markers and names like 5G are set aside."""
    return bool(facts(sentence))


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    q = normalise(quote)
    out, i = [], text.find(q) if q else -1
    while i >= 0:
        out.append((i, i + len(q)))
        i = text.find(q, i + 1)
    return out


def coverage(data: dict[str, Any], plan_text: str, plan_name: str = "") -> Coverage:
    text, sentences = split_plan(plan_text)
    cited = [s for r in data.get("rules", []) for s in _spans(text, r["source"]["quote"])]
    acknowledged, unmatched = [], []
    for note in data.get("not_encoded", []):
        spans = _spans(text, note["quote"])
        if note.get("until"):   # a whole block, e.g. a task-division table repeating the body
            ends = [_spans(text[a:], note["until"]) for a, _ in spans]
            spans = [(a, a + e[0][1]) for (a, _), e in zip(spans, ends, strict=True) if e]
            if not spans:
                unmatched.append(f"{note['quote']} … {note['until']}")
                continue
        acknowledged += spans
        if not spans:
            unmatched.append(note["quote"])
    result = Coverage(data["id"], data["title"], plan_name, unmatched_notes=unmatched)

    def inside(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
        return any(x <= a and b <= y for x, y in spans)

    def uncovered(s: Sentence, spans: list[tuple[int, int]]) -> list[str]:
        found = [(s.start + a, s.start + b, ctx) for a, b, ctx in facts(s.text)]
        left = [(a, b, ctx) for a, b, ctx in found if not inside(a, b, spans)]
        if any(not ctx for *_, ctx in found) and all(ctx for *_, ctx in left):
            left = []   # every number is cited; its year or month is context
        return [text[a:b] for a, b, _ in left]

    for s in sentences:
        if not is_numeric(s.text):
            continue
        result.numeric += 1
        if not uncovered(s, cited):
            result.cited += 1
        elif not uncovered(s, cited + acknowledged):
            result.acknowledged += 1
        else:
            result.uncited.append(s)
            result.missing[s] = uncovered(s, cited + acknowledged)
    return result


def plan_path(data: dict[str, Any], plans_dir: Path | None = None) -> Path:
    """The plan text a bundled policy quotes: docs/plans/simplified/<source_file>."""
    from cbcheck.errors import PolicyError
    from cbcheck.i18n.message import Msg

    if not data.get("source_file"):
        raise PolicyError(Msg("rest.coverage_no_source"), hint=Msg("rest.coverage_plan_hint"))
    base = plans_dir or Path(__file__).resolve().parents[2] / "docs" / "plans" / "simplified"
    path = base / data["source_file"]
    if not path.is_file():
        raise PolicyError(Msg("rest.coverage_no_plan", name=data["source_file"], folder=base),
                          hint=Msg("rest.coverage_plan_hint"))
    return path


def render_markdown(cov: Coverage, lang: str = "en") -> str:
    """The report in ``lang``; English by default (docs/policies/<id>.coverage.md are English)."""
    from cbcheck.i18n import messages

    m = messages(lang)
    lines = [m("rest.coverage_title", id=cov.policy_id, title=cov.title), "",
             m("rest.coverage_intro", id=cov.policy_id), "",
             m("rest.coverage_plan", plan=cov.plan),
             m("rest.coverage_numeric", n=cov.numeric),
             m("rest.coverage_cited", n=cov.cited),
             m("rest.coverage_acknowledged", n=cov.acknowledged),
             m("rest.coverage_uncited", n=len(cov.uncited)), ""]
    if cov.unmatched_notes:
        lines += [m("rest.coverage_unmatched"), ""]
        lines += [f"- {q}" for q in cov.unmatched_notes] + [""]
    if not cov.uncited:
        lines += [m("rest.coverage_none"), ""]
    for section, items in cov.by_section():
        lines += [f"## {section}", ""]
        lines += [m("rest.coverage_item", text=s.text, missing=m("rest.coverage_sep").join(cov.missing.get(s, [])))
                  for s in items] + [""]
    return "\n".join(lines)
