"""The ledger's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

A *submission* is one file checked against one policy for one reporting year; its
observations and findings hang off it. ``(file_sha256, policy_id, year)`` is unique, so
recording the same file twice is a no-op (the second writer finds the first one's row).
"""

from __future__ import annotations

from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text, UniqueConstraint)

metadata = MetaData()

schema_version = Table(
    "cbcheck_schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity", String(200), nullable=True),
    Column("year", Integer, nullable=False),
    Column("scope", String(20), nullable=False),
    Column("policy_id", String(120), nullable=False),
    Column("policy_sha256", String(64), nullable=False),
    Column("file_name", String(400), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("counts", Text, nullable=False),               # JSON {status: n}
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("filed_on", String(10), nullable=True),     # the file's own 填报日期 (YYYY-MM-DD), v2
    UniqueConstraint("file_sha256", "policy_id", "year", name="uq_submission_file_policy_year"),
)
Index("ix_submissions_entity_year", submissions.c.entity, submissions.c.year)

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("indicator", String(120), nullable=False),
    Column("year", Integer, nullable=True),
    Column("value_num", Float, nullable=True),
    Column("value_text", Text, nullable=True),           # dates, yes/no, text; None with value_num None: 缺报
    Column("unit", String(60), nullable=True),
    Column("cell", String(200), nullable=False),
    Column("approx", Boolean, nullable=False, default=False),
    Column("error", Text, nullable=True),
    Column("price_basis", String(20), nullable=True),
    Column("rate_basis", String(20), nullable=True),
    Column("basis_year", Integer, nullable=True),
)
Index("ix_observations_submission", observations.c.submission_id)
Index("ix_observations_indicator_year", observations.c.indicator, observations.c.year)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", String(120), nullable=False),
    Column("indicator", String(120), nullable=False),
    Column("status", String(20), nullable=False),
    Column("observed", Text, nullable=True),
    Column("expected", Text, nullable=True),
    Column("unit", String(60), nullable=True),
    Column("cell", String(200), nullable=True),
    Column("message", Text, nullable=False),
    Column("arithmetic", Text, nullable=False),
)
Index("ix_findings_submission", findings.c.submission_id)

withdrawals = Table(
    "withdrawals", metadata,                              # v3: a submission recorded by mistake, taken out
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("submission_id", name="uq_withdrawal_submission"),
)
