"""Objections: a parent's objection to a photo of their child, to a removal or to a
measure, recorded in the dossier and decided within the foundation's term."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from moderator import clock
from moderator.store.db import Store

SUBJECTS = {"photo": "een foto van hun kind", "removal": "een verwijdering",
            "measure": "een maatregel"}
DECISIONS = {"upheld": "gegrond", "rejected": "ongegrond"}
TERM_KEY = "objection_term_days"
DEFAULT_TERM_DAYS = 42           # six weeks, as for an objection to a public body's decision


@dataclass(frozen=True)
class Objection:
    id: int
    incident_id: int
    incident_number: str
    school_id: str
    subject: str
    received_on: date
    due_on: date
    text: str
    recorded_by: str
    decision: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: str | None

    @property
    def subject_label(self) -> str:
        return SUBJECTS.get(self.subject, self.subject)

    @property
    def decided_on(self) -> date | None:
        return clock.local(clock.parse(self.decided_at)).date() if self.decided_at else None

    def late(self, today: date) -> bool:
        """Decided after its term, or still open past it."""
        return (self.decided_on or today) > self.due_on


_SELECT = ("SELECT o.*, i.number AS incident_number FROM objections o"
           " JOIN incidents i ON i.id = o.incident_id")


def _objection(r) -> Objection:
    return Objection(r["id"], r["incident_id"], r["incident_number"], r["school_id"],
                     r["subject"], date.fromisoformat(r["received_on"]),
                     date.fromisoformat(r["due_on"]), r["text"], r["recorded_by"],
                     r["decision"], r["decision_reason"], r["decided_by"], r["decided_at"])


def term_days(store: Store) -> int:
    value = store.scalar("SELECT value FROM settings WHERE key = ?", (TERM_KEY,))
    try:
        days = int(value) if value is not None else DEFAULT_TERM_DAYS
    except ValueError:
        return DEFAULT_TERM_DAYS
    return days if days > 0 else DEFAULT_TERM_DAYS


def set_term_days(store: Store, days: int) -> None:
    with store.write():
        store.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                      " DO UPDATE SET value = excluded.value", (TERM_KEY, str(days)))


def add(store: Store, *, incident_id: int, school_id: str, subject: str, received_on: date,
        due_on: date, text: str, by: str) -> int:
    now = clock.now_iso()
    with store.write():
        event = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text, detail)"
            " VALUES (?, 'note', ?, ?, ?, ?, ?)",
            (incident_id, received_on.isoformat(), now, by,
             f"Bezwaar tegen {SUBJECTS[subject]} (ontvangen"
             f" {clock.display(received_on.isoformat())}, beslissen uiterlijk"
             f" {clock.display(due_on.isoformat())}): {text}",
             json.dumps({"objection": subject}))).lastrowid
        store.event_written(event)
        cursor = store.execute(
            "INSERT INTO objections (incident_id, school_id, subject, received_on, due_on, text,"
            " recorded_by, recorded_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, school_id, subject, received_on.isoformat(), due_on.isoformat(), text,
             by, now, event))
    return cursor.lastrowid


def get(store: Store, objection_id: int) -> Objection | None:
    row = store.row(_SELECT + " WHERE o.id = ?", (objection_id,))
    return _objection(row) if row else None


def for_incident(store: Store, incident_id: int) -> list[Objection]:
    return [_objection(r) for r in store.rows(_SELECT + " WHERE o.incident_id = ? ORDER BY o.id",
                                              (incident_id,))]


def open_for_school(store: Store, school_id: str) -> list[Objection]:
    return [_objection(r) for r in store.rows(
        _SELECT + " WHERE o.school_id = ? AND o.decision IS NULL ORDER BY o.due_on, o.id",
        (school_id,))]


def decide(store: Store, objection: Objection, decision: str, reason: str, by: str,
           late: bool) -> bool:
    """Record the decision once; False when it was decided already."""
    now = clock.now_iso()
    with store.write():
        cursor = store.execute(
            "UPDATE objections SET decision = ?, decision_reason = ?, decided_by = ?,"
            " decided_at = ? WHERE id = ? AND decision IS NULL",
            (decision, reason, by, now, objection.id))
        if cursor.rowcount != 1:
            return False
        text = (f"Besluit op bezwaar tegen {objection.subject_label}: {DECISIONS[decision]}."
                + (" Te laat: de termijn liep tot"
                   f" {clock.display(objection.due_on.isoformat())}." if late else "")
                + f" Reden: {reason}")
        event = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text, detail)"
            " VALUES (?, 'note', ?, ?, ?, ?, ?)",
            (objection.incident_id, now, now, by, text,
             json.dumps({"objection_decision": decision, "late": late}))).lastrowid
        store.event_written(event)
        store.execute("UPDATE objections SET decision_event_id = ? WHERE id = ?",
                      (event, objection.id))
    return True
