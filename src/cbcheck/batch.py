"""Checking many submissions in one process: inputs, per-file policies, safe output names.

Nothing here prints. :class:`Checker` turns one path into a :class:`FileResult`: a report,
or the error that stopped it (a file that cannot be read is a result too, so a batch goes
on). The CLI decides what goes to stdout and where files are written.
"""

from __future__ import annotations

import contextlib
import dataclasses

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from cbcheck.exitcodes import Exit, for_verdict, worst
from cbcheck.errors import CbcheckError, SubmissionError, UsageError
from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg
from cbcheck.model import SUBMISSION_SCOPES, Report, Submission, sheet_label

SUBMISSION_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".csv", ".tsv", ".parquet")
MAX_STEM = 80                         # characters of the input name kept in an output name


# The index --output-dir writes beside the reports (index.html, 汇总表.xlsx).
INDEX_HTML, INDEX_XLSX = "index.html", "汇总表.xlsx"


def _is_submission(path: Path) -> bool:
    # Excel's lock files (~$报表.xlsx), hidden files and cbcheck's own reports
    # (a.cbcheck.xlsx, when --output-dir is the drop folder; 汇总表.xlsx beside its index.html)
    # are never submissions.
    return (path.is_file() and path.suffix.lower() in SUBMISSION_SUFFIXES
            and not path.name.startswith(("~$", ".")) and ".cbcheck." not in path.name.lower()
            and not (path.name == INDEX_XLSX and (path.parent / INDEX_HTML).is_file()))


def expand_inputs(paths: list[Path]) -> tuple[list[Path], bool]:
    """Files to check, and whether this is a batch (a folder, or more than one file).

    A folder contributes its submission files (not its subfolders), sorted by name; files
    named on the command line are kept as given, even with an odd extension, so that the
    reader can say what is wrong with them.
    """
    files: list[Path] = []
    batch = len(paths) > 1
    for path in paths:
        if path.is_dir():
            batch = True
            files.extend(sorted((p for p in path.iterdir() if _is_submission(p)), key=lambda p: p.name))
        else:
            files.append(path)
    return files, batch


@dataclass(frozen=True)
class FileResult:
    path: Path
    report: Report | None = None
    error: CbcheckError | None = None
    catalogue: Any = None                # the Catalogue the report was made with
    warnings: tuple[str, ...] = ()       # for stderr: e.g. the file names another policy
    write_errors: tuple[str, ...] = ()   # reports of this file that could not be written (exit 2)
    # a city workbook is a result per sheet (cbcheck.citybook): a county's sheet judged as its own submission,
    # or a sheet not judged with the reason (``left_out``, a Msg: 汇总, 说明, empty), which leaves the exit code be
    sheet: str | None = None
    left_out: Any = None

    @property
    def exit_code(self) -> int:
        if self.report is None:
            if self.left_out is not None:
                return Exit.OK
            return self.error.exit_code if self.error is not None else Exit.INPUT
        if self.write_errors:
            return worst([for_verdict(self.report.verdict()), Exit.USAGE])
        return for_verdict(self.report.verdict())

    @property
    def verdict(self) -> str:
        if self.report is not None:
            return self.report.verdict()
        return "not-checked" if self.left_out is not None else "unreadable"

    @property
    def label(self) -> str:
        """``全市.xlsx［任城区］`` for a sheet of a city workbook, else the path."""
        return sheet_label(self.path, self.sheet)

    @property
    def key(self) -> tuple[Path, str | None]:
        return (self.path, self.sheet)


@dataclass(frozen=True)
class Read:
    """A submission read, with the policy it is judged on (:meth:`Checker.read`)."""

    submission: Submission
    policy: Any
    catalogue: Any
    warnings: tuple[str, ...] = ()


@dataclass
class CheckSettings:
    """Everything ``check`` needs besides the files; the CLI fills it from flags and config."""

    policy: str | None = None
    params: Path | None = None
    sets: list[str] = field(default_factory=list)
    year: int | None = None
    strict: bool = False
    strict_trajectory: bool = False
    sheet: str | None = None
    encoding: str | None = None
    scope: str | None = None             # --scope: county | enterprise, instead of what the file says
    lang: str = "en"                     # for the messages this module adds
    # around evaluate: objects with before(submission, policy, year) -> submission and
    # after(report, catalogue) -> report (the ledger, waivers: cbcheck.ledger, cbcheck.waivers)
    hooks: tuple[Any, ...] = ()


class Checker:
    """Checks files one after another, loading each policy once.

    The policy is ``settings.policy`` (``--policy`` or the config file) or, when none is
    given, the bundled policy id the file names in its metadata (a ``政策编号：`` row, as
    written by ``cbcheck template``).
    """

    def __init__(self, settings: CheckSettings) -> None:
        from cbcheck.params import Params, load_params, parse_classes, parse_set

        self.settings = settings
        if settings.scope is not None and settings.scope not in SUBMISSION_SCOPES:     # before any file is read
            raise UsageError(Msg("cli.unknown_scope", scope=settings.scope), hint=Msg("cli.unknown_scope_hint"))
        params = load_params(settings.params) if settings.params else Params()
        self._file_params, self._sets = params, parse_set(settings.sets)
        self.params = params.with_overrides(self._sets).with_classes(parse_classes(settings.sets))
        self._policies: dict[str, tuple[Any, Any]] = {}
        if settings.policy:                       # a bad --policy stops everything, before any file
            self._policy(settings.policy)

    def _policy(self, ref: str) -> tuple[Any, Any]:
        from cbcheck.policy import load_policy

        if ref not in self._policies:
            from cbcheck.params import check_ranges, unknown_key_error

            loaded = load_policy(ref)
            error = unknown_key_error(self._file_params, self._sets, loaded[0],
                                      str(self.settings.params) if self.settings.params else None)
            if error is not None:
                raise error
            check_ranges(self.params, loaded[0], self.settings.params)
            self._policies[ref] = loaded
        return self._policies[ref]

    def check(self, path: Path) -> FileResult:
        """Read and evaluate one file; raises :class:`CbcheckError` when it cannot."""
        return self.judge(path, self.read(path, self.settings.sheet))

    def read(self, path: Path, sheet: str | None, shown: str | None = None) -> Read:
        """Read one file (or one sheet of it, ``shown`` as warnings name it) and find its policy; raises
        :class:`CbcheckError` when it cannot."""
        from cbcheck import streamed
        from cbcheck.policy import catalogue
        from cbcheck.reader import read_submission

        s = self.settings
        m = Messages(s.lang)
        base = catalogue()
        warnings: list[str] = []
        if s.policy:
            policy, cat = self._policy(s.policy)
            with contextlib.nullcontext() if s.hooks else \
                    streamed.judging(policy, cat, s.year, s.strict_trajectory):     # judged as a CSV streams
                submission = read_submission(path, cat, sheet=sheet, encoding=s.encoding, scope=s.scope)
            named = submission.meta.get("policy", "").strip()
            if named and named not in (policy.id, s.policy):
                warnings.append(f"{shown or path}: " + m("cli.policy_mismatch", named=named, used=policy.id))
        else:
            submission = read_submission(path, base, sheet=sheet, encoding=s.encoding, scope=s.scope)
            ref = submission.meta.get("policy")
            if not ref:
                raise UsageError(m("cli.no_policy"), where=str(path), hint=m("cli.no_policy_hint"))
            policy, cat = self._policy(_policy_ref(ref, path, m))
            if cat is not base:                   # the policy brings its own indicators: read again
                submission = read_submission(path, cat, sheet=sheet, encoding=s.encoding, scope=s.scope)
        return Read(submission, policy, cat, tuple(warnings))

    def judge(self, path: Path, read: Read) -> FileResult:
        """Evaluate what :meth:`read` read (the ledger's and waivers' hooks around it)."""
        from cbcheck.engine import evaluate

        s = self.settings
        m = Messages(s.lang)
        submission, policy, cat, warnings = read.submission, read.policy, read.catalogue, list(read.warnings)
        where = submission.shown_path
        from cbcheck.params import entity_city

        city = entity_city(submission.entity) or entity_city(submission.meta.get("entity_from_title"))
        if city and policy.region and not (city.startswith(policy.region) or policy.region.startswith(city)):
            said = m("cli.region_mismatch", entity=submission.entity, city=city, region=policy.region,
                     policy=policy.id)
            warnings.append(f"{where}: {said}")
            submission = dataclasses.replace(submission, notes=(*submission.notes, said))
        if self.params.classes and submission.scope != "enterprise":
            from cbcheck.checks.base import term
            from cbcheck.entclass import name
            from cbcheck.i18n.message import Msg

            said = Msg("cli.classes_unused", names=Msg.listing(name(c) for c in sorted(self.params.classes)),
                       scope=term(submission.scope)).text(s.lang)
            warnings.append(f"{where}: {said}")
            submission = dataclasses.replace(submission, notes=(*submission.notes, said))
        for hook in s.hooks:
            submission = hook.before(submission, policy, s.year)
        report = evaluate(policy, cat, submission, year=s.year, params=self.params, strict=s.strict,
                          strict_trajectory=s.strict_trajectory)
        for hook in s.hooks:
            report = hook.after(report, cat)
        return FileResult(path, report=report, catalogue=cat, warnings=tuple(warnings),
                          sheet=submission.meta.get("sheet"))

    def results(self, path: Path, city_workbook: Callable[[], None] | None = None) -> list[FileResult]:
        """:meth:`check`, or for a city workbook (a sheet per county) a result per sheet (cbcheck.citybook);
        ``city_workbook()`` is called once the file is known to be one, before any sheet is judged (and
        recorded): a usage error raised there leaves nothing done."""
        try:
            return [self.check(path)]
        except CbcheckError as exc:
            from cbcheck.rollup_sources import sheet_per_county

            if self.settings.sheet is not None or not sheet_per_county(exc):
                raise
            from cbcheck.citybook import sheet_results

            return sheet_results(self, path, exc, city_workbook)

    def file_results(self, path: Path) -> list[FileResult]:
        """Like :meth:`results`, but a file that cannot be checked becomes a result, not an exception.

        Each file runs under the time budget (``CBCHECK_MAX_SECONDS``), so one file cannot hold up
        the batch; a file over any budget is an unreadable result like any other. A city workbook's
        sheets share their file's budget."""
        from cbcheck.budgets import time_limit

        try:
            with time_limit(str(path)):
                return self.results(path)
        except CbcheckError as exc:
            return [FileResult(path, error=exc)]
        except (MemoryError, RecursionError) as exc:
            # a file that exhausts memory or nesting is refused, and the batch goes on
            return [FileResult(path, error=SubmissionError(Msg("rest.out_of_memory", error=type(exc).__name__),
                                                           where=str(path)))]


def _policy_ref(ref: str, path: Path, m: Messages) -> str:
    """A policy named inside a submission: a bundled id only, never a path, so that a file
    cannot make cbcheck read other files."""
    ref = ref.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", ref):
        raise SubmissionError(m("cli.not_a_policy_id", ref=repr(ref)), where=str(path),
                              hint=m("cli.not_a_policy_id_hint"))
    return ref


# --- output names ---------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


def safe_stem(path: Path) -> str:
    """A file-name stem from an input's name: no directories, no characters that are unsafe
    on Windows or in shells, no leading dots, not empty, not a Windows device name."""
    name = unicodedata.normalize("NFC", Path(str(path).replace("\\", "/")).name)
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix else name
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "submission"
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    return stem[:MAX_STEM]


def output_paths(inputs: list[Path], out_dir: Path, ext: str) -> dict[Path, Path]:
    """One output file per input in ``out_dir``: ``<stem>.cbcheck<ext>``, with ``-2``, ``-3``…
    when two inputs share a stem (``a.xlsx`` and ``a.csv``, or the same name in two folders).
    Names depend only on the order of the inputs, so reruns overwrite their own outputs."""
    return {path: target for (path, _), target in OutputNames(inputs, out_dir, ext).items()}


class OutputNames:
    """:func:`output_paths` by result (``FileResult.key``): a file's name is given up front, a city workbook's
    county sheet gets ``<stem>［<sheet>］.cbcheck<ext>`` when it comes (after every file's, so names still
    depend only on the inputs and the workbook)."""

    def __init__(self, inputs: list[Path], out_dir: Path, ext: str) -> None:
        self._dir, self._ext = out_dir, ext
        self._taken: set[str] = set()
        self._inputs = {p.resolve() for p in inputs}
        self._paths: dict[tuple[Path, str | None], Path] = {}
        for path in inputs:
            self._paths[(path, None)] = self._free(safe_stem(path))

    def _free(self, stem: str) -> Path:
        n = 1
        while True:
            name = f"{stem}.cbcheck{self._ext}" if n == 1 else f"{stem}-{n}.cbcheck{self._ext}"
            candidate = self._dir / name
            if name.lower() not in self._taken and candidate.resolve() not in self._inputs:
                self._taken.add(name.lower())
                return candidate
            n += 1

    def __getitem__(self, key: tuple[Path, str | None]) -> Path:
        if key not in self._paths:
            path, sheet = key
            sheet_stem = safe_stem(Path(f"{sheet}.x")) if sheet else "sheet"
            self._paths[key] = self._free(f"{safe_stem(path)}［{sheet_stem}］"[:MAX_STEM])
        return self._paths[key]

    def items(self) -> list[tuple[tuple[Path, str | None], Path]]:
        return list(self._paths.items())
