"""The report's sections in the plan's order: findings grouped by the plan section their rule
quotes, sections sorted by the plan's own numbering (三、(一) 1., 专栏2), whatever order the policy
lists its rules in."""

from __future__ import annotations

import re

from cbcheck.model import Finding
from cbcheck.textnorm import cn_number

_PART = re.compile(r"\s*(?:(?P<top>[一二三四五六七八九十]+)、|[（(](?P<sub>[一二三四五六七八九十]+)[）)]"
                   r"|(?P<num>\d+)[.．、]|专栏\s*(?P<box>\d+))")


def section_key(name: str) -> tuple[int, ...] | None:
    """The plan's numbering of a section heading: ``三、(一) 1.`` → (3, 1, 1); ``专栏2`` sorts after
    the numbered items of its part; None when the heading carries no number."""
    key: list[int] = []
    pos = 0
    while True:
        m = _PART.match(name, pos)
        if not m:
            break
        if m.group("top"):
            key.append(cn_number(m.group("top")) or 0)
        elif m.group("sub"):
            key.append(cn_number(m.group("sub")) or 0)
        elif m.group("num"):
            key.append(int(m.group("num")))
        else:
            key.append(1000 + int(m.group("box")))
        pos = m.end()
    return tuple(key) if key else None


def plan_order(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by plan section, sections in the plan's numbering (四、(一) before 四、(二),
    whatever order the policy lists its rules in); an unnumbered section stays after the section
    it follows in the policy."""
    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.section_order):
        groups.setdefault(f.source.section, []).append(f)
    keyed: list[tuple[tuple[int, ...], int, str]] = []
    last: tuple[int, ...] = ()
    for i, name in enumerate(groups):
        key = section_key(name)
        if key is not None:
            last = key
        keyed.append((key if key is not None else last, i, name))
    return [(name, groups[name]) for _, _, name in sorted(keyed)]
