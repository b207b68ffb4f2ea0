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
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class UsageError(CbcheckError):
    """The command line itself is wrong (exit 2)."""

    exit_code: int = Exit.USAGE


class PolicyError(CbcheckError):
    """A policy file is missing, malformed or inconsistent (exit 3)."""


class SubmissionError(CbcheckError):
    """A submission cannot be read or evaluated (exit 3)."""


class UnitError(CbcheckError):
    """A unit is unknown or of the wrong dimension."""
