"""Write the ninth red team's submissions: files as a county 统计局/发改局 clerk or an enterprise's
energy manager write them in Excel/WPS, each kept as a case because it broke something.

    python tests/cases/make_redteam9_cases.py

The arithmetic of each case is done by hand in its case.yaml. Output is reproducible (fixed
timestamps, see casebook.workbook_bytes).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent


def _book(rows: list[list[object]], sheet: str = "表1", merged: tuple[str, ...] = ()) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    return wb


def _write(case: str, wb: openpyxl.Workbook) -> None:
    (HERE / case).mkdir(exist_ok=True)
    (HERE / case / "submission.xlsx").write_bytes(workbook_bytes(wb))


# 是/否 rows ticked and crossed as WPS users type them: × (and ✗) is 否. × was read as a blank marker,
# so the 2025 × fell back to the 2024 √ and the rule passed.
_write("redteam9-cross-for-no", _book([
    ["济宁市某县2025年碳达峰目标任务完成情况统计表"],
    ["填报单位：某县发展和改革局"],
    ["序号", "指标名称", "单位", "2024年", "2025年"],
    [1, "“两高”项目清单管理", "是/否", "√", "×"],
    [2, "单位能耗产出效益综合评价", "是/否", "√", "✓"],
    [3, "重点用能单位能源计量审查", "是/否", "√", "x"]]))

# A data-centre operator's list, 纳入在线监测 answered with √ and ×: the × of a 12,800 tce centre was
# read as blank (MISSING, the report compliant).
DATA_CENTRES = [
    ["吕梁市某数据中心运营企业节能自查表"],
    ["填报单位：", "吕梁市某数据科技有限公司", "报告年度：", "2025"],
    ["数据中心名称", "年综合能耗(吨标准煤)", "纳入重点用能单位能耗在线监测系统"],
    ["云计算中心一期", 12800, "×"],
    ["云计算中心二期", 6200, "√"],
    ["灾备中心", 5400, "x"],
    ["边缘节点", 1800, "×"]]
_write("redteam9-datacentre-cross", _book(DATA_CENTRES, sheet="数据中心"))
(HERE / "redteam9-datacentre-cross-csv").mkdir(exist_ok=True)
(HERE / "redteam9-datacentre-cross-csv" / "submission.csv").write_bytes(
    "\r\n".join(",".join(str(v) for v in row) for row in DATA_CENTRES).encode("gb18030") + b"\r\n")

# The latest column pasted from the 统计公报 as its sentences: no cell of 2025 is a number. The report
# was for 2024 (the latest year with a number), compliant; 2025's cells were never named.
_write("redteam9-latest-year-in-words", _book([
    ["济宁市某县2025年节能降碳指标完成情况（摘自统计公报）"],
    ["填报单位：某县统计局"],
    ["序号", "指标名称", "单位", "2020年", "2024年", "2025年", "备注"],
    [1, "非化石能源消费比重", "%", 8.2, 11.6, "比上年提高0.8个百分点", None],
    [2, "煤电机组平均供电煤耗", "克标准煤/千瓦时", 306, 301, "下降1.6%", "比上年"]]))

# A bulletin's layout: each year over 绝对值 | 比上年增长(%). 绝对值 was not a year's value, so no year
# column was read and the file was refused as having no year columns.
_write("redteam9-year-over-absolute", _book([
    ["济宁市某县主要节能指标完成情况"],
    ["填报单位：某县统计局"],
    ["指标名称", "单位", "2020年", "2025年", None],
    [None, None, "绝对值", "绝对值", "比上年增长(%)"],
    ["能源消费总量", "万吨标准煤", 412, 430, -5.5],
    ["地区生产总值（2020年可比价）", "亿元", 520, 650, 8.7],
    ["非化石能源消费比重", "%", 8.2, 13.4, 3.3]], merged=("A3:A4", "B3:B4", "D3:E3")))

# GDP in 亿元 for 2020 and 2024, the 万元 figure pasted into the 亿元 row for 2025; and the same table with
# the 2025 GDP a formula that failed. The first read as a 99.99 % reduction (PASS), the second as a
# year "not in the submission" with no cell named.
for case, gdp_2025 in (("redteam9-gdp-wanyuan-in-yiyuan-row", 6200000), ("redteam9-gdp-formula-error", "#DIV/0!")):
    _write(case, _book([
        ["济宁市某县2025年碳达峰目标任务完成情况统计表"],
        ["填报单位：某县发展和改革局"],
        ["序号", "指标名称", "单位", "2020年", "2024年", "2025年"],
        [1, "能源消费总量", "万吨标准煤", 412, 455, 468],
        [2, "地区生产总值（2020年可比价）", "亿元", 520, 598, gdp_2025],
        [3, "非化石能源消费比重", "%", 8.2, 11.6, 13.4]]))

# A county 发改局's workbook: its indicators on 表1 and its key energy users' monitoring on 表2. The
# facility table made it an enterprise's: every county rule "does not apply", 合规 with nothing judged.
# Now refused unless --scope says whose (tests/reader/test_scope.py); this case is read with --scope county.
COUNTY_WITH_LIST = {
    "表1 指标": [["济宁市某县2025年碳达峰目标任务完成情况统计表"], ["填报单位：某县发展和改革局"],
               ["序号", "指标名称", "单位", "2020年", "2024年", "2025年"],
               [1, "能源消费总量", "万吨标准煤", 412, 455, 430],
               [2, "地区生产总值（2020年可比价）", "亿元", 520, 598, 650],
               [3, "非化石能源消费比重", "%", 8.2, 10.1, 13.4]],
    "表2 重点用能单位": [["某县重点用能单位能耗在线监测接入情况"],
                   ["序号", "单位名称", "年综合能耗(吨标准煤)", "纳入重点用能单位能耗在线监测系统"],
                   [1, "某县热电有限公司", 185000, "是"], [2, "某县水泥有限公司", 96000, "否"],
                   [3, "某县数据中心", 6200, "×"], ["合计", None, 287200, None]]}
wb = _book(COUNTY_WITH_LIST["表1 指标"], sheet="表1 指标")
listing = wb.create_sheet("表2 重点用能单位")
for row in COUNTY_WITH_LIST["表2 重点用能单位"]:
    listing.append(row)
_write("redteam9-county-with-facility-list", wb)

# One row per year, as a 统计公报 table of a series runs, ending with 年均增长(%) and “十四五”累计 rows:
# the whole file was refused ("年均增长(%) is not a year").
_write("redteam9-by-year-summary-rows", _book([
    ["济宁市某县能耗指标（按年度）"],
    ["填报单位：某县统计局"],
    ["年份", "能源消费总量（万吨标准煤）", "地区生产总值（亿元，2020年可比价）", "非化石能源消费比重（%）"],
    ["2020年", 412, 520, 8.2], ["2024年", 455, 598, 10.1], ["2025年", 430, 650, 13.4],
    ["年均增长(%)", 0.86, 4.57, None], ["“十四五”累计", None, None, None]]))

if __name__ == "__main__":
    print("written")
