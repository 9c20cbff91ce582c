"""The rows a deletion writes: intents, hard copies, the deleted item, the dossier event.

The order in which these are called (intent, durable hard copy, one final transaction)
is :mod:`moderator.services.deletion`'s business; this module only reads and writes
the tables. Every function that writes joins the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from moderator import clock
from moderator.refs import ItemRef
from moderator.store import incidents
from moderator.store.db import Store


@dataclass(frozen=True)
class Intent:
    """A deletion that was started: the hard copy ``path`` (relative to the archive)
    is, or was about to be, written."""

    id: int
    item: str
    actor: str
    reason: str
    note: str | None
    path: str | None
    created_at: str
    incident_number: str | None


def _intent(row) -> Intent:
    number = row["incident_number"]
    if number is None and row["path"]:
        # An intent written before the number was recorded: the hard copy's folder
        # (school/year/number/file) is named after it.
        parts = PurePosixPath(row["path"]).parts
        number = parts[2] if len(parts) > 3 else None
    return Intent(row["id"], row["item"], row["actor"], row["reason"], row["note"],
                  row["path"], row["created_at"], number)


# -- intents ----------------------------------------------------------------------------------

def has_intents(store: Store) -> bool:
    """True when some deletion was started and not finished (or is running now)."""
    return store.scalar("SELECT 1 FROM delete_intents LIMIT 1") is not None


def intent_pending(store: Store, item: str, path: str | None = None) -> bool:
    """Is a deletion of ``item`` (with this hard copy path, when given) in progress?"""
    if path is None:
        return store.row("SELECT 1 FROM delete_intents WHERE item = ?", (item,)) is not None
    return store.row("SELECT 1 FROM delete_intents WHERE item = ? AND path = ?",
                     (item, path)) is not None


def intents(store: Store) -> list[Intent]:
    """Every pending intent, oldest first."""
    return [_intent(r) for r in store.rows("SELECT * FROM delete_intents ORDER BY id")]


def add_intent(store: Store, *, item: str, actor: str, reason: str, note: str | None,
               path: str, created_at: str, incident_number: str) -> None:
    with store.write():
        store.execute(
            "INSERT INTO delete_intents (item, actor, reason, note, path, created_at,"
            " incident_number) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item, actor, reason, note, path, created_at, incident_number))


def drop_intent(store: Store, item: str) -> None:
    with store.write():
        store.execute("DELETE FROM delete_intents WHERE item = ?", (item,))


# -- the incident a deletion goes to ------------------------------------------------------

def predicted_incident_number(store: Store, school_id: str, person_id: str | None) -> str:
    """The number the person's incident will have when the deletion commits: their open
    incident in this school, or the next free number."""
    found = store.scalar(
        "SELECT number FROM incidents WHERE school_id = ? AND person_id IS ?"
        " AND status != 'closed' ORDER BY id DESC LIMIT 1", (school_id, person_id))
    return found or incidents.next_number(store)


def add_deletion_event(store: Store, incident_id: int, *, at: str, author: str, text: str,
                       detail: dict) -> None:
    with store.write():
        cursor = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text,"
            " detail) VALUES (?, 'deletion', ?, ?, ?, ?, ?)",
            (incident_id, at, clock.now_iso(), author, text,
             json.dumps(detail, ensure_ascii=False, sort_keys=True)))
        store.event_written(cursor.lastrowid)


# -- hard copies ------------------------------------------------------------------------------

def add_hardcopy(store: Store, *, incident_id: int, item: str, path: str, size: int,
                 sha256: str, item_sha256: str, reason: str, note: str | None,
                 created_by: str, created_at: str, audit_seq: int, audit_hash: str) -> int:
    with store.write():
        cursor = store.execute(
            "INSERT INTO hardcopies (incident_id, item, path, size, sha256, item_sha256, reason,"
            " note, created_by, created_at, audit_seq, audit_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, item, path, size, sha256, item_sha256, reason, note, created_by,
             created_at, audit_seq, audit_hash))
        return int(cursor.lastrowid)


def hardcopy_recorded(store: Store, path: str) -> bool:
    return store.row("SELECT 1 FROM hardcopies WHERE path = ?", (path,)) is not None


def archived_paths(store: Store) -> set[str]:
    """Every archive file a row refers to (hard copies, dossier exports and letters)."""
    return {r[0] for r in store.rows("SELECT path FROM hardcopies UNION SELECT path FROM exports"
                                     " UNION SELECT pdf_path FROM letters")}


# -- the item itself --------------------------------------------------------------------------

def live_comments(store: Store, post_id: str) -> list[str]:
    """Ids of a post's comments that are not deleted, in id order."""
    return [r[0] for r in store.rows(
        "SELECT id FROM comments WHERE post_id = ? AND deleted_at IS NULL ORDER BY id",
        (post_id,))]


def mark_post_deleted(store: Store, post_id: str, *, deleted_at: str, deleted_by: str) -> None:
    """The post is deleted and its text (current and every revision) removed."""
    with store.write():
        store.execute("UPDATE posts SET deleted_at = ?, deleted_by = ?, body = NULL,"
                      " title = NULL WHERE id = ?", (deleted_at, deleted_by, post_id))
        store.execute("UPDATE revisions SET body = NULL, title = NULL WHERE item = ?",
                      (str(ItemRef.post(post_id)),))


def mark_comment_deleted(store: Store, comment_id: str, *, deleted_at: str,
                         deleted_by: str) -> None:
    """The comment is deleted and its text (current and every revision) removed."""
    with store.write():
        store.execute("UPDATE comments SET deleted_at = ?, deleted_by = ?, body = NULL"
                      " WHERE id = ?", (deleted_at, deleted_by, comment_id))
        store.execute("UPDATE revisions SET body = NULL WHERE item = ?",
                      (str(ItemRef.comment(comment_id)),))


def parent_post(store: Store, item: str) -> str | None:
    """'post:ID' of a comment's post (None for a post or an unknown comment)."""
    kind, _, item_id = item.partition(":")
    if kind != "comment":
        return None
    found = store.scalar("SELECT post_id FROM comments WHERE id = ?", (item_id,))
    return f"post:{found}" if found is not None else None
