"""A share under "%" written as a fraction: which cells are ambiguous, and which of them a rule's
verdict uses (the engine cases are tests/cases/fraction-*)."""

from __future__ import annotations

import pytest

from cbcheck.checks.base import Outcome, Series, Value
from cbcheck.fractions import ambiguous_cells, settle
from cbcheck.model import Observation, Status
from cbcheck.series import _fraction_among_percents


def _obs(year: int, value: object, raw: str | None = None, unit: str | None = "%") -> Observation:
    return Observation("non_fossil_energy_share", year, value, unit, f"t.csv:2:{year - 2018}",  # type: ignore[arg-type]
                       raw=raw if raw is not None else str(value))


@pytest.mark.parametrize(("row", "ambiguous"), [
    ({2020: 0.082, 2025: 0.123}, [2020, 2025]),
    ({2020: 0.8, 2024: 2.1, 2025: 0.9}, []),          # a year above 1: the row is in percent
    ({2020: 0.0, 2025: 0.5}, [2025]),                 # 0 reads the same both ways
    ({2020: 0.5, 2025: 1}, [2020]),                   # 1 is not above 1, nor a fraction of less than 1
    ({2020: -0.5, 2025: 0.5}, [2025]),
    ({2020: 0.5, 2025: "—"}, [2020]),
])
def test_ambiguous_cells(row: dict[int, object], ambiguous: list[int]) -> None:
    assert sorted(ambiguous_cells({y: _obs(y, v) for y, v in row.items()})) == ambiguous


def test_percent_written_or_formatted_or_other_unit_is_not_ambiguous() -> None:
    assert ambiguous_cells({2025: _obs(2025, 0.123, raw="0.123%")}) == {}
    assert ambiguous_cells({2025: _obs(2025, 12.3, raw="0.123 (shown as 12.3%)")}) == {}
    assert ambiguous_cells({2025: _obs(2025, 0.5, unit="万吨")}) == {}
    assert list(ambiguous_cells({2025: _obs(2025, 0.5, unit=None)})) == [2025]


@pytest.mark.parametrize(("value", "others", "flagged"), [
    (0.131, [8.2, 12.0], True),     # 13.1 sits among them
    (0.8, [2.1, 2.6], False),       # 80 would not: a small share as written
    (0.5, [5.0], False),            # exactly ten times: as written is no further than ×100
    (0.5, [5.1], True),
    (0.5, [0.6], False),            # no year in percent to compare with
])
def test_share_fraction_screen(value: float, others: list[float], flagged: bool) -> None:
    numbers = {2020 + i: v for i, v in enumerate(others)} | {2025: value}
    assert _fraction_among_percents(value, 2025, numbers) is flagged


def _series(values: dict[int, float]) -> Series:
    return Series("non_fossil_energy_share", "非化石能源消费比重", "%",
                  {y: Value(v, y, "%", f"t.csv:2:{y - 2018}", f"{v}%") for y, v in values.items()})


def _at_least(target: float, years: tuple[int, ...]) -> object:
    def judge(s: Series) -> Outcome:
        v = min(s.need(y).value for y in years)
        return Outcome(Status.PASS if v >= target else Status.FAIL, v, target, "≥", f"{v}% vs ≥ {target}%", "m")
    return judge


def test_only_cells_the_verdict_reads_are_named() -> None:
    series = _series({2020: 0.082, 2025: 0.123})
    cells = {2020: _obs(2020, 0.082), 2025: _obs(2025, 0.123)}
    out = settle(series, cells, _at_least(12, (2025,)))   # type: ignore[arg-type]
    assert out.status is Status.ERROR and out.location == "t.csv:2:7"
    assert "2020" not in out.message and "12.3" in out.message
    both = settle(series, cells, _at_least(8, (2020, 2025)))   # type: ignore[arg-type]
    assert both.status is Status.ERROR and "8.2%" in both.message and "12.3%" in both.message


def test_same_verdict_keeps_the_reading_as_written() -> None:
    out = settle(_series({2025: 0.113}), {2025: _obs(2025, 0.113)}, _at_least(12, (2025,)))  # type: ignore[arg-type]
    assert out.status is Status.FAIL and out.observed == 0.113 and "(11.3%)" in out.message


def test_no_ambiguous_cell_judges_once() -> None:
    calls = []

    def judge(s: Series) -> Outcome:
        calls.append(s)
        return Outcome(Status.PASS, 12.3, 12, "≥", "", "m")
    assert settle(_series({2025: 12.3}), {}, judge).status is Status.PASS and len(calls) == 1


def test_a_rule_missing_either_way_says_nothing_of_readings() -> None:
    def judge(s: Series) -> Outcome:
        s.need(2020)
        return Outcome(Status.MISSING, None, None, "", "", "2025 missing")
    out = settle(_series({2020: 0.082}), {2020: _obs(2020, 0.082)}, judge)
    assert out.status is Status.MISSING and out.message == "2025 missing"
