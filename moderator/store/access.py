"""The access log: who viewed or exported which dossier or person's data, and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moderator import clock
from moderator.policy.access import Actor
from moderator.store.db import Store


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: str
    actor: str
    action: str
    incident_id: int | None
    person_id: str | None
    detail: dict[str, Any]


def log_access(
    store: Store, actor: Actor, action: str, *, incident_id: int | None = None,
    person_id: str | None = None, detail: dict[str, Any] | None = None,
) -> None:
    """Record a read of personal data (``action``: 'view', 'export', 'subject_export', ...)."""
    with store.write():
        store.execute(
            "INSERT INTO access_log (at, actor, action, incident_id, person_id, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (clock.now_iso(), actor.username, action, incident_id, person_id,
             json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)))
