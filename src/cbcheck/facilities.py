"""The facility catalogue (``policies/facilities.yaml``): facility types and row attributes."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cbcheck.textnorm import norm_name

FACILITY_FILE = "facilities.yaml"
GENERIC_NAME_HEADERS = ("设施名称", "设施编号", "装置名称", "项目名称", "名称", "facility", "facility name")


@dataclass(frozen=True, slots=True)
class FacilityType:
    id: str
    name: str
    aliases: tuple[str, ...]
    name_headers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    name: str
    kind: str          # number | category | boolean | date


@dataclass(frozen=True)
class FacilityCatalogue:
    types: dict[str, FacilityType]
    attributes: dict[str, Attribute]
    _type_index: dict[str, str]
    _attr_index: dict[str, str]
    _name_headers: dict[str, str | None]   # normalised name header -> type (None: generic)

    def match_type(self, label: str) -> str | None:
        return self._type_index.get(norm_name(label))

    def match_attribute(self, label: str) -> str | None:
        return self._attr_index.get(norm_name(label))

    def name_header(self, label: str) -> tuple[bool, str | None]:
        """(is a facility-name header, the type it implies if any)."""
        key = norm_name(label)
        return (key in self._name_headers, self._name_headers.get(key))


def build(data: dict) -> FacilityCatalogue:
    types = {t["id"]: FacilityType(t["id"], t["name"], tuple(t.get("aliases", ())), tuple(t.get("name_headers", ())))
             for t in data["facility_types"]}
    attrs = {a["id"]: Attribute(a["id"], a["name"], a["kind"]) for a in data["attributes"]}
    type_index: dict[str, str] = {}
    for t in types.values():
        for label in (t.id, t.name, *t.aliases):
            type_index.setdefault(norm_name(label), t.id)
    attr_index: dict[str, str] = {}
    for raw in data["attributes"]:
        for label in (raw["id"], raw["name"], *raw.get("aliases", ())):
            attr_index.setdefault(norm_name(label), raw["id"])
    headers: dict[str, str | None] = {norm_name(h): None for h in GENERIC_NAME_HEADERS}
    for t in types.values():
        for h in t.name_headers:
            headers[norm_name(h)] = t.id
    return FacilityCatalogue(types, attrs, type_index, attr_index, headers)


@functools.cache
def facility_catalogue() -> FacilityCatalogue:
    """The bundled facility catalogue, taken as shipped: `cbcheck policy lint` and the test suite
    check it against facilities.schema.json, which keeps jsonschema off a check's start-up."""
    from cbcheck.policy import policies_dir
    from cbcheck.yamlio import load_yaml

    path: Path = policies_dir() / FACILITY_FILE
    return build(load_yaml(path, "facility catalogue"))
