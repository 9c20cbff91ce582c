"""Deadlines of queue items: the foundation's deadline setting, and ``queue_items.due_at``
kept in step with each school's calendar (:mod:`moderator.store.holidays`).

``due_at`` is stored as a UTC ISO timestamp so that it sorts as text; the queue's
"due first" order and the overdue marks read it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from moderator import clock
from moderator.policy.deadlines import (
    DEFAULT_URGENT_NEXT_DAY,
    DEFAULT_URGENT_REASONS,
    DEFAULT_WORKING_DAYS,
    DeadlineRules,
    WorkCalendar,
    due_at,
)
from moderator.store.db import Store
from moderator.store.holidays import calendar_for

SETTING_KEY = "deadlines"


def deadline_rules(store: Store) -> DeadlineRules:
    """The foundation's deadline setting (settings row ``deadlines``, JSON), or the defaults."""
    raw = store.scalar("SELECT value FROM settings WHERE key = ?", (SETTING_KEY,))
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return DeadlineRules(
        urgent_reasons=frozenset(data.get("urgent_reasons", DEFAULT_URGENT_REASONS)),
        urgent_next_day=data.get("urgent_next_day", DEFAULT_URGENT_NEXT_DAY),
        working_days=int(data.get("working_days", DEFAULT_WORKING_DAYS)),
    )


def save_deadline_rules(store: Store, rules: DeadlineRules) -> None:
    """Write the setting and recompute every queue deadline (call inside the caller's
    transaction, which also writes the audit entry)."""
    value = json.dumps({"urgent_reasons": sorted(rules.urgent_reasons),
                        "urgent_next_day": rules.urgent_next_day,
                        "working_days": rules.working_days})
    with store.write():
        store.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                      " DO UPDATE SET value = excluded.value", (SETTING_KEY, value))
        recompute_due(store)


def as_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class DueCalculator:
    """Deadlines for many items of a few schools: one calendar per school, read once."""

    def __init__(self, store: Store):
        self.store = store
        self.rules = deadline_rules(store)
        self.calendars: dict[str, WorkCalendar] = {}

    def due(self, school_id: str, flagged_at: str | None, reasons: Iterable[str]) -> str | None:
        if not flagged_at:
            return None
        calendar = self.calendars.get(school_id)
        if calendar is None:
            calendar = self.calendars[school_id] = calendar_for(self.store, school_id)
        try:
            arrived = clock.parse(flagged_at)
        except ValueError:
            return None
        return as_utc(due_at(arrived, reasons, calendar, self.rules))


def recompute_due(store: Store, school_id: str | None = None, *, only_missing: bool = False
                  ) -> int:
    """Recompute ``due_at`` of the queue (one school, or all; only rows without one).
    Returns the number of rows changed."""
    where, params = [], []
    if school_id is not None:
        where.append("school_id = ?")
        params.append(school_id)
    if only_missing:
        where.append("due_at IS NULL")
    sql = "SELECT item, school_id, reasons, flagged_at, due_at FROM queue_items"
    if where:
        sql += " WHERE " + " AND ".join(where)
    calc = DueCalculator(store)
    changes = []
    for row in store.rows(sql, params):
        flagged = row["flagged_at"] or store.scalar(
            "SELECT min(created_at) FROM flags WHERE item = ? AND status = 'open'", (row["item"],))
        due = calc.due(row["school_id"], flagged, row["reasons"].split())
        if due != row["due_at"] or flagged != row["flagged_at"]:
            changes.append((flagged, due, row["item"]))
    if changes:
        with store.write():
            store.executemany("UPDATE queue_items SET flagged_at = ?, due_at = ? WHERE item = ?",
                              changes)
    return len(changes)


def now_utc() -> str:
    return as_utc(clock.now())


def working_hours(store: Store, school_id: str) -> tuple[str, str]:
    """(start, end) of the school's working day, 'HH:MM'."""
    row = store.row("SELECT work_start, work_end FROM schools WHERE id = ?", (school_id,))
    return row["work_start"], row["work_end"]
