"""Budgets: how much of the machine one input file may take (README "Safety").

A cron job over a drop folder must survive whatever lands in it, so every input is read
under limits on its size, its unpacked size, its rows, columns, cells and merged cells,
the YAML nodes and aliases of a policy or parameters file, and the seconds one file may
take. Each limit is an environment variable; an exceeded one is a one-line refusal that
names the limit and the variable that raises it (:func:`refuse`).

Sizes take ``K``/``M``/``G`` suffixes (``CBCHECK_MAX_BYTES=500M``); counts take plain
numbers (``CBCHECK_MAX_ROWS=500000``); ``0`` switches a count or the time limit off.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from cbcheck.errors import SubmissionError, UsageError
from cbcheck.i18n.message import Msg


@dataclass(frozen=True)
class Budget:
    env: str
    default: int
    what: str               # "bytes", "rows", ... for the message
    doc: str
    size: bool = False      # takes K/M/G suffixes


_M = 1024 * 1024
BUDGETS = {b.env: b for b in (
    Budget("CBCHECK_MAX_BYTES", 200 * _M, "bytes", "a submission file on disk", size=True),
    Budget("CBCHECK_MAX_UNZIPPED", 1024 * _M, "bytes", "an xlsx unpacked, all parts together", size=True),
    Budget("CBCHECK_MAX_MEMBER", 256 * _M, "bytes", "one part of an xlsx unpacked (a sheet's XML)", size=True),
    Budget("CBCHECK_MAX_RATIO", 200, "times", "unpacked/packed size of an xlsx part over 10 MiB (zip bombs)"),
    Budget("CBCHECK_MAX_SHEETS", 256, "sheets", "worksheets in a workbook"),
    Budget("CBCHECK_MAX_ROWS", 200_000, "rows", "rows of one worksheet"),
    Budget("CBCHECK_MAX_CSV_ROWS", 5_000_000, "rows", "rows of a CSV file"),
    Budget("CBCHECK_MAX_COLUMNS", 1_024, "columns", "columns holding values in one worksheet or CSV file"),
    Budget("CBCHECK_MAX_CELLS", 2_000_000, "cells", "cells of one worksheet"),
    Budget("CBCHECK_MAX_MERGED_CELLS", 100_000, "cells", "cells covered by merged ranges in one worksheet"),
    Budget("CBCHECK_MAX_YAML_NODES", 1_000_000, "nodes", "nodes of a policy or parameters file, aliases expanded"),
    Budget("CBCHECK_MAX_YAML_ALIASES", 100, "aliases", "YAML aliases (*name) in a policy or parameters file"),
    Budget("CBCHECK_MAX_SECONDS", 120, "seconds", "time to read and check one file (the batch goes on)"),
)}

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


def limit(env: str) -> int:
    """The limit in force: the environment variable, else the default. 0 means no limit for counts."""
    budget = BUDGETS[env]
    raw = os.environ.get(env)
    if raw is None or not raw.strip():
        return budget.default
    m = _SIZE.match(raw)
    if not m or (m.group(2) and not budget.size):
        example = "500M" if budget.size else str(budget.default * 2)
        raise UsageError(Msg("rest.budget_not_size" if budget.size else "rest.budget_not_number", env=env, raw=raw),
                         hint=Msg("rest.budget_example", env=env, example=example))
    return int(m.group(1)) * 1024 ** " kmg".index(m.group(2).lower() or " ")


def exceeded(env: str, value: int) -> bool:
    cap = limit(env)
    return cap > 0 and value > cap


class BudgetExceeded(SubmissionError):
    """An input is over one of the budgets. Passes through every "damaged file" handler."""


def refuse(env: str, found: str, where: str) -> BudgetExceeded:
    """The one-line refusal: what was found, the limit, and how to raise it."""
    budget = BUDGETS[env]
    cap = limit(env)
    return BudgetExceeded(Msg("rest.budget_over", found=found, cap=f"{cap:,}", what=Msg(f"rest.budget_{budget.what}"),
                              env=env), where=where, hint=Msg("rest.budget_over_hint", env=env))


def check(env: str, value: int, found: str, where: str) -> None:
    if exceeded(env, value):
        raise refuse(env, found, where)


@contextlib.contextmanager
def time_limit(where: str) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in the main thread when one file takes longer than
    ``CBCHECK_MAX_SECONDS`` (a watchdog for batches; a no-op off the main thread or Windows)."""
    seconds = limit("CBCHECK_MAX_SECONDS")
    if (seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise refuse("CBCHECK_MAX_SECONDS", Msg("rest.found_seconds", seconds=seconds), where)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def table() -> list[tuple[str, str, str]]:
    """(variable, default, what it limits) for the README and ``--help``."""
    def shown(b: Budget) -> str:
        if b.size:
            return f"{b.default // _M}M"
        return f"{b.default:,}"
    return [(b.env, shown(b), b.doc) for b in BUDGETS.values()]
