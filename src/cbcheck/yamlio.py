"""YAML reading: safe loader only, dates kept as text so the schemas see what was written.

Before anything is built, the event stream is walked once to count aliases and the nodes the
document holds with every alias expanded: a "billion laughs" file of a few hundred bytes (nine
anchors of nine aliases each) is refused there, before the schema validator walks the expanded
graph (budgets ``CBCHECK_MAX_YAML_ALIASES`` and ``CBCHECK_MAX_YAML_NODES``).

What a file parsed to is remembered in the per-user cache (:mod:`cbcheck.cache`) under the
sha256 of its text, as JSON: a 150-rule policy and the 2,000-line indicator catalogue cost
~60 ms of parsing on every check, their JSON ~5 ms. An entry is used only for the very text it
names (the sha256 is compared inside the entry) and only when the alias and node counts it
records are within today's budgets; a document JSON cannot carry exactly (keys that are not
text, NaN, binary) or that uses aliases is never stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import functools

from cbcheck import budgets
from cbcheck.errors import PolicyError
from cbcheck.i18n.message import Msg


class DuplicateKey(Exception):
    """A mapping gives one key twice (where: the second)."""

    def __init__(self, key: Any, mark: Any) -> None:
        super().__init__(key)
        self.key, self.mark = key, mark


@functools.cache
def _loader() -> Any:
    """libyaml's C parser when installed (several times faster on the 2,000-line catalogue); the
    same safe constructor either way. Built on first use: a warm check finds every file it reads
    in the cache and does not import yaml at all."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            # PyYAML keeps the last of two equal keys in silence: a params file with `entities:`
            # twice lost the first county table, a policy with `value:` twice its first value
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue                  # `<<: *defaults` may be overridden: that is its use
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise DuplicateKey(key, key_node.start_mark)
                    seen.add(key)
                except TypeError:             # an unhashable key: the base constructor says so
                    pass
            return super().construct_mapping(node, deep)

    # Drop the timestamp resolver: "2023-09-19" stays a string, validated by the schema.
    _Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def _check_expansion(text: str, where: str, what: str) -> tuple[int, int]:
    """Count aliases and expanded nodes from the parser's events (no node is built); the counts
    (aliases, largest expanded collection) when they are within the budgets."""
    max_aliases = budgets.limit("CBCHECK_MAX_YAML_ALIASES")
    max_nodes = budgets.limit("CBCHECK_MAX_YAML_NODES")
    sizes: dict[str | None, int] = {}               # anchor -> nodes under it, expanded (yaml types anchors optional)
    stack: list[list[Any]] = [[None, 0]]            # [anchor, nodes so far] per open collection
    aliases = total = largest = 0

    def refuse(env: str, found: str) -> PolicyError:
        err = budgets.refuse(env, Msg(found, what=_kind(what)), where)
        return PolicyError(err.message, where=where, hint=err.hint)

    import yaml

    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if max_aliases and aliases > max_aliases:
                raise refuse("CBCHECK_MAX_YAML_ALIASES", "rest.found_yaml_aliases")
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
        largest = max(largest, stack[-1][1])
        if max_nodes and stack[-1][1] > max_nodes:
            raise refuse("CBCHECK_MAX_YAML_NODES", "rest.found_yaml_nodes")
    return aliases, largest


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
    from cbcheck import cache

    digest = cache.sha256(text.encode("utf-8", "surrogatepass"))
    remembered = _remembered(digest)
    if remembered is not None:
        return remembered
    import yaml

    try:
        aliases, nodes = _check_expansion(text, str(path), what)
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a (C)SafeLoader
    except DuplicateKey as dup:
        raise PolicyError(Msg("cli.yaml_duplicate_key", name=str(dup.key)),
                          where=f"{path}:{dup.mark.line + 1}:{dup.mark.column + 1}",
                          hint=Msg("cli.yaml_duplicate_key_hint")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        # yaml's own words (did not find expected ',' or ']') stay as the detail: they name the token
        raise PolicyError(Msg("cli.yaml_invalid", problem=problem), where=where,
                          hint=Msg("cli.yaml_invalid_hint")) from None
    _remember(digest, data, aliases, nodes)
    return data


_FORMAT = 1      # of a cache entry; a change of layout makes old entries unused


def _remembered(digest: str) -> Any:
    """What the text with this sha256 parsed to, if the cache holds it and the budgets allow it."""
    from cbcheck import cache

    entry = cache.read(f"yaml/{digest}.json")
    if entry is None or entry.get("sha256") != digest or entry.get("format") != _FORMAT or "data" not in entry:
        return None
    aliases, nodes = entry.get("aliases"), entry.get("nodes")
    if not isinstance(aliases, int) or not isinstance(nodes, int):
        return None
    max_aliases = budgets.limit("CBCHECK_MAX_YAML_ALIASES")
    max_nodes = budgets.limit("CBCHECK_MAX_YAML_NODES")
    if (max_aliases and aliases > max_aliases) or (max_nodes and nodes > max_nodes):
        return None                  # parsed again, and refused there with the usual message
    return entry["data"]


def _remember(digest: str, data: Any, aliases: int, nodes: int) -> None:
    """Store the parsed document when JSON gives back exactly what YAML built. A document with
    aliases is not stored: YAML shares one object between the anchor and its aliases, JSON
    would give copies."""
    import json

    from cbcheck import cache

    if aliases or not cache.enabled():
        return
    try:
        same = _exact(json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False)), data)
    except (TypeError, ValueError, RecursionError):
        return
    if same:
        cache.write(f"yaml/{digest}.json", {"sha256": digest, "format": _FORMAT, "aliases": aliases,
                                            "nodes": nodes, "data": data})


def _exact(a: Any, b: Any) -> bool:
    """Equal with the same types all the way down (1 == 1.0 == True for ``==``, not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_exact(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_exact(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
