"""Reading and cleaning a plan: encodings, Traditional characters, glosses, page markers,
.docx, PDF with and without a text layer, and the CLI around them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.draft.text import clean, load

PLAN = "济宁市碳达峰工作方案\n二、主要目标\n到2025年,非化石能源消费比重提高至13%左右。\n"


def test_traditional_and_pinyin_glosses_become_plain_simplified() -> None:
    assert clean("推進(jìn)風(fēng)電光伏和儲能高質(zhì)量發(fā)展。非化石能源消費比重達到12%。") == \
        "推进风电光伏和储能高质量发展。非化石能源消费比重达到12%。"


def test_page_markers_and_wrapped_lines() -> None:
    text = "到2025年,新能源发电装机规模突破500万千瓦,非水可再生能源电力消纳比重\n达到30%以上。-6-二、主要目标"
    out = clean(text)
    assert "-6-" not in out and "电力消纳比重达到30%以上。" in out


def test_full_width_digits_fold() -> None:
    assert "达到１２％" not in clean("到２０２５年，非化石能源消费比重达到１２％。")
    assert "2025年,非化石能源消费比重达到12%" in clean("到２０２５年，非化石能源消费比重达到１２％。")


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode("gb18030"))
    assert "非化石能源消费比重提高至13%左右" in load(path)


def test_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in PLAN.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "专栏1"
    table.rows[0].cells[1].text = "济宁市15万千瓦“光伏+”产业融合发展项目"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = load(path)
    assert "提高至13%左右" in text and "15万千瓦" in text


def _blank_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as fh:
        writer.write(fh)


def test_scanned_pdf_is_refused_with_one_line(tmp_path: Path) -> None:
    scan = tmp_path / "扫描件.pdf"
    _blank_pdf(scan)
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(app, ["policy", "draft", str(scan), "--id", "scan-test", "-o", str(out)],
                                env={"LANG": "C"})
    assert result.exit_code == 3
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "没有文字层" in lines[0] and "扫描件.pdf" in lines[0]
    assert not out.exists()
    result = CliRunner().invoke(app, ["policy", "draft", str(scan), "--id", "scan-test", "-o", str(out),
                                      "--lang", "en"], env={"LANG": "C"})
    assert result.exit_code == 3 and "no text layer" in result.stderr and not out.exists()


def test_cli_writes_draft_and_companion(tmp_path: Path) -> None:
    plan = tmp_path / "某市碳达峰实施方案.txt"
    plan.write_text("某市碳达峰实施方案\n二、主要目标\n到2025年,非化石能源消费比重提高至13%左右,"
                    "低碳示范社区新增量达到12个。\n", encoding="utf-8")
    before = plan.read_bytes()
    out = tmp_path / "moushi.yaml"
    result = CliRunner().invoke(app, ["policy", "draft", str(plan), "--id", "moushi-carbon-peak", "-o", str(out)],
                                env={"LANG": "C"})
    assert result.exit_code == 0, result.output
    assert plan.read_bytes() == before
    companion = tmp_path / "moushi.indicators.yaml"
    assert out.exists() and companion.exists()
    lint = CliRunner().invoke(app, ["policy", "lint", str(out), str(companion)])
    assert lint.exit_code == 0, lint.output
    assert "review: indicator:" in lint.output


def test_cli_bad_id_is_usage_error(tmp_path: Path) -> None:
    plan = tmp_path / "p.txt"
    plan.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(app, ["policy", "draft", str(plan), "--id", "Bad_Id", "-o", str(tmp_path / "d.yaml")],
                                env={"LANG": "C"})
    assert result.exit_code == 2
