"""Chain of custody: dossier exports handed to the police, a lawyer or the inspectorate.

Kept by incident number, so the record of what left the school outlives the dossier.
Who may record one, and the audit entry, are the dossier service's
(:func:`moderator.services.dossier.record_handover`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moderator.store.db import Store

KINDS = ("police", "lawyer", "inspectorate", "other")


@dataclass(frozen=True)
class Handover:
    id: int
    incident_number: str
    recipient_kind: str
    recipient: str
    reference: str | None
    handed_at: str
    handed_by: str
    sha256: str
    path: str | None
    recorded_at: str


def _to_handover(row: Any) -> Handover:
    return Handover(id=row["id"], incident_number=row["incident_number"],
                    recipient_kind=row["recipient_kind"], recipient=row["recipient"],
                    reference=row["reference"], handed_at=row["handed_at"],
                    handed_by=row["handed_by"], sha256=row["sha256"], path=row["path"],
                    recorded_at=row["recorded_at"])


def add(store: Store, *, incident_number: str, recipient_kind: str, recipient: str,
        reference: str | None, handed_at: str, handed_by: str, sha256: str, path: str | None,
        recorded_at: str) -> Handover:
    with store.write():
        cursor = store.execute(
            "INSERT INTO handovers (incident_number, recipient_kind, recipient, reference,"
            " handed_at, handed_by, sha256, path, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_number, recipient_kind, recipient, reference, handed_at, handed_by,
             sha256, path, recorded_at))
        return _to_handover(store.row("SELECT * FROM handovers WHERE id = ?",
                                      (cursor.lastrowid,)))


def for_incident(store: Store, incident_number: str) -> list[Handover]:
    return [_to_handover(r) for r in store.rows(
        "SELECT * FROM handovers WHERE incident_number = ? ORDER BY handed_at, id",
        (incident_number,))]
