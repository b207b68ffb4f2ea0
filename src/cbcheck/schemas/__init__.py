"""JSON Schemas shipped with the package, and a validator that names fields as paths."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Iterator

from cbcheck.i18n.message import Msg


def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema; the policy schema gets its per-kind part from the registered check kinds."""
    schema = json.loads((resources.files("cbcheck.schemas") / f"{name}.schema.json").read_text("utf-8"))
    if name == "policy":
        from cbcheck.checks import KINDS

        rule = schema["$defs"]["rule"]
        rule["properties"]["kind"] = {**rule["properties"]["kind"], "enum": sorted(KINDS)}
        rule["allOf"] = [kind.schema() for _, kind in sorted(KINDS.items())]
    return schema


@functools.cache
def validator(name: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = {n: load_schema(n) for n in ("policy", "indicators", "params", "report", "facilities", "waivers")}
    registry = Registry().with_resources(
        (f"{n}.schema.json", Resource.from_contents(s)) for n, s in schemas.items()
    ).with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return Draft202012Validator(schemas[name], registry=registry)


def field_path(path: Any) -> str:
    return ".".join(str(p) for p in path) or "(top)"


def schema_errors(name: str, data: Any) -> Iterator[tuple[str, Msg]]:
    """Yield ``(path.to.field, message)`` for every schema violation, in document order; the
    message is a catalogue sentence (:mod:`cbcheck.schemas.said`)."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        # For anyOf/oneOf, the most specific sub-error reads better.
        best = err
        options = err.schema.get("anyOf") if err.validator == "anyOf" and isinstance(err.schema, dict) else None
        if options and all(set(o) == {"required"} and len(o["required"]) == 1 for o in options):
            yield field_path(err.absolute_path), Msg("schema.needs_one_of",
                                                     names=Msg.listing(o["required"][0] for o in options))
            continue
        if err.context:
            from jsonschema.exceptions import best_match

            best = best_match(err.context) or err
        yield _located(best, data)


def _located(err: Any, data: Any) -> tuple[str, Msg]:
    """(field, message) from jsonschema's fields, except where they say nothing to a policy author:
    a field a rule's kind does not take fails a ``false`` schema that names neither field nor kind."""
    from cbcheck.schemas.said import said

    path = list(err.absolute_path)
    if err.schema is False and len(path) == 2 and path[0] == "rules" and isinstance(data, dict):
        from cbcheck.checks.kind import KIND_FIELDS, KINDS

        rule = data["rules"][path[1]]
        kind = KINDS.get(rule.get("kind", ""))
        extra = [f for f in KIND_FIELDS if kind is not None and f in rule and f not in kind.fields]
        if kind is not None and extra:
            takes = Msg.listing(sorted(kind.fields)) if kind.fields else Msg("schema.none")
            return field_path(path + [extra[0]]), Msg("schema.kind_field", field=extra[0], kind=kind.name, takes=takes)
    return field_path(path), said(err)
