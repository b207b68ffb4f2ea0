"""Submission metadata from the rows around a table: ``填报单位：XX县发改局  填报日期：2025年1月10日``.

A key and its value may share a cell or sit in neighbouring cells; spaced-out keys
(``填 报 单 位``) and notes in brackets (``填报单位（盖章）``) are recognised. Dates are
turned into ISO form when they can be read; otherwise kept as written.
"""

from __future__ import annotations

import datetime as dt
import re

from cbcheck.entclass import DECLARATION_KEYS
from cbcheck.textnorm import trailing_unit

# key -> meta field; longer keys are tried first, so 填报单位 is never read as 单位. What an enterprise
# says it is (是否重点用能单位：是, 所属行业：焦化) goes to ``class.*`` fields (cbcheck.entclass).
META_KEYS = {
    "填报单位": "entity", "报送单位": "entity", "填报地区": "entity", "填报部门": "entity", "单位名称": "entity",
    "企业名称": "entity", "地区": "entity", "区县": "entity", "县区": "entity", "县(市、区)": "entity",
    "填报日期": "date", "报送日期": "date", "填表日期": "date", "填报时间": "date", "日期": "date",
    "填报人": "contact", "填表人": "contact", "联系人": "contact", "审核人": "reviewer", "负责人": "reviewer",
    "联系电话": "phone", "电话": "phone",
    "计量单位": "unit", "单位": "unit",
    "政策": "policy", "政策编号": "policy", "policy": "policy",
    "报告年度": "year", "统计年度": "year", "年度": "year", "报告期": "year",
    # whose submission this is (企业 / 县（市、区）): read by reader/scope.py
    "报送类别": "submitter", "填报主体": "submitter", "报送主体": "submitter", "填报类别": "submitter",
    **{k: f"class.{v}" for k, v in DECLARATION_KEYS.items()},
    # an English export (a foreign-owned plant, a monitoring platform): ASCII keys are matched
    # without case or spaces (``Reporting year:``); "unit" alone is left out (a unit of measure?)
    "reportingyear": "year", "reportyear": "year", "reportingperiod": "year", "year": "year",
    "reportingentity": "entity", "reportingunit": "entity", "company": "entity", "companyname": "entity",
    "enterprise": "entity", "enterprisename": "entity",
    "reportingdate": "date", "reportdate": "date", "date": "date",
    "contact": "contact", "contactperson": "contact", "preparedby": "contact", "reviewedby": "reviewer",
    "phone": "phone", "telephone": "phone", "tel": "phone",
}


# Rows that annotate a table rather than hold its data: a note (注：…), and the signature footer
# (填表人：…  联系电话：…). Indicator tables (table.py) and facility tables (facility.py) both list
# them as remarks.
NOTE_WORDS = ("注", "说明", "备注", "填表说明", "填报说明", "编制说明", "数据来源", "资料来源")
SIGNATURE_WORDS = ("填表人", "填报人", "审核人", "负责人", "联系人", "联系电话", "制表人")
NOTE_ROW = re.compile(r"^(" + "|".join(NOTE_WORDS) + r")\s*\d*\s*[:：]")
FOOTER_ROW = re.compile(r"^(" + "|".join(NOTE_WORDS + SIGNATURE_WORDS) + r")\s*\d*\s*[:：]")


def _key_pattern(key: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in key)


_KEY = re.compile(
    r"(?:^|(?<=[\s,，;；|]))(?P<key>" + "|".join(_key_pattern(k) for k in sorted(META_KEYS, key=len, reverse=True))
    + r")\s*(?:[(（][^)）]{0,8}[)）])?\s*[:：]", re.IGNORECASE)
_SEAL = re.compile(r"\s*[(（]\s*(盖章|公章|签字|签章)\s*[)）]\s*$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TITLE_ENTITY = re.compile(r"^(?P<entity>.{1,30}(?:省|市|县|区|旗|州|盟|镇|乡|开发区|新区|园区|管委会|公司|集团|厂))"
                           r"\s*(?:19|20)\d{2}\s*年")


def iso_date(text: str) -> str:
    m = _DATE.match(text.strip())
    if m:
        try:
            return dt.date(*map(int, m.groups())).isoformat()
        except ValueError:
            pass
    return text.strip()


def _store(meta: dict[str, str], key: str, value: str) -> None:
    field = META_KEYS[re.sub(r"\s+", "", key).lower() if key.isascii() else re.sub(r"\s+", "", key)]
    value = _SEAL.sub("", value).strip(" ,，;；")
    if not value:
        return
    if field == "date":
        value = iso_date(value)
    if field == "unit" and is_units_line(value):
        pass                        # 单位：亿元、万吨标准煤、%: the table's units, never the entity
    elif field == "unit" and trailing_unit(f"x({value})") is None:
        field = "entity"            # 单位：XX县发改局 names the office, not a unit of measure
    meta.setdefault(field, value)


_UNIT_LIST = re.compile(r"\s*[、，,;；]\s*|\s+")


def units_of_line(value: str) -> list[str]:
    """The units a ``单位：`` line lists (``亿元、万吨标准煤、%``), in order."""
    return [u for u in _UNIT_LIST.split(value.strip()) if u]


def is_units_line(value: str) -> bool:
    """``亿元、万吨标准煤、%``: every part is a unit of measure (so the line is not an office's name)."""
    parts = units_of_line(value)
    return len(parts) > 1 and all(trailing_unit(f"x({p})") is not None for p in parts)


def meta_from_row(texts: list[str], meta: dict[str, str]) -> bool:
    """Read ``key：value`` pairs from one row's cell texts into ``meta``; True if the row was metadata."""
    line = "  ".join(t for t in texts if t)
    if not line:
        return False
    matches = list(_KEY.finditer(line))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        _store(meta, m.group("key"), line[m.end():end])
    if matches:
        return True
    distinct = [t for t in dict.fromkeys(texts) if t]
    key = re.sub(r"\s+", "", distinct[0]) if len(distinct) == 2 else ""
    if key in META_KEYS and (META_KEYS[key] in ("entity", "date", "submitter") or META_KEYS[key].startswith("class.")):
        _store(meta, key, distinct[1])
        return True
    return False


def title_entity(title: str) -> str | None:
    """The county or enterprise named at the start of a title: ``XX县2024年…统计表`` -> ``XX县``."""
    m = _TITLE_ENTITY.match(title.replace(" ", ""))
    return m.group("entity") if m else None
