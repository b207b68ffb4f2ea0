"""A pyarrow stream's record batches parsed in a thread of its own, a few ahead of the caller
(reader/faststream.py: the groups of a facility CSV judged as it streams)."""

from __future__ import annotations

import os
from typing import Any, Iterator


def threaded() -> bool:
    """Whether the parser runs in a thread of its own (``CBCHECK_STREAM_THREAD``)."""
    return os.environ.get("CBCHECK_STREAM_THREAD", "1").strip().lower() not in {"0", "no", "false", "off"}


AHEAD = 4       # record batches parsed ahead of the one taken (~1 MiB of Arrow's a few rows wide)


def batches(stream: Any) -> Iterator[Any]:
    """The stream's record batches, parsed in a thread of its own a few batches ahead while the
    caller writes, settles and judges the ones before (pyarrow parses without the GIL): the wall
    time of a streamed check is about the longer of the two, not their sum. An error of the
    parser is raised here, at the batch it stopped at; a caller that stops early stops the thread."""
    if not threaded():
        yield from stream
        return
    import queue
    import threading

    ahead: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    end = object()

    def parse() -> None:
        try:
            for batch in stream:
                while not stop.is_set():
                    try:
                        ahead.put(batch, timeout=0.05)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            got: Any = end
        except BaseException as exc:       # raised in the caller's thread, at its batch
            got = exc
        while not stop.is_set():
            try:
                ahead.put(got, timeout=0.05)
                return
            except queue.Full:
                continue

    thread = threading.Thread(target=parse, name="cbcheck-csv-parse", daemon=True)
    thread.start()
    try:
        while True:
            got = ahead.get()
            if got is end:
                return
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        thread.join()
