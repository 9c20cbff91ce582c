"""Subject-access requests (AVG art. 15): recorded when they arrive, answered with an
export. The statutory month and who may record them are the service's
(:mod:`moderator.services.subject_requests`); this module only stores."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moderator.errors import NotFound
from moderator.store.db import Store


@dataclass(frozen=True)
class SubjectRequest:
    id: int
    person_id: str
    person_name: str | None
    requester: str
    received_on: str
    due_on: str
    answered_on: str | None
    recorded_by: str
    recorded_at: str
    note: str | None
    export_sha256: str | None
    withheld: tuple[dict[str, Any], ...]


_SELECT = ("SELECT r.*, p.name AS person_name FROM subject_requests r"
           " LEFT JOIN people p ON p.id = r.person_id")


def _to_request(row: Any) -> SubjectRequest:
    return SubjectRequest(
        id=row["id"], person_id=row["person_id"], person_name=row["person_name"],
        requester=row["requester"], received_on=row["received_on"], due_on=row["due_on"],
        answered_on=row["answered_on"], recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"], note=row["note"], export_sha256=row["export_sha256"],
        withheld=tuple(json.loads(row["withheld"] or "[]")))


def add(store: Store, *, person_id: str, requester: str, received_on: str, due_on: str,
        recorded_by: str, recorded_at: str, note: str | None) -> SubjectRequest:
    with store.write():
        cursor = store.execute(
            "INSERT INTO subject_requests (person_id, requester, received_on, due_on,"
            " recorded_by, recorded_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (person_id, requester, received_on, due_on, recorded_by, recorded_at, note))
        return get(store, cursor.lastrowid)


def get(store: Store, request_id: int) -> SubjectRequest:
    row = store.row(f"{_SELECT} WHERE r.id = ?", (request_id,))
    if row is None:
        raise NotFound(f"Inzageverzoek {request_id} bestaat niet.")
    return _to_request(row)


def listing(store: Store, *, open_only: bool = False) -> list[SubjectRequest]:
    where = " WHERE r.answered_on IS NULL" if open_only else ""
    return [_to_request(r) for r in store.rows(
        f"{_SELECT}{where} ORDER BY r.answered_on IS NOT NULL, r.due_on, r.id")]


def answer(store: Store, request_id: int, *, answered_on: str, export_sha256: str | None,
           withheld: list[dict[str, Any]] | None) -> SubjectRequest:
    with store.write():
        store.execute(
            "UPDATE subject_requests SET answered_on = ?, export_sha256 = coalesce(?, export_sha256),"
            " withheld = coalesce(?, withheld) WHERE id = ?",
            (answered_on, export_sha256,
             json.dumps(withheld, ensure_ascii=False, sort_keys=True)
             if withheld is not None else None, request_id))
        return get(store, request_id)
