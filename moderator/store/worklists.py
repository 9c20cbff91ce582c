"""Read models for the worklists: what waits for whom (no access checks here; the
worklist service decides who sees which list)."""

from __future__ import annotations

from moderator.policy.access import Scope
from moderator.store.db import Store
from moderator.store.queue import QueueEntry, QueueFilter, list_queue


def overdue_items(store: Store, scope: Scope, now_utc: str, limit: int
                  ) -> tuple[list[QueueEntry], int]:
    """Queue items inside ``scope`` (the queue's scope: schools or groups) past their
    deadline, most overdue first, and how many there are (an index range count per
    school or group)."""
    if scope.groups is not None:
        units = [("group_id", g) for g in sorted(scope.groups)]
    elif scope.schools is not None:
        units = [("school_id", s) for s in sorted(scope.schools)]
    else:
        return [], 0
    total = sum(store.scalar(f"SELECT count(*) FROM queue_items WHERE {column} = ?"
                             " AND due_at <= ?", (value, now_utc)) for column, value in units)
    if not total:
        return [], 0
    page = list_queue(store, scope, QueueFilter(order="due"), limit=limit)
    return [e for e in page if e.overdue(now_utc)], total


def incidents_with_reason(store: Store, school_id: str, reason: str) -> set[int]:
    """Ids of the school's incidents holding a hard copy deleted for ``reason``."""
    return {r[0] for r in store.rows(
        "SELECT DISTINCT h.incident_id FROM hardcopies h JOIN incidents i ON i.id = h.incident_id"
        " WHERE i.school_id = ? AND h.reason = ?", (school_id, reason))}


def incidents_with_talk(store: Store, school_id: str) -> set[int]:
    """Ids of the school's incidents with a recorded talk with the parent."""
    return {r[0] for r in store.rows(
        "SELECT DISTINCT e.incident_id FROM incident_events e JOIN incidents i"
        " ON i.id = e.incident_id WHERE i.school_id = ? AND e.kind = 'parent_conversation'",
        (school_id,))}
