"""Neutralising strings from a submission or a policy before they reach a terminal or a markdown
viewer (issue 16, class 10).

Entity names, labels, sheet names and file names come from files anyone can write. In a text
report an ``ESC`` sequence in a 填报单位 could retitle the terminal, clear the screen or hide
lines (``\\x1b[2J``, ``\\x1b]0;…\\x07``), and a right-to-left override could make a label read
backwards; in markdown ``[点击](http://…)``, ``![p](…)`` or ``<img …>`` would render as a live
link, a remote image or HTML.

- :func:`terminal_safe` shows every C0/C1 control character except newline and tab, and the
  Unicode bidirectional controls, as a visible escape (``\\x1b``, ``\\u202e``); nothing else
  changes, so ordinary Chinese text is untouched.
- :func:`markdown_safe` backslash-escapes the characters that start inline markdown (links and
  images through their brackets, emphasis, code, strikethrough, raw HTML, table pipes) and breaks bare URLs
  (``http://``, ``www.``) with a zero-width space so that GitHub-style autolinking does not
  turn them into links. The text reads the same once rendered.
"""

from __future__ import annotations

import re

# C0 except \t and \n, DEL, C1; bidi embedding/override/isolate marks; line/paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b[31m`` → ``\\x1b[31m`` as text)."""
    return text if text.isprintable() and "\u2028" not in text else _CONTROL.sub(_visible, text)


# ``_`` only where it can open or close emphasis: pumped_storage_station stays as it is
_MD_SPECIAL = re.compile(r"([\\`*\[\]<~|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)")
ZWSP = "\u200b"


def markdown_safe(text: str) -> str:
    """``text`` as inert markdown inline content: no link, image, HTML, emphasis or code span
    can start in it, and bare URLs are not autolinked. Also terminal-safe."""
    text = terminal_safe(text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _AUTOLINK.sub(ZWSP, text)
