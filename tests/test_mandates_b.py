"""The checkable-mandate inventories of 济宁, 运城 and 银川 (docs/policies/<id>.mandates.md) stay
honest: every rule they name exists in the policy, every quote occurs in the plan text, every
completed_by rule of the policy is listed, and the printed counts match the lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from cbcheck.policy import policies_dir
from cbcheck.yamlio import load_yaml
from conftest import seeds_dir
from test_policies_faithful import normalise

DOCS = Path(__file__).resolve().parents[1] / "docs" / "policies"
POLICY_IDS = ["jining-carbon-peak", "yuncheng-energy-saving-14fyp", "yinchuan-carbon-peak-draft"]
_ROW = re.compile(r"^\|\s*(\d+)\s*\|([^|]+)\|([^|]+)\|([^|]*)\|([^|]*)\|\s*$")
_SUMMARY = re.compile(r"\*\*Mandates: (\d+) · encoded: (\d+) · left out: (\d+) "
                      r"\(vague (\d+), city (\d+), covered (\d+)\) · encoded share: ([\d.]+) %\*\*")
_REASON = re.compile(r"^(vague|city|covered by ([A-Z0-9-]+)): \S")


@dataclass(frozen=True)
class Line:
    number: int
    section: str
    quote: str
    rules: tuple[str, ...]
    reason: str


def parse(text: str) -> tuple[list[Line], tuple[int, ...], float]:
    lines = []
    for raw in text.splitlines():
        m = _ROW.match(raw)
        if m:
            rules = tuple(r.strip() for r in m.group(4).split(",") if r.strip())
            lines.append(Line(int(m.group(1)), m.group(2).strip(), m.group(3).strip(), rules, m.group(5).strip()))
    summary = _SUMMARY.search(text)
    assert summary, "no summary line"
    return lines, tuple(int(g) for g in summary.groups()[:6]), float(summary.group(7))


def problems(text: str, rule_ids: set[str], plan: str, completed_by: set[str]) -> list[str]:
    """Everything wrong with one inventory, as sentences (empty when it is honest)."""
    lines, (total, encoded, left, vague, city, covered), share = parse(text)
    found = []
    if [ln.number for ln in lines] != list(range(1, len(lines) + 1)):
        found.append("lines are not numbered 1..N")
    kinds = {"vague": 0, "city": 0, "covered": 0}
    for ln in lines:
        if normalise(ln.quote) not in plan:
            found.append(f"line {ln.number}: quote not in the plan text: {ln.quote}")
        if ln.rules and ln.reason:
            found.append(f"line {ln.number}: both encoded and left out")
        if not ln.rules:
            m = _REASON.match(ln.reason)
            if not m:
                found.append(f"line {ln.number}: no rule and no reason (vague:/city:/covered by RULE:)")
                continue
            kinds["covered" if m.group(2) else m.group(1)] += 1
            if m.group(2) and m.group(2) not in rule_ids:
                found.append(f"line {ln.number}: covered by unknown rule {m.group(2)}")
        for rid in ln.rules:
            if rid not in rule_ids:
                found.append(f"line {ln.number}: unknown rule {rid}")
    n_enc = sum(1 for ln in lines if ln.rules)
    if (total, encoded, left) != (len(lines), n_enc, len(lines) - n_enc):
        found.append(f"summary says {total}/{encoded}/{left}, lines give {len(lines)}/{n_enc}/{len(lines) - n_enc}")
    if (vague, city, covered) != (kinds["vague"], kinds["city"], kinds["covered"]):
        found.append(f"reason counts {vague}/{city}/{covered} do not match the lines {kinds}")
    if lines and abs(share - round(100 * n_enc / len(lines), 1)) > 0.05:
        found.append(f"share {share} % is not {100 * n_enc / len(lines):.1f} %")
    listed = {rid for ln in lines for rid in ln.rules}
    for rid in sorted(completed_by - listed):
        found.append(f"completed_by rule {rid} is not in the inventory")
    return found


def _policy(pid: str) -> tuple[set[str], str, set[str]]:
    data = load_yaml(policies_dir() / f"{pid}.yaml")
    plan = normalise((seeds_dir() / data["source_file"]).read_text(encoding="utf-8"))
    ids = {r["id"] for r in data["rules"]}
    done = {r["id"] for r in data["rules"] if r["kind"] == "completed_by"}
    return ids, plan, done


@pytest.mark.parametrize("pid", POLICY_IDS)
def test_inventory_is_honest(pid: str) -> None:
    ids, plan, done = _policy(pid)
    text = (DOCS / f"{pid}.mandates.md").read_text(encoding="utf-8")
    assert problems(text, ids, plan, done) == []


@pytest.mark.parametrize("pid", POLICY_IDS)
def test_inventory_has_the_verbatim_sentences_once(pid: str) -> None:
    lines, _, _ = parse((DOCS / f"{pid}.mandates.md").read_text(encoding="utf-8"))
    quotes = [normalise(ln.quote) for ln in lines]
    assert len(quotes) == len(set(quotes))
    assert len(lines) >= 30


_GOOD = """**Mandates: 3 · encoded: 2 · left out: 1 (vague 0, city 0, covered 1) · encoded share: 66.7 %**

| # | section | mandate (verbatim) | encoded by | left out because |
|---|---|---|---|---|
| 1 | 一 | 建立两高项目清单 | R-1 | |
| 2 | 二 | 开展能源计量审查 | R-2, R-3 | |
| 3 | 二 | 落实项目清单管理制度 | | covered by R-1: the same list |
"""
_PLAN = normalise("建立两高项目清单,开展能源计量审查。落实项目清单管理制度。")


def test_a_good_inventory_passes() -> None:
    assert problems(_GOOD, {"R-1", "R-2", "R-3"}, _PLAN, {"R-1", "R-2"}) == []


@pytest.mark.parametrize("change, expected", [
    (("encoded: 2", "encoded: 3"), "summary says"),
    (("66.7 %", "70.0 %"), "share 70.0 %"),
    (("covered 1)", "covered 0)"), "reason counts"),
    (("R-2, R-3", "R-2, R-9"), "unknown rule R-9"),
    (("covered by R-1", "covered by R-7"), "covered by unknown rule R-7"),
    (("开展能源计量审查 |", "开展能源审计 |"), "quote not in the plan text"),
    (("covered by R-1: the same list", "too hard"), "no rule and no reason"),
])
def test_a_dishonest_inventory_is_caught(change: tuple[str, str], expected: str) -> None:
    bad = _GOOD.replace(*change)
    assert bad != _GOOD
    assert any(expected in p for p in problems(bad, {"R-1", "R-2", "R-3"}, _PLAN, {"R-1", "R-2"}))


def test_an_unlisted_completion_rule_is_caught() -> None:
    found = problems(_GOOD, {"R-1", "R-2", "R-3", "R-4"}, _PLAN, {"R-1", "R-4"})
    assert found == ["completed_by rule R-4 is not in the inventory"]
