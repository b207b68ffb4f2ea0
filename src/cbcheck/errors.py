"""One error hierarchy for everything that stops an evaluation.

Non-compliance is never an exception: it is a finding. These are raised only
when a file cannot be read or a policy cannot be used, and every message says
where (file, sheet, cell) and what to do.

A message or hint that is a :class:`~cbcheck.i18n.message.Msg` (or a :class:`Listing` of them)
is shown in the reader's language by :meth:`CbcheckError.text`; ``str()`` is the English line.
"""

from __future__ import annotations

from typing import Any, Iterable

from cbcheck.exitcodes import Exit


class CbcheckError(Exception):
    """Base class. ``exit_code`` is what the CLI returns for it."""

    exit_code: int = Exit.INPUT

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The one line in ``lang``: ``where: message — hint`` (``where：message；hint`` in Chinese).
        Parts that are plain strings are shown as written."""
        if lang == "en":
            message = one_line(self.message)
            text = f"{self.where}: {message}" if self.where else message
            return text + (f" — {one_line(self.hint, MAX_HINT)}" if self.hint else "")
        from cbcheck.i18n import messages

        m = messages(lang)
        text = one_line(in_lang(self.message, lang), lang=lang)
        if self.where:
            text = m("cli.where", where=in_lang(self.where, lang), message=text)
        if self.hint:
            text = m("cli.with_hint", message=text, hint=one_line(in_lang(self.hint, lang), MAX_HINT, lang))
        return text


MAX_MESSAGE = 600       # characters of one error line (a schema error can quote megabytes)
MAX_HINT = 300
MAX_ITEMS = 3           # problems listed in one line ("… and N more")


def in_lang(text: Any, lang: str) -> str:
    """``text`` in ``lang`` when it knows how (a ``Msg``, a :class:`Listing`), else as written."""
    return text.text(lang) if hasattr(text, "text") and callable(text.text) else str(text)


def error_text(exc: BaseException, lang: str) -> str:
    """An error's one line in ``lang`` (:meth:`CbcheckError.text`; another exception as it says)."""
    return exc.text(lang) if isinstance(exc, CbcheckError) else str(exc)


class Listing(str):
    """A head and its items (each a ``str`` or a ``Msg``), shown as ``head:\n  a\n  b`` —
    which :func:`one_line` turns into ``head: a; b`` — in the language asked for."""

    head: Any
    items: tuple[Any, ...]

    def __new__(cls, head: Any, items: Iterable[Any]) -> Listing:
        items = tuple(items)
        self = super().__new__(cls, "\n  ".join([str(head), *map(str, items)]))
        self.head, self.items = head, items
        return self

    def text(self, lang: str) -> str:
        return "\n  ".join([in_lang(self.head, lang), *(in_lang(i, lang) for i in self.items)])


def one_line(text: str, limit: int = MAX_MESSAGE, lang: str = "en") -> str:
    """An error message as one line: a listing (``head:\n  a\n  b``) becomes ``head: a; b``
    with at most :data:`MAX_ITEMS` items, control characters are shown escaped, and the
    whole is cut at ``limit`` characters."""
    head, *items = [part.strip() for part in str(text).split("\n")]
    items = [i for i in items if i]
    if not items:
        return _cut(_visible(head), limit)
    zh = lang == "zh"
    more = ""
    if len(items) > MAX_ITEMS:
        more = f"（另有 {len(items) - MAX_ITEMS} 项）" if zh else f" (and {len(items) - MAX_ITEMS} more)"
    head = _cut(_visible(head.rstrip(":：")), limit // 3)
    room = max(40, (limit - len(head) - len(more)) // min(len(items), MAX_ITEMS) - 2)
    shown = ("；" if zh else "; ").join(_cut(_visible(i), room) for i in items[:MAX_ITEMS])
    return f"{head}{'：' if zh else ': '}{shown}{more}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _visible(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


class UsageError(CbcheckError):
    """The command line itself is wrong (exit 2)."""

    exit_code: int = Exit.USAGE


class PolicyError(CbcheckError):
    """A policy file is missing, malformed or inconsistent (exit 3)."""


class SubmissionError(CbcheckError):
    """A submission cannot be read or evaluated (exit 3)."""


class UnitError(CbcheckError):
    """A unit is unknown or of the wrong dimension."""
