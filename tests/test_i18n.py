"""Both catalogues say the same things: same keys, same placeholders; --lang and the locale."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.i18n import OPTIONAL_PLACEHOLDERS, LANGS, catalogue, detect_lang, messages

ROOT = Path(__file__).resolve().parents[1]
PASS = "examples/jining-county-pass.xlsx"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    assert sorted(en) == sorted(zh)
    for key in en:
        optional = OPTIONAL_PLACEHOLDERS.get(key, frozenset())
        assert _fields(en[key]) - optional == _fields(zh[key]) - optional, key
        assert zh[key].strip(), key


def test_every_status_and_verdict_has_a_label() -> None:
    from cbcheck.model import Status

    for lang in LANGS:
        m = messages(lang)
        for s in Status:
            m(f"status.{s.value}")
        for v in ("compliant", "non-compliant", "incomplete", "unreadable"):
            m(f"verdict.{v}")


@pytest.mark.parametrize("env,lang", [
    ({}, "zh"), ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"), ({"LC_ALL": "C", "LANG": "en_US"}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"), ({"LANG": "POSIX"}, "zh"), ({"LC_ALL": "de_DE.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.GB18030"}, "zh"),
])
def test_language_from_locale(env: dict, lang: str) -> None:
    assert detect_lang(env) == lang


def test_lang_flag_and_locale_default() -> None:
    r = CliRunner().invoke(app, ["check", PASS, "-p", "jining-carbon-peak", "--lang", "zh"])
    assert r.exit_code == 0 and "结论：合规" in r.stdout and "非化石能源消费比重 2025年达到13%左右" in r.stdout
    r = CliRunner().invoke(app, ["check", PASS, "-p", "jining-carbon-peak"], env={"LANG": "zh_CN.UTF-8"})
    assert "结论：合规" in r.stdout
    r = CliRunner().invoke(app, ["check", PASS, "-p", "jining-carbon-peak", "--lang", "en"],
                           env={"LANG": "zh_CN.UTF-8"})
    assert "Verdict: COMPLIANT" in r.stdout and "Non-fossil share of energy consumption about 13%" in r.stdout


def test_unknown_language_is_a_usage_error() -> None:
    r = CliRunner().invoke(app, ["check", PASS, "-p", "jining-carbon-peak", "--lang", "fr"])
    assert r.exit_code == 2 and "unknown language 'fr'" in r.stderr


def test_cron_gets_chinese() -> None:
    """Under cron (no LANG at all) or the C locale a county's report is Chinese; --lang en still wins."""
    for env in ({"LANG": "", "LC_ALL": "", "LC_MESSAGES": ""}, {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}):
        r = CliRunner().invoke(app, ["check", PASS, "-p", "jining-carbon-peak"], env=env)
        assert "结论：合规" in r.stdout and "Verdict" not in r.stdout
        r = CliRunner().invoke(app, ["check", PASS, "-p", "jining-carbon-peak", "--lang", "en"], env=env)
        assert "Verdict: COMPLIANT" in r.stdout


def test_a_current_price_gdp_with_an_assigned_target_reads_chinese_throughout() -> None:
    """Found on a county file not written for cbcheck (现价 GDP, growth index for two years only,
    the target given with --set): the gap inside the sentence and the assigned suffix around it
    were left in English. Built as series.py and engine.py build it, every clause by key."""
    from cbcheck.checks.base import year_label
    from cbcheck.i18n.message import Msg
    from cbcheck.i18n.phrases import phrase

    lacking = Msg("msg.lacking_years", named=Msg("msg.either", a="地区生产总值增长速度", b="地区生产总值指数"),
                  years="2021–2023")
    why = Msg("msg.current_prices", label=year_label("地区生产总值(可比价)", 2025), lacking=lacking)
    gap = Msg("msg.label_colon", label=year_label("单位地区生产总值能源消耗", 2025),
              what=Msg("msg.cannot_derive_bare", why=why))
    said = Msg("msg.target_assigned", message=gap, who=phrase("--set on the command line"))
    assert said == ("单位地区生产总值能源消耗 2025: cannot be derived: 地区生产总值(可比价) 2025 is at current prices "
                    "(现价); cannot be computed without comparable-price GDP or real growth (地区生产总值增长速度 or "
                    "地区生产总值指数 for 2021–2023 is missing) "
                    "(target assigned by --set on the command line)")
    assert said.text("zh") == (
        "单位地区生产总值能源消耗 2025：无法计算：地区生产总值(可比价) 2025为现价；缺少可比价地区生产总值或实际增速，"
        "无法计算（缺少2021–2023年的地区生产总值增长速度或地区生产总值指数（上年=100））（目标由命令行 --set下达）")
