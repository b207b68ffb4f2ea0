"""A schema violation as a sentence of the catalogues (``schema.*``), from jsonschema's fields —
the validator that failed, its value and the instance — never from jsonschema's English text.

The English keeps jsonschema's wording where a test or a user may know it ("'source' is a
required property", "'cagr' is not one of …"); the Chinese says the same for a policy author. A
validator not listed here (``format``, ``dependentRequired`` …) is said generically, with
jsonschema's text as the detail.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from cbcheck.i18n.message import Msg

MAX_SHOWN = 60        # characters of a value quoted in a message (a wrong type may be a whole mapping)


def shown(value: Any) -> str:
    """A value as the file writes it: YAML's null/true/false, Python's repr otherwise, cut short."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _required(err: Any) -> Msg:
    m = re.match(r"^(.*) is a required property$", err.message, re.S)
    missing = [name for name in err.validator_value if isinstance(err.instance, dict) and name not in err.instance]
    name = missing[0] if missing else (m.group(1).strip("'\"") if m else "?")
    for candidate in missing:              # one error per missing property: the one this message names
        if m and m.group(1) == repr(candidate):
            name = candidate
    return Msg("schema.required", name=name)


def _additional(err: Any) -> Msg:
    props = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
    patterns = err.schema.get("patternProperties", {}) if isinstance(err.schema, dict) else {}
    extra = [k for k in (err.instance or {}) if k not in props and not any(re.search(p, k) for p in patterns)]
    return Msg("schema.additional", names=Msg.listing(repr(k) for k in extra))


def _type(err: Any) -> Msg:
    types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    return Msg("schema.type", value=shown(err.instance), types=Msg.either(Msg(f"schema.type_name.{t}") for t in types))


def _min_length(err: Any) -> Msg:
    if err.validator_value == 1:
        return Msg("schema.empty", value=shown(err.instance))
    return Msg("schema.too_short", value=shown(err.instance), n=err.validator_value)


_SAID: dict[str, Callable[[Any], Msg]] = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "minLength": _min_length,
    "enum": lambda e: Msg("schema.enum", value=shown(e.instance), options=Msg.listing(map(str, e.validator_value))),
    "const": lambda e: Msg("schema.const", value=shown(e.validator_value)),
    "pattern": lambda e: Msg("schema.pattern", value=shown(e.instance), pattern=e.validator_value),
    "minItems": lambda e: Msg("schema.min_items", n=e.validator_value),
    "maxItems": lambda e: Msg("schema.max_items", n=e.validator_value),
    "minProperties": lambda e: Msg("schema.min_properties", n=e.validator_value),
    "minimum": lambda e: Msg("schema.minimum", value=shown(e.instance), n=e.validator_value),
    "maximum": lambda e: Msg("schema.maximum", value=shown(e.instance), n=e.validator_value),
    "exclusiveMinimum": lambda e: Msg("schema.exclusive_minimum", value=shown(e.instance), n=e.validator_value),
    "exclusiveMaximum": lambda e: Msg("schema.exclusive_maximum", value=shown(e.instance), n=e.validator_value),
    "uniqueItems": lambda e: Msg("schema.unique", value=shown(e.instance)),
}
_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")


def said(err: Any) -> Msg:
    """The violation ``err`` (a jsonschema ``ValidationError``) as a catalogue sentence."""
    if err.schema is False:
        return Msg("schema.not_allowed")
    if err.validator == "type" and not all(t in _TYPES for t in
                                           (err.validator_value if isinstance(err.validator_value, list)
                                            else [err.validator_value])):
        return Msg("schema.other", detail=err.message)
    how = _SAID.get(str(err.validator))
    return how(err) if how else Msg("schema.other", detail=err.message)
