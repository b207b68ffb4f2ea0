"""Chinese reports are Chinese: every example and every tests/cases case, rendered with ``--lang zh``
in every text format, holds no run of Latin letters outside an allow-list (issue 20).

The allow-list is what a Chinese official's report legitimately carries in Latin letters: rule ids
(JN-ENERGY-INTENSITY-2025), identifiers (indicator, facility-type and attribute ids such as
coal_power_unit), units (MW, kWh, tce, gce…), file and sheet names, sha256 digests, format and
encoding names, command-line options (--params, --set) and the config keys they name, and the
program's own name. JSON is excluded: it is the same in every language by design. Each leftover
is reported with the text around it, so a new English wording in a check kind shows up here with
the place it needs a template in ``src/cbcheck/i18n/{en,zh}.yaml`` (``msg.*``/``term.*``).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from cbcheck.cli import app
from cbcheck.exitcodes import for_verdict

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = [ROOT / "examples" / "examples.yaml", ROOT / "examples" / "enterprise" / "examples.yaml"]
# (folder, submission, arguments, the exit code the manifest or the case's verdict states)
EXAMPLES = [(ROOT, m.parent.relative_to(ROOT).joinpath(e["file"]).as_posix(), ["--policy", e["policy"], *e["args"]],
             e["exit"])
            for m in MANIFESTS for e in yaml.safe_load(m.read_text(encoding="utf-8"))]


def _case_args(case: Path) -> tuple[Path, str, list[str], int]:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    args = spec.get("args", {})
    extra = ["--policy", "policy.yaml"]
    if args.get("year"):
        extra += ["--year", str(args["year"])]
    for s in args.get("set", []):
        extra += ["--set", s]
    if args.get("strict"):
        extra.append("--strict")
    if args.get("strict_trajectory"):
        extra.append("--strict-trajectory")
    if args.get("scope"):
        extra += ["--scope", args["scope"]]
    return case, spec["submission"], extra, int(for_verdict(spec["verdict"]))


CASES = [_case_args(p) for p in sorted((ROOT / "tests" / "cases").iterdir()) if (p / "case.yaml").is_file()]
TEXT_FORMATS = ("text", "markdown", "html", "csv", "junit")

ALLOWED = [
    r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+",                 # rule ids
    r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+",         # identifiers: coal_power_unit, oven_height
    r"sha256|cbcheck|Excel|WPS|CSV|PDF|xlsx|xlsm|docx|csv|tsv|html|json|junit|markdown|utf-?8|UTF-?8|gb18030|GB18030|gbk|GBK|ascii",
    r"MW|GW|kW|kWh|MWh|GWh|tce|kgce|gce|Nm|TJ|GJ|PJ|IDC|GDP|CO|PM|VOCs|NOx|SO|COD|PUE|CCUS|LNG|CNG|LPG",
    r"--[a-z][a-z-]*|entities|sep|county|enterprise",  # options, the config keys they name, --scope's values
    r"template",                                       # the command a report names (cbcheck template --scope …)
    r"[A-Z]{1,3}\d+",                                  # cell references (F5, AB12)
    r"[a-z0-9]+(?:-[a-z0-9]+)+",                       # policy ids and file names (jining-carbon-peak)
    r"[0-9a-f]*\d[0-9a-f]*",                           # digests (sha256 prefixes)
    r"[A-Za-z]",                                       # formula variables (r, d, g, v) and 劣V类
    r"DIV|REF|VALUE|NAME|NUM|NULL",                    # Excel error values a cell holds (#DIV/0!)
    r"X{2,}",                                          # XX县: the placeholder county offices write
]
_ALLOWED = re.compile(r"^(?:" + "|".join(ALLOWED) + r")$")
_LATIN = re.compile(r"(?:--)?[A-Za-z][A-Za-z0-9_\-]*")


def _strip_markup(text: str, fmt: str) -> str:
    if fmt == "markdown":
        text = text.replace("<br>", " ")
    if fmt in ("html", "junit"):
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)                       # tags and their attributes
        text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return text


def leftovers(text: str, names: set[str]) -> list[str]:
    # a file's digest is no word: 16323857ffac read as "ffac" whenever a generated file's bytes (its
    # timestamp) gave a digest with letters after the digits
    text = re.sub(r"(sha256\s*[:：]?\s*`?)[0-9a-f]{6,64}", r"\1", text)      # `…` in Markdown
    out = []
    for m in _LATIN.finditer(text):
        word = m.group().rstrip("-_")
        if not word or _ALLOWED.match(word) or word in names:
            continue
        out.append(text[max(0, m.start() - 30):m.end() + 30].replace("\n", " "))
    return out


# facility-type ids (wharf, data_centre) are identifiers like indicator ids
FACILITY_IDS = {t["id"] for t in
                yaml.safe_load((ROOT / "policies" / "facilities.yaml").read_text(encoding="utf-8"))["facility_types"]}


def _names(folder: Path, file: str) -> set[str]:
    """Latin words in the submission's file name and sheet names, its path and the policy file and id: as they are."""
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", str((folder / file).relative_to(ROOT)) + " policy.yaml"))
    words |= FACILITY_IDS
    if (folder / "policy.yaml").is_file():
        words.add(yaml.safe_load((folder / "policy.yaml").read_text(encoding="utf-8"))["id"])
    if file.endswith((".xlsx", ".xlsm")):
        words |= {w for s in openpyxl.load_workbook(folder / file, read_only=True).sheetnames
                  for w in re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", s)}
    return words


@pytest.mark.parametrize("folder,file,args,exit_code", EXAMPLES + CASES,
                         ids=lambda x: x.rsplit("/", 1)[-1] if isinstance(x, str) else "")
def test_zh_report_has_no_english(folder: Path, file: str, args: list[str], exit_code: int,
                                  monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(folder)
    names = _names(folder, file)
    problems = []
    for fmt in TEXT_FORMATS:
        r = CliRunner().invoke(app, ["check", file, *args, "--lang", "zh", "--format", fmt], catch_exceptions=False)
        assert r.exit_code == exit_code, r.output   # the language changes no verdict
        problems += [f"{fmt}: …{p}…" for p in leftovers(_strip_markup(r.stdout, fmt), names)]
    out = tmp_path / "r.xlsx"
    r = CliRunner().invoke(app, ["check", file, *args, "--lang", "zh", "-o", str(out), "-q"], catch_exceptions=False)
    assert out.exists(), r.output
    wb = openpyxl.load_workbook(out)
    results = wb.worksheets[0]
    text = "\n".join(str(c.value) for row in results.iter_rows() for c in row if c.value is not None)
    text += "\n".join(c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment)
    problems += [f"xlsx: …{p}…" for p in leftovers(text, names | {"cbcheck"})]
    assert not problems, f"{len(problems)} English leftovers:\n" + "\n".join(sorted(set(problems))[:40])


def test_the_check_itself_catches_english() -> None:
    assert leftovers("2025年：未达到目标；11.2%，要求 ≥ 13%", set()) == []
    assert leftovers("2025: misses the target", set())
    assert leftovers("JN-ENERGY-INTENSITY-2025 · 表1!F5 · 5100 MW · coal_power_unit", set()) == []
    assert leftovers("milestone 2025 = 12.35%", set())
