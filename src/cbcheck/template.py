"""``cbcheck template``: a fill-in workbook for one plan, so the first submission is right.

The workbook is Chinese (the reader reads Chinese headers and 填报单位 rows):

- 填报表 (first, active): a metadata block (填报单位, 填报日期, 填报人, 联系电话, and
  政策编号 with the policy id, so ``cbcheck check`` needs no ``--policy``), then one row per
  indicator the scope must report — 指标名称 and 单位 as the plan writes them, a yellow
  input cell per year, and the plan's targets beside them. Numeric cells are validated
  (a number or a missing marker; a warning, not a refusal, so 约500 can still be kept).
- 填报说明: what to fill, how to write numbers, units and missing values. Written without
  ``key：value`` pairs, so the reader never takes it for metadata.
- 设施表 (enterprise scope only): one row per facility with the attributes and indicators
  the plan's facility rules look at.

Indicators derived from components (单位地区生产总值能耗 = 能源消费总量 / 地区生产总值) get
rows for the components too. Output is reproducible (fixed dates, see render/xlsxio.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cbcheck import __version__
from cbcheck.catalogue import Catalogue
from cbcheck.checks import KINDS, describe
from cbcheck.errors import UsageError
from cbcheck.model import COUNTY_SCOPES, Policy, Rule
from cbcheck.render.xlsxio import put, to_bytes

SCOPES = {"county": COUNTY_SCOPES, "enterprise": frozenset({"enterprise"})}
SCOPE_WORDS = {"county": "县（市、区）", "enterprise": "企业"}
STRENGTH_WORDS = {"binding": "约束性", "aspirational": "预期性", "approximate": "左右（近似）"}
DATA_SHEET, HELP_SHEET, FACILITY_SHEET = "填报表", "填报说明", "设施表"
META_ROWS = (("填报单位：", "entity"), ("填报日期：", "date"), ("填报人：", "contact"), ("联系电话：", "phone"))
MISSING_WORDS = ("—", "-", "/", "无", "未统计")
INPUT_FILL, TARGET_FILL, HEAD_FILL = "FFF2CC", "F2F2F2", "D9E1F2"


@dataclass(frozen=True)
class Row:
    indicator: str
    name: str
    unit: str
    kind: str                       # number | share | date | boolean
    targets: str
    strength: str
    note: str


def default_years(policy: Policy, scope: str, today: dt.date | None = None) -> list[int]:
    """The base years of the scope's rules (2020, and 2005 for a 比2005年 target) and the
    last two complete years."""
    year = (today or dt.date.today()).year
    period = str(policy.meta.get("period") or "")
    bases = {r.base_year for r in policy.rules if r.scope in SCOPES[scope] and r.base_year}
    if not bases:
        bases = {int(period[:4]) - 1 if period[:4].isdigit() else 2020}
    return sorted(bases | {year - 2, year - 1})


def parse_years(text: str) -> list[int]:
    try:
        years = sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip()})
    except ValueError:
        raise UsageError(f"--years {text!r} is not a list of years", hint="e.g. --years 2020,2024,2025") from None
    if not years or not all(1990 <= y <= 2100 for y in years):
        raise UsageError(f"--years {text!r}: years must be between 1990 and 2100", hint="e.g. --years 2020,2024,2025")
    return years


def target_text(rule: Rule) -> str:
    """The requirement in the plan's terms, in Chinese: ``≥13%（2025年）``, ``比2020年下降15.6%（2025年）``."""
    return describe(rule, "zh")


def _unit(rules: list[Rule], cat: Catalogue) -> str:
    """The unit the plan states for a level target, else the indicator's usual unit."""
    ind = cat[rules[0].indicator]
    for r in rules:
        if KINDS[r.kind].level and r.unit:
            return r.unit
    return ind.unit if ind.kind not in {"date", "boolean"} else ""


def _note(kind: str, derived_from: list[str] | None, used_for: str | None) -> str:
    notes = {"share": "百分比，填 13.2 表示 13.2%", "date": "填完成日期（如 2025-06-30），未完成填“否”",
             "boolean": "填“是”“否”，或完成日期"}
    parts = [notes.get(kind, "")]
    if derived_from:
        parts.append("也可只填" + "和".join(derived_from) + "，由其计算")
    if used_for:
        parts.append(f"用于计算{used_for}")
    return "；".join(p for p in parts if p)


def rows_for(policy: Policy, cat: Catalogue, scope: str) -> list[Row]:
    """One row per indicator the scope's rules name, in plan order; the components of a
    derived indicator follow it (with their own targets, if the plan sets any)."""
    by_indicator: dict[str, list[Rule]] = {}
    for rule in policy.rules:
        if rule.scope in SCOPES[scope]:
            by_indicator.setdefault(rule.indicator, []).append(rule)
    rows: list[Row] = []
    listed: set[str] = set()

    def add(ind_id: str, used_for: str | None) -> None:
        ind, rules = cat[ind_id], by_indicator.get(ind_id, [])
        ratio = (ind.derive or {}).get("ratio")
        parts = [cat[c].name for c in ratio] if ratio else None
        rows.append(Row(ind_id, ind.name, _unit(rules, cat) if rules else ind.unit, ind.kind,
                        "；".join(dict.fromkeys(target_text(r) for r in rules)),
                        "、".join(dict.fromkeys(STRENGTH_WORDS[r.strength] for r in rules)),
                        _note(ind.kind, parts, used_for)))
        listed.add(ind_id)
        for component in ratio or ():
            if component not in listed:
                add(component, ind.name)

    for ind_id in by_indicator:
        if ind_id not in listed:
            add(ind_id, None)
    return rows


def _style(cell: Any, *, fill: str | None = None, bold: bool = False, wrap: bool = False) -> Any:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    if fill:
        cell.fill = PatternFill(fill_type="solid", start_color="FF" + fill, end_color="FF" + fill)
    if bold:
        cell.font = Font(bold=True)
    thin = Side(style="thin", color="FFBFBFBF")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.alignment = Alignment(wrap_text=wrap, vertical="center")
    return cell


def _data_sheet(ws: Any, policy: Policy, scope: str, years: list[int], rows: list[Row]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    put(ws, 1, 1, f"{policy.title}目标任务完成情况填报表").font = Font(bold=True, size=14)
    put(ws, 2, 1, "黄色单元格由填报单位填写，填写方法见「填报说明」工作表；请勿修改政策编号，cbcheck 据此识别政策")
    for i, (label, _) in enumerate(META_ROWS, start=4):
        _style(put(ws, i, 1, label), bold=True)
        _style(ws.cell(row=i, column=2), fill=INPUT_FILL).number_format = "@"
    policy_row = 4 + len(META_ROWS)
    _style(put(ws, policy_row, 1, "政策编号："), bold=True)
    # nothing else on this row: a reader takes the rest of a 政策编号： row as the id
    _style(put(ws, policy_row, 2, policy.id), fill=TARGET_FILL)
    header_row = policy_row + 2
    year_cols = {y: 4 + i for i, y in enumerate(years)}
    after = 4 + len(years)
    headers = ["序号", "指标名称", "单位", *[f"{y}年" for y in years], "规划目标", "目标性质", "填写提示", "备注"]
    for c, text in enumerate(headers, start=1):
        _style(put(ws, header_row, c, text), fill=HEAD_FILL, bold=True, wrap=True)
    first, last_col = get_column_letter(year_cols[years[0]]), get_column_letter(year_cols[years[-1]])
    for n, row in enumerate(rows, start=1):
        r = header_row + n
        _style(put(ws, r, 1, n))
        _style(put(ws, r, 2, row.name), wrap=True)
        _style(put(ws, r, 3, row.unit), fill=INPUT_FILL)
        for c in year_cols.values():
            _style(ws.cell(row=r, column=c), fill=INPUT_FILL)
        _style(put(ws, r, after, row.targets), fill=TARGET_FILL, wrap=True)
        _style(put(ws, r, after + 1, row.strength), fill=TARGET_FILL)
        _style(put(ws, r, after + 2, row.note), wrap=True)
        _style(ws.cell(row=r, column=after + 3), fill=INPUT_FILL)
        if row.kind in {"number", "share"}:
            ok = " , ".join(f'{first}{r}="{w}"' for w in MISSING_WORDS).replace(" , ", ",")
            dv = DataValidation(type="custom", formula1=f"OR(ISNUMBER({first}{r}),{ok})", allow_blank=True,
                                errorStyle="warning", showErrorMessage=True, showInputMessage=True,
                                errorTitle="请填写数字", error="这里应填数字（如 13.2）；没有数据填“—”或“未统计”。",
                                promptTitle=row.name[:32], prompt=(f"单位：{row.unit}。" if row.unit else "")
                                + (f"规划目标：{row.targets}" if row.targets else "")[:200])
            dv.add(f"{first}{r}:{last_col}{r}")
            ws.add_data_validation(dv)
        elif row.kind == "boolean":
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True, errorStyle="information",
                                showErrorMessage=True, error="可填“是”“否”或完成日期。")
            dv.add(f"{first}{r}:{last_col}{r}")
            ws.add_data_validation(dv)
    widths = {1: 10, 2: 40, 3: 16, after: 44, after + 1: 12, after + 2: 30, after + 3: 20}
    for c in range(1, after + 4):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(c, 12)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)


def _help_sheet(ws: Any, policy: Policy, scope: str, years: list[int], rows: list[Row], facility: bool) -> None:
    from openpyxl.styles import Alignment, Font

    meta = policy.meta
    source = "，".join(str(x) for x in (meta.get("doc_number"), meta.get("issuer"), meta.get("date")) if x)
    draft = "（征求意见稿，目标以正式印发文件为准）" if policy.status == "draft" else ""
    lines: list[tuple[str, bool]] = [
        (f"《{policy.title}》填报说明", True),
        (f"本表用于{SCOPE_WORDS[scope]}报送《{policy.title}》{('（' + source + '）') if source else ''}"
         f"目标任务完成情况{draft}。共 {len(rows)} 项指标，年份 {'、'.join(map(str, years))}。", False),
        ("一、填写什么", True),
        ("1. 在「填报表」上方黄色单元格填写填报单位全称、填报日期、填报人和联系电话。", False),
        ("2. 每项指标一行，在各年份列填写该年的数值。「规划目标」和「目标性质」两列是规划中的目标，"
         "供对照，不必填写。", False),
        ("3. 不要修改指标名称和年份表头，不要删除“政策编号”一行，cbcheck 据此识别指标和政策。"
         "需要时可以增加年份列（如“2023年”）。", False),
        ("二、数值怎么写", True),
        ("1. 只填数字，如 13.2、1234.5，不要写文字说明；文字说明写在「备注」列。", False),
        ("2. 百分比指标填 13.2 或 13.2%，都表示 13.2%。", False),
        ("3. 「单位」列是规划使用的单位。改用同类单位时（如把“万千瓦”改为“MW”）请同时修改该行的单位，"
         "cbcheck 会自动换算。", False),
        ("4. 强度类指标（如单位地区生产总值能源消耗）可以直接填写，"
         "也可以填写其分子和分母（如能源消费总量、地区生产总值（可比价）），"
         "cbcheck 会据此计算并在报告中列出计算过程。", False),
        ("5. 完成类指标填写完成日期（如 2025-06-30），或“是”“否”。", False),
        ("三、缺失值怎么写", True),
        ("没有数据时填“—”或“未统计”，也可以留空。不要填 0，0 会被当作实际数值参与考核。", False),
        ("四、检查", True),
        ("保存为 .xlsx 后运行 cbcheck check 文件名.xlsx（无需再指定 --policy），"
         "报告会列出每项目标的结论和计算过程。", False),
    ]
    if facility:
        lines.insert(-2, ("五、设施表", True))
        lines.insert(-2, ("「设施表」每台（套）设施一行，填写设施名称、类型、属性和实测指标；"
                          "规划中针对设施的要求列在表头下方。", False))
    ws.column_dimensions["A"].width = 110
    for i, (text, bold) in enumerate(lines, start=1):
        cell = put(ws, i, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=14 if i == 1 else 11)
    put(ws, len(lines) + 2, 1, f"由 cbcheck {__version__} 根据政策 {policy.id} 生成").font = Font(color="FF808080")


def _facility_sheet(ws: Any, policy: Policy, cat: Catalogue) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rules = [r for r in policy.rules if r.scope == "facility"]
    attributes: dict[str, str] = {}
    indicators: dict[str, str] = {}
    types: list[str] = []
    for r in rules:
        applies = r.params.get("applies_to") or {}
        if applies.get("facility_type") and applies["facility_type"] not in types:
            types.append(applies["facility_type"])
        for cond in (*applies.get("where", ()), *applies.get("exempt", ())):
            attributes.setdefault(cond["attribute"], cond.get("unit", ""))
        if r.params.get("by_category"):
            attributes.setdefault(r.params["by_category"]["attribute"], "")
        ind = cat[r.indicator]
        indicators.setdefault(ind.id, f"{ind.name}（{r.unit or ind.unit}）" if ind.kind not in {"date", "boolean"}
                              else ind.name)
    headers = ["序号", "设施名称", "设施类型",
               *[f"{a}（{u}）" if u else a for a, u in attributes.items()], *indicators.values(), "备注"]
    put(ws, 1, 1, "设施表：每台（套）设施一行").font = Font(bold=True, size=14)
    put(ws, 2, 1, "设施类型可选 " + "、".join(types) if types else "本规划没有针对设施的要求")
    for c, text in enumerate(headers, start=1):
        _style(put(ws, 4, c, text), fill=HEAD_FILL, bold=True, wrap=True)
        ws.column_dimensions[get_column_letter(c)].width = 8 if c == 1 else 18
    for input_row in range(5, 25):
        for c in range(2, len(headers) + 1):
            _style(ws.cell(row=input_row, column=c), fill=INPUT_FILL)
    row = 27
    put(ws, row, 1, "规划对设施的要求").font = Font(bold=True)
    for rule in rules:
        row += 1
        put(ws, row, 2, rule.id)
        put(ws, row, 3, f"{rule.title}（{target_text(rule)}，{STRENGTH_WORDS[rule.strength]}）")


def build_template(policy: Policy, cat: Catalogue, scope: str = "county", years: list[int] | None = None) -> bytes:
    """The template workbook as bytes."""
    import openpyxl

    if scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}", hint="county or enterprise")
    years = years or default_years(policy, scope)
    rows = rows_for(policy, cat, scope)
    facility = scope == "enterprise" and any(r.scope == "facility" for r in policy.rules)
    if not rows and not facility:
        raise UsageError(f"policy {policy.id} has no rules for the {scope} scope",
                         hint="try --scope county" if scope == "enterprise" else "see `cbcheck policy show`")
    wb = openpyxl.Workbook()
    wb.properties.creator = "cbcheck"
    wb.properties.title = f"{policy.title} 填报表"
    data = wb.active
    data.title = DATA_SHEET
    _data_sheet(data, policy, scope, years, rows)
    _help_sheet(wb.create_sheet(HELP_SHEET), policy, scope, years, rows, facility)
    if facility:
        _facility_sheet(wb.create_sheet(FACILITY_SHEET), policy, cat)
    return to_bytes(wb)
