"""The access log (who viewed or exported which dossier or person's data, and when) and
the reads of both logs that the AVG coordinator's work needs.

The audit log itself (append-only, hash-chained) is :mod:`moderator.store.audit`; this
module writes access log lines and reads pages of the access log, and looks up the
names and incident numbers the log screens show. Who may read is decided by
``moderator.services.audit_log``; nothing here checks a role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moderator import clock
from moderator.store.db import Store
from moderator.store.paging import newest_first

if TYPE_CHECKING:
    from moderator.policy.access import Actor


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: str
    actor: str
    action: str
    incident_id: int | None
    person_id: str | None
    detail: dict[str, Any]


def log_access(
    store: Store, actor: Actor, action: str, *, incident_id: int | None = None,
    person_id: str | None = None, detail: dict[str, Any] | None = None,
) -> None:
    """Record a read of personal data (``action``: 'view', 'export', 'subject_export', ...)."""
    with store.write():
        store.execute(
            "INSERT INTO access_log (at, actor, action, incident_id, person_id, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (clock.now_iso(), actor.username, action, incident_id, person_id,
             json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)))


def access_entries(
    store: Store, *, incident: int | str | None = None, person_id: str | None = None,
    actor_name: str | None = None, action: str | None = None, since: str | None = None,
    until: str | None = None, limit: int = 200, before_id: int | None = None,
) -> list[AccessEntry]:
    """Access log lines newest first, filtered. ``incident``: an incident number or id;
    the lines of a destroyed incident match by the number kept in their detail."""
    where: list[str] = []
    params: list[Any] = []
    if incident not in (None, ""):
        number = str(incident).strip()
        found = store.row("SELECT id, number FROM incidents WHERE number = ? OR id = ?",
                          (number, int(number) if number.isdigit() else -1))
        if found is not None:
            where.append("(incident_id = ? OR json_extract(detail, '$.incident') = ?)")
            params += [found["id"], found["number"]]
        else:
            where.append("json_extract(detail, '$.incident') = ?")
            params.append(number)
    rows = newest_first(
        store, "access_log", "id", where=where, params=params, since=since, until=until,
        before=before_id, limit=limit,
        equals=(("person_id", person_id), ("actor", actor_name), ("action", action)))
    return [AccessEntry(id=r["id"], at=r["at"], actor=r["actor"], action=r["action"],
                        incident_id=r["incident_id"], person_id=r["person_id"],
                        detail=json.loads(r["detail"] or "{}")) for r in rows]


def display_names(store: Store, keys: set[str]) -> dict[str, str]:
    """Real names for account names and person ids in the logs (display only); a key
    with no name is left out, so callers fall back to the key."""
    keys = {k for k in keys if k}
    if not keys:
        return {}
    found: dict[str, str] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT id, name FROM people WHERE id IN ({marks})", chunk):
            found[r["id"]] = r["name"]
        for r in store.rows(
                f"SELECT a.username, a.role, p.name FROM accounts a LEFT JOIN people p"
                f" ON p.id = a.person_id WHERE a.username IN ({marks})", chunk):
            if r["name"]:
                found[r["username"]] = r["name"]
            elif r["role"] == "avg":
                found[r["username"]] = f"AVG-coördinator ({r['username']})"
    return found


def incident_numbers(store: Store, ids: set[int]) -> dict[int, str]:
    """Incident numbers for access log lines (display only)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r["number"] for r in
            store.rows(f"SELECT id, number FROM incidents WHERE id IN ({marks})", sorted(ids))}


def scrub_incident(store: Store, incident_id: int, number: str) -> None:
    """Keep the access log lines about a destroyed incident (who looked, when) without
    personal data: the incident's number stays in the detail."""
    store.execute("UPDATE access_log SET incident_id = NULL, person_id = NULL, detail = ?"
                  " WHERE incident_id = ?",
                  (json.dumps({"incident": number, "destroyed": True}, sort_keys=True),
                   incident_id))
