"""The installed ``cbcheck`` as a real process: in a pseudo-terminal (colour, the terminal's width,
the batch progress bar on stderr) and in a pipe (stdout carries the report and nothing else).

CliRunner cannot show these: it replaces the streams, so ``isatty()`` and the terminal size are
never those a user's shell or cron gives the process.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import selectors
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
FAIL_XLSX = str(ROOT / "examples" / "jining-county-fail.xlsx")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def cbcheck_cmd() -> list[str]:
    """The console script installed next to this interpreter (pip install -e .), else ``-m cbcheck``."""
    script = Path(sys.executable).with_name("cbcheck")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cbcheck"]


def process_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR", "TERM", "CBCHECK_CONFIG"}}
    env.update({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}, **extra)   # English: the assertions read it
    return env


def _pty(cols: int, rows: int = 50) -> tuple[int, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return master, slave


def run_in_pty(args: list[str], cols: int, cwd: Path = ROOT) -> tuple[str, str, int]:
    """Run with stdout and stderr on two terminals of ``cols`` columns; (stdout, stderr, exit code)."""
    out_m, out_s = _pty(cols)
    err_m, err_s = _pty(cols)
    proc = subprocess.Popen(cbcheck_cmd() + args, stdin=subprocess.DEVNULL, stdout=out_s, stderr=err_s,
                            cwd=cwd, env=process_env(), close_fds=True)
    os.close(out_s)
    os.close(err_s)
    chunks: dict[int, list[bytes]] = {out_m: [], err_m: []}
    sel = selectors.DefaultSelector()
    for fd in chunks:
        sel.register(fd, selectors.EVENT_READ)
    open_fds = set(chunks)
    while open_fds:
        for key, _ in sel.select(timeout=60):
            try:
                data = os.read(key.fd, 65536)
            except OSError:        # EIO: the child closed its end
                data = b""
            if data:
                chunks[key.fd].append(data)
            else:
                sel.unregister(key.fd)
                open_fds.discard(key.fd)
    code = proc.wait(timeout=60)
    for fd in chunks:
        os.close(fd)
    return (b"".join(chunks[out_m]).decode("utf-8", "replace"),
            b"".join(chunks[err_m]).decode("utf-8", "replace"), code)


def widest(text: str) -> int:
    return max(cell_len(ANSI.sub("", line).rstrip()) for line in text.replace("\r\n", "\n").split("\n"))


def test_terminal_report_is_coloured_and_fits_the_terminal_width() -> None:
    narrow, err, code = run_in_pty(["check", FAIL_XLSX, "--policy", "jining-carbon-peak"], cols=90)
    assert code == 1, err                       # the example is non-compliant
    assert "\x1b[" in narrow                    # colour on a terminal
    assert widest(narrow) <= 90
    wide, _, code = run_in_pty(["check", FAIL_XLSX, "--policy", "jining-carbon-peak"], cols=160)
    assert code == 1
    assert 90 < widest(wide) <= 160              # the report uses the room the terminal has
    assert ANSI.sub("", narrow).count("FAIL") == ANSI.sub("", wide).count("FAIL") > 0


def test_no_color_flag_on_a_terminal_gives_plain_text() -> None:
    out, _, code = run_in_pty(["check", FAIL_XLSX, "--policy", "jining-carbon-peak", "--no-color"], cols=120)
    assert code == 1
    assert "\x1b[" not in out and "FAIL" in out


def test_batch_progress_bar_goes_to_stderr_on_a_terminal(tmp_path: Path) -> None:
    for name in ("jining-county-pass.xlsx", "jining-county-fail.xlsx", "jining-county-long-gbk.csv"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    out, err, code = run_in_pty(["check", str(tmp_path), "--policy", "jining-carbon-peak", "--year", "2025",
                                 "--quiet"], cols=100)
    assert code == 1, err
    plain_err = ANSI.sub("", err)
    assert re.search(r"cbcheck ━+ 0/3", plain_err), err[:500]   # the bar: label, bar, files done/all
    assert re.search(r"cbcheck ━+ 3/3", plain_err)                # ... and it reaches the end
    assert "━" not in out and "/3" not in ANSI.sub("", out)              # never on stdout
    assert "3 files: 1 non-compliant · 2 compliant (exit 1)" in ANSI.sub("", out)   # the summary is on stdout


def test_piped_json_stdout_is_exactly_the_report(tmp_path: Path) -> None:
    for name in ("jining-county-pass.xlsx", "jining-county-fail.xlsx"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    proc = subprocess.run(cbcheck_cmd() + ["check", str(tmp_path), "--policy", "jining-carbon-peak",
                                           "--format", "json"],
                          capture_output=True, env=process_env(), cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr.decode()
    doc = json.loads(proc.stdout.decode("utf-8"))     # the whole of stdout is one JSON document
    assert doc["exit"] == 1 and [Path(f["path"]).name for f in doc["files"]] == [
        "jining-county-fail.xlsx", "jining-county-pass.xlsx"]
    assert b"\x1b" not in proc.stdout and b"\x1b" not in proc.stderr
    assert "━".encode() not in proc.stderr          # no progress bar when stderr is not a terminal


def test_piped_text_report_has_no_terminal_codes() -> None:
    proc = subprocess.run(cbcheck_cmd() + ["check", FAIL_XLSX, "--policy", "jining-carbon-peak"],
                          capture_output=True, env=process_env(), cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    text = proc.stdout.decode("utf-8")
    assert "\x1b" not in text and "FAIL" in text
    assert proc.stderr == b""


@pytest.mark.parametrize("columns,widest_allowed", [("80", 80), ("100", 100), (None, 120)])
def test_piped_zh_report_honours_columns(columns: str | None, widest_allowed: int) -> None:
    """`COLUMNS=80 cbcheck check … | less`: a piped report is laid out for the width the user set,
    counting a Chinese character as two cells; without COLUMNS, the plain width (120)."""
    extra = {"LANG": "zh_CN.UTF-8"} | ({"COLUMNS": columns} if columns else {})
    proc = subprocess.run(cbcheck_cmd() + ["check", FAIL_XLSX, "--policy", "jining-carbon-peak"],
                          capture_output=True, env=process_env(**extra), cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    text = proc.stdout.decode("utf-8")
    assert "\x1b" not in text and "未达标" in text
    assert widest(text) <= widest_allowed
    assert widest(text) > widest_allowed - 10          # the width is used, not a narrower default


@pytest.mark.parametrize("args", [
    ["check", FAIL_XLSX, "--policy", "jining-carbon-peak", "--year", "2025", "--format", "json"],
    ["check", FAIL_XLSX, "--policy", "jining-carbon-peak", "--year", "2025", "--lang", "zh"],
    ["policy", "show", "jining-carbon-peak"],
])
def test_reader_gone_exits_141_without_a_word(args: list[str]) -> None:
    """``cbcheck … | head`` once head has what it wants: stdout's reader closed before the report
    was written. The shell's convention for that is 128 + SIGPIPE and silence; before, the broken
    pipe was reported as an internal error (exit 4, "这是程序缺陷…")."""
    read, write = os.pipe()
    os.close(read)                        # nobody will ever read: the first write fails with EPIPE
    proc = subprocess.run(cbcheck_cmd() + args, stdin=subprocess.DEVNULL, stdout=write, stderr=subprocess.PIPE,
                          cwd=ROOT, env=process_env())
    os.close(write)
    assert proc.returncode == 141, proc.stderr.decode()
    assert proc.stderr == b""
