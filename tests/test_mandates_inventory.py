"""The checkable-mandate inventories (docs/policies/<id>.mandates.md) stay honest.

Each inventory lists a plan's yes/no commitments one per table row: the verbatim clause, and
either the rule that checks it or why it is left out. Here: every quote occurs in the plan
(normalised as the faithfulness test does), every rule named exists in the policy, a rule named
for a clause it does not quote says so, every completed_by rule of the policy is listed, and the
summary line's counts match the rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cbcheck.policy import bundled_policy_paths
from cbcheck.yamlio import load_yaml
from conftest import seeds_dir
from test_policies_faithful import normalise

DOCS = Path(__file__).resolve().parent.parent / "docs" / "policies"
# 晋中 and 吕梁; the other three plans' inventories are in another table layout (tests/test_mandates_b.py)
INVENTORIES = [DOCS / f"{pid}.mandates.md" for pid in ("jinzhong-carbon-peak", "lvliang-carbon-peak")]
POLICY_PATHS = {p.stem: p for p in bundled_policy_paths()}
CATEGORIES = ("vague", "city", "support")
_ROW = re.compile(r"^\| (\d+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$")
_SUMMARY = re.compile(r"^Mandates: (\d+) · encoded: (\d+) \((\d+\.\d) %\) · left out: (\d+) \(([^)]*)\)$", re.M)
_LEFT = re.compile(r"^left out \((\w+)\): \S")
_SAME = " (same check as the rule's own sentence)"


def _parse(path: Path) -> tuple[re.Match[str], list[tuple[int, str, str, str]]]:
    text = path.read_text(encoding="utf-8")
    summary = _SUMMARY.search(text)
    assert summary, f"{path.name}: no summary line"
    rows = [(int(m[1]), m[2].strip(), m[3].strip(), m[4].strip())
            for m in map(_ROW.match, text.splitlines()) if m]
    return summary, rows


def _policy(path: Path) -> dict:
    return load_yaml(POLICY_PATHS[path.name.removesuffix(".mandates.md")])


def test_there_are_inventories() -> None:
    assert {p.name for p in INVENTORIES} >= {"jinzhong-carbon-peak.mandates.md", "lvliang-carbon-peak.mandates.md"}


@pytest.mark.parametrize("path", INVENTORIES, ids=lambda p: p.stem)
def test_rows_are_numbered_and_counted(path: Path) -> None:
    summary, rows = _parse(path)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    left = [(_LEFT.match(cell) or None) for _, _, _, cell in rows]
    encoded = sum(1 for m in left if m is None)
    by_category = {c: sum(1 for m in left if m and m[1] == c) for c in CATEGORIES}
    assert int(summary[1]) == len(rows)
    assert int(summary[2]) == encoded
    assert summary[3] == f"{100 * encoded / len(rows):.1f}"
    assert int(summary[4]) == len(rows) - encoded
    stated = dict(part.split(" ") for part in summary[5].split(", "))
    assert {k: int(v) for k, v in stated.items()} == {c: n for c, n in by_category.items() if n}


@pytest.mark.parametrize("path", INVENTORIES, ids=lambda p: p.stem)
def test_quotes_occur_in_the_plan(path: Path) -> None:
    data = _policy(path)
    plan = normalise((seeds_dir() / data["source_file"]).read_text(encoding="utf-8"))
    _, rows = _parse(path)
    assert [q for _, _, q, _ in rows if normalise(q) not in plan] == []


@pytest.mark.parametrize("path", INVENTORIES, ids=lambda p: p.stem)
def test_named_rules_exist_and_cite_the_clause(path: Path) -> None:
    """A rule named for a clause quotes a span of the plan overlapping it, or the row says the
    rule checks the same duty from another sentence."""
    data = _policy(path)
    plan = normalise((seeds_dir() / data["source_file"]).read_text(encoding="utf-8"))
    rules = {r["id"]: normalise(r["source"]["quote"]) for r in data["rules"]}
    _, rows = _parse(path)
    unknown, unrelated = [], []
    for n, _, quote, cell in rows:
        if _LEFT.match(cell):
            continue
        rule_id, same = (cell.removesuffix(_SAME), True) if cell.endswith(_SAME) else (cell, False)
        if rule_id not in rules:
            unknown.append((n, rule_id))
            continue
        q = normalise(quote)
        spans = [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), plan)]
        rq = rules[rule_id]
        overlaps = any(a < m.start() + len(rq) and m.start() < b
                       for a, b in spans for m in re.finditer(re.escape(rq), plan))
        if overlaps == same:
            unrelated.append((n, rule_id, "marked same-check but overlaps" if same else "does not cite the clause"))
    assert unknown == []
    assert unrelated == []


@pytest.mark.parametrize("path", INVENTORIES, ids=lambda p: p.stem)
def test_every_completion_rule_is_listed(path: Path) -> None:
    data = _policy(path)
    _, rows = _parse(path)
    named = {cell.removesuffix(_SAME) for _, _, _, cell in rows if not _LEFT.match(cell)}
    assert [r["id"] for r in data["rules"] if r["kind"] == "completed_by" and r["id"] not in named] == []


def test_a_miscount_is_caught(tmp_path: Path) -> None:
    """The counting check can fail: one row moved from encoded to left out breaks the summary."""
    src = INVENTORIES[0].read_text(encoding="utf-8")
    row = next(line for line in src.splitlines() if _ROW.match(line) and not _LEFT.match(_ROW.match(line)[4]))
    m = _ROW.match(row)
    bad = tmp_path / INVENTORIES[0].name
    bad.write_text(src.replace(row, f"| {m[1]} | {m[2]} | {m[3]} | left out (vague): moved |"), encoding="utf-8")
    with pytest.raises(AssertionError):
        test_rows_are_numbered_and_counted(bad)
