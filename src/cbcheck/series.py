"""A submission's observations indexed by indicator, and the series the check kinds read.

Built once per report: values converted to the unit a rule compares in, indicators derived
from their components (an intensity from energy and GDP) or from facility rows (a share), and
the data-quality screen a statistician would run on the numbers alone.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from cbcheck import units
from cbcheck.catalogue import Catalogue
from cbcheck.checks.base import Series, Value, fmt, with_unit
from cbcheck.errors import UnitError
from cbcheck.model import Observation, QualityIssue, Status, Submission
from cbcheck.textnorm import nfkc

DISAGREEMENT_REL = 0.005   # a given level and one derived from components may differ by 0.5 %
# Quantities that cannot be negative (a change or a balance could be, and is not in this list).
NON_NEGATIVE_DIMENSIONS = frozenset({"heat", "mass", "electricity", "power", "volume", "area", "count",
                                     "currency", "energy_intensity", "carbon_intensity", "specific_energy",
                                     "supply_coal_consumption", "concentration", "production_rate"})


def _value(obs: Observation, unit: str | None) -> Value:
    """Convert one observation; raises UnitError for a wrong dimension."""
    assert obs.year is not None
    if not isinstance(obs.value, (int, float)) or isinstance(obs.value, bool) or unit is None:
        return Value(obs.value, obs.year, unit, obs.location, str(obs.raw or obs.value), obs.approx)
    src = obs.unit or unit
    converted = units.convert(float(obs.value), src, unit)
    shown = with_unit(obs.value, src)
    if nfkc(src).strip() != nfkc(unit).strip():
        shown = f"{shown} = {with_unit(converted, unit)}"
    if obs.approx:
        shown = f"约{shown}"
    return Value(converted, obs.year, unit, obs.location, shown, obs.approx)


class SeriesBuilder:
    """Observations indexed by indicator, and series built from them on demand."""

    def __init__(self, submission: Submission, cat: Catalogue, year: int | None = None) -> None:
        self.cat = cat
        self.facilities = submission.facilities
        self.year = year
        self.by_indicator: dict[str, dict[int, Observation]] = defaultdict(dict)
        self.quality: dict[tuple[str, str, int | None], QualityIssue] = {}
        self.component_gaps: dict[tuple[str, int], tuple[Status, str, str]] = {}
        self._shares: dict[str, tuple[float, str, str] | str | None] = {}
        for obs in submission.observations:
            if obs.year is not None:
                self.by_indicator[obs.indicator][obs.year] = obs
        self._screen()

    def flag(self, check: str, indicator: str, year: int | None, location: str | None, message: str) -> None:
        self.quality.setdefault((check, indicator, year), QualityIssue(check, indicator, year, location, message))

    def _screen(self) -> None:
        """Checks on the data alone: shares outside 0–100 %, fractions for shares, negatives."""
        for ind_id, by_year in self.by_indicator.items():
            ind, dim = self.cat[ind_id], self.cat.dimensions[ind_id]
            numbers = {y: float(o.value) for y, o in by_year.items()
                       if isinstance(o.value, (int, float)) and not isinstance(o.value, bool)}
            for year, value in sorted(numbers.items()):
                loc = by_year[year].location
                if ind.kind == "share" and (by_year[year].unit in (None, "%")):
                    if not 0 <= value <= 100:
                        self.flag("share_range", ind_id, year, loc, f"{ind.name} {year} = {fmt(value)}% is outside 0–100 %")
                    elif 0 < value <= 1 and any(v > 1 for v in numbers.values()):
                        self.flag("share_fraction", ind_id, year, loc,
                                  f"{ind.name} {year} = {fmt(value)} looks like a fraction while other years are "
                                  f"percentages; did you mean {fmt(value * 100)}%?")
                if dim in NON_NEGATIVE_DIMENSIONS and value < 0:
                    self.flag("negative", ind_id, year, loc, f"{ind.name} {year} = {fmt(value)} is negative")

    def series(self, indicator: str, unit: str | None) -> Series:
        ind = self.cat[indicator]
        values: dict[int, Value] = {}
        errors: dict[int, tuple[str, str]] = {}
        missing: dict[int, str] = {}
        missing_why: dict[int, str] = {}
        for year, obs in self.by_indicator.get(indicator, {}).items():
            if obs.error:
                errors[year] = (obs.error, obs.location)
            elif obs.value is None:
                missing[year] = obs.location
            else:
                try:
                    values[year] = _value(obs, unit)
                except UnitError as exc:
                    errors[year] = (exc.message + (f" — {exc.hint}" if exc.hint else ""), obs.location)
        derived = self._derived(indicator, unit)
        for year, dv in derived.items():
            given = values.get(year)
            if given is not None and abs(given.value - dv.value) > DISAGREEMENT_REL * max(abs(dv.value), 1e-12):
                dv = dataclasses.replace(dv, derived=f"{dv.derived} (the submitted {fmt(given.value)} "
                                                     f"disagrees; components used)")
                self.flag("disagreement", indicator, year, given.location,
                          f"{ind.name} {year}: the submitted {given.shown} disagrees with "
                          f"{with_unit(dv.value, unit)} computed from its components (used instead)")
            values[year] = dv            # components are the more primitive data
            errors.pop(year, None)
            missing.pop(year, None)
        for (ind_id, year), (status, why, location) in self.component_gaps.items():
            if ind_id != indicator or year in values or year in errors or year in missing:
                continue
            if status is Status.ERROR:
                errors[year] = (f"cannot be derived: {why}", location)
            else:
                missing[year] = location
                missing_why[year] = f"cannot be derived: {why}"
        rate = None
        rate_id = f"{indicator}_reduction"
        if rate_id in self.cat and rate_id in self.by_indicator:
            rate = self.series(rate_id, "%")
        return Series(indicator, ind.name, unit, values, errors, missing, rate, missing_why)

    def facility_share(self, indicator: str) -> tuple[float, str, str] | str | None:
        """The indicator computed over facility rows (once per indicator: rules and series ask again)."""
        if indicator not in self._shares:
            spec = (self.cat[indicator].derive or {}).get("facility_share")
            if not spec or not self.facilities:
                self._shares[indicator] = None
            else:
                from cbcheck.facility_rules import facility_share

                self._shares[indicator] = facility_share(spec, self.facilities)
        return self._shares[indicator]

    def _derived(self, indicator: str, unit: str | None) -> dict[int, Value]:
        derive = self.cat[indicator].derive or {}
        share = self.facility_share(indicator)
        if isinstance(share, tuple) and self.year is not None:
            value, calc, where = share
            return {self.year: Value(value, self.year, unit, where, with_unit(value, unit), derived=calc)}
        ratio = derive.get("ratio")
        if not ratio or unit is None:
            return {}
        num_id, den_id = ratio
        out: dict[int, Value] = {}
        nums, dens = self.by_indicator.get(num_id, {}), self.by_indicator.get(den_id, {})
        for year in sorted(set(nums) | set(dens)):
            n, d = nums.get(year), dens.get(year)
            if n is None or d is None:
                continue
            bad = next((o for o in (n, d) if o.error or not isinstance(o.value, (int, float))), None)
            if bad is not None:
                # Remember why the components cannot give this year, in case no level is given either.
                name = self.cat[bad.indicator].name
                why = bad.error or ("is marked as not reported" if bad.value is None else f"{bad.raw!r} is not a number")
                self.component_gaps.setdefault((indicator, year), (Status.ERROR if bad.error else Status.MISSING,
                                                                    f"{name} {year} {why}", bad.location))
                continue
            if d.value == 0:
                self.component_gaps.setdefault((indicator, year), (Status.ERROR, f"{self.cat[den_id].name} {year} is zero",
                                                                    d.location))
                continue
            nu, du = n.unit or self.cat[num_id].unit, d.unit or self.cat[den_id].unit
            try:
                value = units.convert(float(n.value) / float(d.value), f"({nu})/({du})", unit)  # type: ignore[arg-type]
            except UnitError:
                continue
            name_n, name_d = self.cat[num_id].name, self.cat[den_id].name
            calc = (f"{self.cat[indicator].name} {year} = {name_n} {with_unit(n.value, nu)} / "
                    f"{name_d} {with_unit(d.value, du)} = {with_unit(value, unit)}")
            out[year] = Value(value, year, unit, f"{n.location}/{d.location}", with_unit(value, unit),
                              derived=calc)
        return out
