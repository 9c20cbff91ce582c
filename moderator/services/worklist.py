"""Worklists: what waits for a user, by role. The console shows it after login and
``moderator due`` prints it (for a daily e-mail by cron).

* teacher: the overdue items of her groups, her open dossiers, what she holds;
* director: the overdue items of the school, new dossiers, consultations, dossiers
  about a threat still without an escalation decision, dossiers ready to close,
  measures ending within seven days, what she holds;
* AVG coordinator: closed dossiers past their retention term.

Entries carry portal text (names); callers clean it at the edge (text.line_text for
Rich, one_line for plain output)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from moderator import clock
from moderator.errors import PermissionDenied
from moderator.policy import access
from moderator.policy.access import AVG, DIRECTOR, Actor
from moderator.policy.catalogue import REASONS
from moderator.services import dossier
from moderator.services import retention as retention_service
from moderator.store import (
    claims,
    incidents,
    measure_terms,
    objections,
    worklists,
    worktime,
)
from moderator.store.db import Store

SHOWN = 20           # entries per section; the section's total says how many there are


@dataclass(frozen=True)
class WorkItem:
    subject: str                 # 'comment:ID' | 'post:ID' | 'INC-2026-0001'
    text: str                    # one line of Dutch, may hold portal names
    when: str | None = None      # the moment that matters (deadline, opened, ends), ISO
    incident_id: int | None = None


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    items: tuple[WorkItem, ...]
    total: int


@dataclass(frozen=True)
class Worklist:
    username: str
    name: str
    role: str
    at: str
    sections: tuple[WorkSection, ...]

    @property
    def empty(self) -> bool:
        return not any(s.total for s in self.sections)

    def as_dict(self) -> dict:
        return {"user": self.username, "role": self.role, "at": self.at, "sections": [
            {"key": s.key, "title": s.title, "total": s.total, "items": [
                {"subject": i.subject, "text": i.text, "when": i.when} for i in s.items]}
            for s in self.sections]}


def reason_label(code: str) -> str:
    return REASONS[code].label if code in REASONS else code


def _section(key: str, title: str, items: list[WorkItem], total: int | None = None
             ) -> WorkSection:
    return WorkSection(key, title, tuple(items[:SHOWN]), len(items) if total is None else total)


def _overdue(store: Store, actor: Actor) -> WorkSection:
    try:
        scope = access.queue_scope(actor)
    except PermissionDenied:
        return [], 0
    entries, total = worklists.overdue_items(store, scope, worktime.now_utc(), SHOWN)
    items = [WorkItem(e.item, f"{reason_label(e.reasons[0]) if e.reasons else ''} in"
                      f" {e.group_name}: termijn {clock.display(e.due_at)}"
                      + (f", bij {e.holder_name}" if e.holder_name else ""), e.due_at)
             for e in entries]
    return _section("overdue", "Over de termijn", items, total)


def _dossier_item(s: incidents.IncidentSummary, extra: str = "") -> WorkItem:
    who = s.person_name or "onbekend"
    return WorkItem(s.number, f"{who} ({s.group_name or '-'}), {s.status_label.lower()}"
                    f", geopend {clock.display(s.opened_at)[:10]}{extra}", s.opened_at, s.id)


def _held(store: Store, actor: Actor) -> WorkSection:
    items = [WorkItem(c.subject.removeprefix("incident:"),
                      f"opgepakt {clock.display(c.claimed_at)}"
                      + ("" if c.claimed_by == actor.username else f", toegewezen door {c.claimed_by}"),
                      c.claimed_at) for c in claims.held_by(store, actor.username)]
    return _section("held", "Bij mij", items)


def worklist(store: Store, actor: Actor) -> Worklist:
    if not access.may_see_worklist(actor):
        raise PermissionDenied("Voor deze rol is er geen werklijst.")
    sections: list[WorkSection] = []
    if actor.role == AVG:
        expired = retention_service.list_retention(store, actor, expired_only=True)
        sections.append(_section("retention", "Bewaartermijn verlopen", [
            WorkItem(r.number, f"{r.school_name}: bewaren tot"
                     f" {clock.display(r.retention_until)[:10]}"
                     + (" (bewaarplicht)" if r.legal_hold else ""), r.retention_until, r.id)
            for r in expired]))
    else:
        sections.append(_overdue(store, actor))
        open_ones = [s for s in dossier.list_incidents(store, actor) if s.status != "closed"]
        if actor.role == DIRECTOR:
            threats = worklists.incidents_with_reason(store, actor.school_id, "threat")
            talked = worklists.incidents_with_talk(store, actor.school_id)
            sections += [
                _section("new", "Nieuwe dossiers",
                         [_dossier_item(s) for s in open_ones if s.status == "open"]),
                _section("consultation", "Overleg gevraagd",
                         [_dossier_item(s) for s in open_ones if s.status == "consultation"]),
                _section("escalation", "Escalatie beslissen (bedreiging)",
                         [_dossier_item(s) for s in open_ones
                          if s.id in threats and s.level == "internal"]),
                _section("close", "Klaar om af te sluiten",
                         [_dossier_item(s) for s in open_ones
                          if s.id in talked and s.status in ("parent_spoken", "measure")]),
            ]
            today = clock.now().date()
            sections.append(_section("objections", "Bezwaren te beslissen", [
                WorkItem(o.incident_number, f"bezwaar {o.id} tegen {o.subject_label}: beslissen"
                         f" uiterlijk {clock.display(o.due_on.isoformat())}"
                         + (" (te laat)" if o.late(today) else ""), o.due_on.isoformat(),
                         o.incident_id)
                for o in objections.open_for_school(store, actor.school_id)]))
            ending = measure_terms.ending_between(store, actor.school_id, today,
                                                  today + timedelta(days=7))
            sections.append(_section("measures", "Maatregelen die deze week eindigen", [
                WorkItem(t.incident_number, f"{t.label} voor {t.person_name or 'onbekend'}:"
                         f" eindigt {clock.display(t.ends_on.isoformat())}",
                         t.ends_on.isoformat(), t.incident_id) for t in ending]))
        else:
            sections.append(_section("dossiers", "Mijn open dossiers",
                                     [_dossier_item(s) for s in open_ones]))
        sections.append(_held(store, actor))
    return Worklist(actor.username, actor.name, actor.role, clock.now_iso(), tuple(sections))
