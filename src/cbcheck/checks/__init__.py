"""Check kinds: one registered object each (see :mod:`cbcheck.checks.kind`).

Every module in this package that defines a ``@register`` class adds a kind; the package
imports them all, so adding a kind is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil

from cbcheck.checks.base import Context, Outcome, Series, Unavailable, Value
from cbcheck.checks.kind import KINDS, FacilityColumn, Kind, Verdict, describe, register

_SUPPORT = {"base", "kind"}
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _SUPPORT:
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["KINDS", "Context", "FacilityColumn", "Kind", "Outcome", "Series", "Unavailable", "Value", "Verdict",
           "describe", "register"]
