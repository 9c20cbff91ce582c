"""Newest-first pages of an append-only log table, filtered by equality and a period."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from moderator.store.db import Store


def newest_first(
    store: Store, table: str, key: str, *, equals: Iterable[tuple[str, Any]] = (),
    where: Iterable[str] = (), params: Iterable[Any] = (), since: str | None = None,
    until: str | None = None, before: int | None = None, limit: int = 200,
) -> list[sqlite3.Row]:
    """Rows of ``table`` newest first by ``key``: columns in ``equals`` must match where
    the value is given, ``at`` lies in [since, until), and ``key`` is below ``before``.
    ``table``, ``key`` and column names are the caller's constants, never user input."""
    terms, values = list(where), list(params)
    for column, value in equals:
        if value not in (None, ""):
            terms.append(f"{column} = ?")
            values.append(value)
    for term, value in (("at >= ?", since), ("at < ?", until), (f"{key} < ?", before)):
        if value is not None and value != "":
            terms.append(term)
            values.append(value)
    sql = f"SELECT * FROM {table}"
    if terms:
        sql += " WHERE " + " AND ".join(terms)
    sql += f" ORDER BY {key} DESC LIMIT ?"
    return store.rows(sql, [*values, limit])
