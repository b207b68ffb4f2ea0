"""Renderers, one per output format, looked up by name. Each turns a Report into text."""

from __future__ import annotations

from typing import Callable

from cbcheck.model import Report

Renderer = Callable[..., str]


def _text(report: Report, **kw: object) -> str:
    from cbcheck.render.text import render

    return render(report, **kw)  # type: ignore[arg-type]


def _json(report: Report, **kw: object) -> str:
    from cbcheck.render.jsonfmt import render

    return render(report)


def _markdown(report: Report, **kw: object) -> str:
    from cbcheck.render.markdown import render

    return render(report)


RENDERERS: dict[str, Renderer] = {"text": _text, "json": _json, "markdown": _markdown}
EXTENSIONS = {".txt": "text", ".json": "json", ".md": "markdown"}
