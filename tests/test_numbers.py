"""Number parsing: every accepted way of writing a number reads back as that number;
nothing else ever reads as a number."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cbcheck.numbers import (NotANumber, ParsedNumber, is_blank_answer, is_missing_marker, parse_number, split_footnote,
                             unit_scale)

FULL_WIDTH = str.maketrans("0123456789.,%-+", "０１２３４５６７８９．，％－＋")
SCALES = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, Decimal, bool, bool]:
    """(text, the number it means, percent?, approximate?) in any accepted form."""
    whole = draw(st.integers(min_value=0, max_value=10**12))
    frac = draw(st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=6)))
    negative = draw(st.booleans())
    grouped = draw(st.booleans())
    body = (f"{whole:,}" if grouped else str(whole)) + (f".{frac}" if frac else "")
    exact = Decimal(f"{whole}.{frac}" if frac else str(whole))
    if negative:
        body = draw(st.sampled_from(["-", "－", "−"])) + body
        exact = -exact
    elif draw(st.booleans()):
        body = "+" + body
    suffix = draw(st.sampled_from(["", "万", "亿", "%", " %", "％"]))
    percent = "%" in suffix or "％" in suffix
    body += suffix
    if draw(st.booleans()):
        body = body.translate(FULL_WIDTH)
    approx = draw(st.sampled_from(["", "约", "左右", "近", "~"]))
    if approx == "左右":
        body += approx
    else:
        body = approx + body
    if draw(st.booleans()):
        body = draw(st.sampled_from([" ", "\u3000", "\t"])) + body + " "
    return body, exact * SCALES.get(suffix, Decimal(1)), percent, bool(approx)


@given(written_numbers())
@settings(max_examples=500)
@example(("１３．２％", Decimal("13.2"), True, False))
@example(("约500", Decimal(500), False, True))
@example(("3.2亿", Decimal("320000000"), False, False))
@example(("1,234.5", Decimal("1234.5"), False, False))
@example(("－3.1", Decimal("-3.1"), False, False))
def test_every_accepted_form_reads_back(case: tuple[str, Decimal, bool, bool]) -> None:
    text, exact, percent, approx = case
    parsed = parse_number(text)
    assert isinstance(parsed, ParsedNumber)
    assert parsed.value == float(exact)
    assert parsed.percent is percent
    assert parsed.approx is approx


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_python_float_text_reads_back(x: float) -> None:
    parsed = parse_number(repr(x))
    assert parsed is not None and parsed.value == x


# Characters that can never be part of a number (letters other than e, most CJK, symbols).
GARBAGE_CHARS = "abcdfghijkmopqrstuvwyzABCDFGHIJKLMOPQRSTUVWYZ中国省市县能源#@&!?=_;:'\"()[]"
NUMBER_CHARS = "0123456789.,+-%约万亿 "


@given(st.text(GARBAGE_CHARS + NUMBER_CHARS, min_size=1, max_size=20).filter(
    lambda s: any(c in GARBAGE_CHARS for c in s)))
@settings(max_examples=500)
@example("12abc")
@example("1,7")
@example("200.000.000")
@example("1.234,5")
@example("10-20")
@example(">500")
@example("500以上")
@example("十二")
@example("1e999")
def test_garbage_never_reads_as_a_number(text: str) -> None:
    try:
        parsed = parse_number(text)
    except NotANumber:
        return
    assert parsed is None, f"{text!r} read as {parsed}"


@given(st.text(max_size=30))
@settings(max_examples=500)
def test_any_text_is_a_number_missing_or_refused(text: str) -> None:
    try:
        parsed = parse_number(text, allow_unit=True)
    except NotANumber as exc:
        assert exc.reason
        return
    assert parsed is None or math.isfinite(parsed.value)


@pytest.mark.parametrize("text", ["", " ", "—", "——", "-", "－", "/", "无", "未统计", "N/A", "…", "****", "NaN"])
def test_missing_markers_are_missing_not_zero(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "reason"), [
    ("1,7", "comma"), ("1,2345", "comma"), ("200.000.000", "dots"), ("1.234,5", "dots"),
    (">500", "bound"), ("≥95%", "bound"), ("500以上", "bound"), ("10-20", "range"), ("10~20", "range"),
    ("1e999", "too large"), ("abc", "is not a number"),
])
def test_ambiguous_forms_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(NotANumber) as info:
        parse_number(text)
    assert reason in info.value.reason


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("500万千瓦", 500, "万千瓦"), ("3.2亿元", 3.2, "亿元"), ("500MW", 500, "MW"), ("13.2", 13.2, None),
])
def test_a_unit_after_the_number_is_returned_only_when_asked(text: str, value: float, unit: str | None) -> None:
    parsed = parse_number(text, allow_unit=True)
    assert parsed is not None and parsed.value == value and parsed.unit_text == unit
    if unit:
        with pytest.raises(NotANumber):
            parse_number(text)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("日产2000吨", 2000, "吨/日"), ("日产熟料2500吨", 2500, "吨/日"), ("年产60万吨", 60, "万吨/年"),
    ("年产焦炭100万吨", 100, "万吨/年"), ("日产 2,500 吨", 2500, "吨/日"),
])
def test_a_capacity_written_with_its_period_first_reads_as_the_unit_after(text: str, value: float, unit: str) -> None:
    parsed = parse_number(text, allow_unit=True)
    assert parsed is not None and parsed.value == value and parsed.unit_text == unit
    with pytest.raises(NotANumber):      # without a unit allowed, as 2000吨/日 is
        parse_number(text)


@pytest.mark.parametrize("text", ["日产2000", "日产2000吨/日", "日产水泥粉磨3000吨", "日产50%",
                                  "产2000吨", "月产2000吨"])
def test_a_period_first_is_not_guessed_beyond_a_plain_capacity(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_number(text, allow_unit=True)


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("3.2亿", "亿元", 3.2), ("3200万", "亿元", 0.32), ("3.2亿", "万元", 32000), ("1.5万", "万千瓦", 1.5),
    ("1.5万", "千瓦", 15000), ("1.1万", None, 11000),
])
def test_a_multiplier_is_applied_to_the_unit_once(text: str, unit: str | None, value: float) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.in_scale(unit_scale(unit)) == value


def test_unit_scale() -> None:
    assert [unit_scale(u) for u in ("亿元", "万千瓦", "千瓦", "万", "%", None, "千万元")] == \
        ["亿", "万", None, None, None, None, "千万"]


# --- hand-worked edges (each one a mutant of numbers.py survived without it) -------------------------

@pytest.mark.parametrize(("text", "value", "digits"), [
    ("- 3.1", -3.1, "-3.1"),              # a space after the sign
    ("+ 2", 2, "+2"),
    ("1 234 567", 1234567, "1234567"),    # spaces between groups of three
    ("1\u00a0234.5", 1234.5, "1234.5"),   # no-break space between groups
    ("约 500", 500, "500"),                # a space after the approximate word
    ("500 左右", 500, "500"),
    ("1,234.5", 1234.5, "1234.5"),        # the commas leave the digits
    ("-1.5e3", -1500, "-1.5e3"),
    ("13.2", 13.2, "13.2"),               # the plain path keeps the text as its digits
])
def test_spaces_signs_and_separators_leave_the_written_digits(text: str, value: float, digits: str) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.value == value and parsed.digits == digits


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("13.2", "万元", 0.00132),            # 13.2 元 in a 万元 row: no scale word, divided once (13.2 / 1e4)
    ("500", "万千瓦", 0.05),
    ("500", None, 500),                  # neither side scaled
    ("3", "万亿元", 3e-12),                # 万亿 is the longest word, not 万
])
def test_a_number_without_a_scale_word_is_divided_by_the_units_scale(text: str, unit: str | None,
                                                                    value: float) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.scale_word is None and parsed.in_scale(unit_scale(unit)) == value


def test_the_longest_scale_word_a_unit_starts_with_wins() -> None:
    assert [unit_scale(u) for u in ("万亿元", "百万千瓦", "万吨", " 亿元 ", "亿")] == ["万亿", "百万", "万", "亿", None]


@pytest.mark.parametrize(("text", "reason"), [
    ("1e999", "is too large"),             # 1 followed by 999 zeros: beyond a float
    ("-1e999", "is too large"),
    ("1,234e5", "is not a number"),        # thousands separators and an exponent do not mix
    ("约", "is not a number"),             # an approximate word alone: not a bound (the empty rest was
    ("左右", "is not a number"),           # taken for one, since "" is in every string)
    ("~", "is not a number"),
    ("X12", "is not a number"),
    ("<5", "is a bound, not a value; write the value itself"),
    (">5", "is a bound, not a value; write the value itself"),
    ("≤5", "is a bound, not a value; write the value itself"),
    ("≥5", "is a bound, not a value; write the value itself"),
    ("5以下", "is a bound, not a value; write the value itself"),
    ("10-20", "is a range, not a value; write one number"),
])
def test_the_refusal_keeps_the_text_and_says_exactly_why(text: str, reason: str) -> None:
    with pytest.raises(NotANumber) as info:
        parse_number(text)
    assert info.value.text == text
    assert info.value.reason == reason
    assert str(info.value) == f"{text!r} {reason}"


@pytest.mark.parametrize(("text", "reason"), [
    ("10-20", "is a range, not a value; write one number"),   # digits after the number: never a unit
    ("500万千瓦2", "is not a number"),
    ("50%千瓦", "is not a number"),                            # nothing may follow a percent sign
])
def test_what_follows_the_number_is_a_unit_only_without_digits_or_percent(text: str, reason: str) -> None:
    with pytest.raises(NotANumber) as info:
        parse_number(text, allow_unit=True)
    assert info.value.text == text and info.value.reason == reason


@pytest.mark.parametrize(("text", "missing"), [("#DIV/0!", True), (" #n/a ", True), ("#div/0!", True),
                                                ("DIV/0", False), ("0", False)])
def test_excel_errors_in_any_case(text: str, missing: bool) -> None:
    from cbcheck.numbers import is_excel_error

    assert is_excel_error(text) is missing


@pytest.mark.parametrize(("text", "missing"), [("N/A", True), ("ｎａ", True), (" 未统计 ", True), ("NULL", True),
                                                ("0", False), ("n/a2", False)])
def test_missing_markers_in_any_case_and_width(text: str, missing: bool) -> None:
    from cbcheck.numbers import is_missing_marker

    assert is_missing_marker(text) is missing


@pytest.mark.parametrize(("text", "number", "mark"), [
    ("172*", "172", "*"), ("172 **", "172", "**"), ("172※", "172", "※"), ("172†", "172", "†"),
    ("172①", "172", "①"), ("172¹", "172", "¹"), ("172¹²", "172", "¹²"),     # NFKC would make these 1721
    ("172注", "172", "注"), ("172注2", "172", "注2"), ("172（注）", "172", "（注）"), ("172(1)", "172", "(1)"),
    ("172[1]", "172", "[1]"), ("12.3%*", "12.3%", "*"), ("172万*", "172万", "*"), ("约172*", "约172", "*"),
    ("-3.1*", "-3.1", "*"),
])
def test_a_footnote_mark_after_a_number_is_split_off(text: str, number: str, mark: str) -> None:
    assert split_footnote(text) == (number, mark)


@pytest.mark.parametrize("text", ["172e3", "1,720", "172万", "1721", "*", "**", "注", "(172)", "172()", "172注释",
                                  "abc*", "10-20*", "—*"])
def test_what_could_be_part_of_a_number_or_is_no_number_keeps_its_text(text: str) -> None:
    assert split_footnote(text) == (text, None)


@pytest.mark.parametrize(("text", "blank_figure", "blank_answer"), [
    ("×", True, False), ("x", True, False), (" X ", True, False),    # a cross: 否 where 是/否 is asked
    ("—", True, True), ("/", True, True), ("无", True, True), ("", True, True),
    ("√", False, False), ("否", False, False),
])
def test_cross_is_an_answer_not_a_blank(text: str, blank_figure: bool, blank_answer: bool) -> None:
    assert is_missing_marker(text) is blank_figure
    assert is_blank_answer(text) is blank_answer
