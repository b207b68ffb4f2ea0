"""The facility catalogue (``policies/facilities.yaml``): facility types and row attributes."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cbcheck.textnorm import norm_name

FACILITY_FILE = "facilities.yaml"
# Name columns as people head them; they say nothing of the type (生产线 may be clinker or ammonia).
GENERIC_NAME_HEADERS = ("设施名称", "设施编号", "装置名称", "装置编号", "装置", "项目名称", "名称", "编号",
                        "生产线", "生产线名称", "生产线编号", "设备", "设备名称", "设备编号", "设施", "机组",
                        "企业名称", "单位名称", "所属企业", "所属单位", "公司名称", "所属公司", "facility",
                        "facility name", "facility id", "facility no.", "facility code",
                        "name of facility", "equipment name", "equipment no.")


@dataclass(frozen=True, slots=True)
class FacilityType:
    id: str
    name: str
    aliases: tuple[str, ...]
    name_headers: tuple[str, ...]
    headers: tuple[tuple[str, str], ...] = ()     # header -> indicator, on a table of this type only
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    name: str
    kind: str          # number | category | boolean | date
    name_en: str = ""


@dataclass(frozen=True)
class FacilityCatalogue:
    types: dict[str, FacilityType]
    attributes: dict[str, Attribute]
    _type_index: dict[str, str]
    _attr_index: dict[str, str]
    _name_headers: dict[str, str | None]   # normalised name header -> type (None: generic)
    _context: dict[tuple[str, str], str] = None  # type: ignore[assignment]  # (type, header) -> indicator
    _type_en: dict[str, str] = None  # type: ignore[assignment]   # English key -> type (not searched in titles)
    _weak: frozenset[str] = frozenset()   # name headers a type claims that also head other types' tables
    _values: dict[tuple[str, str], str] = None  # type: ignore[assignment]  # (attribute, written) -> the plan's word

    def match_type(self, label: str) -> str | None:
        key = norm_name(label)
        return self._type_index.get(key) or (self._type_en or {}).get(en_key(label))

    def match_attribute(self, label: str) -> str | None:
        """The attribute a header names: its id, Chinese name or alias, or its English name
        (``Coke-chamber height (m)``, ``coke chamber height``), unit and case aside."""
        return self._attr_index.get(norm_name(label)) or self._attr_index.get(en_key(label))

    def context_header(self, ftype: str | None, label: str) -> str | None:
        """The indicator ``label`` means on a table of facilities of ``ftype`` (单位产品综合能耗 on a
        合成氨 table), or None."""
        if ftype is None or not self._context:
            return None
        return self._context.get((ftype, norm_name(label)))

    def type_in_text(self, text: str) -> str | None:
        """The facility type a title or sheet name speaks of (合成氨装置能耗情况表 → ammonia_plant): the
        longest type name or alias it contains."""
        key = norm_name(text)
        hits = [(len(k), t) for k, t in self._type_index.items() if len(k) > 1 and k in key]
        return max(hits)[1] if hits else None

    def name_header(self, label: str) -> tuple[bool, str | None]:
        """(is a facility-name header, the type it implies if any)."""
        key = norm_name(label)
        if key not in self._name_headers and label.isascii():
            key = en_key(label)         # Coke-oven name
        return (key in self._name_headers, self._name_headers.get(key))

    def category_key(self, attribute: str, text: str) -> str:
        """How a category cell or a rule's value is compared: normalised, and a way plants write a
        value the plan names otherwise read as the plan's word (抽汽凝汽式 → 抽凝; facilities.yaml ``values``)."""
        key = norm_name(text)
        return (self._values or {}).get((attribute, key), key)

    def weak_name_header(self, label: str) -> bool:
        """Whether the type a name header implies is only a default: 生产线 heads clinker lines and ammonia
        units as well as the generic production line, 机组 boilers' tables too, so a type the sheet name or a
        title names (熟料线) says more."""
        key = norm_name(label)
        return key in self._weak or en_key(label) in self._weak


def en_key(label: str) -> str:
    """How an English name or header is compared: as :func:`norm_name` does (case, spaces, a unit
    in brackets) and without hyphens (coke-chamber height = Coke chamber height)."""
    return norm_name(label).replace("-", "")


def _english(entries: list[dict], taken: dict[str, str]) -> dict[str, str]:
    """English key -> id for the ``name_en`` and the ASCII aliases of ``entries``: a key two
    entries claim, or one a Chinese name or alias already holds for another, is left out, so an
    English header is read as one attribute or none, never a guess between two."""
    claims: dict[str, set[str]] = {}
    for raw in entries:
        for label in (raw.get("name_en") or "", *raw.get("aliases", ())):
            if label and label.isascii():
                claims.setdefault(en_key(label), set()).add(raw["id"])
    out: dict[str, str] = {}
    for key, ids in claims.items():
        if len(ids) == 1:
            (ident,) = ids
            if taken.get(key, ident) == ident:
                out[key] = ident
    return out


def build(data: dict) -> FacilityCatalogue:
    # name_en is required by the schema (`cbcheck policy lint`); a catalogue loaded unchecked
    # without it reads the id in English rather than failing a check
    types = {t["id"]: FacilityType(t["id"], t["name"], tuple(t.get("aliases", ())), tuple(t.get("name_headers", ())),
                                   tuple((t.get("headers") or {}).items()), t.get("name_en") or t["id"])
             for t in data["facility_types"]}
    context = {(t.id, norm_name(h)): ind for t in types.values() for h, ind in t.headers}
    attrs = {a["id"]: Attribute(a["id"], a["name"], a["kind"], a.get("name_en") or a["id"]) for a in data["attributes"]}
    type_index: dict[str, str] = {}
    for t in types.values():
        for label in (t.id, t.name, *t.aliases):
            type_index.setdefault(norm_name(label), t.id)
    attr_index: dict[str, str] = {}
    for raw in data["attributes"]:        # English aliases below, where two claiming one is seen
        for label in (raw["id"], raw["name"], *(a for a in raw.get("aliases", ()) if not a.isascii())):
            attr_index.setdefault(norm_name(label), raw["id"])
    for key, ident in _english(data["attributes"], attr_index).items():
        attr_index.setdefault(key, ident)
    type_en = {key: ident for key, ident in _english(data["facility_types"], type_index).items()
               if key not in type_index}
    headers: dict[str, str | None] = {norm_name(h): None for h in GENERIC_NAME_HEADERS}
    weak = frozenset(h for t in types.values() for h in map(norm_name, t.name_headers) if h in headers)
    for t in types.values():
        for h in t.name_headers:
            headers[norm_name(h)] = t.id
    for h, implied in list(headers.items()):
        if h.isascii():
            headers.setdefault(h.replace("-", ""), implied)
    values = {(raw["id"], norm_name(written)): norm_name(word) for raw in data["attributes"]
              for word, ways in (raw.get("values") or {}).items() for written in ways}
    return FacilityCatalogue(types, attrs, type_index, attr_index, headers, context, type_en, weak, values)


@functools.cache
def facility_catalogue() -> FacilityCatalogue:
    """The bundled facility catalogue, taken as shipped: `cbcheck policy lint` and the test suite
    check it against facilities.schema.json, which keeps jsonschema off a check's start-up."""
    from cbcheck.policy import policies_dir
    from cbcheck.yamlio import load_yaml

    path: Path = policies_dir() / FACILITY_FILE
    return build(load_yaml(path, "facility catalogue"))


def name_of(ident: str, of: str = "attribute") -> str:
    """How a report names an attribute (or, ``of="type"``, a facility type) of the catalogue: its
    ``name`` in Chinese, its ``name_en`` in English (炭化室高度 / coke-chamber height), as a
    :class:`~cbcheck.i18n.message.Word`. A facility table's column may also hold a measured
    indicator (退出(关停)时间): an attribute id the facility catalogue does not know is named by the
    bundled indicator catalogue; the id itself only when neither knows it (a policy's own indicator)."""
    from cbcheck.i18n.message import Word

    cat = facility_catalogue()
    entry: FacilityType | Attribute | None = cat.types.get(ident) if of == "type" else cat.attributes.get(ident)
    if entry is not None:
        return Word(zh=entry.name, en=entry.name_en)
    if of != "type":
        from cbcheck.policy import catalogue

        indicators = catalogue()
        if ident in indicators:
            ind = indicators[ident]
            return Word(zh=ind.name, en=ind.name_en or ind.name)
    return ident
