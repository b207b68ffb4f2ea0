"""The command bodies' guard: user mistakes become one line on stderr and an exit code, a bug one
line naming it (its traceback with ``--debug``, which ``cbcheck.cli`` sets here).

Every line is in the reader's language (:func:`language`): ``--lang`` once a command has read it
(:func:`use_lang`), else ``lang`` in cbcheck.toml, else the locale (Chinese when it says nothing).
click's own usage errors ("No such option", "Missing argument") are worded here too
(:class:`Group`), from the exception's fields, not from its English text.
"""

from __future__ import annotations

import re
import sys
import traceback
from typing import Any, Callable, Sequence

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from cbcheck.exitcodes import Exit
from cbcheck.i18n.message import Msg

_debug = False
LANG_OPTION_HELP = "zh | en (default: cbcheck.toml, else the locale; Chinese when it says nothing)."
_lang: str | None = None          # the command's --lang, once it has been read


def _err(message: str) -> None:
    typer.echo(message, err=True)


def use_lang(lang: str | None) -> None:
    """The language asked for on the command line (ignored when it is not one we have)."""
    from cbcheck.i18n import LANGS

    global _lang
    if lang in LANGS:
        _lang = lang


def language() -> str:
    """The language of the CLI's own lines: --lang, else cbcheck.toml's ``lang``, else the locale."""
    from cbcheck.i18n import LANGS, detect_lang

    if _lang:
        return _lang
    try:
        from cbcheck.config import load_config

        configured = load_config().get("lang")
    except Exception:            # the config itself may be what went wrong
        configured = None
    return configured if configured in LANGS else detect_lang()


def say(key: str, **kw: Any) -> str:
    """A CLI line from the catalogues in the reader's language."""
    from cbcheck.i18n import messages

    return messages(language())(key, **kw)


def _stdout_gone() -> None:
    """``cbcheck … | head`` once head has what it wants: nobody is reading, so nothing to say. What is
    still buffered goes to /dev/null, or Python's flush at exit would fail again and print its own
    "Exception ignored" lines (the recipe of the signal module's documentation)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):       # stdout already closed, or not a real file (a test's capture)
        pass


def _guard(body: Callable[[], int]) -> None:
    """Run a command body; user mistakes become one line on stderr and an exit code."""
    from cbcheck.errors import CbcheckError

    try:
        code = body()
    except CbcheckError as exc:
        lang = language()
        _err(say("cli.error", text=exc.text(lang)))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err(say("cli.interrupted"))
        raise typer.Exit(Exit.INTERRUPTED) from None
    except BrokenPipeError:
        _stdout_gone()
        raise typer.Exit(Exit.PIPE) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug, not a user mistake
        if _debug:
            traceback.print_exc()
        _err(say("cli.internal", error=f"{type(exc).__name__}: {exc}"))
        raise typer.Exit(Exit.INTERNAL) from None
    raise typer.Exit(code)


# --- click's usage errors ---------------------------------------------------------------------
# typer ships click (as ``click`` before 0.20, as ``typer._click`` after): its classes are taken
# from the module of the exception typer exports, so both work.

_CLICK = sys.modules[typer.BadParameter.__module__.rsplit(".", 1)[0]]
_UsageError: type[Exception] = _CLICK.exceptions.UsageError


def _argv_lang(args: Sequence[str]) -> None:
    """``--lang X`` / ``--lang=X`` among the raw arguments: a usage error is raised before the
    command has read its options, and should still be in the language asked for."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            use_lang(args[i + 1])
        elif arg.startswith("--lang="):
            use_lang(arg.split("=", 1)[1])


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    if isinstance(param, TyperOption):
        return next((o for o in param.opts if o.startswith("--")), param.opts[0])
    return (param.name or "").upper()


def usage_line(exc: Any, lang: str) -> str:
    """click's usage error as our one line: what is wrong, then what to do."""
    from cbcheck.i18n import messages

    m = messages(lang)
    ex = _CLICK.exceptions
    if isinstance(exc, ex.NoSuchOption):
        text = m("cli.click.no_such_option", option=exc.option_name)
        if exc.possibilities:
            text += m("cli.click.did_you_mean", names=Msg.listing(sorted(exc.possibilities)))
    elif isinstance(exc, ex.MissingParameter):
        kind = "argument" if isinstance(exc.param, TyperArgument) else "option"
        text = m(f"cli.click.missing_{kind}", name=_param_name(exc.param))
    elif isinstance(exc, ex.BadParameter):
        text = m("cli.click.bad_value", name=_param_name(exc.param), detail=_bad_value_detail(exc, lang))
    elif isinstance(exc, ex.BadOptionUsage):
        text = m("cli.click.bad_option", option=exc.option_name)
    elif match := re.match(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?", exc.message):
        text = m("cli.click.no_such_command", name=match.group(1))
        if match.group(2):
            text += m("cli.click.did_you_mean", names=match.group(2).replace("'", ""))
    elif match := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", exc.message):
        text = m("cli.click.extra_arguments", args=match.group(1))
    else:
        text = exc.message if lang == "en" else m("cli.click.other", detail=exc.message)
    path = exc.ctx.command_path if exc.ctx is not None else "cbcheck"
    return m("cli.error", text=m("cli.with_hint", message=text, hint=m("cli.click.see_help", command=path)))


def _bad_value_detail(exc: Any, lang: str) -> str:
    """What the value should be, for the types our options have (click and typer word it
    differently from version to version); anything else as the library words it."""
    from cbcheck.i18n import messages

    said = str(exc.message).lower()
    kind = str(getattr(getattr(exc.param, "type", None), "name", "")).lower()  # click's "integer", "float"
    if "integer" in (kind, said) or "integer" in said or "valid int" in said:
        return messages(lang)("cli.click.not_an_integer")
    if kind == "float" or "float" in said or "number" in said:
        return messages(lang)("cli.click.not_a_number")
    return str(exc.message)


class _LocalUsageError(_UsageError):  # type: ignore[misc,valid-type]
    """A click usage error that shows itself as one line in the reader's language (exit 2)."""

    def __init__(self, original: Any) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original

    def show(self, file: Any = None) -> None:
        _err(usage_line(self.original, language()))


def _local(exc: Exception) -> Exception:
    """``exc`` worded by us, unless it is ours already or click's "no arguments: show the help"."""
    if isinstance(exc, _LocalUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
        return exc
    return _LocalUsageError(exc)


class Group(TyperGroup):
    """The root command group: click's usage errors, from the root or any subcommand, are
    re-raised as :class:`_LocalUsageError` so click prints our line instead of its own."""

    def make_context(self, info_name: Any, args: list[str], parent: Any = None, **extra: Any) -> Any:
        global _lang
        if parent is None:          # a new command line (tests run many in one process)
            _lang = None
        _argv_lang(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _UsageError as exc:
            raise _local(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _UsageError as exc:
            raise _local(exc) from None
