"""Reading the moderation queue and the items in it, as the console and the CLI need it.

Who sees what comes from :mod:`moderator.policy.access`: a teacher the groups she
administers, a director her whole school; other roles have no queue. An item itself may
also be read by the AVG coordinator (read-only; the read goes to the access log).
"""

from __future__ import annotations

import dataclasses

from moderator.errors import NotFound, PermissionDenied
from moderator.policy import access
from moderator.policy.access import Actor, Scope
from moderator.refs import ItemRef
from moderator.store import changes, incidents, items, logs
from moderator.store import queue as rows
from moderator.store.db import Store
from moderator.store.incidents import IncidentSummary
from moderator.store.items import ItemDetail
from moderator.store.queue import QueueEntry, QueueFilter

AUTHOR_INCIDENTS = 20
NO_FILTER = QueueFilter()


def _scope(actor: Actor, flt: QueueFilter) -> Scope:
    scope = access.queue_scope(actor)
    if flt.group_id is not None and scope.groups is not None \
            and flt.group_id not in scope.groups:
        raise PermissionDenied("je beheert deze groep niet")
    return scope


def list_queue(store: Store, actor: Actor, flt: QueueFilter = NO_FILTER, *,
               after: tuple | None = None, limit: int = 100) -> list[QueueEntry]:
    """One page of the queue the actor may see, most severe first, oldest first within;
    ``after`` is the :attr:`QueueEntry.cursor` of the last row of the previous page."""
    return rows.list_queue(store, _scope(actor, flt), _own(actor, flt), after=after,
                           limit=limit)


def count_queue(store: Store, actor: Actor, flt: QueueFilter = NO_FILTER) -> int:
    return rows.count_queue(store, _scope(actor, flt), _own(actor, flt))


def _own(actor: Actor, flt: QueueFilter) -> QueueFilter:
    """'mine' means the acting account's claims, whatever a caller put in the filter."""
    if flt.holder == "mine":
        return dataclasses.replace(flt, holder_name=actor.username)
    return flt


def queue_groups(store: Store, actor: Actor) -> list[tuple[str, str]]:
    """(group_id, name) of the groups the actor may filter the queue on, by name."""
    return rows.queue_groups(store, access.queue_scope(actor))


def get_entry(store: Store, actor: Actor, item: str) -> QueueEntry | None:
    """The queue entry of one item, or None when it is not (or no longer) in the queue
    or lies outside what the actor may see."""
    scope = access.queue_scope(actor)              # refuses roles without a queue
    entry = rows.get_entry(store, item)
    if entry is None or not scope.covers(entry.school_id, entry.group_id):
        return None
    return entry


def get_item_detail(store: Store, actor: Actor, item: str | ItemRef) -> ItemDetail:
    """The item with its context. NotFound for an unknown item; PermissionDenied unless
    the actor moderates the group or is the AVG coordinator (whose read is logged)."""
    ref = ItemRef.parse(item)
    detail = items.item_detail(store, ref)
    if detail is None:
        raise NotFound(f"{ref} niet gevonden")
    if not access.may_read_item(actor, detail.group_id, detail.school_id):
        raise PermissionDenied(
            f"{actor.username} mag de berichten van groep {detail.group_id} niet inzien")
    if actor.is_avg:
        logs.log_access(store, actor, "view", person_id=detail.author_id,
                        detail={"item": str(ref)})
    return detail


def author_incidents(store: Store, actor: Actor, person_id: str, *,
                     limit: int = AUTHOR_INCIDENTS) -> list[IncidentSummary]:
    """The author's incidents the actor may see (the preview's history), newest first;
    none for a role without dossiers."""
    try:
        scope = access.incident_scope(actor)
    except PermissionDenied:
        return []
    if scope.nothing:
        return []
    return incidents.list_incidents(store, scope, person_id=person_id)[:limit]


def data_version(store: Store) -> tuple[int, int]:
    """A token that changes whenever anything is committed (here or in another session)."""
    return changes.data_version(store)
