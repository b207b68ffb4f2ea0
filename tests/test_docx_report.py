"""The Word report (-f docx) read back with python-docx: what an office forwards (title, the five
parts, the action list and the findings with their arithmetic and the plan's words, the facilities,
every reading note) and how it is set (A4, 公文 margins, fonts named for Chinese text, header rows
repeated, page numbers the only field, no links), zh and en, facility and hostile examples, and the
command line around it (a usage error without --output, --output-dir, never half-written)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from typer.testing import CliRunner

from cbcheck import outputs
from cbcheck.batch import Checker, CheckSettings
from cbcheck.cli import app
from cbcheck.render import RenderOptions
from cbcheck.render import docx as docxfmt
from cbcheck.render import docxio
from tests.docxdump import blocks, cells

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
FAIL = ["check", str(EX / "jining-county-fail.xlsx"), "-p", "jining-carbon-peak", "--params",
        str(EX / "jining-params.yaml")]
PLANT = ["check", str(EX / "enterprise" / "yuncheng-power-plant.xlsx"), "-p", "yuncheng-energy-saving-14fyp"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _write(tmp: Path, args: list[str], lang: str, code: int, name: str = "报告.docx") -> docx.document.Document:
    out = tmp / name
    r = CliRunner().invoke(app, [*args, "--lang", lang, "-o", str(out), "-q"], env={"SOURCE_DATE_EPOCH": "1750377600"})
    assert r.exit_code == code, r.output
    return docx.Document(str(out))


@pytest.fixture(scope="module")
def zh(tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    return _write(tmp_path_factory.mktemp("docx"), FAIL, "zh", 1)


def _part(doc: docx.document.Document, heading: str) -> list[tuple[str, object]]:
    """The blocks under a 一、 heading, up to the next one."""
    got = blocks(doc)
    start = next(i for i, (k, w) in enumerate(got) if k == "p" and w == ("Heading 1", heading))
    end = next((i for i in range(start + 1, len(got)) if got[i][0] == "p" and got[i][1][0] == "Heading 1"), len(got))
    return got[start + 1:end]


def test_title_meta_line_and_the_five_parts(zh: docx.document.Document) -> None:
    paras = [(p.style.name, p.text) for p in zh.paragraphs]
    assert paras[0] == ("Title", "济宁市示例县2025年度《济宁市碳达峰工作方案》目标完成情况核查报告")
    meta = paras[1][1]
    assert meta.startswith("政策：《济宁市碳达峰工作方案》")
    assert "jining-county-fail.xlsx（sha256 c91fca5a03c6）" in meta
    assert "核查日期：2025年6月20日" in meta and "cbcheck " in meta           # SOURCE_DATE_EPOCH 1750377600
    assert [t for s, t in paras if s == "Heading 1"] == ["一、总体结论", "二、需整改事项", "三、逐项核查结果",
                                                        "四、设施核查", "五、读取说明"]
    conclusion = [w[1] for k, w in _part(zh, "一、总体结论")]
    assert conclusion[0] == "结论：不合规"
    assert conclusion[1] == "原因：4 项目标未达标（整改清单第 1–4 项）"
    # 4 + 32 + 3 + 24 + 4 + 58 = 125 rules
    assert conclusion[2] == "核查规则 125 条：4 未达标 · 32 缺报 · 3 预警 · 24 达标 · 4 未到期 · 58 不适用。"


def test_action_list_rows_with_hand_checked_gaps(zh: docx.document.Document) -> None:
    [(kind, rows)] = [b for b in _part(zh, "二、需整改事项") if b[0] == "t"]
    assert rows[0] == ["序号", "状态", "指标/规则", "要求", "实际", "差距", "单元格"]
    first = rows[1]
    # (468/620) / (412/520) = 0.7548 / 0.7923: down 4.729 %, 15.6 − 4.729 = 10.87 points short
    assert first[:2] == ["1", "未达标"] and first[2].startswith("单位地区生产总值能源消耗比2020年下降15.6%")
    assert "JN-ENERGY-INTENSITY-2025 · 约束性" in first[2]
    assert first[3:] == ["≥ 15.6%", "4.729%", "还差 10.87 个百分点", "表1!F5/\n表1!F6"]    # a cell a line
    note = rows[2]
    assert len(note) == 1 and note[0].startswith("2025年：比2020年下降幅度未达到目标")
    assert "整改要求：核实数据" in note[0]
    coal = next(r for r in rows if len(r) > 2 and "JN-COAL-POWER-SUPPLY-2025" in r[2])      # 299.4 − 295 = 4.4 over
    assert coal[3:] == ["≤ 295 克标准煤/千瓦时", "299.4 克标准煤/千瓦时", "超出 4.4 克标准煤/千瓦时", "表1!F8"]
    total = next(r for r in rows if len(r) > 2 and "JN-ENERGY-TOTAL-CONTROL" in r[2])      # 468 − 440 = 28 over
    assert total[1] == "未达标" and total[5] == "超出 28 万吨标准煤"
    statuses = [r[1] for r in rows[1:] if len(r) > 1]
    assert statuses[:4] == ["未达标"] * 4 and statuses.count("预警") == 3


def test_findings_by_plan_section_pass_rows_one_line_others_explained(zh: docx.document.Document) -> None:
    part = _part(zh, "三、逐项核查结果")
    heads = [w[1] for k, w in part if k == "p" and w[0] == "Heading 2"]
    assert heads[0] == "（一）“二、主要目标”" and heads[1] == "（二）“三、(一) 能源绿色低碳转型行动”"
    table = next(w for k, w in part if k == "t")
    assert table[0] == ["规则", "指标", "状态", "实际", "要求", "单元格"]
    i = next(i for i, r in enumerate(table) if r[0].endswith("JN-ENERGY-INTENSITY-2025"))
    assert table[i][2:] == ["未达标", "4.729%", "≥ 15.6%", "表1!F5/\n表1!F6"]
    note = table[i + 1][0]
    assert "计算过程：" in note and "r = 1 − 0.7548 / 0.7923 = 4.729%" in note
    assert "规划原文：“" in note
    p = next(i for i, r in enumerate(table) if r[0].endswith("JN-COAL-SHARE-DECREASE-2025"))
    assert table[p][2:] == ["达标", "56.1%", "比2024年下降", "表1!F11"]
    assert p == len(table) - 1 or len(table[p + 1]) == 6            # a PASS row has no note under it


def test_reading_notes_and_no_facilities(zh: docx.document.Document) -> None:
    reading = [w[1] for k, w in _part(zh, "五、读取说明") if k == "p"]
    assert "已读取的注释与表尾（1）" in reading and "表1!A38：填报人:张某 审核人:李某 联系电话:(略)" in reading
    assert any(line.startswith("表1：表头在第 3 行") for line in reading)
    assert [w[1] for k, w in _part(zh, "四、设施核查")] == ["本次核查不涉及设施核查规则。"]


def test_data_quality_notes_are_listed(tmp_path: Path) -> None:
    """Never silent: the four data-quality notes of tests/cases/data-quality, each with its label and cell."""
    case = ROOT / "tests" / "cases" / "data-quality"
    doc = _write(tmp_path, ["check", str(case / "submission.csv"), "-p", str(case / "policy.yaml")], "zh", 0)
    part = _part(doc, "三、逐项核查结果")
    at = next(i for i, (k, w) in enumerate(part) if k == "p" and w[0] == "Heading 2" and w[1].endswith("数据质量"))
    notes = [w[1] for k, w in part[at + 2:] if k == "p"]
    assert len(notes) == 4 and all("：" in n for n in notes)
    assert any("19" in n and "17.5" in n for n in notes)           # the reported rate against the levels' 17.5 %


def test_page_fonts_and_layout(zh: docx.document.Document) -> None:
    sec = zh.sections[0]

    def cm(length: int) -> float:          # stored in twentieths of a point: 21 cm is 11906 twips
        return round(length / Cm(1), 2)

    assert (cm(sec.page_width), cm(sec.page_height)) == (21.0, 29.7)
    assert [cm(sec.top_margin), cm(sec.bottom_margin), cm(sec.left_margin), cm(sec.right_margin)] == \
        [3.7, 3.5, 2.8, 2.6]

    def fonts(name: str) -> dict[str, str]:
        el = zh.styles[name].element.rPr.find(f"{W}rFonts")
        return {k.split("}")[1]: v for k, v in el.attrib.items()}

    assert fonts("Title") == {"ascii": "方正小标宋简体", "hAnsi": "方正小标宋简体", "eastAsia": "方正小标宋简体",
                              "cs": "方正小标宋简体"}
    assert fonts("Normal")["eastAsia"] == "仿宋_GB2312" and fonts("Heading 1")["eastAsia"] == "黑体"
    assert fonts("Heading 2")["eastAsia"] == "楷体_GB2312"
    assert zh.styles["Title"].font.size.pt == 22 and zh.styles["Normal"].font.size.pt == 16
    assert zh.styles["Heading 1"].font.size.pt == 16 and zh.styles[docxfmt.STYLE_TABLE].font.size.pt == 12
    alt = {f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val") for f in _font_table(zh)
           if f.find(f"{W}altName") is not None}
    assert alt["方正小标宋简体"] == "宋体" and alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体"
    for table in zh.tables:                                        # every header row repeats on each page
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None


def _font_table(doc: docx.document.Document) -> list:
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    return list(etree.fromstring(part.blob))


def test_page_number_is_the_only_field_and_there_are_no_links(zh: docx.document.Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    assert zh.settings.odd_and_even_pages_header_footer
    sec = zh.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        el = footer._element                     # GB/T 9704: odd pages right, even pages left
        assert [t.text for t in el.iter(f"{W}instrText")] == [" PAGE "]
        assert "".join(t.text for t in el.iter(f"{W}t")) == "— 1 —"
        assert footer.paragraphs[0].alignment == align
    body = zh.element
    assert not list(body.iter(f"{W}instrText")) and not list(body.iter(f"{W}fldSimple"))
    assert not list(body.iter(f"{W}hyperlink"))
    for part in zh.part.package.iter_parts():
        assert all(not rel.is_external for rel in part.rels.values())


def test_status_words_coloured_and_bold_where_they_call_for_action(zh: docx.document.Document) -> None:
    runs = {r.text: r for t in zh.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs}
    assert str(runs["未达标"].font.color.rgb) == "CF222E" and runs["未达标"].bold
    assert str(runs["达标"].font.color.rgb) == "1A7F37" and not runs["达标"].bold


def test_chinese_report_has_no_english_words(zh: docx.document.Document, tmp_path: Path) -> None:
    """Every word of the Chinese document is Chinese but the names, ids, cells and formats (test_zh_only's rules)."""
    from tests.test_zh_only import FACILITY_IDS, leftovers

    text = "\n".join(w[1] if k == "p" else "\n".join(" ".join(r) for r in w) for k, w in blocks(zh))
    text = text.replace(f"{ROOT}/", "")                           # the checkout's path, wherever it is
    assert not leftovers(text, {"examples", "jining-county-fail", "xlsx"} | FACILITY_IDS)


def test_english(tmp_path: Path) -> None:
    doc = _write(tmp_path, FAIL, "en", 1)
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0][1].startswith("济宁市示例县 2025 — ") and paras[0][1].endswith(": target progress check")
    assert [t for s, t in paras if s == "Heading 1"] == ["1. Overall verdict", "2. Items to act on",
                                                        "3. Findings rule by rule", "4. Facilities",
                                                        "5. How the file was read"]
    assert doc.tables[0].rows[0].cells[2].text == "Indicator / rule"
    assert cells(doc.tables[0].rows[1])[1] == "FAIL"
    rfonts = doc.styles["Normal"].element.rPr.find(f"{W}rFonts")
    assert rfonts.get(f"{W}eastAsia") == "仿宋_GB2312" and rfonts.get(f"{W}ascii") == "Times New Roman"


def test_facilities_listed_as_the_html_lists_them(tmp_path: Path) -> None:
    doc = _write(tmp_path, PLANT, "zh", 1)
    part = _part(doc, "四、设施核查")
    assert part[0][1][1] == "设施：报送 5 个 · 已检查 5 个 · 超标或逾期 3 个 · 数据错误或缺报 3 个 · 豁免 0 个"
    heads = [w[1] for k, w in part if k == "p" and w[0] == "Heading 2"]
    i = next(i for i, (k, w) in enumerate(part) if k == "p" and "YC-CHP-SUPPLY-COAL-300" in w[1])
    assert heads.index(part[i][1][1]) >= 0
    table = next(w for k, w in part[i:] if k == "t")
    assert table[0] == ["状态", "设施", "报送值", "要求", "单元格", "结果"]
    assert [r[:5] for r in table[1:]] == [["未达标", "2号机组", "303.2", "300", "机组!F5"],
                                          ["未达标", "5号机组", "352", "300", "机组!F8"]]


def test_facilities_past_the_cap_are_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cbcheck.render import view

    monkeypatch.setattr(view, "FACILITY_LIST_LIMIT", 1)
    doc = _write(tmp_path, PLANT, "zh", 1)
    part = _part(doc, "四、设施核查")
    i = next(i for i, (k, w) in enumerate(part) if k == "p" and "YC-CHP-SUPPLY-COAL-300" in w[1])
    table = next(w for k, w in part[i:] if k == "t")
    assert len(table) == 2                                          # the header and one of the two failing units
    after = [w[1] for k, w in part[i + 1:] if k == "p"]
    assert after[1].startswith("… 另有 1 个")


HOSTILE = ("填报单位：示例县\x1b[2J\x1b]0;pwned\x07\x0b\x1f尾\n指标名称,单位,2020年,2025年\n"
           "非化石能源消费比重,%,8.2,13.1\n某指标\x1b[31m\x01,%,1,2\n")


def test_control_characters_from_a_submission_are_shown_not_written(tmp_path: Path) -> None:
    sub = tmp_path / "x.csv"
    sub.write_text(HOSTILE, encoding="utf-8")
    doc = _write(tmp_path, ["check", str(sub), "-p", "jining-carbon-peak"], "zh", 1)     # 57 values missing
    # the vertical tab and \\x1f after it are dropped by the reader
    assert doc.paragraphs[0].text.startswith("示例县\\x1b[2J\\x1b]0;pwned\\x07尾")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "某指标\\x1b[31m\\x01" in text and "\x1b" not in text


def test_a_lone_surrogate_and_nul_in_any_string_still_make_a_document() -> None:
    """The reader refuses undecodable bytes, but a workbook's ``_xD800_`` escape or a policy could carry
    one: python-docx would raise on it."""
    result = Checker(CheckSettings(policy="jining-carbon-peak", lang="zh")).check(EX / "jining-county-pass.xlsx")
    report = result.report
    sub = dataclasses.replace(report.submission, entity="甲\ud800县\x00", path="a\udcff.xlsx")
    report = dataclasses.replace(report, submission=sub)
    data = docxfmt.render(report, RenderOptions(lang="zh", catalogue=result.catalogue))
    import io

    doc = docx.Document(io.BytesIO(data))
    assert doc.paragraphs[0].text.startswith("甲\\ud800县\\x00")
    assert "a\\udcff.xlsx" in doc.paragraphs[1].text


@pytest.mark.parametrize("raw, shown", [("a\x00b", "a\\x00b"), ("\ud800", "\\ud800"), ("x\ufffe", "x\\ufffe"),
                                        ("行1\n行2\t列", "行1\n行2\t列"), ("\u202e反", "\\u202e反"), ("普通", "普通")])
def test_text_is_writable(raw: str, shown: str) -> None:
    assert docxio.text(raw) == shown


@pytest.mark.parametrize("n, said", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                     (99, "九十九"), (100, "100"), (0, "0")])
def test_cn_ordinal(n: int, said: str) -> None:
    assert docxfmt.cn_ordinal(n) == said


def test_binary_needs_an_output(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, [*FAIL, "-f", "docx", "--lang", "zh"])
    assert r.exit_code == 2 and "docx 是二进制格式" in r.output


def test_output_dir_writes_one_document_per_file(tmp_path: Path) -> None:
    files = [str(EX / "jining-county-fail.xlsx"), str(EX / "jining-county-pass.xlsx")]
    r = CliRunner().invoke(app, ["check", *files, "-p", "jining-carbon-peak", "--params",
                                 str(EX / "jining-params.yaml"), "--output-dir", str(tmp_path), "--output-format",
                                 "docx", "-q", "--lang", "zh"])
    assert r.exit_code == 1, r.output
    for name, verdict in (("jining-county-fail.cbcheck.docx", "结论：不合规"), ("jining-county-pass.cbcheck.docx",
                                                                             "结论：合规")):
        doc = docx.Document(str(tmp_path / name))
        assert verdict in [p.text for p in doc.paragraphs]


def test_never_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the shared atomic writer: a failure at the rename leaves the old report and no temporary file."""
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")

    def full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", full)
    r = CliRunner().invoke(app, [*FAIL, "-o", str(target), "-q"])
    assert r.exit_code == 2 and "No space left on device" in r.output
    assert [p.name for p in tmp_path.iterdir()] == ["报告.docx"] and target.read_bytes() == b"old"


def test_same_report_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750377600")
    result = Checker(CheckSettings(policy="jining-carbon-peak", lang="zh")).check(EX / "jining-county-fail.xlsx")
    opts = RenderOptions(lang="zh", catalogue=result.catalogue)
    assert docxfmt.render(result.report, opts) == docxfmt.render(result.report, opts)


def test_rollup_document(tmp_path: Path) -> None:
    city = EX / "city"
    out = tmp_path / "城市.docx"                                   # the format from the extension, no -f
    r = CliRunner().invoke(app, ["rollup", "-p", "jining-carbon-peak", "-y", "2025", str(city / "2025"),
                                 "--params", str(city / "params.yaml"), "-o", str(out), "--lang", "zh"])
    assert r.exit_code == 1, r.output
    doc = docx.Document(str(out))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads[-1] == "六、全市汇总"
    texts = [p.text for p in doc.paragraphs]
    assert "缺报单位 1 个：济宁市邹城市" in texts and texts[-1] == "汇总结论：不合规"
