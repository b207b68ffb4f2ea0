"""Nothing dropped in silence: every non-empty cell of every submission in the repository is either
read (a label, a value, a header, a unit, a title or 填报单位 row, a facility row) or named in a note
on how the file was read (a skipped sheet, an unmatched row, a column not read, a 注： row).

The cells come from reading the file's grids independently (``read_grids``); what the reader
read and what it listed are the ``cells`` of its notes (``table``/``facility`` notes name what
their table consumed, the others what they are about).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.policy import load_policy
from cbcheck.readnote import ReadNote
from cbcheck.reader import read_submission
from cbcheck.reader.grid import read_file, read_grids

from reader_support import CASES, TEST_INDICATORS, make_catalogue

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = {".xlsx", ".csv"}


def _reader_cases() -> list[tuple[Path, str | None, dict[str, Any]]]:
    out = []
    for spec_path in sorted(CASES.glob("*.expected.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        if "error" in spec:
            continue
        stem = spec_path.name.removesuffix(".expected.yaml")
        files = [CASES / spec["file"]] if "file" in spec else \
            [p for p in CASES.glob(stem + ".*") if p.suffix in SUFFIXES]
        out += [(f, None, spec.get("args", {})) for f in files if f.suffix in SUFFIXES]
    return out


def _policy_cases() -> list[tuple[Path, str | None, dict[str, Any]]]:
    out = []
    for case in sorted((ROOT / "tests" / "cases").glob("*/case.yaml")):
        spec = yaml.safe_load(case.read_text(encoding="utf-8"))
        policy = case.parent / "policy.yaml"
        for f in sorted(case.parent.rglob("*")):
            if f.suffix in SUFFIXES:
                args = {k: v for k, v in (spec.get("args") or {}).items() if k in ("sheet", "encoding")}
                out.append((f, str(policy) if policy.exists() else None, args))
    for f in sorted((ROOT / "examples").rglob("*")):
        if f.suffix in SUFFIXES and "expected" not in f.parts:
            out.append((f, None, {}))
    return out


def _xls_cases() -> list[tuple[Path, str | None, dict[str, Any]]]:
    """The .xls files of tests/xls (written from .xlsx by tests/xls/make_xls.py): read as workbooks too."""
    return [(f, None, {}) for f in sorted((ROOT / "tests" / "xls").rglob("*.xls"))]


FILES = _reader_cases() + _policy_cases() + _xls_cases()


_CATALOGUES: dict[str | None, Catalogue] = {}


def _catalogue(policy: str | None) -> Catalogue:
    """The reader cases' catalogue (bundled + the test indicators), or a case policy's own."""
    if policy not in _CATALOGUES:
        _CATALOGUES[policy] = make_catalogue() if policy is None else \
            load_policy(policy)[1].extended(TEST_INDICATORS)
    return _CATALOGUES[policy]


def uncovered(path: Path, cat: Catalogue, args: dict[str, Any]) -> list[str]:
    """The non-empty cells of ``path`` that no note names."""
    sub = read_submission(path, cat, **args)
    spans = [s for n in sub.notes if isinstance(n, ReadNote) for s in n.cells]
    grids, _ = read_grids(read_file(path), path, **{k: v for k, v in args.items() if k in ("sheet", "encoding")})
    missed = []
    for grid in grids:
        mine = [s for s in spans if s.sheet == grid.name]
        for row in grid.rows:
            for cell in row:
                if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                    continue
                if not any(s.covers(cell.row, cell.col) for s in mine):
                    missed.append(f"{cell.location} {cell.value!r}")
    return missed


@pytest.mark.parametrize("path,policy,args", FILES, ids=[str(f.relative_to(ROOT)) for f, _, _ in FILES])
def test_every_cell_is_read_or_listed(path: Path, policy: str | None, args: dict[str, Any]) -> None:
    try:
        cat = _catalogue(policy)
        missed = uncovered(path, cat, args)
    except SubmissionError as exc:          # refused as a whole, with one line: nothing read, nothing dropped
        pytest.skip(f"refused: {exc}")
    assert not missed, f"{len(missed)} cells neither read nor listed: {missed[:12]}"


def test_the_listing_is_not_vacuous() -> None:
    """The check above can fail: a note-less reading of a county table leaves its cells uncovered."""
    path = ROOT / "examples" / "jining-county-fail.xlsx"
    cat = _catalogue(None)
    sub = read_submission(path, cat)
    assert any(isinstance(n, ReadNote) and n.kind == "table" and n.cells for n in sub.notes)
    grids, _ = read_grids(read_file(path), path)
    cells = sum(1 for g in grids for row in g.rows for c in row if c.value not in (None, ""))
    covered = sum(1 for g in grids for row in g.rows for c in row if c.value not in (None, "") and any(
        s.sheet == g.name and s.covers(c.row, c.col) for n in sub.notes if isinstance(n, ReadNote) for s in n.cells))
    assert cells > 20 and covered == cells
