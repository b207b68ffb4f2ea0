"""The per-user cache (validated policies by sha256, pint's conversions) saves time and never
changes an answer: an entry is trusted only for the very bytes it names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbcheck import cache, units
from cbcheck.errors import PolicyError
from cbcheck.policy import load_policy, policies_dir

ROOT = Path(__file__).resolve().parents[1]


def _own_copy(tmp_path: Path) -> Path:
    path = tmp_path / "my-policy.yaml"
    path.write_bytes((policies_dir() / "jining-carbon-peak.yaml").read_bytes())
    return path



@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the cache: on, even under mutmut (tests/conftest.py turns it off there)."""
    monkeypatch.delenv("CBCHECK_NO_CACHE", raising=False)

def test_a_valid_policy_is_cached_under_its_sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    path = _own_copy(tmp_path)
    digest = cache.sha256(path.read_bytes())
    pol, _ = load_policy(str(path))
    entry = json.loads((tmp_path / "c" / "policies" / f"{digest}.json").read_text(encoding="utf-8"))
    assert entry["sha256"] == digest == pol.sha256
    assert entry["validator"] == cache.validator()
    again, _ = load_policy(str(path))                # from the cache: the same policy
    assert again == pol


def test_an_edited_policy_is_validated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    path = _own_copy(tmp_path)
    load_policy(str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("kind: at_least", "kind: at_leest", 1),
                    encoding="utf-8")
    with pytest.raises(PolicyError, match="invalid"):
        load_policy(str(path))
    assert len(list((tmp_path / "c" / "policies").glob("*.json"))) == 1    # the invalid one is not cached


def test_an_entry_naming_other_bytes_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted entry under the invalid file's sha256 but recording another sha256 (or another
    validator) is ignored: the policy is validated and refused."""
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    path = _own_copy(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("kind: at_least", "kind: at_leest", 1),
                    encoding="utf-8")
    digest = cache.sha256(path.read_bytes())
    for planted in ({"sha256": "0" * 64, "validator": cache.validator()},
                    {"sha256": digest, "validator": "an older cbcheck"}):
        cache.write(f"policies/{digest}.json", planted)
        with pytest.raises(PolicyError, match="invalid"):
            load_policy(str(path))


def test_cache_off_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("CBCHECK_NO_CACHE", "1")
    load_policy(str(_own_copy(tmp_path)))
    assert not (tmp_path / "c").exists()
    monkeypatch.delenv("CBCHECK_NO_CACHE")
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "file"))    # not a folder: ignored
    load_policy(str(_own_copy(tmp_path)))


def test_unit_conversions_remembered_are_pint_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the memo returns is what pint computes, and errors are never remembered."""
    for a, b in (("MW", "万千瓦"), ("亿千瓦时", "万千瓦时"), ("gce/kWh", "千克标准煤/千瓦时"), ("%", "‰")):
        assert units.convert(3.0, a, b) == 3.0 * units._factor(a, b)
    with pytest.raises(Exception, match="cannot be converted"):
        units.convert(1.0, "万千瓦", "万吨")
    with pytest.raises(Exception, match="cannot be converted"):
        units.convert(1.0, "万千瓦", "万吨")
    assert "万千瓦\x1f万吨" not in units._memo()["factor"]


def test_a_warm_county_check_imports_no_heavy_library(tmp_path: Path) -> None:
    """After one run has filled the cache, a county CSV checked with ``-q`` against a policy given
    by path or by id imports none of pandas, numpy, pint, jsonschema, yaml (every YAML file
    comes from the cache) or rich (a quiet report needs no console); a plain county xlsx no
    openpyxl either (reader/xlsxlight.py reads it), nor numpy (which openpyxl imported: the sheet
    scans use it only for a sheet calamine may read). This guards the start-up time without
    timing it."""
    policy = _own_copy(tmp_path)
    env = {**os.environ, "NO_COLOR": "1", "CBCHECK_CACHE_DIR": str(tmp_path / "c")}
    watched = ("pandas", "openpyxl", "pint", "jsonschema", "numpy", "yaml", "rich", "jinja2")
    code = ("import sys; from cbcheck.cli import main\n"
            "sys.argv = ['cbcheck', 'check', sys.argv[1], '--policy', sys.argv[2], '-q']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"heavy = [m for m in {watched!r} if m in sys.modules]\n"
            "print('HEAVY=' + ','.join(heavy))")
    for k, (sample, ref, allowed) in enumerate((("jining-county-long-gbk.csv", str(policy), ""),
                                                ("jining-county-pass.xlsx", str(policy), ""),
                                                ("jining-county-pass.xlsx", "jining-carbon-peak", ""))):
        runs = [subprocess.run([sys.executable, "-c", code, str(ROOT / "examples" / sample), ref],
                               capture_output=True, text=True, check=True, env=env) for _ in range(2)]
        if k == 0:                                                     # the cold run validates
            assert "pint" in runs[0].stdout and "jsonschema" in runs[0].stdout and "yaml" in runs[0].stdout
        assert runs[1].stdout.strip().splitlines()[-1] == f"HEAVY={allowed}", runs[1].stdout


def test_the_message_catalogues_read_by_the_c_loader_are_the_pure_python_ones() -> None:
    """The report's catalogues are parsed by libyaml's C loader (when installed) and remembered
    in the cache for speed; what comes back must be exactly what the pure-Python safe loader
    builds, string for string."""
    import yaml
    from importlib import resources

    from cbcheck.i18n import LANGS, _flatten, catalogue

    for lang in LANGS:
        text = (resources.files("cbcheck.i18n") / f"{lang}.yaml").read_text("utf-8")
        assert catalogue(lang) == _flatten(yaml.safe_load(text))


def _yaml_entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "c" / "yaml").glob("*.json"))


def test_a_parsed_yaml_file_is_remembered_under_the_sha256_of_its_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled policy named by id is parsed once; the second load is the cached JSON and
    builds the same policy, rule for rule."""
    from cbcheck.yamlio import load_yaml

    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    path = policies_dir() / "jining-carbon-peak.yaml"
    first = load_yaml(path)
    digest = cache.sha256(path.read_text(encoding="utf-8").encode("utf-8"))
    assert [p.name for p in _yaml_entries(tmp_path)] == [f"{digest}.json"]
    entry = json.loads(_yaml_entries(tmp_path)[0].read_text(encoding="utf-8"))
    assert entry["sha256"] == digest and entry["aliases"] == 0 and entry["data"] == first
    assert len(entry["data"]["rules"]) >= 100                           # the whole policy, not a part
    pol, _ = load_policy("jining-carbon-peak")                          # by id: from the cache
    monkeypatch.setenv("CBCHECK_NO_CACHE", "1")
    fresh, _ = load_policy("jining-carbon-peak")
    assert pol == fresh


def test_a_yaml_entry_naming_other_text_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cbcheck.yamlio import load_yaml_text

    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    text = "id: a\nrules: []\n"
    digest = cache.sha256(text.encode("utf-8"))
    for planted in ({"sha256": "0" * 64, "format": 1, "aliases": 0, "nodes": 1, "data": {"id": "planted"}},
                    {"sha256": digest, "format": 0, "aliases": 0, "nodes": 1, "data": {"id": "planted"}},
                    {"sha256": digest, "format": 1, "data": {"id": "planted"}}):
        cache.write(f"yaml/{digest}.json", planted)
        assert load_yaml_text(text, "x.yaml") == {"id": "a", "rules": []}


@pytest.mark.parametrize("text", [
    "base: &b {year: 2020}\nuse: *b\n",          # aliases: YAML shares the object, JSON would copy it
    "targets:\n  2025: 15\n",                    # an integer key: JSON would give back "2025"
    "value: .nan\n",                             # NaN: not JSON
    "flag: yes\nn: 1.0\n",                       # bool and float are kept exactly: stored
])
def test_only_what_json_gives_back_exactly_is_stored(text: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from cbcheck.yamlio import load_yaml_text

    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    load_yaml_text(text, "x.yaml")
    stored = _yaml_entries(tmp_path)
    assert len(stored) == (1 if text.startswith("flag") else 0)
    again = load_yaml_text(text, "x.yaml")
    if stored:
        assert again == {"flag": True, "n": 1.0}
        assert type(again["flag"]) is bool and type(again["n"]) is float


def test_a_remembered_file_over_a_lowered_budget_is_refused_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry records the file's expanded node count: a budget lowered later still refuses it."""
    from cbcheck.yamlio import load_yaml_text

    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    text = "rules:\n" + "".join(f"  - {{id: r{i}, value: {i}}}\n" for i in range(50))
    assert len(load_yaml_text(text, "p.yaml")["rules"]) == 50
    assert len(_yaml_entries(tmp_path)) == 1
    monkeypatch.setenv("CBCHECK_MAX_YAML_NODES", "100")
    with pytest.raises(PolicyError, match="too large"):
        load_yaml_text(text, "p.yaml")


def test_the_catalogue_name_index_from_the_cache_is_the_one_built(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The indicator catalogue's name index is remembered (keyed by the catalogue's bytes and
    textnorm.py's): the remembered one matches labels exactly as a fresh build does, and an
    entry naming another key is not used."""
    from cbcheck.catalogue import CATALOGUE_FILE, load_catalogue

    monkeypatch.setenv("CBCHECK_CACHE_DIR", str(tmp_path / "c"))
    path = policies_dir() / CATALOGUE_FILE
    fresh = load_catalogue(path, validate=False)
    [entry_path] = (tmp_path / "c" / "catalogue-index").glob("*.json")
    remembered = load_catalogue(path, validate=False)
    assert remembered == fresh and len(remembered._index) > 1000
    for label in ("单位地区生产总值能源消耗降低", "（一）非化石能源消费比重（%）", "煤炭消费量(万吨)", "no such thing"):
        assert remembered.match(label) == fresh.match(label)
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry_path.write_text(json.dumps({"key": "0" * 64, "index": {"planted": "x"}}), encoding="utf-8")
    assert load_catalogue(path, validate=False) == fresh                 # the planted index is ignored
    entry_path.write_text(json.dumps({**entry, "index": {**entry["index"], "planted": "x"}}), encoding="utf-8")
    assert load_catalogue(path, validate=False).match("planted") == "x"  # same key: the entry is used
