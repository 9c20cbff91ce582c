"""Measures with a term: record one, end it early, extend it, and lift it.

:func:`lift_measure` is the one place where a measure ends, whether the clock tick
finds its end date reached or the director ends it early. It records the lift on the
dossier's timeline and in the audit log, in the caller's transaction, exactly once
(a conditional update: a second tick finds nothing left to lift), and then calls
:func:`portal_lift_restriction`, the merge point for the portal sync's
``lift_restriction`` action.
"""

from __future__ import annotations

from datetime import date, timedelta

from moderator import clock
from moderator import text as untrusted
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.labels import LIFT_REASONS
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.services import dossier
from moderator.store import audit, measure_terms, outbox
from moderator.store.db import Store
from moderator.store.incidents import Event
from moderator.store.measure_terms import TERM_MEASURES, MeasureTerm

MAX_TERM_DAYS = 366


def parse_day(value: str | date | None, what: str = "datum") -> date | None:
    """An ISO date (2026-12-16) or a Dutch one (16-12-2026); None when empty."""
    if value is None or isinstance(value, date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    try:
        if len(raw) == 10 and raw[4] == raw[7] == "-":
            return date.fromisoformat(raw)
        if len(raw) == 10 and raw[2] == raw[5] == "-":
            return date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
    except ValueError:
        pass
    raise UsageError(f"ongeldige {what} {untrusted.one_line(raw, 40)!r}"
                     " (gebruik JJJJ-MM-DD of DD-MM-JJJJ)")


def _check_end(start: date, ends_on: date) -> None:
    if ends_on <= start:
        raise UsageError(f"de einddatum {clock.display(ends_on.isoformat())} moet na de"
                         f" begindatum {clock.display(start.isoformat())} liggen")
    if ends_on - start > timedelta(days=MAX_TERM_DAYS):
        raise UsageError(f"een maatregel duurt hoogstens {MAX_TERM_DAYS} dagen;"
                         " kies 'tot nader order' voor langer")


def record_measure(store: Store, actor: Actor, incident: int | str, measure: str, text: str,
                   *, ends_on: str | date | None = None, until_further_notice: bool = False,
                   starts_on: str | date | None = None, at: str | None = None,
                   participants=()) -> Event:
    """Record an internal measure on a dossier. Read-only, comments off and removal from
    a group need an end date (the day it is lifted) or ``until_further_notice``."""
    end = parse_day(ends_on, "einddatum")
    start = parse_day(starts_on, "begindatum") or clock.now().date()
    if measure in TERM_MEASURES:
        if end is None and not until_further_notice:
            raise UsageError("geef een einddatum op of kies 'tot nader order'")
        if end is not None and until_further_notice:
            raise UsageError("kies een einddatum of 'tot nader order', niet allebei")
        if end is not None:
            _check_end(start, end)
    elif end is not None or until_further_notice or starts_on:
        raise UsageError("alleen alleen-lezen, reageren uit en verwijdering uit een groep"
                         " hebben een looptijd")
    with store.write():
        event = dossier.add_event(store, actor, incident, "measure", text, at=at,
                                    participants=participants, measure=measure)
        if measure in TERM_MEASURES:
            summary = dossier.get_incident(store, actor, event.incident_id,
                                             log_view=False).incident
            measure_terms.add_term(store, event_id=event.id, incident_id=summary.id,
                                   school_id=summary.school_id, person_id=summary.person_id,
                                   measure=measure, starts_on=start, ends_on=end)
            audit.append(store, actor.username, "measure.term", f"incident:{summary.number}", {
                "event": event.id, "measure": measure, "starts_on": start.isoformat(),
                "ends_on": end.isoformat() if end else None}, summary.school_id)
    return event


def _term_or_fail(store: Store, actor: Actor, event_id: int) -> MeasureTerm:
    term = measure_terms.get_term(store, int(event_id))
    if term is None:
        raise NotFound(f"maatregel {event_id} heeft geen looptijd of bestaat niet")
    if not access.may_change_measure_term(actor, term.school_id):
        raise PermissionDenied("Alleen de directie van de school beëindigt of verlengt een"
                               " maatregel.")
    if not term.active:
        raise Conflict(f"{term.label} in dossier {term.incident_number} is al opgeheven")
    return term


def end_early(store: Store, actor: Actor, event_id: int, reason: str) -> MeasureTerm:
    """The director ends a measure before its end date."""
    why = untrusted.clean(reason or "").strip()
    if not why:
        raise UsageError("geef de reden op waarom de maatregel eerder eindigt")
    with store.write():
        term = _term_or_fail(store, actor, event_id)
        lift_measure(store, term, actor.username, "early", why)
    return measure_terms.get_term(store, term.event_id)


def extend(store: Store, actor: Actor, event_id: int, ends_on: str | date | None, *,
           until_further_notice: bool = False, reason: str = "") -> MeasureTerm:
    """The director moves a measure's end date later (or to 'until further notice')."""
    end = parse_day(ends_on, "einddatum")
    if (end is None) == (not until_further_notice):
        raise UsageError("geef een nieuwe einddatum op of kies 'tot nader order'")
    why = untrusted.clean(reason or "").strip()
    with store.write():
        term = _term_or_fail(store, actor, event_id)
        if end is not None:
            _check_end(term.starts_on, end)
            if term.ends_on is not None and end <= term.ends_on:
                raise UsageError(f"verlengen kan alleen naar een datum na"
                                 f" {clock.display(term.ends_on.isoformat())};"
                                 " eerder stoppen gaat met 'beëindigen'")
            if end <= clock.now().date():
                raise UsageError("de nieuwe einddatum ligt niet in de toekomst")
        measure_terms.set_end(store, term.event_id, end)
        until = clock.display(end.isoformat()) if end else "nader order"
        text = f"{term.label} verlengd tot {until}." + (f" Reden: {why}" if why else "")
        entry = measure_terms.record_timeline_entry(
            store, term.incident_id, actor.username, text, term.measure,
            {"extends": term.event_id, "ends_on": end.isoformat() if end else None})
        audit.append(store, actor.username, "measure.extend", f"incident:{term.incident_number}", {
            "event": entry, "measure_event": term.event_id, "measure": term.measure,
            "from": term.ends_on.isoformat() if term.ends_on else None,
            "to": end.isoformat() if end else None}, term.school_id)
    return measure_terms.get_term(store, term.event_id)


def lift_measure(store: Store, term: MeasureTerm, by: str, reason: str,
                 note: str | None = None) -> bool:
    """End a measure: the one call point (see the module docstring). Returns False when
    another session or tick lifted it first (then nothing is recorded twice)."""
    with store.write():
        if not measure_terms.mark_lifted(store, term.event_id, by, reason):
            return False
        if reason == "expired":
            text = (f"{term.label} opgeheven: de einddatum"
                    f" {clock.display(term.ends_on.isoformat() if term.ends_on else '')} is bereikt.")
        else:
            text = f"{term.label} {LIFT_REASONS.get(reason, reason)}." + (
                f" Reden: {note}" if note else "")
        entry = measure_terms.record_timeline_entry(
            store, term.incident_id, by, text, term.measure,
            {"lifts": term.event_id, "lift_reason": reason})
        audit.append(store, by, "measure.lift", f"incident:{term.incident_number}", {
            "event": entry, "measure_event": term.event_id, "measure": term.measure,
            "reason": reason, "person": term.person_id}, term.school_id)
        portal_lift_restriction(store, term, by)
    return True


def portal_lift_restriction(store: Store, term: MeasureTerm, by: str) -> None:
    """Tell the portal (portal sync) to lift the restriction this measure put on the
    person, in the lift's transaction; nothing when the portal was never told."""
    outbox.enqueue_lift(store, incident=term.incident_number, person_id=term.person_id,
                        measure=term.measure, school_id=term.school_id, actor=by)


def terms_for(store: Store, actor: Actor, incident: int | str) -> list[MeasureTerm]:
    """The measures with a term of a dossier the actor may read."""
    summary = dossier.get_incident(store, actor, incident, log_view=False).incident
    return measure_terms.terms_for_incident(store, summary.id)


def weeks_from_today(weeks: int) -> date:
    """The day a measure of ``weeks`` weeks starting today is lifted."""
    return clock.now().date() + timedelta(weeks=weeks)


def remaining(term: MeasureTerm) -> str:
    """'nog 12 dagen (tot 16-12-2026)', 'tot nader order', 'opgeheven op 16-12-2026'."""
    from moderator.policy.deadlines import remaining_label

    if not term.active:
        return f"opgeheven op {clock.display(term.lifted_at)[:10]}"
    if term.ends_on is None:
        return "tot nader order"
    return (f"{remaining_label(term.ends_on, clock.now().date())}"
            f" (tot {clock.display(term.ends_on.isoformat())})")
