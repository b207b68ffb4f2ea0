"""The city office's commands from parsed options to exit code: ``check --record``'s
ledger and waivers, ``history``, ``rollup`` and ``waivers lint`` (issue 17). Nothing here
parses flags; cli.py does, and calls these."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

from cbcheck.errors import UsageError, in_lang
from cbcheck.i18n import Messages
from cbcheck.i18n.message import Msg
from cbcheck.exitcodes import Exit, for_verdict


def as_of_date(text: str | None) -> dt.date | None:
    """``--as-of 2025-06-30``: the date every waiver is judged at, instead of each file's 填报日期."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(Msg("cli.at", where="--as-of", message=Msg("cli.not_a_date", value=text)),
                         hint=Msg("cli.date_hint")) from None


def _waiver_hooks(cfg: Any, waivers: Path | None, as_of: str | None) -> tuple[Any, ...]:
    when = as_of_date(as_of)             # a bad date is a usage error even without a waivers file
    path = waivers or (Path(cfg.get("waivers")) if cfg.get("waivers") else None)
    if path is None:
        return ()
    from cbcheck.waivers import WaiverHook, load_waivers

    return (WaiverHook(load_waivers(path), as_of=when),)


def _recorded_days(led: Any) -> Callable[[str], dt.date | None]:
    """The day the ledger first recorded a file (by sha256): a file without 填报日期 checked again later is
    judged at the day it came in. Read once, when a file first needs it."""
    days: dict[str, dt.date] = {}
    loaded = False

    def day(sha256: str) -> dt.date | None:
        nonlocal loaded
        if not loaded:
            for s in led.submissions(withdrawn=True):        # oldest first: the first recording wins
                days.setdefault(s.file_sha256, s.recorded_at.date())
            loaded = True
        return days.get(sha256)

    return day


@contextlib.contextmanager
def check_hooks(cfg: Any, ledger: str | None, record: bool | None, waivers: Path | None,
                err: Callable[[str], None], lang: str, as_of: str | None = None) -> Iterator[tuple[Any, ...]]:
    """The hooks ``check`` runs around the engine; the ledger is opened (and migrated) before any
    file is checked, so a ledger that cannot be used stops the run before anything is written."""
    hooks: list[Any] = list(_waiver_hooks(cfg, waivers, as_of))
    do_record = record if record is not None else bool(cfg.get("record", False))
    location = ledger or cfg.ledger()
    if location is None and not do_record:
        yield tuple(hooks)
        return
    from cbcheck.ledger import open_ledger, resolve_location
    from cbcheck.ledger.crossyear import LedgerHook
    from cbcheck.waivers import WaiverHook

    led = open_ledger(resolve_location(location, None))
    hook = LedgerHook(led, record=do_record)
    hooks = [dataclasses.replace(h, recorded=_recorded_days(led)) if isinstance(h, WaiverHook) else h
             for h in hooks]
    try:
        yield (*hooks, hook)
        m = Messages(lang)
        stored = {s.id: s for s in led.submissions(withdrawn=True)} if hook.recorded else {}
        for file, rid, new in hook.recorded:
            # a county's sheet of a city workbook is recorded as 全市.xlsx!乙县: said as the ledger names it
            name = stored[rid].file_name if rid in stored else Path(file).name
            if not new and rid in stored and stored[rid].withdrawn_at:  # recorded again after it was withdrawn
                err(m("ledger.already_withdrawn", ledger=led.shown, file=name, id=rid,
                      date=stored[rid].withdrawn_on, reason=stored[rid].withdrawn_reason))
                continue
            err(m("ledger.recorded" if new else "ledger.already", ledger=led.shown, file=name, id=rid))
    finally:
        led.close()


def _config_roster(cfg: Any, params: Any) -> tuple[str, ...]:
    return tuple(params.roster) or tuple(cfg.get("roster") or ())


def history(entity: str, policy: str | None, fmt: str, ledger: str | None, output: Path | None,
            lang: str, cfg: Any) -> int:
    from cbcheck.ledger import open_ledger, resolve_location
    from cbcheck.ledger.history import FORMATS, build, render_history
    from cbcheck.outputs import write_atomic
    from cbcheck.policy import catalogue

    if fmt not in FORMATS:
        raise UsageError(Msg("cli.unknown_format_for", fmt=fmt, what="`cbcheck history`"),
                         hint=Msg("cli.one_of", names=Msg.listing(FORMATS)))
    if fmt == "xlsx" and output is None:
        raise UsageError(Msg("cli.binary_needs_output"), hint=Msg("cli.binary_needs_output_hint", example="履历.xlsx"))
    with open_ledger(resolve_location(ledger, cfg.ledger())) as led:
        hist = build(led, entity, policy)
    cat = catalogue()
    if policy:
        from cbcheck.policy import load_policy

        cat = load_policy(policy)[1]
    out = render_history(hist, fmt, lang, cat)
    if output is not None:
        write_atomic(output, out)
    if isinstance(out, str):
        sys.stdout.write(out)
    return Exit.OK


def rollup(files: list[Path], policy_ref: str | None, year: int, fmt: str, ledger: str | None,
           from_ledger: bool, params_path: Path | None, waivers: Path | None, output: Path | None,
           strict: bool, lang: str, cfg: Any, as_of: str | None = None) -> int:
    from cbcheck.batch import expand_inputs
    from cbcheck.outputs import write_atomic
    from cbcheck.params import Params, load_params
    from cbcheck.policy import load_policy
    from cbcheck.render import FORMATS as FORMAT_SPECS, RenderOptions, format_name
    from cbcheck.rollup import run
    from cbcheck.rollup_sources import counties_from_files, counties_from_ledger
    from cbcheck.rollup_view import FORMATS, render_rollup

    fmt = format_name(fmt)
    if fmt not in FORMATS:
        raise UsageError(Msg("cli.unknown_format_for", fmt=fmt, what="`cbcheck rollup`"),
                         hint=Msg("cli.one_of", names=Msg.listing(FORMATS)))
    if FORMAT_SPECS[fmt].binary and output is None:        # xlsx, docx
        raise UsageError(Msg("cli.binary_stdout", fmt=fmt),
                         hint=Msg("cli.binary_needs_output_hint", example=f"汇总.{fmt}"))
    ref = policy_ref or cfg.policy()
    if not ref:
        raise UsageError(Msg("cli.no_policy_given"), hint=Msg("cli.see_policies"))
    if bool(files) == from_ledger:
        raise UsageError(Msg("cli.rollup_files_or_ledger"), hint=Msg("cli.rollup_files_or_ledger_hint"))
    policy, cat = load_policy(ref)
    params = load_params(params_path) if params_path else Params()
    hooks = _waiver_hooks(cfg, waivers, as_of)
    if from_ledger:
        from cbcheck.ledger import open_ledger, resolve_location

        with open_ledger(resolve_location(ledger, cfg.ledger())) as led:
            counties, left_out = counties_from_ledger(led, policy, year)
    else:
        inputs, _ = expand_inputs(files)
        if not inputs:
            raise UsageError(Msg("cli.rollup_no_files", paths=Msg.listing(map(str, files))))
        counties, left_out = counties_from_files(inputs, cat, policy, year)
    if not counties:
        raise UsageError(Msg("cli.rollup_nothing", policy=policy.id, year=year))
    result = run(policy, cat, counties, year, params, _config_roster(cfg, params), strict=strict, hooks=hooks,
                 left_out=left_out)
    opts = RenderOptions(lang=lang, catalogue=cat)
    out = render_rollup(result, fmt, opts)
    if output is not None:
        write_atomic(output, out)
    if isinstance(out, str) and (output is None or fmt != "xlsx"):
        sys.stdout.write(out)
    return int(for_verdict(result.verdict()))


def waivers_lint(file: Path, policy_ref: str, params_path: Path | None, cfg: Any,
                 echo: Callable[[str], None], lang: str = "en") -> int:
    from cbcheck.params import Params, load_params
    from cbcheck.policy import load_policy
    from cbcheck.waivers import lint, load_waivers

    policy, _ = load_policy(policy_ref)
    params = load_params(params_path) if params_path else Params()
    roster = _config_roster(cfg, params) or None
    problems = lint(load_waivers(file), policy, roster)
    m = Messages(lang)
    for where, severity, message in problems:
        echo(m("cli.waiver_line", where=where, severity=m.get(f"cli.severity.{severity}", severity),
               message=in_lang(message, lang)))
    if not problems:
        echo(m("cli.ok", path=file))
    return Exit.INPUT if any(sev == "error" for _, sev, _ in problems) else Exit.OK


def ledger_withdraw(ref: str, reason: str, policy: str | None, year: int | None, ledger: str | None, cfg: Any,
                    echo: Callable[[str], None], lang: str) -> int:
    from cbcheck.ledger import open_ledger, resolve_location
    from cbcheck.ledger.withdraw import describe, withdraw

    with open_ledger(resolve_location(ledger, cfg.ledger())) as led:
        sub, new = withdraw(led, ref, reason, policy, year)
    said = describe(sub)
    echo(in_lang(Msg("ledger.withdrawn", sub=said, reason=sub.withdrawn_reason) if new else
                 Msg("ledger.withdrawn_before", sub=said, date=sub.withdrawn_on, reason=sub.withdrawn_reason), lang))
    return Exit.OK
