"""The facility sheet of an enterprise template heads its columns with words, in the form's language,
and a form filled in and sent back reads every one of those columns as the attribute it was made for.

Before, the attribute headers were ids (``oven_height (米)``) in both languages and the type column of
the English form was headed 设施类型; the reader matches a catalogue name, an alias or ``name_en``, so
both forms could use words all along.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from cbcheck.facilities import facility_catalogue
from cbcheck.policy import load_policy
from cbcheck.reader import read_submission
from cbcheck.template import build_template

POLICY = "yuncheng-energy-saving-14fyp"
TODAY = dt.date(2026, 3, 1)
# (language, how the clerk writes the facility type, the header of the type column)
FORMS = [("zh", "燃煤发电机组", "设施类型"), ("en", "coal-fired power unit", "Facility type")]


def _sheet(lang: str) -> tuple[openpyxl.Workbook, list[str]]:
    pol, cat = load_policy(POLICY)
    wb = openpyxl.load_workbook(io.BytesIO(build_template(pol, cat, "enterprise", [2024, 2025], lang, TODAY)))
    ws = wb.worksheets[2]
    return wb, [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]


@pytest.mark.parametrize(("lang", "written", "type_header"), FORMS, ids=[f[0] for f in FORMS])
def test_facility_headers_are_words_of_the_form_language(lang: str, written: str, type_header: str) -> None:
    _, headers = _sheet(lang)
    attributes = facility_catalogue().attributes
    assert headers[2] == type_header
    # (a one-word name_en may equal its id: industry, status; an id of two words never is a name)
    ids = [h for h in headers if h and "_" in h and h.split(" (")[0].split("（")[0] in attributes]
    assert ids == [], "attribute ids where names belong"
    name = attributes["oven_height"]
    assert f"{name.name_en} (米)" in headers if lang == "en" else f"{name.name}（米）" in headers


@pytest.mark.parametrize(("lang", "written", "type_header"), FORMS, ids=[f[0] for f in FORMS])
def test_filled_facility_sheet_reads_back(tmp_path: Path, lang: str, written: str, type_header: str) -> None:
    wb, headers = _sheet(lang)
    ws = wb.worksheets[2]
    ws.cell(5, 2).value = "1号机组"
    ws.cell(5, 3).value = written
    capacity = next(c for c, h in enumerate(headers, start=1) if h and h.startswith(("capacity (", "容量（")))
    ws.cell(5, capacity).value = 35
    path = tmp_path / f"filled-{lang}.xlsx"
    wb.save(path)
    pol, cat = load_policy(POLICY)
    sub = read_submission(path, cat)
    (table,) = sub.facilities
    # every column after the type is read as what the template meant by it, 备注/Notes as the
    # facility's remark (a stopped plant's 已停产 is said beside its verdicts)
    meant = len(headers) - 3
    assert len([c for c in table.columns if not c.startswith("_")]) == meant
    assert {"_name", "_type", "capacity", "oven_height", "status", "remark"} <= set(table.columns)
    assert table.columns["capacity"] == "F"
    # one facility filled, one facility read: nothing else on the sheet is taken for a facility
    # (the plan's requirements were listed under the table and came back as 29 facilities of no type)
    assert list(table.data["_name"]) == ["1号机组"] and not table.errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_facility_requirements_are_listed_in_the_instructions(lang: str) -> None:
    wb, _ = _sheet(lang)
    pol, _ = load_policy(POLICY)
    said = "\n".join(str(c.value) for c in wb.worksheets[1]["A"] if c.value)
    facility_rules = [r.id for r in pol.rules if r.scope == "facility"]
    assert len(facility_rules) > 20 and all(f"{rid}  " in said for rid in facility_rules)
    assert all(not str(c.value or "").startswith(tuple(facility_rules))
               for row in wb.worksheets[2].iter_rows() for c in row)
