"""Incidents (the dossier of one person's behaviour in one school): their rows.

Summaries, the timeline, hard copy and export records, and the writes the dossier
service makes (entries, status, closing, exports). Access and the rules of the timeline
are :mod:`moderator.services.dossier`'s; the store receives a
:class:`~moderator.policy.access.Scope` for what an actor may list. One exception: the
deletion opens or extends an incident inside its own transaction through
:func:`open_or_extend_incident`, which writes the 'incident.open' audit entry there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from moderator import clock, labels
from moderator.errors import NotFound
from moderator.policy import measures
from moderator.store import audit
from moderator.store.db import Store
from moderator.store.letters import Letter, list_letters

if TYPE_CHECKING:
    from moderator.policy.access import Scope


@dataclass(frozen=True)
class IncidentRef:
    id: int
    number: str
    created: bool


def next_number(store: Store) -> str:
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
        number = next_number(store)
        role = store.scalar("SELECT role FROM people WHERE id = ?", (person_id,))
        kind = "staff" if role in STAFF_PERSON_ROLES else "parent"
        cursor = store.execute(
            "INSERT INTO incidents (number, school_id, group_id, person_id, opened_at, opened_by,"
            " kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, school_id, group_id, person_id, clock.now_iso(), actor, kind))
        audit.append(store, actor, "incident.open", f"incident:{number}",
                     {"person": person_id, "group": group_id, "kind": kind}, school_id)
        return IncidentRef(cursor.lastrowid, number, created=True)


# -- the dossier: reading, timeline entries, closure ------------------------------------------
#
# Rows only: who may read or write, and how the status moves, is decided by
# moderator.services.dossier (the rules are listed there). Entries are append-only
# (migration trigger); a correction is a new entry that refers to the old one.

# A dossier about a staff member's own message (kind 'staff') is the director's: the
# teachers of the group do not see it, and closing it asks for no talk with a parent.
STAFF_PERSON_ROLES = ("teacher", "director", "school_admin")
INCIDENT_KIND_LABELS = {"parent": "ouder", "staff": "personeel"}

STATUS_ORDER = ("open", "consultation", "parent_spoken", "measure", "escalated", "closed")

# Labels as a heading or a table cell shows them ('In overleg'); one source: labels.py.
STATUS_LABELS = {code: label[:1].upper() + label[1:] for code, label in labels.STATUSES.items()}

LEVEL_LABELS = measures.SCOPE_LABELS     # an incident's level is a measure's scope

KIND_LABELS = labels.EVENT_KINDS

# Kinds a user records through add_event; 'closure' goes through close_incident, and
# 'deletion' and 'legal_hold' are written by the deletion and retention work.
ENTRY_KINDS = ("consultation", "parent_conversation", "measure", "escalation", "note", "correction")

# Entries still allowed on a closed incident.
AFTER_CLOSE_KINDS = ("note", "correction")


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
    kind: str = "parent"                 # 'parent' | 'staff'

    @property
    def kind_label(self) -> str:
        return INCIDENT_KIND_LABELS.get(self.kind, self.kind)

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
    letters: tuple[Letter, ...] = ()     # letters and notices filed in the dossier

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
        kind=row["kind"] if "kind" in row.keys() else "parent",
    )


def _prefix_bounds(where: list[str], params: list[Any], column: str,
                   since: str | None, until: str | None) -> None:
    # Dates compare as prefixes: until '2026-11-25' includes the whole day.
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"substr({column}, 1, ?) <= ?")
        params.extend([len(until), until])


def _scope_sql(scope: Scope) -> tuple[str, list[Any]]:
    """SQL condition (on alias ``i``) for the incidents inside ``scope``."""
    if scope.nothing:
        return "0", []
    where: list[str] = []
    params: list[Any] = []
    for column, values in (("i.school_id", scope.schools), ("i.group_id", scope.groups),
                           ("i.kind", scope.kinds)):
        if values is not None:
            ordered = sorted(values)
            where.append(f"{column} IN ({', '.join('?' for _ in ordered)})")
            params.extend(ordered)
    return (" AND ".join(where) or "1"), params


def list_incidents(
    store: Store, scope: Scope, *, status: str | None = None, group_id: str | None = None,
    person_id: str | None = None, since: str | None = None, until: str | None = None,
) -> list[IncidentSummary]:
    """Incidents inside ``scope``, newest first; ``since``/``until`` bound the opening
    date (ISO date or timestamp, both inclusive)."""
    condition, params = _scope_sql(scope)
    where = [condition]
    for column, value in (("i.status", status), ("i.group_id", group_id),
                          ("i.person_id", person_id)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    _prefix_bounds(where, params, "i.opened_at", since, until)
    rows = store.rows(_SUMMARY_SQL + " WHERE " + " AND ".join(where)
                      + " ORDER BY i.opened_at DESC, i.id DESC", params)
    return [_summary(r) for r in rows]


def summary(store: Store, ref: int | str) -> IncidentSummary:
    """One incident by id or number ('INC-2026-0001'); NotFound when there is none."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        row = store.row(_SUMMARY_SQL + " WHERE i.id = ?", (int(ref),))
    else:
        row = store.row(_SUMMARY_SQL + " WHERE i.number = ?", (str(ref).strip().upper(),))
    if row is None:
        raise NotFound(f"dossier {ref} niet gevonden")
    return _summary(row)


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


def events(store: Store, incident_id: int) -> tuple[Event, ...]:
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


def hardcopies(store: Store, incident_id: int) -> tuple[Hardcopy, ...]:
    return tuple(
        Hardcopy(id=r["id"], incident_id=r["incident_id"], item=r["item"], path=r["path"],
                 size=r["size"], sha256=r["sha256"], reason=r["reason"], note=r["note"],
                 created_by=r["created_by"], created_at=r["created_at"])
        for r in store.rows("SELECT * FROM hardcopies WHERE incident_id = ? ORDER BY created_at, id",
                            (incident_id,))
    )


def exports(store: Store, incident_id: int) -> tuple[ExportRecord, ...]:
    return tuple(
        ExportRecord(id=r["id"], incident_id=r["incident_id"], path=r["path"], size=r["size"],
                     sha256=r["sha256"], created_by=r["created_by"], created_at=r["created_at"])
        for r in store.rows("SELECT * FROM exports WHERE incident_id = ? ORDER BY id",
                            (incident_id,))
    )


def detail(store: Store, incident: IncidentSummary) -> IncidentDetail:
    """The dossier with its timeline, hard copies and exports."""
    hold_reason = store.scalar("SELECT legal_hold_reason FROM incidents WHERE id = ?",
                               (incident.id,))
    return IncidentDetail(incident=incident, events=events(store, incident.id),
                          hardcopies=hardcopies(store, incident.id),
                          exports=exports(store, incident.id), legal_hold_reason=hold_reason,
                          letters=tuple(list_letters(store, incident_id=incident.id)))


def event_incident_id(store: Store, event_id: int) -> int | None:
    """The incident an entry belongs to; None when there is no such entry."""
    return store.scalar("SELECT incident_id FROM incident_events WHERE id = ?", (int(event_id),))


def has_parent_conversation(store: Store, incident_id: int) -> bool:
    return bool(store.scalar(
        "SELECT COUNT(*) FROM incident_events WHERE incident_id = ?"
        " AND kind = 'parent_conversation'", (incident_id,)))


def insert_event(
    store: Store, incident_id: int, kind: str, *, at: str, recorded_at: str, author: str,
    text: str, participants: list[str] | None = None, measure: str | None = None,
    refers_to: int | None = None, detail: dict[str, Any] | None = None,
) -> int:
    """Append one timeline entry; returns its id."""
    with store.write():
        cursor = store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, participants,"
            " text, measure, refers_to, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, kind, at, recorded_at, author,
             json.dumps(participants or [], ensure_ascii=False),
             text, measure, refers_to, json.dumps(detail or {}, ensure_ascii=False)))
        store.event_written(cursor.lastrowid)
    return cursor.lastrowid


def set_status(store: Store, incident_id: int, status: str, level: str) -> None:
    with store.write():
        store.execute("UPDATE incidents SET status = ?, level = ? WHERE id = ?",
                      (status, level, incident_id))


def close(store: Store, incident_id: int, *, closed_at: str, outcome: str,
          retention_until: str) -> None:
    with store.write():
        store.execute(
            "UPDATE incidents SET status = 'closed', closed_at = ?, outcome = ?,"
            " retention_until = ? WHERE id = ?", (closed_at, outcome, retention_until, incident_id))


def insert_export(store: Store, incident_id: int, path: str, size: int, sha256: str,
                  created_by: str, created_at: str) -> ExportRecord:
    """Register a written dossier export (path relative to the archive folder)."""
    with store.write():
        cursor = store.execute(
            "INSERT INTO exports (incident_id, path, size, sha256, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (incident_id, path, size, sha256, created_by, created_at))
    return ExportRecord(cursor.lastrowid, incident_id, path, size, sha256, created_by, created_at)
