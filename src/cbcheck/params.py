"""Assigned and allocated targets: values the plan leaves to a higher authority.

``--params FILE`` (schema ``params.schema.json``) maps rule ids or indicator ids
to values, optionally per entity; ``--set RULE=VALUE`` adds one-offs on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbcheck.errors import PolicyError, UsageError
from cbcheck.model import Policy


@dataclass(frozen=True, slots=True)
class Assigned:
    value: float
    unit: str | None
    source: str


@dataclass(frozen=True)
class Params:
    values: dict[str, Assigned] = field(default_factory=dict)
    entities: dict[str, dict[str, Assigned]] = field(default_factory=dict)
    roster: tuple[str, ...] = ()        # entities expected to submit (缺报单位 in cbcheck rollup)

    def lookup(self, rule_id: str, indicator: str, entity: str | None) -> Assigned | None:
        scoped = self.entities.get(entity or "", {})
        for table in (scoped, self.values):
            for key in (rule_id, indicator):
                if key in table:
                    return table[key]
        return None

    def with_overrides(self, overrides: dict[str, Assigned]) -> Params:
        return Params({**self.values, **overrides}, self.entities, self.roster)


def _entry(raw: Any, source: str) -> Assigned:
    if isinstance(raw, dict):
        return Assigned(float(raw["value"]), raw.get("unit"), raw.get("source", source))
    return Assigned(float(raw), None, source)


def load_params(path: Path) -> Params:
    from cbcheck.schemas import schema_errors
    from cbcheck.yamlio import load_yaml

    data = load_yaml(path, "parameters")
    problems = [f"{path}::{where}: {msg}" for where, msg in schema_errors("params", data)]
    if problems:
        raise PolicyError("parameters file is invalid:\n  " + "\n  ".join(problems), where=str(path))
    src = data["source"]
    return Params(
        {k: _entry(v, src) for k, v in (data.get("values") or {}).items()},
        {e: {k: _entry(v, src) for k, v in vals.items()} for e, vals in (data.get("entities") or {}).items()},
        tuple(data.get("roster") or ()),
    )


def parse_set(items: list[str]) -> dict[str, Assigned]:
    """``RULE=VALUE`` or ``RULE=VALUE UNIT`` from the command line."""
    out: dict[str, Assigned] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"--set {item!r} is not RULE=VALUE", hint="e.g. --set JN-CO2-2025=20.5")
        number, _, unit = value.strip().partition(" ")
        try:
            out[key.strip()] = Assigned(float(number), unit.strip() or None, "--set on the command line")
        except ValueError:
            raise UsageError(f"--set {item!r}: {number!r} is not a number") from None
    return out


def lint_params(params: Params, policy: Policy) -> list[str]:
    """Keys that name no rule or indicator of the policy, values for rules that are not
    assigned, and units of the wrong dimension."""
    from cbcheck import units
    from cbcheck.errors import UnitError

    rules = {r.id: r for r in policy.rules}
    by_indicator = {r.indicator: r for r in policy.rules if r.assigned}
    problems = []
    tables = [("values", params.values)] + [(f"entities.{e}", t) for e, t in params.entities.items()]
    for where, table in tables:
        for key, given in table.items():
            rule = rules.get(key) or by_indicator.get(key)
            if rule is None:
                problems.append(f"{where}.{key}: no rule or assigned indicator of {policy.id} is called {key!r}")
                continue
            if not rule.assigned:
                problems.append(f"{where}.{key}: rule {rule.id} has its target in the plan ({rule.target}); "
                                "a parameter would be ignored")
            if given.unit and rule.unit:
                try:
                    units.convert(given.value, given.unit, rule.unit)
                except UnitError as exc:
                    problems.append(f"{where}.{key}: {exc.message}")
    return problems
