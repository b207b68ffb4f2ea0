"""One error hierarchy for everything that stops an evaluation.

Non-compliance is never an exception: it is a finding. These are raised only
when a file cannot be read or a policy cannot be used, and every message says
where (file, sheet, cell) and what to do.
"""

from __future__ import annotations

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
        """The one line in ``lang``: a message or hint given as a catalogue ``Msg`` is rendered in it."""
        def say(value: str) -> str:
            return value.text(lang) if hasattr(value, "text") and hasattr(value, "key") else value

        message = one_line(say(self.message))
        text = f"{self.where}: {message}" if self.where else message
        if self.hint:
            text += f" — {one_line(say(self.hint), MAX_HINT)}"
        return text


MAX_MESSAGE = 600       # characters of one error line (a schema error can quote megabytes)
MAX_HINT = 300
MAX_ITEMS = 3           # problems listed in one line ("… and N more")


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """An error message as one line: a listing (``head:\n  a\n  b``) becomes ``head: a; b``
    with at most :data:`MAX_ITEMS` items, control characters are shown escaped, and the
    whole is cut at ``limit`` characters."""
    head, *items = [part.strip() for part in str(text).split("\n")]
    items = [i for i in items if i]
    if not items:
        return _cut(_visible(head), limit)
    more = f" (and {len(items) - MAX_ITEMS} more)" if len(items) > MAX_ITEMS else ""
    head = _cut(_visible(head.rstrip(":")), limit // 3)
    room = max(40, (limit - len(head) - len(more)) // min(len(items), MAX_ITEMS) - 2)
    shown = "; ".join(_cut(_visible(i), room) for i in items[:MAX_ITEMS])
    return f"{head}: {shown}{more}"


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
