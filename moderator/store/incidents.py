"""Incidents: the dossier of one person's behaviour in one school."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from moderator import clock
from moderator import text as untrusted
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import measures
from moderator.policy.roles import AVG, DIRECTOR, TEACHER, Actor
from moderator.store import audit, outbox
from moderator.store.access import log_access
from moderator.store.db import Store


@dataclass(frozen=True)
class IncidentRef:
    id: int
    number: str
    created: bool


def _next_number(store: Store) -> str:
    year = clock.now().year
    prefix = f"INC-{year}-"
    # Destroyed incidents count too: a number is never given out twice.
    last = store.scalar(
        "SELECT number FROM (SELECT number FROM incidents WHERE number LIKE ?"
        " UNION ALL SELECT incident_number FROM destructions WHERE incident_number LIKE ?)"
        " ORDER BY number DESC LIMIT 1", (prefix + "%", prefix + "%"))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def open_or_extend_incident(
    store: Store, *, school_id: str, group_id: str | None, person_id: str | None, actor: str,
) -> IncidentRef:
    """The person's open (not closed) incident in this school, or a new one.
    Call inside the deletion's transaction."""
    with store.write():
        found = store.row(
            "SELECT id, number FROM incidents WHERE school_id = ? AND person_id IS ?"
            " AND status != 'closed' ORDER BY id DESC LIMIT 1", (school_id, person_id))
        if found:
            return IncidentRef(found["id"], found["number"], created=False)
        number = _next_number(store)
        cursor = store.execute(
            "INSERT INTO incidents (number, school_id, group_id, person_id, opened_at, opened_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (number, school_id, group_id, person_id, clock.now_iso(), actor))
        audit.append(store, actor, "incident.open", f"incident:{number}",
                     {"person": person_id, "group": group_id}, school_id)
        return IncidentRef(cursor.lastrowid, number, created=True)


# -- the dossier: reading, timeline entries, closure ------------------------------------------
#
# Rules (policy "Borging en Handhaving"; DESIGN.md, Roles), enforced here:
# * a teacher sees and writes the incidents of the groups they administer, a director
#   those of their school; the AVG coordinator reads every school, read-only, and every
#   read is written to the access log; other roles see no dossiers;
# * external measures (escalation) only by a director;
# * only a director closes, and only after a recorded conversation with the parent or
#   with the director's note on why there was none;
# * entries are append-only (migration trigger); a correction is a new entry that
#   refers to the old one;
# * the status moves forward with the entries and never back (see STATUS_ORDER).

STATUS_ORDER = ("open", "consultation", "parent_spoken", "measure", "escalated", "closed")

STATUS_LABELS = {
    "open": "Open",
    "consultation": "In overleg",
    "parent_spoken": "Ouder gesproken",
    "measure": "Maatregel",
    "escalated": "Geëscaleerd",
    "closed": "Gesloten",
}

LEVEL_LABELS = {"internal": "intern", "external": "extern"}

KIND_LABELS = {
    "deletion": "Verwijdering",
    "consultation": "Overleg leerkracht en directie",
    "parent_conversation": "Gesprek met de ouder",
    "measure": "Maatregel",
    "escalation": "Escalatie",
    "note": "Notitie",
    "correction": "Correctie",
    "closure": "Afsluiting",
    "legal_hold": "Bewaarplicht",
}

# Kinds a user records through add_event; 'closure' goes through close_incident, and
# 'deletion' and 'legal_hold' are written by the deletion and retention work.
ENTRY_KINDS = ("consultation", "parent_conversation", "measure", "escalation", "note", "correction")

# Entries still allowed on a closed incident.
AFTER_CLOSE_KINDS = ("note", "correction")

MAX_TEXT = 20_000


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    number: str
    school_id: str
    school_name: str
    group_id: str | None
    group_name: str | None
    person_id: str | None
    person_name: str | None
    status: str
    level: str
    opened_at: str
    opened_by: str
    closed_at: str | None
    outcome: str | None
    retention_until: str | None
    legal_hold: bool
    n_hardcopies: int
    n_events: int
    last_event_at: str | None
    opened_by_name: str | None = None

    @property
    def opened_by_label(self) -> str:
        """Who opened the dossier: the real name, the account name when there is none."""
        return self.opened_by_name or self.opened_by

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)


@dataclass(frozen=True)
class Event:
    id: int
    incident_id: int
    kind: str
    at: str
    recorded_at: str
    author: str
    author_name: str
    participants: tuple[str, ...]
    text: str
    measure: str | None
    refers_to: int | None
    detail: dict[str, Any]
    corrected_by: tuple[int, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def measure_label(self) -> str:
        return measures.label(self.measure)


@dataclass(frozen=True)
class Hardcopy:
    id: int
    incident_id: int
    item: str
    path: str            # relative to store.archives
    size: int
    sha256: str
    reason: str
    note: str | None
    created_by: str
    created_at: str


@dataclass(frozen=True)
class ExportRecord:
    id: int
    incident_id: int
    path: str            # relative to store.archives
    size: int
    sha256: str
    created_by: str
    created_at: str


@dataclass(frozen=True)
class IncidentDetail:
    incident: IncidentSummary
    events: tuple[Event, ...]
    hardcopies: tuple[Hardcopy, ...]
    exports: tuple[ExportRecord, ...]
    legal_hold_reason: str | None = None

    def __getattr__(self, name: str) -> Any:
        # detail.number, detail.status, ... read through to the summary
        if name.startswith("_") or "incident" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["incident"], name)

    @property
    def has_parent_conversation(self) -> bool:
        return any(e.kind == "parent_conversation" for e in self.events)


_SUMMARY_SQL = """
SELECT i.*, s.name AS school_name, g.name AS group_name, p.name AS person_name,
    (SELECT op.name FROM accounts oa JOIN people op ON op.id = oa.person_id
     WHERE oa.username = i.opened_by) AS opened_by_name,
    (SELECT COUNT(*) FROM hardcopies h WHERE h.incident_id = i.id) AS n_hardcopies,
    (SELECT COUNT(*) FROM incident_events e WHERE e.incident_id = i.id) AS n_events,
    (SELECT MAX(e.at) FROM incident_events e WHERE e.incident_id = i.id) AS last_event_at
FROM incidents i
JOIN schools s ON s.id = i.school_id
LEFT JOIN groups g ON g.id = i.group_id
LEFT JOIN people p ON p.id = i.person_id
"""


def _summary(row: Any) -> IncidentSummary:
    return IncidentSummary(
        id=row["id"], number=row["number"], school_id=row["school_id"],
        school_name=row["school_name"], group_id=row["group_id"], group_name=row["group_name"],
        person_id=row["person_id"], person_name=row["person_name"], status=row["status"],
        level=row["level"], opened_at=row["opened_at"], opened_by=row["opened_by"],
        closed_at=row["closed_at"], outcome=row["outcome"],
        retention_until=row["retention_until"], legal_hold=bool(row["legal_hold"]),
        n_hardcopies=row["n_hardcopies"], n_events=row["n_events"],
        last_event_at=row["last_event_at"], opened_by_name=row["opened_by_name"],
    )


def _scope(actor: Actor) -> tuple[str, list[Any]]:
    """SQL condition (on alias ``i``) for the incidents the actor may read."""
    if actor.role == AVG:
        return "1", []
    if actor.role == DIRECTOR and actor.school_id:
        return "i.school_id = ?", [actor.school_id]
    if actor.role == TEACHER and actor.school_id:
        groups = sorted(actor.admin_groups)
        if not groups:
            return "0", []
        marks = ", ".join("?" for _ in groups)
        return f"i.school_id = ? AND i.group_id IN ({marks})", [actor.school_id, *groups]
    raise PermissionDenied("Met deze rol kunt u geen dossiers inzien.")


def may_read(actor: Actor, incident: IncidentSummary) -> bool:
    if actor.role == AVG:
        return True
    if actor.role == DIRECTOR:
        return incident.school_id == actor.school_id
    if actor.role == TEACHER:
        return incident.school_id == actor.school_id and incident.group_id in actor.admin_groups
    return False


def may_write(actor: Actor, incident: IncidentSummary) -> bool:
    """Record entries: the group's teacher or the school's director; never the AVG role."""
    return actor.role in (TEACHER, DIRECTOR) and may_read(actor, incident)


def may_escalate(actor: Actor, incident: IncidentSummary) -> bool:
    return actor.role == DIRECTOR and incident.school_id == actor.school_id


def may_export(actor: Actor, incident: IncidentSummary) -> bool:
    """An export is a copy of the whole dossier: the director, or the AVG coordinator."""
    return (actor.role == DIRECTOR and incident.school_id == actor.school_id) or actor.role == AVG


def _prefix_bounds(where: list[str], params: list[Any], column: str,
                   since: str | None, until: str | None) -> None:
    # Dates compare as prefixes: until '2026-11-25' includes the whole day.
    for value in (since, until):
        if value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise UsageError(f"ongeldige datum {value!r} (gebruik JJJJ-MM-DD)") from None
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"substr({column}, 1, ?) <= ?")
        params.extend([len(until), until])


def list_incidents(
    store: Store, actor: Actor, *, status: str | None = None, group_id: str | None = None,
    person_id: str | None = None, since: str | None = None, until: str | None = None,
) -> list[IncidentSummary]:
    """Incidents the actor may read, newest first; ``since``/``until`` bound the opening
    date (ISO date or timestamp, both inclusive)."""
    scope, params = _scope(actor)
    where = [scope]
    if status:
        if status not in STATUS_ORDER:
            raise UsageError(f"onbekende status {status!r} (kies uit {', '.join(STATUS_ORDER)})")
        where.append("i.status = ?")
        params.append(status)
    if group_id:
        where.append("i.group_id = ?")
        params.append(group_id)
    if person_id:
        where.append("i.person_id = ?")
        params.append(person_id)
    _prefix_bounds(where, params, "i.opened_at", since, until)
    rows = store.rows(_SUMMARY_SQL + " WHERE " + " AND ".join(where)
                      + " ORDER BY i.opened_at DESC, i.id DESC", params)
    found = [_summary(r) for r in rows]
    if actor.role == AVG:
        log_access(store, actor, "list", person_id=person_id, detail={
            "status": status, "group": group_id, "since": since, "until": until,
            "incidents": [s.number for s in found]})
    return found


def incidents_for_person(store: Store, actor: Actor, person_id: str) -> list[IncidentSummary]:
    """The person's incidents the actor may read (the console's preview of an author)."""
    return list_incidents(store, actor, person_id=person_id)


def _summary_by_ref(store: Store, ref: int | str) -> IncidentSummary:
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        row = store.row(_SUMMARY_SQL + " WHERE i.id = ?", (int(ref),))
    else:
        row = store.row(_SUMMARY_SQL + " WHERE i.number = ?", (str(ref).strip().upper(),))
    if row is None:
        raise NotFound(f"dossier {ref} niet gevonden")
    return _summary(row)


def _readable(store: Store, actor: Actor, ref: int | str) -> IncidentSummary:
    summary = _summary_by_ref(store, ref)
    if not may_read(actor, summary):
        raise PermissionDenied(f"U mag dossier {summary.number} niet inzien.")
    return summary


def timeline_key(at: str, recorded_at: str, event_id: int) -> tuple:
    """Order of the timeline: when it happened, then when it was recorded, then the id.

    A bare date ('2026-11-25') has no time of day; it counts as the moment it was
    recorded when that was the same day, and else as the end of that day (an entry
    is written after what it is about: a talk 'yesterday' follows yesterday's deletion)."""
    try:
        recorded = clock.local(clock.parse(recorded_at))
    except (TypeError, ValueError):
        recorded = None
    try:
        if len(at) == 10:
            day = date.fromisoformat(at)
            if recorded is not None and recorded.date() == day:
                moment = recorded
            else:
                moment = datetime.combine(day, datetime.max.time(), tzinfo=clock.zone())
        else:
            moment = clock.local(clock.parse(at))
    except (TypeError, ValueError):
        moment = recorded or datetime.max.replace(tzinfo=clock.zone())
    return (moment, recorded_at or "", event_id)


def _events(store: Store, incident_id: int) -> tuple[Event, ...]:
    rows = store.rows(
        "SELECT e.*, p.name AS author_name FROM incident_events e"
        " LEFT JOIN accounts a ON a.username = e.author"
        " LEFT JOIN people p ON p.id = a.person_id"
        " WHERE e.incident_id = ? ORDER BY e.at, e.id", (incident_id,))
    rows = sorted(rows, key=lambda r: timeline_key(r["at"], r["recorded_at"], r["id"]))
    corrections: dict[int, list[int]] = {}
    for r in rows:
        if r["refers_to"] is not None:
            corrections.setdefault(r["refers_to"], []).append(r["id"])
    return tuple(
        Event(
            id=r["id"], incident_id=r["incident_id"], kind=r["kind"], at=r["at"],
            recorded_at=r["recorded_at"], author=r["author"],
            author_name=r["author_name"] or r["author"],
            participants=tuple(json.loads(r["participants"] or "[]")), text=r["text"] or "",
            measure=r["measure"], refers_to=r["refers_to"],
            detail=json.loads(r["detail"] or "{}"),
            corrected_by=tuple(corrections.get(r["id"], ())),
        )
        for r in rows
    )


def _hardcopies(store: Store, incident_id: int) -> tuple[Hardcopy, ...]:
    return tuple(
        Hardcopy(id=r["id"], incident_id=r["incident_id"], item=r["item"], path=r["path"],
                 size=r["size"], sha256=r["sha256"], reason=r["reason"], note=r["note"],
                 created_by=r["created_by"], created_at=r["created_at"])
        for r in store.rows("SELECT * FROM hardcopies WHERE incident_id = ? ORDER BY created_at, id",
                            (incident_id,))
    )


def _exports(store: Store, incident_id: int) -> tuple[ExportRecord, ...]:
    return tuple(
        ExportRecord(id=r["id"], incident_id=r["incident_id"], path=r["path"], size=r["size"],
                     sha256=r["sha256"], created_by=r["created_by"], created_at=r["created_at"])
        for r in store.rows("SELECT * FROM exports WHERE incident_id = ? ORDER BY id",
                            (incident_id,))
    )


def get_incident(store: Store, actor: Actor, ref: int | str, log_view: bool = True) -> IncidentDetail:
    """One dossier with its timeline, hard copies and exports. ``ref`` is the id or the
    number ('INC-2026-0001'). The view is written to the access log."""
    summary = _readable(store, actor, ref)
    hold_reason = store.scalar("SELECT legal_hold_reason FROM incidents WHERE id = ?", (summary.id,))
    detail = IncidentDetail(incident=summary, events=_events(store, summary.id),
                            hardcopies=_hardcopies(store, summary.id),
                            exports=_exports(store, summary.id), legal_hold_reason=hold_reason)
    if log_view:
        log_access(store, actor, "view", incident_id=summary.id, person_id=summary.person_id)
    return detail


def parse_at(value: str | None) -> str:
    """When an entry happened: an ISO date or timestamp, not in the future."""
    now = clock.now()
    if value is None or not str(value).strip():
        return clock.now_iso()
    raw = str(value).strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            if day > now.date():
                raise UsageError(f"datum {raw} ligt in de toekomst")
            if day == now.date():
                # today without a time: now, so it follows what happened earlier today
                return clock.now_iso()
            return day.isoformat()
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"ongeldige datum {raw!r} (gebruik JJJJ-MM-DD of JJJJ-MM-DDTUU:MM)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    if moment > now:
        raise UsageError(f"datum {raw} ligt in de toekomst")
    return moment.isoformat(timespec="seconds")


def _clean_participants(participants: Any) -> list[str]:
    if isinstance(participants, str):
        participants = participants.split(",")
    names = [untrusted.one_line(p, 200) for p in participants or ()]
    return [n for n in names if n]


def _advance(current: str, new: str) -> str:
    return new if STATUS_ORDER.index(new) > STATUS_ORDER.index(current) else current


def add_event(
    store: Store, actor: Actor, incident_id: int | str, kind: str, text: str = "", *,
    at: str | None = None, participants: Any = (), measure: str | None = None,
    refers_to: int | None = None,
) -> Event:
    """Append one entry to the incident's timeline and move its status along.

    ``kind`` is one of ENTRY_KINDS. A 'measure' with an external code, and every
    'escalation', needs a director and raises the level to 'external'."""
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
    with store.write():
        summary = _readable(store, actor, incident_id)
        if not may_write(actor, summary):
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
            if chosen.external and actor.role != DIRECTOR:
                raise PermissionDenied(
                    "Alleen de directie kan extern handhaven (aangifte, juridische stappen, andere "
                    "externe handhaving). Leg een interne maatregel vast of overleg met de directie.")
        elif measure:
            raise UsageError(f"een {KIND_LABELS[kind].lower()} heeft geen maatregel")
        if kind == "correction":
            if refers_to is None:
                raise UsageError("een correctie verwijst naar de aantekening die zij corrigeert (--refers-to)")
            old = store.row("SELECT incident_id FROM incident_events WHERE id = ?", (int(refers_to),))
            if old is None or old["incident_id"] != summary.id:
                raise NotFound(f"aantekening {refers_to} hoort niet bij dossier {summary.number}")
        elif refers_to is not None:
            old = store.row("SELECT incident_id FROM incident_events WHERE id = ?", (int(refers_to),))
            if old is None or old["incident_id"] != summary.id:
                raise NotFound(f"aantekening {refers_to} hoort niet bij dossier {summary.number}")
        cursor = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, participants,"
            " text, measure, refers_to, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (summary.id, kind, when, clock.now_iso(), actor.username,
             json.dumps(names, ensure_ascii=False), body, chosen.code if chosen else None,
             int(refers_to) if refers_to is not None else None,
             json.dumps({"scope": chosen.scope} if chosen else {}, ensure_ascii=False)))
        event_id = cursor.lastrowid
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
            store.execute("UPDATE incidents SET status = ?, level = ? WHERE id = ?",
                          (status, level, summary.id))
        # No free text in the audit log: it is hash-chained and outlives the dossier.
        audit.append(store, actor.username, f"incident.{kind}", f"incident:{summary.number}", {
            "event": event_id, "measure": chosen.code if chosen else None,
            "refers_to": refers_to, "status": [summary.status, status],
            "level": [summary.level, level], "participants": len(names)}, summary.school_id)
        if chosen is not None and kind == "measure":
            # Portal sync: read-only, no comments or removal from a group reach the portal.
            outbox.enqueue_measure(store, measure=chosen.code, person_id=summary.person_id,
                                   group_id=summary.group_id, school_id=summary.school_id,
                                   actor=actor.username, incident=summary.number, start=when,
                                   actor_person=actor.person_id)
    return next(e for e in _events(store, summary.id) if e.id == event_id)


def escalate(store: Store, actor: Actor, incident_id: int | str, measure: str, text: str, *,
             at: str | None = None, participants: Any = ()) -> Event:
    """An external measure: a report to the police, legal steps or other enforcement."""
    return add_event(store, actor, incident_id, "escalation", text, at=at,
                     participants=participants, measure=measure)


def retention_years(store: Store) -> int:
    """The retention term (setting 'retention_years', default 2); owned by the retention
    module, imported late because it imports this one."""
    from moderator.store import retention

    return retention.retention_years(store)


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
        if not (actor.role == DIRECTOR and summary.school_id == actor.school_id):
            raise PermissionDenied("Alleen de directie van de school sluit een dossier af.")
        if summary.status == "closed":
            raise Conflict(f"dossier {summary.number} is al gesloten")
        spoken = store.scalar(
            "SELECT COUNT(*) FROM incident_events WHERE incident_id = ?"
            " AND kind = 'parent_conversation'", (summary.id,))
        if not spoken and not why:
            raise UsageError(
                f"dossier {summary.number} heeft nog geen gesprek met de ouder; leg dat eerst vast "
                "of geef als directie aan waarom er geen gesprek was (--without-conversation)")
        now = clock.now()
        closed_at = now.isoformat(timespec="seconds")
        from moderator.store import retention

        years = retention.retention_years(store)
        until = retention.retention_until(now, years)
        detail: dict[str, Any] = {"retention_years": years}
        if why and not spoken:
            detail["without_conversation"] = why
        elif why:
            detail["note"] = why
        cursor = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text, detail)"
            " VALUES (?, 'closure', ?, ?, ?, ?, ?)",
            (summary.id, closed_at, closed_at, actor.username, body,
             json.dumps(detail, ensure_ascii=False)))
        store.execute(
            "UPDATE incidents SET status = 'closed', closed_at = ?, outcome = ?,"
            " retention_until = ? WHERE id = ?", (closed_at, body, until, summary.id))
        audit.append(store, actor.username, "incident.close", f"incident:{summary.number}", {
            "event": cursor.lastrowid, "status": [summary.status, "closed"],
            "without_conversation": bool(why and not spoken), "retention_until": until},
            summary.school_id)
    return _summary_by_ref(store, summary.id)


def record_export(
    store: Store, actor: Actor, incident_id: int, path: str, size: int, sha256: str,
) -> ExportRecord:
    """Register a written dossier export (path relative to the archive folder)."""
    with store.write():
        summary = _readable(store, actor, incident_id)
        if not may_export(actor, summary):
            raise PermissionDenied("Alleen de directie of de AVG-coördinator exporteert een dossier.")
        now = clock.now_iso()
        cursor = store.execute(
            "INSERT INTO exports (incident_id, path, size, sha256, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (summary.id, path, size, sha256, actor.username, now))
        log_access(store, actor, "export", incident_id=summary.id, person_id=summary.person_id,
                   detail={"path": path, "sha256": sha256})
        audit.append(store, actor.username, "incident.export", f"incident:{summary.number}",
                     {"export": cursor.lastrowid, "path": path, "sha256": sha256, "size": size},
                     summary.school_id)
    return ExportRecord(cursor.lastrowid, summary.id, path, size, sha256, actor.username, now)


@contextmanager
def destroying(store: Store, incident_id: int) -> Iterator[Store]:
    """The one escape from append-only entries, for the AVG retention destroy: inside
    this block (one write transaction) the incident's entries may be updated or
    deleted. Marked by the settings row 'destroying' = incident id, which the triggers
    of migration 3 check; removed again before the block ends."""
    with store.write():
        store.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('destroying', ?)",
                      (str(incident_id),))
        try:
            yield store
        finally:
            store.execute("DELETE FROM settings WHERE key = 'destroying'")
