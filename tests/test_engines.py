"""Facility rules give the same findings on every engine: numpy (the kinds' judge_facilities),
DuckDB and Spark (the SQL the kinds and the selection compile to, via SQLGlot). Every test case
and example with a facility table runs through each engine this machine has, and random
facility tables (blanks, unknown categories, words and dates in completion cells, per-cell
units, exemptions) are compared too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck import backends
from cbcheck.engine import evaluate
from cbcheck.i18n.phrases import translate
from cbcheck.params import Params, parse_set
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if (p / "case.yaml").is_file())
MANIFESTS = [ROOT / "examples" / "examples.yaml", ROOT / "examples" / "enterprise" / "examples.yaml"]


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


SQL_ENGINES = ["duckdb"] + (["spark"] if _spark_available() else [])
if "spark" not in SQL_ENGINES and os.environ.get("CI"):
    SQL_ENGINES.append("spark")          # on CI the Spark engine must be there (.ci/run installs it)


def findings(policy: Any, cat: Any, submission: Any, engine: str, **args: Any) -> dict[str, Any]:
    backends.use(engine)
    try:
        report = evaluate(policy, cat, submission, **args)
    finally:
        backends.use(None)
    out = {}
    for f in report.findings:
        facilities = (f.details or {}).get("facilities")
        out[f.rule_id] = {
            "finding": (f.status, f.observed, f.expected, f.message, f.location, f.arithmetic),
            "entries": list(facilities.entries()) if facilities else None,
            # the same words in Chinese too: a Msg equals its English, so compare what zh readers see
            "zh": [translate(e["message"], "zh") for e in facilities.entries()] if facilities else None,
            "counts": facilities.counts() if facilities else None,
        }
    return out


def _facility_inputs() -> list[tuple[str, Path, str, dict[str, Any]]]:
    out = []
    for case in CASES:
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        args = spec.get("args", {})
        out.append((f"case:{case.name}", case / spec["submission"], str(case / "policy.yaml"),
                    {"year": args.get("year"), "params": Params().with_overrides(parse_set(args.get("set", []))),
                     "strict": args.get("strict", False),
                     "strict_trajectory": args.get("strict_trajectory", False), "scope": args.get("scope")}))
    for manifest in MANIFESTS:
        for entry in yaml.safe_load(manifest.read_text(encoding="utf-8")):
            out.append((f"example:{entry['file']}", manifest.parent / entry["file"], entry["policy"], {}))
    return out


INPUTS = _facility_inputs()
# Cases documenting a known bug of the SQL path (``xfail_duckdb`` in case.yaml): compared below only
# to check that they still differ, so that the fix has to remove the mark.
SQL_KNOWN_DIFFERENT = {f"case:{case.name}" for case in CASES
                       if yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8")).get("xfail_duckdb")}


@pytest.fixture(scope="module")
def read_inputs() -> dict[str, Any]:
    loaded = {}
    for name, path, policy_ref, stated in INPUTS:
        policy, cat = load_policy(policy_ref)
        args = dict(stated)
        submission = read_submission(path, cat, scope=args.pop("scope", None))     # a case's --scope
        if submission.facilities:
            loaded[name] = (policy, cat, submission, args)
    return loaded


def test_the_comparison_covers_facility_cases_and_examples(read_inputs: dict[str, Any]) -> None:
    names = set(read_inputs)
    assert {"case:facility-rules", "case:kinds-facility-scope", "example:yuncheng-coking-plant.xlsx",
            "example:yuncheng-chemical-works.xlsx"} <= names
    kinds = {r.kind for _, (p, *_rest) in read_inputs.items() for r in p.rules if r.scope == "facility"}
    assert {"at_least", "at_most", "between", "completed_by", "direction"} <= kinds


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_every_facility_case_and_example_is_judged_alike(engine: str, read_inputs: dict[str, Any]) -> None:
    if engine == "spark" and not _spark_available():
        pytest.fail("CI is set but pyspark or Java is missing: .ci/run installs them")
    for name, (policy, cat, submission, args) in read_inputs.items():
        want = findings(policy, cat, submission, "numpy", **args)
        got = findings(policy, cat, submission, engine, **args)
        if name in SQL_KNOWN_DIFFERENT:
            assert got != want, f"{name} is judged alike on {engine} now: remove its xfail_duckdb"
            continue
        for rule_id in want:
            assert got[rule_id] == want[rule_id], f"{name} {rule_id} on {engine}"


# --- random tables ---------------------------------------------------------------------------------

POLICY = """
schema_version: 1
id: engines-random
title: 引擎一致性随机规则
region: 测试市
status: final
period: "2021-2025"
rules:
  - id: R-COAL
    title: 抽凝机组供电煤耗
    indicator: coal_power_supply_coal_consumption
    kind: at_most
    target: 300
    unit: 克标准煤/千瓦时
    strength: binding
    scope: facility
    applies_to:
      facility_type: coal_power_unit
      where:
        - {attribute: unit_type, in: [抽凝, 纯凝]}
        - {attribute: capacity, max: 20, unit: 万千瓦}
      exempt:
        - {attribute: capacity, max: 5, unit: 万千瓦}
    source: {section: 一, quote: 供电煤耗降到300克标准煤/千瓦时以下}
  - id: R-COAL-APPROX
    title: 供电煤耗300左右
    indicator: coal_power_supply_coal_consumption
    kind: at_most
    target: 300
    unit: 克标准煤/千瓦时
    strength: approximate
    scope: facility
    applies_to: {facility_type: coal_power_unit}
    source: {section: 一, quote: 供电煤耗300克标准煤/千瓦时左右}
  - id: R-NH3
    title: 合成氨按原料
    indicator: ammonia_energy_per_tonne
    kind: at_most
    unit: 千克标准煤/吨
    strength: binding
    scope: facility
    applies_to: {facility_type: ammonia_plant}
    by_category:
      attribute: feedstock
      targets: {优质无烟块煤: 1150, 粉煤: 1500, 天然气: 1050}
    source: {section: 二, quote: 1150(优质无烟块煤制)、1500(粉煤制)、1050(天然气制)}
  - id: R-CLINKER-BAND
    title: 熟料能耗区间
    indicator: clinker_energy_per_tonne
    kind: between
    min: 95
    max: 110
    unit: 千克标准煤/吨
    strength: aspirational
    scope: facility
    applies_to: {facility_type: cement_clinker_line}
    source: {section: 三, quote: 95至110千克标准煤/吨}
  - id: R-OVEN
    title: 2023年10月底前关停4.3米焦炉
    indicator: facility_retirement_date
    kind: completed_by
    deadline: "2023-10-31"
    strength: binding
    scope: facility
    applies_to:
      facility_type: coke_oven
      where: [{attribute: oven_height, max: 4.3, unit: 米}]
    source: {section: 四, quote: 2023年10月底前全部关停4.3米焦炉}
  - id: R-LARGE-OVEN-SHARE
    title: 炭化室高度5.5米及以上焦炉产能达到95%
    indicator: large_coke_oven_capacity_share
    kind: at_least
    target: 95
    unit: "%"
    target_year: 2025
    strength: aspirational
    scope: region
    source: {section: 五, quote: 炭化室高度5.5米及以上焦炉产能达到95%}
"""
HEADER = ["设施名称", "设施类型", "机组类型", "容量", "原料路线", "炭化室高度(米)", "供电煤耗(克标准煤/千瓦时)",
          "可比熟料综合能耗(千克标准煤/吨)", "合成氨单位产品综合能耗(千克标准煤/吨)", "关停退出时间"]
TYPES = ["燃煤发电机组", "水泥熟料生产线", "合成氨装置", "焦炉", ""]
number = st.one_of(st.just(""), st.sampled_from(["300", "300.0000001", "315", "299.9", "1150", "1500", "1050.0",
                                                 "95", "110", "110.01", "94.99", "0", "-3", "12.5", "5", "20",
                                                 "20.000001", "4.3", "5.5", "200MW", "50MW"]),
                   st.floats(min_value=0, max_value=2000, allow_nan=False).map(lambda x: f"{x:.6g}"))
row = st.tuples(st.sampled_from(TYPES), st.sampled_from(["抽凝", "纯凝", "背压", " 抽凝 ", ""]), number,
                st.sampled_from(["优质无烟块煤", "粉煤", "天然气", "水煤浆", ""]), number, number, number,
                st.sampled_from(["2023-09-30", "2023-10-31", "2023-11-01", "2024/1/5", "未关停", "已关停", "是",
                                 "否", "100%", "待定", "", "2025-12-31"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=40), year=st.sampled_from([2023, 2024, 2025]))
def test_random_facility_tables_are_judged_alike(tmp_path_factory: pytest.TempPathFactory, rows: list,
                                                 year: int) -> None:
    folder = tmp_path_factory.mktemp("engines")
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    lines = [",".join(HEADER)]
    for k, (ftype, unit_type, cap, feed, height, value, clinker, closed) in enumerate(rows):
        lines.append(",".join([f"设施{k:03d}", ftype, unit_type, cap, feed, height, value, clinker, value, closed]))
    path = folder / "facilities.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    policy, cat = load_policy(str(folder / "policy.yaml"))
    submission = read_submission(path, cat)
    if not submission.facilities:
        return
    want = findings(policy, cat, submission, "numpy", year=year)
    got = findings(policy, cat, submission, "duckdb", year=year)
    assert got == want
    assert "R-LARGE-OVEN-SHARE" in want                 # the share over facilities is compared too


def test_engine_choice() -> None:
    from cbcheck.errors import UsageError

    backends.use("duckdb")
    assert backends.chosen() == "duckdb"
    backends.use(None)
    assert backends.chosen() == "numpy"              # auto: numpy (benchmarks/README.md says why)
    with pytest.raises(UsageError):
        backends.use("oracle")


def test_one_expression_tree_generates_duckdb_and_spark_sql(read_inputs: dict[str, Any]) -> None:
    """Every facility rule of the cases and examples compiles to one SQLGlot tree, generated as
    Spark SQL and as DuckDB SQL, each of which parses back in its own dialect to itself (checked
    even where Spark is not installed)."""
    import sqlglot

    from cbcheck.backends.sql import Relation
    from cbcheck.checks.base import Context
    from cbcheck.errors import UnitError
    from cbcheck.backends.compile import compile_rule

    compiled = 0
    for name, (policy, _cat, submission, args) in read_inputs.items():
        year = args.get("year") or 2025
        ctx = Context(year=year)
        for rule in policy.rules:
            if rule.scope != "facility" or rule.kind not in {"at_least", "at_most", "between", "completed_by",
                                                              "direction"} or rule.assigned:
                continue
            for table in submission.facilities:
                try:
                    c = compile_rule(rule, table, ctx, Relation(len(table.frame)))
                except UnitError:          # a unit pint refuses: the engines hand the rule to numpy
                    continue
                if c is None:
                    continue
                spark, duck = c.sql("spark"), c.sql("duckdb")
                assert "`" in spark and '"' in duck, (name, rule.id)
                for text, dialect in ((spark, "spark"), (duck, "duckdb")):     # valid in its own dialect
                    assert sqlglot.parse_one(text, read=dialect).sql(dialect) == text, (name, rule.id, dialect)
                compiled += 1
    assert compiled >= 15
