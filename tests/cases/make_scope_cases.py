"""Write the submissions and the shared policy of the scope cases (``scope-*``): whose submission a
file is when it has no facility table (cbcheck.reader.scope).

    python tests/cases/make_scope_cases.py

Each case's case.yaml holds the expected verdicts and the reasoning. Output is reproducible.
"""

from __future__ import annotations

from pathlib import Path

from casebook import sheets_book

HERE = Path(__file__).resolve().parent

# One region rule, enterprise rules for every enterprise, for coking plants, for logistics firms.
POLICY = """\
schema_version: 1
id: {case}
title: 测试方案
region: 济宁市
status: final
period: "2021-2025"
rules:
  - id: T-REGION-NONFOSSIL
    title: 非化石能源消费比重达到13%
    indicator: non_fossil_energy_share
    kind: at_least
    target: 13
    unit: "%"
    target_year: 2025
    base_year: 2020
    strength: binding
    scope: region
    source: {{section: 二、主要目标, quote: 到2025年非化石能源消费比重达到13%}}
  - id: T-ENT-ENERGY-AUDIT
    title: 企业开展能源审计
    indicator: energy_audit_done
    kind: completed_by
    strength: aspirational
    scope: enterprise
    addressees: [enterprise]
    source: {{section: 三, quote: 实施清洁生产评价、能源审计等}}
  - id: T-COKE-ENERGY
    title: 焦炭单位产品能耗不高于110千克标准煤/吨
    indicator: coke_energy_per_tonne
    kind: at_most
    target: 110
    unit: 千克标准煤/吨
    target_year: 2025
    strength: binding
    scope: enterprise
    addressees: [coking]
    source: {{section: 三, quote: 焦炭单位产品能耗不高于110千克标准煤/吨}}
  - id: T-LOGISTICS-BOX-SHARE
    title: 重点物流企业使用标准化物流周转箱占比提高15%以上
    indicator: standard_logistics_box_share
    kind: increase_vs_base
    mode: percent
    target: 15
    unit: "%"
    base_year: 2020
    target_year: 2025
    strength: binding
    scope: enterprise
    addressees: [key_logistics]
    source: {{section: 三, quote: 重点物流企业使用标准化物流周转箱占比提高15%以上}}
"""

CASES = ("scope-enterprise-sheet", "scope-enterprise-xlsx", "scope-county-office", "scope-conflict",
         "scope-set-county", "scope-set-enterprise")

# An enterprise's own indicator sheet as WPS exports it to CSV (GB18030): the title in the first cell, the
# spaced-out 填报单位 key with its seal note in one cell and the name (a trailing space) in the next, units
# in their own column, a 是 answer, a date, a dash for a year not filled.
ENTERPRISE_CSV = (
    "某某焦化有限公司2025年度节能目标完成情况表,,,,\n"
    "填 报 单 位（盖章）：,某某焦化有限公司 ,,填报日期：2026年1月15日,\n"
    "所属行业：,焦化,,,\n"
    "序号,指标名称,计量单位,2024年,2025年\n"
    "1,吨焦能耗,kgce/t,115,112\n"
    "2,开展能源审计,,—,2025-06-30\n"
    "填表人：张三,,联系电话：0537-1234567,,\n"
)
# A county 发改局's table: the office's full name, a company nowhere.
COUNTY_CSV = (
    "某某县2025年碳达峰目标任务完成情况统计表,,,\n"
    "填报单位：某某县发展和改革局,,填报日期：2026-01-10,\n"
    "指标名称,单位,2020年,2025年\n"
    "非化石能源消费比重,%,8.2,13.4\n"
    "开展能源审计,,,2025-06-30\n"
)
# The company's title over a county office's 填报单位 (a form copied from an enterprise's): both ways.
CONFLICT_CSV = (
    "某某焦化有限公司2025年度节能目标完成情况表,,,\n"
    "填报单位：,某某县发展和改革局,,\n"
    "指标名称,单位,2024年,2025年\n"
    "吨焦能耗,千克标准煤/吨,115,112\n"
    "非化石能源消费比重,%,12.8,13.4\n"
)
# No title, no 填报单位: says nothing of whose it is.
UNSAID_CSV = (
    "指标名称,单位,2025年\n"
    "吨焦能耗,千克标准煤/吨,108\n"
    "非化石能源消费比重,%,12.1\n"
)


def main() -> None:
    for case in CASES:
        (HERE / case).mkdir(exist_ok=True)
        (HERE / case / "policy.yaml").write_text(POLICY.format(case=case), encoding="utf-8")
    (HERE / "scope-enterprise-sheet" / "submission.csv").write_bytes(ENTERPRISE_CSV.encode("gb18030"))
    (HERE / "scope-set-county" / "submission.csv").write_bytes(ENTERPRISE_CSV.encode("gb18030"))
    (HERE / "scope-county-office" / "submission.csv").write_text(COUNTY_CSV, encoding="utf-8-sig")
    (HERE / "scope-conflict" / "submission.csv").write_text(CONFLICT_CSV, encoding="utf-8")
    (HERE / "scope-set-enterprise" / "submission.csv").write_text(UNSAID_CSV, encoding="utf-8")
    # The sheet as an enterprise fills the city's form in WPS: a title that names no entity merged across
    # the table, 企业名称 and 报送类别 rows (full-width colons, the value in the next cell), its energy per
    # tonne of coke in 吨标准煤/吨 (0.108 t = 108 kg), a sheet named for enterprises.
    (HERE / "scope-enterprise-xlsx" / "submission.xlsx").write_bytes(sheets_book({
        "企业节能目标完成情况表": [
            ["重点用能单位2025年度节能目标完成情况表", None, None, None],
            ["企业名称：", "某某煤焦化有限责任公司", "报送类别：", "企业"],
            ["是否重点用能单位：", "是", "所属行业：", "焦化"],
            ["指标名称", "单位", "2024年", "2025年"],
            ["焦炭单位产品综合能耗", "吨标准煤/吨", 0.112, 0.108],
            ["开展能源审计", None, None, "否"],
        ]}, {"企业节能目标完成情况表": ["A1:D1"]}))


if __name__ == "__main__":
    main()
