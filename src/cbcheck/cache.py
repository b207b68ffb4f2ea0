"""A per-user cache of work that does not change between runs: policies already validated
(keyed by the policy file's sha256) and unit conversions already computed by pint.

The cache only ever saves time: an entry is used only when it names exactly the bytes it was
made from (the sha256 is stored inside the entry and compared, not trusted from the file
name) and the same validator (cbcheck's version and the sha256 of the bundled catalogues,
schemas and units file); anything unreadable is ignored and recomputed. Writes are atomic.

Where: ``$CBCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/cbcheck``, else ``~/.cache/cbcheck``.
``CBCHECK_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def enabled() -> bool:
    return os.environ.get("CBCHECK_NO_CACHE", "").strip() not in {"1", "true", "yes"}


def cache_dir() -> Path:
    explicit = os.environ.get("CBCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cbcheck"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def validator() -> str:
    """What a cached validation depends on besides the policy: cbcheck's version and the bundled
    catalogues, schemas and units definitions it was validated against."""
    from importlib import resources

    from cbcheck import __version__
    from cbcheck.policy import policies_dir

    h = hashlib.sha256(__version__.encode())
    files = [policies_dir() / "indicators.yaml", policies_dir() / "facilities.yaml"]
    pkg = Path(str(resources.files("cbcheck")))
    files += sorted((pkg / "schemas").glob("*.json")) + [pkg / "data" / "units.txt"]
    for f in files:
        try:
            h.update(f.name.encode() + b"\0" + f.read_bytes())
        except OSError:
            h.update(f.name.encode() + b"\0(missing)")
    return h.hexdigest()


def read(name: str) -> dict[str, Any] | None:
    """A cache entry (a JSON object), or None when absent, unreadable or the cache is off."""
    if not enabled():
        return None
    try:
        data = json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(name: str, data: dict[str, Any]) -> None:
    """Write an entry atomically (a temporary file renamed over it); failures are ignored: a
    read-only home or a full disk costs time on the next run, never a wrong answer."""
    if not enabled():
        return
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
