"""What ``moderator verify`` compares with the audit chain: content hashes of dossier
entries, the rows of the archive tables, destruction records, settings and the
append-only triggers, read as plain frozen dataclasses.

The chain holds ids and hashes only (no personal data): a timeline entry is chained as
its id and :func:`event_sha256` (``chained_events`` in the audit entry of the transaction
that wrote it, see :meth:`moderator.store.db.Store.event_written`), a hard copy, export
or letter as its path, size and SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from moderator.store import audit
from moderator.store.db import Store, _split_sql
from moderator.store.schema import MIGRATIONS

_EVENT_FIELDS = ("id", "incident_id", "kind", "at", "recorded_at", "author", "participants",
                 "text", "measure", "refers_to", "detail")


def event_sha256(row: Any) -> str:
    """The content hash of one timeline entry (every column, canonical JSON)."""
    values = [row[name] for name in _EVENT_FIELDS]
    return hashlib.sha256(audit.canonical(values).encode("utf-8")).hexdigest()


def event_digest(store: Store, event_id: int) -> str:
    """The content hash of the stored entry ``event_id`` (call right after inserting it,
    inside the same transaction, and put it in the audit entry)."""
    row = store.row("SELECT * FROM incident_events WHERE id = ?", (event_id,))
    if row is None:
        raise LookupError(f"incident event {event_id} not found")
    return event_sha256(row)


def text_sha256(value: str | None) -> str | None:
    """A free text as the chain keeps it: its hash, never the text (None stays None)."""
    if value is None:
        return None
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    id: int
    incident_id: int
    incident_number: str | None
    sha256: str


@dataclass(frozen=True)
class StoredFile:
    table: str            # 'hardcopies', 'exports' or 'letters'
    id: int
    incident_number: str | None
    item: str | None
    path: str
    size: int
    sha256: str
    item_sha256: str | None


@dataclass(frozen=True)
class StoredDestruction:
    id: int
    incident_number: str


def stored_events(store: Store) -> list[StoredEvent]:
    return [StoredEvent(r["id"], r["incident_id"], r["number"], event_sha256(r))
            for r in store.rows("SELECT e.*, i.number AS number FROM incident_events e"
                                " LEFT JOIN incidents i ON i.id = e.incident_id ORDER BY e.id")]


def stored_files(store: Store) -> list[StoredFile]:
    files = [StoredFile("hardcopies", r["id"], r["number"], r["item"], r["path"], r["size"],
                        r["sha256"], r["item_sha256"])
             for r in store.rows("SELECT h.*, i.number AS number FROM hardcopies h"
                                 " LEFT JOIN incidents i ON i.id = h.incident_id ORDER BY h.id")]
    files += [StoredFile("exports", r["id"], r["number"], None, r["path"], r["size"],
                         r["sha256"], None)
              for r in store.rows("SELECT x.*, i.number AS number FROM exports x"
                                  " LEFT JOIN incidents i ON i.id = x.incident_id ORDER BY x.id")]
    files += [StoredFile("letters", r["id"], r["number"], r["item"], r["pdf_path"], r["size"],
                         r["sha256"], None)
              for r in store.rows("SELECT l.*, i.number AS number FROM letters l"
                                  " LEFT JOIN incidents i ON i.id = l.incident_id ORDER BY l.id")]
    return files


@dataclass(frozen=True)
class StoredIncident:
    number: str
    status: str
    retention_until: str | None
    outcome_sha256: str | None
    legal_hold: bool


def stored_incidents(store: Store) -> list[StoredIncident]:
    return [StoredIncident(r["number"], r["status"], r["retention_until"],
                           text_sha256(r["outcome"]), bool(r["legal_hold"]))
            for r in store.rows("SELECT number, status, retention_until, outcome, legal_hold"
                                " FROM incidents ORDER BY id")]


def stored_destructions(store: Store) -> list[StoredDestruction]:
    return [StoredDestruction(r["id"], r["incident_number"])
            for r in store.rows("SELECT id, incident_number FROM destructions ORDER BY id")]


def stored_settings(store: Store) -> dict[str, str]:
    return {r["key"]: r["value"] for r in store.rows("SELECT key, value FROM settings")}


def file_count(store: Store) -> int:
    """Rows in hardcopies, exports and letters (to size a progress bar)."""
    return store.scalar("SELECT (SELECT count(*) FROM hardcopies) + (SELECT count(*) FROM exports)"
                        " + (SELECT count(*) FROM letters)") or 0


def intent_paths(store: Store) -> set[str]:
    """Hard copy paths of deletions in progress (their temp file may exist)."""
    return {r["path"] for r in store.rows("SELECT path FROM delete_intents WHERE path IS NOT NULL")}


# -- the append-only triggers ---------------------------------------------------------------

def _normalise(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").strip().lower()


_TRIGGER_NAME = re.compile(r"^\s*(CREATE|DROP)\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)", re.I)


def expected_triggers() -> dict[str, str]:
    """Every trigger the migrations leave in place: name -> normalised SQL."""
    found: dict[str, str] = {}
    for script in MIGRATIONS:
        for statement in _split_sql(script):
            lines = [ln for ln in statement.splitlines() if not ln.strip().startswith("--")]
            text = "\n".join(lines).strip()
            match = _TRIGGER_NAME.match(text)
            if not match:
                continue
            verb, name = match.group(1).upper(), match.group(2)
            if verb == "DROP":
                found.pop(name, None)
            else:
                found[name] = _normalise(text)
    return found


def trigger_problems(store: Store) -> list[tuple[str, str]]:
    """(trigger name, Dutch problem) for every append-only trigger that is missing or
    no longer the one the migrations created."""
    present = {r["name"]: _normalise(r["sql"] or "") for r in store.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    problems = []
    for name, sql in sorted(expected_triggers().items()):
        if name not in present:
            problems.append((name, "ontbreekt (de bescherming tegen wijzigen is weg)"))
        elif present[name] != sql:
            problems.append((name, "is vervangen door een andere versie"))
    return problems


# -- sealing what was written before entries carried hashes ----------------------------------

def seal_existing(store: Store) -> None:
    """Put the hash of every existing timeline entry into the chain (one entry), so a
    database from before content hashes is verifiable from now on. Run once, by the
    migration that introduced the hashes; nothing is appended when there are no entries."""
    try:
        rows = store.rows("SELECT * FROM incident_events ORDER BY id")
    except sqlite3.OperationalError:
        return
    if not rows:
        return
    numbers = {r["id"]: r["number"] for r in store.rows("SELECT id, number FROM incidents")}
    audit.append(store, "system", "integrity.seal", "incident_events",
                 {"events": [[r["id"], event_sha256(r), numbers.get(r["incident_id"])]
                             for r in rows]})
