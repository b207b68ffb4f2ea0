"""Whose submission a file is (cbcheck.reader.scope): the names a 填报单位 row holds, the evidence a
file gives, and the one fixed point — a file with a facility table is an enterprise's whatever it says."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbcheck.policy import catalogue
from cbcheck.reader import read_submission
from cbcheck.reader.scope import decide, evidence, kind_of_name


@pytest.mark.parametrize("name,kind", [
    ("某某焦化有限公司", "enterprise"),
    ("山西某某煤焦化有限责任公司", "enterprise"),
    ("某某集团有限公司某某分公司", "enterprise"),       # a branch: still a company
    ("某某县某某化肥厂", "enterprise"),                 # a place first, a works last
    ("国网某某县供电公司", "enterprise"),
    ("某某煤矿", "enterprise"),
    ("某某股份公司（盖章）", "enterprise"),
    ("某某县发展和改革局", "county"),
    ("某某县人民政府", "county"),
    ("济宁市兖州区", "county"),
    ("某某县", "county"),
    ("某某旗发改委", "county"),
    ("某某经济技术开发区管理委员会", "county"),
    ("某某县统计局 ", "county"),
    ("张三", None),
    ("", None),
])
def test_kind_of_name(name: str, kind: str | None) -> None:
    assert kind_of_name(name) == kind


def _scope(meta: dict[str, str], titles: tuple[str, ...] = (), sheets: tuple[str, ...] = (),
           facilities: bool = False) -> tuple[str, list[str]]:
    scope, notes = decide(evidence(meta, titles, sheets), facilities)
    return scope, [n.key for n in notes]


@pytest.mark.parametrize("meta,titles,sheets,want", [
    ({"entity": "某某焦化有限公司"}, (), (), ("enterprise", ["read.scope_enterprise"])),
    ({"submitter": "企业"}, (), (), ("enterprise", ["read.scope_enterprise"])),
    ({"submitter": "县（市、区）"}, (), (), ("county", [])),
    ({}, ("重点用能单位节能目标完成情况表",), (), ("enterprise", ["read.scope_enterprise"])),
    ({}, (), ("企业指标",), ("enterprise", ["read.scope_enterprise"])),
    ({}, ("2025年度企业节能目标完成情况表",), (), ("enterprise", ["read.scope_enterprise"])),
    # a county's sheet or title that lists some enterprises is no enterprise's own
    ({}, ("规上工业企业能耗统计表",), ("县重点企业",), ("county", ["read.scope_unsaid"])),
    ({"class.key_energy_user": "是"}, (), (), ("enterprise", ["read.scope_enterprise"])),
    ({"entity": "某某县发展和改革局"}, (), (), ("county", [])),
    # a county's title about its enterprises names the county: the title's words are not read
    ({"entity_from_title": "某某县"}, ("某某县2025年重点企业节能情况统计表",), (), ("county", [])),
    ({"entity": "某某县发展和改革局", "entity_from_title": "某某焦化有限公司"}, (), (),
     ("county", ["read.scope_conflict"])),
    ({"entity": "某某县发展和改革局", "submitter": "企业"}, (), (), ("county", ["read.scope_conflict"])),
    ({}, (), (), ("county", ["read.scope_unsaid"])),
    ({"entity": "张三"}, (), (), ("county", ["read.scope_unsaid"])),
])
def test_evidence_decides(meta: dict[str, str], titles: tuple[str, ...], sheets: tuple[str, ...],
                          want: tuple[str, list[str]]) -> None:
    assert _scope(meta, titles, sheets) == want


def test_a_conflict_names_both_reasons_in_both_languages() -> None:
    _, notes = decide(evidence({"entity": "某某县发展和改革局", "entity_from_title": "某某焦化有限公司"}, (), ()),
                      False)
    zh, en = notes[0].text("zh"), notes[0].text("en")
    for text in (zh, en):
        assert "某某县发展和改革局" in text and "某某焦化有限公司" in text and "--scope enterprise" in text


def test_chosen_scope_wins_and_says_what_the_file_suggested() -> None:
    found = evidence({"entity": "某某焦化有限公司"}, (), ())
    scope, notes = decide(found, False, "county")
    assert scope == "county" and notes[0].key == "read.scope_chosen_against" and "某某焦化有限公司" in notes[0]
    scope, notes = decide(found, False, "enterprise")
    assert scope == "enterprise" and notes[0].key == "read.scope_chosen"
    scope, notes = decide([], True, "county")            # the facility table is what the file suggested
    assert scope == "county" and "facility table" in notes[0]


def test_a_facility_table_under_a_county_office_says_so() -> None:
    assert _scope({"entity": "某某县发展和改革局"}, facilities=True) == ("enterprise", ["read.scope_facilities_over"])


WORDS = st.sampled_from(["某某焦化有限公司", "某某县发展和改革局", "某某县", "企业", "县（市、区）", "政府部门",
                         "重点用能单位情况表", "是", "否", "焦化", "", "张三", "某某集团", "济宁市"])
META = st.dictionaries(st.sampled_from(["entity", "entity_from_title", "submitter", "class.declared",
                                        "class.key_energy_user", "date"]), WORDS, max_size=6)


@settings(max_examples=300, deadline=None)
@given(meta=META, titles=st.lists(WORDS | st.text(max_size=12), max_size=3),
       sheets=st.lists(WORDS | st.text(max_size=12), max_size=3))
def test_a_facility_table_is_an_enterprise_whatever_the_file_says(meta: dict[str, str], titles: list[str],
                                                                 sheets: list[str]) -> None:
    assert decide(evidence(meta, titles, sheets), True)[0] == "enterprise"


OVENS = "焦炉编号,炭化室高度(米),产能(万吨/年)\n1号焦炉,6.78,150\n2号焦炉,5.5,100\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entity=WORDS, submitter=WORDS, title=WORDS)
def test_a_facility_file_is_read_as_an_enterprise_s(tmp_path: Path, entity: str, submitter: str, title: str) -> None:
    """Through the reader: whatever 填报单位, 报送类别 and title a facility table is written under."""
    path = tmp_path / "f.csv"
    head = (f"{title}2025年焦炉情况表\n" if title else "") + f"填报单位：{entity},,报告年度：2025\n"
    head += f"报送类别：{submitter}\n" if submitter else ""
    path.write_text(head + OVENS, encoding="utf-8")
    sub = read_submission(path, catalogue())
    assert sub.facilities and sub.scope == "enterprise"


def test_a_county_workbook_with_a_facility_table_is_refused_unless_scope_says() -> None:
    """A 发改局's indicators (表1) with its key energy users' list (表2): read as an enterprise's for the
    facility table, none of its indicators was judged and the report said compliant. Refused, naming
    both sheets and what says it is a county's; --scope decides."""
    from cbcheck.errors import SubmissionError

    path = Path(__file__).parents[1] / "cases" / "redteam9-county-with-facility-list" / "submission.xlsx"
    with pytest.raises(SubmissionError) as refused:
        read_submission(path, catalogue())
    said = refused.value.text("zh")
    assert "指标表（工作表 表1 指标），又有设施表（工作表 表2 重点用能单位）" in said, said
    assert "某县发展和改革局" in said and "--scope county" in said and "--scope enterprise" in said
    assert read_submission(path, catalogue(), scope="county").scope == "county"
    assert read_submission(path, catalogue(), scope="enterprise").scope == "enterprise"
