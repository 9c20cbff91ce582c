"""School provisions: a director proposes a school-specific rule for her own school, the
AVG coordinator approves or rejects it (policy, "Waarom deze afspraken en voor wie gelden
ze?", punt 3). Only approved provisions apply. Every proposal and decision is in the
audit log, in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any

from moderator import clock
from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.policy.access import (
    DIRECTOR,
    Actor,
    may_audit,
    may_propose_provision,
    may_read_provisions,
)
from moderator.policy.catalogue import ITEM_REASONS
from moderator.store import audit
from moderator.store import provisions as rows
from moderator.store.db import Store
from moderator.store.provisions import KIND_LABELS, KINDS, STATUS_LABELS, Provision, describe

__all__ = ["IDENTITY_ALLOWABLE", "KINDS", "KIND_LABELS", "MAX_WORDS", "STATUS_LABELS",
           "Provision", "approve", "approved_provisions", "decide", "describe",
           "list_provisions", "propose", "reject", "validate"]

IDENTITY_ALLOWABLE = ("political_religious",)
MAX_WORDS = 500


def _int_in(detail: dict, key: str, low: int, high: int) -> int:
    value = detail.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise UsageError(f"Bepaling: {key!r} moet een geheel getal van {low} tot {high} zijn.")
    return value


def validate(kind: str, detail: Any) -> dict[str, Any]:
    """The detail, normalised; UsageError naming what is wrong."""
    if kind not in KINDS:
        raise UsageError(f"Onbekende soort bepaling {kind!r} (kies uit {', '.join(KINDS)}).")
    if not isinstance(detail, dict):
        raise UsageError("De inhoud van een bepaling is een JSON-object.")
    if kind == "words":
        reason = detail.get("reason")
        if reason not in ITEM_REASONS:
            raise UsageError(f"Bepaling: {reason!r} is geen redencode uit de catalogus.")
        words = detail.get("words")
        if not isinstance(words, list) or not words or len(words) > MAX_WORDS:
            raise UsageError(f"Bepaling: 'words' is een lijst van 1 tot {MAX_WORDS} woorden.")
        cleaned = []
        for word in words:
            if not isinstance(word, str) or not word.strip() or len(word) > 100:
                raise UsageError(f"Bepaling: {word!r} is geen woord (1 tot 100 tekens).")
            if word.strip().lower() not in cleaned:
                cleaned.append(word.strip().lower())
        return {"reason": reason, "words": cleaned}
    if kind == "frequency":
        result = {"max_per_day": _int_in(detail, "max_per_day", 1, 50),
                  "min_per_week": _int_in(detail, "min_per_week", 0, 50)}
        if result["min_per_week"] > 7 * result["max_per_day"]:
            raise UsageError("Bepaling: min_per_week kan niet groter zijn dan 7 x max_per_day.")
        return result
    allow = detail.get("allow")
    if not isinstance(allow, list) or not allow or any(a not in IDENTITY_ALLOWABLE for a in allow):
        raise UsageError(f"Bepaling: 'allow' noemt codes uit {', '.join(IDENTITY_ALLOWABLE)}.")
    return {"allow": sorted(set(allow))}


def propose(store: Store, actor: Actor, kind: str, detail: Any,
            school_id: str | None = None) -> Provision:
    """A director proposes a provision for their own school."""
    school_id = school_id or actor.school_id
    if not may_propose_provision(actor, school_id):
        raise PermissionDenied(
            "De directie stelt alleen bepalingen voor de eigen school voor."
            if actor.role == DIRECTOR else "Alleen de directie stelt schoolbepalingen voor.")
    clean = validate(kind, detail)
    with store.write():
        provision_id = rows.insert(store, school_id=school_id, kind=kind, detail=clean,
                                   proposed_by=actor.username, proposed_at=clock.now_iso())
        audit.append(store, actor.username, "provision.propose", f"provision:{provision_id}",
                     {"kind": kind, "detail": clean}, school_id)
    return rows.get_provision(store, provision_id)


def decide(store: Store, actor: Actor, provision_id: int, approve: bool,
           note: str | None = None) -> Provision:
    """The AVG coordinator approves or rejects a proposed provision."""
    if not may_audit(actor):
        raise PermissionDenied("Alleen de AVG-coördinator keurt bepalingen goed of af.")
    note = " ".join((note or "").split()) or None
    if not approve and not note:
        raise UsageError("Een afwijzing heeft een toelichting nodig.")
    with store.write():
        current = rows.get_provision(store, provision_id)
        if current.status != "proposed":
            raise Conflict(f"Bepaling {provision_id} is al {STATUS_LABELS.get(current.status, current.status)}.")
        status = "approved" if approve else "rejected"
        rows.set_decision(store, provision_id, status=status, decided_by=actor.username,
                          decided_at=clock.now_iso(), note=note)
        audit.append(store, actor.username, f"provision.{'approve' if approve else 'reject'}",
                     f"provision:{provision_id}",
                     {"kind": current.kind, "detail": current.detail, "note": note},
                     current.school_id)
    return rows.get_provision(store, provision_id)


def approve(store: Store, actor: Actor, provision_id: int, note: str | None = None) -> Provision:
    return decide(store, actor, provision_id, True, note)


def reject(store: Store, actor: Actor, provision_id: int, note: str) -> Provision:
    return decide(store, actor, provision_id, False, note)


def list_provisions(store: Store, actor: Actor, *, status: str | None = None,
                    school_id: str | None = None) -> list[Provision]:
    """AVG: all schools; a director: their own school; others: not allowed."""
    if actor.role == DIRECTOR and school_id is None:
        school_id = actor.school_id
    if not may_read_provisions(actor, school_id):
        raise PermissionDenied(
            "De directie ziet alleen de bepalingen van de eigen school."
            if actor.role == DIRECTOR else
            "Alleen de directie en de AVG-coördinator zien schoolbepalingen.")
    return rows.list_provisions(store, status=status, school_id=school_id)


def approved_provisions(store: Store, school_id: str, kind: str | None = None) -> list[Provision]:
    """What applies in a school (for the detectors); no actor: this is policy, not a read."""
    return rows.approved_provisions(store, school_id, kind)
