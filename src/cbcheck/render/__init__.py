"""Renderers, one per output format, registered by name in :data:`FORMATS`.

A renderer is a module with ``render(report, opts) -> str | bytes``; modules are imported
only when their format is used, so ``--help`` and a plain text check stay fast. Text
formats return ``str`` (written as UTF-8), binary formats (xlsx, docx) return ``bytes`` and are
never printed to a terminal or pipe: they need ``--output``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cbcheck.i18n import DEFAULT_LANG, Messages

if TYPE_CHECKING:
    from cbcheck.catalogue import Catalogue
    from cbcheck.model import Report


@dataclass(frozen=True)
class RenderOptions:
    """How to render: language, terminal colour and width, and the indicator catalogue
    (for English indicator names and charts; the bundled one when not given)."""

    lang: str = DEFAULT_LANG
    color: bool = False
    width: int | None = None
    show_all: bool = False          # text: also list rules that do not apply (NOT_APPLICABLE)
    all_facilities: bool = False    # json: list passing facilities too (default: counted only)
    catalogue: Catalogue | None = field(default=None, compare=False)

    @property
    def m(self) -> Messages:
        return Messages(self.lang)

    def with_catalogue(self, cat: Catalogue | None) -> RenderOptions:
        from dataclasses import replace

        return replace(self, catalogue=cat) if cat is not None else self

    def cat(self) -> Catalogue:
        if self.catalogue is not None:
            return self.catalogue
        from cbcheck.policy import catalogue

        return catalogue()


@dataclass(frozen=True)
class Format:
    name: str
    module: str                    # cbcheck.render.<module> has render(report, opts)
    extensions: tuple[str, ...]
    binary: bool = False

    def render(self, report: Report, opts: RenderOptions | None = None) -> str | bytes:
        mod: Any = importlib.import_module(f"cbcheck.render.{self.module}")
        return mod.render(report, opts or RenderOptions())

    def pieces(self, report: Report, opts: RenderOptions | None = None) -> Iterable[str | bytes]:
        """The report in pieces to be written as they come, for a renderer that has ``pieces``
        (text or UTF-8 bytes) or ``stream`` (json: a million facility entries are never one
        string); else one piece."""
        mod: Any = importlib.import_module(f"cbcheck.render.{self.module}")
        stream = getattr(mod, "pieces", None) or getattr(mod, "stream", None)
        return stream(report, opts or RenderOptions()) if stream is not None else [self.render(report, opts)]


FORMATS: dict[str, Format] = {
    "text": Format("text", "text", (".txt",)),
    "json": Format("json", "jsonfmt", (".json",)),
    "markdown": Format("markdown", "markdown", (".md", ".markdown")),
    "html": Format("html", "html", (".html", ".htm")),
    "junit": Format("junit", "junit", (".xml",)),
    "csv": Format("csv", "csvfmt", (".csv",)),
    "xlsx": Format("xlsx", "xlsx", (".xlsx",), binary=True),
    "docx": Format("docx", "docx", (".docx",), binary=True),
}
EXTENSIONS = {ext: f.name for f in FORMATS.values() for ext in f.extensions}


def format_name(name: str) -> str:
    """A format by name, or by its usual extension (``md``, ``txt``, ``xml``); unknown names
    are returned as given for the caller to reject."""
    key = name.strip().lower()
    return key if key in FORMATS else EXTENSIONS.get(f".{key.lstrip('.')}", key)


def format_for_path(path: Any, default: str) -> str:
    """The format an output file's extension asks for, else ``default``."""
    from pathlib import Path

    return EXTENSIONS.get(Path(path).suffix.lower(), default)


def render(fmt: str, report: Report, opts: RenderOptions | None = None) -> str | bytes:
    return FORMATS[fmt].render(report, opts)


def render_pieces(fmt: str, report: Report, opts: RenderOptions | None = None) -> Iterable[str | bytes]:
    return FORMATS[fmt].pieces(report, opts)
