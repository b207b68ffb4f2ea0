"""Every file under ``cases/`` read as its ``.expected.yaml`` says (see ``cases/make_cases.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.reader import read_submission

from reader_support import CASES, cat  # noqa: F401  (fixture)

EXPECTED = sorted(CASES.glob("*.expected.yaml"))


def _data_file(expected_path: Path, spec: dict[str, Any]) -> Path:
    if "file" in spec:
        return CASES / spec["file"]
    stem = expected_path.name.removesuffix(".expected.yaml")
    found = [p for p in CASES.glob(stem + ".*") if not p.name.endswith(".yaml")]
    assert len(found) == 1, f"{stem}: expected one data file, found {found}"
    return found[0]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("expected_path", EXPECTED, ids=[p.name.removesuffix(".expected.yaml") for p in EXPECTED])
def test_case(expected_path: Path, cat: Catalogue) -> None:
    spec = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    path = _data_file(expected_path, spec)
    args = spec.get("args", {})
    if "error" in spec:
        with pytest.raises(SubmissionError) as info:
            read_submission(path, cat, **args)
        for fragment in spec["error"]:
            assert fragment in str(info.value)
        assert str(path) in str(info.value), "the error must name the file"
        return
    sub = read_submission(path, cat, **args)
    got = {o.location: o for o in sub.observations}
    want = {o["at"]: o for o in spec.get("observations", [])}
    assert sorted(got) == sorted(want), "observations at other cells than expected"
    for at, w in want.items():
        o = got[at]
        assert (o.indicator, o.year) == (w["indicator"], w["year"]), at
        if w["value"] is None:
            assert o.value is None, f"{at}: {o.value!r} (raw {o.raw!r}) should be missing"
        elif isinstance(w["value"], float | int) and not isinstance(w["value"], bool):
            assert o.value == pytest.approx(w["value"], rel=1e-12), at
        else:
            assert _plain(o.value) == w["value"], at
        assert o.unit == w["unit"], f"{at}: unit {o.unit!r}"
        assert o.approx == w.get("approx", False), at
        # 现价/可比价, 比上年/累计 as the row or the table states them; nothing stated, nothing read
        basis = (o.price_basis, o.rate_basis, o.basis_year)
        assert basis == (w.get("price_basis"), w.get("rate_basis"), w.get("basis_year")), f"{at}: basis {basis}"
        if "error" in w:
            assert o.error and w["error"] in o.error, f"{at}: error {o.error!r}"
        else:
            assert o.error is None, f"{at}: unexpected error {o.error!r}"
    if "unmatched" in spec:
        assert [(u.label, u.location) for u in sub.unmatched] == [(u["label"], u["at"]) for u in spec["unmatched"]]
        for u, w in zip(sub.unmatched, spec["unmatched"], strict=True):
            assert set(w.get("suggestions", [])) <= set(u.suggestions), u
    elif sub.unmatched:
        pytest.fail(f"unexpected unmatched names: {sub.unmatched}")
    if "entity" in spec:
        assert sub.entity == spec["entity"]
    for key, value in spec.get("meta", {}).items():
        assert sub.meta.get(key) == value, key
    for fragment in spec.get("notes", []):
        assert any(fragment in n for n in sub.notes), f"no note contains {fragment!r}: {sub.notes}"
