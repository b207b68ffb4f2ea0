"""The shared indicator catalogue (``policies/indicators.yaml``) and name matching."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from cbcheck.errors import Listing, PolicyError
from cbcheck.i18n.message import Msg
from cbcheck.model import Indicator
from cbcheck.textnorm import nfkc, norm_name

CATALOGUE_FILE = "indicators.yaml"


def _indicator(raw: dict[str, Any]) -> Indicator:
    return Indicator(
        id=raw["id"], name=raw["name"], name_en=raw["name_en"], unit=raw["unit"],
        aliases=tuple(raw.get("aliases", ())), kind=raw.get("kind", "number"),
        derive=raw.get("derive"), description=raw.get("description", ""),
        unit_aliases=tuple((str(k), str(v)) for k, v in (raw.get("unit_aliases") or {}).items()),
        aggregate=raw.get("aggregate"),
    )


def _unit_key(unit: str) -> str:
    return nfkc(unit).replace("／", "/").replace(" ", "").lower()


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    dimensions: dict[str, str]
    _index: dict[str, str]

    @classmethod
    def build(cls, raws: Iterable[dict[str, Any]], index: dict[str, str] | None = None) -> Catalogue:
        """The catalogue of these indicators; ``index`` is the name index when already known
        (from the cache: :func:`load_catalogue`), else built from every id, name and alias."""
        indicators: dict[str, Indicator] = {}
        dimensions: dict[str, str] = {}
        built: dict[str, str] = {}
        for raw in raws:
            ind = _indicator(raw)
            indicators[ind.id] = ind
            dimensions[ind.id] = raw["dimension"]
            if index is None:
                for label in (ind.id, ind.name, ind.name_en, *ind.aliases):
                    built.setdefault(norm_name(label), ind.id)
        return cls(indicators, dimensions, built if index is None else index)

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

    def unit_for(self, indicator: str, unit: str | None) -> str | None:
        """``unit`` as this indicator means it: an indicator-scoped spelling (克/千瓦时 for 供电煤耗)
        becomes the unit it stands for; any other unit is returned as written."""
        ind = self.indicators.get(indicator)
        if unit is None or ind is None or not ind.unit_aliases:
            return unit
        key = _unit_key(unit)
        return next((meant for spelled, meant in ind.unit_aliases if _unit_key(spelled) == key), unit)

    def suggest(self, label: str, n: int = 3) -> tuple[str, ...]:
        key = norm_name(label)
        hits = difflib.get_close_matches(key, list(self._index), n=n * 3, cutoff=0.5)
        names: list[str] = []
        for hit in hits:
            name = self.indicators[self._index[hit]].name
            if name not in names:
                names.append(name)
        return tuple(names[:n])


def catalogue_problems(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, message, severity) for a schema-valid catalogue: ids, names and units."""
    from cbcheck import units
    from cbcheck.errors import UnitError

    problems: list[tuple[str, str, str]] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, str] = {}
    for i, raw in enumerate(data["indicators"]):
        field = f"indicators.{i}"
        if raw["id"] in seen_ids:
            problems.append((f"{field}.id", Msg("rest.catalogue_dupe_id", id=raw["id"], index=seen_ids[raw["id"]]),
                             "error"))
        seen_ids.setdefault(raw["id"], i)
        for label in (raw["name"], *raw.get("aliases", ())):
            key = norm_name(label)
            other = seen_names.get(key)
            if other is not None and other != raw["id"]:
                problems.append((f"{field}.aliases", Msg("rest.catalogue_ambiguous", label=label, other=other),
                                 "error"))
            seen_names.setdefault(key, raw["id"])
        dim = raw["dimension"]
        if dim in units.NON_PHYSICAL:
            continue
        for spelled, meant in (raw.get("unit_aliases") or {}).items():
            try:
                if not units.unit_has_dimension(meant, dim):
                    problems.append((f"{field}.unit_aliases", Msg("rest.catalogue_alias_dim", spelled=spelled,
                                                                  meant=meant, dim=dim), "error"))
            except UnitError as exc:
                problems.append((f"{field}.unit_aliases", exc.message, "error"))
        try:
            if not units.unit_has_dimension(raw["unit"], dim):
                problems.append((f"{field}.unit", Msg("rest.catalogue_unit_dim", unit=raw["unit"], dim=dim), "error"))
        except UnitError as exc:
            problems.append((f"{field}.unit", exc.message, "error"))
    return problems


def load_catalogue(path: Path, validate: bool = True) -> Catalogue:
    from cbcheck.yamlio import load_yaml

    data = load_yaml(path, "indicator catalogue")
    if validate:
        from cbcheck.schemas import schema_errors

        problems = [Msg("cli.schema_line", path=path, field=where, message=msg)
                    for where, msg in schema_errors("indicators", data)]
        if problems:
            raise PolicyError(Listing(Msg("rest.catalogue_invalid"), problems), where=str(path))
    ids = [i["id"] for i in data["indicators"]]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PolicyError(Msg("rest.catalogue_dupes", ids=Msg.listing(dupes)), where=str(path),
                          hint=Msg("rest.catalogue_dupes_hint"))
    return _with_remembered_index(path, data["indicators"])


def _with_remembered_index(path: Path, raws: list[dict[str, Any]]) -> Catalogue:
    """The catalogue, its name index taken from the per-user cache when it was built before from
    the same catalogue bytes by the same ``norm_name`` (the sha256 of the catalogue, of
    textnorm.py and of the Python version, compared inside the entry): normalising ~2,400 names
    and aliases costs ~20 ms of every check."""
    import sys

    from cbcheck import cache, textnorm

    try:
        key = cache.sha256(path.read_bytes() + b"\0" + Path(textnorm.__file__).read_bytes()
                           + b"\0" + sys.version.encode())
    except OSError:
        return Catalogue.build(raws)
    entry = cache.read(f"catalogue-index/{key}.json")
    index = entry.get("index") if entry is not None and entry.get("key") == key else None
    if isinstance(index, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in index.items()):
        return Catalogue.build(raws, index)
    built = Catalogue.build(raws)
    cache.write(f"catalogue-index/{key}.json", {"key": key, "index": built._index})
    return built
