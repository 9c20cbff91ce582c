"""Small reads the console needs that no other store module owns.

* :func:`data_version`: a cheap token that changes whenever another connection (a
  second console, the CLI, an import) commits to the database, so an open queue can
  refresh itself without a restart.
* :func:`author_incidents`: a person's earlier incidents, limited to what the actor
  may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator.policy.access import AVG, DIRECTOR, SCHOOL_ADMIN, TEACHER, Actor
from moderator.store.db import Store


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    number: str
    status: str
    level: str
    group_id: str | None
    group_name: str | None
    opened_at: str
    closed_at: str | None
    n_hardcopies: int


def data_version(store: Store) -> tuple[int, int]:
    """(``PRAGMA data_version``, newest audit sequence).

    ``data_version`` changes when another connection commits; the audit head changes
    with every state change, including our own. Both are index-cheap."""
    version = store.scalar("PRAGMA data_version") or 0
    head = store.scalar("SELECT max(seq) FROM audit_log") or 0
    return (int(version), int(head))


def author_incidents(store: Store, actor: Actor, person_id: str, *,
                     limit: int = 20) -> list[IncidentSummary]:
    """The incidents about ``person_id`` the actor may see, newest first.

    A director (or school admin) sees those of their school, a teacher those of the
    groups they administer, the AVG coordinator all; anyone else nothing."""
    where = ["i.person_id = ?"]
    params: list = [person_id]
    if actor.role in (DIRECTOR, SCHOOL_ADMIN):
        where.append("i.school_id = ?")
        params.append(actor.school_id)
    elif actor.role == TEACHER:
        groups = sorted(actor.admin_groups)
        if not groups:
            return []
        where.append("i.school_id = ?")
        params.append(actor.school_id)
        where.append(f"i.group_id IN ({', '.join('?' * len(groups))})")
        params.extend(groups)
    elif actor.role != AVG:
        return []
    rows = store.rows(
        "SELECT i.id, i.number, i.status, i.level, i.group_id, g.name AS group_name,"
        " i.opened_at, i.closed_at,"
        " (SELECT count(*) FROM hardcopies h WHERE h.incident_id = i.id) AS n_hardcopies"
        " FROM incidents i LEFT JOIN groups g ON g.id = i.group_id"
        " WHERE " + " AND ".join(where) + " ORDER BY i.opened_at DESC, i.id DESC LIMIT ?",
        [*params, limit])
    return [
        IncidentSummary(id=r["id"], number=r["number"], status=r["status"], level=r["level"],
                        group_id=r["group_id"], group_name=r["group_name"],
                        opened_at=r["opened_at"], closed_at=r["closed_at"],
                        n_hardcopies=r["n_hardcopies"])
        for r in rows
    ]
