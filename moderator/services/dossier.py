"""The incident dossier's use cases: list, show, record an entry, escalate, close, export.

Rules (policy "Borging en Handhaving"; DESIGN.md, Roles), enforced here through
:mod:`moderator.policy.access`:

* a teacher sees and writes the incidents of the groups they administer, a director
  those of their school; the AVG coordinator reads every school, read-only, and every
  read is written to the access log; other roles see no dossiers;
* external measures (escalation) only by the school's director;
* only the director closes, and only after a recorded conversation with the parent or
  with the director's note on why there was none; closing starts the retention term;
* entries are append-only; a correction is a new entry that refers to the old one;
* the status moves forward with the entries and never back (see STATUS_ORDER).

Every change writes its audit entry in the same transaction; no free text goes into the
audit log (it is hash-chained and outlives the dossier).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from moderator import clock
from moderator import text as untrusted
from moderator.archive import dossier_export, durable
from moderator.archive.dossier_export import HardcopyText
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import access, measures
from moderator.policy.access import AVG, Actor
from moderator.store import audit, handovers, incidents, integrity, outbox
from moderator.store import retention as retention_store
from moderator.store.db import Store
from moderator.store.incidents import (
    AFTER_CLOSE_KINDS,
    ENTRY_KINDS,
    KIND_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
    Event,
    ExportRecord,
    Hardcopy,
    IncidentDetail,
    IncidentSummary,
    timeline_key,
)
from moderator.store.logs import log_access

__all__ = [
    "AFTER_CLOSE_KINDS", "ENTRY_KINDS", "KIND_LABELS", "MAX_TEXT", "STATUS_LABELS",
    "STATUS_ORDER", "Event", "ExportRecord", "Hardcopy", "IncidentDetail", "IncidentSummary",
    "add_event", "close_incident", "escalate", "export_incident", "get_incident",
    "hardcopy_text", "incidents_for_person", "list_incidents", "parse_at", "timeline_key",
]

MAX_TEXT = 20_000


# -- reading ---------------------------------------------------------------------------------


def _check_date(value: str | None) -> str | None:
    """A period bound as typed (Dutch forms or ISO) as stored text."""
    if not value or not value.strip():
        return None
    try:
        return clock.input_iso(value)
    except ValueError as error:
        raise UsageError(str(error)) from None


def list_incidents(
    store: Store, actor: Actor, *, status: str | None = None, group_id: str | None = None,
    person_id: str | None = None, since: str | None = None, until: str | None = None,
) -> list[IncidentSummary]:
    """Incidents the actor may read, newest first; ``since``/``until`` bound the opening
    date (ISO date or timestamp, both inclusive). The AVG coordinator's list is logged."""
    scope = access.incident_scope(actor)
    if status and status not in STATUS_ORDER:
        raise UsageError(f"onbekende status {status!r} (kies uit {', '.join(STATUS_ORDER)})")
    since, until = _check_date(since), _check_date(until)
    found = incidents.list_incidents(store, scope, status=status, group_id=group_id,
                                     person_id=person_id, since=since, until=until)
    if actor.role == AVG:
        log_access(store, actor, "list", person_id=person_id, detail={
            "status": status, "group": group_id, "since": since, "until": until,
            "incidents": [s.number for s in found]})
    return found


def incidents_for_person(store: Store, actor: Actor, person_id: str) -> list[IncidentSummary]:
    """The person's incidents the actor may read."""
    return list_incidents(store, actor, person_id=person_id)


def _readable(store: Store, actor: Actor, ref: int | str) -> IncidentSummary:
    summary = incidents.summary(store, ref)
    if not access.may_read_incident(actor, summary.school_id, summary.group_id,
                                   summary.kind):
        raise PermissionDenied(f"U mag dossier {summary.number} niet inzien.")
    return summary


def get_incident(store: Store, actor: Actor, ref: int | str, log_view: bool = True) -> IncidentDetail:
    """One dossier with its timeline, hard copies and exports. ``ref`` is the id or the
    number ('INC-2026-0001'). The view is written to the access log."""
    summary = _readable(store, actor, ref)
    detail = incidents.detail(store, summary)
    if log_view:
        log_access(store, actor, "view", incident_id=summary.id, person_id=summary.person_id)
    return detail


def hardcopy_text(store: Store, actor: Actor, hardcopy: Hardcopy) -> HardcopyText:
    """The text of one of a dossier's hard copies, read back from the archived file (to
    show inside the console; untrusted)."""
    _readable(store, actor, hardcopy.incident_id)
    return dossier_export.hardcopy_text(store, hardcopy)


# -- recording entries -----------------------------------------------------------------------


def parse_at(value: str | None) -> str:
    """When an entry happened, as a Dutch user types it (02-12-2026, 2-12, vandaag,
    gisteren 14:00, nu, or ISO), not in the future. Empty is now; today without a time is
    now too, so the entry follows what happened earlier today."""
    now = clock.now()
    if value is None or not str(value).strip():
        return clock.now_iso()
    raw = " ".join(str(value).split())
    try:
        day, at = clock.parse_input(raw)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if at is None:
        if day > now.date():
            raise UsageError(f"datum {clock.display(day.isoformat())} ligt in de toekomst")
        if day == now.date():
            return clock.now_iso()
        return day.isoformat()
    moment = datetime.combine(day, at, tzinfo=clock.zone())
    if moment > now:
        raise UsageError(f"tijdstip {clock.display(moment.isoformat())} ligt in de toekomst")
    return moment.isoformat(timespec="seconds")


def _clean_participants(participants: Any) -> list[str]:
    if isinstance(participants, str):
        participants = participants.split(",")
    names = [untrusted.one_line(p, 200) for p in participants or ()]
    return [n for n in names if n]


def _advance(current: str, new: str) -> str:
    return new if STATUS_ORDER.index(new) > STATUS_ORDER.index(current) else current


def _check_refers_to(store: Store, summary: IncidentSummary, refers_to: int) -> None:
    if incidents.event_incident_id(store, int(refers_to)) != summary.id:
        raise NotFound(f"aantekening {refers_to} hoort niet bij dossier {summary.number}")


def add_event(
    store: Store, actor: Actor, incident_id: int | str, kind: str, text: str = "", *,
    at: str | None = None, participants: Any = (), measure: str | None = None,
    refers_to: int | None = None, reference: str | None = None,
) -> Event:
    """Append one entry to the incident's timeline and move its status along.

    ``kind`` is one of ENTRY_KINDS. A 'measure' with an external code, and every
    'escalation', needs the director and raises the level to 'external'."""
    if kind == "closure":
        raise UsageError("sluit een dossier af met 'close' (met een uitkomst)")
    if kind not in ENTRY_KINDS:
        raise UsageError(f"onbekende soort {kind!r} (kies uit {', '.join(ENTRY_KINDS)})")
    body = untrusted.clean(text or "").strip()
    if not body:
        raise UsageError("de tekst van de aantekening is leeg")
    if len(body) > MAX_TEXT:
        raise UsageError(f"de tekst is te lang (hoogstens {MAX_TEXT} tekens)")
    names = _clean_participants(participants)
    when = parse_at(at)
    reference = untrusted.one_line(reference or "") or None
    if reference and kind != "escalation":
        raise UsageError("een kenmerk (zoals het registratienummer van de politie) hoort bij "
                         "een escalatie")
    with store.write():
        summary = _readable(store, actor, incident_id)
        if not access.may_write_incident(actor, summary.school_id, summary.group_id,
                                           summary.kind):
            raise PermissionDenied(
                "De AVG-rol leest dossiers alleen; aantekeningen maken kan niet."
                if actor.role == AVG else f"U mag in dossier {summary.number} niets vastleggen.")
        if summary.status == "closed" and kind not in AFTER_CLOSE_KINDS:
            raise Conflict(f"dossier {summary.number} is gesloten; alleen een notitie of correctie kan nog")
        chosen = None
        if kind in ("measure", "escalation"):
            if not measure:
                raise UsageError("kies een maatregel (--measure)")
            try:
                chosen = measures.measure(measure)
            except KeyError as error:
                raise UsageError(str(error.args[0])) from None
            if kind == "escalation" and not chosen.external:
                raise UsageError(
                    f"escalatie vraagt een externe maatregel ({', '.join(measures.EXTERNAL_CODES)})")
            if chosen.external and not access.may_escalate(actor, summary.school_id):
                raise PermissionDenied(
                    "Alleen de directie kan extern handhaven (aangifte, juridische stappen, andere "
                    "externe handhaving). Leg een interne maatregel vast of overleg met de directie.")
        elif measure:
            raise UsageError(f"een {KIND_LABELS[kind].lower()} heeft geen maatregel")
        if kind == "correction" and refers_to is None:
            raise UsageError("een correctie verwijst naar de aantekening die zij corrigeert (--refers-to)")
        if refers_to is not None:
            _check_refers_to(store, summary, refers_to)
        event_id = incidents.insert_event(
            store, summary.id, kind, at=when, recorded_at=clock.now_iso(),
            author=actor.username, participants=names, text=body,
            measure=chosen.code if chosen else None,
            refers_to=int(refers_to) if refers_to is not None else None,
            detail=({"scope": chosen.scope} if chosen else {})
            | ({"reference": reference} if reference else {}))
        status, level = summary.status, summary.level
        if summary.status != "closed":
            if kind == "consultation":
                status = _advance(status, "consultation")
            elif kind == "parent_conversation":
                status = _advance(status, "parent_spoken")
            elif chosen is not None and chosen.external:
                status, level = _advance(status, "escalated"), "external"
            elif chosen is not None:
                status = _advance(status, "measure")
        if (status, level) != (summary.status, summary.level):
            incidents.set_status(store, summary.id, status, level)
        audit.append(store, actor.username, f"incident.{kind}", f"incident:{summary.number}", {
            "event": event_id, "measure": chosen.code if chosen else None,
            "refers_to": refers_to, "status": [summary.status, status],
            "level": [summary.level, level], "participants": len(names),
            "reference": reference}, summary.school_id)
        if chosen is not None and kind == "measure":
            # Portal sync: read-only, no comments or removal from a group reach the portal.
            outbox.enqueue_measure(store, measure=chosen.code, person_id=summary.person_id,
                                   group_id=summary.group_id, school_id=summary.school_id,
                                   actor=actor.username, incident=summary.number, start=when,
                                   actor_person=actor.person_id)
    return next(e for e in incidents.events(store, summary.id) if e.id == event_id)


def escalate(store: Store, actor: Actor, incident_id: int | str, measure: str, text: str, *,
             at: str | None = None, participants: Any = (),
             reference: str | None = None) -> Event:
    """An external measure: a report to the police, legal steps or other enforcement.
    ``reference``: their reference, such as the police registration number."""
    return add_event(store, actor, incident_id, "escalation", text, at=at,
                     participants=participants, measure=measure, reference=reference)


def close_incident(
    store: Store, actor: Actor, incident_id: int | str, outcome: str,
    reason_without_conversation: str | None = None,
) -> IncidentSummary:
    """Close with an outcome. Needs a recorded conversation with the parent, or the
    director's note on why there was none. Sets the retention date."""
    body = untrusted.clean(outcome or "").strip()
    if not body:
        raise UsageError("geef de uitkomst van het dossier op")
    why = untrusted.clean(reason_without_conversation or "").strip() or None
    with store.write():
        summary = _readable(store, actor, incident_id)
        if not access.may_close_incident(actor, summary.school_id):
            raise PermissionDenied("Alleen de directie van de school sluit een dossier af.")
        if summary.status == "closed":
            raise Conflict(f"dossier {summary.number} is al gesloten")
        spoken = incidents.has_parent_conversation(store, summary.id)
        if not spoken and not why and summary.kind != "staff":
            raise UsageError(
                f"dossier {summary.number} heeft nog geen gesprek met de ouder; leg dat eerst vast "
                "of geef als directie aan waarom er geen gesprek was (--without-conversation)")
        now = clock.now()
        closed_at = now.isoformat(timespec="seconds")
        years = retention_store.retention_years(store)
        until = retention_store.retention_until(now, years)
        detail: dict[str, Any] = {"retention_years": years}
        if why and not spoken:
            detail["without_conversation"] = why
        elif why:
            detail["note"] = why
        event_id = incidents.insert_event(store, summary.id, "closure", at=closed_at,
                                          recorded_at=closed_at, author=actor.username,
                                          text=body, detail=detail)
        incidents.close(store, summary.id, closed_at=closed_at, outcome=body,
                        retention_until=until)
        audit.append(store, actor.username, "incident.close", f"incident:{summary.number}", {
            "event": event_id, "status": [summary.status, "closed"],
            "without_conversation": bool(why and not spoken), "retention_until": until,
            "outcome_sha256": integrity.text_sha256(body)},
            summary.school_id)
    return incidents.summary(store, summary.id)


# -- export ----------------------------------------------------------------------------------


def _require_export(actor: Actor, summary: IncidentSummary) -> None:
    if not access.may_export_incident(actor, summary.school_id):
        raise PermissionDenied("Alleen de directie of de AVG-coördinator exporteert een dossier.")


def export_incident(store: Store, actor: Actor, incident: int | str,
                    out: str | Path | None = None) -> ExportRecord:
    """Export one dossier into the archive as one PDF (and, with ``out``, a copy there
    too). The export is recorded with its SHA-256, in the access log and the audit log."""
    summary = _readable(store, actor, incident)
    _require_export(actor, summary)
    detail = incidents.detail(store, summary)
    now = clock.now()
    exported_at = now.isoformat(timespec="seconds")
    data = dossier_export.build_export(store, detail, actor, exported_at)
    rel = dossier_export.export_path(store, detail, now)
    final = store.archives / rel
    durable.write_durably(final, data)
    digest = hashlib.sha256(data).hexdigest()
    try:
        with store.write():
            summary = _readable(store, actor, summary.id)
            _require_export(actor, summary)
            record = incidents.insert_export(store, summary.id, str(rel), len(data), digest,
                                             actor.username, clock.now_iso())
            log_access(store, actor, "export", incident_id=summary.id,
                       person_id=summary.person_id, detail={"path": str(rel), "sha256": digest})
            audit.append(store, actor.username, "incident.export", f"incident:{summary.number}",
                         {"export": record.id, "path": str(rel), "sha256": digest,
                          "size": len(data)}, summary.school_id)
    except BaseException:
        durable.remove(final)
        raise
    if out is not None:
        target = Path(out)
        if target.exists():
            raise Conflict(f"{target} already exists; the export is in the archive at {rel}")
        durable.write_durably(target, data, mode=0o600)
    return record


# -- chain of custody --------------------------------------------------------------------------


def record_handover(store: Store, actor: Actor, incident: int | str, *, recipient_kind: str,
                    recipient: str, reference: str | None = None, handed_at: str | None = None,
                    export_id: int | None = None) -> handovers.Handover:
    """Record that a dossier export left the school: to whom (police, lawyer, inspectorate),
    their reference (a police registration number), when, by whom, and the SHA-256 of the
    file handed over. The file is checked against the SHA-256 recorded when it was made;
    ``export_id`` defaults to the newest export of the dossier."""
    if recipient_kind not in handovers.KINDS:
        raise UsageError(f"onbekende ontvanger {recipient_kind!r} (kies uit "
                         f"{', '.join(handovers.KINDS)})")
    recipient = untrusted.one_line(recipient or "")
    if not recipient:
        raise UsageError("vul in aan wie het dossier is overgedragen")
    reference = untrusted.one_line(reference or "") or None
    when = parse_at(handed_at)
    with store.write():
        summary = _readable(store, actor, incident)
        _require_export(actor, summary)
        made = incidents.exports(store, summary.id)
        if export_id is not None:
            made = tuple(e for e in made if e.id == export_id)
        if not made:
            raise UsageError(f"dossier {summary.number} heeft geen export"
                             + (f" met nummer {export_id}" if export_id is not None else "")
                             + "; exporteer het eerst")
        export = made[-1]
        try:
            data = (store.archives / export.path).read_bytes()
        except OSError as error:
            raise Conflict(f"de export {export.path} is niet te lezen: {error}") from None
        digest = hashlib.sha256(data).hexdigest()
        if digest != export.sha256:
            raise Conflict(f"de export {export.path} is gewijzigd sinds hij is gemaakt "
                           "(SHA-256 klopt niet); maak een nieuwe export")
        record = handovers.add(store, incident_number=summary.number,
                               recipient_kind=recipient_kind, recipient=recipient,
                               reference=reference, handed_at=when, handed_by=actor.username,
                               sha256=digest, path=export.path, recorded_at=clock.now_iso())
        audit.append(store, actor.username, "incident.handover", f"incident:{summary.number}",
                     {"recipient": f"{recipient} ({recipient_kind})", "reference": reference,
                      "handed_at": when, "sha256": digest, "path": export.path,
                      "export": export.id}, summary.school_id)
    return record


def list_handovers(store: Store, actor: Actor, incident: int | str) -> list[handovers.Handover]:
    """Every handover of a dossier's exports, oldest first (part of reading the dossier)."""
    summary = _readable(store, actor, incident)
    return handovers.for_incident(store, summary.number)
