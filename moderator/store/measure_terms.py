"""Measures with a term: read-only, comments off and removal from a group run from a
start date to an end date (the day they are lifted) or until further notice.

One row per measure entry of a dossier (``incident_events`` kind 'measure'). Lifting
is a conditional update (``status = 'active'``) inside the caller's write transaction,
so two clock ticks at once lift a measure, and record it, exactly once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from moderator import clock
from moderator.policy import measures
from moderator.store.db import Store

# Measures that restrict a parent's use of the portal, and so take a term.
TERM_MEASURES = ("read_only", "comments_off", "group_removal")


@dataclass(frozen=True)
class MeasureTerm:
    event_id: int
    incident_id: int
    incident_number: str
    school_id: str
    person_id: str | None
    person_name: str | None
    measure: str
    starts_on: date
    ends_on: date | None             # the day it is lifted; None: until further notice
    status: str                      # 'active' | 'lifted'
    lifted_at: str | None
    lifted_by: str | None
    lift_reason: str | None          # 'expired' | 'early'

    @property
    def label(self) -> str:
        return measures.label(self.measure)

    @property
    def active(self) -> bool:
        return self.status == "active"


_SELECT = ("SELECT t.*, i.number AS incident_number, p.name AS person_name"
           " FROM measure_terms t JOIN incidents i ON i.id = t.incident_id"
           " LEFT JOIN people p ON p.id = t.person_id")


def _term(row) -> MeasureTerm:
    return MeasureTerm(
        event_id=row["event_id"], incident_id=row["incident_id"],
        incident_number=row["incident_number"], school_id=row["school_id"],
        person_id=row["person_id"], person_name=row["person_name"], measure=row["measure"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
        status=row["status"], lifted_at=row["lifted_at"], lifted_by=row["lifted_by"],
        lift_reason=row["lift_reason"])


def add_term(store: Store, *, event_id: int, incident_id: int, school_id: str,
             person_id: str | None, measure: str, starts_on: date, ends_on: date | None) -> None:
    with store.write():
        store.execute(
            "INSERT INTO measure_terms (event_id, incident_id, school_id, person_id, measure,"
            " starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (event_id, incident_id, school_id, person_id, measure, starts_on.isoformat(),
             ends_on.isoformat() if ends_on else None))


def get_term(store: Store, event_id: int) -> MeasureTerm | None:
    row = store.row(_SELECT + " WHERE t.event_id = ?", (event_id,))
    return _term(row) if row else None


def terms_for_incident(store: Store, incident_id: int) -> list[MeasureTerm]:
    return [_term(r) for r in store.rows(_SELECT + " WHERE t.incident_id = ?"
                                         " ORDER BY t.starts_on, t.event_id", (incident_id,))]


def due_for_lifting(store: Store, today: date) -> list[MeasureTerm]:
    """Active measures whose end date has come."""
    return [_term(r) for r in store.rows(
        _SELECT + " WHERE t.status = 'active' AND t.ends_on IS NOT NULL AND t.ends_on <= ?"
        " ORDER BY t.ends_on, t.event_id", (today.isoformat(),))]


def ending_between(store: Store, school_id: str, first: date, last: date) -> list[MeasureTerm]:
    """Active measures of a school that end in [first, last]."""
    return [_term(r) for r in store.rows(
        _SELECT + " WHERE t.school_id = ? AND t.status = 'active' AND t.ends_on >= ?"
        " AND t.ends_on <= ? ORDER BY t.ends_on, t.event_id",
        (school_id, first.isoformat(), last.isoformat()))]


def mark_lifted(store: Store, event_id: int, by: str, reason: str) -> bool:
    """Set an active measure to lifted; False when it was not active (any more)."""
    with store.write():
        cursor = store.execute(
            "UPDATE measure_terms SET status = 'lifted', lifted_at = ?, lifted_by = ?,"
            " lift_reason = ? WHERE event_id = ? AND status = 'active'",
            (clock.now_iso(), by, reason, event_id))
    return cursor.rowcount == 1


def set_end(store: Store, event_id: int, ends_on: date | None) -> bool:
    with store.write():
        cursor = store.execute(
            "UPDATE measure_terms SET ends_on = ? WHERE event_id = ? AND status = 'active'",
            (ends_on.isoformat() if ends_on else None, event_id))
    return cursor.rowcount == 1


def record_timeline_entry(store: Store, incident_id: int, author: str, text: str,
                          measure: str, detail: dict) -> int:
    """A system or director entry about a measure's term (lifted, extended) on the
    dossier's timeline; kind 'measure', so it shows with the measure it concerns."""
    now = clock.now_iso()
    with store.write():
        cursor = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text,"
            " measure, detail) VALUES (?, 'measure', ?, ?, ?, ?, ?, ?)",
            (incident_id, now, now, author, text, measure,
             json.dumps(detail, ensure_ascii=False, sort_keys=True)))
        store.event_written(cursor.lastrowid)
    return cursor.lastrowid
