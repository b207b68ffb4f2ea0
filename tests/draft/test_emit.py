"""Candidates → policy rules: the fields a threshold table becomes, and the draft lints."""

from __future__ import annotations

from cbcheck.draft import draft_from_text, dump
from cbcheck.policy import catalogue, lint_file

PLAN = ("晋城市“十四五”节能减排实施方案\n"
        "三、重点工程\n"
        "(三)重点行业绿色升级工程。对合成氨生产企业开展节能改造,采用增氧制气、余热利用等节能技术,改造完成后"
        "单位产品综合能耗分别降到1150(优质无烟块煤制)、1320(非优质无烟块煤、型煤制)、1500(粉煤制)、1050(天然气制)"
        "千克标准煤/吨以下。\n")


def test_a_threshold_table_becomes_one_by_category_facility_rule(tmp_path) -> None:
    policy = draft_from_text(PLAN, "moushi-esp", "moushi.txt", catalogue()).policy
    assert policy["period"] == "2021-2025"
    [rule] = [r for r in policy["rules"] if "by_category" in r]
    assert "target" not in rule
    assert rule["by_category"] == {"attribute": "feedstock", "targets": {
        "优质无烟块煤": 1150, "非优质无烟块煤": 1320, "型煤": 1320, "粉煤": 1500, "天然气": 1050}}
    assert (rule["kind"], rule["unit"], rule["target_year"]) == ("at_most", "千克标准煤/吨", 2025)
    assert (rule["scope"], rule["applies_to"]) == ("facility", {"facility_type": "ammonia_plant"})
    assert "year not stated in the sentence; set to the plan horizon 2025" in rule["review"]
    assert any("by_category.attribute" in r for r in rule["review"])
    out = tmp_path / "d.yaml"
    out.write_text(dump(policy), encoding="utf-8")
    problems, data = lint_file(out)
    assert data is not None and [str(p) for p in problems if p.severity == "error"] == []
