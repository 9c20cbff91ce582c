"""Who holds what: a queue item ('post:ID', 'comment:ID') or a dossier
('incident:INC-2026-0001') claimed by, or assigned to, one account.

A claim is one row keyed by its subject; taking one is ``INSERT OR IGNORE`` inside
the caller's write transaction, so of two consoles claiming the same item at once
exactly one wins and the other learns who holds it."""

from __future__ import annotations

from dataclasses import dataclass

from moderator import clock
from moderator.store.db import Store


@dataclass(frozen=True)
class Claim:
    subject: str
    school_id: str
    holder: str
    holder_name: str
    claimed_at: str
    claimed_by: str


_SELECT = ("SELECT c.*, coalesce(p.name, c.holder) AS holder_name FROM claims c"
           " LEFT JOIN accounts a ON a.username = c.holder"
           " LEFT JOIN people p ON p.id = a.person_id")


def _claim(row) -> Claim:
    return Claim(row["subject"], row["school_id"], row["holder"], row["holder_name"],
                 row["claimed_at"], row["claimed_by"])


def get_claim(store: Store, subject: str) -> Claim | None:
    row = store.row(_SELECT + " WHERE c.subject = ?", (subject,))
    return _claim(row) if row else None


def take(store: Store, subject: str, school_id: str, holder: str, by: str) -> bool:
    """Claim a free subject; False when somebody holds it already."""
    with store.write():
        cursor = store.execute(
            "INSERT OR IGNORE INTO claims (subject, school_id, holder, claimed_at, claimed_by)"
            " VALUES (?, ?, ?, ?, ?)", (subject, school_id, holder, clock.now_iso(), by))
    return cursor.rowcount == 1


def put(store: Store, subject: str, school_id: str, holder: str, by: str) -> None:
    """Give a subject to ``holder``, whoever held it before (an assignment)."""
    with store.write():
        store.execute(
            "INSERT INTO claims (subject, school_id, holder, claimed_at, claimed_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(subject) DO UPDATE SET holder = excluded.holder,"
            " claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by",
            (subject, school_id, holder, clock.now_iso(), by))


def drop(store: Store, subject: str, holder: str) -> bool:
    """Hand a subject back; False when ``holder`` did not hold it (any more)."""
    with store.write():
        cursor = store.execute("DELETE FROM claims WHERE subject = ? AND holder = ?",
                               (subject, holder))
    return cursor.rowcount == 1


def held_by(store: Store, holder: str, prefix: str | None = None) -> list[Claim]:
    sql, params = _SELECT + " WHERE c.holder = ?", [holder]
    if prefix:
        sql += " AND c.subject LIKE ?"
        params.append(prefix + "%")
    return [_claim(r) for r in store.rows(sql + " ORDER BY c.claimed_at, c.subject", params)]


@dataclass(frozen=True)
class Colleague:
    username: str
    name: str
    role: str
    admin_groups: frozenset[str]


def colleagues(store: Store, school_id: str) -> list[Colleague]:
    """The school's enabled staff accounts, by name, with the groups they administer."""
    rows = store.rows(
        "SELECT a.username, a.role, coalesce(p.name, a.username) AS name,"
        " (SELECT group_concat(ga.group_id, ' ') FROM group_admins ga"
        "  WHERE ga.person_id = a.person_id) AS groups"
        " FROM accounts a LEFT JOIN people p ON p.id = a.person_id"
        " WHERE a.school_id = ? AND a.disabled = 0 AND a.role IN ('teacher', 'director')"
        " ORDER BY name, a.username", (school_id,))
    return [Colleague(r["username"], r["name"], r["role"],
                      frozenset((r["groups"] or "").split())) for r in rows]
