"""The command bodies' guard: user mistakes become one line on stderr and an exit code, a bug one
line naming it (its traceback with ``--debug``, which ``cbcheck.cli`` sets here)."""

from __future__ import annotations

import traceback
from typing import Callable

import typer

from cbcheck.exitcodes import Exit

_debug = False
_lang: str | None = None        # the report language, once the command knows it (errors are said in it)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _guard(body: Callable[[], int]) -> None:
    """Run a command body; user mistakes become one line on stderr and an exit code."""
    from cbcheck.errors import CbcheckError

    try:
        code = body()
    except CbcheckError as exc:
        from cbcheck.i18n import detect_lang

        _err(f"cbcheck: error: {exc.text(_lang or detect_lang())}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err("cbcheck: interrupted")
        raise typer.Exit(Exit.INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug, not a user mistake
        if _debug:
            traceback.print_exc()
        _err(f"cbcheck: internal error: {type(exc).__name__}: {exc} "
             "(this is a bug; rerun with --debug for the traceback and report it)")
        raise typer.Exit(Exit.INTERNAL) from None
    raise typer.Exit(code)
