"""A drafted rule's ``review`` items, read back in either language.

``cbcheck policy draft`` writes each item in the language of its ``--lang`` (Chinese by default);
drafts written before then hold English. ``policy lint`` shows every item in the reader's
language: an item is matched against the ``draft.review.*`` sentences of both catalogues and,
when one matches, said again from its key with what filled it. An item a human has reworded is
shown as written.
"""

from __future__ import annotations

import functools
import re
import string
from typing import Any

from cbcheck.i18n import LANGS, catalogue
from cbcheck.i18n.message import Msg

_PREFIX = "draft.review."
# placeholders that hold a sentence of their own, and the keys it may be
_NESTED = {"where": ("applies_guess", "applies_add"), "source": ("category_from_made", "category_from_names")}
# placeholders that hold alternatives (Msg.either): "approximate or binding" / "approximate 或 binding"
_EITHER = re.compile(r" or | 或 ")


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(key, full-match pattern) for every review sentence in every language, the most literal first."""
    out: list[tuple[int, str, re.Pattern[str]]] = []
    for lang in LANGS:
        for key, text in catalogue(lang).items():
            if not key.startswith(_PREFIX):
                continue
            parts, seen, literal = [], set(), 0
            for lit, name, _, _ in string.Formatter().parse(text):
                parts.append(re.escape(lit))
                literal += len(lit)
                if name:
                    parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                    seen.add(name)
            out.append((literal, key[len(_PREFIX):], re.compile("".join(parts), re.S)))
    out.sort(key=lambda t: -t[0])
    return [(key, rx) for _, key, rx in out]


def recognise(item: str, keys: tuple[str, ...] | None = None) -> str:
    """``item`` as the :class:`Msg` it was written from, or as written when no sentence matches."""
    for key, rx in _patterns():
        if keys is not None and key not in keys:
            continue
        m = rx.fullmatch(item)
        if m is None:
            continue
        params: dict[str, Any] = {}
        for name, value in m.groupdict().items():
            if name in _NESTED:
                params[name] = recognise(value, _NESTED[name])
            elif name == "allowed":
                params[name] = Msg.either(_EITHER.split(value))
            else:
                params[name] = value
        return Msg(_PREFIX + key, **params)
    return item
