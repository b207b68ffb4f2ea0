"""A submission's observations indexed by indicator, and the series the check kinds read.

Built once per report: values converted to the unit a rule compares in, indicators derived
from their components (an intensity from energy and GDP) or from facility rows (a share), and
the data-quality screen a statistician would run on the numbers alone.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict

from cbcheck import statconv, units
from cbcheck.catalogue import Catalogue
from cbcheck.checks.base import Series, Value, Why, fmt, with_unit, year_label
from cbcheck.errors import UnitError
from cbcheck.i18n.message import Msg
from cbcheck.i18n.phrases import phrase
from cbcheck.model import Observation, QualityIssue, Status, Submission
from cbcheck.noting import NotedLookups
from cbcheck.textnorm import nfkc

# Which of several rows for one indicator and year is the indicator as the catalogue means it:
# comparable prices before a row that does not say, before current prices; cumulative rates
# before unstated ones, before year-on-year ones (those are chained, see _rate_series).
_PRICE_RANK = {"comparable": 0, None: 1, "current": 2}
_RATE_RANK = {"cumulative": 0, None: 1, "yoy": 2}
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


def _fraction_among_percents(value: float, year: int, numbers: dict[int, float]) -> bool:
    """0.131 beside 8.2 and 12.0 reads better ×100; 0.8 beside 2.1 is a small share as written.
    ×100 is the nearer reading (on a log scale) when the row's other years are over ten times larger."""
    others = sorted(v for y, v in numbers.items() if y != year and v > 0)
    return bool(others) and others[len(others) // 2] > 1 and others[len(others) // 2] > 10 * value


class SeriesBuilder:
    """Observations indexed by indicator, and series built from them on demand. ``touched`` holds
    the indicators looked up since it was last cleared (:func:`cbcheck.engine.evaluate`)."""

    def __init__(self, submission: Submission, cat: Catalogue, year: int | None = None) -> None:
        self.cat = cat
        self.facilities = submission.facilities
        self.year = year
        self.touched: set[str] = set()
        self.by_indicator: dict[str, dict[int, Observation]] = NotedLookups(dict, self.touched)
        # every row for an indicator and year, by what it says it is measured against
        self.by_basis: dict[str, dict[int, list[Observation]]] = NotedLookups(lambda: defaultdict(list), self.touched)
        self.quality: dict[tuple[str, str, int | None], QualityIssue] = {}
        self.component_gaps: dict[tuple[str, int], tuple[Status, str, str]] = {}
        self._shares: dict[str, tuple[float, str, str] | str | None] = {}
        for obs in sorted((o for o in submission.observations if o.year is not None),
                          key=lambda o: (_PRICE_RANK.get(o.price_basis, 1), _RATE_RANK.get(o.rate_basis, 1))):
            assert obs.year is not None
            self.by_indicator[obs.indicator].setdefault(obs.year, obs)
            self.by_basis[obs.indicator][obs.year].append(obs)
        self._screen_slips(submission)
        self._screen()
        self.touched.clear()

    def flag(self, check: str, indicator: str, year: int | None, location: str | None, message: str) -> None:
        self.quality.setdefault((check, indicator, year), QualityIssue(check, indicator, year, location, message))

    def _screen_slips(self, submission: Submission) -> None:
        """The totals an intensity is computed from (GDP, energy, CO2, coal) with a year a hundred times
        every other (statconv.magnitude_slips): that cell becomes unreadable, an ERROR where it is used,
        not a 99.99 % reduction. Only the row each year is judged on is screened."""
        totals = {part for ind in self.cat.indicators.values() if (ratio := (ind.derive or {}).get("ratio"))
                  and self.cat.dimensions.get(ratio[1]) == "currency" for part in ratio}
        for ind_id in totals & set(self.by_indicator):
            by_year, unit = self.by_indicator[ind_id], self.cat[ind_id].unit
            numbers: dict[int, float] = {}
            for year, obs in by_year.items():
                if obs.error is None and isinstance(obs.value, (int, float)) and not isinstance(obs.value, bool):
                    try:
                        numbers[year] = units.convert(float(obs.value), obs.unit or unit, unit)
                    except UnitError:
                        continue
            for year, (other, ratio) in statconv.magnitude_slips(numbers).items():
                obs, near = by_year[year], by_year[other]
                bad = dataclasses.replace(obs, error=Msg(
                    "rest.cell_magnitude", raw=with_unit(obs.value, obs.unit or unit), other_year=other,
                    other=with_unit(near.value, near.unit or unit), factor=f"{max(ratio, 1 / ratio):,.0f}"))
                by_year[year] = bad
                rows = self.by_basis[ind_id][year]
                rows[:] = [bad if o is obs else o for o in rows]

    def _screen(self) -> None:
        """Checks on the data alone: shares outside 0–100 %, fractions for shares, negatives."""
        for ind_id, by_year in self.by_indicator.items():
            ind, dim = self.cat[ind_id], self.cat.dimensions[ind_id]
            # A reduction rate is no share: below zero the quantity rose (比上年 -1.2 in a 降低率 row), and
            # 0.8 beside 3.1 is a slow year, not a fraction written for 80 %.
            reduction = ind_id.endswith("_reduction") and ind_id.removesuffix("_reduction") in self.cat
            numbers = {y: float(o.value) for y, o in by_year.items()
                       if isinstance(o.value, (int, float)) and not isinstance(o.value, bool)}
            for year, value in sorted(numbers.items()):
                loc = by_year[year].location
                if ind.kind == "share" and (by_year[year].unit in (None, "%")):
                    if not (-math.inf if reduction else 0) <= value <= 100:
                        self.flag("share_range", ind_id, year, loc,
                                  Msg("msg.q_range", label=year_label(ind.word, year), value=fmt(value)))
                    elif 0 < value <= 1 and not reduction and _fraction_among_percents(value, year, numbers):
                        self.flag("share_fraction", ind_id, year, loc,
                                  Msg("msg.q_fraction", label=year_label(ind.word, year), value=fmt(value),
                                      percent=fmt(value * 100)))
                if dim in NON_NEGATIVE_DIMENSIONS and value < 0:
                    self.flag("negative", ind_id, year, loc,
                              Msg("msg.q_negative", label=year_label(ind.word, year), value=fmt(value)))

    def fraction_cells(self, indicator: str) -> dict[int, Observation]:
        """The share cells that may be fractions written under "%" (:mod:`cbcheck.fractions`)."""
        if self.cat[indicator].kind != "share" or (indicator.endswith("_reduction")
                                                   and indicator.removesuffix("_reduction") in self.cat):
            return {}
        from cbcheck.fractions import ambiguous_cells

        return ambiguous_cells(self.by_indicator.get(indicator, {}))

    def series(self, indicator: str, unit: str | None, base_year: int | None = None) -> Series:
        """The indicator's values by year in ``unit``; ``base_year`` (the rule's) is where
        chains start: comparable-price GDP from real growth, cumulative rates from yearly ones."""
        if indicator.endswith("_reduction") and indicator.removesuffix("_reduction") in self.cat:
            return self._rate_series(indicator, base_year)[0]
        ind = self.cat[indicator]
        values: dict[int, Value] = {}
        errors: dict[int, tuple[str, str]] = {}
        missing: dict[int, str] = {}
        missing_why: dict[int, Why | str] = {}
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
        self.component_gaps = {k: v for k, v in self.component_gaps.items() if k[0] != indicator}
        derived = self._derived(indicator, unit, base_year)
        for year, dv in derived.items():
            given = values.get(year)
            if given is not None and abs(given.value - dv.value) > DISAGREEMENT_REL * max(abs(dv.value), 1e-12):
                dv = dataclasses.replace(dv, derived=Msg("msg.submitted_disagrees", calc=dv.derived,
                                                         given=fmt(given.value)))
                self.flag("disagreement", indicator, year, given.location,
                          Msg("msg.q_components", label=year_label(ind.word, year), given=given.shown,
                              computed=with_unit(dv.value, unit)))
            values[year] = dv            # components are the more primitive data
            errors.pop(year, None)
            missing.pop(year, None)
        for (ind_id, year), (status, why, location) in self.component_gaps.items():
            if ind_id != indicator or year in values or year in errors or year in missing:
                continue
            if status is Status.ERROR:
                errors[year] = (Msg("msg.cannot_derive_bare", why=phrase(why)), location)
            else:
                missing[year] = location
                missing_why[year] = Why("msg.cannot_derive", {"why": phrase(why)})
        rate = None
        rate_id = f"{indicator}_reduction"
        if rate_id in self.cat and rate_id in self.by_indicator:
            rate, rate_gaps = self._rate_series(rate_id, base_year)
            for year, err in rate.errors.items():      # the rate's unreadable cell, when no level stands in
                if year not in values and year not in errors and year not in missing:
                    errors[year] = err
            for year, (where, gap) in rate_gaps.items():
                if year not in values and year not in errors and year not in missing:
                    missing[year], missing_why[year] = where, gap
        return Series(indicator, ind.word, unit, values, errors, missing, rate, missing_why)

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

    def _derived(self, indicator: str, unit: str | None, base_year: int | None = None) -> dict[int, Value]:
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
        chains: dict[int, str] = {}
        if self.cat.dimensions.get(den_id) == "currency":      # an intensity: GDP at comparable prices
            dens, chains = self._comparable(den_id, indicator, sorted(nums), base_year)
        for year in sorted(set(nums) | set(dens)):
            n, d = nums.get(year), dens.get(year)
            if n is None or d is None:
                continue
            bad = next((o for o in (n, d) if o.error or not isinstance(o.value, (int, float))), None)
            if bad is not None:
                # Remember why the components cannot give this year, in case no level is given either.
                label = year_label(self.cat[bad.indicator].word, year)
                why = Msg("msg.label_space", label=label, what=phrase(bad.error)) if bad.error else \
                    Msg("msg.marked_missing", label=label) if bad.value is None else \
                    Msg("msg.not_a_number_sp", label=label, raw=repr(bad.raw))
                self.component_gaps.setdefault((indicator, year), (Status.ERROR if bad.error else Status.MISSING,
                                                                    why, bad.location))
                continue
            if d.value == 0:
                self.component_gaps.setdefault((indicator, year), (
                    Status.ERROR, Msg("msg.is_zero", label=year_label(self.cat[den_id].word, year)), d.location))
                continue
            nu, du = n.unit or self.cat[num_id].unit, d.unit or self.cat[den_id].unit
            try:
                value = units.convert(float(n.value) / float(d.value), f"({nu})/({du})", unit)  # type: ignore[arg-type]
            except UnitError:
                continue
            except (OverflowError, ZeroDivisionError):
                value = math.inf
            if not math.isfinite(value):     # a denominator too small to divide by is no intensity
                self.component_gaps.setdefault((indicator, year), (
                    Status.ERROR, Msg("msg.too_small", label=self.cat[den_id].word, year=year, value=d.value),
                    d.location))
                continue
            calc = Msg("msg.ratio_calc", name=self.cat[indicator].word, year=year, num=self.cat[num_id].word,
                       n=with_unit(n.value, nu), den=self.cat[den_id].word, d=with_unit(d.value, du),
                       value=with_unit(value, unit))
            if year in chains:
                calc = Msg.join([chains[year], calc])
            # a city's roll-up sums both parts over the same counties: "Σ a+b+c" once, not twice
            where = n.location if n.location == d.location else f"{n.location}/{d.location}"
            out[year] = Value(value, year, unit, where, with_unit(value, unit), derived=calc)
        return out

    # --- statistical conventions (DOMAIN §7, README "Statistical conventions") ------------------

    def _real_growth(self, den_id: str) -> tuple[dict[int, tuple[float, str, str, str]], list[Msg]]:
        """Year-on-year volume index (上年=100) of ``den_id`` by year, as (index, shown, location, name),
        from its ``_index`` or ``_growth`` rows; and what was set aside, for the arithmetic."""
        out: dict[int, tuple[float, str, str, str]] = {}
        skipped: list[Msg] = []
        for suffix in ("_index", "_growth"):
            for year, rows in self.by_basis.get(den_id + suffix, {}).items():
                for o in rows:
                    if year in out or o.error or not isinstance(o.value, (int, float)) or isinstance(o.value, bool):
                        continue
                    name = self.cat[o.indicator].word
                    label = year_label(name, year)
                    if o.price_basis == "current":
                        skipped.append(Msg("msg.skip_nominal", label=label))
                    elif o.rate_basis == "cumulative":
                        skipped.append(Msg("msg.skip_cumulative", label=label,
                                           basis=o.basis_year or Msg("msg.w_a_base_year")))
                    elif suffix == "_index" and o.rate_basis is None:
                        skipped.append(Msg("msg.skip_unstated", label=label))
                    elif suffix == "_index":
                        out[year] = (float(o.value), f"{fmt(float(o.value) / 100)}", o.location, name)
                    else:
                        out[year] = (100 + float(o.value), f"(1 + {fmt(o.value)}%)", o.location, name)
        return out, skipped

    def _comparable(self, den_id: str, indicator: str, years: list[int], base_year: int | None
                    ) -> tuple[dict[int, Observation], dict[int, str]]:
        """``den_id`` (GDP) at comparable prices for ``years``: a row at comparable prices; else the
        chain-base year's row carried forward by real growth; else a row that does not state its
        basis, assumed comparable (a note); a year at current prices only is an ERROR gap.
        Returns the observations to divide by and, per year, the arithmetic that made them."""
        rows = self.by_basis.get(den_id, {})
        name = self.cat[den_id].word

        def first(year: int, *bases: str | None) -> Observation | None:
            return next((o for b in bases for o in rows.get(year, ()) if o.price_basis == b
                         and o.error is None and isinstance(o.value, (int, float))), None)

        current_years = sorted(y for y, os in rows.items() if any(o.price_basis == "current" for o in os))
        chain_base = base_year if base_year is not None else (current_years[0] if current_years else None)
        growth, skipped = self._real_growth(den_id)
        out: dict[int, Observation] = {}
        calcs: dict[int, str] = {}
        for year in years:
            given = first(year, "comparable")
            if given is not None:
                out[year] = given
                continue
            start = first(chain_base, "comparable", "current", None) if chain_base is not None else None
            if start is not None and chain_base is not None and year >= chain_base and current_years:
                assert chain_base is not None
                gaps = statconv.missing_years(growth, chain_base + 1, year)
                if not gaps:
                    links = [growth[y] for y in range(chain_base + 1, year + 1)]
                    value = statconv.chain_index(float(start.value), [link[0] for link in links])  # type: ignore[arg-type]
                    unit = start.unit or self.cat[den_id].unit
                    where = start.location if year == chain_base else f"{start.location}, {links[-1][2]}"
                    out[year] = dataclasses.replace(start, year=year, value=value, location=where,
                                                    price_basis="comparable", basis_year=chain_base)
                    if year == chain_base:     # in the base year, current and base-year prices coincide
                        stated = Msg(f"msg.w_prices_{start.price_basis}") \
                            if start.price_basis in ("current", "comparable") else Msg("msg.w_as_given")
                        calcs[year] = Msg("msg.at_prices", name=name, year=year, base_year=chain_base,
                                          calc=Msg("msg.noted", value=with_unit(start.value, unit), note=stated))
                    else:
                        shown = " × ".join(link[1] for link in links)
                        linked = list(dict.fromkeys(link[3] for link in links))
                        sources = Msg.concat(p for i, n in enumerate(linked) for p in (("/", n) if i else (n,)))
                        calcs[year] = Msg("msg.at_prices", name=name, year=year, base_year=chain_base, calc=Msg(
                            "msg.chain_prices", start=with_unit(start.value, unit), base_year=chain_base, links=shown,
                            value=with_unit(value, unit), sources=sources,
                            years=statconv.years_text(list(range(chain_base + 1, year + 1)))))
                    continue
            unstated = first(year, None)
            if unstated is not None:
                out[year] = unstated
                calcs[year] = Msg("msg.basis_assumed", what=Msg.concat(
                    [name, f" {year} {with_unit(unstated.value, unstated.unit)}"]))
                self.flag("price_basis_unknown", den_id, None, unstated.location,
                          Msg("msg.q_price", name=name, indicator=self.cat[indicator].word))
                continue
            cur = first(year, "current")
            if cur is None:
                # a GDP cell that cannot be read (#DIV/0!, a unit slip) goes on to be an ERROR at that cell,
                # as an energy cell does, not a year "not in the submission"
                broken = next((o for o in rows.get(year, ()) if o.error), None)
                if broken is not None:
                    out[year] = broken
                continue
            lacking: str
            if chain_base is None or start is None:
                lacking = Msg("msg.lacking_base", label=name, year=chain_base) if chain_base is not None \
                    else Msg("msg.no_base_year")
            elif year < chain_base:
                lacking = Msg("msg.before_base", year=year, base_year=chain_base)
            else:
                names = [self.cat[den_id + sfx].word for sfx in ("_growth", "_index") if den_id + sfx in self.cat]
                named = Msg("msg.either", a=names[0], b=names[1]) if len(names) == 2 else \
                    names[0] if names else Msg("term.real_growth")
                lacking = Msg("msg.lacking_years", named=named, years=statconv.years_text(
                    statconv.missing_years(growth, chain_base + 1, year)))
            label = year_label(name, year)
            why = Msg("msg.current_prices_more", label=label, lacking=lacking, skipped=Msg.join(skipped)) \
                if skipped else Msg("msg.current_prices", label=label, lacking=lacking)
            self.component_gaps.setdefault((indicator, year), (Status.ERROR, why, cur.location))
        return out, calcs

    def _rate_series(self, rate_id: str, base_year: int | None) -> tuple[Series, dict[int, tuple[str, Why]]]:
        """The cumulative reduction against ``base_year`` by year: as given (累计/比2020年), or
        chained from year-on-year rates (比上年) when every year since the base is there.
        A rate that states neither is not used (a note). Also returns, per year the rate
        cannot give, (location, why) for the intensity series to say."""
        ind = self.cat[rate_id]
        values: dict[int, Value] = {}
        errors: dict[int, tuple[str, str]] = {}
        gaps: dict[int, tuple[str, Why]] = {}
        rows = self.by_basis.get(rate_id, {})
        yoy: dict[int, Observation] = {}
        for year, os in sorted(rows.items()):
            for o in os:
                if o.rate_basis == "yoy":
                    yoy[year] = o
                    continue
                if o.rate_basis is None:
                    if o.value is not None or o.error:
                        level = self.cat[rate_id.removesuffix("_reduction")].word
                        self.flag("rate_basis_unknown", rate_id, None, o.location,
                                  Msg("msg.q_rate", level=level, cumulative=f"比{base_year or 2020}年/累计"))
                        gaps.setdefault(year, (o.location, Why("msg.rate_unknown", {"location": o.location})))
                    continue
                if base_year is not None and o.basis_year is not None and o.basis_year != base_year:
                    gaps.setdefault(year, (o.location, Why("msg.rate_other_base", {
                        "location": o.location, "basis_year": o.basis_year, "base_year": base_year})))
                    continue
                if o.error:
                    errors[year] = (o.error, o.location)
                elif isinstance(o.value, (int, float)) and not isinstance(o.value, bool):
                    try:
                        values[year] = _value(o, "%")
                    except UnitError as exc:
                        errors[year] = (exc.message, o.location)
        if yoy and base_year is not None:
            for year in sorted(y for y in yoy if y > base_year):
                # A year's rate the reader could not take (上升1.2, a text) is an error at its cell, not a
                # year missing from the chain: the clerk filled it in, and must be told which cell to fix.
                bad = next((yoy[y] for y in range(base_year + 1, year + 1) if y in yoy and yoy[y].error), None)
                if bad is not None and bad.error and year not in values:
                    errors[year] = (bad.error, bad.location)
                    continue
                chained = self._chain_yoy(rate_id, yoy, base_year, year)
                if isinstance(chained, Why):
                    gaps.setdefault(year, (yoy[year].location, chained))
                    continue
                given = values.get(year)
                if given is not None:
                    n = year - base_year
                    if abs(given.value - chained.value) > statconv.chain_tolerance(n):
                        self.flag("rate_chain_disagreement", rate_id, year, given.location,
                                  Msg("msg.q_chain", label=year_label(ind.word, year), given=given.shown,
                                      chained=fmt(chained.value), calc=chained.derived))
                values[year] = chained
                errors.pop(year, None)
        for year in values:
            gaps.pop(year, None)
        missing = {y: loc for y, (loc, _) in gaps.items() if y not in errors}
        why: dict[int, Why | str] = {y: w for y, (_, w) in gaps.items() if y not in errors}
        return Series(rate_id, ind.word, "%", values, errors, missing, None, why), gaps

    def _chain_yoy(self, rate_id: str, yoy: dict[int, Observation], base_year: int, year: int) -> Value | Why:
        """1 − Π(1 − rᵢ) over base_year+1 … year, or why it cannot be chained."""
        span = range(base_year + 1, year + 1)
        lacking = statconv.missing_years((y for y, o in yoy.items() if isinstance(o.value, (int, float))
                                          and not isinstance(o.value, bool) and not o.error), base_year + 1, year)
        if lacking:
            return Why("msg.not_chained" if len(lacking) == 1 else "msg.not_chained_pl",
                       {"base_year": base_year, "year": year, "years": statconv.years_text(lacking)})
        rates = [float(yoy[y].value) for y in span]  # type: ignore[arg-type]
        r = statconv.cumulative_from_yoy(rates)
        product = "×".join(f"(1 − {fmt(x)}%)" for x in rates)
        calc = Msg("msg.chain_calc", calc=f"1 − {product} = {fmt(r)}%", years=statconv.years_text(list(span)))
        where = Msg.listing(dict.fromkeys(yoy[y].location for y in (span[0], span[-1])))
        return Value(r, year, "%", where, calc, derived=calc)
