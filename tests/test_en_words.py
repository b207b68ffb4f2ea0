"""English reports in English words: every example checked with ``--lang en`` says its sentences
without Chinese, except where the Chinese is evidence — what the plan or the submission wrote.

Each example's JSON report is walked string by string. A field that *is* evidence is skipped as a
whole (:data:`EVIDENCE_FIELDS`: the plan's title, section and quote, the entity, cells echoed back,
locations, facility names…). In every other string (messages, arithmetic, reading notes, data
quality) these are masked, and whatever Chinese is left fails the test:

- quoted text ('…', “…”, "…"): what the user wrote, a cell's own text, a sheet name;
- the evidence fields' values wherever they recur inside a sentence (an entity in a --params hint,
  the params file's own words for who assigned a target, a sheet in a location), and the plan's
  words a sentence repeats (who assigns a target, the category values a facility rule matches);
- units (``万吨标准煤``, ``吨标准煤/万元``): as the plan and the sheet write them, read by
  :func:`cbcheck.units.is_known` — English unit names are another change;
- glosses: Chinese the English catalogues write on purpose beside the English, the word the clerk
  sees on the sheet (``binding 约束性``, ``current prices (现价)``, ``carbon-inclusion (碳普惠)``):
  any run of Chinese in ``i18n/en.yaml`` or in a ``name_en`` of the indicator and facility
  catalogues. A gloss is reviewed where it is written, once.

Before, indicator names reached English sentences in Chinese (``能源消费总量 2025 is not in the
submission``) and facility states said ``运行状态 在产: still operating``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest
import yaml
from typer.testing import CliRunner

from cbcheck import units
from cbcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = [ROOT / "examples" / "examples.yaml", ROOT / "examples" / "enterprise" / "examples.yaml"]
EXAMPLES = [{**entry, "dir": manifest.parent.relative_to(ROOT).as_posix()}
            for manifest in MANIFESTS
            for entry in yaml.safe_load(manifest.read_text(encoding="utf-8"))]

# JSON fields whose whole value is evidence, by key (at any depth). ``indicator_name`` and ``title``
# are documented as the plan's own Chinese words (the English is in the text reports).
EVIDENCE_FIELDS = frozenset({
    "title", "document", "section", "quote",                 # the plan's own words
    "path", "entity", "meta", "label", "suggestions",        # the submission's own words
    "indicator_name", "location", "cells", "unit", "observed", "assigned_by",
    "facility", "table",                                      # a facility's name and its sheet
})
# Reading notes that echo a cell's text whole (a remark under the table).
EVIDENCE_NOTES = frozenset({"read.remark"})
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^'\n]*'|\"[^\"\n]*\"")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_HAN}]+(?:/[{_HAN}]+)*")


def _glosses() -> set[str]:
    """Chinese written beside English on purpose; a quoted word of the catalogue is what to type
    (“是”), no gloss, and stays out."""
    def values(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for v in node.values():
                yield from values(v)
        elif isinstance(node, str):
            yield node

    catalogue = yaml.safe_load((ROOT / "src" / "cbcheck" / "i18n" / "en.yaml").read_text("utf-8"))
    texts = [_QUOTED.sub(" ", text) for text in values(catalogue)]
    for name in ("indicators.yaml", "facilities.yaml"):
        data = yaml.safe_load((ROOT / "policies" / name).read_text("utf-8"))
        texts += [e["name_en"] for entries in data.values() if isinstance(entries, list)
                  for e in entries if isinstance(e, dict) and e.get("name_en")]
    return {run for text in texts for run in _RUN.findall(text)}


GLOSSES = _glosses()


def _strings(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, text) for every string of the report outside the evidence fields."""
    if key in EVIDENCE_FIELDS:
        return
    if isinstance(node, dict):
        if node.get("key") in EVIDENCE_NOTES:
            return
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield key, node


def _evidence(node: Any, key: str = "", inside: bool = False) -> Iterator[str]:
    """Every string of the evidence fields, and the sheet of every location."""
    inside = inside or key in EVIDENCE_FIELDS
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _evidence(v, k, inside)
    elif isinstance(node, list):
        for v in node:
            yield from _evidence(v, key, inside)
    elif isinstance(node, str) and inside:
        yield node
        if key in ("location", "cells"):
            yield from (part.split("!")[0] for part in re.split(r"[,/]\s*", node) if "!" in part)


def _plan_words(policy: str) -> Iterator[str]:
    """The plan's own words a sentence may repeat: who assigns a target (山东省下达任务), the
    category values a facility rule matches cells against (特种水泥熟料), the counties a clause names."""
    def strings(node: Any) -> Iterator[str]:
        if isinstance(node, dict):           # keys too: a by-category limit is keyed by the category
            for k, v in node.items():
                yield from strings(k)
                yield from strings(v)
        elif isinstance(node, list):
            for v in node:
                yield from strings(v)
        elif isinstance(node, str):
            yield node

    data = yaml.safe_load((ROOT / "policies" / f"{policy}.yaml").read_text("utf-8"))
    for rule in data.get("rules", ()):
        yield from strings((rule.get("assigned") or {}).get("by"))
        yield from strings(rule.get("applies_to"))
        yield from strings(rule.get("params"))
        yield from strings(rule.get("by_category"))
        yield from strings(rule.get("entities"))       # the counties a clause names (兖州区), as the plan writes them


def chinese_left(report: dict[str, Any], plan_words: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(field, Chinese run, the sentence) for each run of Chinese that is not evidence, a unit or a gloss."""
    evidence = sorted({e for e in (*_evidence(report), *plan_words) if _RUN.search(e)}, key=len, reverse=True)
    out = []
    for key, text in _strings(report):
        masked = _RUN.sub(lambda m: " " if units.is_known(m.group(0)) else m.group(0), _QUOTED.sub(" ", text))
        for e in evidence:
            masked = masked.replace(e, " ")
        out += [(key, run, text) for run in _RUN.findall(masked) if run not in GLOSSES]
    return out


def test_the_check_finds_chinese_that_is_no_evidence() -> None:
    report = {"submission": {"entity": "示例县"}, "findings": [
        {"title": "单位GDP能耗下降", "location": "表1!F5", "message": "能源消费总量 2025 is not in the submission"},
        {"message": "status “在产” (still operating) after 2023-10-31",
         "arithmetic": "468 万吨标准煤 vs ≤ 440 万吨标准煤"},
        {"message": "give it in a --params file under entities: 示例县: X; see 表1!F5 (binding 约束性)"},
        {"message": "运行状态 在产: still operating"}]}
    assert [(k, run) for k, run, _ in chinese_left(report)] == [
        ("message", "能源消费总量"), ("message", "运行状态"), ("message", "在产")]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["file"])
def test_english_report_has_no_chinese_but_evidence(example: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = ["check", f"{example['dir']}/{example['file']}", "--policy", example["policy"], "--format", "json",
            "--lang", "en", *example["args"]]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == example["exit"], result.output
    left = chinese_left(json.loads(result.stdout), _plan_words(example["policy"]))
    assert left == [], "\n".join(f"{key}: {run} — {text}" for key, run, text in left[:20])


@pytest.mark.parametrize("why", [None, "a plain reason", "Why"])
def test_a_missing_value_names_its_indicator_in_the_report_language(why: str | None) -> None:
    """Every way Series.need says a value is missing keeps the name a Word (no f-string)."""
    from cbcheck.checks.base import Series, Unavailable
    from cbcheck.checks.base import Why as Reason
    from cbcheck.i18n.message import Word

    said = Reason("msg.cannot_derive", {"why": "x"}) if why == "Why" else why
    series = Series("energy", Word("能源消费总量", "Total energy consumption"), None, {}, missing={2020: "表1!D5"},
                    missing_why={} if said is None else {2020: said})
    with pytest.raises(Unavailable) as caught:
        series.need(2020)
    message = caught.value.message
    assert message.startswith("Total energy consumption 2020")
    assert message.text("zh").startswith("能源消费总量 2020") and "Total" not in message.text("zh")
    with pytest.raises(Unavailable) as absent:
        series.need(2025)
    assert absent.value.message.text("zh") == "能源消费总量 2025：未填报"
