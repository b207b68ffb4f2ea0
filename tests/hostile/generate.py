"""Generators for the hostile corpus (issue 16): one small crafted file per attack, built from
the bundled example submissions the way an attacker would edit a real county file.

Every case is a :class:`Case`: the files it needs (written into a fresh folder), the ``cbcheck``
arguments, the exit codes allowed and a pattern stderr must match. ``run_hostile.py`` runs each
one in a subprocess with a memory ceiling and a timeout; ``test_hostile_corpus.py`` runs them in
the suite. Nothing is committed but this script: the files are built at test time into tmp dirs.

    python tests/hostile/generate.py OUTDIR      # write every case's files, to look at them
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BADINPUT = ROOT / "tests" / "badinput"
PASS_XLSX = EXAMPLES / "jining-county-pass.xlsx"
LONG_CSV = EXAMPLES / "jining-county-long-gbk.csv"
SHEET = "xl/worksheets/sheet1.xml"


@dataclass
class Case:
    name: str
    cls: str                                   # the class ("1".."11", "r1" for the first round)
    build: Callable[[Path], list[str]]         # writes files into the folder, returns the cbcheck argv
    exits: tuple[int, ...]                     # allowed exit codes
    stderr: str = ""                           # regex stderr must match ("" = anything)
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""


# --- building blocks -----------------------------------------------------------------------------

def members(path: Path = PASS_XLSX) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def write_zip(target: Path, parts: dict[str, bytes], stored: frozenset[str] = frozenset()) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)


def edit_sheet(parts: dict[str, bytes], fn: Callable[[str], str]) -> dict[str, bytes]:
    out = dict(parts)
    out[SHEET] = fn(parts[SHEET].decode("utf-8")).encode("utf-8")
    return out


def csv_text() -> str:
    return LONG_CSV.read_bytes().decode("gbk")


def add_content_type(parts: dict[str, bytes], xml: str) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", xml.encode() + b"</Types>")


def add_workbook_rel(parts: dict[str, bytes], rel: str) -> None:
    key = "xl/_rels/workbook.xml.rels"
    parts[key] = parts[key].replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def check(name: str, *extra: str) -> list[str]:
    return ["check", name, "--policy", "jining-carbon-peak", *extra]


# --- 1. quadratic scan ---------------------------------------------------------------------------

def formula_tags_in_comment(d: Path) -> list[str]:
    comment = "<!--" + "<f>" * 1_000_000 + "-->"
    write_zip(d / "注释公式.xlsx", edit_sheet(members(), lambda s: s.replace("</sheetData>", comment + "</sheetData>")))
    return check("注释公式.xlsx", "-q")


# --- 2. merged ranges ----------------------------------------------------------------------------

def merge_padding(d: Path) -> list[str]:
    """A merge from the title over 2,000 rows x 16,384 columns, with a cell at XFD2 and a row 2,000:
    padding every row to the merge is 33M cells."""
    def edit(s: str) -> str:
        s = s.replace('<mergeCell ref="A1:H1" />', '<mergeCell ref="A1:XFD2000" />')
        s = s.replace("</row><row r=\"3\">", '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row><row r="3">', 1)
        return s.replace("</sheetData>", '<row r="2000"><c r="A2000" t="n"><v>1</v></c></row></sheetData>')
    write_zip(d / "合并区域.xlsx", edit_sheet(members(), edit))
    return check("合并区域.xlsx", "-q")


def merge_in_report(d: Path) -> list[str]:
    """A file that checks fine, with an empty merge over the rest of the sheet: the xlsx report
    must not make one merged-cell object per cell (17 billion)."""
    write_zip(d / "空白合并.xlsx", edit_sheet(members(), lambda s: s.replace(
        '<mergeCell ref="A1:H1" />', '<mergeCell ref="A1:H1" /><mergeCell ref="J40:XFD1048576" />')))
    return check("空白合并.xlsx", "-q", "-o", "report.xlsx")


# --- 3. YAML alias bombs -------------------------------------------------------------------------

def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def params_bomb(d: Path) -> list[str]:
    (d / "bomb-params.yaml").write_text("schema_version: 1\nsource: 示例\n" + alias_bomb()
                                        + "values: *a8\n", encoding="utf-8")
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    return check("a.xlsx", "--params", "bomb-params.yaml", "-q")


def policy_bomb(d: Path) -> list[str]:
    policy = (ROOT / "policies" / "jining-carbon-peak.yaml").read_text(encoding="utf-8")
    (d / "bomb-policy.yaml").write_text(alias_bomb() + "notes: *a8\n" + policy, encoding="utf-8")
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    return ["check", "a.xlsx", "--policy", "bomb-policy.yaml", "-q"]


# --- 4. zip bomb hidden by stored padding --------------------------------------------------------

def zip_bomb_padded(d: Path) -> list[str]:
    """600 MiB of whitespace inside the sheet XML (deflates to ~600 KB), plus 5 MB of stored random
    bytes so that the ratio over the whole archive (~110) stays under the old guard (200)."""
    parts = members()
    sheet = parts.pop(SHEET)
    head, tail = sheet.split(b"</sheetData>")
    with zipfile.ZipFile(d / "填充.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        zf.writestr("xl/media/pad.bin", os.urandom(5 * 1024 * 1024), compress_type=zipfile.ZIP_STORED)
        with zf.open(_deflated_zipinfo(SHEET), "w", force_zip64=True) as fh:
            fh.write(head)
            block = b" " * (16 * 1024 * 1024)
            for _ in range(600 // 16):
                fh.write(block)
            fh.write(b"</sheetData>" + tail)
    return check("填充.xlsx", "-q")


def _deflated_zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


# --- 5. a million rows ---------------------------------------------------------------------------

def million_rows(d: Path) -> list[str]:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(40, 1_048_577))
    write_zip(d / "百万行.xlsx", edit_sheet(members(), lambda s: s.replace("</sheetData>", rows + "</sheetData>")))
    return check("百万行.xlsx", "-q")


# --- 6. injection channels in the xlsx copy ------------------------------------------------------

EXTERNAL_LINK = ('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 '<ddeLink ddeService="cmd" ddeTopic="/C calc"><ddeItems><ddeItem name="A0" advise="1"/>'
                 '</ddeItems></ddeLink></externalLink>')


def injection_workbook(d: Path) -> list[str]:
    parts = members()

    def edit(s: str) -> str:
        # a formula cell with a cached value, one without, a HYPERLINK formula and a DDE formula
        s = s.replace('<c r="H4" t="inlineStr" />', '<c r="H4"><f>SUM(D4:F4)</f><v>33.2</v></c>')
        s = s.replace('<c r="H5" t="inlineStr" />',
                      '<c r="H5" t="str"><f>HYPERLINK("http://example.invalid/x","点击")</f><v>点击</v></c>')
        s = s.replace('<c r="H6" t="inlineStr" />', "<c r=\"H6\"><f>cmd|' /C calc'!A0</f></c>")
        tail = ('<conditionalFormatting sqref="D4:F4"><cfRule type="expression" priority="1">'
                "<formula>cmd|' /C calc'!A0</formula></cfRule></conditionalFormatting>"
                '<dataValidations count="1"><dataValidation type="custom" allowBlank="1" sqref="G4">'
                '<formula1>HYPERLINK("http://example.invalid/dv","x")</formula1></dataValidation></dataValidations>'
                '<hyperlinks><hyperlink ref="B4" r:id="rIdLink1"/><hyperlink ref="B5" location="\'表1\'!A1"/>'
                "</hyperlinks>")
        s = s.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                                     'relationships" ', 1)
        s = s.replace("</mergeCells>", "</mergeCells>" + tail)
        s = s.replace("</worksheet>", '<oleObjects><oleObject progId="Package" shapeId="1025" r:id="rIdOle1"/>'
                                      "</oleObjects></worksheet>")
        return s
    parts = edit_sheet(parts, edit)
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdLink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'hyperlink" Target="file:///C:/Windows/System32/calc.exe" TargetMode="External"/>'
        '<Relationship Id="rIdOle1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'oleObject" Target="../embeddings/oleObject1.bin"/></Relationships>').encode()
    parts["xl/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    parts["xl/externalLinks/externalLink1.xml"] = EXTERNAL_LINK.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLinkPath" Target="file:///C:/Users/Public/evil.xlsx" TargetMode="External"/></Relationships>'
    ).encode()
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    add_workbook_rel(parts, '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                            'relationships/externalLink" Target="externalLinks/externalLink1.xml" Id="rIdX1" />'
                            '<Relationship Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
                            ' Target="vbaProject.bin" Id="rIdV1" />')
    add_content_type(parts, '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
                            'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml" />'
                            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" />')
    wb = parts["xl/workbook.xml"].decode()
    wb = wb.replace("<definedNames />", "<definedNames><definedName name=\"run\">cmd|' /C calc'!A0</definedName>"
                                        "<definedName name=\"web\">HYPERLINK(\"http://example.invalid\")"
                                        "</definedName><definedName name=\"ok\">'表1'!$D$4:$F$4</definedName>"
                                        "</definedNames><externalReferences><externalReference r:id=\"rIdX1\"/>"
                                        "</externalReferences>")
    parts["xl/workbook.xml"] = wb.encode()
    write_zip(d / "注入.xlsm", parts)
    return check("注入.xlsm", "-q", "-o", "report.xlsx")


# --- 7. control characters inside a value --------------------------------------------------------

def nul_in_value(d: Path) -> list[str]:
    text = csv_text().replace("非化石能源消费比重,2025,13.1,%", "非化石能源消费比重,2025,1\x003.1,%")
    (d / "nul.csv").write_bytes(text.encode("utf-8"))
    return check("nul.csv", "--year", "2025", "--format", "json")


# --- 8. environment and odd workbooks: exit 2/3, never 4 -----------------------------------------

def bad_style_index(d: Path) -> list[str]:
    write_zip(d / "样式.xlsx", edit_sheet(members(), lambda s: s.replace('<c r="D4" s="2"', '<c r="D4" s="9999"')))
    return check("样式.xlsx", "-q", "-o", "report.xlsx")


def output_dir_is_a_file(d: Path) -> list[str]:
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    (d / "reports").write_text("not a folder")
    return check("a.xlsx", "--output-dir", "reports", "--format", "json", "-q")


def output_unwritable(d: Path) -> list[str]:
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    (d / "ro").write_text("a file where the report's folder should be")   # fails for root too
    return check("a.xlsx", "-o", "ro/out.json")


# --- 9. non-finite numbers -----------------------------------------------------------------------

def zero_gdp(d: Path) -> list[str]:
    text = csv_text().replace("地区生产总值（2020年可比价）,2025,646.0,亿元",
                              "地区生产总值（2020年可比价）,2025,1e-320,亿元")
    (d / "gdp.csv").write_bytes(text.encode("utf-8"))
    return check("gdp.csv", "--year", "2025", "--format", "json")


def set_minus_inf(d: Path) -> list[str]:
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    return check("a.xlsx", "--set", "JN-CO2-INTENSITY-2025=-inf", "-q")


def params_nan(d: Path) -> list[str]:
    (d / "p.yaml").write_text("schema_version: 1\nsource: 示例\nvalues:\n  JN-CO2-INTENSITY-2025: .nan\n",
                              encoding="utf-8")
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    return check("a.xlsx", "--params", "p.yaml", "-q")


# --- 10. escape sequences and markdown -----------------------------------------------------------

ESC_ENTITY = "济宁市示例县\x1b]0;pwned\x07\x1b[2J\x1b[31m"
MD_ENTITY = "济宁市示例县[点击](http://example.invalid/x)![p](http://example.invalid/p.png)<img src=x>"


def _entity_csv(d: Path, name: str, entity: str) -> None:
    text = "填报单位：" + entity + "\n" + csv_text()
    (d / name).write_bytes(text.encode("utf-8"))


def escape_in_text(d: Path) -> list[str]:
    _entity_csv(d, "esc.csv", ESC_ENTITY)
    text = (d / "esc.csv").read_text(encoding="utf-8") + "光伏\x1b[5m装机,2025,1,MW\n"
    (d / "esc.csv").write_text(text, encoding="utf-8")
    return check("esc.csv", "--year", "2025", "--no-color")


def markdown_links(d: Path) -> list[str]:
    _entity_csv(d, "md.csv", MD_ENTITY)
    return check("md.csv", "--year", "2025", "--format", "markdown")


# --- 11. long schema errors, SIGINT (the SIGINT case is in test_hostile_corpus.py) ----------------

def huge_schema_error(d: Path) -> list[str]:
    (d / "p.yaml").write_text("schema_version: 1\nsource: 示例\nvalues:\n" +
                              "".join(f"  R{i}: '{'x' * 2000}'\n" for i in range(2000)), encoding="utf-8")
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    return check("a.xlsx", "--params", "p.yaml", "-q")


def invalid_policy(d: Path) -> list[str]:
    text = (ROOT / "policies" / "jining-carbon-peak.yaml").read_text(encoding="utf-8")
    text = re.sub(r"target_year: (\d+)", "target_year: 不是年份", text)
    (d / "bad-policy.yaml").write_text(text, encoding="utf-8")
    (d / "a.xlsx").write_bytes(PASS_XLSX.read_bytes())
    return ["check", "a.xlsx", "--policy", "bad-policy.yaml", "-q"]


ONE_LINE = r"\Acbcheck(?:: error: |：错误：)[^\n]*\n\Z"          # LANG=C.UTF-8 says nothing: Chinese (issue 20)
CASES: list[Case] = [
    Case("formula-tags-in-comment", "1", formula_tags_in_comment, (0,)),
    Case("merge-padding", "2", merge_padding, (3,), ONE_LINE + r"|CBCHECK_MAX_MERGED_CELLS"),
    Case("merge-in-xlsx-report", "2", merge_in_report, (0,)),
    Case("alias-bomb-params", "3", params_bomb, (3,), r"CBCHECK_MAX_YAML_"),
    Case("alias-bomb-policy", "3", policy_bomb, (3,), r"CBCHECK_MAX_YAML_"),
    Case("zip-bomb-padded", "4", zip_bomb_padded, (3,), r"CBCHECK_MAX_RATIO"),
    Case("million-rows", "5", million_rows, (3,), r"CBCHECK_MAX_ROWS"),
    Case("injection-channels", "6", injection_workbook, (0, 1, 3)),
    Case("nul-in-value", "7", nul_in_value, (3,)),
    Case("bad-style-index", "8", bad_style_index, (0, 1, 3)),
    Case("output-dir-is-a-file", "8", output_dir_is_a_file, (2,), ONE_LINE),
    Case("output-unwritable", "8", output_unwritable, (2,), ONE_LINE),
    Case("zero-gdp", "9", zero_gdp, (0, 1, 3)),
    Case("set-minus-inf", "9", set_minus_inf, (2,), ONE_LINE),
    Case("params-nan", "9", params_nan, (3,), ONE_LINE),
    Case("escape-sequences", "10", escape_in_text, (0, 1, 3)),
    Case("markdown-links", "10", markdown_links, (0, 1, 3)),
    Case("huge-schema-error", "11", huge_schema_error, (3,), ONE_LINE),
    Case("invalid-policy-one-line", "11", invalid_policy, (3,), ONE_LINE),
]


def first_round_cases() -> list[Case]:
    """The shared bad-input corpus (round 1), each file checked alone."""
    out = []
    for path in sorted(p for p in BADINPUT.rglob("*") if p.is_file() and p.suffix.lower() not in {".md"}):
        def build(d: Path, path: Path = path) -> list[str]:
            target = d / path.name
            target.write_bytes(path.read_bytes())
            return check(path.name, "-q")
        out.append(Case(f"r1:{path.relative_to(BADINPUT)}", "r1", build, (0, 1, 2, 3)))
    return out


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "hostile-corpus")
    for case in CASES:
        d = out / case.name
        d.mkdir(parents=True, exist_ok=True)
        args = case.build(d)
        (d / "ARGS").write_text(" ".join(args) + "\n", encoding="utf-8")
        size = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
        print(f"{case.name}: {size:,} bytes -> cbcheck {' '.join(args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
