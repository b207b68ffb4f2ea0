"""Large numpy passes run side by side on the machine's cores.

numpy lets go of the GIL inside its loops (comparisons, ``nonzero``, ``take``), so two threads
over two halves of a large sheet XML use two cores where the reference read (python-calamine)
uses one. Each call's result is exactly what it would be alone: the callers split the work
where the pieces are independent (reader/xmlscan.py: the ``<`` and the ``"`` located at once;
reader/xlsxcells.py: the body in parts that begin at a ``<row``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # not on Linux
        return os.cpu_count() or 1


def side_by_side(calls: list[Callable[[], Any]]) -> list[Any]:
    """Each call's result, the first in this thread and the rest in threads of their own; the
    first exception raised (in the calls' order) is raised here, after every call has ended."""
    import threading

    out: list[Any] = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def run(k: int) -> None:
        try:
            out[k] = calls[k]()
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread below
            errors[k] = exc

    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(1, len(calls))]
    for t in threads:
        t.start()
    run(0)
    for t in threads:
        t.join()
    for exc in errors:
        if exc is not None:
            raise exc
    return out
