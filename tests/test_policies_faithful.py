"""Every bundled policy is valid, and faithful to its plan: each quote occurs in the
plan text, and each rule's number occurs in its quote (lint warnings are errors here)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from cbcheck.policy import bundled_policy_paths, lint_file, load_policy
from cbcheck.yamlio import load_yaml
from conftest import seeds_dir

POLICIES = bundled_policy_paths()
_PAGE_MARK = re.compile(r"-\s*\d{1,3}\s*-")


def normalise(text: str) -> str:
    """The comparison form: NFKC (full-width to half-width), no whitespace, no page markers."""
    text = unicodedata.normalize("NFKC", text)
    text = _PAGE_MARK.sub("", text)
    return re.sub(r"\s+", "", text)


def test_there_are_bundled_policies() -> None:
    assert POLICIES, "no policies found in policies/"


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_policy_lints_clean(path: Path) -> None:
    problems, _ = lint_file(path)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_policy_loads(path: Path) -> None:
    policy, _ = load_policy(str(path))
    assert policy.id == path.stem
    assert len({r.id for r in policy.rules}) == len(policy.rules)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_quotes_occur_in_plan_text(path: Path) -> None:
    data = load_yaml(path)
    seed = seeds_dir() / data["source_file"]
    plan = normalise(seed.read_text(encoding="utf-8"))
    missing = [(r["id"], r["source"]["quote"]) for r in data["rules"]
               if normalise(r["source"]["quote"]) not in plan]
    assert missing == [], f"quotes not found verbatim in {seed.name}"


def test_rule_ids_unique_across_policies() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for path in POLICIES:
        for rule in load_yaml(path)["rules"]:
            if rule["id"] in owner:
                clashes.append((rule["id"], owner[rule["id"]], path.stem))
            owner[rule["id"]] = path.stem
    assert clashes == []


@pytest.mark.parametrize("name", ["indicators.yaml", "facilities.yaml"])
def test_bundled_catalogues_lint_clean(name: str) -> None:
    """Checks load the bundled catalogues without validating them, so they must be valid here."""
    from cbcheck.policy import policies_dir

    problems, _ = lint_file(policies_dir() / name)
    assert [str(p) for p in problems] == []


def test_a_policy_given_by_path_is_still_validated(tmp_path: Path) -> None:
    from cbcheck.errors import PolicyError

    bad = tmp_path / "mine.yaml"
    bad.write_text("schema_version: 1\nid: mine\ntitle: t\nregion: r\nstatus: final\nrules:\n"
                   "  - {id: M-1, title: t, indicator: nope, kind: at_least, target: 1, strength: binding,"
                   " scope: region, source: {section: s, quote: qqqq}}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown indicator 'nope'"):
        load_policy(str(bad))
