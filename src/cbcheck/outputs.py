"""Writing output files atomically: a temporary file beside the target, then rename.

An output that cannot be written (a read-only folder, a full disk, a folder named like a file)
is an :class:`OutputError` (exit 2, one line): the problem is the output the user named, not
the input and not a bug. Ctrl-C while writing leaves no partial file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from cbcheck.errors import UsageError
from cbcheck.i18n.message import Msg


class OutputError(UsageError):
    """An output file or folder cannot be written (exit 2)."""


def output_error(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(Msg("rest.output_cannot_write", reason=reason), where=str(path),
                       hint=Msg("rest.output_cannot_write_hint"))


def check_output_dir(path: Path) -> None:
    """``--output-dir`` must be a folder (it is created when missing)."""
    if path.exists() and not path.is_dir():
        raise OutputError(Msg("rest.output_dir_is_file"), where=str(path),
                          hint=Msg("rest.output_dir_is_file_hint"))


def write_atomic(path: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; the file gets the mode a
    plain ``open()`` would give it (0666 less the umask), not mkstemp's 0600, so colleagues and a
    web server can read reports written by cron. ``data`` may come in pieces (a streamed report),
    each written as it comes. :class:`OutputError` when it cannot be written."""
    path = Path(path)
    try:
        _write(path, data)
    except OSError as exc:
        raise output_error(path, exc) from None


def _write(path: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is chosen before the file exists, so a Ctrl-C at any point after (even
    # between the file's creation and the name reaching this frame, as mkstemp's return allowed)
    # removes it. O_CREAT's 0o666 is reduced by the umask, as a plain open() does.
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, (str, bytes)) else data:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
