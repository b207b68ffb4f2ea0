"""Units: parsing, dimensions and conversion, backed by pint and ``data/units.txt``.

pint is imported on first use only, so ``cbcheck --help`` never pays for it.
Chinese and ASCII spellings both parse (万千瓦, MW, 吨标准煤/万元, tce/万元, gce/kWh).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from cbcheck.errors import UnitError
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.textnorm import nfkc

if TYPE_CHECKING:  # pragma: no cover
    import pint

# Spellings that pint's tokenizer cannot take as they are.
_REWRITES = (
    (re.compile(r"%"), " percent "),
    (re.compile(r"‰"), " permille "),
    (re.compile(r"m²"), "m2"),
    (re.compile(r"m³"), "m3"),
    (re.compile(r"µg/m3|μg/m3|ug/m3"), " microgram / cubic_meter "),
    (re.compile(r"二氧化碳|CO2|co2|当量"), ""),  # 吨二氧化碳 is a mass of CO2
    (re.compile(r"[·•]"), " * "),
    (re.compile(r"每"), " / "),
)
_ALIASES = {
    "": "dimensionless",
    "无": "dimensionless",
    "倍": "dimensionless",
    "比值": "dimensionless",
    "一": "dimensionless",
}


@functools.cache
def registry() -> pint.UnitRegistry:
    import pint  # deferred: ~0.2 s of imports

    path = resources.files("cbcheck") / "data" / "units.txt"
    with resources.as_file(path) as real:
        ureg: Any = pint.UnitRegistry(str(real), autoconvert_offset_to_baseunit=False,
                                 on_redefinition="raise")
    return ureg


def _prepare(text: str) -> str:
    s = nfkc(text).strip()
    if s in _ALIASES:
        return _ALIASES[s]
    for pattern, repl in _REWRITES:
        s = pattern.sub(repl, s)
    s = s.replace("／", "/").strip()
    return _ALIASES.get(s, s) or "dimensionless"


@functools.cache
def parse_unit(text: str) -> Any:
    """Return the pint unit for ``text`` or raise :class:`UnitError`."""
    ureg = registry()
    try:
        return ureg.parse_units(_prepare(text))
    except Exception as exc:  # pint raises several unrelated types
        raise UnitError(Msg("rest.unit_unknown", unit=text), hint=Msg("rest.unit_unknown_hint")) from exc


def is_known(text: str) -> bool:
    return _remembered("known", text, lambda: _parses(text))


def _parses(text: str) -> bool:
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


@functools.cache
def dimension(text: str) -> str:
    """A readable dimension name, e.g. ``[power]`` or ``[heat] / [currency]``."""
    dim = parse_unit(text).dimensionality
    return str(dim) if dim else "dimensionless"


_POWERS = {" ** 2": "²", " ** 3": "³", " ** -1": "⁻¹", " ** -2": "⁻²", " ** -3": "⁻³"}


def _shown(dim: str) -> str:
    """pint's dimension as a reader writes it: ``[length] ** 2`` → ``[length]²`` (in every language)."""
    for written, power in _POWERS.items():
        dim = dim.replace(written, power)
    return dim


def same_dimension(a: str, b: str) -> bool:
    return _remembered("same", f"{a}\x1f{b}", lambda: parse_unit(a).dimensionality == parse_unit(b).dimensionality)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` or raise :class:`UnitError` naming both dimensions."""
    if nfkc(from_unit).strip() == nfkc(to_unit).strip():
        return value
    return value * _remembered("factor", f"{from_unit}\x1f{to_unit}", lambda: _factor(from_unit, to_unit))


def _factor(from_unit: str, to_unit: str) -> float:
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(
            Msg("rest.unit_cannot_convert", unit=from_unit, dim=phrase(_shown(dimension(from_unit))), to=to_unit,
                to_dim=phrase(_shown(dimension(to_unit)))),
            hint=Msg("rest.unit_cannot_convert_hint", want=to_unit),
        )
    return float(registry().Quantity(1.0, src).to(dst).magnitude)


# --- what pint said, remembered across runs ----------------------------------------------------------
# Building pint's registry costs ~0.2-0.4 s of imports and parsing on every run, for a handful of
# conversions that never change. Their results (factors, known units, same dimension or not) are
# kept in the per-user cache (:mod:`cbcheck.cache`) under the sha256 of units.txt, checked inside
# the entry; pint is imported only for a spelling not seen before. Errors are never remembered.

_memory: dict[str, Any] | None = None
_dirty = False


def _units_sha256() -> str:
    from cbcheck import cache

    return cache.sha256((resources.files("cbcheck") / "data" / "units.txt").read_bytes())


def _memo() -> dict[str, Any]:
    global _memory
    if _memory is None:
        from cbcheck import cache

        digest = _units_sha256()
        entry = cache.read(f"units-{digest[:16]}.json")
        if entry is None or entry.get("units_sha256") != digest or not all(
                isinstance(entry.get(k), dict) for k in ("factor", "known", "same")):
            entry = {"units_sha256": digest, "factor": {}, "known": {}, "same": {}}
        _memory = entry
    return _memory


def _remembered(table: str, key: str, compute: Any) -> Any:
    global _dirty
    memo = _memo()[table]
    if key in memo:
        return memo[key]
    value = compute()                        # may raise UnitError: not remembered
    memo[key] = value
    if not _dirty:
        import atexit

        _dirty = True
        atexit.register(save_memo)
    return value


def save_memo() -> None:
    """Write what pint said this run to the cache (atomic; called at exit)."""
    global _dirty
    if _memory is not None and _dirty:
        from cbcheck import cache

        cache.write(f"units-{_memory['units_sha256'][:16]}.json", _memory)
        _dirty = False


# Dimension names used by the indicator catalogue, each with a reference unit.
# "date" and "boolean" are not physical and are handled outside pint.
DIMENSIONS: dict[str, str] = {
    "share": "%",
    "ratio": "dimensionless",
    "share_difference": "个百分点",
    "power": "万千瓦",
    "electricity": "亿千瓦时",
    "heat": "万吨标准煤",
    "mass": "万吨",
    "currency": "亿元",
    "count": "个",
    "length": "米",
    "area": "万平方米",
    "volume": "亿立方米",
    "time": "年",
    "energy_intensity": "吨标准煤/万元",
    "carbon_intensity": "吨/万元",
    "transport_carbon_intensity": "千克/(吨*公里)",   # CO2 per converted tonne-km
    "specific_energy": "千克标准煤/吨",
    "supply_coal_consumption": "克标准煤/千瓦时",
    "concentration": "微克/立方米",
    "production_rate": "万吨/年",
    "mass_per_count": "吨/个",
    "electricity_per_area": "千瓦时/平方米",
    "heat_per_area": "千克标准煤/平方米",
    "heat_per_electricity": "千克标准煤/千瓦时",
}
NON_PHYSICAL = frozenset({"date", "boolean"})


def unit_has_dimension(unit: str, dimension_name: str) -> bool:
    ref = DIMENSIONS.get(dimension_name)
    if ref is None:
        raise UnitError(Msg("rest.unit_unknown_dimension", dimension=dimension_name),
                        hint=Msg("rest.one_of", names=Msg.listing(sorted(DIMENSIONS) + sorted(NON_PHYSICAL))))
    return same_dimension(unit, ref)
