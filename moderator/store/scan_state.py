"""What the detectors read and what a scan records: the text of posts and comments that
are not scanned at their latest revision, the rosters of pupil names, and marking items
scanned. The scan itself is :mod:`moderator.services.scanning`.

An item needs a scan when its ``scanned_rev`` is behind its latest revision (rev 1 is
the text first seen).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NamedTuple

from moderator.store.db import Store


class ScanRow(NamedTuple):
    """One live post or comment as the detectors see it (a named tuple: a scan makes
    one per item, and a frozen dataclass costs several times more to build)."""

    kind: str                 # 'post' | 'comment'
    id: str
    group_id: str
    school_id: str
    group_kind: str
    created_at: str
    title: str | None
    body: str | None
    scanned_rev: int
    author_id: str | None
    comments_enabled: int     # the post's setting (a comment on a post with comments off)
    rev: int | None           # latest revision (None: stored without revisions)

    @property
    def item(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def needs_scan(self) -> bool:
        return self.scanned_rev < (self.rev or 1)


_SELECT = {
    "post": (
        "SELECT p.id, p.group_id, g.school_id, g.kind AS group_kind, p.created_at, p.title,"
        " p.body, p.scanned_rev, p.author_id, 1 AS comments_enabled, (SELECT MAX(r.rev)"
        " FROM revisions r WHERE r.item = 'post:' || p.id) AS rev FROM posts p"
        " JOIN groups g ON g.id = p.group_id"),
    "comment": (
        "SELECT c.id, p.group_id, g.school_id, g.kind AS group_kind, c.created_at,"
        " NULL AS title, c.body, c.scanned_rev, c.author_id, p.comments_enabled,"
        " (SELECT MAX(r.rev) FROM revisions r WHERE r.item = 'comment:' || c.id) AS rev"
        " FROM comments c"
        " JOIN posts p ON p.id = c.post_id JOIN groups g ON g.id = p.group_id"),
}
_ALIAS = {"post": "p", "comment": "c"}
_NEEDS_SCAN = "scanned_rev < COALESCE((SELECT MAX(r.rev) FROM revisions r WHERE r.item = {}), 1)"


def _rows(kind: str, found: list) -> list[ScanRow]:
    # The SELECT lists the columns in ScanRow's order (after the kind).
    return [ScanRow(kind, *r) for r in found]


def live_items(store: Store, kind: str, ids: Sequence[str]) -> list[ScanRow]:
    """These live (not deleted) posts or comments."""
    if not ids:
        return []
    alias = _ALIAS[kind]
    marks = ",".join("?" * len(ids))
    return _rows(kind, store.rows(
        f"{_SELECT[kind]} WHERE {alias}.id IN ({marks}) AND {alias}.deleted_at IS NULL",
        list(ids)))


def items_after(store: Store, kind: str, last: str, limit: int, *,
                school_id: str | None = None, again: bool = False) -> list[ScanRow]:
    """The next ``limit`` live posts or comments by id after ``last`` (of one school)
    that need a scan; with ``again`` every live one."""
    alias = _ALIAS[kind]
    where = [f"{alias}.id > ?", f"{alias}.deleted_at IS NULL"]
    if not again:
        where.append(f"{alias}." + _NEEDS_SCAN.format(f"'{kind}:' || {alias}.id"))
    params: list = [last]
    if school_id is not None:
        where.append("g.school_id = ?")
        params.append(school_id)
    return _rows(kind, store.rows(
        f"{_SELECT[kind]} WHERE {' AND '.join(where)} ORDER BY {alias}.id LIMIT ?",
        [*params, limit]))


def mark_scanned(store: Store, rows: Sequence[ScanRow]) -> None:
    """Record that these items were scanned at their latest revision."""
    with store.write():
        for kind, table in (("post", "posts"), ("comment", "comments")):
            store.executemany(f"UPDATE {table} SET scanned_rev = ? WHERE id = ?",
                              [(r.rev or 1, r.id) for r in rows if r.kind == kind])


def update_rule_evidence(store: Store, item: str, reason: str, evidence: list[dict]) -> None:
    """Keep an open rule flag's evidence in step with the item's newest text."""
    with store.write():
        store.execute(
            "UPDATE flags SET evidence = ? WHERE item = ? AND reason = ?"
            " AND source = 'rule' AND status = 'open'",
            (json.dumps(evidence, ensure_ascii=False), item, reason))


def pupil_names(store: Store, school_id: str) -> list[tuple[str, str]]:
    """(group id, name) of every pupil of a school, by name."""
    return [(r["group_id"], r["name"]) for r in store.rows(
        "SELECT group_id, name FROM pupils WHERE school_id = ? ORDER BY name, id",
        (school_id,))]


def post_created_at(store: Store, post_id: str) -> str | None:
    return store.scalar("SELECT created_at FROM posts WHERE id = ?", (post_id,))
