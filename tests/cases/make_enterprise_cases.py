"""Write the submissions and the shared policy of the enterprise-addressee cases
(``enterprise-addressees-*``): which enterprises a clause speaks to (cbcheck.entclass).

    python tests/cases/make_enterprise_cases.py

Each case's case.yaml holds the expected verdicts and the reasoning. Output is reproducible.
"""

from __future__ import annotations

from pathlib import Path

from casebook import sheets_book

HERE = Path(__file__).resolve().parent

# One rule per kind of addressee, quotes as the Yuncheng plan words them (YC-* in policies/).
POLICY = """\
schema_version: 1
id: {case}
title: 测试方案
region: 运城市
status: final
period: "2021-2025"
rules:
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
    source: {{section: 三、(五), quote: 重点物流企业使用标准化物流周转箱占比提高15%以上}}
  - id: T-KEY-USER-ENERGY-REPORT
    title: 重点用能单位执行能源利用状况报告制度
    indicator: energy_use_status_report_submitted
    kind: completed_by
    strength: binding
    scope: enterprise
    addressees: [key_energy_user]
    source: {{section: 四、(六), quote: 严格执行重点用能单位能源利用状况报告制度}}
  - id: T-KEY-USER-ENERGY-MANAGER
    title: 重点用能单位设置能源管理岗位和负责人
    indicator: energy_management_post_set
    kind: completed_by
    strength: binding
    scope: enterprise
    addressees: [key_energy_user]
    source: {{section: 四、(七), quote: 重点用能单位设置能源管理岗位和负责人制度}}
  - id: T-PRODUCER-ENERGY-STATISTICS
    title: 生产企业对其使用的各种能源统计管控
    indicator: enterprise_energy_statistics_control
    kind: completed_by
    strength: binding
    scope: enterprise
    addressees: [producer]
    source: {{section: 四、(三), quote: 要求生产企业对其使用的各种能源统计管控}}
  - id: T-COKING-ONLY
    title: 焦化企业开展碳排放对标活动
    indicator: carbon_benchmarking_done
    kind: completed_by
    strength: aspirational
    scope: enterprise
    addressees: [coking]
    source: {{section: 三, quote: 推动焦化企业开展碳排放对标活动}}
  - id: T-EVERY-ENTERPRISE
    title: 企业建立碳排放管理体系
    indicator: enterprise_carbon_management_system
    kind: completed_by
    strength: aspirational
    scope: enterprise
    source: {{section: 五, quote: 引导企业建立符合自身需求的碳排放管理体系和制度}}
"""

CASES = ("enterprise-addressees-coking", "enterprise-addressees-set", "enterprise-addressees-key-user-no",
         "enterprise-addressees-key-user-yes", "enterprise-addressees-logistics")


OVENS = [["焦炉编号", "炭化室高度(米)", "产能(万吨/年)"], ["1号焦炉", 6.78, 150], ["2号焦炉", 5.5, 100]]


def main() -> None:
    for case in CASES:
        (HERE / case).mkdir(exist_ok=True)
        (HERE / case / "policy.yaml").write_text(POLICY.format(case=case), encoding="utf-8")
    # A coking plant that says nothing of what else it is.
    (HERE / "enterprise-addressees-coking" / "submission.csv").write_text(
        "填报单位：运城市测试焦化有限公司,,报告年度：2025\n" + "".join(",".join(map(str, r)) + "\n" for r in OVENS),
        encoding="utf-8")
    # The same plant again, declaring on the command line (the case's args) what it is.
    (HERE / "enterprise-addressees-set" / "submission.csv").write_bytes(
        (HERE / "enterprise-addressees-coking" / "submission.csv").read_bytes())
    # The same plant, declaring it is not a key energy-using unit.
    (HERE / "enterprise-addressees-key-user-no" / "submission.csv").write_text(
        "填报单位：运城市测试焦化有限公司,,报告年度：2025\n是否重点用能单位：否,,\n"
        + "".join(",".join(map(str, r)) + "\n" for r in OVENS), encoding="utf-8")
    # The same plant, a key energy-using unit, with its report submitted (an indicator sheet).
    (HERE / "enterprise-addressees-key-user-yes" / "submission.xlsx").write_bytes(sheets_book({
        "焦炉": [["填报单位：", "运城市测试焦化有限公司", "报告年度：", "2025"], ["是否重点用能单位：", "是"], *OVENS],
        "指标": [["填报单位：", "运城市测试焦化有限公司"], ["指标名称", "单位", "2025年"],
                 ["能源利用状况报告报送", "是/否", "是"]],
    }))
    # A key logistics firm: no production facility, its sector declared; a one-row table of itself.
    (HERE / "enterprise-addressees-logistics" / "submission.xlsx").write_bytes(sheets_book({
        "指标": [["填报单位：", "运城市测试物流有限公司"], ["所属行业：", "物流"], ["是否重点物流企业：", "是"],
                 ["指标名称", "单位", "2020年", "2025年"],
                 ["标准化物流周转箱使用占比", "%", 40, 47]],
        "企业": [["填报单位：", "运城市测试物流有限公司", "报告年度：", "2025"],
                 ["企业名称", "年综合能源消费量(吨标准煤)"], ["运城市测试物流有限公司", 3200]],
    }))


if __name__ == "__main__":
    main()
