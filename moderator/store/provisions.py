"""School provisions: school-specific rules a director proposes and the AVG coordinator
approves or rejects (policy, "Waarom deze afspraken en voor wie gelden ze?", punt 3:
schools may work some rules out more specifically, with the coordinator's approval).

Kinds and their ``detail``:

* ``words``: ``{"reason": code, "words": [...]}`` extra words that raise ``reason``;
* ``frequency``: ``{"max_per_day": n, "min_per_week": n}`` another posting frequency;
* ``identity``: ``{"allow": ["political_religious"]}`` expressions that fit the school's
  identity (policy, "Wat kunnen we plaatsen ...", punt 10).

Only approved provisions (``status = 'approved'``) apply; the detectors read them from
the ``provisions`` table (or :func:`approved_provisions`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moderator import clock
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy.access import AVG, DIRECTOR, Actor
from moderator.policy.catalogue import ITEM_REASONS
from moderator.store import audit
from moderator.store.db import Store

KINDS = ("words", "frequency", "identity")
KIND_LABELS = {
    "words": "Extra woorden",
    "frequency": "Berichtfrequentie",
    "identity": "Identiteit van de school",
}
STATUS_LABELS = {"proposed": "voorgesteld", "approved": "goedgekeurd", "rejected": "afgewezen"}
IDENTITY_ALLOWABLE = ("political_religious",)
MAX_WORDS = 500


@dataclass(frozen=True)
class Provision:
    id: int
    school_id: str
    school_name: str
    kind: str
    detail: dict[str, Any]
    proposed_by: str
    proposed_at: str
    status: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None

    @property
    def summary(self) -> str:
        """A plain (untrusted: show through moderator.text) one-line description."""
        return describe(self.kind, self.detail)


def describe(kind: str, detail: dict[str, Any]) -> str:
    if kind == "words":
        return f"{detail.get('reason')}: " + ", ".join(detail.get("words", []))
    if kind == "frequency":
        return (f"hoogstens {detail.get('max_per_day')} per dag,"
                f" minstens {detail.get('min_per_week')} per week")
    if kind == "identity":
        return "toegestaan: " + ", ".join(detail.get("allow", []))
    return json.dumps(detail, ensure_ascii=False)


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


def _provision(row) -> Provision:
    return Provision(
        id=row["id"], school_id=row["school_id"], school_name=row["school_name"],
        kind=row["kind"], detail=json.loads(row["detail"]), proposed_by=row["proposed_by"],
        proposed_at=row["proposed_at"], status=row["status"], decided_by=row["decided_by"],
        decided_at=row["decided_at"], decision_note=row["decision_note"])


_SELECT = ("SELECT p.*, s.name AS school_name FROM provisions p"
           " JOIN schools s ON s.id = p.school_id")


def get_provision(store: Store, provision_id: int) -> Provision:
    row = store.row(_SELECT + " WHERE p.id = ?", (provision_id,))
    if row is None:
        raise NotFound(f"Bepaling {provision_id} bestaat niet.")
    return _provision(row)


def propose(store: Store, actor: Actor, kind: str, detail: Any,
            school_id: str | None = None) -> Provision:
    """A director proposes a provision for their own school."""
    if actor.role != DIRECTOR:
        raise PermissionDenied("Alleen de directie stelt schoolbepalingen voor.")
    school_id = school_id or actor.school_id
    if school_id != actor.school_id:
        raise PermissionDenied("De directie stelt alleen bepalingen voor de eigen school voor.")
    clean = validate(kind, detail)
    with store.write():
        cursor = store.execute(
            "INSERT INTO provisions (school_id, kind, detail, proposed_by, proposed_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (school_id, kind, json.dumps(clean, ensure_ascii=False, sort_keys=True),
             actor.username, clock.now_iso()))
        provision_id = cursor.lastrowid
        audit.append(store, actor.username, "provision.propose", f"provision:{provision_id}",
                     {"kind": kind, "detail": clean}, school_id)
    return get_provision(store, provision_id)


def decide(store: Store, actor: Actor, provision_id: int, approve: bool,
           note: str | None = None) -> Provision:
    """The AVG coordinator approves or rejects a proposed provision."""
    if actor.role != AVG:
        raise PermissionDenied("Alleen de AVG-coördinator keurt bepalingen goed of af.")
    note = " ".join((note or "").split()) or None
    if not approve and not note:
        raise UsageError("Een afwijzing heeft een toelichting nodig.")
    with store.write():
        current = get_provision(store, provision_id)
        if current.status != "proposed":
            raise Conflict(f"Bepaling {provision_id} is al {STATUS_LABELS.get(current.status, current.status)}.")
        status = "approved" if approve else "rejected"
        store.execute("UPDATE provisions SET status = ?, decided_by = ?, decided_at = ?,"
                      " decision_note = ? WHERE id = ?",
                      (status, actor.username, clock.now_iso(), note, provision_id))
        audit.append(store, actor.username, f"provision.{'approve' if approve else 'reject'}",
                     f"provision:{provision_id}",
                     {"kind": current.kind, "detail": current.detail, "note": note},
                     current.school_id)
    return get_provision(store, provision_id)


def approve(store: Store, actor: Actor, provision_id: int, note: str | None = None) -> Provision:
    return decide(store, actor, provision_id, True, note)


def reject(store: Store, actor: Actor, provision_id: int, note: str) -> Provision:
    return decide(store, actor, provision_id, False, note)


def list_provisions(store: Store, actor: Actor, *, status: str | None = None,
                    school_id: str | None = None) -> list[Provision]:
    """AVG: all schools; a director: their own school; others: not allowed."""
    if actor.role == DIRECTOR:
        if school_id not in (None, actor.school_id):
            raise PermissionDenied("De directie ziet alleen de bepalingen van de eigen school.")
        school_id = actor.school_id
    elif actor.role != AVG:
        raise PermissionDenied("Alleen de directie en de AVG-coördinator zien schoolbepalingen.")
    where, params = [], []
    if status:
        where.append("p.status = ?")
        params.append(status)
    if school_id:
        where.append("p.school_id = ?")
        params.append(school_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY p.status != 'proposed', p.proposed_at DESC, p.id DESC"
    return [_provision(r) for r in store.rows(sql, params)]


def approved_provisions(store: Store, school_id: str, kind: str | None = None) -> list[Provision]:
    """What applies in a school (for the detectors); no actor: this is policy, not a read."""
    sql = _SELECT + " WHERE p.school_id = ? AND p.status = 'approved'"
    params: list = [school_id]
    if kind:
        sql += " AND p.kind = ?"
        params.append(kind)
    return [_provision(r) for r in store.rows(sql + " ORDER BY p.id", params)]
