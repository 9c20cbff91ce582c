"""Objections and their decisions: a teacher or the director records a parent's
objection in the dossier; the director decides it (upheld or rejected, with a reason)
within the foundation's term; a decision after the term is marked late."""

from __future__ import annotations

from datetime import timedelta

from moderator import clock
from moderator import text as untrusted
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.services import dossier
from moderator.services.measures import parse_day
from moderator.store import audit, objections
from moderator.store.db import Store
from moderator.store.objections import DECISIONS, SUBJECTS, Objection


def record(store: Store, actor: Actor, incident: int | str, subject: str, text: str, *,
           received_on: str | None = None) -> Objection:
    if subject not in SUBJECTS:
        raise UsageError(f"onbekend onderwerp {untrusted.one_line(subject, 30)!r}"
                         f" (kies uit {', '.join(SUBJECTS)})")
    body = untrusted.clean(text or "").strip()
    if not body:
        raise UsageError("beschrijf het bezwaar")
    received = parse_day(received_on, "ontvangstdatum") or clock.now().date()
    if received > clock.now().date():
        raise UsageError("de ontvangstdatum ligt in de toekomst")
    with store.write():
        summary = dossier.get_incident(store, actor, incident, log_view=False).incident
        if not access.may_write_incident(actor, summary.school_id, summary.group_id, summary.kind):
            raise PermissionDenied(f"U mag in dossier {summary.number} niets vastleggen.")
        due = received + timedelta(days=objections.term_days(store))
        new_id = objections.add(store, incident_id=summary.id, school_id=summary.school_id,
                                subject=subject, received_on=received, due_on=due, text=body,
                                by=actor.username)
        audit.append(store, actor.username, "objection.record", f"incident:{summary.number}", {
            "objection": new_id, "subject": subject, "received_on": received.isoformat(),
            "due_on": due.isoformat()}, summary.school_id)
    return objections.get(store, new_id)


def decide(store: Store, actor: Actor, objection_id: int, decision: str, reason: str
           ) -> Objection:
    if decision not in DECISIONS:
        raise UsageError(f"kies een besluit: {', '.join(DECISIONS)}")
    why = untrusted.clean(reason or "").strip()
    if not why:
        raise UsageError("geef de reden van het besluit")
    with store.write():
        found = objections.get(store, int(objection_id))
        if found is None:
            raise NotFound(f"bezwaar {objection_id} bestaat niet")
        if not access.may_decide_objection(actor, found.school_id):
            raise PermissionDenied("Alleen de directie van de school beslist op een bezwaar.")
        late = found.late(clock.now().date())
        if not objections.decide(store, found, decision, why, actor.username, late):
            raise Conflict(f"op bezwaar {found.id} is al beslist")
        audit.append(store, actor.username, "objection.decide",
                     f"incident:{found.incident_number}", {
                         "objection": found.id, "decision": decision, "late": late},
                     found.school_id)
    return objections.get(store, found.id)


def open_objections(store: Store, actor: Actor) -> list[Objection]:
    """The school's undecided objections, earliest term first (the director)."""
    if not actor.school_id or not access.may_decide_objection(actor, actor.school_id):
        raise PermissionDenied("Alleen de directie ziet de openstaande bezwaren.")
    return objections.open_for_school(store, actor.school_id)


MAX_TERM_DAYS = 365


def set_term(store: Store, actor: Actor, days: int) -> int:
    """The foundation's decision term for objections, in days."""
    if not access.may_set_deadlines(actor):
        raise PermissionDenied("Alleen de AVG-coördinator stelt de termijnen van de stichting in.")
    if not 1 <= days <= MAX_TERM_DAYS:
        raise UsageError(f"de beslistermijn is 1 tot {MAX_TERM_DAYS} dagen, niet {days}")
    with store.write():
        old = objections.term_days(store)
        objections.set_term_days(store, days)
        audit.append(store, actor.username, "deadlines.set", f"setting:{objections.TERM_KEY}",
                     {"from": old, "to": days})
    return days


def term_days(store: Store) -> int:
    """The foundation's decision term for objections, in days (no personal data)."""
    return objections.term_days(store)
