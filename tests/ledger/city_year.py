"""A city office's year as data: 晋中市's county files as the offices send them, written into a folder
(``python -m tests.ledger.city_year DIR`` writes them for a look; the tests write them into tmp_path).

Counties (rows: 能源消费总量 万吨标准煤, GDP at 2020 prices, 太阳能发电装机容量 万千瓦; 2020 / 2024 / 2025):

- 榆次区 sends twice: ``榆次区-2025.csv`` with 6510 for 651 (a slipped digit), then ``榆次区-2025-更正.csv``;
- 太谷区 restates its 2020 base after the census: 2024's file 300 / 250, 2025's workbook 310 / 260;
- 介休市 is a county-level city and signs as ``介休市`` (no 晋中市 before it);
- 平遥县 gives GDP in 万元 (1500000 万元 = 150 亿元) where the others use 亿元;
- 祁县 signs as its office (``祁县发展和改革局``), later a correction as ``晋中市祁县`` (2025 energy 96 → 97);
- 灵石县 sends only 比上年 intensity rates, no energy or GDP levels;
- 和顺县's 2024 file lands in the 2025 folder; 寿阳县 sends nothing (缺报).

Hand arithmetic for the city, 2025, counties with levels (榆次 corrected, 太谷, 介休, 平遥, 祁县 first file):
  energy 2020 = 600 + 310 + 500 + 120 + 90 = 1620;  2025 = 651 + 325 + 515 + 127 + 96 = 1714
  GDP    2020 = 700 + 260 + 400 + 150 + 110 = 1620;  2025 = 860 + 318 + 490 + 183 + 134 = 1985
  intensity 2020 = 1620/1620 = 1;  2025 = 1714/1985 = 0.8635;  r = 1 − 0.8635 = 13.65 % < 14.5 %
  solar 2025 = 62 + 38 + 50 + 26 + 15 = 191 万千瓦
  allocations weighted by 2020 energy: (600×15 + 310×14 + 500×15 + 120×14 + 90×14) / 1620 = 23780/1620 = 14.68 %
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

POLICY = "jinzhong-carbon-peak"
GDP = "地区生产总值（2020年可比价）"
ENERGY, SOLAR = "能源消费总量", "太阳能发电装机容量"
Y3 = [2020, 2024, 2025]


def levels(energy: list[float], gdp: list[float], solar: list[float], gdp_unit: str = "亿元") -> list[list[object]]:
    return [[ENERGY, "万吨标准煤", *energy, ""], [GDP, gdp_unit, *gdp, "按2020年价格计算"],
            [SOLAR, "万千瓦", *solar, ""]]


def _lines(signer: str, years: list[int], rows: list[list[object]], date: str) -> list[list[object]]:
    title = f"晋中市碳达峰主要指标统计表（{signer}）"
    return [[title], [f"填报单位：{signer}", "", "", f"填报日期：{date}"],
            ["序号", "指标名称", "单位", *(f"{y}年" for y in years), "备注"],
            *([i, *r] for i, r in enumerate(rows, 1)), ["填报人：统计科"]]


def write_csv(path: Path, signer: str, years: list[int], rows: list[list[object]], date: str = "2026年6月20日") -> Path:
    """Saved from WPS as GBK CSV, every line as wide as the header."""
    width = len(years) + 4
    text = "\r\n".join(",".join(str(v) for v in line) + "," * (width - len(line))
                       for line in _lines(signer, years, rows, date)) + "\r\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("gbk"))
    return path


def write_xlsx(path: Path, signer: str, years: list[int], rows: list[list[object]],
               date: str = "2026年6月20日") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "主要指标"
    for line in _lines(signer, years, rows, date):
        ws.append([None if v == "" else v for v in line])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_year(root: Path) -> Path:
    """The folders ``2024/``, ``2025/`` (as received) and ``later/`` (祁县's correction)."""
    y24, y25 = root / "2024", root / "2025"
    write_csv(y25 / "榆次区-2025.csv", "晋中市榆次区", Y3, levels([600, 640, 6510], [700, 820, 860], [20, 50, 62]),
              date="2026年6月10日")
    write_csv(y25 / "榆次区-2025-更正.csv", "晋中市榆次区", Y3, levels([600, 640, 651], [700, 820, 860], [20, 50, 62]))
    write_csv(y24 / "太谷区-2024.csv", "晋中市太谷区", [2020, 2024],
              [[ENERGY, "万吨标准煤", 300, 320, ""], [GDP, "亿元", 250, 300, ""], [SOLAR, "万千瓦", 10, 30, ""]],
              date="2025年6月18日")
    write_xlsx(y25 / "太谷区-2025.xlsx", "晋中市太谷区", Y3, levels([310, 322, 325], [260, 305, 318], [10, 30, 38]))
    write_csv(y25 / "介休市-2025.csv", "介休市", Y3, levels([500, 520, 515], [400, 470, 490], [15, 40, 50]))
    write_csv(y25 / "平遥县-2025.csv", "晋中市平遥县", Y3,
              levels([120, 126, 127], [1500000, 1750000, 1830000], [8, 20, 26], gdp_unit="万元"))
    write_csv(y25 / "祁县-2025.csv", "祁县发展和改革局", Y3, levels([90, 95, 96], [110, 128, 134], [5, 12, 15]))
    write_csv(root / "later" / "祁县-2025-更正.csv", "晋中市祁县", Y3,
              levels([90, 95, 97], [110, 128, 134], [5, 12, 15]), date="2026年7月2日")
    write_csv(y25 / "灵石县-2025.csv", "晋中市灵石县", Y3,
              [["单位地区生产总值能源消耗比上年下降", "%", "", 3.1, 2.8, "比上年"], [SOLAR, "万千瓦", 6, 18, 22, ""]])
    write_csv(y25 / "和顺县-2024.csv", "晋中市和顺县", [2020, 2024],
              [[ENERGY, "万吨标准煤", 60, 64, ""], [GDP, "亿元", 50, 60, ""]], date="2025年6月18日")
    return root


COUNTIES = ["晋中市榆次区", "晋中市太谷区", "晋中市介休市", "晋中市平遥县", "晋中市祁县", "晋中市灵石县",
            "晋中市和顺县", "晋中市寿阳县"]


def params(roster: list[str], allocated: dict[str, float]) -> str:
    lines = ["schema_version: 1", "source: 晋中市节能目标分解方案（测试）", f"policy: {POLICY}",
             "values: {JZ-ENERGY-INTENSITY-2025: 14.5}", f"roster: [{', '.join(roster)}]"]
    lines += ["entities:"] if allocated else []
    lines += [f"  {e}: {{JZ-ENERGY-INTENSITY-2025: {r}}}" for e, r in allocated.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(write_year(Path(sys.argv[1])))
