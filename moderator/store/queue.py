"""Reading the moderation queue: role-scoped, filtered, keyset-paged.

``queue_items`` (kept in step with the flags by :func:`moderator.store.flags.refresh_queue`)
holds one row per item with open flags. This module only reads it.

Every read is limited to a :class:`~moderator.policy.access.Scope` (schools, or groups)
the caller passes; which scope an actor has is decided in :mod:`moderator.policy.access`
(the use cases are in :mod:`moderator.services.queue`).

Order is ``severity DESC, created_at ASC, item ASC``, or with ``order='due'`` ("due
first") ``due_at ASC, item ASC`` along ``queue_school_due`` / ``queue_group_due``. Pages are fetched with a keyset
(the :attr:`QueueEntry.cursor` of the last row seen), never with OFFSET, so page 500
costs what page 1 costs. Each scope unit (one school, or one group) is read along its
index (``queue_school_order`` / ``queue_group_order``) in two index range scans: the
rest of the cursor's severity band, then the lower severities. A teacher with several
groups gets one such read per group, merged in Python.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from moderator.policy.access import Scope
from moderator.store.db import Store


@dataclass(frozen=True)
class QueueFilter:
    group_id: str | None = None
    reason: str | None = None
    source: str | None = None          # 'report' | 'rule'
    search: str | None = None          # words, matched with FTS5 (prefix match per word)
    order: str = "severity"            # 'severity' | 'due' (due first)
    holder: str | None = None          # 'mine' | 'unclaimed'
    holder_name: str | None = None     # whose 'mine' (the service fills in the account)

ORDERS = ("severity", "due")
HOLDER_FILTERS = ("mine", "unclaimed")


@dataclass(frozen=True)
class QueueEntry:
    item: str                          # 'post:ID' | 'comment:ID'
    kind: str                          # 'post' | 'comment'
    item_id: str
    school_id: str
    group_id: str
    group_name: str
    author_id: str
    author_name: str
    created_at: str
    severity: int
    reasons: tuple[str, ...]           # most severe first
    sources: tuple[str, ...]
    n_reports: int
    n_flags: int
    excerpt: str                       # already one line and cleaned, still portal text
    flagged_at: str | None = None      # when the first open flag arrived
    due_at: str | None = None          # deadline (UTC ISO), per moderator.policy.deadlines
    holder: str | None = None          # account that claimed the item
    holder_name: str | None = None
    order: str = "severity"            # the order this entry was read in

    @property
    def cursor(self) -> tuple:
        """Keyset position: pass as ``after=`` to get the next page (in the same order)."""
        if self.order == "due":
            return (self.due_at or "", self.item)
        return (self.severity, self.created_at, self.item)

    def overdue(self, now: str | datetime) -> bool:
        """Past its deadline at ``now`` (a moment, or a UTC ISO timestamp as due_at is
        stored)."""
        if isinstance(now, datetime):
            now = now.astimezone(UTC).isoformat(timespec="seconds")
        return self.due_at is not None and self.due_at <= now


_COLUMNS = (
    "q.item, q.kind, q.item_id, q.school_id, q.group_id, coalesce(g.name, q.group_id) AS group_name,"
    " q.author_id, coalesce(p.name, q.author_id) AS author_name, q.created_at, q.severity,"
    " q.reasons, q.sources, q.n_reports, q.n_flags, q.excerpt, q.flagged_at, q.due_at,"
    " c.holder, coalesce(hp.name, c.holder) AS holder_name"
)


def _entry(row, order: str = "severity") -> QueueEntry:
    return QueueEntry(
        item=row["item"], kind=row["kind"], item_id=row["item_id"], school_id=row["school_id"],
        group_id=row["group_id"], group_name=row["group_name"], author_id=row["author_id"],
        author_name=row["author_name"], created_at=row["created_at"],
        severity=row["severity"], reasons=tuple(row["reasons"].split()),
        sources=tuple(row["sources"].split()), n_reports=row["n_reports"],
        n_flags=row["n_flags"], excerpt=row["excerpt"], flagged_at=row["flagged_at"],
        due_at=row["due_at"], holder=row["holder"], holder_name=row["holder_name"], order=order,
    )


def trigram_query(search: str) -> str | None:
    """The words of three letters or more as a trigram query: each must occur somewhere in
    the title, text or author's name (also inside a compound), all of them required."""
    words = [w.replace('"', '""') for w in search.split() if len(w.strip('"')) >= 3]
    if not words:
        return None
    return " AND ".join(f'"{w}"' for w in words)


def fts_query(search: str) -> str | None:
    """The user's words as a safe FTS5 query: every word a quoted string with prefix
    match, all of them required. FTS syntax typed by the user is matched literally."""
    words = [w.replace('"', '""') for w in search.split()]
    words = [w for w in words if w.strip('"')]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def _units(scope: Scope, flt: QueueFilter) -> list[tuple[str, str]]:
    """The index-aligned scope units to read: ('school_id'|'group_id', value)."""
    if scope.groups is not None:
        groups = sorted(scope.groups)
        if flt.group_id is not None:
            groups = [flt.group_id] if flt.group_id in scope.groups else []
        return [("group_id", g) for g in groups]
    if scope.schools is None:
        raise ValueError("the queue is read per school or per group, not for everything")
    if flt.group_id is not None:
        return [("group_id", flt.group_id)]
    return [("school_id", school) for school in sorted(scope.schools)]


def _primary_tag(flt: QueueFilter) -> str | None:
    """The filter that drives the read from ``queue_tags``' own ordered index, if any
    (``queue_tags`` carries the severity order only; due first walks ``queue_items``)."""
    if flt.order == "due":
        return None
    if flt.reason:
        return f"reason:{flt.reason}"
    if flt.source:
        return f"source:{flt.source}"
    return None


def _conditions(scope: Scope, flt: QueueFilter, unit: tuple[str, str]
                ) -> tuple[str, str, list[str], list]:
    """(driving alias, FROM clause, WHERE terms, parameters) for one scope unit.

    Without a reason or source filter the read walks ``queue_items`` along its order
    index; with one it walks that tag's range of ``queue_tags`` (same order), so a rare
    reason costs what a common one costs."""
    column, value = unit
    tag = _primary_tag(flt)
    if tag is None:
        alias, source = "q", " FROM queue_items q"
        where, params = [f"q.{column} = ?"], [value]
    else:
        alias = "d"
        source = " FROM queue_tags d JOIN queue_items q ON q.item = d.item"
        where, params = [f"d.{column} = ?", "d.tag = ?"], [value, tag]
    if column == "group_id" and scope.schools is not None:
        schools = sorted(scope.schools)           # a group filter stays in the schools
        where.append(f"q.school_id IN ({', '.join('?' * len(schools))})")
        params.extend(schools)
    if flt.reason and tag != f"reason:{flt.reason}":
        where.append("instr(' ' || q.reasons || ' ', ?) > 0")
        params.append(f" {flt.reason} ")
    if flt.source and tag != f"source:{flt.source}":
        where.append("instr(' ' || q.sources || ' ', ?) > 0")
        params.append(f" {flt.source} ")
    if flt.holder == "mine":
        where.append("q.item IN (SELECT subject FROM claims WHERE holder = ?)")
        params.append(flt.holder_name or "")
    elif flt.holder == "unclaimed":
        where.append("NOT EXISTS (SELECT 1 FROM claims k WHERE k.subject = q.item)")
    if flt.search:
        # words of 3+ letters: anywhere (trigram index); shorter ones: as a word prefix
        parts = trigram_query(flt.search)
        if parts is not None:
            where.append("q.rowid IN (SELECT rowid FROM queue_trigram WHERE queue_trigram"
                         " MATCH ?)")
            params.append(parts)
        short = fts_query(" ".join(w for w in flt.search.split() if len(w.strip('"')) < 3))
        if short is not None:
            where.append("q.rowid IN (SELECT rowid FROM queue_fts WHERE queue_fts MATCH ?)")
            params.append(short)
    return alias, source, where, params


_JOINS = (" LEFT JOIN groups g ON g.id = q.group_id LEFT JOIN people p ON p.id = q.author_id"
          " LEFT JOIN claims c ON c.subject = q.item"
          " LEFT JOIN accounts ha ON ha.username = c.holder"
          " LEFT JOIN people hp ON hp.id = ha.person_id")


def _read_unit(store: Store, scope: Scope, flt: QueueFilter, unit: tuple[str, str],
               after: tuple | None, limit: int) -> list[QueueEntry]:
    d, source, where, params = _conditions(scope, flt, unit)
    head = "SELECT " + _COLUMNS + source + _JOINS + " WHERE " + " AND ".join(where)
    if flt.order == "due":
        order = " ORDER BY q.due_at ASC, q.item ASC LIMIT ?"
        if after is None:
            return [_entry(r, "due") for r in store.rows(head + order, [*params, limit])]
        due, item = after
        page = head + " AND (q.due_at, q.item) > (?, ?)" + order
        return [_entry(r, "due") for r in store.rows(page, [*params, due, item, limit])]
    order = f" ORDER BY {d}.severity DESC, {d}.created_at ASC, {d}.item ASC LIMIT ?"
    if after is None:
        return [_entry(r) for r in store.rows(head + order, [*params, limit])]
    sev, created, item = after
    # The rest of the cursor's severity band ...
    band = head + f" AND {d}.severity = ? AND ({d}.created_at, {d}.item) > (?, ?)" + order
    found = [_entry(r) for r in store.rows(band, [*params, sev, created, item, limit])]
    if len(found) >= limit:
        return found
    # ... then everything less severe.
    lower = head + f" AND {d}.severity < ?" + order
    found += [_entry(r) for r in store.rows(lower, [*params, sev, limit - len(found)])]
    return found


def _sort_key(entry: QueueEntry) -> tuple:
    if entry.order == "due":
        return (entry.due_at or "", entry.item)
    return (-entry.severity, entry.created_at, entry.item)


def list_queue(store: Store, scope: Scope, flt: QueueFilter = QueueFilter(), *,
               after: tuple | None = None, limit: int = 100) -> list[QueueEntry]:
    """One page of the queue within ``scope``, most severe first, oldest first within."""
    if limit <= 0:
        return []
    units = _units(scope, flt)
    pages = [_read_unit(store, scope, flt, unit, after, limit) for unit in units]
    if len(pages) == 1:
        return pages[0]
    return list(itertools.islice(heapq.merge(*pages, key=_sort_key), limit))


def count_queue(store: Store, scope: Scope, flt: QueueFilter = QueueFilter()) -> int:
    total = 0
    for unit in _units(scope, flt):
        _, source, where, params = _conditions(scope, flt, unit)
        total += store.scalar("SELECT count(*)" + source + " WHERE " + " AND ".join(where),
                              params)
    return total


def queue_groups(store: Store, scope: Scope) -> list[tuple[str, str]]:
    """(group_id, name) of the groups within ``scope``, by name."""
    if scope.groups is not None:
        where, params = "id IN ({})", sorted(scope.groups)
    elif scope.schools is not None:
        where, params = "school_id IN ({})", sorted(scope.schools)
    else:
        where, params = "1 = 1", []
    if "{}" in where:
        if not params:
            return []
        where = where.format(", ".join("?" * len(params)))
    rows = store.rows(f"SELECT id, name FROM groups WHERE {where} ORDER BY name, id", params)
    return [(r["id"], r["name"]) for r in rows]


def get_entry(store: Store, item: str) -> QueueEntry | None:
    """The queue entry of one item, or None when it is not (or no longer) in the queue."""
    row = store.row("SELECT " + _COLUMNS + " FROM queue_items q" + _JOINS + " WHERE q.item = ?",
                    (item,))
    return None if row is None else _entry(row)
