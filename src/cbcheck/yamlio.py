"""YAML reading: safe loader only, dates kept as text so the schemas see what was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cbcheck.errors import PolicyError


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


def load_yaml(path: Path, what: str = "policy") -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{what} file not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read {what} file: {exc}", where=str(path),
                          hint="save it as UTF-8 text") from None
    return load_yaml_text(text, str(path))


def load_yaml_text(text: str, path: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a (C)SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(f"invalid YAML: {problem}", where=where) from None
