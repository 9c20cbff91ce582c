"""Overdue marks: a queue item past its deadline is marked once, by the clock tick."""

from __future__ import annotations

from moderator import clock
from moderator.store.db import Store


def mark_overdue(store: Store, now_utc: str) -> list[tuple[str, str]]:
    """Mark every queue item whose deadline has passed and that is not marked yet;
    returns (item, school_id) of the newly marked ones."""
    with store.write():
        rows = store.rows(
            "SELECT q.item, q.school_id, q.group_id, q.due_at FROM queue_items q"
            " WHERE q.due_at IS NOT NULL AND q.due_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM overdue_marks o WHERE o.item = q.item"
            " AND o.due_at = q.due_at) ORDER BY q.due_at, q.item", (now_utc,))
        marked_at = clock.now_iso()
        store.executemany(
            "INSERT INTO overdue_marks (item, school_id, group_id, due_at, marked_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(item) DO UPDATE SET due_at = excluded.due_at,"
            " marked_at = excluded.marked_at",
            [(r["item"], r["school_id"], r["group_id"], r["due_at"], marked_at) for r in rows])
    return [(r["item"], r["school_id"]) for r in rows]
