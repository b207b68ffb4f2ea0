"""``cbcheck.toml``: defaults for ``check`` and ``template`` so a daily command stays short.

Found in the working directory or the nearest parent (the search stops at a repository
root, a folder holding ``.git``), or named by ``CBCHECK_CONFIG``. Flags always win::

    # cbcheck.toml
    policy = "jining-carbon-peak"        # bundled id, or a .yaml path relative to this file
    params = "county-targets.yaml"       # relative to this file
    lang = "zh"                          # zh | en
    format = "text"                      # the report on stdout
    output_formats = ["html", "xlsx"]    # what --output-dir writes for each file
    output_dir = "reports"               # relative to this file
    strict = false
    strict_trajectory = false
    scope = "enterprise"                 # whose files these are (county | enterprise); default: what each says
    ledger = "台账/ledger.sqlite"        # a file (relative to this file) or postgresql://… (issue 17)
    record = true                        # check records every submission in the ledger
    roster = ["济宁市任城区", "济宁市兖州区"]  # entities expected each year (缺报单位 in rollup)
    waivers = "waivers.yaml"             # approved waivers (relative to this file)

A mistake in the file (unknown key, wrong type) is a usage error (exit 2) naming the file.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from cbcheck.errors import UsageError
from cbcheck.i18n.message import Msg
from cbcheck.model import SUBMISSION_SCOPES

CONFIG_NAME = "cbcheck.toml"
ENV_VAR = "CBCHECK_CONFIG"
# key -> (type, is a path relative to the config file)
KEYS: dict[str, tuple[type, bool]] = {
    "policy": (str, False), "params": (str, True), "lang": (str, False), "format": (str, False),
    "output_formats": (list, False), "output_dir": (str, True), "strict": (bool, False),
    "strict_trajectory": (bool, False), "scope": (str, False),
    "ledger": (str, False), "record": (bool, False), "roster": (list, False), "waivers": (str, True),
}
# keys whose value is one of a few words
CHOICES: dict[str, tuple[str, ...]] = {"scope": SUBMISSION_SCOPES}


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def policy(self) -> str | None:
        """The policy as a bundled id, or as a path resolved against the config file."""
        ref = self.values.get("policy")
        if ref is None or self.path is None:
            return ref
        if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
            return str((self.path.parent / ref))
        return ref

    def ledger(self) -> str | None:
        """The ledger: a database URL as written, a file path resolved against the config file."""
        ref = self.values.get("ledger")
        if ref is None or self.path is None or "://" in ref:
            return ref
        return str(self.path.parent / Path(ref).expanduser())


def find_config(start: Path) -> Path | None:
    """The nearest ``cbcheck.toml`` from ``start`` upward, not beyond a repository root."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def load_config(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Config:
    env = os.environ if env is None else env
    named = env.get(ENV_VAR)
    if named:
        path: Path | None = Path(named)
        if path is None or not path.is_file():
            raise UsageError(Msg("cli.config_not_found", var=ENV_VAR), where=named)
    else:
        path = find_config(cwd or Path.cwd())
        if path is None:
            return Config()
    return Config(path, parse_config(path))


def parse_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(Msg("cli.config_unreadable", error=exc), where=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(Msg("cli.config_invalid_toml", error=exc), where=str(path)) from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = Msg("cli.config_did_you_mean", name=close[0]) if close else Msg("cli.config_keys",
                                                                                      keys=Msg.listing(KEYS))
            raise UsageError(Msg("cli.config_unknown_key", name=key), where=str(path), hint=hint)
        kind, is_path = KEYS[key]
        if not isinstance(value, kind) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            want = Msg("cli.config_want_" + ("list" if kind is list else {str: "str", bool: "bool"}[kind]))
            raise UsageError(Msg("cli.config_wrong_type", name=key, want=want, value=value), where=str(path))
        if key in CHOICES and value not in CHOICES[key]:
            raise UsageError(Msg("cli.config_not_one_of", name=key, value=value, names=Msg.listing(CHOICES[key])),
                             where=str(path))
        values[key] = str(path.parent / str(value)) if is_path else value
    return values
