"""``check`` on a city workbook: one sheet per county, each judged as a submission of its own.

The reader refuses such a workbook as one submission (several 填报单位, or one indicator-year given on two
sheets with different values). ``rollup`` then adds its counties up; ``check`` judges each county's sheet on
its own, named ``全市.xlsx［任城区］``, and never adds sheets up. Which sheets are counties' is told by the one
classifier both use (:func:`cbcheck.rollup_sources.read_sheets`): its 填报单位, else the sheet's name when it is
a county's. Every other sheet is a result too, with the reason it was not judged:

- not judged, the exit code left as it is: a hidden sheet, an empty one, a sheet without a table that is not
  named as a county (说明), a total (汇总/合计, or signed by the city itself: ``cbcheck rollup`` is the city's);
- an error (exit 3, as an unreadable file in a batch): a county's sheet that cannot be read, and a table that
  states no 填报单位 under a name that is no county's (whose it is, nobody can say).

A workbook in which no sheet is a county's stays refused as the reader refused it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from cbcheck.errors import CbcheckError, SubmissionError
from cbcheck.i18n.message import Msg
from cbcheck.model import sheet_label
from cbcheck.readnote import ReadNote

if TYPE_CHECKING:
    from cbcheck.batch import Checker, FileResult, Read
    from cbcheck.model import Submission
    from cbcheck.rollup_sources import SheetRead

# the reader's refusals that say a sheet holds nothing to judge (its name tells whether that is fine)
_NOTHING_IN_IT = frozenset({"read.error.sheet_empty", "read.error.no_table", "read.error.no_table_in",
                            "read.error.nothing_recognised", "read.error.nothing_recognised_more"})


def sheet_results(checker: Checker, path: Path, refusal: CbcheckError,
                  before: Callable[[], None] | None = None) -> list[FileResult]:
    """A result per sheet of ``path``, in workbook order; raises ``refusal`` when no sheet is a county's.
    ``before()`` runs when the sheets are told apart, before any is judged."""
    from cbcheck.rollup_sources import read_sheets

    reads: dict[str, Read] = {}

    def read(name: str) -> Submission:
        done = checker.read(path, name, shown=sheet_label(path, name))
        reads[name] = done
        return done.submission

    sheets = [(s, reads.get(s.name)) for s in read_sheets(path, read, catch=(CbcheckError,))]
    told = [(s, done, _left_out(path, s, done)) for s, done in sheets]
    if not any(result is None for _, _, result in told):
        raise refusal                 # no county's sheet in it: not a city workbook, refused as the reader said
    if before is not None:
        before()
    out = []
    for sheet, done, result in told:
        if result is None:
            assert done is not None             # a county's sheet to judge was read
            result = _judged(checker, path, sheet, done)
        out.append(result)
    return out


def _left_out(path: Path, sheet: SheetRead, done: Read | None) -> FileResult | None:
    """The result of a sheet that is not judged (or cannot be read); None for a county's sheet to judge."""
    from cbcheck.batch import FileResult
    from cbcheck.rollup import TOTAL, County, city_total
    from cbcheck.rollup_sources import names_a_county

    county_named = names_a_county(sheet.name)
    total = FileResult(path, sheet=sheet.name, left_out=Msg("rest.sheet_not_checked_total"))
    if sheet.submission is not None and done is not None:
        sub = sheet.submission
        return total if city_total(County(sub.entity or "", sheet.name, sub), done.policy.region) else None
    if sheet.why == "hidden":
        return FileResult(path, sheet=sheet.name, left_out=Msg("rest.sheet_not_checked_hidden"))
    if sheet.why == "total" or (TOTAL.search(sheet.name) and not county_named):
        return total
    key = getattr(sheet.error.message, "key", None) if sheet.error is not None else None
    if key == "read.error.sheet_empty":
        return FileResult(path, sheet=sheet.name, left_out=Msg("rest.sheet_not_checked_empty"))
    if key in _NOTHING_IN_IT and not county_named:
        return FileResult(path, sheet=sheet.name, left_out=Msg("rest.sheet_not_checked_no_table"))
    error = sheet.error or SubmissionError(Msg("rest.sheet_unsigned"), hint=Msg("rest.sheet_unsigned_hint"))
    return FileResult(path, sheet=sheet.name, error=_at_sheet(error, path, sheet.name))


def _judged(checker: Checker, path: Path, sheet: SheetRead, done: Read) -> FileResult:
    from cbcheck.batch import FileResult

    sub = sheet.submission
    assert sub is not None
    notes = [ReadNote("entity", "read.city_sheet", sheet=sheet.name)]
    warnings = list(done.warnings)
    if sheet.by_name:
        notes.append(ReadNote("entity", "read.city_sheet_by_name", sheet=sheet.name))
    if sheet.signed_other:
        said = ReadNote("entity", "read.city_sheet_signed_other", sheet=sheet.name, entity=sub.entity)
        notes.append(said)
        warnings.append(f"{sheet_label(path, sheet.name)}: {said.text(checker.settings.lang)}")
    sub = dataclasses.replace(sub, meta={**sub.meta, "sheet": sheet.name}, notes=(*sub.notes, *notes))
    try:
        return checker.judge(path, dataclasses.replace(done, submission=sub, warnings=tuple(warnings)))
    except CbcheckError as exc:                  # e.g. a county's copy of the form left without a value
        return FileResult(path, sheet=sheet.name, error=_at_sheet(exc, path, sheet.name))


def _at_sheet(exc: CbcheckError, path: Path, sheet: str) -> CbcheckError:
    """The error said at ``全市.xlsx［邹城市］`` where it says only the file (the engine's do): which county's
    sheet it is matters more than the file, which every sheet shares."""
    if exc.where in (None, str(path)):
        exc.where = sheet_label(path, sheet)
    return exc
