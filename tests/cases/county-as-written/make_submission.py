"""Writes submission.xlsx as a county 发改局 fills the city's form (run from this folder).

表1: a title, 填报单位 (the office's full name), the table with 序号 and 备注 columns, a 注： row
merged across the table and a 填表人/审核人 footer; one row misspells the plan's indicator
(能源消费 for 能源消耗), the way it happens when a row is retyped. 说明: the form's filling
instructions. 草稿: an earlier draft, hidden.
"""

import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "表1"
ws.append(["示例县2025年碳达峰目标任务完成情况统计表"])
ws.merge_cells("A1:F1")
ws.append(["填报单位：示例县发展和改革局", None, None, "填报日期：2026年1月15日"])
ws.append(["序号", "指标名称", "单位", "2020年", "2025年", "备注"])
ws.append([1, "森林覆盖率", "%", 24.1, 26.3, None])
ws.append([2, "非化石能源消费比重", "%", 8.5, 14.2, None])
ws.append([3, "单位地区生产总值能源消费", "吨标准煤/万元", 0.52, 0.46, "按2020年可比价"])
ws.append([])
ws.append(["注：1.能耗数据为初步核算数；2.森林覆盖率采用林草湿调查成果。"])
ws.merge_cells("A8:F8")
ws.append(["填表人：王某某", None, "审核人：赵某", None, "联系电话：0354-1234567"])
notes = wb.create_sheet("说明")
notes.append(["填表说明"])
notes.append(["1.本表由各县（市、区）发展改革部门填报，加盖公章后报送。"])
notes.append(["2.数据口径以统计部门公布数为准。"])
draft = wb.create_sheet("草稿")
draft.append(["指标名称", "2025年"])
draft.append(["森林覆盖率", 25.0])
draft.sheet_state = "hidden"
wb.save("submission.xlsx")
