"""Flags and the queue they feed.

``queue_items`` holds one row per item that has open flags, with what the console
shows and sorts on. Every function that opens or closes flags calls
:func:`refresh_queue` for the items it touched, inside the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from moderator import clock
from moderator.policy.catalogue import by_severity, severity
from moderator.refs import ItemRef
from moderator.store.db import Store
from moderator.store.worktime import DueCalculator
from moderator.text import one_line

EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Flag:
    id: int
    item: str
    school_id: str
    group_id: str
    source: str
    reason: str
    reporter_id: str | None
    reporter_name: str | None
    note: str | None
    evidence: list[dict]
    created_at: str
    status: str


def parse_item(item: str | ItemRef) -> tuple[str, str]:
    """(kind, id) of ``post:ID`` / ``comment:ID``; see :class:`moderator.refs.ItemRef`."""
    ref = ItemRef.parse(item)
    return ref.kind, ref.id


@dataclass(frozen=True)
class ItemPlace:
    """Where an item is (school, group), who wrote it and when, and its current text."""

    id: str
    group_id: str
    school_id: str
    author_id: str
    created_at: str
    title: str | None
    body: str | None
    deleted_at: str | None


def item_location(store: Store, item: str | ItemRef) -> ItemPlace | None:
    """School, group, author, time and text of an item (live or deleted)."""
    kind, item_id = parse_item(item)
    if kind == "post":
        row = store.row(
            "SELECT p.id, p.group_id, g.school_id, p.author_id, p.created_at, p.title, p.body,"
            " p.deleted_at FROM posts p JOIN groups g ON g.id = p.group_id WHERE p.id = ?",
            (item_id,))
    else:
        row = store.row(
            "SELECT c.id, p.group_id, g.school_id, c.author_id, c.created_at, NULL AS title,"
            " c.body, c.deleted_at FROM comments c JOIN posts p ON p.id = c.post_id"
            " JOIN groups g ON g.id = p.group_id WHERE c.id = ?", (item_id,))
    if row is None:
        return None
    return ItemPlace(row["id"], row["group_id"], row["school_id"], row["author_id"],
                     row["created_at"], row["title"], row["body"], row["deleted_at"])


def add_flag(
    store: Store, item: str, source: str, reason: str, *, created_at: str | None = None,
    reporter_id: str | None = None, report_id: str | None = None, note: str | None = None,
    evidence: list[dict] | None = None, refresh: bool = True,
) -> int | None:
    """Open a flag. A rule flag for the same item and reason is opened only once;
    returns None when nothing new was added."""
    where = item_location(store, item)
    if where is None:
        raise ValueError(f"onbekend item {item}")
    with store.write():
        cursor = store.execute(
            "INSERT OR IGNORE INTO flags (item, school_id, group_id, source, reason, report_id,"
            " reporter_id, note, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item, where.school_id, where.group_id, source, reason, report_id,
             reporter_id, note, json.dumps(evidence or [], ensure_ascii=False),
             created_at or clock.now_iso()))
        if refresh and cursor.rowcount:
            refresh_queue(store, [item])
    return cursor.lastrowid if cursor.rowcount else None


def flags_for(store: Store, item: str, status: str | None = "open") -> list[Flag]:
    sql = ("SELECT f.*, p.name AS reporter_name FROM flags f"
           " LEFT JOIN people p ON p.id = f.reporter_id WHERE f.item = ?")
    params: list = [item]
    if status is not None:
        sql += " AND f.status = ?"
        params.append(status)
    sql += " ORDER BY f.id"
    return [
        Flag(id=r["id"], item=r["item"], school_id=r["school_id"], group_id=r["group_id"],
             source=r["source"], reason=r["reason"], reporter_id=r["reporter_id"],
             reporter_name=r["reporter_name"], note=r["note"], evidence=json.loads(r["evidence"]),
             created_at=r["created_at"], status=r["status"])
        for r in store.rows(sql, params)
    ]


def close_flags(store: Store, item: str, status: str, actor: str, note: str | None) -> int:
    """Close every open flag of an item as 'dismissed' or 'resolved'."""
    with store.write():
        cursor = store.execute(
            "UPDATE flags SET status = ?, closed_at = ?, closed_by = ?, close_note = ?"
            " WHERE item = ? AND status = 'open'",
            (status, clock.now_iso(), actor, note, item))
        refresh_queue(store, [item])
    return cursor.rowcount


def drop_queue_row(store: Store, item: str) -> None:
    """Remove an item's queue row and its full-text entry (keyed by the same rowid, so
    the FTS delete is a lookup, not a scan of the whole index)."""
    with store.write():
        old = store.row("SELECT rowid FROM queue_items WHERE item = ?", (item,))
        if old is not None:
            store.execute("DELETE FROM queue_fts WHERE rowid = ?", (old[0],))
            store.execute("DELETE FROM queue_trigram WHERE rowid = ?", (old[0],))
            store.execute("DELETE FROM queue_tags WHERE item = ?", (item,))
            store.execute("DELETE FROM queue_items WHERE rowid = ?", (old[0],))


def refresh_queue(store: Store, items: Iterable[str]) -> None:
    """Recompute the queue rows of these items from their open flags."""
    deadlines = None
    with store.write():
        for item in set(items):
            drop_queue_row(store, item)
            open_flags = store.rows(
                "SELECT source, reason, created_at FROM flags WHERE item = ? AND status = 'open'",
                (item,))
            if not open_flags:
                continue
            where = item_location(store, item)
            if where is None or where.deleted_at:
                continue
            reasons = by_severity({f["reason"] for f in open_flags})
            sources = sorted({f["source"] for f in open_flags})
            text = " ".join(filter(None, [where.title, where.body]))
            kind, item_id = parse_item(item)
            if deadlines is None:
                deadlines = DueCalculator(store)
            flagged_at = min(f["created_at"] for f in open_flags)
            cursor = store.execute(
                "INSERT INTO queue_items (item, kind, item_id, school_id, group_id, author_id,"
                " created_at, severity, reasons, sources, n_reports, n_flags, excerpt,"
                " flagged_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item, kind, item_id, where.school_id, where.group_id, where.author_id,
                 where.created_at, severity(reasons), " ".join(reasons), " ".join(sources),
                 sum(1 for f in open_flags if f["source"] == "report"), len(open_flags),
                 one_line(text, EXCERPT_CHARS), flagged_at,
                 deadlines.due(where.school_id, flagged_at, reasons)))
            store.execute("INSERT INTO queue_fts (rowid, item, body) VALUES (?, ?, ?)",
                          (cursor.lastrowid, item, text))
            author = store.scalar("SELECT name FROM people WHERE id = ?", (where.author_id,))
            store.execute("INSERT INTO queue_trigram (rowid, body) VALUES (?, ?)",
                          (cursor.lastrowid, " ".join(filter(None, [text, author]))))
            tags = [f"reason:{r}" for r in reasons] + [f"source:{s}" for s in sources]
            store.executemany(
                "INSERT INTO queue_tags (item, tag, school_id, group_id, severity, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(item, tag, where.school_id, where.group_id, severity(reasons),
                  where.created_at) for tag in tags])
