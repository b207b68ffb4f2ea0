"""Every sentence the check kinds, the series builder, the engine and the facility code say is a
:class:`~cbcheck.i18n.message.Msg` with a catalogue key: the keys the source names exist in both
catalogues with the placeholders the call fills, and a kind added at run time speaks Chinese from
its own keys, with no template to match its English."""

from __future__ import annotations

import ast
import string
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from cbcheck.checks import KINDS, Context, Kind, Outcome, Series, register
from cbcheck.checks.base import fmt
from cbcheck.checks.kind import _MESSAGES
from cbcheck.checks.trend import _DIRECTION_KEYS
from cbcheck.i18n import OPTIONAL_PLACEHOLDERS, catalogue
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import MATCHED, translate
from cbcheck.model import Rule, Status

SRC = Path(__file__).resolve().parents[1] / "src" / "cbcheck"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _keys(node: ast.expr) -> list[str] | None:
    """The catalogue key(s) a call's first argument can be: a literal, or either side of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _keys(node.body), _keys(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _calls() -> Iterator[tuple[str, int, str, list[str] | None, set[str] | None]]:
    """(file, line, Msg|Why, keys, placeholder names the call fills — None when it passes **kwargs)."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("Msg", "Why") and node.args):
                continue
            if node.func.id == "Msg":
                given = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords
                                                                                if k.arg}
            else:    # Why(key, {params}): the label comes when the value's label is known
                arg = node.args[1] if len(node.args) > 1 else None
                given = ({k.value for k in arg.keys if isinstance(k, ast.Constant)} | {"label"}
                         if isinstance(arg, ast.Dict) else {"label"} if arg is None else None)
            yield str(path.relative_to(SRC)), node.lineno, node.func.id, _keys(node.args[0]), given


def test_the_producers_say_their_sentences_by_key() -> None:
    calls = list(_calls())
    files = {f for f, *_ in calls}
    # every producer this migration covers names its sentences by key
    assert {"series.py", "engine.py", "facility_rules.py", "facility_results.py", "checks/base.py",
            "checks/level.py", "checks/change.py", "checks/trend.py", "checks/deadline.py"} <= files


def test_every_key_the_source_names_exists_in_both_catalogues_with_its_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    checked = 0
    for path, line, fn, keys, given in _calls():
        if keys is None:
            continue           # a key built at run time: checked through its tables below
        for key in keys:
            where = f"{path}:{line} {fn}({key!r})"
            assert key in en and key in zh, f"{where}: not in both catalogues"
            optional = OPTIONAL_PLACEHOLDERS.get(key, frozenset())
            assert _fields(en[key]) - optional == _fields(zh[key]) - optional, \
                f"{where}: the catalogues disagree on placeholders"
            if given is not None:
                assert given == _fields(en[key]), f"{where}: fills {sorted(given)}, the sentence has " \
                                                  f"{sorted(_fields(en[key]))}"
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("key", sorted({k for pair in _MESSAGES.values() for k in pair if k}
                                       | {k for pair in _DIRECTION_KEYS.values() for k in pair}
                                       | {f"msg.{family}{end}" for family in ("reduction_", "increase_", "growth_")
                                          for end in ("meets", "misses", "tol")}
                                       | {"msg.meets", "msg.misses", "msg.within_tol"}))
def test_keys_chosen_at_run_time_exist(key: str) -> None:
    assert key in catalogue("en") and key in catalogue("zh")


def test_a_kind_sentence_is_its_english_and_its_chinese() -> None:
    from cbcheck.checks.level import AtLeast

    rule = Rule(id="T", indicator="non_fossil_share", kind="at_least", title="t", source=None,  # type: ignore[arg-type]
                target=13.0, target_year=2025, strength="binding")
    from cbcheck.checks.base import Value

    series = Series("non_fossil_share", "非化石能源消费比重", "%",
                    {2025: Value(12.0, 2025, "%", "表1!F5", "12%")})
    out = AtLeast().judge(rule, series, Context(year=2025))
    assert out.status is Status.FAIL
    assert out.message == "2025: misses the target" and out.arithmetic == "12% vs ≥ 13%"
    assert isinstance(out.message, Msg) and out.message.text("zh") == "2025年：未达到目标"
    assert isinstance(out.arithmetic, Msg) and out.arithmetic.text("zh") == "12%，要求 ≥ 13%"


# --- a kind registered at run time, with its own sentences -----------------------------------------

_OWN = {
    "en": {"msg.not_above_max_ok": "{year}: {value} is not above the earlier maximum {top}",
           "msg.not_above_max_bad": "{year}: {value} is above the earlier maximum {top}"},
    "zh": {"msg.not_above_max_ok": "{year}年：{value} 未超过此前最高值 {top}",
           "msg.not_above_max_bad": "{year}年：{value} 超过此前最高值 {top}"},
}


@pytest.fixture
def kind_with_its_own_sentences() -> Iterator[Kind]:
    from cbcheck.schemas import validator

    @register
    class NotAboveMax(Kind):
        """not_above_max — the value stays at or below the highest value reported before."""

        name = "not_above_max"
        fields = frozenset({"base_year"})
        messages = _OWN

        def describe(self, rule: Rule, lang: str = "en") -> str:
            return "不超过历史最高值" if lang == "zh" else "not above the earlier maximum"

        def judge(self, rule: Rule, series: Series, ctx: Context) -> Outcome:
            cur = series.need(ctx.year)
            top = max(v.value for y, v in series.values.items() if y < ctx.year)
            ok = cur.value <= top
            said = Msg("msg.not_above_max_ok" if ok else "msg.not_above_max_bad", year=ctx.year,
                       value=fmt(cur.value), top=fmt(top))
            return Outcome(Status.PASS if ok else Status.FAIL, cur.value, top, "≤", f"{fmt(cur.value)} ≤ {fmt(top)}",
                           said, cur.location)

    validator.cache_clear()
    yield KINDS["not_above_max"]
    del KINDS["not_above_max"]
    for lang in ("en", "zh"):
        for key in _OWN[lang]:
            catalogue(lang).pop(key, None)
    validator.cache_clear()


def test_a_kind_registered_at_run_time_reads_chinese_without_a_template(kind_with_its_own_sentences: Kind,
                                                                        tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cbcheck.cli import app

    assert "not_above_max_ok" not in MATCHED           # no template: the English is never matched
    english = "2025: 1300 is above the earlier maximum 1250"
    assert translate(english, "zh") == english
    policy = tmp_path / "p.yaml"
    policy.write_text(yaml.safe_dump({
        "schema_version": 1, "id": "p", "title": "测试", "region": "测试市", "status": "final",
        "rules": [{"id": "T-MAX", "title": "煤炭消费量不超过历史最高值", "indicator": "coal_consumption",
                   "kind": "not_above_max", "strength": "binding", "scope": "region",
                   "source": {"section": "二", "quote": "煤炭消费量不超过历史最高值"}}]}, allow_unicode=True),
        encoding="utf-8")
    sub = tmp_path / "s.csv"
    sub.write_text("指标名称,单位,2023年,2024年,2025年\n煤炭消费量,万吨,1200,1250,1300\n", encoding="utf-8")
    zh = CliRunner().invoke(app, ["check", str(sub), "--policy", str(policy), "--lang", "zh"])
    assert zh.exit_code == 1, zh.output                  # 1300 > 1250: FAIL
    assert "2025年：1300 超过此前最高值 1250" in zh.output
    assert "earlier maximum" not in zh.output
    en = CliRunner().invoke(app, ["check", str(sub), "--policy", str(policy), "--lang", "en", "--format", "json"])
    assert english in en.output                          # json keeps the English sentence


def test_a_kind_whose_catalogues_disagree_is_refused() -> None:
    class Broken(Kind):
        name = "broken_sentences"
        messages = {"en": {"msg.broken_x": "{year}: x"}, "zh": {"msg.broken_x": "{n}年：x"}}

    with pytest.raises(RuntimeError, match="msg.broken_x"):
        register(Broken)
    assert "broken_sentences" not in KINDS and "msg.broken_x" not in catalogue("en")
