"""Reading submissions: files to a :class:`~cbcheck.model.Submission`.

:mod:`grid` turns bytes into cells; :mod:`table` finds the layout and reads values.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.model import Observation, Submission
from cbcheck.reader.grid import read_grids
from cbcheck.facilities import facility_catalogue
from cbcheck.reader.facility import read_facility_grid
from cbcheck.reader.table import read_table

__all__ = ["read_submission"]


def _same(a: Observation, b: Observation) -> bool:
    return a.value == b.value and a.unit == b.unit and a.error == b.error


def read_submission(path: Path, cat: Catalogue, *, sheet: str | None = None, encoding: str | None = None,
                    delimiter: str | None = None) -> Submission:
    grids = read_grids(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
    if all(not any(any(c.value not in (None, "") for c in row) for row in g.rows) for g in grids):
        raise SubmissionError("no data: every sheet is empty", where=str(path))
    observations: dict[tuple[str, int | None], Observation] = {}
    unmatched, notes = [], []
    meta: dict[str, str] = {}
    found = False
    facilities = []
    for grid in grids:
        table = read_table(grid, cat)
        notes.extend(table.notes)
        for key, value in table.meta.items():
            meta.setdefault(key, value)
        if not table.found:
            read = read_facility_grid(grid, cat, facility_catalogue())
            if read is not None:
                facilities.append(read[0])
                unmatched.extend(read[1])
                notes.append(f"{grid.name}: facility table, {len(read[0])} rows")
                found = True
            continue
        found = True
        unmatched.extend(table.unmatched)
        for obs in table.observations:
            key = (obs.indicator, obs.year)
            prior = observations.get(key)
            if prior is not None and not _same(prior, obs):
                if prior.value is None and prior.error is None:
                    observations[key] = obs     # a blank in one table, a value in another
                    continue
                if obs.value is None and obs.error is None:
                    continue
                raise SubmissionError(
                    f"{cat[obs.indicator].name} {obs.year} is given twice with different values: "
                    f"{prior.raw or '(blank)'} at {prior.location} and {obs.raw or '(blank)'} at {obs.location}",
                    where=str(path), hint="keep one value per indicator and year")
            observations.setdefault(key, obs)
    if not found:
        raise SubmissionError(
            "no indicator table found", where=str(path) + (f" (sheet {sheet})" if sheet else ""),
            hint="an indicator table needs a header row with 指标名称 (or 指标/项目) and year columns such as "
                 "2024年, or columns 指标, 年份, 数值; a facility table needs a name column such as 机组名称 or "
                 "设施名称; see `cbcheck template`")
    entity = meta.get("entity") or meta.get("entity_from_title")
    return Submission(
        path=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(), entity=entity,
        scope="enterprise" if facilities else "county",
        observations=tuple(observations.values()), meta=meta, unmatched=tuple(unmatched), notes=tuple(notes),
        facilities=tuple(facilities),
    )
