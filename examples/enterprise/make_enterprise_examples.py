"""Regenerate the enterprise (facility-table) examples in this folder (deterministic).

    python examples/enterprise/make_enterprise_examples.py

Each workbook is what an enterprise energy manager would assemble for a self-audit:
a title, 填报单位 and 报告年度 rows, then one row per facility. The reports they
must produce are in expected/ (tests/test_examples.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2026, 1, 1)


def facility_workbook(path: Path, title: str, entity: str, sheets: dict[str, tuple[list[str], list[list[object]]]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, (header, rows) in sheets.items():
        ws = wb.create_sheet(sheet)
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(["填报单位：", entity, "报告年度：", "2025"])
        ws.append(header)
        for row in rows:
            ws.append(row)
        for cell in ws[3]:
            cell.font = Font(bold=True)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.save(path)


def power_plant() -> None:
    header = ["机组名称", "机组类型", "装机容量(万千瓦)", "蒸汽参数", "改造前供电煤耗(克标准煤/千瓦时)",
              "供电煤耗(克标准煤/千瓦时)", "节能改造完成时间", "背压改造完成时间", "状态", "列入淘汰落后产能工作计划"]
    rows = [
        ["1号机组", "抽凝", 13.5, "超高压", 318, 298.6, None, dt.date(2024, 10, 20), "运行", None],
        ["2号机组", "抽凝", 20, "亚临界", 312, 303.2, None, "未完成", "运行", None],
        ["3号机组", "纯凝", 35, "亚临界", 305, 296.0, dt.date(2023, 6, 30), None, "运行", None],
        ["4号机组", "纯凝", 60, "超临界", 300, 289.5, "未改造", None, "运行", None],
        ["5号机组", "抽凝", 5, "高压", 365, 352.0, None, None, "拟关停淘汰", "否"],
    ]
    facility_workbook(HERE / "yuncheng-power-plant.xlsx", "运城市某热电有限公司燃煤机组节能自查表",
                      "运城市示例热电有限公司", {"机组": (header, rows)})


def coking_plant() -> None:
    header = ["焦炉编号", "焦炉类型", "炭化室高度(米)", "产能(万吨/年)", "状态", "关停退出时间", "节能改造完成时间"]
    rows = [
        ["1#焦炉", "顶装焦炉", 4.3, 40, "已关停", dt.date(2023, 9, 28), None],
        ["2#焦炉", "顶装焦炉", 4.3, 40, "已关停", dt.date(2023, 11, 15), None],
        ["3#焦炉", "顶装焦炉", 6.78, 150, "已建成", None, dt.date(2025, 8, 31)],
        ["4#焦炉", "捣固焦炉", 5.5, 100, "已建成", None, "未完成"],
        ["5#焦炉", "热回收焦炉", None, 60, "已建成", None, "是"],
    ]
    facility_workbook(HERE / "yuncheng-coking-plant.xlsx", "运城市某焦化有限公司焦炉情况自查表",
                      "运城市示例焦化有限公司", {"焦炉": (header, rows)})


def cement_works() -> None:
    header = ["熟料生产线名称", "产能(吨/日)", "产品", "可比熟料综合能耗(千克标准煤/吨)", "关停退出时间"]
    rows = [
        ["1号熟料线", 5000, "通用水泥熟料", 104.5, None],
        ["2号熟料线", 2000, "通用水泥熟料", 118.0, dt.date(2025, 6, 30)],
        ["3号熟料线", 1500, "特种水泥熟料", 121.0, None],
        ["4号熟料线", 2200, "通用水泥熟料", 115.0, "未退出"],
    ]
    facility_workbook(HERE / "jining-cement-works.xlsx", "济宁市某水泥有限公司熟料生产线自查表",
                      "济宁市示例水泥有限公司", {"熟料生产线": (header, rows)})


def chemical_works() -> None:
    header = ["装置名称", "设施类型", "原料路线", "是否已达先进值", "合成氨单位产品综合能耗(千克标准煤/吨)",
              "甲醇单位产品综合能耗(千克标准煤/吨)"]
    rows = [
        ["合成氨一期", "合成氨装置", "优质无烟块煤", None, 1138, None],
        ["合成氨二期", "合成氨装置", "粉煤", None, 1532, None],
        ["合成氨三期", "合成氨装置", "天然气", None, "—", None],
        ["甲醇一期", "甲醇装置", "无烟煤", "否", None, 1480],
        ["甲醇二期", "甲醇装置", "焦炉煤气", "否", None, 1356],
        ["甲醇三期", "甲醇装置", "焦炉煤气", "是", None, 1250],
    ]
    facility_workbook(HERE / "yuncheng-chemical-works.xlsx", "运城市某化工有限公司重点产品能耗自查表",
                      "运城市示例化工有限公司", {"装置": (header, rows)})


def data_centres() -> None:
    header = ["数据中心名称", "年综合能耗(吨标准煤)", "纳入重点用能单位能耗在线监测系统", "能源计量审查"]
    rows = [
        ["吕梁云计算中心一期", 12800, "是", "是"],
        ["吕梁云计算中心二期", 6200, "是", "是"],
        ["离石边缘节点", 1800, "否", "否"],
        ["孝义灾备中心", 5000, "否", "否"],
    ]
    facility_workbook(HERE / "lvliang-data-centres.xlsx", "吕梁市某数据中心运营企业节能自查表",
                      "吕梁市示例数据科技有限公司", {"数据中心": (header, rows)})


def main() -> None:
    power_plant()
    coking_plant()
    cement_works()
    chemical_works()
    data_centres()


if __name__ == "__main__":
    main()
