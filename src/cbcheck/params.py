"""Assigned and allocated targets: values the plan leaves to a higher authority.

``--params FILE`` (schema ``params.schema.json``) maps rule ids or indicator ids
to values, optionally per entity; ``--set RULE=VALUE`` adds one-offs on top. ``--set CLASS=是``
(``重点用能单位=是``) says instead what the enterprise is (:mod:`cbcheck.entclass`).

A value must be a finite number (``.nan``, ``.inf``, ``--set R=-inf`` are refused: an
infinite target makes any value pass) and, once the policy is known, within the range of
its rule's kind (:func:`range_problems`): a reduction or a share between 0 and 100 %, a
level, total or increase not negative.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbcheck.errors import Listing, PolicyError, UsageError
from cbcheck.i18n.message import Msg
from cbcheck.model import Policy


@dataclass(frozen=True, slots=True)
class Assigned:
    value: float
    unit: str | None
    source: str
    entry: str | None = None       # where in the params it was found: ``entities.中阳县.LL-ENERGY-TOTAL``


# An office's name ends in its department: 中阳县发展和改革局, 中阳县人民政府, 中阳县统计局 all mean 中阳县.
_OFFICE = re.compile(r"(人民政府|政府|发展和改革委员会|发展和改革局|发展改革委员会|发展改革局|发改委|发改局|统计局|"
                     r"能源局|工业和信息化局|工信局|生态环境局|办公室)$")
_CITY_PREFIX = re.compile(r"^(.{1,6}?(?:省|自治区))?(.{1,6}?市)(?=.{1,8}(?:县|区|旗|市)$)")


def entity_key(name: str | None) -> str:
    """The key an entity is matched on in a params file: office suffixes and the city prefix taken
    off (吕梁市中阳县发展和改革局 → 中阳县), spaces and brackets folded."""
    if not name:
        return ""
    from cbcheck.textnorm import nfkc

    text = re.sub(r"\s+", "", nfkc(name)).strip("()（）")
    for _ in range(2):
        text = _OFFICE.sub("", text)
    return _CITY_PREFIX.sub("", text) or text


def entity_city(name: str | None) -> str | None:
    """The city an entity names at its start, before a county, district, banner or county-level city
    (吕梁市中阳县 → 吕梁市, 晋中市介休市发展和改革局 → 晋中市), or None: 中阳县 alone, and 介休市 or 介休市统计局
    alone, where 介休市 may be a county-level city as well as a prefecture (nothing in the name says
    which, and calling it a city of its own warned every 介休市 file that it is not in 晋中市)."""
    if not name:
        return None
    text = re.sub(r"\s+", "", name)
    for _ in range(2):
        text = _OFFICE.sub("", text)
    m = _CITY_PREFIX.match(text)
    return m.group(2) if m else None


def same_entity(a: str | None, b: str | None) -> bool:
    """One county written two ways (晋中市祁县 and 祁县发展和改革局): the same :func:`entity_key`, and not
    two different cities named (阳泉市城区 and 晋城市城区 are two districts)."""
    if not a or not b:
        return False
    if a == b:
        return True
    ca, cb = entity_city(a), entity_city(b)
    return entity_key(a) == entity_key(b) and not (ca and cb and ca != cb)


@dataclass(frozen=True)
class Params:
    values: dict[str, Assigned] = field(default_factory=dict)
    entities: dict[str, dict[str, Assigned]] = field(default_factory=dict)
    roster: tuple[str, ...] = ()        # entities expected to submit (缺报单位 in cbcheck rollup)
    classes: dict[str, bool] = field(default_factory=dict)   # --set 重点用能单位=是 (cbcheck.entclass)

    def lookup(self, rule_id: str, indicator: str, entity: str | None) -> Assigned | None:
        """The value for a rule: the entity's own (its name as written, or the same entity written
        with or without the city and the office, see :func:`entity_key`), then the shared ``values``."""
        name = entity if entity in self.entities else next(
            (e for e in self.entities if entity and entity_key(e) == entity_key(entity)), None)
        scoped = self.entities.get(name or "", {})
        for table, where in ((scoped, f"entities.{name}"), (self.values, "values")):
            for key in (rule_id, indicator):
                if key in table:
                    return dataclasses.replace(table[key], entry=f"{where}.{key}")
        return None

    def with_overrides(self, overrides: dict[str, Assigned]) -> Params:
        return Params({**self.values, **overrides}, self.entities, self.roster, self.classes)

    def with_classes(self, classes: dict[str, bool]) -> Params:
        """What the enterprise is declared to be (``--set 重点用能单位=是``): see :mod:`cbcheck.entclass`."""
        return Params(self.values, self.entities, self.roster, {**self.classes, **classes})


SET_SOURCE = "--set on the command line"
MAX_PROBLEMS = 20


def _entry(raw: Any, source: str, where: str) -> Assigned:
    value, unit, src = (raw["value"], raw.get("unit"), raw.get("source", source)) if isinstance(raw, dict) \
        else (raw, None, source)
    number = float(value)
    if not math.isfinite(number):
        raise PolicyError(Msg("cli.params_not_finite", where=where, value=value),
                          hint=Msg("cli.params_not_finite_hint"))
    return Assigned(number, unit, src)


def load_params(path: Path) -> Params:
    from cbcheck.schemas import schema_errors
    from cbcheck.yamlio import load_yaml

    data = load_yaml(path, "parameters")
    problems = []
    for where, msg in schema_errors("params", data):
        problems.append(Msg("cli.schema_line", path=path, field=where, message=msg))
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise PolicyError(Listing(Msg("cli.params_invalid"), problems), where=str(path))
    src = data["source"]
    try:
        return Params(
            {k: _entry(v, src, f"values.{k}") for k, v in (data.get("values") or {}).items()},
            {e: {k: _entry(v, src, f"entities.{e}.{k}") for k, v in vals.items()}
             for e, vals in (data.get("entities") or {}).items()},
            tuple(data.get("roster") or ()),
        )
    except PolicyError as exc:
        raise PolicyError(exc.message, where=str(path), hint=exc.hint) from None


def parse_set(items: list[str]) -> dict[str, Assigned]:
    """``RULE=VALUE`` or ``RULE=VALUE UNIT`` from the command line."""
    from cbcheck.entclass import declarations

    out: dict[str, Assigned] = {}
    for item in declarations(items)[1]:     # 重点用能单位=是 declares a class: see parse_classes
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(Msg("cli.set_not_pair", item=item), hint=Msg("cli.set_example"))
        number, _, unit = value.strip().partition(" ")
        try:
            parsed = float(number)
        except ValueError:
            raise UsageError(Msg("cli.set_not_number", item=item, number=number), hint=Msg("cli.set_example")) from None
        if not math.isfinite(parsed):
            raise UsageError(Msg("cli.set_not_finite", item=item, number=number), hint=Msg("cli.set_example"))
        out[key.strip()] = Assigned(parsed, unit.strip() or None, SET_SOURCE)
    return out


def parse_classes(items: list[str]) -> dict[str, bool]:
    """``--set CLASS=是/否`` items: what the enterprise declares it is (``重点用能单位=是``,
    ``key_logistics=no``); the other items are targets (:func:`parse_set`)."""
    from cbcheck.entclass import declarations

    return declarations(items)[0]


def value_problem(rule: Any, value: float) -> str | None:
    """Why ``value`` cannot be a target of ``rule`` (its kind and unit), or None."""
    percent = (rule.unit or "").strip() in {"%", "％"}
    if rule.kind == "reduction_vs_base" and percent and not 0 < value < 100:
        return Msg("cli.params_reduction_range", value=f"{value:g}")
    if rule.kind in {"at_least", "at_most", "between", "increase_vs_base"} and value < 0:
        return Msg("cli.params_negative", value=f"{value:g}", kind=rule.kind)
    if rule.kind in {"at_least", "at_most", "between"} and percent and value > 100:
        return Msg("cli.params_share_over", value=f"{value:g}")
    return None


def range_problems(params: Params, policy: Policy) -> list[tuple[str, str, bool]]:
    """(where, problem, from --set) for every value out of its rule's range."""
    rules = {r.id: r for r in policy.rules}
    by_indicator = {r.indicator: r for r in policy.rules if r.assigned}
    tables = [("values", params.values)] + [(f"entities.{e}", t) for e, t in params.entities.items()]
    out = []
    for where, table in tables:
        for key, given in table.items():
            rule = rules.get(key) or by_indicator.get(key)
            problem = rule and value_problem(rule, given.value)
            if problem:
                out.append((f"{where}.{key}", problem, given.source == SET_SOURCE))
    return out


def check_ranges(params: Params, policy: Policy, path: Path | None) -> None:
    """Refuse a value out of its rule's range before anything is judged with it."""
    problems = range_problems(params, policy)
    if not problems:
        return
    where, problem, from_set = problems[0]
    if from_set:
        raise UsageError(Msg("cli.set_problem", rule=where.split(".", 1)[1], problem=problem),
                         hint=Msg("cli.set_problem_hint"))
    raise PolicyError(Msg("cli.at", where=where, message=problem), where=str(path) if path else None,
                      hint=Msg("cli.params_problem_hint"))


def unknown_key_error(params: Params, sets: dict[str, Assigned], policy: Policy,
                      params_file: str | None) -> UsageError | None:
    """A mistyped rule id or indicator in ``--set`` or a ``--params`` file: an error naming it, with
    the nearest names, so that a typo never passes as 'target not supplied' (exit 2, before checking)."""
    import difflib

    known = sorted({r.id for r in policy.rules} | {r.indicator for r in policy.rules})
    places = [(k, "--set") for k in sets] + [(k, f"{params_file or '--params'}: values") for k in params.values
                                             if k not in sets]
    places += [(k, f"{params_file or '--params'}: entities.{e}") for e, t in params.entities.items() for k in t]
    bad = []
    for key, where in places:
        if key in known:
            continue
        near = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
        said = Msg("cli.params_unknown_key", where=where, name=key, policy=policy.id)
        bad.append(Msg("cli.with_near", message=said, names=" / ".join(near)) if near else said)
    if not bad:
        return None
    return UsageError(Msg.join(bad), hint=Msg("cli.params_unknown_key_hint", policy=policy.id))


def lint_params(params: Params, policy: Policy) -> list[str]:
    """Keys that name no rule or indicator of the policy, values for rules that are not
    assigned, and units of the wrong dimension."""
    from cbcheck import units
    from cbcheck.errors import UnitError

    rules = {r.id: r for r in policy.rules}
    by_indicator = {r.indicator: r for r in policy.rules if r.assigned}
    problems: list[str] = []
    tables = [("values", params.values)] + [(f"entities.{e}", t) for e, t in params.entities.items()]
    for where, table in tables:
        for key, given in table.items():
            rule = rules.get(key) or by_indicator.get(key)
            if rule is None:
                problems.append(Msg("cli.at", where=f"{where}.{key}",
                                    message=Msg("cli.params_no_rule", policy=policy.id, name=key)))
                continue
            if not rule.assigned:
                problems.append(Msg("cli.at", where=f"{where}.{key}",
                                    message=Msg("cli.params_not_assigned", rule=rule.id, target=rule.target)))
            if (problem := value_problem(rule, given.value)) is not None:
                problems.append(Msg("cli.at", where=f"{where}.{key}", message=problem))
            if given.unit and rule.unit:
                try:
                    units.convert(given.value, given.unit, rule.unit)
                except UnitError as exc:
                    problems.append(f"{where}.{key}: {exc.message}")
    return problems
