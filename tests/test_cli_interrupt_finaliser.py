"""A Ctrl-C that lands inside a finaliser (``ZipFile.__del__`` while a batch closes a workbook) is not
printed with a traceback on stderr: the run's handler noted it and stops after the file (the hostile
corpus's Ctrl-C test failed about half the time with "Exception ignored ... Traceback")."""

from __future__ import annotations

import sys
import types

import pytest

from cbcheck import cli


def _args(exc: BaseException) -> types.SimpleNamespace:
    return types.SimpleNamespace(exc_type=type(exc), exc_value=exc, exc_traceback=None, err_msg=None, object=None)


def test_a_ctrl_c_in_a_finaliser_is_not_printed(capsys: pytest.CaptureFixture[str]) -> None:
    cli._unraisable(_args(KeyboardInterrupt()))
    assert capsys.readouterr().err == ""


def test_other_unraisable_errors_are_said_as_python_says_them(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "__unraisablehook__", lambda a: seen.append(a.exc_type))
    cli._unraisable(_args(ValueError("x")))
    assert seen == [ValueError]


def test_main_installs_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "app", lambda **kw: None)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)     # main sets it; restored after
    cli.main()
    assert sys.unraisablehook is cli._unraisable
