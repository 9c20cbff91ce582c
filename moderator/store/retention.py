"""Retention, legal holds and destruction of incidents: the rows.

Retention term: the foundation setting ``retention_years`` (table ``settings``), default
:data:`DEFAULT_RETENTION_YEARS`. Dutch law sets no fixed term for these dossiers and no
sector selection list covers them; the common practice for pupil files is two years after
leaving, so that is the default. Closing an incident sets ``retention_until`` from it.

Destroying an incident removes its rows (timeline, hard copies, exports, the incident)
and the quoted text left in the flags, revisions, posts and comments of its deleted
items; a row in ``destructions`` records what, when, by whom, on what ground, and the
number and SHA-256 of the destroyed hard copies, so ``moderator verify`` can tell a
destroyed file from a missing one. Who may do this, the files, the legal hold check and
the audit log are :mod:`moderator.services.retention`'s work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from moderator import clock
from moderator.errors import NotFound
from moderator.store.db import Store
from moderator.store.flags import drop_queue_row

SETTING_KEY = "retention_years"
DEFAULT_RETENTION_YEARS = 2
MAX_RETENTION_YEARS = 30


# -- the retention term ---------------------------------------------------------------------


def retention_years(store: Store) -> int:
    """The foundation's retention term in years (setting ``retention_years``, default 2)."""
    value = store.scalar("SELECT value FROM settings WHERE key = ?", (SETTING_KEY,))
    try:
        years = int(value) if value is not None else DEFAULT_RETENTION_YEARS
    except ValueError:
        return DEFAULT_RETENTION_YEARS
    return years if years > 0 else DEFAULT_RETENTION_YEARS


def set_retention_years(store: Store, years: int) -> None:
    with store.write():
        store.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                      " DO UPDATE SET value = excluded.value", (SETTING_KEY, str(years)))


def retention_until(closed_at: datetime, years: int) -> str:
    """The moment a dossier closed at ``closed_at`` may be destroyed (29 Feb -> 28 Feb)."""
    try:
        until = closed_at.replace(year=closed_at.year + years)
    except ValueError:
        until = closed_at.replace(year=closed_at.year + years, day=28)
    return until.isoformat(timespec="seconds")


# -- incidents under retention --------------------------------------------------------------


@dataclass(frozen=True)
class RetentionIncident:
    id: int
    number: str
    school_id: str
    school_name: str
    status: str
    closed_at: str | None
    retention_until: str | None
    legal_hold: bool
    legal_hold_reason: str | None
    n_hardcopies: int
    expired: bool


@dataclass(frozen=True)
class Destruction:
    id: int
    incident_number: str
    school_id: str
    destroyed_at: str
    destroyed_by: str
    ground: str
    n_hardcopies: int
    hardcopy_sha256: tuple[str, ...]


@dataclass(frozen=True)
class DossierFile:
    """A hard copy (``item`` set) or an export of an incident, as the store records it."""

    path: str            # relative to store.archives
    sha256: str
    item: str | None = None


def _is_expired(row, now: datetime) -> bool:
    if row["status"] != "closed" or not row["retention_until"]:
        return False
    try:
        return clock.parse(row["retention_until"]) < now
    except ValueError:
        return False


_INCIDENT_SELECT = (
    "SELECT i.*, s.name AS school_name,"
    " (SELECT COUNT(*) FROM hardcopies h WHERE h.incident_id = i.id) AS n_hardcopies"
    " FROM incidents i JOIN schools s ON s.id = i.school_id"
)


def _retention_incident(row, now: datetime) -> RetentionIncident:
    return RetentionIncident(
        id=row["id"], number=row["number"], school_id=row["school_id"],
        school_name=row["school_name"], status=row["status"], closed_at=row["closed_at"],
        retention_until=row["retention_until"], legal_hold=bool(row["legal_hold"]),
        legal_hold_reason=row["legal_hold_reason"], n_hardcopies=row["n_hardcopies"],
        expired=_is_expired(row, now))


def find_incident(store: Store, incident: int | str) -> RetentionIncident:
    """One incident's retention state, by id or number; NotFound when there is none."""
    if isinstance(incident, int) or (isinstance(incident, str) and incident.isdigit()):
        row = store.row(_INCIDENT_SELECT + " WHERE i.id = ?", (int(incident),))
    else:
        row = store.row(_INCIDENT_SELECT + " WHERE i.number = ?", (str(incident).strip(),))
    if row is None:
        raise NotFound(f"Dossier {incident!r} bestaat niet.")
    return _retention_incident(row, clock.now())


def list_retention(store: Store, *, school_id: str | None = None) -> list[RetentionIncident]:
    """Incidents with their retention state: closed ones first by retention date."""
    sql = _INCIDENT_SELECT
    params: list = []
    if school_id:
        sql += " WHERE i.school_id = ?"
        params.append(school_id)
    sql += " ORDER BY i.status != 'closed', i.retention_until IS NULL, i.retention_until, i.number"
    now = clock.now()
    return [_retention_incident(r, now) for r in store.rows(sql, params)]


def set_legal_hold(store: Store, incident_id: int, *, hold: bool, reason: str | None) -> None:
    with store.write():
        store.execute("UPDATE incidents SET legal_hold = ?, legal_hold_reason = ? WHERE id = ?",
                      (1 if hold else 0, reason if hold else None, incident_id))


# -- destruction ----------------------------------------------------------------------------


def dossier_files(store: Store, incident_id: int) -> tuple[list[DossierFile], list[DossierFile]]:
    """(hard copies, exports) of an incident, in the order they were made."""
    hardcopies = [DossierFile(r["path"], r["sha256"], r["item"]) for r in store.rows(
        "SELECT item, path, sha256 FROM hardcopies WHERE incident_id = ? ORDER BY id",
        (incident_id,))]
    exports = [DossierFile(r["path"], r["sha256"]) for r in store.rows(
        "SELECT path, sha256 FROM exports WHERE incident_id = ? ORDER BY id", (incident_id,))]
    return hardcopies, exports


def erase_incident(store: Store, incident_id: int, items: list[str]) -> None:
    """Remove an incident's rows (timeline, hard copies, exports, the incident) and the
    text of its deleted items that flags, revisions, posts and comments still hold.
    Call after :func:`record_destruction`, in the same transaction: the append-only
    triggers let these rows go only for an incident with a destruction record."""
    with store.write():
        for item in items:
            store.execute("UPDATE flags SET evidence = '[]', note = NULL, close_note = NULL"
                          " WHERE item = ?", (item,))
            store.execute("UPDATE revisions SET title = NULL, body = NULL WHERE item = ?", (item,))
            drop_queue_row(store, item)
            kind, _, item_id = item.partition(":")
            if kind == "post":
                store.execute("UPDATE posts SET title = NULL, body = NULL WHERE id = ?"
                              " AND deleted_at IS NOT NULL", (item_id,))
            elif kind == "comment":
                store.execute("UPDATE comments SET body = NULL WHERE id = ?"
                              " AND deleted_at IS NOT NULL", (item_id,))
        store.execute("DELETE FROM incident_events WHERE incident_id = ?", (incident_id,))
        store.execute("DELETE FROM hardcopies WHERE incident_id = ?", (incident_id,))
        store.execute("DELETE FROM exports WHERE incident_id = ?", (incident_id,))
        store.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))


def record_destruction(store: Store, *, number: str, school_id: str, destroyed_at: str,
                       destroyed_by: str, ground: str, hardcopy_sha256: list[str]) -> int:
    """The destruction record (no personal data); returns its id."""
    with store.write():
        cursor = store.execute(
            "INSERT INTO destructions (incident_number, school_id, destroyed_at, destroyed_by,"
            " ground, n_hardcopies, hardcopy_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, school_id, destroyed_at, destroyed_by, ground, len(hardcopy_sha256),
             json.dumps(hardcopy_sha256)))
    return cursor.lastrowid


def _destruction(row) -> Destruction:
    return Destruction(
        id=row["id"], incident_number=row["incident_number"], school_id=row["school_id"],
        destroyed_at=row["destroyed_at"], destroyed_by=row["destroyed_by"], ground=row["ground"],
        n_hardcopies=row["n_hardcopies"],
        hardcopy_sha256=tuple(json.loads(row["hardcopy_sha256"] or "[]")))


def get_destruction(store: Store, destruction_id: int) -> Destruction:
    return _destruction(store.row("SELECT * FROM destructions WHERE id = ?", (destruction_id,)))


def list_destructions(store: Store) -> list[Destruction]:
    return [_destruction(r) for r in
            store.rows("SELECT * FROM destructions ORDER BY destroyed_at DESC, id DESC")]


def destroyed_hashes(store: Store) -> dict[str, str]:
    """SHA-256 of every destroyed hard copy -> the destroyed incident's number."""
    destroyed: dict[str, str] = {}
    for row in store.rows("SELECT incident_number, hardcopy_sha256 FROM destructions"):
        for digest in json.loads(row["hardcopy_sha256"] or "[]"):
            destroyed[digest] = row["incident_number"]
    return destroyed
