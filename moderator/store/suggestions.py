"""Word suggestions: words a moderator marked on a deleted item that no detector had
flagged (see moderator.services.learning). Plain storage; checks live in the service."""

from __future__ import annotations

import json
from dataclasses import dataclass

from moderator import clock
from moderator.store.db import Store


@dataclass(frozen=True)
class Suggestion:
    id: int
    school_id: str
    item: str
    reason: str
    words: tuple[str, ...]
    suggested_by: str
    suggested_at: str
    status: str
    provision_id: int | None


def _suggestion(row) -> Suggestion:
    return Suggestion(row["id"], row["school_id"], row["item"], row["reason"],
                      tuple(json.loads(row["words"])), row["suggested_by"],
                      row["suggested_at"], row["status"], row["provision_id"])


def add(store: Store, school_id: str, item: str, reason: str, words: list[str],
        username: str) -> Suggestion:
    cursor = store.execute(
        "INSERT INTO word_suggestions (school_id, item, reason, words, suggested_by,"
        " suggested_at) VALUES (?, ?, ?, ?, ?, ?)",
        (school_id, item, reason, json.dumps(words, ensure_ascii=False), username,
         clock.now_iso()))
    return get(store, cursor.lastrowid)


def get(store: Store, suggestion_id: int) -> Suggestion | None:
    rows = store.rows("SELECT * FROM word_suggestions WHERE id = ?", (suggestion_id,))
    return _suggestion(rows[0]) if rows else None


def open_for_school(store: Store, school_id: str) -> list[Suggestion]:
    return [_suggestion(r) for r in store.rows(
        "SELECT * FROM word_suggestions WHERE school_id = ? AND status = 'open' ORDER BY id",
        (school_id,))]


def mark_adopted(store: Store, ids: list[int], provision_id: int) -> None:
    store.executemany("UPDATE word_suggestions SET status = 'adopted', provision_id = ?"
                      " WHERE id = ?", [(provision_id, i) for i in ids])


def rule_flagged(store: Store, item: str) -> bool:
    """Whether a detector ever flagged the item (open, dismissed or resolved)."""
    return store.scalar("SELECT 1 FROM flags WHERE item = ? AND source = 'rule' LIMIT 1",
                        (item,)) is not None


def item_school(store: Store, item: str) -> tuple[str, str, bool] | None:
    """(school, group, deleted) of 'post:ID' / 'comment:ID', or None."""
    kind, _, item_id = item.partition(":")
    if kind == "post":
        sql = ("SELECT g.school_id, g.id AS group_id, p.deleted_at FROM posts p"
               " JOIN groups g ON g.id = p.group_id WHERE p.id = ?")
    elif kind == "comment":
        sql = ("SELECT g.school_id, g.id AS group_id, c.deleted_at FROM comments c"
               " JOIN posts p ON p.id = c.post_id JOIN groups g ON g.id = p.group_id"
               " WHERE c.id = ?")
    else:
        return None
    rows = store.rows(sql, (item_id,))
    if not rows:
        return None
    return rows[0]["school_id"], rows[0]["group_id"], rows[0]["deleted_at"] is not None


def school_names(store: Store, school_id: str) -> list[str]:
    """Every pupil's and person's name of the school (for the personal-data check)."""
    return [r["name"] for r in store.rows(
        "SELECT name FROM pupils WHERE school_id = ? UNION SELECT name FROM people"
        " WHERE school_id = ?", (school_id, school_id))]


def missed_deletions(store: Store, school_id: str | None = None) -> dict[str, tuple[int, int]]:
    """Per reason of deletion: (deletions, of which no detector had flagged the item)."""
    where, params = "", []
    if school_id is not None:
        where, params = "WHERE i.school_id = ?", [school_id]
    out: dict[str, tuple[int, int]] = {}
    for r in store.rows(
            "SELECT h.reason, COUNT(DISTINCT h.item) AS n, COUNT(DISTINCT CASE WHEN NOT EXISTS"
            " (SELECT 1 FROM flags f WHERE f.item = h.item AND f.source = 'rule')"
            " THEN h.item END) AS missed FROM hardcopies h"
            f" JOIN incidents i ON i.id = h.incident_id {where} GROUP BY h.reason", params):
        out[r["reason"]] = (r["n"], r["missed"])
    return out
