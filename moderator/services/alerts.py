"""At once for the worst: a new threat or confidential-data item is announced to the
school's director in every open console session of hers (the queue screen asks
:func:`urgent_items` whenever the database changed, and announces what it had not seen).
The announcement names the reason, the group and the deadline, never the message."""

from __future__ import annotations

from moderator import clock
from moderator import text as untrusted
from moderator.policy.access import DIRECTOR, Actor
from moderator.policy.catalogue import REASONS
from moderator.services.queue import list_queue
from moderator.store import worktime
from moderator.store.db import Store
from moderator.store.queue import QueueEntry, QueueFilter

WATCHED = 200        # newest urgent items per reason that a session keeps track of


def urgent_items(store: Store, actor: Actor) -> list[QueueEntry]:
    """The urgent items (the deadline setting's urgent reasons) of a director's school."""
    if actor.role != DIRECTOR:
        return []
    found: dict[str, QueueEntry] = {}
    for reason in sorted(worktime.deadline_rules(store).urgent_reasons):
        for entry in list_queue(store, actor, QueueFilter(reason=reason), limit=WATCHED):
            found.setdefault(entry.item, entry)
    return list(found.values())


def announcement(entry: QueueEntry) -> str:
    """One Dutch line about an urgent item, without its text."""
    reason = next((r for r in entry.reasons if r in REASONS), "other")
    return (f"Nieuw met spoed: {REASONS[reason].label.lower()} in"
            f" {untrusted.one_line(entry.group_name, 40)} ({untrusted.one_line(entry.item, 60)});"
            f" termijn {clock.display(entry.due_at) or '-'}.")
