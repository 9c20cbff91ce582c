"""The clock that runs without a console: ``moderator tick`` (cron or a systemd timer)
and the open console both call :func:`tick`.

One tick, in one write transaction (``BEGIN IMMEDIATE``, so ticks in two processes
run one after the other and the second finds the work done):

* lifts every measure whose end date has come (:func:`moderator.services.measures.lift_measure`);
* fills in deadlines that are missing (rows queued before the deadline migration);
* marks queue items that went past their deadline, each once, with one audit entry
  per school naming them.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator import clock
from moderator.errors import PermissionDenied
from moderator.policy import access
from moderator.policy.access import SYSTEM, Actor
from moderator.services.measures import lift_measure
from moderator.store import audit, measure_terms, overdue, worktime
from moderator.store.db import Store

MAX_ITEMS_IN_AUDIT = 200


@dataclass(frozen=True)
class TickReport:
    lifted: tuple[str, ...]           # 'INC-2026-0001: Tijdelijk alleen lezen'
    overdue: int                      # items newly marked overdue
    deadlines_filled: int

    def as_dict(self) -> dict:
        return {"lifted": list(self.lifted), "overdue": self.overdue,
                "deadlines_filled": self.deadlines_filled}


def tick(store: Store, actor: Actor = SYSTEM) -> TickReport:
    if not access.may_run_clock(actor):
        raise PermissionDenied("alleen de klok van de server (moderator tick) doet dit")
    lifted: list[str] = []
    with store.write():
        now = clock.now()
        for term in measure_terms.due_for_lifting(store, now.date()):
            if lift_measure(store, term, actor.username, "expired"):
                lifted.append(f"{term.incident_number}: {term.label}")
        filled = worktime.recompute_due(store, only_missing=True)
        marked = overdue.mark_overdue(store, worktime.as_utc(now))
        by_school: dict[str, list[str]] = {}
        for item, school_id in marked:
            by_school.setdefault(school_id, []).append(item)
        for school_id, items in sorted(by_school.items()):
            audit.append(store, actor.username, "queue.overdue", f"school:{school_id}", {
                "count": len(items), "items": items[:MAX_ITEMS_IN_AUDIT]}, school_id)
    return TickReport(tuple(lifted), len(marked), filled)
