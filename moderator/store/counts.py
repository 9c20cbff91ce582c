"""How much the database holds: row counts for the demo and the CLI's summaries.

These are cold-path reads (once per command), so they use sqlite-utils' table API
(``Store.db``) rather than hand-written SQL.
"""

from __future__ import annotations

from moderator.store.db import Store

CONTENT_TABLES = ("schools", "posts", "accounts")


def rows_in(store: Store, table: str) -> int:
    return store.db[table].count


def has_rows(store: Store, table: str) -> bool:
    """True when ``table`` holds at least one row (without counting them all)."""
    return any(True for _ in store.db[table].rows_where(limit=1))


def is_empty(store: Store) -> bool:
    """No schools, posts or accounts yet."""
    return not any(has_rows(store, table) for table in CONTENT_TABLES)


def open_flags(store: Store) -> int:
    return store.db["flags"].count_where("status = ?", ["open"])


def school_ids(store: Store) -> list[str]:
    """Every school's id, in order."""
    return [r[0] for r in store.rows("SELECT id FROM schools ORDER BY id")]
