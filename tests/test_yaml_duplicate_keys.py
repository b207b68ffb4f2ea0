"""A key given twice in one mapping is refused at its second place, in zh and en: PyYAML keeps the
last in silence, so a params file with ``entities:`` twice lost the first counties' allocations and
a policy with ``value:`` twice in a rule judged against the second number without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.errors import PolicyError
from cbcheck.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parents[1]

# (text, the key named, line:column of its second place) — None: loads
CASES = [
    ("entities:\n  A县: {R: 1}\nentities:\n  B县: {R: 2}\n", "entities", "3:1"),
    ("rules:\n  - id: R\n    value: 13\n    unit: '%'\n    value: 15\n", "value", "5:5"),
    ("a: 1\nb: {x: 1, y: 2, x: 3}\n", "x", "2:17"),
    ("2025: 1\n'2025': 2\n", None, None),                       # an int and a text: two keys
    ("base: &b {value: 1, unit: '%'}\nrule:\n  <<: *b\n  value: 2\n", None, None),   # a merge is overridden
    ("a: 1\nb:\n  a: 2\n", None, None),                          # the same key at two levels
]


@pytest.mark.parametrize(("text", "key", "where"), CASES)
def test_a_key_given_twice_is_refused_where_it_is_given_again(text: str, key: str | None, where: str | None) -> None:
    if key is None:
        load_yaml_text(text, "f.yaml", "parameters")
        return
    with pytest.raises(PolicyError) as caught:
        load_yaml_text(text, "f.yaml", "parameters")
    assert caught.value.where == f"f.yaml:{where}"
    assert f"“{key}”" in caught.value.message.text("zh") and "两次" in caught.value.message.text("zh")
    assert f"“{key}”" in caught.value.message.text("en")


@pytest.mark.parametrize(("lang", "said"), [("zh", "键“entities”在同一层级出现了两次"),
                                             ("en", "the key “entities” is given twice")])
def test_the_rollup_refuses_a_params_file_with_entities_twice(tmp_path: Path, lang: str, said: str) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("entities:\n  济宁市兖州区:\n    JN-SOLAR-2030: 88\n"
                      "entities:\n  济宁市曲阜市:\n    JN-SOLAR-2030: 95\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["rollup", "-p", "jining-carbon-peak", "-y", "2025", str(ROOT / "examples/city/2025"),
                                 "--params", str(params), "--lang", lang])
    assert r.exit_code == 3
    assert said in r.output and f"{params}:4:1" in r.output
    assert "Traceback" not in r.output
