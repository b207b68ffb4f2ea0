"""How a file was read, as values: the county form of tests/cases/county-as-written read note by
note (kind, sentence in both languages, cells), the report section in every format, and the
lookalike named by a finding whose indicator is absent."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.i18n.message import Msg
from cbcheck.lookalike import Candidate, best, similarity
from cbcheck.model import Submission, Unmatched
from cbcheck.policy import load_policy
from cbcheck.readnote import ReadNote, Span, merge_spans
from cbcheck.reader import read_submission

CASE = Path(__file__).parent / "cases" / "county-as-written"


@pytest.fixture(scope="module")
def sub() -> Submission:
    _, cat = load_policy(str(CASE / "policy.yaml"))
    return read_submission(CASE / "submission.xlsx", cat)


def _by_kind(sub: Submission) -> dict[str, list[ReadNote]]:
    out: dict[str, list[ReadNote]] = {}
    for n in sub.notes:
        assert isinstance(n, ReadNote), n
        out.setdefault(n.kind, []).append(n)
    return out


def test_every_sheet_row_and_footer_of_a_county_form_is_accounted_for(sub: Submission) -> None:
    kinds = _by_kind(sub)
    assert sorted(kinds) == ["remark", "row_unmatched", "sheet_skipped", "table"]
    skipped = {n.params["sheet"]: [str(c) for c in n.cells] for n in kinds["sheet_skipped"]}
    assert skipped == {"说明": ["说明!A1:A3"], "草稿": ["草稿!A1:B2"]}
    assert [n.key for n in kinds["sheet_skipped"]] == ["read.no_table", "read.hidden_sheet"]
    (row,) = kinds["row_unmatched"]
    assert row.params["label"] == "单位地区生产总值能源消费" and [str(c) for c in row.cells] == ["表1!A6:F6"]
    assert "单位地区生产总值能源消耗" in row.params["names"]        # did-you-mean
    assert [[str(c) for c in n.cells] for n in kinds["remark"]] == [["表1!A8:F8"], ["表1!A9:E9"]]
    assert sub.meta["contact"] == "王某某" and sub.meta["reviewer"] == "赵某"
    (table,) = kinds["table"]
    # title and 填报单位 rows, header, 序号/name/unit/year columns of the two matched rows
    assert [str(c) for c in table.cells] == ["表1!A1:A5", "表1!B3:B5", "表1!C3:C5", "表1!D2:D5", "表1!E3:E5",
                                            "表1!F3"]


def test_notes_keep_their_english_sentence_and_render_in_chinese(sub: Submission) -> None:
    hidden = next(n for n in sub.notes if n.key == "read.hidden_sheet")
    assert hidden == "草稿: hidden sheet, skipped (choose it with --sheet)"
    assert hidden.text("zh") == "草稿：隐藏工作表，已跳过（可用 --sheet 指定）"
    again = pickle.loads(pickle.dumps(hidden))
    assert isinstance(again, ReadNote) and again.kind == "sheet_skipped" and again.cells == hidden.cells


def test_a_fraction_in_a_share_row_says_the_value_a_percentage_would_be() -> None:
    note = ReadNote("value", "read.percent", location="t.csv:3:3", raw="0.085", meant="8.5")
    assert note == "t.csv:3:3: 0.085 read as 0.085 %; if 8.5 % was meant, write 8.5 or format the cell as a percentage"


def test_spans_print_as_excel_ranges_and_merge_down_a_column() -> None:
    assert str(Span("表1", False, 3, 2, 40, 2)) == "表1!B3:B40"
    assert str(Span("Sheet 1", False, 1, 28, 1, 28)) == "'Sheet 1'!AB1"
    assert str(Span("a.csv", True, 2, 1, 9, 4)) == "a.csv:2:1-9:4"
    runs = merge_spans([Span("s", False, r, 2, r, 2) for r in (3, 4, 5, 7)])
    assert [str(s) for s in runs] == ["s!B3:B5", "s!B7"]


@pytest.mark.parametrize("a,b,alike", [
    ("单位地区生产总值能源消费", "单位地区生产总值能源消耗", True),      # one character retyped
    ("城市绿色出行分担比例", "城市绿色出行比例", True),               # a word added: contains it
    ("煤炭消费总量", "能源消费总量", False),                          # another quantity, 0.67
    ("合计", "合计能耗", False),                                      # too short to contain anything
])
def test_similarity_threshold(a: str, b: str, alike: bool) -> None:
    found = best([b], [Candidate(a, Msg("read.looks_like_sheet"))])
    assert (found is not None) is alike, similarity(a, b)


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["check", str(CASE / "submission.xlsx"), "--policy", str(CASE / "policy.yaml"),
                                      "--year", "2025", *args])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_the_report_names_the_lookalike_in_both_languages() -> None:
    # (words joined across the line wraps: the indicator's English name made the sentence longer)
    assert "row 6 (表1!B6) '单位地区生产总值能源消费' looks like it" in " ".join(_run("--lang", "en").split())
    zh = _run("--lang", "zh")
    assert "第 6 行（表1!B6）“单位地区生产总值能源消费”与之相似" in zh
    assert "looks like" not in zh and "hidden sheet" not in zh


def test_json_lists_the_reading_with_kinds_and_cells() -> None:
    data = json.loads(_run("--format", "json"))
    kinds = [(r["kind"], r["cells"]) for r in data["reading"]]
    assert ("sheet_skipped", ["草稿!A1:B2"]) in kinds and ("row_unmatched", ["表1!A6:F6"]) in kinds
    assert all(r["key"].startswith("read.") for r in data["reading"])


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_each_format_shows_the_groups(fmt: str) -> None:
    out = _run("--format", fmt, "--lang", "en")
    for heading in ("Sheets not read (2)", "Rows not recognised (1)", "Notes and footers read (2)"):
        assert heading in out, fmt


def test_a_clean_csv_reads_as_one_line(tmp_path: Path) -> None:
    path = tmp_path / "县.csv"
    path.write_text("指标名称,单位,2025年\n森林覆盖率,%,26.3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--policy", str(CASE / "policy.yaml"), "--year", "2025",
                                      "--lang", "en"])
    section = result.stdout.split("How this file was read\n", 1)[1].split("\n\n", 1)[0]
    # one routine line, wrapped; naming no entity adds its clause to that line, never a group of its own
    assert section.count("\n") <= 2 and "(1)" not in section, section
    assert "read as utf-8" in section and "县.csv:1:1-2:3" in section and "names no entity" in section


def test_an_unmatched_row_is_listed_once_not_twice(sub: Submission) -> None:
    assert sub.unmatched == (Unmatched("单位地区生产总值能源消费", "表1!B6", sub.unmatched[0].suggestions),)
    out = _run("--lang", "en")
    assert out.count("单位地区生产总值能源消费' is not an indicator") == 1 and "Unrecognised indicator" not in out


@pytest.mark.parametrize("lang,expected", [
    ("zh", "没有找到指标表；指标表需要一行含“指标名称”"),
    ("en", "no indicator table found — an indicator table needs a header row with 指标名称"),
])
def test_a_reader_error_is_one_line_in_the_report_language(tmp_path: Path, lang: str, expected: str) -> None:
    path = tmp_path / "县.csv"
    path.write_text("填报单位,示例县\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--policy", str(CASE / "policy.yaml"), "--lang", lang])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    frame = f"cbcheck：错误：{path}：" if lang == "zh" else f"cbcheck: error: {path}: "
    assert len(lines) == 1 and lines[0].startswith(frame) and expected in lines[0], lines


def test_a_year_that_is_not_a_year_is_said_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "县.csv"
    path.write_text("指标,年份,数值\n森林覆盖率,去年,26.3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--policy", str(CASE / "policy.yaml"), "--lang", "zh"])
    assert result.exit_code == 3 and "“去年”不是年份；年份请写作 2024 或 2024年" in result.stderr, result.stderr


@pytest.mark.parametrize("name,data,zh", [
    ("报表.xlsx", b"%PDF-1.4 ...", "这是PDF 文档，不是 Excel 工作簿；请提供 .xlsx、.xls 或 .csv 格式的表格"),
    # an .xls is read (tests/reader/test_xlsfile.py); one that does not open says so, and what to do
    ("报表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"),
     "这个旧格式 Excel（.xls）或 WPS（.et）工作簿无法读取（not a compound file）；"
     "请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）"),
    ("报表.pdf", b"%PDF-1.4 ...", "不支持的文件类型 .pdf；请提供 .xlsx、.xlsm、.xls、.et 或 .csv 文件"),
])
def test_a_refused_file_is_refused_in_chinese(tmp_path: Path, name: str, data: bytes, zh: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["check", str(path), "--policy", str(CASE / "policy.yaml"), "--lang", "zh"])
    assert result.exit_code == 3 and result.stderr == f"cbcheck：错误：{path}：{zh}\n", result.stderr


def test_a_hidden_facility_sheet_is_named_by_the_rules_it_would_answer(tmp_path: Path) -> None:
    """An enterprise hides its 焦炉 sheet (焦炉明细) and leaves its boiler units visible: the coke-oven
    rules are NOT_APPLICABLE — and say which sheet looks like what they looked for."""
    import openpyxl

    wb = openpyxl.load_workbook(Path(__file__).parents[1] / "examples" / "enterprise" / "yuncheng-coking-plant.xlsx")
    coke = wb.worksheets[0]
    coke.title, coke.sheet_state = "焦炉明细", "hidden"
    units = wb.create_sheet("发电机组")
    units.append(["填报单位：", "运城市示例焦化有限公司", "报告年度：", "2025"])
    units.append(["机组名称", "装机容量(万千瓦)", "供电煤耗(克标准煤/千瓦时)"])
    units.append(["1号机组", 35, 301.2])
    path = tmp_path / "焦化厂.xlsx"
    wb.save(path)
    result = CliRunner().invoke(app, ["check", str(path), "-p", "yuncheng-energy-saving-14fyp", "--format", "json"])
    findings = {f["rule_id"]: f for f in json.loads(result.stdout)["findings"]}
    coke_rule = findings["YC-COKE-43M-CLOSE-2023"]
    assert coke_rule["status"] == "NOT_APPLICABLE"
    assert coke_rule["message"].endswith("; sheet '焦炉明细' looks like it"), coke_rule["message"]
    # rules about other facility types or county indicators name nothing
    assert not any("焦炉明细" in f["message"] for rid, f in findings.items() if "COKE" not in rid)


def test_footnote_marks_on_figures_are_named_cell_by_cell() -> None:
    from pathlib import Path

    from cbcheck.policy import load_policy
    from cbcheck.reader import read_submission

    case = Path(__file__).parent / "cases" / "redteam-footnote-on-number"
    _, cat = load_policy(case / "policy.yaml")
    sub = read_submission(case / "submission.xlsx", cat)
    said = {n.params["location"]: (n.params["mark"], n.params["value"]) for n in sub.notes
            if n.key == "read.footnote_mark"}
    assert said == {"Sheet1!F4": ("*", "172"), "Sheet1!D5": ("¹", "200"), "Sheet1!F5": ("①", "250"),
                    "Sheet1!F6": ("注", "12.3")}
    gdp = {(o.year, o.value) for o in sub.observations if o.indicator == "gdp_comparable"}
    assert gdp == {(2020, 200.0), (2024, 240.0), (2025, 250.0)}
