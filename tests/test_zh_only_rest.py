"""The rest of cbcheck speaks Chinese too (issue 20): the city office's year (roll-up, waivers,
ledger history), the readers' refusals of a file, budget, output and unit errors, ``policy
coverage``, ``policy draft`` and ``policy lint`` of a badly encoded policy — with no locale at all
(cron), so Chinese is the default. ``--lang en`` keeps each of them English, word for word as
before (the English sentences below are the ones these commands printed before they had keys).

The leftover check is :func:`test_zh_only.leftovers` with its allow-list; the names a line may
carry besides are those of the files the test writes, the policy ids and the commands' own words.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from test_zh_only import FACILITY_IDS, _strip_markup, leftovers

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "examples" / "city"
POLICY = "jining-carbon-peak"
PLANT = ROOT / "examples" / "enterprise" / "yuncheng-power-plant.xlsx"
# the city example's dates: 2025-06-20 (neither waiver expired) and 2025-07-01 (one has)
JUNE_20, JULY_1 = "1750377600", "1751328000"


@pytest.fixture(autouse=True)
def _no_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As under cron: no locale, no cbcheck.toml above the working folder."""
    for var in ("LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_20)
    monkeypatch.chdir(tmp_path)


def run(*args: str, code: int | None = None) -> str:
    r = CliRunner().invoke(app, list(args), catch_exceptions=False)
    if code is not None:
        assert r.exit_code == code, r.output
    return r.output


def _names(*texts: str) -> set[str]:
    return {w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", t)} | FACILITY_IDS | {POLICY}


def assert_zh(text: str, names: set[str]) -> None:
    found = leftovers(text, names)
    assert not found, f"{len(found)} English leftovers:\n" + "\n".join(found[:30])


# --- the city office's year ----------------------------------------------------------------------------

ROLLUP = ["rollup", "-p", POLICY, "-y", "2025", str(CITY / "2025"), "--params", str(CITY / "params.yaml"),
          "--waivers", str(CITY / "waivers.yaml")]
CITY_NAMES = _names(str(CITY), "qufu-2025.csv rencheng-2025.csv yanzhou-2025.csv params.yaml waivers.yaml")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_rollup_is_chinese(fmt: str) -> None:
    out = run(*ROLLUP, "-f", fmt, code=1)
    assert_zh(_strip_markup(out, fmt), CITY_NAMES)
    out = html.unescape(out)
    # the allocations, by hand: 300 + 200 + 150 + 120 = 770 < 800; 邹城市 sent no 2020 energy use
    assert "= 770 万千瓦 < 800 万千瓦（全市目标） — 未完成" in out
    assert "无法对分解的下降率加权：以下单位没有 2020年能源消费总量：邹城市" in out
    assert "2025年 3 份报送汇总：曲阜市（qufu-2025.csv）、任城区（rencheng-2025.csv）" in out
    # Chinese punctuation in Chinese sentences: names listed with 、, the verdict after ：
    assert "已报送 3 个：济宁市曲阜市、济宁市任城区、济宁市兖州区" in out
    assert "汇总结论：不合规" in out


def test_rollup_xlsx_findings_are_chinese(tmp_path: Path) -> None:
    run(*ROLLUP, "-f", "xlsx", "-o", str(tmp_path / "r.xlsx"), code=1)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)
    assert_zh(text, CITY_NAMES | {"Sheet"})
    assert "= 770 万千瓦 < 800 万千瓦（全市目标） — 未完成" in text


def test_rollup_in_english_is_unchanged() -> None:
    out = run(*ROLLUP, "--lang", "en", code=1)
    assert "  ERROR | JN-ENERGY-INTENSITY-2025 | cannot weight the allocated reductions: " \
           "no 2020 total energy consumption from 邹城市\n" in out
    assert ("300 (任城区) + 200 (兖州区) + 150 (曲阜市) + 120 (邹城市) = 770 万千瓦 < 800 万千瓦 "
            "(city target) — not met") in out
    assert "roll-up of 3 submissions for 2025: 曲阜市 (qufu-2025.csv), 任城区 (rencheng-2025.csv), " \
           "兖州区 (yanzhou-2025.csv)" in out
    assert "Roll-up verdict: non-compliant" in out


def test_waived_and_expired_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JULY_1)          # 济发改能源〔2024〕3号 expired on 2025-06-30
    args = ["check", str(CITY / "2025" / "yanzhou-2025.csv"), "-p", POLICY, "--waivers", str(CITY / "waivers.yaml")]
    zh = run(*args, code=0)            # the FAIL is waived, the expired waiver's finding is a WARN
    flat = re.sub(r"\s+", "", zh)                        # the card layout wraps long lines, at a space too
    assert_zh(zh, CITY_NAMES)
    assert "如不豁免：未达标—2025年：比2020年下降幅度未达到目标" in flat
    # the file's 填报日期 (2026-06-20) is after the run date: judged at the run date, and said so
    assert ("（豁免文件济发改能源〔2024〕3号（济宁市发展和改革委员会）已于2025-06-30到期，"
            "按今天2025-07-01判断，填报日期2026-06-20晚于今天，本项保持原状态）") in flat
    en = re.sub(r"\s*\n\s*", " ", run(*args, "--lang", "en", code=0))
    assert ("waived by 济发改环资〔2025〕12号 (济宁市发展和改革委员会; "
            "2024年投产的国家重大项目能耗单列，经市政府同意暂缓考核) "
            "until 2026-12-31 (judged at today's date 2025-07-01: its 填报日期 2026-06-20 is later than today); "
            "without the waiver: FAIL — 2025: reduction since 2020 misses the target") \
        in en.replace("  ", " ")
    assert ("(waiver 济发改能源〔2024〕3号 by 济宁市发展和改革委员会 expired on 2025-06-30, judged at today's date "
            "2025-07-01: its 填报日期 2026-06-20 is later than today; "
            "the finding keeps its status)"
            in en.replace("  ", " "))


def test_waivers_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JULY_1)
    waivers = tmp_path / "waivers.yaml"
    text = (CITY / "waivers.yaml").read_text(encoding="utf-8")
    waivers.write_text(text.replace("policy: jining-carbon-peak", "policy: other-plan")
                       + "  - rule: JN-NO-SUCH-RULE\n    entity: 济宁市微山县\n    reason: 测试\n"
                       "    document: 济发改〔2025〕1号\n    approved_by: 济宁市发展和改革委员会\n"
                       "    expires: 2026-12-31\n"
                       "  - rule: JN-NONFOSSIL-2025\n    entity: 济宁市兖州区\n    reason: 重复\n"
                       "    document: 济发改〔2025〕2号\n    approved_by: 济宁市发展和改革委员会\n"
                       "    expires: 2026-12-31\n",
                       encoding="utf-8")
    with_roster = ["waivers", "lint", "waivers.yaml", "-p", POLICY, "--params", str(CITY / "params.yaml")]
    zh = run(*with_roster, code=3) + run("waivers", "lint", "waivers.yaml", "-p", POLICY, code=3)
    # config keys and files a line names are `code` (as in test_zh_only_cli), a lint line's field path follows ::
    assert_zh(re.sub(r"`[^`\n]*`|::[\w.\-]+", " ", zh), CITY_NAMES | {"other-plan", "JN-NO-SUCH-RULE"})
    for line in ("该文件针对规划 other-plan，而不是 jining-carbon-peak",
                 "规划 jining-carbon-peak 中没有规则“JN-NO-SUCH-RULE”",
                 "单位“济宁市微山县”不在报送单位名单中", "已于 2025-06-30 到期（济发改能源〔2024〕3号）",
                 "JN-NONFOSSIL-2025 / 济宁市兖州区 的第二条豁免（第一条在 waivers.yaml::waivers.1）",
                 "未提供报送单位名单"):
        assert line in zh, line
    en = run(*with_roster, "--lang", "en", code=3) + run("waivers", "lint", "waivers.yaml", "-p", POLICY,
                                                           "--lang", "en", code=3)
    for line in ("waivers.yaml::policy: error: the file is for other-plan, not jining-carbon-peak",
                 "waivers.yaml::waivers.2: error: no rule 'JN-NO-SUCH-RULE' in jining-carbon-peak",
                 "waivers.yaml::waivers.2: error: entity '济宁市微山县' is not on the roster",
                 "waivers.yaml::waivers.3: error: a second waiver for JN-NONFOSSIL-2025 / 济宁市兖州区 "
                 "(first at waivers.yaml::waivers.1)",
                 "waivers.yaml::waivers.1: warning: expired on 2025-06-30 (济发改能源〔2024〕3号)",
                 "waivers.yaml: warning: no roster given (--params with roster:, or roster in cbcheck.toml): "
                 "entities were not checked"):
        assert line in en, line


def test_ledger_record_history_and_rollup_from_it(tmp_path: Path) -> None:
    folder = tmp_path / "报送" / "2025"
    folder.mkdir(parents=True)
    for f in (CITY / "2025").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    out = run("check", "报送/2025", "-p", POLICY, "--record", "--ledger", "台账.sqlite", "-q", code=1)
    assert "已记入台账 台账.sqlite：qufu-2025.csv（编号 1）" in out
    out += run("history", "济宁市兖州区", "--ledger", "台账.sqlite", code=0)
    out += run("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", "台账.sqlite",
               "--params", str(CITY / "params.yaml"), code=1)
    assert "无法对分解的下降率加权：以下单位没有 2020年能源消费总量：邹城市" in out
    assert_zh(out, CITY_NAMES | {"sqlite"})


def test_rollup_refusals(tmp_path: Path) -> None:
    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("qufu-2025.csv", "yanzhou-2025.csv"):
        (folder / name).write_bytes((CITY / "2025" / name).read_bytes())
    (folder / "yanzhou-copy.csv").write_bytes((CITY / "2025" / "yanzhou-2025.csv").read_bytes())
    args = ["rollup", "-p", POLICY, "-y", "2025", str(folder)]
    zh = run(*args, code=2)
    assert "都来自 济宁市兖州区；文件夹中每个单位只保留一份报送" in zh
    assert_zh(zh, _names(str(folder), "yanzhou-copy.csv yanzhou-2025.csv"))
    assert "are both from 济宁市兖州区 — keep one submission per entity in the folder" in run(*args, "--lang", "en")
    (folder / "yanzhou-copy.csv").unlink()
    zh = run("rollup", "-p", POLICY, "-y", "2024", str(folder), code=2)
    assert "报告的是 2025年，而不是 2024年；每次只汇总同一年度的报送（--year）" in zh
    assert ("qufu-2025.csv reports 2025, not 2024 — roll up the submissions of one year at a time (--year)"
            in run("rollup", "-p", POLICY, "-y", "2024", str(folder), "--lang", "en"))


# --- the readers' refusals -------------------------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def _plant(path: Path, edit: Callable[[Any], None]) -> None:
    wb = openpyxl.load_workbook(PLANT)
    edit(wb["机组"])
    wb.save(path)


def _no_year(ws: Any) -> None:
    ws["C2"] = ws["D2"] = None


def _bad_cells(ws: Any) -> None:
    ws["F4"] = "#N/A"                     # a VLOOKUP that found nothing
    ws["F5"] = "约三百"                     # a number written in words


# (file, how to write it, extra arguments, exit code, the English sentence as it was, a Chinese piece)
READER = [
    ("表1.csv", lambda p: p.write_text("<!DOCTYPE html><html><body><table><tr><td>指标</td></tr></table>", "utf-8"),
     [], 3, "this is a web page (HTML) saved with a .csv name, not a CSV file — open it in Excel or WPS and save it "
            "as .xlsx or CSV", "这是以 .csv 为扩展名保存的网页（HTML），不是 CSV 文件"),
    ("表1.csv", lambda p: p.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
                                       'spreadsheet"></Workbook>', "utf-8"),
     [], 3, "this is an Excel 2003 XML spreadsheet, not a CSV file — open it in Excel or WPS and save it as .xlsx",
     "这是Excel 2003 XML 电子表格，不是 CSV 文件"),
    ("表1.csv", lambda p: p.write_text('{"指标": "能源消费总量", "2024": 1}\n', "utf-8"),
     [], 3, "this is a JSON document, not a CSV file — export the table as CSV or .xlsx",
     "这是 JSON 文档，不是 CSV 文件"),
    ("表1.csv", lambda p: p.write_bytes(b"\x00\x01\x02\x03" * 200), [], 3,
     "this is not a text file (it holds binary data) — export the table as CSV (UTF-8 or GBK) or save it as .xlsx",
     "这不是文本文件（含有二进制数据）"),
    ("表1.csv", lambda p: p.write_text("能源消费总量,100\n", "utf-8"), ["--encoding", "big5x"], 2,
     "unknown encoding 'big5x' — use e.g. --encoding utf-8, gb18030, gbk or utf-16", "未知的编码“big5x”"),
    ("表1.csv", lambda p: p.write_bytes("指标,2024年\n能源消费总量,100\n".encode("gbk")), ["--encoding", "utf-8"], 3,
     "the file is not valid utf-8: byte 2 cannot be decoded — check --encoding (e.g. utf-8, gb18030, utf-16)",
     "文件不是有效的 utf-8 编码：第 2 个字节无法解码"),
    ("表1.xlsx", lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), [], 3,
     "this is an OpenDocument spreadsheet (.ods), not .xlsx — save it as an Excel Workbook (.xlsx) in WPS or "
     "LibreOffice", "这是 OpenDocument 电子表格（.ods），不是 .xlsx"),
    ("表1.xlsx", lambda p: _zip(p, {"hello.txt": b"hi"}), [], 3,
     "corrupt workbook: it is a zip file without [Content_Types].xml — save it again from Excel or WPS as an Excel "
     "Workbook (.xlsx)", "工作簿已损坏：这是一个缺少 [Content_Types].xml 的压缩文件"),
    ("表1.xlsx", lambda p: _zip(p, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), [], 3,
     "this is a Word document, not an Excel workbook — give the table as .xlsx or .csv",
     "这是Word 文档，不是 Excel 工作簿"),
    ("表1.xlsx", lambda p: p.write_bytes((ROOT / "tests" / "badinput" / "calamine" / "strict_iso_paths.xlsx")
                                        .read_bytes()), [], 3,
     "this workbook is saved as Strict Open XML, which cannot be read — save it as an ordinary Excel Workbook "
     "(.xlsx), not 'Strict Open XML'", "该工作簿以 Strict Open XML 格式保存，无法读取"),
    ("机组.xlsx", lambda p: p.write_bytes(PLANT.read_bytes()), ["--sheet", "表2"], 3,
     "there is no worksheet named '表2' — worksheets: 机组", "没有名为“表2”的工作表；现有工作表：机组"),
    ("表1.parquet", lambda p: p.write_bytes(b"not parquet at all"), [], 3,
     "this is not a Parquet file (it does not start with PAR1) — export the table again as Parquet, or as "
     ".csv/.xlsx", "这不是 Parquet 文件（文件开头不是 PAR1）"),
    ("机组.xlsx", lambda p: _plant(p, _no_year), [], 3,
     "the facility tables do not say which year they report — add a row 报告年度：2025 above the table, or pass "
     "--year 2025", "设施表没有写明报告年度；请在表格上方加一行 报告年度：2025，或使用 --year 2025"),
    ("机组.xlsx", lambda p: _plant(p, _bad_cells), [], 1,
     "ERROR 1号机组 (机组!F4): cannot be read: the cell holds the error #N/A",
     "数据错误 1号机组（机组!F4）：无法读取：单元格中是错误值 #N/A"),
    ("机组.xlsx", lambda p: _plant(p, _bad_cells), [], 1,
     "ERROR 2号机组 (机组!F5): cannot be read: '约三百' is not a number",
     "数据错误 2号机组（机组!F5）：无法读取：'约三百' 不是数字"),
]


@pytest.mark.parametrize("file,write,extra,code,english,chinese", READER,
                         ids=[f"{i}-{r[0]}" for i, r in enumerate(READER)])
def test_reader_refusal_in_chinese_and_english(tmp_path: Path, file: str, write: Callable[[Path], None],
                                                extra: list[str], code: int, english: str, chinese: str) -> None:
    write(tmp_path / file)
    policy = "yuncheng-energy-saving-14fyp" if file.startswith("机组") else POLICY
    zh = run("check", file, "-p", policy, *extra, code=code)
    assert chinese in zh
    names = _names(file, policy, " ".join(extra), "Strict Open XML Content_Types Excel 2003 XML OpenDocument "
                                                  "LibreOffice Word Parquet PAR1 big5x HTML JSON xml ods")
    assert_zh(zh, names)
    assert english in re.sub(r"\s*\n\s*", " ", run("check", file, "-p", policy, *extra, "--lang", "en", code=code))


# --- budgets, outputs, units -----------------------------------------------------------------------------

def test_budget_and_output_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sub = str(CITY / "2025" / "qufu-2025.csv")
    monkeypatch.setenv("CBCHECK_MAX_BYTES", "zz")
    assert "CBCHECK_MAX_BYTES='zz' 不是有效的大小；例如写作 CBCHECK_MAX_BYTES=500M" in run("check", sub, "-p", POLICY)
    assert "CBCHECK_MAX_BYTES='zz' is not a size — write e.g. CBCHECK_MAX_BYTES=500M" in run(
        "check", sub, "-p", POLICY, "--lang", "en")
    monkeypatch.setenv("CBCHECK_MAX_BYTES", "1")
    zh = run("check", sub, "-p", POLICY, code=3)
    assert ("文件大小为 393 字节，超过上限 1 字节（CBCHECK_MAX_BYTES）；"
            "如文件确实如此，请提高上限：CBCHECK_MAX_BYTES=N") in zh
    assert_zh(zh, _names(sub, "CBCHECK_MAX_BYTES README Safety"))
    assert ("the file is 393 bytes, over the limit of 1 bytes (CBCHECK_MAX_BYTES) — if the file is genuine, raise "
            "the limit: CBCHECK_MAX_BYTES=N (README, Safety)") in run("check", sub, "-p", POLICY, "--lang", "en")
    monkeypatch.delenv("CBCHECK_MAX_BYTES")
    (tmp_path / "报告").write_text("x", encoding="utf-8")
    zh = run("check", sub, "-p", POLICY, "--output-dir", "报告", code=2)
    assert "报告：--output-dir 指向的是文件，不是文件夹；请给出一个文件夹（不存在时会自动创建）" in zh
    assert_zh(zh, set())
    assert "报告: --output-dir names a file, not a folder — give a folder (it is created if missing)" in run(
        "check", sub, "-p", POLICY, "--output-dir", "报告", "--lang", "en")


def test_unit_errors() -> None:
    from cbcheck import units
    from cbcheck.errors import UnitError

    with pytest.raises(UnitError) as cannot:
        units.convert(1.0, "万千瓦", "吨")
    assert str(cannot.value.message) == "unit '万千瓦' ([power]) cannot be converted to '吨' ([mass])"
    assert cannot.value.hint == "report this indicator in 吨 or a unit of the same kind"
    assert cannot.value.text("zh") == "单位“万千瓦”（[功率]）不能换算为“吨”（[质量]）；请以 吨 或同类单位填报该指标"
    with pytest.raises(UnitError) as composite:
        units.convert(1.0, "千瓦时/平方米", "万千瓦")
    assert composite.value.text("zh").startswith(
        "单位“千瓦时/平方米”（[电量] / [长度]²）不能换算为“万千瓦”（[功率]）")
    assert str(composite.value.message) == \
        "unit '千瓦时/平方米' ([electricity] / [length]²) cannot be converted to '万千瓦' ([power])"
    with pytest.raises(UnitError) as unknown:
        units.parse_unit("万千瓦时每平方")
    assert unknown.value.message == "unknown unit '万千瓦时每平方'"
    assert unknown.value.text("zh").startswith("未知的单位“万千瓦时每平方”；请使用 万千瓦、MW")


@pytest.mark.parametrize("env,file,chinese,english", [
    ("CBCHECK_MAX_CSV_ROWS", CITY / "2025" / "qufu-2025.csv", "文件有 9 行，超过上限 5 行（CBCHECK_MAX_CSV_ROWS）",
     "the file has 9 lines, over the limit of 5 rows (CBCHECK_MAX_CSV_ROWS)"),
    ("CBCHECK_MAX_ROWS", PLANT,
     "yuncheng-power-plant.xlsx（工作表 机组）：工作表有 8 行，超过上限 5 行（CBCHECK_MAX_ROWS）",
     "yuncheng-power-plant.xlsx (sheet 机组): the sheet has 8 rows, over the limit of 5 rows (CBCHECK_MAX_ROWS)"),
])
def test_budget_refusals_say_what_was_found(monkeypatch: pytest.MonkeyPatch, env: str, file: Path, chinese: str,
                                            english: str) -> None:
    monkeypatch.setenv(env, "5")
    policy = "yuncheng-energy-saving-14fyp" if file == PLANT else POLICY
    zh = run("check", str(file), "-p", policy, code=3)
    assert chinese in zh
    assert_zh(zh, _names(str(file), env, "README Safety"))      # the README's section, by its title
    assert english in run("check", str(file), "-p", policy, "--lang", "en", code=3)


# --- policy coverage, draft and lint ---------------------------------------------------------------------

def test_coverage_in_chinese_and_english() -> None:
    zh = run("policy", "coverage", POLICY, code=0)
    assert zh.startswith("# 规划覆盖情况：`jining-carbon-peak` 济宁市碳达峰工作方案\n")
    assert "- 含数字或时限的句子：42\n" in zh and "- 未引用且无说明：0\n" in zh
    assert_zh(re.sub(r"`[^`\n]*`", " ", zh), set())
    en = run("policy", "coverage", POLICY, "--lang", "en", code=0)
    assert en == (ROOT / "docs" / "policies" / f"{POLICY}.coverage.md").read_text(encoding="utf-8")


def test_draft_says_what_it_wrote_in_chinese(tmp_path: Path) -> None:
    plan = ROOT / "docs" / "plans" / "simplified" / "001_ea73b3f3e3f04998.txt"
    zh = run("policy", "draft", str(plan), "--id", "moushi-carbon-peak", "-o", "moushi.yaml", code=0)
    assert "moushi.indicators.yaml" in zh
    # the next command's words are a command line to type: cbcheck policy lint moushi.yaml
    assert_zh(zh, {"moushi", "yaml", "indicators", "policy", "lint"})
    zh = run("policy", "draft", str(plan), "--id", "moushi", "-o", "moushi.txt", code=2)
    assert "草稿应写为 .yaml 文件" in zh


_RULE = ("{{id: {id}, title: {quote}, indicator: {ind}, kind: {kind}, {fields}, target_year: 2025, "
         "strength: binding, scope: region, source: {{section: 四, quote: {quote}}}}}")
BROKEN = "\n".join([
    "schema_version: 1", "id: broken-lint", "title: 测试方案（编码错误）", "region: 测试县", "status: final",
    'period: "2021-2025"', "rules:",
    "  - " + _RULE.format(id="BT-SWAPPED", quote="森林覆盖率保持在20%—22%", ind="forest_coverage", kind="between",
                          fields='min: 22, max: 20, unit: "%"'),
    "  - " + _RULE.format(id="AL-UNIT", quote="森林覆盖率稳步提高", ind="forest_coverage", kind="at_least",
                          fields="target: 20, unit: 万千瓦"),
    "  - " + _RULE.format(id="RD-UNIT", quote="单位地区生产总值能耗持续下降", ind="energy_intensity",
                          kind="reduction_vs_base", fields="target: 13.5, unit: 吨, base_year: 2020"),
]) + "\n"


def test_lint_of_a_broken_policy(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    zh = run("policy", "lint", "broken.yaml")
    for line in ("broken.yaml::rules.0.min：错误：min 大于 max",
                 "broken.yaml::rules.1.unit：错误：单位“万千瓦”不是与指标相同的比重单位（forest_coverage：%）",
                 "broken.yaml::rules.2.unit：错误：reduction_vs_base 类目标的单位应为 %，而不是“吨”"):
        assert line in zh, zh
    assert_zh(re.sub(r"::[\w.\-]+", " ", zh), {"broken", "yaml", "min", "max", "reduction_vs_base",
                                               "forest_coverage"})
    en = run("policy", "lint", "broken.yaml", "--lang", "en")
    for line in ("broken.yaml::rules.0.min: error: min is greater than max",
                 "broken.yaml::rules.1.unit: error: unit '万千瓦' is not a unit of share like the indicator's "
                 "(forest_coverage: %)",
                 "broken.yaml::rules.2.unit: error: targets of reduction_vs_base rules are in %, not '吨'"):
        assert line in en, en


def test_completed_by_dates_lint() -> None:
    from cbcheck.checks import KINDS

    problems = dict(KINDS["completed_by"].lint({"deadline": "2025-02-30", "annual_deadline": "13-01"}))
    assert problems["deadline"] == "2025-02-30 is not a real date"
    assert problems["annual_deadline"] == "13-01 is not a real month-day (MM-DD)"
    assert problems["deadline"].text("zh") == "2025-02-30 不是真实存在的日期"        # type: ignore[attr-defined]
    assert problems["annual_deadline"].text("zh") == "13-01 不是真实存在的月-日（MM-DD）"  # type: ignore[attr-defined]


@pytest.mark.parametrize("years,chinese,english", [
    ("20x", "--years “20x”不是年份列表；例如 --years 2020,2024,2025",
     "--years '20x' is not a list of years — e.g. --years 2020,2024,2025"),
    ("1800", "--years “1800”：年份须在 1990 至 2100 之间；例如 --years 2020,2024,2025",
     "--years '1800': years must be between 1990 and 2100 — e.g. --years 2020,2024,2025"),
])
def test_template_years_errors(years: str, chinese: str, english: str) -> None:
    zh = run("template", "-p", POLICY, "--years", years, "-o", "填报表.xlsx", code=2)
    assert chinese in zh
    assert_zh(zh, set())
    assert english in run("template", "-p", POLICY, "--years", years, "-o", "填报表.xlsx", "--lang", "en", code=2)


def test_arithmetic_lines_are_sentences_by_key_or_formulas_without_words() -> None:
    """The explain arithmetic of every rule of every bundled policy: a sentence is a Msg (worded
    in each language by the catalogue), anything else a bare formula, shown as written in zh and
    en alike — so it may hold no English word (a Latin letter run longer than a symbol: 'r', 'I_',
    'v_t', 'g' are symbols, 'by' or 'even' would be English leaking into the Chinese report)."""
    import re

    from cbcheck.i18n.message import Msg
    from cbcheck.policy import bundled_policy_paths, load_policy
    from cbcheck.render.policyview import arith_line, arithmetic_lines

    said = formulas = 0
    for path in bundled_policy_paths():
        policy, _ = load_policy(str(path))
        for rule in policy.rules:
            for line in arithmetic_lines(rule):
                if isinstance(line, Msg):
                    said += 1
                    assert arith_line(line, "zh") != arith_line(line, "en"), (rule.id, line)
                else:
                    formulas += 1
                    assert not re.search(r"[A-Za-z]{2,}", line), (rule.id, line)
                    assert arith_line(line, "zh") == arith_line(line, "en") == line
    assert said > 50 and formulas > 10


# --- a county table's unreadable cells, as an office types them --------------------------------------------

QUFU = (CITY / "2025" / "qufu-2025.csv").read_bytes().decode("gbk")


@pytest.mark.parametrize("cell,chinese,english", [
    ("199,5", "'199,5' 用了逗号但不是千位分隔符；小数请用小数点（1.7）",
     "'199,5' uses a comma that is not a thousands separator; write decimals with a point (1.7)"),
    ("≥199", "'≥199' 是一个界限，不是数值；请填写数值本身", "'≥199' is a bound, not a value; write the value itself"),
    ("195-200", "'195-200' 是一个区间，不是数值；请填写一个数", "'195-200' is a range, not a value; write one number"),
    ("一百九十九", "'一百九十九' 不是数字", "'一百九十九' is not a number"),
    ("199亿元", "'199亿元' 不是数字（或 '亿元' 不是能源消费总量的单位）",
     "'199亿元' is not a number (or '亿元' is not a unit of total energy consumption)"),
])
def test_unreadable_cell_of_a_county_table(tmp_path: Path, cell: str, chinese: str, english: str) -> None:
    text = QUFU.replace("1,能源消费总量,万吨标准煤,190,197,199,", f'1,能源消费总量,万吨标准煤,190,197,"{cell}",')
    assert text != QUFU
    (tmp_path / "曲阜市.csv").write_bytes(text.encode("gbk"))
    zh = run("check", "曲阜市.csv", "-p", POLICY)
    assert chinese in zh, zh
    assert_zh(zh, set())
    en = run("check", "曲阜市.csv", "-p", POLICY, "--lang", "en")
    assert english in re.sub(r"\s*\n\s*", " ", en), en
