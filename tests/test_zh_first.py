"""Chinese first: every command, on good and on bad input, says its sentences in Chinese under the
default language (no locale, as under cron) — a regression net over the whole CLI.

:data:`INVOCATIONS` is a list of command lines as data: the example files, and the broken inputs
:func:`_inputs` writes (a policy that breaks its schema, one whose rules contradict their quotes,
YAML bombs, plans that cannot be read, a draft written in English by an earlier version). Each is
run in process and its stdout and stderr are searched for an English sentence: a run of three or
more English words (tokens of Latin letters only) in a row. A command added to cbcheck gets a line
here.

What a Chinese line may still carry in Latin letters, and why (the exceptions, all explicit):

- `code spans`: commands and policy-file syntax to type (`cbcheck policy lint`, `mode: points`);
- quoted text ('…', "…", “…”): what the user wrote, a file or sheet name, a value echoed back;
- tokens that are not words — identifiers (rule ids, field paths, `coal_power_unit`), options
  (``--plan``), units, numbers, paths — never make a run, since a word is letters only;
- :data:`PROPER_NAMES`: names of products and formats, written as their makers write them;
- a library's own words kept as the *detail* of a Chinese sentence (``YAML 格式错误：did not find
  expected …``): named per invocation, in its ``detail`` field, never as a blanket exception.

``--help`` text stays English (typer's), by an earlier decision, and is not run here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app
from test_zh_only import _strip_markup

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
PLAN = ROOT / "docs" / "plans" / "simplified" / "001_ea73b3f3e3f04998.txt"
POLICY = "jining-carbon-peak"
PROPER_NAMES = ("Strict Open XML", "Excel Workbook", "Open XML")

_WORD = re.compile(r"[A-Za-z]+[,.;:!?)]?|\(?[A-Za-z]+")       # letters only, with its punctuation
_MASKS = [
    re.compile(r"`[^`\n]*`"),                                   # code spans
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’"),   # quoted text
]


def english_runs(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Runs of three or more English words in a row, with the line they are on."""
    out = []
    for line in text.splitlines():
        shown = line
        for name in PROPER_NAMES + allowed:
            line = line.replace(name, " ")
        for mask in _MASKS:
            line = mask.sub(" ", line)
        run: list[str] = []
        for token in line.split() + [""]:
            if token and _WORD.fullmatch(token):
                run.append(token)
                continue
            if len(run) >= 3:
                out.append(f"{' '.join(run)!r} in: {shown.strip()[:200]}")
            run = []
    return out


@dataclass(frozen=True)
class Run:
    """One command line; ``{ex}``, ``{root}`` and ``{plan}`` are filled in; ``before`` runs first
    (a ledger to record, a draft to write); ``detail`` names a library's words allowed as a detail."""

    args: str
    code: int
    before: tuple[str, ...] = ()
    detail: tuple[str, ...] = field(default=())
    fmt: str = "text"
    env: tuple[tuple[str, str], ...] = ()
    names: bool = False     # the report names facility attributes and types: by their words, never their ids


INVOCATIONS = [
    # the examples, in the formats a person reads
    Run("check {ex}/jining-county-fail.xlsx -p jining-carbon-peak --params {ex}/jining-params.yaml", 1),
    Run("check {ex}/jining-county-fail.xlsx -p jining-carbon-peak -f markdown", 1, fmt="markdown"),
    Run("check {ex}/jining-county-long-gbk.csv -p jining-carbon-peak -f html", 0, fmt="html"),
    Run("check {ex}/enterprise/yuncheng-power-plant.xlsx -p yuncheng-energy-saving-14fyp", 1, names=True),
    Run("check {ex}/enterprise/yuncheng-coking-plant.xlsx -p yuncheng-energy-saving-14fyp -y 2025", 1, names=True),
    Run("check {ex}/enterprise/yuncheng-coking-plant.xlsx -p yuncheng-energy-saving-14fyp -y 2025 -f markdown", 1,
        fmt="markdown", names=True),
    # a facility table without the column a rule reads: the column is named, never its id (1号 is a
    # 4.3 m oven due closed by 2023-10-31 with no closure column: a binding rule's blank, exit 1)
    Run("check 焦炉.csv -p yuncheng-energy-saving-14fyp -y 2024", 1, names=True),
    Run("check 焦炉.csv -p yuncheng-energy-saving-14fyp -y 2024 --engine duckdb", 1, names=True),
    Run("check {ex}/city/2025 -p jining-carbon-peak --waivers {ex}/city/waivers.yaml", 1),
    Run("explain JN-ENERGY-INTENSITY-2025", 0),
    Run("explain reduction_vs_base", 0),
    Run("explain YC-CHP-BACKPRESSURE-RETROFIT", 0, names=True),
    Run("explain YC-COKE-55M-RETROFIT", 0, names=True),
    Run("policy show yuncheng-energy-saving-14fyp", 0, names=True),
    Run("policy show yuncheng-energy-saving-14fyp -f markdown", 0, fmt="markdown", names=True),
    Run("policies", 0),
    Run("template -p jining-carbon-peak -o 填报表.xlsx", 0),
    Run("policy show jining-carbon-peak", 0),
    Run("policy coverage jining-carbon-peak", 0, fmt="markdown"),
    Run("policy lint {root}/policies/jining-carbon-peak.yaml {root}/policies/indicators.yaml", 0),
    Run("params lint --policy jining-carbon-peak {ex}/jining-params.yaml", 0),
    Run("waivers lint --policy jining-carbon-peak {ex}/city/waivers.yaml", 0),
    Run("rollup -p jining-carbon-peak -y 2025 {ex}/city/2025 --params {ex}/city/params.yaml", 1),
    Run("rollup -p jining-carbon-peak -y 2025 {ex}/city/2025 -f markdown", 1, fmt="markdown"),
    Run("history 济宁市兖州区 --ledger 台账.sqlite", 0,
        before=("check {ex}/city/2024 -p jining-carbon-peak --record --ledger 台账.sqlite",
                "check {ex}/city/2025 -p jining-carbon-peak --record --ledger 台账.sqlite")),
    # a draft and its lint; a draft an earlier version wrote in English, linted today
    Run("policy draft {plan} --id moushi -o 草稿.yaml", 0),
    Run("policy lint 草稿.yaml", 0, before=("policy draft {plan} --id moushi -o 草稿.yaml",)),
    Run("policy lint draft-en.yaml", 0, before=("policy draft {plan} --id moushi --lang en -o draft-en.yaml",)),
    Run("policy lint table-draft.yaml", 0,
        before=("policy draft table-plan.txt --id moushi-esp --lang en -o table-draft.yaml",)),
    # broken policies, parameters and waivers
    Run("policy lint schema.yaml", 3),
    Run("policy lint fidelity.yaml", 3),
    Run("policy lint units.yaml", 3),
    Run("check {ex}/jining-county-pass.xlsx -p schema.yaml", 3),
    Run("policy lint bomb.yaml aliases.yaml", 3),
    Run("check {ex}/jining-county-pass.xlsx -p jining-carbon-peak --params bomb.yaml", 3),
    Run("policy lint bad.yaml", 3, detail=("did not find expected",)),
    Run("policy lint list.yaml catalogue.yaml", 3),
    Run("params lint --policy jining-carbon-peak params-bad.yaml", 3),
    Run("waivers lint --policy jining-carbon-peak waivers-bad.yaml", 3),
    Run("policy coverage nosource.yaml", 3),
    # plans that cannot be drafted from
    Run("policy draft not.docx --id moushi -o d.yaml", 3),
    Run("policy draft old.doc --id moushi -o d.yaml", 3),
    Run("policy draft nothere.txt --id moushi -o d.yaml", 3),
    Run("policy draft not.pdf --id moushi -o d.yaml", 3, detail=("Stream has ended unexpectedly",)),
    Run("check {ex}/jining-county-pass.xlsx -p jining-carbon-peak --engine nosuch", 2),
    Run("check 单位不一致.csv -p jining-carbon-peak", 3),
    Run("check {ex}/city/2025/qufu-2025.csv -p jining-carbon-peak", 3, env=(("CBCHECK_MAX_CSV_ROWS", "5"),)),
    Run("check {ex}/city/2025 -p jining-carbon-peak", 2, env=(("CBCHECK_MAX_CSV_ROWS", "zz"),)),
    Run("check {ex}/enterprise/yuncheng-power-plant.xlsx -p yuncheng-energy-saving-14fyp", 3,
        env=(("CBCHECK_MAX_SHEETS", "0"), ("CBCHECK_MAX_ROWS", "3"))),
]


def _policy(**changes: object) -> dict[str, object]:
    data = yaml.safe_load((ROOT / "policies" / f"{POLICY}.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def _rule(rid: str, indicator: str, kind: str, quote: str, **fields: object) -> dict[str, object]:
    return {"id": rid, "title": quote, "indicator": indicator, "kind": kind, "target_year": 2025,
            "strength": "binding", "scope": "region", "source": {"section": "二", "quote": quote}, **fields}


def _inputs(folder: Path) -> None:
    def write(name: str, data: object) -> None:
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    broken = _policy(foo=1)
    rules = broken["rules"]
    assert isinstance(rules, list)
    rules[0]["kind"] = "at_leest"
    rules[1]["strength"] = "must"
    del rules[2]["source"]
    write("schema.yaml", broken)
    write("fidelity.yaml", _policy(rules=[
        _rule("F-1", "energy_intensity", "reduction_vs_base", "能耗强度下降13个百分点", target=13, base_year=2020),
        _rule("F-2", "solar_power_capacity", "at_least", "光伏发电装机达到80万千瓦", target=80, unit="万吨"),
        _rule("F-3", "non_fossil_energy_share", "at_least", "非化石能源比重确保达到20%", target=20, unit="%",
              strength="aspirational"),
        _rule("F-4", "non_fossil_energy_share", "at_least", "非化石能源比重力争达到21%", target=21, unit="%"),
        _rule("F-5", "energy_intensity", "reduction_vs_base", "能耗强度下降14%", target=14, mode="points",
              base_year=2020),
    ]))
    write("units.yaml", _policy(rules=[
        _rule("G-1", "waterway_container_volume", "growth", "水运集装箱运输量年均增长10%", target=10, unit="吨",
              mode="cagr", base_year=2020),
        _rule("A-1", "solar_power_capacity", "at_least", "光伏发电装机达到800万千瓦", target=800, unit="万千瓦时"),
    ]))
    county = (EX / "city" / "2025" / "qufu-2025.csv").read_bytes().decode("gbk")
    two_units = county.replace("1,能源消费总量,", "1,能源消费总量（吨标准煤）,")     # and 万吨标准煤 in 单位
    (folder / "单位不一致.csv").write_text(two_units, encoding="utf-8")
    write("nosource.yaml", {k: v for k, v in _policy().items() if k != "source_file"})
    nine = ", ".join(["*a"] * 9)
    (folder / "bomb.yaml").write_text("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{nine.replace('a', p)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)), encoding="utf-8")
    (folder / "aliases.yaml").write_text("a: &a 1\nb: [" + ", ".join(["*a"] * 150) + "]\n", encoding="utf-8")
    (folder / "bad.yaml").write_text("a: [1, 2\nb: c: d\n", encoding="utf-8")
    (folder / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    write("catalogue.yaml", {"schema_version": 1, "indicators": [
        {"id": "x", "name": "甲", "dimension": "mass", "unit": "万千瓦"},
        {"id": "x", "name": "甲", "dimension": "energy", "unit": "吨标准煤"}]})
    write("params-bad.yaml", {"schema_version": 1, "policy": POLICY, "targets": {"JN-X": 3}})
    write("waivers-bad.yaml", {"schema_version": 1, "policy": POLICY, "waivers": [{"rule": "X", "foo": 2}]})
    (folder / "not.docx").write_bytes(b"PK\x03\x04 not a document")
    (folder / "not.pdf").write_bytes(b"%PDF-1.4 cut short")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "焦炉.csv").write_text("焦炉名称,炭化室高度(米),焦炉类型\n1号焦炉,4.3,顶装焦炉\n2号焦炉,6,顶装焦炉\n",
                                   encoding="utf-8")
    (folder / "table-plan.txt").write_text(
        "晋城市“十四五”节能减排实施方案\n三、重点工程\n(三)重点行业绿色升级工程。对合成氨生产企业开展节能改造,改造完成后"
        "单位产品综合能耗分别降到1150(优质无烟块煤制)、1500(粉煤制)千克标准煤/吨以下。到2025年,"
        "煤电机组平均供电煤耗力争降至300克标准煤/千瓦时左右。\n", encoding="utf-8")


def _filled(args: str) -> list[str]:
    return [a.format(ex=EX, root=ROOT, plan=PLAN) for a in args.split()]


@pytest.fixture(autouse=True)
def _cron(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750377600")
    monkeypatch.chdir(tmp_path)
    _inputs(tmp_path)


@pytest.mark.parametrize("run", INVOCATIONS, ids=[re.sub(r"\{\w+\}/?", "", r.args)[:70] for r in INVOCATIONS])
def test_no_english_sentence_under_the_default_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in run.env:
        monkeypatch.setenv(var, value)
    for before in run.before:
        CliRunner().invoke(app, _filled(before), catch_exceptions=False)
    r = CliRunner().invoke(app, _filled(run.args), catch_exceptions=False)
    assert r.exit_code == run.code, r.output
    text = _strip_markup(r.stdout, run.fmt) + "\n" + r.stderr
    found = english_runs(text, run.detail)
    assert not found, f"{len(found)} English sentences:\n" + "\n".join(found[:20])
    if run.names:
        ids = catalogue_ids(text)
        assert not ids, f"facility attribute, type or indicator ids in Chinese text: {ids}"


def catalogue_ids(text: str) -> list[str]:
    """The facility attribute and type ids (``oven_height``, ``coal_power_unit``) and the indicator
    ids (``facility_retirement_date``) a text shows, where the reader should see 炭化室高度, 燃煤发电机组
    or 退出(关停)时间; quoted text too (a condition is quoted). An indicator id in brackets right after
    its name (节能改造完成时间（energy_saving_retrofit_completed）) is a reference, not the name."""
    from cbcheck.facilities import facility_catalogue
    from cbcheck.policy import catalogue

    fc, cat = facility_catalogue(), catalogue()
    text = re.sub(r"[(（][a-z][a-z0-9_]*[)）]", " ", text)
    return sorted({t for t in re.findall(r"(?<![A-Za-z0-9_.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_-])", text)
                   if t in fc.attributes or t in fc.types or t in cat})


def test_the_id_detector_finds_attribute_and_type_ids_only() -> None:
    assert catalogue_ids("缺报 5#焦炉：需要oven_height才能判断是否“oven_height ≥ 5.5 米”") == ["oven_height"]
    assert catalogue_ids("适用于 coal_power_unit，条件：机组类型 属于｛抽凝｝") == ["coal_power_unit"]
    assert not catalogue_ids("指标：节能改造完成时间（energy_saving_retrofit_completed）；需要炭化室高度")
    assert catalogue_ids("未填报：表中没有facility_retirement_date列") == ["facility_retirement_date"]


def test_the_detector_finds_english_and_lets_the_exceptions_pass() -> None:
    assert english_runs("d.yaml::rules.4.review.0：警告：review: scope: a facility threshold? add applies_to")
    assert english_runs("错误：the quote writes 13个百分点 but the rule is in percent；add mode: points")
    assert english_runs("cbcheck：错误：x.pdf：not a readable PDF (Stream has ended unexpectedly)")
    assert not english_runs("错误：原文为 13个百分点，而规则按百分比计；请加上 `mode: points`（`cbcheck explain x`）")
    assert not english_runs("未知的指标 'energy intensity per unit'；JN-ENERGY-INTENSITY-2025 · 表1!F5 · 5100 MW")
    assert not english_runs("该工作簿以 Strict Open XML 格式保存；rules.0.kind：at_least、at_most")
    assert not english_runs("无法读取（Stream has ended unexpectedly）", ("Stream has ended unexpectedly",))


def test_an_english_draft_reads_in_chinese_and_a_chinese_one_in_english() -> None:
    """Review items are recognised from their keys in either language, not only shown as written."""
    runner = CliRunner()
    runner.invoke(app, _filled("policy draft table-plan.txt --id moushi-esp --lang en -o en.yaml"))
    runner.invoke(app, _filled("policy draft table-plan.txt --id moushi-esp -o zh.yaml"))
    en_items = [i for r in yaml.safe_load(Path("en.yaml").read_text(encoding="utf-8"))["rules"]
                for i in r.get("review", [])]
    zh_items = [i for r in yaml.safe_load(Path("zh.yaml").read_text(encoding="utf-8"))["rules"]
                for i in r.get("review", [])]
    assert len(en_items) == len(zh_items) >= 4
    assert "year not stated in the sentence; set to the plan horizon 2025" in en_items
    assert "原文未写明年份，暂按规划期末 2025 年" in zh_items
    zh_lint = runner.invoke(app, ["policy", "lint", "en.yaml"]).stdout
    assert zh_lint == runner.invoke(app, ["policy", "lint", "zh.yaml"]).stdout.replace("zh.yaml", "en.yaml")
    assert "：警告：待复核：原文未写明年份，暂按规划期末 2025 年" in zh_lint
    en_lint = runner.invoke(app, ["policy", "lint", "zh.yaml", "--lang", "en"]).stdout
    assert en_lint == runner.invoke(app, ["policy", "lint", "en.yaml", "--lang", "en"]).stdout.replace("en.yaml",
                                                                                                        "zh.yaml")
    assert ": warning: review: year not stated in the sentence; set to the plan horizon 2025" in en_lint
    # an item a human reworded is shown as written
    said = "原文未写明年份，暂按规划期末 2025 年"
    text = Path("zh.yaml").read_text(encoding="utf-8").replace(said, "年份待定，问发改委")
    Path("edited.yaml").write_text(text, encoding="utf-8")
    assert "：警告：待复核：年份待定，问发改委" in runner.invoke(app, ["policy", "lint", "edited.yaml"]).stdout
