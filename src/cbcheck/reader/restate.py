"""Rows that restate another row's figures, and rows on the other energy basis (reader/rowqual.py).

The wide and long readers mark each observation with what its row's label said; once a table is
read, :func:`settle` keeps one figure per indicator and year:

- a restated value (``地区生产总值（五经普修订）``, ``其中：修订后``) replaces the first-published
  one of the same indicator and year, which is listed with both values (DOMAIN §7: a restatement
  is normal, but visible); two restated values for one year leave the file unclear, so neither
  that year's restated nor its first-published figures are read, and each is listed;
- a ``修订前`` / ``原公布数`` value gives way to the year's other figure;
- a table whose notes say its energy figures are 当量值 (``注：能源消费量按当量值计算``) has its
  energy rows listed, not read, unless a row's own label says 等价值.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, NamedTuple

from cbcheck.catalogue import Catalogue
from cbcheck.model import Observation
from cbcheck.readnote import ReadNote, Span
from cbcheck.reader.rowqual import ENERGY_DIMENSIONS, RowQualifiers, energy_basis

if TYPE_CHECKING:
    from cbcheck.reader.grid import Grid
    from cbcheck.reader.table import TableRead


class Mark(NamedTuple):
    label: str                  # the row's label as written
    qual: RowQualifiers
    parent: str | None = None   # 其中：修订后: the label of the row it restates


def is_energy(cat: Catalogue, ind: str, shares: bool = True) -> bool:
    """An indicator whose figure depends on how electricity is counted: an energy amount or
    intensity (or its reduction), or (``shares``) a share computed over one (非化石能源消费比重)."""
    base = ind.removesuffix("_reduction").removesuffix("_growth")
    if cat.dimensions.get(base) in ENERGY_DIMENSIONS:
        return True
    if not shares:
        return False
    derive = cat.indicators[base].derive if base in cat else None
    parts = (derive or {}).get("ratio") or ()
    return any(cat.dimensions.get(p) in ENERGY_DIMENSIONS for p in parts)


def other_energy_basis(cat: Catalogue, ind: str, qual: RowQualifiers, cells: list[str]) -> bool:
    """Whether a row of ``ind`` says its figures are 当量值 — in its label, else in its unit or 备注
    cell — where the plans' figure is 等价值."""
    if not is_energy(cat, ind):
        return False
    said = qual.energy or next((b for b in map(energy_basis, cells) if b), None)
    return said == "calorific"


def mark(out: TableRead, location: str, label: str, qual: RowQualifiers) -> None:
    parent = out.last_named[0] if qual.bare and out.last_named is not None else None
    out.marks[location] = Mark(label, qual, parent)


def _row_of(grid: Grid, location: str) -> Span | None:
    m = re.search(r"(\d+)$", location)
    if m is None:
        return None
    r = int(m.group(1))
    width = max((c.col for c in grid.rows[r - 1] if c.value not in (None, "")), default=1) if r <= len(grid.rows) else 1
    return grid.span(r, 1, r, width)


def _note(out: TableRead, grid: Grid, kind: str, key: str, location: str, **params: object) -> None:
    span = _row_of(grid, location)
    if span is not None:
        out.listed.add(span.row)
    out.notes.append(ReadNote(kind, key, [span] if span is not None else [], location=location, **params))


def _value(obs: Observation) -> str:
    if obs.raw or obs.value is None:
        return obs.raw
    return f"{obs.value:g}" if isinstance(obs.value, float) else str(obs.value)


def settle(out: TableRead, cat: Catalogue, grid: Grid) -> None:
    _energy_from_notes(out, cat, grid)
    marks = out.marks
    if not any(m.qual.restated for m in marks.values()):
        return
    keep = list(out.observations)
    dropped: set[int] = set()
    plain = [i for i, o in enumerate(keep) if not (marks.get(o.location) and marks[o.location].qual.restated)]
    by_year: dict[tuple[str, int | None], list[int]] = {}
    for i, obs in enumerate(keep):
        m = marks.get(obs.location)
        if m is not None and m.qual.restated == "after":
            if obs.value is None and obs.error is None:
                dropped.add(i)                   # a year the restatement leaves blank: the first figure stands
            else:
                by_year.setdefault((obs.indicator, obs.year), []).append(i)
    for (ind, year), revised in by_year.items():
        firsts = [i for i in plain if (keep[i].indicator, keep[i].year) == (ind, year) and _same_row_kind(
            keep[i], keep[revised[0]], marks)]
        name = cat[ind].word
        if len(revised) > 1:
            for i in revised + firsts:
                dropped.add(i)
                _note(out, grid, "restated", "read.restated_rows_ambiguous", keep[i].location, name=name, year=year,
                      value=_value(keep[i]))
            continue
        new = keep[revised[0]]
        if not firsts:
            _note(out, grid, "restated", "read.restated_row_only", new.location, name=name, year=year,
                  value=_value(new), label=marks[new.location].label)
            continue
        for i in firsts:
            old = keep[i]
            dropped.add(i)
            if old.value is None and old.error is None:
                continue                          # the first-published row left the year blank: nothing to list
            if new.price_basis is None and new.rate_basis is None and (old.price_basis or old.rate_basis):
                keep[revised[0]] = dataclasses.replace(new, price_basis=old.price_basis, rate_basis=old.rate_basis,
                                                       basis_year=old.basis_year)
            _note(out, grid, "restated", "read.restated_row", old.location, name=name, year=year, old=_value(old),
                  new=_value(new), new_at=new.location)
    for i, obs in enumerate(keep):
        m = marks.get(obs.location)
        if m is not None and m.qual.restated == "before" and obs.value is None and obs.error is None:
            dropped.add(i)                       # a blank 修订前 cell: nothing to read or list
        elif m is not None and m.qual.restated == "before" and i not in dropped:
            others = [j for j, o in enumerate(keep) if j != i and j not in dropped and o.value is not None
                      and (o.indicator, o.year) == (obs.indicator, obs.year)]
            if others:
                dropped.add(i)
                _note(out, grid, "restated", "read.restated_before_row", obs.location, name=cat[obs.indicator].word,
                      year=obs.year, old=_value(obs), new=_value(keep[others[0]]), new_at=keep[others[0]].location)
    out.observations = [o for i, o in enumerate(keep) if i not in dropped]


def _same_row_kind(old: Observation, new: Observation, marks: dict[str, Mark]) -> bool:
    """A restated figure replaces the first-published one it restates: the row above (其中：修订后),
    or the same indicator on the same price and rate basis when its label states one."""
    m = marks[new.location]
    if m.parent is not None:
        old_mark = marks.get(old.location)
        return old_mark is not None and old_mark.label == m.parent
    return all(n is None or n == o for n, o in ((new.price_basis, old.price_basis), (new.rate_basis, old.rate_basis)))


def _energy_from_notes(out: TableRead, cat: Catalogue, grid: Grid) -> None:
    """注：能源消费总量为当量值: the table's energy rows that do not say 等价值 are not the plans' figure."""
    if not out.basis_notes or energy_basis("；".join(out.basis_notes)) != "calorific":
        return
    kept: list[Observation] = []
    said: set[object] = set()
    for obs in out.observations:
        m = out.marks.get(obs.location)
        # a note about 能源消费总量 says nothing certain of a share row beside it: only amounts and intensities
        if is_energy(cat, obs.indicator, shares=False) and not (m is not None and m.qual.energy == "equivalent"):
            span = _row_of(grid, obs.location)
            row = span.row if span is not None else obs.location
            if row not in said:
                said.add(row)
                _note(out, grid, "row_basis", "read.calorific_by_note", obs.location,
                      label=m.label if m else obs.indicator, at=obs.location, indicator=obs.indicator,
                      name=cat[obs.indicator].word)
            continue
        kept.append(obs)
    out.observations = kept
