"""Incidents: the dossier of one person's behaviour in one school."""

from __future__ import annotations

from dataclasses import dataclass

from moderator import clock
from moderator.store import audit
from moderator.store.db import Store


@dataclass(frozen=True)
class IncidentRef:
    id: int
    number: str
    created: bool


def _next_number(store: Store) -> str:
    year = clock.now().year
    prefix = f"INC-{year}-"
    last = store.scalar(
        "SELECT number FROM incidents WHERE number LIKE ? ORDER BY number DESC LIMIT 1",
        (prefix + "%",))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def open_or_extend_incident(
    store: Store, *, school_id: str, group_id: str | None, person_id: str | None, actor: str,
) -> IncidentRef:
    """The person's open (not closed) incident in this school, or a new one.
    Call inside the deletion's transaction."""
    with store.write():
        found = store.row(
            "SELECT id, number FROM incidents WHERE school_id = ? AND person_id IS ?"
            " AND status != 'closed' ORDER BY id DESC LIMIT 1", (school_id, person_id))
        if found:
            return IncidentRef(found["id"], found["number"], created=False)
        number = _next_number(store)
        cursor = store.execute(
            "INSERT INTO incidents (number, school_id, group_id, person_id, opened_at, opened_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (number, school_id, group_id, person_id, clock.now_iso(), actor))
        audit.append(store, actor, "incident.open", f"incident:{number}",
                     {"person": person_id, "group": group_id}, school_id)
        return IncidentRef(cursor.lastrowid, number, created=True)
