"""Candidate → catalogue indicator, by the plan's own words.

The catalogue's names and aliases (policies/indicators.yaml) are searched for in the
candidate's subject (the words before its verb); the longest one found wins, provided its
dimension fits the unit (a % target is not a capacity). When nothing fits, a new catalogue
entry is proposed with the plan's words as its name, a dimension read from the unit and an
id that is stable for the same words (so a second run proposes the same id).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.i18n.message import Msg
from cbcheck.textnorm import norm_name

_LEVEL_KINDS = frozenset({"at_least", "at_most"})


@dataclass(frozen=True, slots=True)
class Match:
    indicator: str
    label: str              # the catalogue name or alias found in the text
    proposed: dict[str, Any] | None = None


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s“”\"'‘’《》()（）]", "", text)


_LABELS: dict[int, tuple[tuple[str, str, str], ...]] = {}


def _labels(cat: Catalogue) -> tuple[tuple[str, str, str], ...]:
    """(flattened label, indicator id, label as written), longest first (cached per catalogue)."""
    if id(cat) in _LABELS:
        return _LABELS[id(cat)]
    rows = []
    for ind in cat.indicators.values():
        for label in (ind.name, *ind.aliases):
            key = _flat(norm_name(label))
            if len(key) >= 3:
                rows.append((key, ind.id, label))
    _LABELS[id(cat)] = tuple(sorted(set(rows), key=lambda r: (-len(r[0]), r[1])))
    return _LABELS[id(cat)]


def dimension_of(unit: str) -> str:
    from cbcheck import units

    if unit in ("%",):
        return "share"
    for name, ref in units.DIMENSIONS.items():
        try:
            if units.same_dimension(unit, ref):
                return name
        except Exception:                  # noqa: BLE001 - a unit pint does not know
            continue
    return "count"


def _fits(cat: Catalogue, ind_id: str, unit: str, kind: str) -> bool:
    from cbcheck import units

    dim = cat.dimensions[ind_id]
    if kind == "completed_by":
        return dim == "date" or cat[ind_id].kind in ("date", "boolean")
    if dim in units.NON_PHYSICAL:
        return False
    if kind not in _LEVEL_KINDS:
        return dim not in ("share",) or unit == "个百分点"
    try:
        return units.unit_has_dimension(unit, dim)
    except Exception:                      # noqa: BLE001 - unknown unit or dimension
        return False


def proposal(name: str, unit: str, kind: str) -> dict[str, Any]:
    name = name.strip(" ,，、") or "未命名指标"
    digest = hashlib.sha1(f"{name}|{unit}|{kind}".encode()).hexdigest()[:8]
    if kind == "completed_by":
        return {"id": f"draft_{digest}", "name": name[:40], "name_en": Msg("draft.name_en_todo", name=name[:40]),
                "dimension": "date", "unit": "日期", "kind": "date"}
    dim = dimension_of(unit)
    entry: dict[str, Any] = {"id": f"draft_{digest}", "name": name[:40],
                             "name_en": Msg("draft.name_en_todo", name=name[:40]), "dimension": dim, "unit": unit}
    if dim == "share":
        entry["kind"] = "share"
    return entry


def match(cat: Catalogue, subject: str, context: str, unit: str, kind: str) -> Match:
    """The indicator a candidate is about: first in its subject, then in its clause."""
    for text in (subject, context):
        flat = _flat(text)
        for key, ind_id, label in _labels(cat):
            if key in flat and _fits(cat, ind_id, unit, kind):
                return Match(ind_id, label)
    entry = proposal(subject, unit, kind)
    return Match(entry["id"], "", entry)
