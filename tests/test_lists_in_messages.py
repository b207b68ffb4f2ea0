"""A list inside a message is a Msg.listing, so each language lists its own way (、 in Chinese,
", " in English): a list joined with ", " before the language is known printed
`可选：zh, en` and `任城区, 邹城市` in Chinese reports. This reads every source file."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "cbcheck"


def _comma_joins(tree: ast.AST) -> list[int]:
    """Lines where `", ".join(...)` is given as an argument of a call (Msg(...), m(...), a hint)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "join"
                    and isinstance(arg.func.value, ast.Constant) and arg.func.value.value == ", "):
                lines.append(arg.lineno)
    return sorted(lines)


def test_no_list_in_a_message_is_joined_with_a_comma_before_the_language_is_known() -> None:
    found = {str(p.relative_to(SRC)): lines for p in sorted(SRC.rglob("*.py"))
             if (lines := _comma_joins(ast.parse(p.read_text("utf-8"))))}
    assert found == {}, f"use Msg.listing(items) for a list inside a message: {found}"


def test_the_check_finds_what_it_is_for() -> None:
    sample = ('raise UsageError(Msg("cli.one_of", names=", ".join(FORMATS)))\nprint(", ".join(x))\n'
              'Msg("template.future_year", years=",".join(years))\n')    # an option's value echoed as typed
    assert _comma_joins(ast.parse(sample)) == [1, 2]
