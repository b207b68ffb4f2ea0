"""Document metadata from the first lines of a plan: title, issuer, 文号, date, region, status."""

from __future__ import annotations

import re
from typing import Any

from cbcheck.i18n.message import Msg
from cbcheck.textnorm import cn_number

_TITLE = re.compile(r"^(?:【[^】]*】)?\s*((?:[\u4e00-\u9fff]{2,12}?(?:省|市|县|区|州|盟|旗))[^,，。;；]{2,40}?"
                    r"(?:实施方案|工作方案|行动方案|规划))\s*(\((?:征求意见稿|送审稿|草案)\))?(?:VIP.*)?$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[【(]\d{4}[〕\]】)]\d{1,4}号$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$")
_CN_DATE = re.compile(r"^二?[〇O○零0]?([一二三四五六七八九〇O○零]{2})年([一二三四五六七八九十]{1,2})月$")
_ISSUER = re.compile(r"^([\u4e00-\u9fff]{2,12}(?:省|市|县|区|州|盟|旗)(?:人民政府(?:办公室|办公厅)?|发展和改革委员会|"
                     r"发展改革委|[\u4e00-\u9fff]{0,10}(?:委员会|领导小组)))$")


def find_meta(text: str) -> tuple[dict[str, Any], list[Msg]]:
    """(metadata fields, what a reviewer should check) from the plan's head."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:40]
    first_heading = next((i for i, ln in enumerate(lines) if re.match(r"^[一二三四五六七八九十]{1,3}、", ln)),
                         len(lines))
    lines = lines[:first_heading]            # the head: what comes before 一、
    meta: dict[str, Any] = {}
    reviews: list[Msg] = []
    for line in lines:
        m = _TITLE.match(line)
        if m and not line.startswith(("关于", "各")) and "印发" not in line:
            meta["title"] = m.group(1)
            meta["status"] = "draft" if m.group(2) or "征求意见稿" in text[:400] else "final"
            region = re.match(r"[\u4e00-\u9fff]{2,12}?(?:省|市|县|区|州|盟|旗)", m.group(1))
            if region:
                meta["region"] = region.group(0)
            break
    if "title" not in meta:                  # a notice: 关于印发X的通知 names the plan
        m = re.search(r"印发(.{4,40}?(?:实施方案|工作方案|行动方案|规划))", "\n".join(lines))
        if m:
            meta["title"] = m.group(1).strip("《》“”\"")
            meta["status"] = "draft" if "征求意见稿" in text[:400] else "final"
            region = re.match(r"[\u4e00-\u9fff]{2,12}?(?:省|市|县|区|州|盟|旗)", meta["title"])
            meta["region"] = region.group(0) if region else meta["title"][:3]
    for line in lines:
        if "doc_number" not in meta and _DOC_NUMBER.match(line):
            meta["doc_number"] = line
        if "issuer" not in meta and _ISSUER.match(line):
            meta["issuer"] = line
        d = _DATE.match(line)
        if "date" not in meta and d:
            meta["date"] = f"{d.group(1)}-{int(d.group(2)):02d}" + (f"-{int(d.group(3)):02d}" if d.group(3) else "")
        c = _CN_DATE.match(line)
        if "date" not in meta and c:
            year, month = cn_number(c.group(1)), cn_number(c.group(2))
            assert year is not None and month is not None           # the pattern lets only numerals through
            meta["date"] = f"{2000 + year}-{month:02d}"
    if "issuer" not in meta:
        m = re.search(r"([\u4e00-\u9fff]{2,12}(?:省|市|县|区)人民政府)(?:办公室)?关于印发", text[:3000])
        if m:
            meta["issuer"] = m.group(1)
    if "region" not in meta:                 # the place the text names most often
        places = re.findall(r"([\u4e00-\u9fff]{2,3}(?:市|县))(?:委|人民政府|碳达峰|各|全)", text)
        if places:
            meta["region"] = max(sorted(set(places)), key=places.count)
            reviews.append(Msg("draft.review.region_guess", region=meta["region"]))
    title = meta.get("title", "")
    if "碳达峰" in title:
        meta["period"] = "2021-2030"
    elif "十四五" in title:
        meta["period"] = "2021-2025"
    for key in ("title", "issuer", "doc_number", "date"):
        if key not in meta:
            reviews.append(Msg("draft.review.not_found", field=key))
    return meta, reviews
