"""JSON Schemas shipped with the package, and a validator that names fields as paths."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Iterator


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((resources.files("cbcheck.schemas") / f"{name}.schema.json").read_text("utf-8"))


@functools.cache
def validator(name: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = {n: load_schema(n) for n in ("policy", "indicators", "params", "report", "facilities")}
    registry = Registry().with_resources(
        (f"{n}.schema.json", Resource.from_contents(s)) for n, s in schemas.items()
    ).with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return Draft202012Validator(schemas[name], registry=registry)


def field_path(path: Any) -> str:
    return ".".join(str(p) for p in path) or "(top)"


def schema_errors(name: str, data: Any) -> Iterator[tuple[str, str]]:
    """Yield ``(path.to.field, message)`` for every schema violation, in document order."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        # For anyOf/oneOf, the most specific sub-error reads better.
        best = err
        if err.context:
            from jsonschema.exceptions import best_match

            best = best_match(err.context) or err
        yield field_path(err.absolute_path), best.message
