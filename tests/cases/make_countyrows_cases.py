"""Write the county tables of the ``countyrows-*`` cases: rows a county 统计局 copies from its
统计公报 — 能源消费总量 given as 当量值 and 等价值, and restated figures given as rows of their own
(``地区生产总值（五经普修订）``, ``其中：修订后``, ``2020年地区生产总值``) rather than as a column.

    python tests/cases/make_countyrows_cases.py

One hand calculation covers the energy cases (case.yaml repeats it): 等价值 energy 160 → 172
万吨标准煤 and comparable GDP 200 → 250 亿元 from 2020 to 2025, so I_2020 = 0.8, I_2025 = 0.688
吨标准煤/万元 and r = 1 − 0.688/0.8 = 14.0 % < 14.5 % → FAIL. The 当量值 rows (120 → 130) would give
I = 0.6 → 0.52 and r = 13.33 %: a different figure, never read. The restated cases revise 2020 to
165 万吨标准煤 and 215 亿元: I_2020 = 165/215 = 0.767442, r = 1 − 0.688/0.767442 = 10.35 % → FAIL.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent
HEADER = ["序号", "指标名称", "单位", "2020年", "2024年", "2025年", "备注"]


def _write(case: str, rows: list[list[object]], *, footer: list[str] = (), header: list[object] = HEADER) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["祁县2025年碳达峰目标任务完成情况统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位：祁县统计局"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for text in footer:
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    (HERE / case).mkdir(exist_ok=True)
    (HERE / case / "submission.xlsx").write_bytes(workbook_bytes(wb))


GDP = [2, "地区生产总值（可比价）", "亿元", 200, 240, 250, "2020年价格"]
NONFOSSIL = [3, "非化石能源消费比重", "%", 8.2, 11.6, 12.3, None]

# Both bases, as a bulletin gives them: the 等价值 row is the plans' figure.
_write("countyrows-calorific-beside-equivalent", [
    [1, "能源消费总量（当量值）", "万吨标准煤", 120, 128, 130, None],
    [None, "能源消费总量（等价值）", "万吨标准煤", 160, 170, 172, None],
    GDP, NONFOSSIL])

# 当量值 only, the basis in the unit cell: no 等价值 figure, so the intensity cannot be judged.
_write("countyrows-calorific-only", [
    [1, "能源消费总量", "万吨标准煤（当量值）", 120, 128, 130, None],
    GDP, NONFOSSIL])

# The basis said once, in the table's footnote.
_write("countyrows-calorific-by-note", [
    [1, "能源消费总量", "万吨标准煤", 120, 128, 130, None],
    GDP, NONFOSSIL], footer=["注：能源消费总量按当量值计算；地区生产总值按2020年可比价格计算。"])

# Restated 2020 figures as rows of their own, labelled with the census.
_write("countyrows-restated-rows", [
    [1, "能源消费总量", "万吨标准煤", 160, 170, 172, None],
    [None, "能源消费总量（五经普修订）", "万吨标准煤", 165, None, None, "根据第五次全国经济普查结果修订"],
    GDP,
    [None, "地区生产总值（可比价，五经普修订）", "亿元", 215, None, None, "根据第五次全国经济普查结果修订"],
    NONFOSSIL])

# 其中：修订后 under each first-published row.
_write("countyrows-restated-under", [
    [1, "能源消费总量", "万吨标准煤", 160, 170, 172, None],
    [None, "其中：修订后", "万吨标准煤", 165, None, None, None],
    GDP,
    [None, "其中：修订后", "亿元", 215, None, None, None],
    NONFOSSIL])

# The base year in the label: 2020年地区生产总值 and its restatement, the later years on a row of their own.
_write("countyrows-restated-year-label", [
    [1, "能源消费总量", "万吨标准煤", 165, 170, 172, "2020年为五经普修订数"],
    [2, "地区生产总值（可比价）", "亿元", None, 240, 250, None],
    [None, "2020年地区生产总值（可比价）", "亿元", 200, None, None, None],
    [None, "2020年地区生产总值（可比价，五经普修订）", "亿元", 215, None, None, None],
    NONFOSSIL])

# Red team (a 统计局's copy of its bulletin). The reduction rate given on both bases, 口径 in the label:
# before, 单位GDP能耗累计降低率 was no alias and the rule was MISSING (compliant, exit 0).
_write("countyrows-redteam-rate-both-bases", [
    [1, "单位GDP能耗累计降低率（当量值口径）", "%", None, None, 13.3, "比2020年"],
    [2, "单位GDP能耗累计降低率（等价值口径）", "%", None, None, 14.0, "比2020年"],
    NONFOSSIL])

# 修订前 rows under rows that already hold the restated figures: the plain rows are read.
_write("countyrows-redteam-before-rows", [
    [1, "能源消费总量", "万吨标准煤", 165, 170, 172, None],
    [None, "其中：修订前", "万吨标准煤", 160, None, None, "原公布数"],
    [2, "地区生产总值（可比价）", "亿元", 215, 240, 250, "2020年为五经普修订数"],
    [None, "其中：修订前", "亿元", 200, None, None, None],
    NONFOSSIL])
