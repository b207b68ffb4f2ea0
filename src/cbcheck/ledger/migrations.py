"""Versioned schema migrations that run by themselves when a ledger is opened.

Why not alembic: the ledger has four tables and is opened by a command-line tool, not
deployed by an operator. alembic would need an ``env.py``, a script folder and an ini file
shipped inside the package, and its ``upgrade`` is meant to be run by hand. Here a
``cbcheck_schema_version`` table records the versions applied, and :data:`MIGRATIONS` is an
ordered list of plain functions; :func:`migrate` applies the missing ones inside one
transaction (DDL is transactional in both SQLite and PostgreSQL, so a failed migration leaves
nothing half-made). Two processes opening a new ledger at once are serialised: PostgreSQL by
an advisory lock, SQLite by its write lock (``BEGIN IMMEDIATE``, see store.py).

To change the schema: add a function ``_v2(conn)`` (``ALTER TABLE …`` via ``conn.execute``),
append it to :data:`MIGRATIONS`, and update ``schema.py`` to the new shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from sqlalchemy import Connection, inspect, select, text

from cbcheck.ledger import schema

ADVISORY_LOCK_KEY = 0x63626368   # "cbch": one key for every cbcheck ledger in a PostgreSQL database


def _v1(conn: Connection) -> None:
    """The first schema: submissions, observations, findings."""
    for table in (schema.submissions, schema.observations, schema.findings):
        table.create(conn, checkfirst=True)
    for table in (schema.submissions, schema.observations, schema.findings):
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _v2(conn: Connection) -> None:
    """``submissions.filed_on``: the 填报日期 the file states, so that of two files of one county and year
    the later-dated one is the county's figure, whatever order a nightly run recorded them in (a
    folder sorted by name records 榆次区-2025-更正.csv before 榆次区-2025.csv). A ledger made by v1
    here already has the column (v1 creates today's table shape)."""
    if "filed_on" not in {c["name"] for c in inspect(conn).get_columns(schema.submissions.name)}:
        conn.execute(text("ALTER TABLE submissions ADD COLUMN filed_on VARCHAR(10)"))


def _v3(conn: Connection) -> None:
    """``withdrawals``: a submission recorded by mistake is withdrawn (撤回) with a reason, never deleted:
    its row, observations and findings stay, history shows it, roll-ups and cross-year checks skip it."""
    schema.withdrawals.create(conn, checkfirst=True)


MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3]
LATEST = len(MIGRATIONS)


class NewerSchema(Exception):
    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.schema_version.name):
        return 0
    return conn.execute(select(schema.schema_version.c.version).order_by(
        schema.schema_version.c.version.desc()).limit(1)).scalar() or 0


def migrate(conn: Connection, now: dt.datetime) -> list[int]:
    """Apply the migrations this ledger lacks, in the caller's transaction; the versions applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
    schema.schema_version.create(conn, checkfirst=True)
    found = current_version(conn)
    if found > LATEST:
        raise NewerSchema(found)
    applied = []
    for version in range(found + 1, LATEST + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(schema.schema_version.insert().values(version=version, applied_at=now))
        applied.append(version)
    return applied
