"""``cbcheck check`` on a city workbook with a sheet per county (tests/citybook.py: 说明 first, 任城区 signed,
兖州区 unsigned, 曲阜市 signed by 泗水县, 邹城市 blank, 汇总 last with SUM formulas and their saved values): each
county's sheet judged as its own submission, every other sheet listed with why, nothing added up. Verdicts by
hand, exit codes through a real process, JSON through json.loads."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from cbcheck.cli import app
from tests.citybook import city_book
from tests.test_terminal_process import cbcheck_cmd, process_env

POLICY = "jining-carbon-peak"
INTENSITY = "JN-ENERGY-INTENSITY-2025"          # 单位地区生产总值能源消耗比2020年下降15.6%, required

# sheet, verdict, exit, entity judged, energy intensity 2025 vs 2020 (%), worked by hand:
#   任城区 1 − (436/880)/(412/720) = 1 − 0.49545/0.57222 = 13.42 % < 15.6 %   FAIL
#   兖州区 1 − (420/760)/(400/600) = 1 − 0.55263/0.66667 = 17.11 % ≥ 15.6 %   PASS (non-fossil 58/420 = 13.81 %)
#   曲阜市 1 − (199/468)/(190/380) = 1 − 0.42521/0.5     = 14.96 % < 15.6 %   FAIL, as 泗水县 (its 填报单位)
#   汇总 would be 1 − (1055/2108)/(1002/1700) = 15.09 %: never judged, never summed
SHEETS = [
    ("说明", "not-checked", 0, None, None),
    ("任城区", "non-compliant", 1, "济宁市任城区", 13.42),
    ("兖州区", "compliant", 0, "兖州区", 17.11),
    ("曲阜市", "non-compliant", 1, "济宁市泗水县", 14.96),
    ("邹城市", "not-checked", 0, None, None),
    ("汇总", "not-checked", 0, None, None),
]
WHY = {"说明": "no indicator table", "邹城市": "an empty sheet", "汇总": "a total of the counties"}


@pytest.fixture()
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """全市.xlsx in the working directory, named as the city's clerk would name it."""
    monkeypatch.chdir(tmp_path)
    return city_book(Path("全市.xlsx"))


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cbcheck_cmd(), *args], capture_output=True, text=True, env=process_env(NO_COLOR="1"),
                          timeout=300, cwd=Path.cwd())


def _cli(*args: str, columns: int | None = None) -> tuple[int, str, str]:
    env = {"NO_COLOR": "1", **({"COLUMNS": str(columns)} if columns else {})}
    r = CliRunner().invoke(app, list(args), env=env)
    return r.exit_code, r.stdout, r.stderr


def test_each_county_sheet_is_judged_on_its_own_and_the_rest_listed(book: Path) -> None:
    proc = _process("check", str(book), "-p", POLICY, "-f", "json")
    assert proc.returncode == 1, proc.stderr                       # the worst sheet wins: 1 over 0
    doc = json.loads(proc.stdout)
    assert doc["exit"] == 1
    got = [(f["path"], f["sheet"], f["verdict"], f["exit"], f["entity"]) for f in doc["files"]]
    assert got == [(str(book), s, v, code, entity) for s, v, code, entity, _ in SHEETS]
    for f, (sheet, _, _, _, reduction) in zip(doc["files"], SHEETS, strict=True):
        if reduction is None:
            assert f["report"] is None and f["summary"] is None and f["error"] is None
            assert f["not_checked"].startswith(WHY[sheet])
            continue
        assert f["not_checked"] is None and f["report"]["submission"]["meta"]["sheet"] == sheet
        (finding,) = [x for x in f["report"]["findings"] if x["rule_id"] == INTENSITY]
        assert finding["observed"] == pytest.approx(reduction, abs=0.005)
        assert finding["status"] == ("PASS" if reduction >= 15.6 else "FAIL")
        assert all(x["location"] is None or x["location"].startswith(sheet) for x in f["report"]["findings"])
    # the 汇总 sheet's sums are read nowhere: no sheet is added to another
    assert "汇总!" not in proc.stdout
    assert "全市.xlsx［曲阜市］" in proc.stderr and "济宁市泗水县" in proc.stderr


def test_the_sheet_signed_by_another_county_and_the_unsigned_one_say_so(book: Path) -> None:
    code, out, _ = _cli("check", str(book), "-p", POLICY, "-f", "json")
    reports = {f["sheet"]: f["report"] for f in json.loads(out)["files"] if f["report"]}
    said = {sheet: [n["key"] for n in r["reading"]] for sheet, r in reports.items()}
    assert said == {"任城区": [*said["任城区"][:-1], "read.city_sheet"],
                    "兖州区": [*said["兖州区"][:-2], "read.city_sheet", "read.city_sheet_by_name"],
                    "曲阜市": [*said["曲阜市"][:-2], "read.city_sheet", "read.city_sheet_signed_other"]}
    (other,) = [n["message"] for n in reports["曲阜市"]["reading"] if n["key"] == "read.city_sheet_signed_other"]
    assert other.startswith("the sheet is named 曲阜市 but its 填报单位 is 济宁市泗水县: judged as 济宁市泗水县")


@pytest.mark.parametrize("lang, header, line, totals", [
    ("zh", "报送文件：全市.xlsx［任城区］", "全市.xlsx［汇总］：未核查 — 汇总或合计表，不是县区报送",
     "共 6 项（全市工作簿按工作表逐一计）：3 未核查 · 2 不合规 · 1 合规（退出码 1）"),
    ("en", "Submission: 全市.xlsx［任城区］", "全市.xlsx［汇总］: not checked — a total of the counties",
     "6 entries (a city workbook's sheets counted one by one): 3 not checked · 2 non-compliant · 1 compliant "),
])
def test_text_names_file_and_sheet_in_80_columns(book: Path, lang: str, header: str, line: str,
                                                 totals: str) -> None:
    code, out, _ = _cli("check", str(book), "-p", POLICY, "--lang", lang, columns=80)
    assert code == 1
    assert header in out and line in out
    assert totals in out.replace("\n", "")
    assert max(cell_len(x) for x in out.splitlines()) <= 80
    assert out.count("全市.xlsx［") >= 3 + 6                        # three reports, six rows of the summary
    quiet = _cli("check", str(book), "-p", POLICY, "--lang", lang, "-q")[1]
    assert header not in quiet and line in quiet                   # -q: the summary only


def test_junit_has_a_suite_per_sheet_the_unjudged_ones_skipped(book: Path) -> None:
    code, out, _ = _cli("check", str(book), "-p", POLICY, "-f", "junit", "--lang", "en")
    assert code == 1
    suites = ET.fromstring(out).findall("testsuite")
    assert [s.get("name") for s in suites] == [f"全市.xlsx［{sheet}］" for sheet, *_ in SHEETS]
    skipped = {s.get("name"): s.find("testcase/skipped").get("message") for s in suites if s.get("tests") == "1"}
    assert {k: v.split(" (")[0].split(":")[0] for k, v in skipped.items()} == {
        "全市.xlsx［说明］": "no indicator table", "全市.xlsx［邹城市］": "an empty sheet",
        "全市.xlsx［汇总］": "a total of the counties, not a county's submission"}
    assert [int(s.get("failures")) > 0 for s in suites] == [False, True, False, True, False, False]


def test_markdown_and_csv_name_the_sheets(book: Path) -> None:
    md = _cli("check", str(book), "-p", POLICY, "-f", "markdown", "--lang", "en", "-q")[1]
    assert "| 全市.xlsx［兖州区］ | 兖州区 | 3 | 0 | 0 |" in md
    assert "- 全市.xlsx［邹城市］: not checked — an empty sheet: nothing submitted in it" in md
    csv = _cli("check", str(book), "-p", POLICY, "-f", "csv", "-q", "--lang", "en")[1].lstrip("\ufeff")
    rows = [r.split(",")[:2] for r in csv.splitlines()[1:]]
    assert rows == [[f"全市.xlsx［{sheet}］", entity or ""] for sheet, _, _, entity, _ in SHEETS]
    full = _cli("check", str(book), "-p", POLICY, "-f", "csv", "--lang", "en")[1]
    assert {r.split(",")[0] for r in full.splitlines()[1:]} == {f"全市.xlsx［{s}］" for s, *_ in SHEETS}


def test_html_and_xlsx_are_a_report_per_county_sheet_in_output_dir(book: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    proc = _process("check", str(book), "-p", POLICY, "-f", "html", "--record", "--ledger", str(ledger))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "全市.xlsx is a city workbook with a sheet per county" in proc.stderr and "--output-dir" in proc.stderr
    from cbcheck.ledger import open_ledger

    with open_ledger(str(ledger)) as led:
        assert led.count() == 0                                     # refused before any sheet was recorded
    out = tmp_path / "报告"
    proc = _process("check", str(book), "-p", POLICY, "--output-dir", str(out), "--output-format", "html,xlsx",
                    "-f", "json", "-q")
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["index.html", "汇总表.xlsx"] + [f"全市［{s}］.cbcheck.{ext}" for s in ("任城区", "兖州区", "曲阜市")
                                         for ext in ("html", "xlsx")])
    assert "<code>全市.xlsx［兖州区］</code>" in (out / "全市［兖州区］.cbcheck.html").read_text(encoding="utf-8")
    copy = openpyxl.load_workbook(out / "全市［任城区］.cbcheck.xlsx")
    assert copy.sheetnames[1:] == ["说明", "任城区", "兖州区", "曲阜市", "邹城市", "汇总"]    # the workbook, copied
    index = [r[0] for r in openpyxl.load_workbook(out / "汇总表.xlsx").active.iter_rows(min_row=4, values_only=True)]
    assert index == ["全市.xlsx［任城区］", "全市.xlsx［曲阜市］", "全市.xlsx［兖州区］", "全市.xlsx［汇总］",
                     "全市.xlsx［说明］", "全市.xlsx［邹城市］"]                      # failures first


def test_sheet_option_still_checks_one_sheet_as_before(book: Path) -> None:
    code, out, _ = _cli("check", str(book), "-p", POLICY, "--sheet", "兖州区", "-f", "json")
    doc = json.loads(out)
    assert code == 0 and "files" not in doc and doc["verdict"] == "compliant"
    assert doc["submission"]["entity"] is None and "sheet" not in doc["submission"]["meta"]


def test_record_keeps_one_submission_per_county_sheet(book: Path, tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.sqlite")
    first = _process("check", str(book), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    again = _process("check", str(book), "-p", POLICY, "--record", "--ledger", ledger, "-q")
    assert first.returncode == again.returncode == 1
    names = ["全市.xlsx!任城区", "全市.xlsx!兖州区", "全市.xlsx!曲阜市"]
    assert [x.split(": ")[1].split(" (")[0] for x in first.stderr.splitlines() if "recorded in" in x] == names
    assert [x.split(": ")[1].split(" (")[0] for x in again.stderr.splitlines() if "already in" in x] == names
    by_sheet = _process("check", str(book), "-p", POLICY, "--sheet", "任城区", "--record", "--ledger", ledger, "-q")
    assert "already in the ledger" in by_sheet.stderr and "全市.xlsx!任城区 (id 1)" in by_sheet.stderr
    rolled = json.loads(_process("rollup", "-p", POLICY, "-y", "2025", "--from-ledger", "--ledger", ledger,
                                 "-f", "json").stdout)["rollup"]
    (energy,) = [f for f in rolled["figures"] if f["indicator"] == "energy_consumption" and f["year"] == 2025]
    assert energy["total"] == 1055                                  # 436 + 420 + 199, the 汇总 sheet not among them


def _two_sheets(path: Path, names: tuple[str, str], signed: tuple[str | None, str | None]) -> Path:
    wb = openpyxl.Workbook()
    for i, (name, signer) in enumerate(zip(names, signed, strict=True)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        if signer:
            ws.append([f"填报单位：{signer}"])
        ws.append(["指标名称", "单位", "2020年", "2025年"])
        ws.append(["能源消费总量", "万吨标准煤", 400, 420 + i])
        ws.append(["地区生产总值（2020年可比价）", "亿元", 600, 760])
        ws.append(["非化石能源消费量", "万吨标准煤", 52, 58])        # 13.8 %: 兖州区's sheet in tests/citybook.py
    wb.save(path)
    return path


def test_a_workbook_without_a_county_sheet_is_refused_as_before(tmp_path: Path) -> None:
    """Two years' copies of one table (values differ): no sheet is a county's, so it is no city workbook."""
    code, _, err = _cli("check", str(_two_sheets(tmp_path / "a.xlsx", ("2024年", "2025年"), (None, None))),
                        "-p", POLICY, "--lang", "en")
    assert code == 3 and "Total energy consumption 2025 is given twice" in err and "--sheet" in err


def test_a_table_nobody_signed_beside_a_county_sheet_is_an_error(tmp_path: Path) -> None:
    book = _two_sheets(tmp_path / "b.xlsx", ("兖州区", "Sheet2"), (None, None))
    code, out, err = _cli("check", str(book), "-p", POLICY, "-f", "json", "--lang", "en")
    files = json.loads(out)["files"]
    assert [(f["sheet"], f["verdict"], f["exit"]) for f in files] == [("兖州区", "compliant", 0),
                                                                      ("Sheet2", "unreadable", 3)]
    assert code == 3 and "states no 填报单位, and its name is no county's" in files[1]["error"]


def test_a_sheet_the_city_signed_is_its_total_not_a_county(tmp_path: Path) -> None:
    book = _two_sheets(tmp_path / "c.xlsx", ("任城区", "济宁市"), ("济宁市任城区", "济宁市发展和改革委员会"))
    code, out, _ = _cli("check", str(book), "-p", POLICY, "-f", "json")
    assert [(f["sheet"], f["verdict"]) for f in json.loads(out)["files"]] == [("任城区", "compliant"),
                                                                              ("济宁市", "not-checked")]
    assert code == 0


def test_a_county_sheet_left_as_the_blank_form_is_an_error_at_that_sheet(tmp_path: Path) -> None:
    """邹城市's copy of the form, indicator names and no figure: the county's sheet cannot be judged (exit 3 as an
    unreadable file), said at 全市.xlsx［邹城市］ rather than at the file every sheet shares."""
    book = _two_sheets(tmp_path / "d.xlsx", ("兖州区", "邹城市"), ("济宁市兖州区", "济宁市邹城市"))
    wb = openpyxl.load_workbook(book)
    for row in wb["邹城市"].iter_rows(min_row=3):
        for cell in row[2:]:
            cell.value = None
    wb.save(book)
    code, out, err = _cli("check", str(book), "-p", POLICY, "-f", "json", "--lang", "en")
    files = json.loads(out)["files"]
    assert [(f["sheet"], f["verdict"], f["exit"]) for f in files] == [("兖州区", "compliant", 0),
                                                                      ("邹城市", "unreadable", 3)]
    assert code == 3 and files[1]["error"].startswith(f"{book}［邹城市］: the submission has no values for any year")
    assert f"error: {book}［邹城市］: the submission has no values" in err


def test_check_judges_the_sheets_rollup_adds(book: Path) -> None:
    """One classifier: the sheets check judges are the sheets rollup adds up, each under its county."""
    judged = {f["sheet"]: f["entity"] for f in json.loads(_cli("check", str(book), "-p", POLICY, "-f", "json")[1])
              ["files"] if f["report"]}
    rolled = json.loads(_cli("rollup", str(book), "-p", POLICY, "-y", "2025", "-f", "json")[1])["rollup"]
    assert {s["file"].split("!")[1]: s["entity"] for s in rolled["submissions"]} == judged


def test_a_hidden_copy_is_listed_not_judged(tmp_path: Path) -> None:
    book = _two_sheets(tmp_path / "e.xlsx", ("兖州区", "曲阜市"), ("济宁市兖州区", "济宁市曲阜市"))
    wb = openpyxl.load_workbook(book)
    old = wb.copy_worksheet(wb["曲阜市"])
    old.title, old.sheet_state = "曲阜市（旧）", "hidden"
    wb.save(book)
    code, out, _ = _cli("check", str(book), "-p", POLICY, "-f", "json")
    files = json.loads(out)["files"]
    assert [(f["sheet"], f["verdict"]) for f in files] == [("兖州区", "compliant"), ("曲阜市", "compliant"),
                                                           ("曲阜市（旧）", "not-checked")]
    assert code == 0 and files[2]["not_checked"] == "a hidden sheet (check it with --sheet NAME)"
