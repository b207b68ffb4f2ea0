"""``cbcheck template``: a fill-in workbook for one plan, so the first submission is right.

The workbook is Chinese by default (``lang="en"`` gives English instructions; the labels the
reader reads — 填报单位, 政策编号, indicator and year headers — stay readable either way). Every
visible word comes from the ``template`` section of the catalogues.

Only the cells a county fills can be edited: input cells are unlocked and every sheet is
protected without a password (Excel and WPS both honour ``<sheetProtection sheet="1">``), so the
indicator names, year headers and 政策编号 that cbcheck reads cannot be changed by mistake.
The title names the reporting year (the last year column), and no year column is later than
the last complete year: a county cannot fill a year that is not over.

- 填报表 (first, active): a metadata block (填报单位, 填报日期, 填报人, 联系电话, 报送类别
  with the scope the form is for, so the form sent back is read as that scope's, and 政策编号
  with the policy id, so ``cbcheck check`` needs no ``--policy``), then one row per
  indicator the scope must report — 指标名称 and 单位 as the plan writes them, a yellow
  input cell per year, and the plan's targets beside them. Numeric cells are validated
  (a number or a missing marker; a warning, not a refusal, so 约500 can still be kept).
- 填报说明: what to fill, how to write numbers, units and missing values, and the plan's
  facility rules (enterprise scope). Written without ``key：value`` pairs, so the reader never
  takes it for metadata.
- 设施表 (enterprise scope only): one row per facility with the attributes and indicators
  the plan's facility rules look at, and nothing else (a row under the table is a facility).

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
from cbcheck.facilities import name_of
from cbcheck.i18n import Messages, messages
from cbcheck.i18n.message import Msg
from cbcheck.model import COUNTY_SCOPES, Policy, Rule
from cbcheck.render.xlsxio import put, to_bytes

SCOPES = {"county": COUNTY_SCOPES, "enterprise": frozenset({"enterprise"})}
META_ROWS = ("meta_entity", "meta_date", "meta_contact", "meta_phone")
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


def last_complete_year(today: dt.date | None = None) -> int:
    """The last year a county can report: statistics for a year exist only once it is over."""
    return (today or dt.date.today()).year - 1


def default_years(policy: Policy, scope: str, today: dt.date | None = None) -> list[int]:
    """The base years of the scope's rules (2020, and 2005 for a 比2005年 target) and the
    last two complete years."""
    year = last_complete_year(today)
    period = str(policy.meta.get("period") or "")
    bases = {r.base_year for r in policy.rules if r.scope in SCOPES[scope] and r.base_year}
    if not bases:
        bases = {int(period[:4]) - 1 if period[:4].isdigit() else 2020}
    return sorted(bases | {year - 1, year})


def parse_years(text: str) -> list[int]:
    try:
        years = sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip()})
    except ValueError:
        raise UsageError(Msg("rest.years_not_list", text=text), hint=Msg("rest.years_hint")) from None
    if not years or not all(1990 <= y <= 2100 for y in years):
        raise UsageError(Msg("rest.years_range", text=text), hint=Msg("rest.years_hint"))
    return years


def check_years(years: list[int], today: dt.date | None = None) -> None:
    """Refuse a year column a county cannot fill yet (the current year or later)."""
    last = last_complete_year(today)
    if years[-1] > last:
        raise UsageError(Msg("template.future_year", years=",".join(map(str, years)), last=last),
                         hint=Msg("template.future_year_hint", prev=last - 1, last=last))


def target_text(rule: Rule, lang: str = "zh") -> str:
    """The requirement in the plan's terms: ``≥13%（2025年）``, ``比2020年下降15.6%（2025年）``."""
    return describe(rule, lang)


def _plan(policy: Policy, lang: str) -> str:
    return policy.title_en if lang == "en" and policy.title_en else policy.title


def _unit(rules: list[Rule], cat: Catalogue) -> str:
    """The unit the plan states for a level target, else the indicator's usual unit."""
    ind = cat[rules[0].indicator]
    for r in rules:
        if KINDS[r.kind].level and r.unit:
            return r.unit
    return ind.unit if ind.kind not in {"date", "boolean"} else ""


def _note(kind: str, derived_from: list[str] | None, used_for: str | None, m: Messages) -> str:
    parts = [m(f"template.hint_{kind}") if kind in ("share", "date", "boolean") else ""]
    if derived_from:
        parts.append(m("template.hint_derived", parts=m("template.and").join(derived_from)))
    if used_for:
        parts.append(m("template.hint_used_for", name=used_for))
    return m("template.hint_sep").join(p for p in parts if p)


def _name(cat: Catalogue, ind_id: str, lang: str) -> str:
    """The indicator's name as the form shows it (the English name in English; the reader
    matches both)."""
    ind = cat[ind_id]
    return (ind.name_en or ind.name) if lang == "en" else ind.name


def _said(name: str, lang: str) -> str:
    """A catalogue Word (or an id no catalogue knows) as plain text in ``lang``: a cell holds a str."""
    return name.text(lang) if isinstance(name, Msg) else name


def rows_for(policy: Policy, cat: Catalogue, scope: str, m: Messages | None = None) -> list[Row]:
    """One row per indicator the scope's rules name, in plan order; the components of a
    derived indicator follow it (with their own targets, if the plan sets any)."""
    m = m or messages("zh")
    by_indicator: dict[str, list[Rule]] = {}
    for rule in policy.rules:
        if rule.scope in SCOPES[scope]:
            by_indicator.setdefault(rule.indicator, []).append(rule)
    rows: list[Row] = []
    listed: set[str] = set()
    sep, list_sep = m("template.hint_sep"), m("template.list_sep")

    def add(ind_id: str, used_for: str | None) -> None:
        ind, rules = cat[ind_id], by_indicator.get(ind_id, [])
        ratio = (ind.derive or {}).get("ratio")
        parts = [_name(cat, c, m.lang) for c in ratio] if ratio else None
        rows.append(Row(ind_id, _name(cat, ind_id, m.lang), _unit(rules, cat) if rules else ind.unit, ind.kind,
                        sep.join(dict.fromkeys(target_text(r, m.lang) for r in rules)),
                        list_sep.join(dict.fromkeys(m(f"strength.{r.strength}") for r in rules)),
                        _note(ind.kind, parts, used_for, m)))
        listed.add(ind_id)
        for component in ratio or ():
            if component not in listed:
                add(component, _name(cat, ind_id, m.lang))

    for ind_id in by_indicator:
        if ind_id not in listed:
            add(ind_id, None)
    return rows


def _style(cell: Any, *, fill: str | None = None, bold: bool = False, wrap: bool = False,
           unlocked: bool = False) -> Any:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    if fill:
        cell.fill = PatternFill(fill_type="solid", start_color="FF" + fill, end_color="FF" + fill)
    if bold:
        cell.font = Font(bold=True)
    thin = Side(style="thin", color="FFBFBFBF")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.alignment = Alignment(wrap_text=wrap, vertical="center")
    if unlocked:
        cell.protection = Protection(locked=False)
    return cell


def _protect(ws: Any, *, insert_rows: bool = False) -> None:
    """Lock every cell not unlocked by :func:`_style`; no password (the help sheet says how to
    lift it). Column widths and row heights stay adjustable; the facility sheet also lets rows be
    inserted (a plant may have more than 20 units)."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = False          # False = allowed (the attribute names what is protected)
    if insert_rows:
        p.insertRows = False


def declaring_rows(policy: Policy) -> list[tuple[str, bool]]:
    """For an enterprise template: the rows that say what the enterprise is, for the classes its
    enterprise rules address (cbcheck.entclass), so a clause meant for a 重点用能单位 is judged or
    not applicable instead of asking. (label, whether the answer is yes/no)."""
    from cbcheck.entclass import template_rows

    return template_rows(c for r in policy.rules if r.scope == "enterprise" for c in r.params.get("addressees", ()))


def _data_sheet(ws: Any, policy: Policy, years: list[int], rows: list[Row], m: Messages,
                declare: list[tuple[str, bool]] | None = None, scope: str = "county") -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    put(ws, 1, 1, m("template.title", plan=_plan(policy, m.lang), year=years[-1])).font = Font(bold=True, size=14)
    put(ws, 2, 1, m("template.intro", help=m("template.help_sheet")))
    for i, key in enumerate(META_ROWS, start=4):
        _style(put(ws, i, 1, m(f"template.{key}")), bold=True)
        _style(ws.cell(row=i, column=2), fill=INPUT_FILL, unlocked=True).number_format = "@"
    yes_no = DataValidation(type="list", formula1=f'"{m("template.boolean_list")}"', allow_blank=True,
                            errorStyle="information", showErrorMessage=True, error=m("template.boolean_error"))
    for i, (label, is_yes_no) in enumerate(declare or [], start=4 + len(META_ROWS)):
        _style(put(ws, i, 1, label), bold=True)        # the reader's own words, in every language
        _style(ws.cell(row=i, column=2), fill=INPUT_FILL, unlocked=True).number_format = "@"
        if is_yes_no:
            yes_no.add(f"B{i}")
    if declare:
        ws.add_data_validation(yes_no)
    # whose form this is, in the reader's words (reader/scope.py): the form sent back is read with the
    # scope it was made for, whatever its 填报单位 looks like
    submitter_row = 4 + len(META_ROWS) + len(declare or [])
    _style(put(ws, submitter_row, 1, m("template.meta_submitter")), bold=True)
    _style(put(ws, submitter_row, 2, m(f"template.submitter_{scope}")), fill=TARGET_FILL)
    policy_row = submitter_row + 1
    _style(put(ws, policy_row, 1, m("template.meta_policy")), bold=True)
    # nothing else on this row: a reader takes the rest of a 政策编号： row as the id
    _style(put(ws, policy_row, 2, policy.id), fill=TARGET_FILL)
    header_row = policy_row + 2
    year_cols = {y: 4 + i for i, y in enumerate(years)}
    after = 4 + len(years)
    headers = [m("template.col_no"), m("template.col_name"), m("template.col_unit"),
               *[m("template.col_year", year=y) for y in years], m("template.col_target"),
               m("template.col_strength"), m("template.col_hint"), m("template.col_notes")]
    for c, text in enumerate(headers, start=1):
        _style(put(ws, header_row, c, text), fill=HEAD_FILL, bold=True, wrap=True)
    first, last_col = get_column_letter(year_cols[years[0]]), get_column_letter(year_cols[years[-1]])
    for n, row in enumerate(rows, start=1):
        r = header_row + n
        _style(put(ws, r, 1, n))
        _style(put(ws, r, 2, row.name), wrap=True)
        _style(put(ws, r, 3, row.unit), fill=INPUT_FILL, unlocked=True)
        for c in year_cols.values():
            _style(ws.cell(row=r, column=c), fill=INPUT_FILL, unlocked=True)
        _style(put(ws, r, after, row.targets), fill=TARGET_FILL, wrap=True)
        _style(put(ws, r, after + 1, row.strength), fill=TARGET_FILL)
        _style(put(ws, r, after + 2, row.note), wrap=True)
        _style(ws.cell(row=r, column=after + 3), fill=INPUT_FILL, unlocked=True)
        if row.kind in {"number", "share"}:
            ok = ",".join(f'{first}{r}="{w}"' for w in MISSING_WORDS)
            dv = DataValidation(type="custom", formula1=f"OR(ISNUMBER({first}{r}),{ok})", allow_blank=True,
                                errorStyle="warning", showErrorMessage=True, showInputMessage=True,
                                errorTitle=m("template.number_error_title"), error=m("template.number_error"),
                                promptTitle=row.name[:32], prompt=((m("template.prompt_unit", unit=row.unit)
                                                                    if row.unit else "")
                                + (m("template.prompt_target", target=row.targets) if row.targets else ""))[:255])
            dv.add(f"{first}{r}:{last_col}{r}")
            ws.add_data_validation(dv)
        elif row.kind == "boolean":
            dv = DataValidation(type="list", formula1=f'"{m("template.boolean_list")}"', allow_blank=True,
                                errorStyle="information", showErrorMessage=True, error=m("template.boolean_error"))
            dv.add(f"{first}{r}:{last_col}{r}")
            ws.add_data_validation(dv)
    widths = {1: 10, 2: 40, 3: 16, after: 44, after + 1: 12, after + 2: 30, after + 3: 20}
    for c in range(1, after + 4):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(c, 12)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    _protect(ws)


def _help_sheet(ws: Any, policy: Policy, scope: str, years: list[int], rows: list[Row], facility: bool,
                m: Messages) -> None:
    from openpyxl.styles import Alignment, Font

    meta = policy.meta
    t = lambda key, **kw: m(f"template.{key}", **kw)  # noqa: E731
    source = t("source_sep").join(str(x) for x in (meta.get("doc_number"), meta.get("issuer"), meta.get("date")) if x)
    lines: list[tuple[str, bool]] = [
        (t("help_title", plan=_plan(policy, m.lang)), True),
        (t("help_intro", scope=t(f"scope_{scope}"), plan=_plan(policy, m.lang),
           source=t("help_source", source=source) if source else "", year=years[-1],
           draft=t("help_draft") if policy.status == "draft" else "", n=len(rows),
           years=t("list_sep").join(map(str, years))), False),
        (t("help_what"), True),
        (t("help_what_1", data=t("data_sheet")), False),
        (t("help_what_2"), False),
        (t("help_what_3"), False),
        (t("help_numbers"), True),
        *[(t(f"help_numbers_{i}"), False) for i in range(1, 6)],
        (t("help_missing"), True),
        (t("help_missing_1"), False),
        (t("help_check"), True),
        (t("help_check_1"), False),
    ]
    if facility:
        lines.insert(-2, (t("help_facility"), True))
        lines.insert(-2, (t("help_facility_1", sheet=t("facility_sheet")), False))
    if facility:
        # The plan's facility requirements are listed here, not under the facility table: rows below
        # the table were read back as facilities (a rule id for a name, its sentence for a type).
        lines.append((t("facility_rules"), True))
        lines += [(f"{rule.id}  " + t("facility_rule", title=rule.title, target=target_text(rule, m.lang),
                                      strength=m(f"strength.{rule.strength}")), False)
                  for rule in policy.rules if rule.scope == "facility"]
    ws.column_dimensions["A"].width = 110
    for i, (text, bold) in enumerate(lines, start=1):
        cell = put(ws, i, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=14 if i == 1 else 11)
    put(ws, len(lines) + 2, 1, t("generated", version=__version__, policy=policy.id)).font = Font(color="FF808080")
    _protect(ws)


def _facility_sheet(ws: Any, policy: Policy, cat: Catalogue, m: Messages) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    t = lambda key, **kw: m(f"template.{key}", **kw)  # noqa: E731
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
        name = _name(cat, ind.id, m.lang)
        indicators.setdefault(ind.id, t("with_unit", name=name, unit=r.unit or ind.unit)
                              if ind.kind not in {"date", "boolean"} else name)
    # attributes and types by their names in the form's language (the reader matches name and name_en
    # alike), never by their ids: a header is what the clerk reads
    named = {a: _said(name_of(a), m.lang) for a in attributes}
    headers = [t("col_no"), t("facility_name"), t("facility_type"),
               *[t("with_unit", name=named[a], unit=u) if u else named[a] for a, u in attributes.items()],
               *indicators.values(), t("col_notes")]
    put(ws, 1, 1, t("facility_title")).font = Font(bold=True, size=14)
    if types:
        put(ws, 2, 1, t("facility_types", types=t("list_sep").join(_said(name_of(x, "type"), m.lang) for x in types)))
    for c, text in enumerate(headers, start=1):
        _style(put(ws, 4, c, text), fill=HEAD_FILL, bold=True, wrap=True)
        ws.column_dimensions[get_column_letter(c)].width = 8 if c == 1 else 18
    for input_row in range(5, 25):
        for c in range(2, len(headers) + 1):
            _style(ws.cell(row=input_row, column=c), fill=INPUT_FILL, unlocked=True)
    _protect(ws, insert_rows=True)


def build_template(policy: Policy, cat: Catalogue, scope: str = "county", years: list[int] | None = None,
                   lang: str = "zh", today: dt.date | None = None) -> bytes:
    """The template workbook as bytes."""
    import openpyxl

    if scope not in SCOPES:
        raise UsageError(Msg("rest.template_unknown_scope", scope=scope), hint=Msg("rest.template_unknown_scope_hint"))
    m = messages(lang)
    years = years or default_years(policy, scope, today)
    check_years(years, today)
    rows = rows_for(policy, cat, scope, m)
    facility = scope == "enterprise" and any(r.scope == "facility" for r in policy.rules)
    if not rows and not facility:
        raise UsageError(Msg("rest.template_no_rules", policy=policy.id, scope=scope),
                         hint=Msg("rest.template_try_county" if scope == "enterprise" else "rest.template_see_show"))
    wb = openpyxl.Workbook()
    wb.properties.creator = "cbcheck"
    wb.properties.title = m("template.doc_title", plan=_plan(policy, lang))
    data = wb.active
    data.title = m("template.data_sheet")
    _data_sheet(data, policy, years, rows, m, declaring_rows(policy) if scope == "enterprise" else None, scope)
    _help_sheet(wb.create_sheet(m("template.help_sheet")), policy, scope, years, rows, facility, m)
    if facility:
        _facility_sheet(wb.create_sheet(m("template.facility_sheet")), policy, cat, m)
    return to_bytes(wb)
