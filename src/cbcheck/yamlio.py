"""YAML reading: safe loader only, dates kept as text so the schemas see what was written.

Before anything is built, the event stream is walked once to count aliases and the nodes the
document holds with every alias expanded: a "billion laughs" file of a few hundred bytes (nine
anchors of nine aliases each) is refused there, before the schema validator walks the expanded
graph (budgets ``CBCHECK_MAX_YAML_ALIASES`` and ``CBCHECK_MAX_YAML_NODES``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cbcheck import budgets
from cbcheck.errors import PolicyError
from cbcheck.i18n.message import Msg


# libyaml's C parser when installed (several times faster on the 2,000-line catalogue); the
# same safe constructor either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    pass


# Drop the timestamp resolver: "2023-09-19" stays a string, validated by the schema.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_expansion(text: str, where: str, what: str) -> None:
    """Count aliases and expanded nodes from the parser's events (no node is built)."""
    max_aliases = budgets.limit("CBCHECK_MAX_YAML_ALIASES")
    max_nodes = budgets.limit("CBCHECK_MAX_YAML_NODES")
    sizes: dict[str | None, int] = {}               # anchor -> nodes under it, expanded (yaml types anchors optional)
    stack: list[list[Any]] = [[None, 0]]            # [anchor, nodes so far] per open collection
    aliases = total = 0

    def refuse(env: str, found: str) -> PolicyError:
        err = budgets.refuse(env, f"the {what} file {found}", where)
        return PolicyError(err.message, where=where, hint=err.hint)

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if max_aliases and aliases > max_aliases:
                raise refuse("CBCHECK_MAX_YAML_ALIASES", "uses too many aliases (*name)")
            size = sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)) and len(stack) > 1:
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
        else:
            continue
        stack[-1][1] += size
        total += size
        if max_nodes and stack[-1][1] > max_nodes:
            raise refuse("CBCHECK_MAX_YAML_NODES", "is too large with its aliases expanded")


def _kind(what: str) -> str:
    """The kind of file in the reader's language (``policy``, ``parameters``, ``waivers`` …)."""
    from cbcheck.i18n import catalogue

    key = "cli.file_kind." + what.replace(" ", "_")
    return Msg(key) if key in catalogue("en") else what


def load_yaml(path: Path, what: str = "policy") -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(Msg("cli.yaml_not_found", what=_kind(what)), where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(Msg("cli.yaml_unreadable", what=_kind(what), error=exc), where=str(path),
                          hint=Msg("cli.yaml_unreadable_hint")) from None
    return load_yaml_text(text, str(path), what)


def load_yaml_text(text: str, path: str, what: str = "policy") -> Any:
    try:
        _check_expansion(text, str(path), what)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a (C)SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(Msg("cli.yaml_invalid", problem=problem), where=where) from None
