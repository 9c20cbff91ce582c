"""A group's traffic as the group checks read it: the groups, posts per group per day,
and staff messages outside working hours. The checks themselves are
:mod:`moderator.policy.groupchecks`. Aggregation happens in SQL, so a million posts cost
one pass over the posts index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from moderator.store.db import Store


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    school_id: str


@dataclass(frozen=True)
class StaffMessage:
    """A post or comment by staff outside the school's working hours or at the weekend."""

    item: str
    kind: str                 # 'post' | 'comment'
    group_id: str
    group_name: str
    school_id: str
    created_at: str
    author: str
    work_start: str
    work_end: str


def _school_filter(school_id: str | None) -> tuple[list[str], list]:
    return (["g.school_id = ?"], [school_id]) if school_id is not None else ([], [])


def groups(store: Store, school_id: str | None = None, *,
           except_kinds: Sequence[str] = ()) -> list[Group]:
    """Every group (of one school), by school, name and id; ``except_kinds`` leaves out
    groups of those kinds (e.g. the parents' ``community`` group)."""
    where, params = _school_filter(school_id)
    if except_kinds:
        where.append(f"g.kind NOT IN ({','.join('?' * len(except_kinds))})")
        params = [*params, *except_kinds]
    sql = "SELECT g.id, g.name, g.school_id FROM groups g"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [Group(r["id"], r["name"], r["school_id"])
            for r in store.rows(sql + " ORDER BY g.school_id, g.name, g.id", params)]


def posts_per_day(store: Store, school_id: str | None = None, *,
                  author_roles: Sequence[str] = ()) -> list[tuple[str, str, int]]:
    """(group id, day 'YYYY-MM-DD' as written, number of live posts) for every day with
    posts; with ``author_roles`` only posts by people with one of those roles."""
    where, params = _school_filter(school_id)
    where.append("p.deleted_at IS NULL")
    sql = ("SELECT p.group_id, substr(p.created_at, 1, 10) AS day, COUNT(*) AS n FROM posts p"
           " JOIN groups g ON g.id = p.group_id")
    if author_roles:
        sql += " JOIN people pe ON pe.id = p.author_id"
        where.append(f"pe.role IN ({','.join('?' * len(author_roles))})")
        params = [*params, *author_roles]
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [(r["group_id"], r["day"], r["n"])
            for r in store.rows(sql + " GROUP BY p.group_id, day", params)]


_MESSAGES = {
    "post": ("SELECT 'post:' || p.id AS item, p.group_id, p.created_at, p.author_id"
             " FROM posts p"),
    "comment": ("SELECT 'comment:' || c.id AS item, p.group_id, c.created_at, c.author_id"
                " FROM comments c JOIN posts p ON p.id = c.post_id"),
}


def staff_messages_off_hours(store: Store, roles: Sequence[str], since: date, until: date,
                             school_id: str | None = None) -> list[StaffMessage]:
    """Posts, then comments, by people with one of ``roles`` from ``since`` up to (not
    including) ``until``, written before the school's ``work_start``, from its
    ``work_end``, or at the weekend; each kind by school and time."""
    out: list[StaffMessage] = []
    marks = ",".join("?" * len(roles))
    for kind, sql in _MESSAGES.items():
        where = [f"pe.role IN ({marks})",
                 "(substr(x.created_at, 12, 5) < s.work_start"
                 " OR substr(x.created_at, 12, 5) >= s.work_end"
                 " OR strftime('%w', substr(x.created_at, 1, 10)) IN ('0', '6'))",
                 "substr(x.created_at, 1, 10) >= ?", "substr(x.created_at, 1, 10) < ?"]
        params: list = [*roles, since.isoformat(), until.isoformat()]
        more, more_params = _school_filter(school_id)
        where += more
        params += more_params
        rows = store.rows(
            f"SELECT x.item, x.group_id, g.name AS group_name, g.school_id, x.created_at,"
            f" pe.name AS author, s.work_start, s.work_end FROM ({sql}) x"
            " JOIN groups g ON g.id = x.group_id JOIN schools s ON s.id = g.school_id"
            f" JOIN people pe ON pe.id = x.author_id WHERE {' AND '.join(where)}"
            " ORDER BY g.school_id, x.created_at", params)
        out += [StaffMessage(r["item"], kind, r["group_id"], r["group_name"], r["school_id"],
                             r["created_at"], r["author"], r["work_start"], r["work_end"])
                for r in rows]
    return out
