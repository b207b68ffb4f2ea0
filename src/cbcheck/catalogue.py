"""The shared indicator catalogue (``policies/indicators.yaml``) and name matching."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from cbcheck.errors import PolicyError
from cbcheck.model import Indicator
from cbcheck.textnorm import norm_name

CATALOGUE_FILE = "indicators.yaml"


def _indicator(raw: dict[str, Any]) -> Indicator:
    return Indicator(
        id=raw["id"], name=raw["name"], name_en=raw["name_en"], unit=raw["unit"],
        aliases=tuple(raw.get("aliases", ())), kind=raw.get("kind", "number"),
        derive=raw.get("derive"), description=raw.get("description", ""),
    )


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    dimensions: dict[str, str]
    _index: dict[str, str]

    @classmethod
    def build(cls, raws: Iterable[dict[str, Any]]) -> Catalogue:
        indicators: dict[str, Indicator] = {}
        dimensions: dict[str, str] = {}
        index: dict[str, str] = {}
        for raw in raws:
            ind = _indicator(raw)
            indicators[ind.id] = ind
            dimensions[ind.id] = raw["dimension"]
            for label in (ind.id, ind.name, ind.name_en, *ind.aliases):
                index.setdefault(norm_name(label), ind.id)
        return cls(indicators, dimensions, index)

    def extended(self, raws: Iterable[dict[str, Any]]) -> Catalogue:
        """A copy with a policy's own indicators added (they win on name clashes)."""
        raws = list(raws)
        if not raws:
            return self
        extra = Catalogue.build(raws)
        return Catalogue({**self.indicators, **extra.indicators},
                         {**self.dimensions, **extra.dimensions},
                         {**self._index, **extra._index})

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self.indicators

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def match(self, label: str) -> str | None:
        """The indicator id a submitted label means, or ``None``."""
        return self._index.get(norm_name(label))

    def suggest(self, label: str, n: int = 3) -> tuple[str, ...]:
        key = norm_name(label)
        hits = difflib.get_close_matches(key, list(self._index), n=n * 3, cutoff=0.5)
        names: list[str] = []
        for hit in hits:
            name = self.indicators[self._index[hit]].name
            if name not in names:
                names.append(name)
        return tuple(names[:n])


def load_catalogue(path: Path) -> Catalogue:
    from cbcheck.schemas import schema_errors
    from cbcheck.yamlio import load_yaml

    data = load_yaml(path, "indicator catalogue")
    problems = [f"{path}::{where}: {msg}" for where, msg in schema_errors("indicators", data)]
    if problems:
        raise PolicyError("indicator catalogue is invalid:\n  " + "\n  ".join(problems), where=str(path))
    ids = [i["id"] for i in data["indicators"]]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PolicyError(f"duplicate indicator ids: {', '.join(dupes)}", where=str(path))
    return Catalogue.build(data["indicators"])
