"""What a facility report says of a column, a scope or a kind is in the reader's words: a column
the table lacks is named as the catalogues name it (退出(关停)时间, never facility_retirement_date)
with what to do, on every engine; no English article is chosen before a value it cannot see
('a enterprise-level rule')."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.i18n import catalogue

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
POLICY = "yuncheng-energy-saving-14fyp"
# a coke-oven table without the closure-date column, nor a 运行状态 one to answer the closure
COKE_OVENS = "焦炉名称,炭化室高度(米),焦炉类型\n1号焦炉,4.3,顶装焦炉\n2号焦炉,6,顶装焦炉\n"
# the words of the bundled catalogues, for the column the closure rule reads
RETIREMENT = {"zh": "退出(关停)时间", "en": "Date a facility was retired, closed or integrated out"}
SAID = {"zh": "1号焦炉（coke.csv:2:1）：未填报：表中没有“退出(关停)时间”列，请增加此列并逐个设施填写",
        "en": "the table has no “Date a facility was retired, closed or integrated out” column; add it and fill it"}


def _run(*args: str) -> str:
    r = CliRunner(env={"COLUMNS": "400"}).invoke(app, list(args), catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    return r.stdout


def snake_ids(text: str) -> list[str]:
    """ASCII snake_case identifiers a text shows (facility_retirement_date, oven_height): what a
    reader of a Chinese report must never have to decode."""
    return sorted(set(re.findall(r"(?<![A-Za-z0-9_.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_-])", text)))


def test_the_id_detector_finds_snake_case_only() -> None:
    assert snake_ids("表中没有facility_retirement_date列") == ["facility_retirement_date"]
    assert snake_ids("需要“oven_height”才能判断") == ["oven_height"]
    assert not snake_ids("YC-COKE-43M-CLOSE-2023 · coke.csv:2:1 · yuncheng-energy-saving-14fyp · 退出(关停)时间")


@pytest.mark.parametrize("engine", ["numpy", "duckdb"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missing_column_is_named_in_the_readers_words_with_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, engine: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("coke.csv").write_text(COKE_OVENS, encoding="utf-8")
    out = _run("check", "coke.csv", "-p", POLICY, "-y", "2024", "--lang", lang, "--engine", engine)
    assert SAID[lang] in out
    assert "facility_retirement_date" not in out
    if lang == "zh":
        assert snake_ids(out) == []


@pytest.mark.parametrize("args", [
    ("examples/enterprise/yuncheng-coking-plant.xlsx", "-p", POLICY, "-y", "2025", "--show-na"),
    ("examples/enterprise/yuncheng-power-plant.xlsx", "-p", POLICY, "--show-na"),
    ("examples/enterprise/yuncheng-chemical-works.xlsx", "-p", POLICY, "--show-na"),
    ("examples/enterprise/jining-cement-works.xlsx", "-p", "jining-carbon-peak", "--show-na"),
    ("examples/enterprise/lvliang-data-centres.xlsx", "-p", "lvliang-carbon-peak", "--show-na"),
    ("examples/jining-county-long-gbk.csv", "-p", "jining-carbon-peak", "--show-na"),
])
def test_no_identifier_in_a_chinese_report(args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert snake_ids(_run("check", *args, "--lang", "zh")) == []


def test_the_share_column_is_named_too() -> None:
    from cbcheck.i18n.message import Msg
    from cbcheck.facilities import name_of

    said = Msg("msg.share_no_column", weight=name_of("capacity"), table="机组")
    assert said.text("zh") == "机组中没有“容量”列，无法计算占比；请增加此列并填写"
    assert str(said) == "机组 has no “capacity” column, so the share cannot be computed; add the column and fill it in"


def test_an_indicator_column_is_named_by_the_indicator_catalogue() -> None:
    from cbcheck.facilities import name_of

    said = name_of("facility_retirement_date")
    assert (said.text("zh"), str(said)) == (RETIREMENT["zh"], RETIREMENT["en"])
    assert name_of("no_such_thing") == "no_such_thing"          # a policy's own indicator: as written


# An article right before a placeholder is chosen without seeing the word that fills it; but a file
# suffix (.csv: "dot") and a codec name (UTF-8, GBK) always take "a".
_ARTICLE = re.compile(r"(?<![A-Za-z])(a|an|A|An)\s+\{(?!suffix\}|codec\})")


def test_no_english_sentence_puts_an_article_before_a_value() -> None:
    bad = [f"{key}: {text}" for key, text in catalogue("en").items()
           if isinstance(text, str) and _ARTICLE.search(text)]
    assert not bad, "\n".join(bad)


def test_the_article_check_sees_what_it_is_for() -> None:
    assert _ARTICLE.search("a {rule_scope}-level rule; this is an {scope} submission")
    assert not _ARTICLE.search("a rule for {rule_scope}-level submissions; this submission is of the {scope} level")
    assert not _ARTICLE.search("{value} is a number")


@pytest.mark.parametrize(("rule_scope", "scope", "en"), [
    ("enterprise", "county",
     "a rule for enterprise-level submissions; this submission is of the county level"),
    ("region", "enterprise",
     "a rule for region-level submissions; this submission is of the enterprise level"),
])
def test_the_scope_sentence_reads_for_either_scope(rule_scope: str, scope: str, en: str) -> None:
    from cbcheck.checks.base import term
    from cbcheck.i18n.message import Msg

    said = Msg("msg.scope_other", rule_scope=term(rule_scope), scope=term(scope))
    assert str(said) == en
    assert "{" not in said.text("zh")


def test_a_county_file_under_an_enterprise_rule_reads_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = _run("check", "examples/jining-county-long-gbk.csv", "-p", "jining-carbon-peak", "--lang", "en",
               "--show-na")
    assert "a rule for enterprise-level submissions; this submission is of the county level" in out
    assert "a enterprise" not in out


def test_every_placeholder_the_reworded_sentences_use_is_filled() -> None:
    for key in ("msg.scope_other", "msg.no_column", "msg.share_no_column", "msg.cell_other_unit"):
        en, zh = catalogue("en")[key], catalogue("zh")[key]
        names = [{n for _, n, _, _ in string.Formatter().parse(t) if n} for t in (en, zh)]
        assert names[0] == names[1], key
