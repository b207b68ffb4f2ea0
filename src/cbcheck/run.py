"""``cbcheck check`` from parsed options to exit code: check each file, write the outputs.

The CLI parses flags and the config file into :class:`RunOptions` and calls
:func:`execute`; this module decides what goes to stdout (only reports and summaries),
what goes to stderr (diagnostics, the progress bar) and which files are written.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, TextIO

from cbcheck import cli_guard
from cbcheck.batch import CheckSettings, Checker, FileResult, OutputNames, expand_inputs
from cbcheck.exitcodes import worst as worst_exit
from cbcheck.errors import UsageError, error_text, in_lang
from cbcheck.i18n.message import Msg
from cbcheck.i18n import Messages
from cbcheck.outputs import OutputError, check_output_dir, write_atomic
from cbcheck.render import FORMATS, RenderOptions, format_for_path, format_name, render, render_pieces


@dataclass
class RunOptions:
    settings: CheckSettings
    fmt: str = "text"
    outputs: list[Path] = field(default_factory=list)
    output_dir: Path | None = None
    output_formats: list[str] = field(default_factory=list)     # default: [fmt]
    lang: str = "en"
    quiet: bool = False
    color: bool = False
    width: int | None = None
    progress: bool = False                                       # a bar on stderr (a terminal only)
    show_all: bool = False                                       # text: list rules that do not apply too
    all_facilities: bool = False                                 # json: list passing facilities too


def _known(fmt: str, what: str) -> None:
    if fmt not in FORMATS:
        said = Msg("cli.unknown_format_for", fmt=fmt, what=what) if what else Msg("cli.unknown_format", fmt=fmt)
        raise UsageError(said, hint=Msg("cli.one_of", names=Msg.listing(FORMATS)))


def validate(opts: RunOptions, batch: bool, workbook: Path | None = None) -> None:
    """Usage errors, before any file is read; again, as a batch's, when one file turns out to be a city
    workbook (``workbook``: a sheet per county, each its own submission)."""
    m = Messages(opts.lang)
    opts.fmt = format_name(opts.fmt)
    opts.output_formats = [format_name(f) for f in opts.output_formats]
    _known(opts.fmt, "")
    for f in opts.output_formats:
        _known(f, "--output-format")
    spec = FORMATS[opts.fmt]
    if spec.binary and not (opts.outputs or opts.output_dir):
        raise UsageError(m("cli.binary_stdout", fmt=opts.fmt), hint=m("cli.binary_stdout_hint", ext=opts.fmt))
    if batch:
        from cbcheck.render.summary import BATCH_FORMATS     # rich tables: only a batch needs them

        def refuse(fmt: str, out: Path | None) -> UsageError:
            if workbook is not None:
                said = m("cli.city_workbook_stdout", file=str(workbook), fmt=fmt)
                return UsageError(f"{out}: {said}" if out else said, hint=m("cli.city_workbook_stdout_hint", fmt=fmt))
            said = m("cli.batch_stdout", fmt=fmt)
            return UsageError(f"{out}: {said}" if out else said, hint=m("cli.batch_stdout_hint", fmt=fmt))

        if opts.fmt not in BATCH_FORMATS and opts.output_dir is None:
            raise refuse(opts.fmt, None)
        for out in opts.outputs:
            f = format_for_path(out, opts.fmt)
            if f not in BATCH_FORMATS:
                raise refuse(f, out)


def _never_overwrite(inputs: list[Path], outputs: list[Path], m: Messages) -> None:
    """An --output naming a submission would replace it with a report: refuse."""
    sources = {p.resolve() for p in inputs}
    for out in outputs:
        if out.resolve() in sources:
            raise UsageError(m("cli.output_is_input", path=str(out)), hint=m("cli.output_is_input_hint"))


@contextlib.contextmanager
def _progress(total: int, enabled: bool, err: Callable[[str], None]) -> Iterator[tuple[Callable[[str], None],
                                                                                    Callable[[], None]]]:
    """(print to stderr, advance) — through a transient rich progress bar when enabled."""
    if not enabled or total < 2:
        yield err, lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(TextColumn("cbcheck"), BarColumn(), MofNCompleteColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("check", total=total)
        yield (lambda line: console.print(line, markup=False, highlight=False),
               lambda: bar.advance(task))


def execute(files: list[Path], opts: RunOptions, out: TextIO | None = None,
            err: Callable[[str], None] | None = None) -> int:
    # the reports written here list passing facilities only with --all-facilities: without it a
    # facility rule counts them and keeps only what is listed (facility_results.keep_passing)
    from cbcheck.backends import keep_passing

    before = keep_passing()
    keep_passing(opts.all_facilities)
    try:
        return _execute(files, opts, out, err)
    finally:
        keep_passing(before)


def _execute(files: list[Path], opts: RunOptions, out: TextIO | None,
             err: Callable[[str], None] | None) -> int:
    out = out or sys.stdout
    err = err or (lambda line: print(line, file=sys.stderr))
    inputs, batch = expand_inputs(files)
    validate(opts, batch)
    m = Messages(opts.lang)
    cli_guard.use_lang(opts.lang)                # errors are said in the report's language
    _never_overwrite(inputs, opts.outputs, m)
    if opts.output_dir is not None:
        check_output_dir(opts.output_dir)
    ropts = RenderOptions(lang=opts.lang, show_all=opts.show_all, all_facilities=opts.all_facilities)
    checker = Checker(opts.settings)
    dir_formats = opts.output_formats or [opts.fmt]
    dir_paths = {f: OutputNames(inputs, opts.output_dir, FORMATS[f].extensions[0])
                 for f in dir_formats} if opts.output_dir else {}
    if batch and not inputs:
        err(m("cli.warning", text=m("cli.no_files", paths=Msg.listing(map(str, files)))))
    results: list[FileResult] = []
    with _progress(len(inputs), opts.progress and batch, err) as (say, advance), _interruptible() as stop:
        for path in inputs:
            found = checker.file_results(path) if batch else \
                _single(checker, path, functools.partial(validate, opts, True, workbook=path))
            stop()
            if not batch and found[0].sheet is not None:
                batch = True                      # a city workbook: a submission per county's sheet
            for result in found:
                wrong_year = _year_not_in_file(result, opts.settings.year, m)
                if wrong_year is not None:
                    if not batch:
                        raise wrong_year
                    result = FileResult(path, error=wrong_year, sheet=result.sheet)
                for warning in result.warnings:
                    say(m("cli.warning", text=in_lang(warning, opts.lang)))
                if result.error is not None:
                    say(m("cli.error", text=error_text(result.error, opts.lang)))
                elif opts.output_dir is not None and result.report is not None:
                    result = _write_dir_reports(result, dir_paths, ropts, batch, say)
                stop()
                results.append(result)
            advance()
    if opts.output_dir is not None and batch and results:
        _write_index(results, dir_paths, opts.output_dir, ropts)
    if batch:
        _batch_stdout(results, opts, ropts, out)
    else:
        _single_stdout(results[0], opts, ropts, out)
    for target in opts.outputs:
        f = format_for_path(target, opts.fmt)
        if batch:
            from cbcheck.render.summary import batch_pieces

            write_atomic(target, batch_pieces(f, results, ropts, include_reports=True))
        else:
            assert results[0].report is not None
            write_atomic(target, render_pieces(f, results[0].report, ropts.with_catalogue(results[0].catalogue)))
    return worst_exit([r.exit_code for r in results])


def _write_index(results: list[FileResult], dir_paths: dict[str, OutputNames], out_dir: Path,
                 ropts: RenderOptions) -> None:
    """index.html and 汇总表.xlsx beside the per-file reports: one row per file, failures first."""
    from cbcheck.render import index

    links: dict[tuple[Path, str | None], list[str]] = {}
    for paths in dir_paths.values():
        for key, target in paths.items():
            links.setdefault(key, []).append(target.name)
    from cbcheck.batch import INDEX_HTML, INDEX_XLSX

    plans = "、".join(sorted({r.report.policy.title for r in results if r.report is not None})) or "—"
    table = index.rows(results, links, ropts)
    inputs = {r.path.resolve() for r in results}
    for name, data in ((INDEX_HTML, lambda: index.render_html(table, ropts, plans)),
                       (INDEX_XLSX, lambda: index.render_xlsx(table, ropts, plans))):
        if (out_dir / name).resolve() not in inputs:          # never overwrite a submission
            write_atomic(out_dir / name, data())


def _year_not_in_file(result: FileResult, year: int | None, m: Messages) -> UsageError | None:
    """``--year Y`` for a file with no data for Y: a usage error naming the years it has, not a
    report on nothing. A facility-only file has the year of its 报告年度 row (or none: then
    --year is its year). The year a file says it reports (its title's, its 年度 row's) is its
    year even without a column for it: its values are then MISSING, not another year's."""
    report = result.report
    if year is None or report is None:
        return None
    sub = report.submission
    years = sub.years_with_values()
    said = sub.said_year()
    if said is not None and (year == said[0] or (said[1] == "row" and (sub.facilities or not years))):
        years.add(said[0])
    if not years or year in years:
        return None
    return UsageError(m("cli.year_not_in_file", year=year, years=Msg.listing(sorted(years))),
                      where=result.label, hint=m("cli.year_not_in_file_hint"))


def _single(checker: Checker, path: Path, city_workbook: Callable[[], None]) -> list[FileResult]:
    """One file named alone: what stops it raises (exit 2 or 3), except in a city workbook, whose
    sheets are results like a batch's files (``city_workbook()``: the options checked as a batch's)."""
    from cbcheck.budgets import time_limit

    with time_limit(str(path)):
        return checker.results(path, city_workbook)


def _write_dir_reports(result: FileResult, dir_paths: dict[str, OutputNames], ropts: RenderOptions,
                       batch: bool, say: Callable[[str], None]) -> FileResult:
    """Write one file's reports into --output-dir. In a batch, a report that cannot be written is
    recorded on the result (exit 2 for that file) and the batch goes on."""
    from dataclasses import replace

    assert result.report is not None
    failed = []
    for f, paths in dir_paths.items():
        try:
            write_atomic(paths[result.key], render_pieces(f, result.report, ropts.with_catalogue(result.catalogue)))
        except OutputError as exc:
            if not batch:
                raise
            say(Messages(ropts.lang)("cli.error", text=exc.text(ropts.lang)))
            failed.append(str(exc))
    return replace(result, write_errors=tuple(failed)) if failed else result


@contextlib.contextmanager
def _interruptible() -> Iterator[Callable[[], None]]:
    """Ctrl-C stops the run: the handler raises KeyboardInterrupt, and because a library may
    swallow it (an exception raised while a zip file is closed in a finaliser is only printed),
    it also sets a flag that is checked after every file, or turn it into another error (pandas
    and pyarrow can surface an interrupt as a TypeError): any error after a Ctrl-C is the Ctrl-C.
    Yields that check."""
    import signal
    import threading

    seen = []

    def handler(signum: int, frame: object) -> None:
        seen.append(signum)
        raise KeyboardInterrupt

    def stop() -> None:
        if seen:
            raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    except Exception:
        if seen:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)


def _single_stdout(result: FileResult, opts: RunOptions, ropts: RenderOptions, out: TextIO) -> None:
    report = result.report
    assert report is not None
    if opts.quiet:
        from cbcheck.render.quiet import quiet_lines

        out.write(quiet_lines(report, ropts.with_catalogue(result.catalogue)))
    elif opts.fmt == "json":                 # streamed: a million facilities are never one string
        from cbcheck.render.jsonfmt import pieces, write_pieces

        write_pieces(out, pieces(report, ropts))
    elif not FORMATS[opts.fmt].binary:
        from dataclasses import replace

        text = render(opts.fmt, report, replace(ropts.with_catalogue(result.catalogue), color=opts.color,
                                                width=opts.width))
        assert isinstance(text, str)
        out.write(text)


def _batch_stdout(results: list[FileResult], opts: RunOptions, ropts: RenderOptions, out: TextIO) -> None:
    from dataclasses import replace

    from cbcheck.render.summary import BATCH_FORMATS, batch_pieces

    fmt = opts.fmt if opts.fmt in BATCH_FORMATS else "text"
    shown = replace(ropts, color=opts.color and fmt == "text", width=opts.width)
    from cbcheck.render.jsonfmt import write_pieces

    write_pieces(out, batch_pieces(fmt, results, shown, include_reports=not opts.quiet and opts.output_dir is None))
