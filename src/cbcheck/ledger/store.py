"""Open a ledger (SQLite file or PostgreSQL URL), migrate it, record reports, query them.

Every write is one transaction: a submission with all its observations and findings is
there entirely or not at all. SQLite writers take the write lock at the start of the
transaction (``BEGIN IMMEDIATE``) and wait up to :data:`BUSY_TIMEOUT` seconds for another
writer; PostgreSQL writers rely on the unique key and retry the lookup on a conflict.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from cbcheck.errors import CbcheckError
from cbcheck.i18n.message import Msg
from cbcheck.exitcodes import Exit
from cbcheck.model import Observation, Report

BUSY_TIMEOUT = 30.0          # seconds a SQLite writer waits for another one
CONNECT_TIMEOUT = 10         # seconds to reach a PostgreSQL server
DEFAULT_NAME = "ledger.sqlite"


class LedgerError(CbcheckError):
    """The ledger cannot be opened, migrated or written (exit 3)."""

    exit_code: int = Exit.INPUT


def default_location() -> Path:
    """The per-user ledger: ``platformdirs.user_data_dir("cbcheck")/ledger.sqlite``
    (``~/.local/share/cbcheck`` on Linux, ``%LOCALAPPDATA%\\cbcheck`` on Windows)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("cbcheck", appauthor=False)) / DEFAULT_NAME


def is_url(location: str) -> bool:
    return "://" in location


_USERINFO = re.compile(r"(://[^:/@]*):[^@]*@")


def mask_url(location: str) -> str:
    """The location with any password replaced by ``***`` (safe for reports and logs)."""
    if not is_url(location):
        return location
    try:
        from sqlalchemy.engine import make_url

        return make_url(location).render_as_string(hide_password=True)
    except Exception:                                  # not a URL SQLAlchemy can parse
        return _USERINFO.sub(r"\1:***@", location)


def now() -> dt.datetime:
    """The recording time (UTC); ``SOURCE_DATE_EPOCH`` fixes it, for reproducible examples."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed and fixed.strip().isdigit():
        return dt.datetime.fromtimestamp(int(fixed), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class StoredSubmission:
    id: int
    entity: str | None
    year: int
    scope: str
    policy_id: str
    policy_sha256: str
    file_name: str
    file_sha256: str
    verdict: str
    counts: dict[str, int]
    recorded_at: dt.datetime
    filed_on: str | None = None           # the 填报日期 the file states (YYYY-MM-DD), if any
    withdrawn_at: dt.datetime | None = None   # withdrawn (撤回) as recorded by mistake: when, and why
    withdrawn_reason: str | None = None

    @property
    def date(self) -> str:
        return self.recorded_at.strftime("%Y-%m-%d")

    @property
    def withdrawn_on(self) -> str | None:
        return self.withdrawn_at.strftime("%Y-%m-%d") if self.withdrawn_at is not None else None


@dataclass(frozen=True)
class StoredObservation:
    submission: StoredSubmission
    indicator: str
    year: int | None
    value: float | str | None
    unit: str | None
    cell: str
    approx: bool
    error: str | None
    price_basis: str | None
    rate_basis: str | None
    basis_year: int | None

    def observation(self) -> Observation:
        """As an observation of a new submission, located in the file it came from."""
        sub = self.submission
        # a CSV's cell names its file already (a.csv:6:4): the file once, then when it was recorded
        where = f"{self.cell} ({sub.date})" if self.cell.startswith(f"{sub.file_name}:") \
            else f"{sub.file_name} ({sub.date}) {self.cell}"
        return Observation(self.indicator, self.year, self.value, self.unit, where, raw=str(self.value),
                           approx=self.approx, error=self.error, price_basis=self.price_basis,
                           rate_basis=self.rate_basis, basis_year=self.basis_year)


def _reason(exc: BaseException, secret: str | None) -> str:
    """The first line of a driver's message, without the password should a driver echo it."""
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).strip().splitlines()[:1]) or type(orig).__name__
    text = re.sub(r"\s+", " ", text)
    if secret:
        text = text.replace(secret, "***")
    return text


class Ledger:
    """A ledger database. Use :func:`open_ledger`; close with :meth:`close` (or ``with``)."""

    def __init__(self, location: str, timeout: float | None = None) -> None:
        self.location = location
        self.shown = mask_url(location)
        self.timeout = BUSY_TIMEOUT if timeout is None else timeout
        self._secret: str | None = None
        self.engine: Any = None

    # --- opening ---------------------------------------------------------------------------------

    def _engine(self) -> Any:
        from sqlalchemy import create_engine, event
        from sqlalchemy.engine import URL, make_url

        if is_url(self.location):
            try:
                url = make_url(self.location)
            except Exception:
                raise LedgerError(Msg("ledgererr.not_url"), where=self.shown,
                                  hint=Msg("ledgererr.not_url_hint")) from None
            self._secret = url.password if isinstance(url.password, str) and url.password else None
            backend = url.get_backend_name()
            if backend not in ("sqlite", "postgresql"):
                raise LedgerError(Msg("ledgererr.unsupported", backend=backend), where=self.shown,
                                  hint=Msg("ledgererr.unsupported_hint"))
            if backend == "postgresql":
                if url.drivername == "postgresql":        # SQLAlchemy 2.0 would pick psycopg2; we ship psycopg 3
                    url = url.set(drivername="postgresql+psycopg")
                return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT}, pool_pre_ping=False)
            path = url.database
        else:
            path = self.location
        if not path or path == ":memory:":
            raise LedgerError(Msg("ledgererr.memory"), where=self.shown, hint=Msg("ledgererr.memory_hint"))
        file = Path(path).expanduser()
        if file.is_dir():
            raise LedgerError(Msg("ledgererr.folder"), where=self.shown,
                              hint=Msg("ledgererr.folder_hint", example=str(file / DEFAULT_NAME)))
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(Msg("ledgererr.mkdir", error=exc.strerror), where=self.shown) from None
        engine = create_engine(URL.create("sqlite", database=str(file)), connect_args={"timeout": self.timeout})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None          # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")    # take the write lock now, not at the first write

        return engine

    def open(self) -> Ledger:
        from sqlalchemy.exc import SQLAlchemyError

        from cbcheck.ledger.migrations import NewerSchema, migrate

        self.engine = self._engine()
        try:
            with self.engine.begin() as conn:
                migrate(conn, now())
        except NewerSchema as exc:
            self.close()
            raise LedgerError(Msg("ledgererr.newer", found=exc.found), where=self.shown,
                              hint=Msg("ledgererr.newer_hint")) from None
        except SQLAlchemyError as exc:
            self.close()
            raise self._error("open", exc) from None
        return self

    def _error(self, what: str, exc: BaseException) -> LedgerError:
        """``what``: open, record or read. The database's own reason is kept as it says it."""
        reason = _reason(exc, self._secret)
        hint = None
        if "locked" in reason:
            hint = Msg("ledgererr.locked_hint", seconds=f"{self.timeout:g}")
        elif "password" in reason or "authentication" in reason:
            hint = Msg("ledgererr.password_hint")
        elif "not a database" in reason:
            hint = Msg("ledgererr.not_ledger_hint")
        return LedgerError(Msg(f"ledgererr.cannot_{what}", reason=reason), where=self.shown, hint=hint)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------------------

    def record(self, report: Report, observations: tuple[Observation, ...] | None = None,
               when: dt.datetime | None = None) -> tuple[int, bool]:
        """Store a checked submission; ``(id, True)`` when new, ``(id, False)`` when the same
        file was already recorded for this policy and year (nothing is written then)."""
        from sqlalchemy.exc import IntegrityError, SQLAlchemyError

        from cbcheck.ledger import schema as t

        sub = report.submission
        key = (sub.sha256, report.policy.id, report.year)
        name = Path(sub.path).name
        try:
            with self.engine.begin() as conn:
                found = self._find(conn, key, entity=True)
                if found is None or not _one_entity(found[1], sub.entity):
                    # one county's sheet of a city workbook: recorded as 全市.xlsx!任城区 when ``check`` judged it on
                    # its own (a sheet per county, cbcheck.citybook) or another county's sheet was recorded under the
                    # file's own key first (``--sheet``); found under either key, it is already recorded
                    by_sheet, named = _sheet_key(key, name, sub.entity, observations or sub.observations)
                    on_sheet = self._find(conn, by_sheet, entity=True)
                    if on_sheet is not None or found is not None or sub.meta.get("sheet"):
                        key, name, found = by_sheet, named, on_sheet
                if found is not None:
                    return found[0], False
                row = {"entity": sub.entity, "year": report.year, "scope": sub.scope,
                       "policy_id": report.policy.id, "policy_sha256": report.policy.sha256,
                       "file_name": name, "file_sha256": key[0], "verdict": report.verdict(),
                       "counts": json.dumps(report.counts(), sort_keys=True), "recorded_at": when or now(),
                       "filed_on": _filed_on(sub.meta.get("date"))}
                new_id = conn.execute(t.submissions.insert().values(**row)).inserted_primary_key[0]
                obs_rows = [_obs_row(new_id, o) for o in (sub.observations if observations is None else observations)
                            if o.year is not None or o.value is not None]
                if obs_rows:
                    conn.execute(t.observations.insert(), obs_rows)
                fnd_rows = [{"submission_id": new_id, "rule_id": f.rule_id, "indicator": f.indicator,
                             "status": f.status.value, "observed": _text(f.observed), "expected": _text(f.expected),
                             "unit": f.unit, "cell": f.location, "message": f.message, "arithmetic": f.arithmetic}
                            for f in report.findings]
                if fnd_rows:
                    conn.execute(t.findings.insert(), fnd_rows)
                return int(new_id), True
        except IntegrityError:
            # another writer recorded the same file between our lookup and insert (PostgreSQL)
            with self.engine.begin() as conn:
                found = self._find(conn, key)
            if found is None:
                raise
            return found, False
        except SQLAlchemyError as exc:
            raise self._error("record", exc) from None

    @staticmethod
    def _find(conn: Any, key: tuple[str, str, int], entity: bool = False) -> Any:
        """The id of the submission recorded under ``key`` (with ``entity``: ``(id, entity)``), or None."""
        from sqlalchemy import select

        from cbcheck.ledger import schema as t

        s = t.submissions.c
        row = conn.execute(select(s.id, s.entity).where(s.file_sha256 == key[0], s.policy_id == key[1],
                                                        s.year == key[2])).first()
        return None if row is None else (int(row[0]), row[1]) if entity else int(row[0])

    # --- reading -----------------------------------------------------------------------------------

    def submissions(self, entity: str | None = None, policy: str | None = None,
                    year: int | None = None, withdrawn: bool = False) -> list[StoredSubmission]:
        """Recorded submissions, oldest first (reporting year, then recording time). ``entity`` matches
        the county however a file wrote it (晋中市祁县, 祁县发展和改革局: :func:`cbcheck.params.same_entity`),
        as params, waivers and the roll-up do: an exact match missed the office-signed files. Withdrawn
        ones only with ``withdrawn=True`` (history and the roll-up name them; nothing uses their values)."""
        from sqlalchemy import select
        from sqlalchemy.exc import SQLAlchemyError

        from cbcheck.ledger import schema as t
        from cbcheck.params import same_entity

        s, w = t.submissions.c, t.withdrawals.c
        query = select(t.submissions, w.withdrawn_at, w.reason.label("withdrawn_reason")) \
            .outerjoin(t.withdrawals, w.submission_id == s.id).order_by(s.year, s.recorded_at, s.id)
        if not withdrawn:
            query = query.where(w.id.is_(None))
        if policy is not None:
            query = query.where(s.policy_id == policy)
        if year is not None:
            query = query.where(s.year == year)
        try:
            with self.engine.connect() as conn:
                rows = [_submission(r) for r in conn.execute(query).mappings()]
        except SQLAlchemyError as exc:
            raise self._error("read", exc) from None
        return rows if entity is None else [r for r in rows if same_entity(r.entity, entity)]

    def observations(self, subs: list[StoredSubmission]) -> list[StoredObservation]:
        from sqlalchemy import select
        from sqlalchemy.exc import SQLAlchemyError

        from cbcheck.ledger import schema as t

        by_id = {s.id: s for s in subs}
        if not by_id:
            return []
        o = t.observations.c
        query = select(t.observations).where(o.submission_id.in_(list(by_id))).order_by(o.submission_id, o.id)
        try:
            with self.engine.connect() as conn:
                rows = list(conn.execute(query).mappings())
        except SQLAlchemyError as exc:
            raise self._error("read", exc) from None
        return [StoredObservation(by_id[r["submission_id"]], r["indicator"], r["year"],
                                  r["value_num"] if r["value_num"] is not None else r["value_text"], r["unit"],
                                  r["cell"], bool(r["approx"]), r["error"], r["price_basis"], r["rate_basis"],
                                  r["basis_year"]) for r in rows]

    def findings(self, sub: StoredSubmission) -> list[dict[str, Any]]:
        from sqlalchemy import select

        from cbcheck.ledger import schema as t

        f = t.findings.c
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(t.findings).where(f.submission_id == sub.id)
                                                  .order_by(f.id)).mappings()]

    def count(self) -> int:
        from sqlalchemy import func, select

        from cbcheck.ledger import schema as t

        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.submissions)).scalar() or 0)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _obs_row(submission_id: int, o: Observation) -> dict[str, Any]:
    number = o.value if isinstance(o.value, (int, float)) and not isinstance(o.value, bool) else None
    text = None
    if number is None and o.value is not None:
        text = o.value.isoformat() if isinstance(o.value, dt.date) else str(o.value)
    return {"submission_id": submission_id, "indicator": o.indicator, "year": o.year,
            "value_num": float(number) if number is not None else None, "value_text": text, "unit": o.unit,
            "cell": o.location, "approx": o.approx, "error": o.error, "price_basis": o.price_basis,
            "rate_basis": o.rate_basis, "basis_year": o.basis_year}


def _submission(r: Any) -> StoredSubmission:
    return StoredSubmission(r["id"], r["entity"], r["year"], r["scope"], r["policy_id"], r["policy_sha256"],
                            r["file_name"], r["file_sha256"], r["verdict"], json.loads(r["counts"]),
                            r["recorded_at"], r["filed_on"], r.get("withdrawn_at"), r.get("withdrawn_reason"))


def _one_entity(a: str | None, b: str | None) -> bool:
    from cbcheck.params import same_entity

    return a == b or same_entity(a, b)


def _sheet_key(key: tuple[str, str, int], name: str, entity: str | None, observations: tuple[Observation, ...]
               ) -> tuple[tuple[str, str, int], str]:
    """One sheet of a workbook as a submission: its key from the file's and the sheet's (or, without one, the
    entity's) name, its name ``全市.xlsx!中阳县`` as ``rollup`` names a county's sheet."""
    sheets = {o.location.split("!", 1)[0] for o in observations if o.location and "!" in o.location}
    part = sheets.pop() if len(sheets) == 1 else (entity or "")
    return (sheet_digest(key[0], part), key[1], key[2]), f"{name}!{part}" if part else name


def sheet_digest(file_sha256: str, part: str) -> str:
    """The key a workbook's sheet is recorded under when another sheet of it was recorded first."""
    import hashlib

    return hashlib.sha256(f"{file_sha256}!{part}".encode()).hexdigest()


def in_filing_order(subs: list[StoredSubmission]) -> list[StoredSubmission]:
    """One entity's submissions oldest first: by reporting year, and within a year by the 填报日期 the files
    state when each states a different one, else by recording; of files recorded the same day, one
    whose name marks a correction (更正, 修订) after one whose name does not."""
    by_year: dict[int, list[StoredSubmission]] = {}
    for sub in sorted(subs, key=lambda x: (x.year, x.recorded_at, x.id)):
        by_year.setdefault(sub.year, []).append(sub)
    out: list[StoredSubmission] = []
    for same in by_year.values():
        dated = all(x.filed_on for x in same) and len({x.filed_on for x in same}) == len(same)
        # files recorded the same day came in together (a nightly run records a folder in name order, which
        # puts 甲区-更正.csv before 甲区.csv): there the name that says it corrects comes after the one it corrects
        out += sorted(same, key=lambda x: x.filed_on or "") if dated else \
            sorted(same, key=lambda x: (x.recorded_at.date(), names_a_correction(x.file_name)))
    return out


CORRECTION = re.compile(r"更正|修正|修订|订正|更新|校正|正式版|最终版|终版")


def names_a_correction(file_name: str) -> bool:
    """甲区-2025-更正.csv, 甲区（修订版）.xlsx: a name that says the file replaces an earlier one."""
    return bool(CORRECTION.search(file_name))


def _filed_on(date: str | None) -> str | None:
    return date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None


def open_ledger(location: str, timeout: float | None = None) -> Ledger:
    return Ledger(location, timeout).open()


def resolve_location(flag: str | None, configured: str | None) -> str:
    """``--ledger`` first, then ``ledger`` in cbcheck.toml, then the per-user default."""
    return flag or configured or str(default_location())


def iter_numeric(rows: list[StoredObservation]) -> Iterator[StoredObservation]:
    for r in rows:
        if isinstance(r.value, float) and r.error is None and r.year is not None:
            yield r
