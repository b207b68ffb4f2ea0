"""Where facility rules run: ``numpy`` (in process, the kinds' ``judge_facilities``), ``duckdb``
(embedded; one SQL query per rule and table, compiled by the kinds' ``facility_sql``) or
``spark`` (the same SQL, generated for Spark by SQLGlot, on a local or remote Spark session).

Verdicts are identical on every engine (the test suite runs every facility case and example
through each engine it has). The default, ``auto``, is numpy: measured on this project's
benchmark (benchmarks/README.md), the rules are a small part of a large facility check (the
reading is most of it), and handing the columns to DuckDB costs about what numpy's judging
does, so DuckDB does not pay for itself in-process; ``--engine duckdb`` is there for the query
path and ``--engine spark`` for a province whose tables outgrow one machine.

``--engine`` (or ``CBCHECK_ENGINE``) chooses; :func:`use` is how the CLI sets it.
"""

from __future__ import annotations

import os

ENGINES = ("auto", "numpy", "duckdb", "spark")
_chosen: str | None = None


def use(engine: str | None) -> None:
    """Choose the engine for this process (``None``: back to ``CBCHECK_ENGINE`` or auto)."""
    global _chosen
    if engine is not None and engine not in ENGINES:
        from cbcheck.errors import UsageError

        from cbcheck.i18n.message import Msg

        raise UsageError(Msg("rest.engine_unknown", engine=engine), hint=Msg("cli.one_of", names=Msg.listing(ENGINES)))
    _chosen = engine


def chosen() -> str:
    engine = _chosen or os.environ.get("CBCHECK_ENGINE", "").strip() or "auto"
    if engine not in ENGINES:
        from cbcheck.errors import UsageError

        from cbcheck.i18n.message import Msg

        raise UsageError(Msg("rest.engine_env", engine=engine), hint=Msg("cli.one_of", names=Msg.listing(ENGINES)))
    return "numpy" if engine == "auto" else engine


_keep_passing = True


def keep_passing(keep: bool | None = None) -> bool:
    """Whether a facility rule's result keeps its PASS and NOT_DUE facilities in full (the default:
    the API's ``entries()`` lists them) or only counts them (the CLI without ``--all-facilities``:
    no report it writes lists them, and at a million rows they are most of a rule's arrays).
    ``keep``: set it for this process (``cbcheck.run.execute`` sets and restores it)."""
    global _keep_passing
    if keep is not None:
        _keep_passing = keep
    return _keep_passing


def runner(engine: str):
    """The query runner for a SQL engine: ``run(compiled) -> {column: numpy array}``."""
    if engine == "duckdb":
        from cbcheck.backends.duck import run
    elif engine == "spark":
        from cbcheck.backends.spark import run
    else:
        raise ValueError(engine)
    return run
