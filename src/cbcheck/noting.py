"""Mappings that note which keys a piece of code read.

The engine hands a kind its values and afterwards asks which of them the kind looked at: the
series reader, to list the submitted values no judged rule read (never silent, cbcheck.unused),
and the fraction check, to name only the cells a verdict used (cbcheck.fractions). Both wrap a
plain ``dict``/``defaultdict``, so the kinds need not know they are watched.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterator


class _Lookups:
    """Every key looked up (``[]``, ``get``, ``in``) is added to ``noted``."""

    noted: set[Any]

    def get(self, key: Any, default: Any = None) -> Any:
        self.noted.add(key)
        return super().get(key, default)  # type: ignore[misc]

    def __getitem__(self, key: Any) -> Any:
        self.noted.add(key)
        return super().__getitem__(key)  # type: ignore[misc]

    def __contains__(self, key: object) -> bool:
        self.noted.add(key)
        return super().__contains__(key)  # type: ignore[misc]


class NotedLookups(_Lookups, defaultdict):  # type: ignore[type-arg]
    """A defaultdict noting its lookups in ``noted`` (iterating it notes nothing: a screen over
    every value is not a rule reading them)."""

    def __init__(self, factory: Callable[[], Any], noted: set[Any]) -> None:
        super().__init__(factory)
        self.noted = noted


class NotedReads(_Lookups, dict):  # type: ignore[type-arg]
    """A copy of ``values`` noting in ``noted`` every key looked up, and every key when it is
    iterated (a kind that loops over the years read them all)."""

    def __init__(self, values: dict[Any, Any], noted: set[Any]) -> None:
        super().__init__(values)
        self.noted = noted

    def _all(self) -> None:
        self.noted.update(dict.keys(self))

    def __iter__(self) -> Iterator[Any]:
        self._all()
        return super().__iter__()

    def items(self) -> Any:
        self._all()
        return super().items()

    def values(self) -> Any:
        self._all()
        return super().values()

    def keys(self) -> Any:
        self._all()
        return super().keys()
