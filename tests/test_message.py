"""Msg: a sentence that carries its catalogue key renders in each language without template matching."""

import json
import pickle

from cbcheck.i18n import catalogue
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import translate


def test_msg_is_its_english_sentence():
    m = Msg("msg.misses", year=2025)
    assert m == "2025: misses the target"
    assert isinstance(m, str)
    assert json.dumps({"message": m}) == '{"message": "2025: misses the target"}'


def test_msg_renders_in_chinese_from_the_same_key():
    assert Msg("msg.misses", year=2025).text("zh") == "2025年：未达到目标"
    assert translate(Msg("msg.misses", year=2025), "zh") == "2025年：未达到目标"


def test_a_nested_msg_is_rendered_in_the_outer_language():
    why = Msg("msg.behind", year=2023, gap="1.2%", target_year=2025)
    outer = Msg("msg.not_due", target_year=2025, year=2023, why=why)
    assert outer == "target year 2025 is after 2023; 2023: behind trajectory; needs 1.2% more by 2025"
    zh = outer.text("zh")
    assert zh == catalogue("zh")["msg.not_due"].format(target_year=2025, year=2023, why=why.text("zh"))
    assert "behind" not in zh


def test_join_uses_each_languages_separator_and_keeps_plain_strings():
    j = Msg.join([Msg("msg.misses", year=2025), "as written"])
    assert j == "2025: misses the target; as written"
    assert j.text("zh") == "2025年：未达到目标；as written"


def test_msg_survives_pickling_with_its_key():
    m = pickle.loads(pickle.dumps(Msg("msg.meets", year=2024)))
    assert isinstance(m, Msg) and m.key == "msg.meets" and m.text("zh") == Msg("msg.meets", year=2024).text("zh")


def test_a_plain_string_still_goes_through_the_templates():
    # who assigned a target is a plain string of params.py (see phrases.MATCHED)
    assert translate("--set on the command line", "zh") == Msg("msg.cmdline").text("zh")


def test_a_facility_entry_is_no_plain_string_any_more():
    # a facility entry's "verdict: reason" is a Msg (facility_results.Wording): its English is no template
    assert translate("done late: 3 days after 2023-10-31", "zh") == "done late: 3 days after 2023-10-31"


def test_a_sentence_said_by_key_is_not_matched_as_english():
    # msg.misses is said only by key now: its English is no template any more
    assert translate("2025: misses the target", "zh") == "2025: misses the target"


def test_listing_uses_each_languages_list_separator():
    years = Msg.listing([2020, 2025])
    assert str(years) == "2020, 2025"
    assert years.text("zh") == "2020、2025"
    note = Msg("read.header_years", sheet="表1", row=3, layout="x", years=years)
    assert note.text("zh").endswith("年份 2020、2025")
    assert ", " not in note.text("zh").split("年份")[-1]


def test_listing_renders_msg_items_in_the_language_and_pickles():
    import pickle

    listing = Msg.listing(["表1", Msg("msg.misses", year=2025)])
    assert listing.text("zh") == "表1、" + Msg("msg.misses", year=2025).text("zh")
    assert pickle.loads(pickle.dumps(listing)).text("zh") == listing.text("zh")
