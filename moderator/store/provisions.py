"""School provisions: school-specific rules a director proposes and the AVG coordinator
approves or rejects (policy, "Waarom deze afspraken en voor wie gelden ze?", punt 3:
schools may work some rules out more specifically, with the coordinator's approval).

Kinds and their ``detail``:

* ``words``: ``{"reason": code, "words": [...]}`` extra words that raise ``reason``;
* ``frequency``: ``{"max_per_day": n, "min_per_week": n}`` another posting frequency;
* ``identity``: ``{"allow": ["political_religious"]}`` expressions that fit the school's
  identity (policy, "Wat kunnen we plaatsen ...", punt 10).

Only approved provisions (``status = 'approved'``) apply; the detectors read them from
the ``provisions`` table (or :func:`approved_provisions`). This module holds the rows;
who may propose and decide, and what a valid detail is, is
:mod:`moderator.services.provisions`'s work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moderator import labels
from moderator.errors import NotFound
from moderator.store.db import Store

KINDS = ("words", "frequency", "identity")
KIND_LABELS = labels.PROVISION_KINDS
STATUS_LABELS = labels.PROVISION_STATUSES


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


def insert(store: Store, *, school_id: str, kind: str, detail: dict[str, Any],
           proposed_by: str, proposed_at: str) -> int:
    """A new proposed provision; returns its id."""
    with store.write():
        cursor = store.execute(
            "INSERT INTO provisions (school_id, kind, detail, proposed_by, proposed_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (school_id, kind, json.dumps(detail, ensure_ascii=False, sort_keys=True),
             proposed_by, proposed_at))
    return cursor.lastrowid


def set_decision(store: Store, provision_id: int, *, status: str, decided_by: str,
                 decided_at: str, note: str | None) -> None:
    with store.write():
        store.execute("UPDATE provisions SET status = ?, decided_by = ?, decided_at = ?,"
                      " decision_note = ? WHERE id = ?",
                      (status, decided_by, decided_at, note, provision_id))


def list_provisions(store: Store, *, status: str | None = None,
                    school_id: str | None = None) -> list[Provision]:
    """Provisions, proposed ones first, newest first; optionally of one status or school."""
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
