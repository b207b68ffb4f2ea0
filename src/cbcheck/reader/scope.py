"""Whose submission a file is: a county's (region and county rules apply) or an enterprise's
(enterprise and facility rules apply), decided from what the file says.

The evidence, each piece kept with the words that gave it:

- a facility table (one row per unit, line, oven): an enterprise's, whatever else the file says
  (as before this module existed: a file with a facility table is never read otherwise);
- a declared row, ``报送类别：企业`` / ``填报主体：县（市、区）``;
- the entity the file names (``填报单位：``/``企业名称：`` row, or the title ``XX焦化有限公司2025年…表``):
  a company's name (有限公司, 集团, …厂) against a place or an office (…县, …区, 人民政府, 发展和改革局);
- a title or sheet name about enterprises (``企业节能目标完成情况表``) when it names no entity;
- an enterprise's declarations of what it is (``是否重点用能单位：是``, ``所属行业：焦化``).

When the evidence agrees the file is read as it says; when it disagrees, or says nothing, the
file is read as a county's (the reading before this module) and the report's reading notes say
why and how to choose (``--scope county|enterprise``). ``--scope`` always wins and is noted.

One file is refused instead (:func:`both_tables`): a county's indicator table with a facility table
beside it (a 发改局's workbook with its 重点用能单位 list as 表2). Read as an enterprise's, for the
facility table, none of the county's indicators was judged and the report said 合规.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from cbcheck.entclass import declaring_row
from cbcheck.i18n.message import Msg
from cbcheck.readnote import ReadNote
from cbcheck.textnorm import nfkc

# A company's legal form anywhere in the name (XX有限公司焦化厂, XX集团有限公司XX分公司).
_COMPANY_FORM = re.compile(r"有限责任公司|有限公司|股份公司|集团")
_COMPANY_END = ("公司", "厂", "矿", "电站", "焦化", "钢铁", "水泥", "化工", "煤业", "能源站")
# Offices of a local government, and the places themselves.
_OFFICE = re.compile(r"人民政府|发展和改革|发展改革|发改|统计局|能源局|工业和信息化|工信|生态环境"
                     r"|管理委员会|管委会|行政公署")
_OFFICE_END = ("局", "委", "委员会", "办", "办公室", "政府")
_PLACE_END = ("省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "新区", "开发区")
# A declared row's value: 企业 / 重点用能单位 against 县（市、区） / 地区 / 政府部门.
_SAYS_ENTERPRISE = re.compile(r"企业|公司|用能单位|排污单位")
_SAYS_COUNTY = re.compile(r"县|区|市|旗|地区|政府|部门")
# A title or sheet name that starts with enterprises when it names no entity: 企业节能目标完成情况表,
# 2025年度重点用能单位…表 — not a county's sheet that merely lists some (XX县重点企业能耗, 规上企业).
_ABOUT_ENTERPRISE = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?)?(?:重点)?(?:企业|用能单位|排污单位)")


def kind_of_name(name: str) -> str | None:
    """``enterprise`` for a company's name, ``county`` for a place or a government office, None
    when the name says neither."""
    text = re.sub(r"[\s()（）【】\[\]]+", "", nfkc(name))
    if not text:
        return None
    if _COMPANY_FORM.search(text) or text.endswith(_COMPANY_END):
        return "enterprise"
    if _OFFICE.search(text) or text.endswith(_OFFICE_END) or text.endswith(_PLACE_END):
        return "county"
    return None


def _declared(value: str) -> str | None:
    text = nfkc(value)
    ent, cty = bool(_SAYS_ENTERPRISE.search(text)), bool(_SAYS_COUNTY.search(text))
    return "enterprise" if ent and not cty else "county" if cty and not ent else None


@dataclass(frozen=True, slots=True)
class Evidence:
    says: str          # county | enterprise
    why: Msg


def evidence(meta: dict[str, str], titles: Iterable[str], sheets: Iterable[str]) -> list[Evidence]:
    """What the file says about whose it is, in the order above (facility tables aside)."""
    out: list[Evidence] = []
    if (said := meta.get("submitter")) and (says := _declared(said)):
        out.append(Evidence(says, Msg("read.scope_why_declared", text=said)))
    for field, key in (("entity", "read.scope_why_entity"), ("entity_from_title", "read.scope_why_title_entity")):
        name = meta.get(field)
        if name and (says := kind_of_name(name)) and not (field == "entity_from_title" and name == meta.get("entity")):
            out.append(Evidence(says, Msg(f"{key}_{says}", name=name)))
    if not meta.get("entity_from_title"):
        for title in titles:
            if _ABOUT_ENTERPRISE.match(nfkc(title).replace(" ", "")):
                out.append(Evidence("enterprise", Msg("read.scope_why_title", title=title)))
                break
    for sheet in sheets:
        if _ABOUT_ENTERPRISE.match(nfkc(sheet).replace(" ", "")):
            out.append(Evidence("enterprise", Msg("read.scope_why_sheet", sheet=sheet)))
            break
    # 是否重点用能单位：是 as written; a sector or ownership (所属行业/企业类型/企业性质) by its words alone
    declarations = [v if k in ("class.declared", "class.ownership") else f"{declaring_row(k[6:])}：{v}"
                    for k, v in meta.items() if k.startswith("class.")]
    if declarations:
        out.append(Evidence("enterprise", Msg("read.scope_why_classes", rows=Msg.listing(declarations))))
    return out


def _reasons(found: list[Evidence], says: str) -> Msg:
    return Msg.join([e.why for e in found if e.says == says])


def both_tables(found: list[Evidence], indicators: list[str], facilities: list[str],
                chosen: str | None = None) -> tuple[Msg, Msg] | None:
    """(message, hint) refusing a file that names a county or an office and holds both an indicator
    table (sheets ``indicators``) and a facility table (``facilities``), unless ``--scope`` says whose."""
    county = [e for e in found if e.says == "county"]
    if chosen is not None or not county or not indicators or not facilities:
        return None
    return (Msg("read.error.scope_both", why=_reasons(found, "county"), indicators=Msg.listing(indicators),
                facilities=Msg.listing(facilities)), Msg("read.error.scope_both_hint"))


def decide(found: list[Evidence], facilities: bool, chosen: str | None = None) -> tuple[str, list[ReadNote]]:
    """The scope, and the reading notes that say how it was decided (none when the file says only
    what it has always been read as: a county's file that names a county, a facility table)."""
    ent = [e for e in found if e.says == "enterprise"]
    cty = [e for e in found if e.says == "county"]
    if chosen is not None:
        other = "county" if chosen == "enterprise" else "enterprise"
        against = ent if other == "enterprise" else cty
        if facilities and other == "enterprise":
            against = [Evidence("enterprise", Msg("read.scope_why_facilities")), *against]
        if against:
            return chosen, [ReadNote("entity", "read.scope_chosen_against", scope=Msg(f"read.scope_as_{chosen}"),
                                     why=_reasons(against, other), other=Msg(f"read.scope_as_{other}"))]
        return chosen, [ReadNote("entity", "read.scope_chosen", scope=Msg(f"read.scope_as_{chosen}"))]
    if facilities:
        if cty:
            return "enterprise", [ReadNote("entity", "read.scope_facilities_over", why=_reasons(found, "county"))]
        return "enterprise", []
    if ent and cty:
        return "county", [ReadNote("entity", "read.scope_conflict", enterprise=_reasons(found, "enterprise"),
                                   county=_reasons(found, "county"))]
    if ent:
        return "enterprise", [ReadNote("entity", "read.scope_enterprise", why=_reasons(found, "enterprise"))]
    if cty:
        return "county", []
    return "county", [ReadNote("scope", "read.scope_unsaid")]
