"""Write the fraction cases: a share row under a "%" unit written as fractions (0.123 for 12.3 %),
and the writings of a share that are not ambiguous. The figures are the red-team county's
(make_redteam_cases.py): energy 160 → 172 万吨标准煤, comparable GDP 200 → 250 亿元, so the
intensity falls 14.0 % < 14.5 % → FAIL in every case; each case.yaml has the share's arithmetic.

    python tests/cases/make_fraction_cases.py
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from casebook import workbook_bytes

HERE = Path(__file__).resolve().parent
HEAD = ["序号", "指标名称", "单位", "2020年", "2024年", "2025年"]
ENERGY = [["能源消费总量", "万吨标准煤", 160, 170, 172], ["地区生产总值（可比价）", "亿元", 200, 240, 250]]


def _write(case: str, rows: list[list[object]], percent_format: bool = False) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["寿阳县2025年碳达峰目标任务完成情况统计表"])
    ws.append(["填报单位：寿阳县发展和改革局"])
    ws.append(HEAD)
    for i, row in enumerate([*ENERGY, *rows], start=1):
        ws.append([i, *row])
    if percent_format:
        for cell in ws[ws.max_row][3:]:
            cell.number_format = "0.0%"
    (HERE / case / "submission.xlsx").write_bytes(workbook_bytes(wb))


NF = "非化石能源消费比重（%）"
_write("fraction-readings-differ", [[NF, "%", 0.082, 0.116, 0.123]])
_write("fraction-both-fail", [[NF, "%", 0.082, 0.116, 0.113]])
_write("fraction-both-pass", [["煤炭消费比重（%）", "%", 0.62, 0.58, 0.55]])
_write("fraction-mixed-row", [["新能源汽车新车销售量占比（%）", "%", 0.8, 2.1, 2.6], [NF, "%", 8.2, 11.6, 0.123]])
_write("fraction-percent-format", [[NF, "%", 0.082, 0.116, 0.123]], percent_format=True)
_write("fraction-percent-text", [[NF, "%", "8.2%", "11.6%", "12.3%"]])

if __name__ == "__main__":
    print("written")
