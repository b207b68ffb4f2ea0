"""User-facing words of the report layer, one catalogue per language (``en.yaml``, ``zh.yaml``).

Renderers and the CLI ask for a :class:`Messages` and look strings up by key::

    m = messages("zh")
    m("status.FAIL")                 # 未达标
    m("text.exit", code=1)           # 退出码 1

Keys are the same in every catalogue (a test checks it, placeholders included). Findings'
``message`` and ``arithmetic`` come from the engine in English and are translated by
:mod:`cbcheck.i18n.phrases` through the ``msg``/``term`` sections.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from typing import Any, Mapping

LANGS = ("zh", "en")
# Placeholders a language may leave out on purpose (the catalogues otherwise name the same ones;
# tests check it): the facility type's id beside its name is useful in English
# ("coal-fired unit (coal_power_unit)") and noise in a Chinese report (燃煤发电机组).
OPTIONAL_PLACEHOLDERS: dict[str, frozenset[str]] = {"msg.facility_kind": frozenset({"id"})}
# The readers are Chinese officials: a report is Chinese unless something asks for English.
DEFAULT_LANG = "zh"
_SAYS_NOTHING = ("c", "posix")


def detect_lang(env: Mapping[str, str] | None = None) -> str:
    """The language of the user's locale: LC_ALL / LC_MESSAGES / LANG (the first one set, as
    POSIX orders them) starting with ``zh`` → ``zh``, another language → ``en``. No locale, or
    the C/POSIX locale (cron, containers, ``LANG=C.UTF-8``), says nothing about the reader: the
    default, Chinese."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            if value.split(".")[0].lower() in _SAYS_NOTHING:
                return DEFAULT_LANG
            return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT_LANG


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language as flat ``section.key`` -> text (parsed by libyaml's C loader,
    remembered by sha256 in the per-user cache: :func:`cbcheck.yamlio.load_yaml_text`)."""
    if lang not in LANGS:
        from cbcheck.errors import UsageError
        from cbcheck.i18n.message import Msg

        raise UsageError(Msg("cli.unknown_language", lang=lang), hint=Msg("cli.unknown_language_hint",
                                                                         langs=Msg.listing(LANGS)))
    from cbcheck.yamlio import load_yaml_text

    text = (resources.files("cbcheck.i18n") / f"{lang}.yaml").read_text("utf-8")
    return _flatten(load_yaml_text(text, f"cbcheck/i18n/{lang}.yaml", "message catalogue"))


@dataclass(frozen=True)
class Messages:
    lang: str

    def __call__(self, key: str, **kw: Any) -> str:
        text = catalogue(self.lang)[key]
        if not kw:
            return text
        from cbcheck.i18n.message import fill

        return fill(text, self.lang, kw)

    def get(self, key: str, default: str) -> str:
        """A key that may not exist (e.g. ``status.<value>`` for a value added later)."""
        return catalogue(self.lang).get(key, default)


def messages(lang: str) -> Messages:
    catalogue(lang)          # fail early on an unknown language
    return Messages(lang)
