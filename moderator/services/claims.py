"""Claim and assign: "ik pak dit op", give it to a colleague, hand it back.

Subjects are queue items ('post:ID', 'comment:ID') and dossiers (their number,
'INC-2026-0001'). Who may hold an item: the teachers who administer its group and the
school's director; a dossier: the teachers of its group and the director."""

from __future__ import annotations

from dataclasses import dataclass

from moderator import clock
from moderator import text as untrusted
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.services import dossier
from moderator.services.queue import get_entry
from moderator.store import audit, claims
from moderator.store.claims import Claim, Colleague
from moderator.store.db import Store


@dataclass(frozen=True)
class Subject:
    key: str                 # 'post:ID' | 'comment:ID' | 'incident:NUMBER'
    label: str               # for messages: 'post:ID' or 'dossier INC-…'
    school_id: str
    group_id: str | None
    is_incident: bool


def resolve(store: Store, actor: Actor, ref: str) -> Subject:
    """An item in the actor's queue, or a dossier the actor may handle."""
    ref = (ref or "").strip()
    if ref.startswith(("post:", "comment:")):
        entry = get_entry(store, actor, ref)
        if entry is None:
            raise NotFound(f"{untrusted.one_line(ref, 80)} staat niet (meer) in uw wachtrij")
        return Subject(ref, ref, entry.school_id, entry.group_id, False)
    number = ref.removeprefix("incident:")
    try:
        summary = dossier.get_incident(store, actor, number, log_view=False).incident
    except NotFound:
        raise NotFound(f"onbekend item of dossier {untrusted.one_line(ref, 80)!r}"
                       " (gebruik post:ID, comment:ID of een dossiernummer)") from None
    if not access.may_handle_incident(actor, summary.school_id, summary.group_id):
        raise PermissionDenied(f"U mag dossier {summary.number} niet oppakken of toewijzen.")
    return Subject(f"incident:{summary.number}", f"dossier {summary.number}",
                   summary.school_id, summary.group_id, True)


def _held_message(subject: Subject, claim: Claim) -> str:
    return (f"{subject.label} is al opgepakt door {untrusted.one_line(claim.holder_name, 60)}"
            f" (sinds {clock.display(claim.claimed_at)}); vraag het over te dragen of kies"
            " een ander item")


def claim(store: Store, actor: Actor, ref: str) -> Claim:
    """Ik pak dit op. A second console claiming the same item gets a Conflict."""
    with store.write():
        subject = resolve(store, actor, ref)
        if not claims.take(store, subject.key, subject.school_id, actor.username,
                           actor.username):
            held = claims.get_claim(store, subject.key)
            if held is not None and held.holder == actor.username:
                raise Conflict(f"u heeft {subject.label} al opgepakt")
            raise Conflict(_held_message(subject, held))
        audit.append(store, actor.username, "claim.take", subject.key, {}, subject.school_id)
    return claims.get_claim(store, subject.key)


def _may_hold(colleague: Colleague, subject: Subject) -> bool:
    if colleague.role == "director":
        return True
    return colleague.role == "teacher" and subject.group_id in colleague.admin_groups


def candidates(store: Store, actor: Actor, ref: str) -> list[Colleague]:
    """Colleagues of the school who may be given this item or dossier."""
    subject = resolve(store, actor, ref)
    return [c for c in claims.colleagues(store, subject.school_id) if _may_hold(c, subject)]


def assign(store: Store, actor: Actor, ref: str, username: str) -> Claim:
    """Give an item or dossier to a colleague with the right role in that school.
    A teacher assigns what she holds or what nobody holds; the director anything."""
    with store.write():
        subject = resolve(store, actor, ref)
        colleague = next((c for c in claims.colleagues(store, subject.school_id)
                          if c.username == username), None)
        if colleague is None:
            raise UsageError(f"{untrusted.one_line(username, 60)!r} is geen actief account van"
                             " deze school (leerkracht of directie)")
        if not _may_hold(colleague, subject):
            raise UsageError(f"{untrusted.one_line(colleague.name, 60)} beheert deze groep niet;"
                             " kies de leerkracht van de groep of de directie")
        held = claims.get_claim(store, subject.key)
        if (held is not None and held.holder not in (actor.username, username)
                and not actor.is_director):
            raise Conflict(_held_message(subject, held))
        claims.put(store, subject.key, subject.school_id, username, actor.username)
        audit.append(store, actor.username, "claim.assign", subject.key, {
            "to": username, "from": held.holder if held else None}, subject.school_id)
    return claims.get_claim(store, subject.key)


def release(store: Store, actor: Actor, ref: str) -> None:
    """Hand back: the holder (or the director) frees the item or dossier."""
    with store.write():
        subject = resolve(store, actor, ref)
        held = claims.get_claim(store, subject.key)
        if held is None:
            raise Conflict(f"{subject.label} is door niemand opgepakt")
        if held.holder != actor.username and not actor.is_director:
            raise PermissionDenied(f"{subject.label} is opgepakt door"
                                   f" {untrusted.one_line(held.holder_name, 60)}; alleen die of"
                                   " de directie geeft het terug")
        if not claims.drop(store, subject.key, held.holder):
            raise Conflict(f"{subject.label} is net door iemand anders teruggegeven")
        audit.append(store, actor.username, "claim.release", subject.key,
                     {"from": held.holder}, subject.school_id)


def held(store: Store, actor: Actor, ref: str) -> Claim | None:
    subject = resolve(store, actor, ref)
    return claims.get_claim(store, subject.key)
