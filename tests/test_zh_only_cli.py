"""The CLI's own words are Chinese too (issue 20): ``explain`` (every check kind and every rule of
every bundled policy), ``policy show``, ``policy lint``, the lines ``template`` prints and the
errors and hints of every command, including click's usage errors — with no locale at all (cron),
so Chinese is the default — and ``--lang en`` keeps each of them English.

The leftover check is :func:`test_zh_only.leftovers` with its allow-list; what this file adds to
the names a Chinese line may carry in Latin letters is what the user types or reads in a policy
file: check-kind ids (``growth``), indicator and facility ids, policy-file syntax in `code spans`
(``mode: points``) and the field path of a lint line (``rules.3.id``).
"""

from __future__ import annotations

import os
import shutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.checks import KINDS
from cbcheck.cli import app
from cbcheck.facilities import facility_catalogue
from cbcheck.i18n import catalogue
from cbcheck.policy import bundled_policy_paths, load_policy
from cbcheck.render.policyview import explain_rule, explain_text
from test_zh_only import FACILITY_IDS, leftovers

ROOT = Path(__file__).resolve().parents[1]
PASS = ROOT / "examples" / "jining-county-pass.xlsx"
NAMES = set(KINDS) | FACILITY_IDS | set(facility_catalogue().attributes)
POLICIES = [load_policy(str(p)) for p in bundled_policy_paths()]


@pytest.fixture(autouse=True)
def _no_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As under cron: no locale at all (conftest sets an English one for the golden reports), and
    no cbcheck.toml above the working folder."""
    for var in ("LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)


def _zh_clean(text: str, extra: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    text = re.sub(r"`[^`\n]*`", " ", text)                  # policy-file syntax and commands
    text = re.sub(r"::[\w.\-]+", " ", text)                  # a lint line's field path
    return leftovers(text, NAMES | set(extra))


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


# --- explain ------------------------------------------------------------------------------------


def test_every_registered_kind_has_docs_in_both_languages() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    for name in KINDS:
        assert en.get(f"kind.{name}.doc", "").startswith(name), f"kind.{name}.doc missing in en.yaml"
        assert zh.get(f"kind.{name}.doc", "").startswith(name), f"kind.{name}.doc missing in zh.yaml"
        assert "达标" in zh[f"kind.{name}.doc"] and "达标" not in en[f"kind.{name}.doc"]
        assert re.search(r"PASS|FAIL", en[f"kind.{name}.doc"]) and not re.search(r"PASS|FAIL", zh[f"kind.{name}.doc"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_explain_kind_is_chinese_by_default_and_english_on_request(kind: str) -> None:
    r = invoke("explain", kind)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == catalogue("zh")[f"kind.{kind}.doc"].strip()
    assert not _zh_clean(r.stdout), _zh_clean(r.stdout)
    r = invoke("explain", kind, "--lang", "en")
    assert r.stdout.strip() == catalogue("en")[f"kind.{kind}.doc"].strip()
    assert "达标" not in r.stdout and re.search(r"PASS|FAIL", r.stdout)


@pytest.mark.parametrize("policy,cat", POLICIES, ids=lambda p: getattr(p, "id", ""))
def test_explain_every_rule_in_chinese(policy: Any, cat: Any) -> None:
    names = {policy.id} | {r.indicator for r in policy.rules}
    problems = []
    for rule in policy.rules:
        text = explain_rule(rule, policy, cat, "zh")
        assert text.startswith(f"{rule.id}：") and "判定方法" in text
        problems += [f"{rule.id}: …{p}…" for p in _zh_clean(text, names)]
    assert not problems, "\n".join(problems[:30])


def _sample(policy: Any) -> list[str]:
    """The first rule of each kind, and the first assigned and the first facility rule."""
    firsts: dict[str, str] = {}
    for r in policy.rules:
        firsts.setdefault(r.kind, r.id)
        if r.assigned:
            firsts.setdefault("assigned", r.id)
        if r.params.get("applies_to"):
            firsts.setdefault("facility", r.id)
    return list(firsts.values())


@pytest.mark.parametrize("rule", [rid for p, _ in POLICIES for rid in _sample(p)])
def test_explain_rule_through_the_cli(rule: str) -> None:
    zh = invoke("explain", rule)
    assert zh.exit_code == 0, zh.output
    assert "本规则" in zh.stdout or "判定方法" in zh.stdout
    assert "How it is judged" not in zh.stdout and "Requirement" not in zh.stdout
    en = invoke("explain", rule, "--lang", "en")
    assert en.exit_code == 0 and "Requirement: " in en.stdout and "How it is judged (" in en.stdout
    assert "判定方法" not in en.stdout and "要求：" not in en.stdout


def test_explain_arithmetic_is_worded_in_chinese_with_its_numbers() -> None:
    out = explain_text("JN-NONFOSSIL-2025", "zh")
    # 13 % 左右 with the default ±5 %: 13 × 0.95 = 12.35, a tolerance of 0.65
    assert "2025年 指标值 ≥ 13%" in out
    assert "允许偏差 0.65（±5%），即以 12.35% 为界" in out
    out = explain_text("JN-ENERGY-INTENSITY-2025", "zh")
    # compound even path: 1 − (1 − 0.156)^(3/5) = 9.676 % in 2023
    assert "均匀进度（复合）" in out and "2023 9.676%" in out
    out = explain_text("YCH-NEW-ENERGY-CAP-2030", "zh")
    assert "，经 2025年 500 万千瓦" in out            # the plan's 2025 target on the way to 2030


# --- policy show / lint -------------------------------------------------------------------------


@pytest.mark.parametrize("policy,cat", POLICIES, ids=lambda p: getattr(p, "id", ""))
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_policy_show_in_chinese(policy: Any, cat: Any, fmt: str) -> None:
    r = invoke("policy", "show", policy.id, "--format", fmt)
    assert r.exit_code == 0, r.output
    problems = _zh_clean(r.stdout, {policy.id} | {r.indicator for r in policy.rules})
    assert not problems, "\n".join(problems[:30])
    assert "规则数" in r.stdout
    en = invoke("policy", "show", policy.id, "--format", fmt, "--lang", "en")
    assert "rules" in en.stdout and "规则数" not in en.stdout


def _broken_policy(tmp_path: Path) -> Path:
    """A bundled policy edited the way a hurried encoder would: a rule copied without a new id, an
    indicator id mistyped, a target year before its base year."""
    data = yaml.safe_load((ROOT / "policies" / "jining-carbon-peak.yaml").read_text(encoding="utf-8"))
    rules = data["rules"]
    rules.append(dict(rules[0]))
    rules[1]["indicator"] = "energy_intensty"
    nxt = next(r for r in rules if r.get("base_year") and r.get("target_year"))
    nxt["target_year"] = nxt["base_year"]
    path = tmp_path / "济宁-改.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_policy_lint_errors_in_chinese(tmp_path: Path) -> None:
    path = _broken_policy(tmp_path)
    r = invoke("policy", "lint", str(path))
    assert r.exit_code == 3, r.output
    lines = [line for line in r.stdout.splitlines() if "错误" in line]
    assert any("规则编号 'JN-NONFOSSIL-2025' 重复" in line for line in lines), r.stdout
    assert any("未知的指标 'energy_intensty'（是否指 单位地区生产总值能源消耗" in line for line in lines), r.stdout
    assert any("不晚于基准年" in line for line in lines), r.stdout
    problems = _zh_clean("\n".join(lines), set(re.findall(r"[A-Za-z][\w\-]*", str(path))))
    assert not problems, problems
    en = invoke("policy", "lint", str(path), "--lang", "en")
    assert "duplicate rule id 'JN-NONFOSSIL-2025'" in en.stdout and "错误" not in en.stdout


def test_policy_lint_ok_and_check_against_a_broken_policy(tmp_path: Path) -> None:
    r = invoke("policy", "lint", str(ROOT / "policies" / "jining-carbon-peak.yaml"))
    assert r.exit_code == 0 and r.stdout.strip().endswith("：通过")
    r = invoke("check", str(PASS), "--policy", str(_broken_policy(tmp_path)))
    assert r.exit_code == 3
    # the three errors, listed on the one line after the head, each in Chinese
    assert r.stderr.startswith("cbcheck：错误：")
    assert "政策文件有误（运行 `cbcheck policy lint` 查看详情）：" in r.stderr
    assert r.stderr.count("：错误：") == 4 and "重复" in r.stderr and "不晚于基准年" in r.stderr


# --- template -----------------------------------------------------------------------------------


def test_template_lines_in_chinese_and_english(tmp_path: Path) -> None:
    out = tmp_path / "填报表.xlsx"
    r = invoke("template", "--policy", "jining-carbon-peak", "--output", str(out))
    assert r.exit_code == 0 and out.exists()
    assert r.stderr.strip() == f"已生成 {out}：jining-carbon-peak 的填报表（县（市、区））"
    r = invoke("template", "--policy", "jining-carbon-peak", "--output", str(out), "--lang", "en")
    assert r.stderr.strip() == f"wrote {out}: the fill-in workbook for jining-carbon-peak (county)"
    r = invoke("template", "--output", str(out))
    assert r.exit_code == 2 and r.stderr.strip() == ("cbcheck：错误：未指定政策：请用 --policy 指定政策编号；"
                                                     "内置政策见 `cbcheck policies`")
    r = invoke("template", "--policy", "jining-carbon-peak", "--output", "t.txt")
    assert r.exit_code == 2
    assert r.stderr.strip() == "cbcheck：错误：t.txt：填报模板是 .xlsx 工作簿；如 --output 填报表.xlsx"
    r = invoke("template", "--policy", "jining-carbon-peak", "--output", "t.txt", "--lang", "en")
    assert r.stderr.strip() == "cbcheck: error: t.txt: the template is an .xlsx workbook — e.g. --output 填报表.xlsx"


# --- errors and hints ---------------------------------------------------------------------------

P = ["--policy", "jining-carbon-peak"]
# what an error line may echo besides what the user typed: format and language names, the
# argument's metavar, the file type, CliRunner's program name, the command a typo is close to
ECHOED = {"text", "zh", "en", "yaml", "FILES", "root", "check"}
# (arguments, exit code, a phrase of the Chinese line, a phrase of the English line)
ERRORS = [
    (["check", str(PASS), "--policy", "nosuch-plan"], 3, "没有编号为 'nosuch-plan' 的内置政策", "no bundled policy"),
    (["check", str(PASS), "--policy", "没有这个.yaml"], 3, "找不到政策文件", "policy file not found"),
    (["check", str(PASS), *P, "--set", "JN-ENERGY=3"], 2,
     "'JN-ENERGY' 不是 jining-carbon-peak 的规则编号或指标（是否指", "is no rule id or indicator of"),
    (["check", str(PASS), *P, "--set", "JN-CO2-INTENSITY-2025"], 2, "的写法应为 规则编号=数值", "is not RULE=VALUE"),
    (["check", str(PASS), *P, "--set", "JN-CO2-INTENSITY-2025=abc"], 2, "'abc' 不是数值", "is not a number"),
    (["check", str(PASS), *P, "--format", "pdf"], 2, "不支持的格式 'pdf'；可选：text", "unknown format 'pdf'"),
    (["check", str(PASS), *P, "--format", "xlsx"], 2, "是二进制格式", "is a binary format"),
    (["check", str(PASS), *P, "--params", "没有.yaml"], 3, "没有.yaml：找不到参数文件", "parameters file not found"),
    (["check", str(PASS), *P, "--lang", "fr"], 2, None, None),
    (["check", str(PASS), *P, "--year", "1999"], 2, "文件中没有 1999 年的数据", "has no data for 1999"),
    (["check", str(PASS), *P, "--year", "二〇二五"], 2, "--year 的值无效：应为整数", "invalid value for --year"),
    (["check", str(PASS), *P, "--nosuch"], 2, "没有选项 --nosuch", "no such option: --nosuch"),
    (["check", str(PASS), "--polcy", "x"], 2, "没有选项 --polcy（是否指 --policy？）", "did you mean --policy?"),
    (["check"], 2, "缺少参数 FILES", "missing argument FILES"),
    (["params", "lint", "p.yaml"], 2, "缺少选项 --policy", "missing option --policy"),
    (["chek", str(PASS)], 2, "没有命令 'chek'（是否指 check？）", "no such command 'chek'"),
    (["explain", "at_least", "growth"], 2, "多余的参数：growth", "unexpected extra arguments: growth"),
    (["explain", "JN-NOPE"], 2, "没有名为 'JN-NOPE' 的规则或检查类型", "no rule or check kind named"),
    (["policy", "show", "jining-carbon-peak", "--format", "html"], 2, "不支持的格式 'html'", "unknown format"),
    (["rollup", "--year", "2025", *P], 2, "二者选其一", "not both or neither"),
    (["history", "济宁市兖州区", "--ledger", "."], 3, "是文件夹，不是台账文件；请指定一个文件", "is a folder"),
    (["history", "济宁市兖州区", "--ledger", "台账.sqlite"], 2, "台账中没有 '济宁市兖州区' 的记录",
     "nothing recorded for '济宁市兖州区'"),
    (["history", "济宁市兖州区", "--format", "pdf"], 2, "不支持格式 'pdf'",
     "unknown format 'pdf' for `cbcheck history`"),
]


@pytest.mark.parametrize("args,code,zh,en", ERRORS, ids=lambda a: " ".join(a[:4]) if isinstance(a, list) else None)
def test_error_is_one_chinese_line_with_what_to_do(args: list[str], code: int, zh: str | None, en: str | None) -> None:
    r = invoke(*args)
    assert r.exit_code == code, r.output
    line = r.stderr.rstrip("\n")
    assert "\n" not in line and line.startswith("cbcheck：错误："), line
    if zh:
        assert zh in line, line
    echoed = set(re.findall(r"[A-Za-z][\w\-]*", " ".join(args))) | ECHOED
    assert not _zh_clean(line, echoed), _zh_clean(line, echoed)
    if en is None:
        return
    r = invoke(*args, "--lang", "en")
    line = r.stderr.rstrip("\n")
    assert r.exit_code == code and line.startswith("cbcheck: error: ") and "\n" not in line, line
    assert en in line and "错误" not in line and "请" not in line, line


def test_unknown_language_is_said_in_the_locale_language(monkeypatch: pytest.MonkeyPatch) -> None:
    r = invoke("check", str(PASS), *P, "--lang", "fr")
    assert r.stderr.strip() == "cbcheck：错误：不支持的语言 'fr'；可选：zh、en"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    r = invoke("check", str(PASS), *P, "--lang", "fr")
    assert r.stderr.strip() == "cbcheck: error: unknown language 'fr' — one of: zh, en"


def test_config_language_applies_to_errors(tmp_path: Path) -> None:
    (tmp_path / "cbcheck.toml").write_text('lang = "en"\n', encoding="utf-8")
    r = invoke("explain", "JN-NOPE")
    assert r.stderr.startswith("cbcheck: error: no rule or check kind named 'JN-NOPE'")
    (tmp_path / "cbcheck.toml").write_text('lang = "en"\npolcy = "x"\n', encoding="utf-8")
    r = invoke("explain", "at_least")                       # the config is what is wrong: the locale's language
    assert r.exit_code == 2 and r.stderr.strip().startswith("cbcheck：错误：") and "未知的配置项 'polcy'" in r.stderr
    assert "是否指 'policy'？" in r.stderr


def test_language_of_one_command_does_not_stick_to_the_next() -> None:
    assert invoke("explain", "JN-NOPE", "--lang", "en").stderr.startswith("cbcheck: error:")
    assert invoke("explain", "JN-NOPE").stderr.startswith("cbcheck：错误：")
    assert invoke("check", "--nosuch", "--lang", "en").stderr.startswith("cbcheck: error:")
    assert invoke("check", "--nosuch").stderr.startswith("cbcheck：错误：")


def test_no_arguments_still_shows_the_help() -> None:
    r = invoke("policy")
    assert "Usage" in r.output and "show" in r.output and "错误" not in r.output


# The reader words its own errors (src/cbcheck/reader/, another part of issue 20): the frame and the
# hint around them are Chinese here; the reader's sentence becomes Chinese with that work.
READER = [
    (["check", "没有这个文件.xlsx", *P], "没有这个文件.xlsx"),
    (["check", "假的.xlsx", *P], "假的.xlsx"),
]


@pytest.mark.parametrize("args,name", READER, ids=["missing", "not a workbook"])
def test_reader_errors_have_the_chinese_frame(args: list[str], name: str, tmp_path: Path) -> None:
    (tmp_path / "假的.xlsx").write_text("填报单位,指标\n", encoding="utf-8")
    r = invoke(*args)
    line = r.stderr.rstrip("\n")
    assert r.exit_code == 3 and "\n" not in line
    assert line.startswith(f"cbcheck：错误：{name}：")
    r = invoke(*args, "--lang", "en")
    assert r.stderr.startswith(f"cbcheck: error: {name}: ")


@pytest.mark.parametrize("args,name", READER, ids=["missing", "not a workbook"])
def test_reader_errors_are_chinese(args: list[str], name: str, tmp_path: Path) -> None:
    (tmp_path / "假的.xlsx").write_text("填报单位,指标\n", encoding="utf-8")
    line = invoke(*args).stderr
    assert not _zh_clean(line, {name}), line


def test_a_real_process_under_cron_speaks_chinese(tmp_path: Path) -> None:
    """No LANG at all, as cron runs it: the error is Chinese; with LANG=en_US English."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    exe = [sys.executable, "-m", "cbcheck"]
    r = subprocess.run([*exe, "check", "--nosuch"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == ("cbcheck：错误：没有选项 --nosuch（是否指 --no-strict？）；"
                                                      "运行 `cbcheck check --help` 查看用法")
    r = subprocess.run([*exe, "check", str(PASS), *P, "--format", "pdf"], capture_output=True, text=True,
                       env={**env, "LANG": "en_US.UTF-8"}, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("cbcheck: error: unknown format 'pdf' — one of: text")


def test_batch_lines_are_chinese(tmp_path: Path) -> None:
    """A folder run goes on past a bad file and says so on stderr, in the reader's language."""
    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copy(PASS, folder / "兖州区.xlsx")
    (folder / "假的.xlsx").write_text("填报单位,指标\n", encoding="utf-8")
    r = invoke("check", str(folder), *P)
    lines = r.stderr.splitlines()
    assert any(line.startswith(f"cbcheck：错误：{folder / '假的.xlsx'}：") for line in lines), r.stderr
    r = invoke("check", str(folder), *P, "--lang", "en")
    assert any(line.startswith(f"cbcheck: error: {folder / '假的.xlsx'}: ") for line in r.stderr.splitlines())
    empty = tmp_path / "空"
    empty.mkdir()
    r = invoke("check", str(empty), *P)
    assert r.stderr.strip().startswith("cbcheck：提示：") and "中没有报送文件" in r.stderr


def test_waivers_file_errors_in_both_languages(tmp_path: Path) -> None:
    """A waiver valid to 6月底 written as 2026-06-31 (June has 30 days): one line, what to do."""
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text("schema_version: 1\nwaivers:\n  - rule: JN-NONFOSSIL-2025\n    entity: 济宁市兖州区\n"
                       "    reason: 光伏项目并网延期\n    document: 济发改能源〔2025〕12号\n"
                       "    approved_by: 济宁市发展改革委\n    expires: 2026-06-31\n", encoding="utf-8")
    r = invoke("check", str(PASS), *P, "--waivers", str(waivers))
    line = r.stderr.strip()
    assert r.exit_code == 3 and "\n" not in line, r.stderr
    # June has 30 days: the date has the right shape for the schema and is still no date
    assert line == (f"cbcheck：错误：{waivers}：waivers.0.expires：'2026-06-31' 不是日期；"
                    "请写成 年-月-日，如 2026-06-30")
    en = invoke("check", str(PASS), *P, "--waivers", str(waivers), "--lang", "en").stderr.strip()
    assert en == (f"cbcheck: error: {waivers}: waivers.0.expires: '2026-06-31' is not a date — "
                  "write YYYY-MM-DD, e.g. 2026-06-30")
