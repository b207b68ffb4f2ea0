"""The city office's ledger: every checked submission, kept in a database (issue 17).

- :mod:`.schema` — the tables (SQLAlchemy Core; SQLite and PostgreSQL);
- :mod:`.migrations` — versioned migrations applied when a ledger is opened;
- :mod:`.store` — opening, recording, querying;
- :mod:`.crossyear` — restatements and year-on-year chains from earlier submissions;
- :mod:`.history` — ``cbcheck history ENTITY``.
"""

from cbcheck.ledger.store import Ledger, LedgerError, mask_url, open_ledger, resolve_location

__all__ = ["Ledger", "LedgerError", "mask_url", "open_ledger", "resolve_location"]
