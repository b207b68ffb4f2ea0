"""Reading submissions: files to a :class:`~cbcheck.model.Submission`.

:mod:`grid` reads the bytes once and tells the file's real type; :mod:`csvfile` and
:mod:`xlsxfile` turn them into grids of cells; :mod:`table` finds the layout and
:mod:`cells` reads each value. Everything that stops a reading is a
:class:`~cbcheck.errors.SubmissionError` naming the file (and sheet/cell) and what to do.

Several worksheets: every visible sheet with an indicator table is read; a sheet with a
facility table (one row per facility, recognised by its name column, see
:mod:`facility`) is read as such; other sheets (notes, lookups) are skipped with a note; hidden sheets are skipped
unless chosen with ``--sheet``). Sheets that name different entities (one per county)
are refused with a pointer to ``--sheet``; one indicator and year given twice with
different values is refused naming both cells. Either refusal of a workbook with a sheet
per county is where ``check`` (cbcheck.citybook) and ``rollup`` (cbcheck.rollup_sources)
read each sheet on its own instead.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from cbcheck.catalogue import Catalogue
from cbcheck.errors import SubmissionError
from cbcheck.facilities import facility_catalogue
from cbcheck.model import FacilityTable, Observation, Submission, Unmatched
from cbcheck.i18n.message import Msg
from cbcheck.readnote import ReadNote, Span, listing
from cbcheck.reader import scope as whose
from cbcheck.reader.grid import Grid, open_grids, read_file
from cbcheck.reader.table import TableRead, read_table
from cbcheck.textnorm import nfkc

__all__ = ["read_submission"]

TEMPLATE_HINT = Msg("read.error.template_hint")


def _read_facility_grid(grid: Grid, cat: Catalogue) -> Any:
    from cbcheck.reader.facility import read_facility_grid   # numpy/pandas: not for county tables

    return read_facility_grid(grid, cat, facility_catalogue())


def _same(a: Observation, b: Observation) -> bool:
    unit = (nfkc(a.unit or "").strip(), nfkc(b.unit or "").strip())
    return a.value == b.value and unit[0] == unit[1] and a.error == b.error


def _is_blank(obs: Observation) -> bool:
    return obs.value is None and obs.error is None


def _entity(table: TableRead) -> str | None:
    return table.meta.get("entity") or table.meta.get("entity_from_title")


def _hidden_at(grid: Grid, obs: Observation) -> Msg | None:
    """``Sheet1!D7 (a hidden row)``: where a value is, said to be out of sight when it is."""
    m = re.search(r"([A-Z]{1,3})(\d+)$", obs.location)
    if not m:
        return None
    col = 0
    for letter in m.group(1):
        col = col * 26 + ord(letter) - 64
    what = grid.hides(int(m.group(2)), col)
    return Msg(f"read.error.hidden_{what}", location=obs.location) if what else None


def _merge(path: Path, cat: Catalogue, tables: list[tuple[Grid, TableRead]]) -> dict[tuple[Any, ...], Observation]:
    observations: dict[tuple[Any, ...], Observation] = {}
    grid_of: dict[tuple[Any, ...], Grid] = {}
    several = len(tables) > 1
    for grid, table in tables:
        for obs in table.observations:
            # GDP at current and at comparable prices, a rate year on year and cumulative: not duplicates.
            key = (obs.indicator, obs.year, obs.price_basis, obs.rate_basis)
            prior = observations.get(key)
            if prior is None or _same(prior, obs):
                observations.setdefault(key, obs)
                grid_of.setdefault(key, grid)
                continue
            if _is_blank(prior):
                observations[key], grid_of[key] = obs, grid       # a blank in one place, a value in another
                continue
            if _is_blank(obs):
                continue
            # A hidden row or column repeating the indicator: the clerk sees one value only, so say where the other is.
            first_hidden, second_hidden = _hidden_at(grid_of[key], prior), _hidden_at(grid, obs)
            hidden = first_hidden or second_hidden
            raise SubmissionError(
                Msg("read.error.twice", name=cat[obs.indicator].word, year=obs.year,
                    first=prior.raw or Msg("read.error.blank"), first_at=first_hidden or prior.location,
                    second=obs.raw or Msg("read.error.blank"), second_at=second_hidden or obs.location),
                where=str(path),
                hint=Msg(hidden.key.replace("hidden_", "twice_hint_hidden_"), location=hidden.params["location"])
                if hidden else
                Msg("read.error.twice_hint_sheets" if several else "read.error.twice_hint"))
    return observations


def _nothing_recognised(path: Path, unmatched: list[Unmatched]) -> SubmissionError:
    shown = [Msg("read.error.label_at_dym", label=u.label, location=u.location, names=" / ".join(u.suggestions))
             if u.suggestions else Msg("read.error.label_at", label=u.label, location=u.location)
             for u in unmatched[:3]]
    listed = Msg.join(shown)
    message = (Msg("read.error.nothing_recognised_more", shown=listed, n=len(unmatched) - 3) if len(unmatched) > 3
               else Msg("read.error.nothing_recognised", shown=listed))
    return SubmissionError(message, where=str(path), hint=Msg("read.error.nothing_recognised_hint"))


def _read_facility_head(grid: Grid, cat: Catalogue, meta: dict[str, str]) -> Any:
    """:func:`_read_facility_grid` with the metadata read above it known (the year a file of
    facilities only is judged in as it streams: cbcheck.streamed)."""
    from cbcheck import streamed

    with streamed.head(meta):
        return _read_facility_grid(grid, cat)


def _tables(path: Path, cat: Catalogue, grids: list[Grid], notes: list[str], sheet: str | None,
            facilities: list[tuple[FacilityTable, list[Unmatched]]],
            titles: list[str] | None = None) -> tuple[list[tuple[Grid, TableRead]], dict[str, str], list[str]]:
    """The indicator tables of every grid (facility tables go to ``facilities``); the metadata
    seen; the sheets skipped (for messages). ``titles`` gets the title rows of the sheets read."""
    if all(g.is_empty() for g in grids):
        if sheet is not None:
            raise SubmissionError(Msg("read.error.sheet_empty", sheet=sheet), where=str(path),
                                  hint=Msg("read.error.sheet_empty_hint"))
        raise SubmissionError(Msg("read.error.no_data"), where=str(path), hint=Msg("read.error.no_data_hint"))
    tables: list[tuple[Grid, TableRead]] = []
    skipped: list[str] = []          # sheets without a table, for the error message
    meta: dict[str, str] = {}
    for grid in grids:
        notes.extend(grid.notes)
        if grid.hidden and sheet is None:
            notes.append(ReadNote("sheet_skipped", "read.hidden_sheet", _whole(grid), sheet=grid.name))
            continue
        if grid.is_empty():
            notes.append(ReadNote("sheet_skipped", "read.empty_sheet", sheet=grid.name))
            continue
        table = read_table(grid, cat)
        for key, value in table.meta.items():
            meta.setdefault(key, value)
        if table.found:
            notes.extend(table.notes)
            tables.append((grid, table))
            if titles is not None:
                titles.extend(table.titles)
        elif (facility := _read_facility_head(grid, cat, meta)) is not None:
            facilities.append(facility)
            if titles is not None:
                titles.extend(table.titles)
            notes.extend(n for n in grid.notes if n not in notes)    # how the rows were read
            notes.append(ReadNote("facility", "read.facility_table", grid.read_spans, sheet=grid.name,
                                  n=len(facility[0])))
        else:
            if table.reason:
                notes.append(ReadNote("sheet_skipped", "read.no_table_why", _whole(grid), sheet=grid.name,
                                      why=table.reason))
            else:
                notes.append(ReadNote("sheet_skipped", "read.no_table", _whole(grid), sheet=grid.name))
            skipped.append(Msg("read.error.sheet_why", sheet=grid.name, why=table.reason) if table.reason
                           else grid.name)
    return tables, meta, skipped


_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def _title_year(titles: list[str]) -> dict[str, str]:
    """The year a file's titles name when no 报告年度 row says it (2025年全市水泥熟料生产线情况表,
    XX焦化有限公司2024年度能耗表): only where the titles name one year (2021-2025年… names a period).
    Kept apart from ``year`` so the report can say where the year came from (engine.reporting_year)."""
    found = {(m.group(1), t) for t in titles for m in _TITLE_YEAR.finditer(t)}
    years = {y for y, _ in found}
    if len(years) != 1 or any(re.search(r"(?:19|20)\d{2}\s*[-—~～至到]\s*$", t[:t.find(y)]) for y, t in found):
        return {}
    year, title = min(found)
    return {"year_from_title": year, "year_title": title}


def _whole(grid: Grid) -> list[Span]:
    extent = grid.extent()
    return [extent] if extent is not None else []


class _Digest:
    """The file's sha256 for the report. A large file's is computed in a thread while the file is
    read (hashlib lets the GIL go: the UTF-8 check, the head and the imports that follow are one
    thread, the other core is free then); a small file's at once (a thread costs more than it)."""

    THREAD_BYTES = 1 << 20

    def __init__(self, data: bytes) -> None:
        self._hash = hashlib.sha256()
        self._thread: Any = None
        if len(data) < self.THREAD_BYTES:
            self._hash.update(data)
            return
        import threading

        self._thread = threading.Thread(target=self._hash.update, args=(data,), daemon=True)
        self._thread.start()

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self._hash.hexdigest()


def read_submission(path: Path, cat: Catalogue, *, sheet: str | None = None, encoding: str | None = None,
                    delimiter: str | None = None, scope: str | None = None) -> Submission:
    """``scope`` (``--scope``): whose submission the file is, instead of what the file says
    (:mod:`cbcheck.reader.scope`)."""
    data = read_file(path)
    digest = _Digest(data)
    facilities: list[tuple[FacilityTable, list[Unmatched]]] = []
    titles: list[str] = []
    with open_grids(data, path, sheet=sheet, encoding=encoding, delimiter=delimiter) as (grids, notes):
        del data
        tables, meta, skipped = _tables(path, cat, grids, notes, sheet, facilities, titles)
    if not tables and not facilities:
        message = Msg("read.error.no_table")
        if grids[0].sheet.kind == "xlsx" and skipped:
            message = Msg("read.error.no_table_in_sheets" if len(skipped) > 1 else "read.error.no_table_in",
                          sheets=listing(skipped))
        elif grids[0].sheet.kind != "xlsx" and skipped and isinstance(skipped[0], Msg):
            message = Msg("read.error.no_table_csv", why=skipped[0].params["why"])
        raise SubmissionError(message, where=str(path), hint=TEMPLATE_HINT)
    for field in ("entity", "entity_from_title"):
        entities = {t.meta[field]: g.name for g, t in tables if t.meta.get(field)}
        if len(entities) > 1:
            listed = listing(Msg("read.error.entity_in_sheet", entity=e, sheet=s) for e, s in entities.items())
            raise SubmissionError(Msg("read.error.several_entities", listed=listed), where=str(path),
                                  hint=Msg("read.error.several_entities_hint"))
    observations = _merge(path, cat, tables)
    unmatched = [u for _, t in tables for u in t.unmatched]
    if not observations and unmatched and not facilities:
        raise _nothing_recognised(path, unmatched)
    unmatched += [u for _, found in facilities for u in found]
    if len(tables) > 1:
        notes.append(ReadNote("table", "read.sheets_read", sheets=Msg.listing(g.name for g, _ in tables)))
    title_year: tuple[int, str] | None = None
    if "year" not in meta and (named := _title_year(titles)):
        # the year the file says it reports, which an indicator table's columns may not have (engine._year_said)
        title_year = int(named["year_from_title"]), named["year_title"]
        if facilities and not tables:     # and the year to judge a facility table in, nothing else saying it
            meta.update(named)
    table_meta = tables[0][1].meta if tables else {}
    entity = (_entity(tables[0][1]) if tables else None) or meta.get("entity") or meta.get("entity_from_title")
    # sheet names say whose a workbook is; a CSV's "sheet" is its file name, which says nothing
    sheets = [g.name for g, _ in tables] if grids[0].sheet.kind == "xlsx" else []
    said = whose.evidence({**meta, **table_meta}, titles, sheets)
    both = whose.both_tables(said, [g.name for g, t in tables if t.observations],
                             list(dict.fromkeys(table.source for table, _ in facilities)), scope)
    if both is not None:
        raise SubmissionError(both[0], where=str(path), hint=both[1])
    decided, scope_notes = whose.decide(said, bool(facilities), scope)
    notes.extend(scope_notes)
    return Submission(
        path=str(path), sha256=digest.hexdigest(), entity=entity, scope=decided,
        observations=tuple(observations.values()), meta={**meta, **table_meta}, unmatched=tuple(unmatched),
        notes=tuple(notes), facilities=tuple(table for table, _ in facilities), title_year=title_year,
    )
