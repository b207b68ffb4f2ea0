"""``cbcheck policy draft``: a first policy draft from a plan's text.

Pipeline, one module per concern:

- :mod:`.text` — read .txt (UTF-8/GB18030), .docx, text-layer PDF; clean up (Traditional →
  Simplified, pinyin glosses, page markers, wrapped lines);
- :mod:`.segment` — sentences with their heading path and 专栏 box;
- :mod:`.wording` — the wording table (comparators, strengths, years, units) as data;
- :mod:`.candidate` — what a candidate target holds, its year and the plan horizon;
- :mod:`.targets` — sentences → numeric candidate targets (and threshold tables by category);
- :mod:`.words` — targets the wording sets without a digit (全覆盖, 严禁新增, 消除), deadlines;
- :mod:`.indicators` — candidates → catalogue indicators, or a proposed new entry;
- :mod:`.meta` — title, issuer, 文号, date;
- :mod:`.emit` — the draft policy and its companion catalogue proposals.

Deterministic: rules and the catalogue's names, no network, no models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n import DEFAULT_LANG
from cbcheck.i18n.message import Msg


@dataclass(frozen=True)
class Draft:
    policy: dict[str, Any]
    proposed: list[dict[str, Any]]          # new catalogue entries the rules use
    candidates: int                          # before de-duplication

    @property
    def reviews(self) -> int:
        return sum(len(r.get("review", [])) for r in self.policy["rules"])


def draft_from_text(text: str, policy_id: str, source_name: str, cat: Catalogue) -> Draft:
    from cbcheck.draft import emit, meta, segment, targets

    found, meta_reviews = meta.find_meta(text)
    cands = targets.candidates(segment.sentences(text), targets.horizon_of(found.get("period"), text))
    rules, proposed, unplaced = emit.build(cands, cat, policy_id)
    policy: dict[str, Any] = {"schema_version": 1, "id": policy_id,
                              "title": found.get("title") or Path(source_name).stem,
                              "region": found.get("region") or "待填"}
    if "title" not in found:
        meta_reviews.append(Msg("draft.review.no_title"))
    for key in ("issuer", "doc_number", "date"):
        if key in found:
            policy[key] = found[key]
    policy["status"] = found.get("status", "final")
    if "period" in found:
        policy["period"] = found["period"]
    policy["source_file"] = Path(source_name).name
    notes = [Msg("draft.note.head")]
    notes += [Msg("draft.note.document", item=r) for r in meta_reviews]
    notes += [Msg("draft.note.unplaced", item=u) for u in unplaced]
    policy["notes"] = Msg.lines(notes)
    if proposed:
        policy["indicators"] = proposed
    policy["rules"] = rules
    return Draft(policy, proposed, len(cands))


def draft_file(path: Path, policy_id: str, cat: Catalogue) -> Draft:
    from cbcheck.draft.text import load

    return draft_from_text(load(path), policy_id, path.name, cat)


def dump(data: dict[str, Any], lang: str = DEFAULT_LANG) -> str:
    """The draft as YAML, its review items, notes and strength reasons in ``lang`` (Chinese unless
    asked otherwise, as the reviewers read it; ``policy lint`` recognises them in either language)."""
    import yaml

    return yaml.safe_dump(in_lang(data, lang), allow_unicode=True, sort_keys=False, width=1000,
                          default_flow_style=False)


def in_lang(data: Any, lang: str) -> Any:
    """``data`` with every :class:`Msg` in it rendered in ``lang`` (and plain ``str`` again, for YAML)."""
    if isinstance(data, Msg):
        return data.text(lang)
    if isinstance(data, dict):
        return {k: in_lang(v, lang) for k, v in data.items()}
    if isinstance(data, list):
        return [in_lang(v, lang) for v in data]
    return data
