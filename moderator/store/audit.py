"""The audit log: append-only and hash-chained.

Each entry's ``hash`` is the SHA-256 of the previous entry's hash followed by the
entry's canonical JSON, so any changed, removed or reordered entry breaks the chain
from that point on. A cut-off tail is caught against an anchor kept outside the
database (``moderator audit anchor``) or printed on a hard copy.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from moderator import clock
from moderator.store.db import Store
from moderator.store.paging import newest_first

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    school_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str,
    school_id: str | None, detail_json: str,
) -> str:
    payload = canonical([seq, at, actor, action, subject, school_id, detail_json])
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def append(
    store: Store, actor: str, action: str, subject: str = "",
    detail: dict[str, Any] | None = None, school_id: str | None = None,
) -> AuditEntry:
    """Append one entry. Call inside ``store.write()`` so it commits with the change."""
    with store.write():
        last = store.row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
        at = clock.now_iso()
        detail = detail or {}
        events = store.take_pending_events()
        if events:
            # Timeline entries written in this transaction: id, content hash, incident.
            detail = {**detail, "chained_events": events}
        detail_json = canonical(detail)
        digest = entry_hash(prev, seq, at, actor, action, subject, school_id, detail_json)
        store.execute(
            "INSERT INTO audit_log (seq, at, actor, action, subject, school_id, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, action, subject, school_id, detail_json, prev, digest),
        )
        store.chain_appended()
    return AuditEntry(seq, at, actor, action, subject, school_id, detail, prev, digest)


def head(store: Store) -> tuple[int, str]:
    """The chain head: (sequence, hash) of the newest entry, (0, genesis) when empty."""
    last = store.row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return (last["seq"], last["hash"]) if last else (0, GENESIS)


def _to_entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"], at=row["at"], actor=row["actor"], action=row["action"],
        subject=row["subject"], school_id=row["school_id"], detail=json.loads(row["detail"]),
        prev_hash=row["prev_hash"], hash=row["hash"],
    )


def entries(
    store: Store, *, actor: str | None = None, action: str | None = None,
    school_id: str | None = None, since: str | None = None, until: str | None = None,
    subject: str | None = None, limit: int = 200, before_seq: int | None = None,
) -> list[AuditEntry]:
    """Newest first, filtered; page with ``before_seq``. An ``action`` ending in ``*``
    matches every action that starts with the rest (``portal.*``: all portal sync)."""
    where: list[str] = []
    params: list[Any] = []
    if action and action.endswith("*"):
        prefix = action[:-1]
        where, params = ["action >= ? AND action < ?"], [prefix, prefix + "\uffff"]
        action = None
    rows = newest_first(
        store, "audit_log", "seq", since=since, until=until, before=before_seq, limit=limit,
        where=where, params=params,
        equals=(("actor", actor), ("action", action), ("school_id", school_id),
                ("subject", subject)))
    return [_to_entry(row) for row in rows]


def verify_chain(store: Store) -> list[ChainProblem]:
    """Walk the whole chain; name every entry that is changed, missing or out of order."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    expected_seq = 1
    for row in store.conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        seq = row["seq"]
        if seq != expected_seq:
            problems.append(ChainProblem(expected_seq, f"regels {expected_seq}..{seq - 1} ontbreken"))
        if row["prev_hash"] != prev:
            problems.append(ChainProblem(seq, "koppeling met de vorige regel verbroken (regel verwijderd of verplaatst)"))
        digest = entry_hash(
            row["prev_hash"], seq, row["at"], row["actor"], row["action"], row["subject"],
            row["school_id"], row["detail"],
        )
        if digest != row["hash"]:
            problems.append(ChainProblem(seq, "inhoud klopt niet met de hash (regel gewijzigd)"))
        prev = row["hash"]
        expected_seq = seq + 1
    return problems


def all_entries(store: Store) -> list[AuditEntry]:
    """Every entry, oldest first (for verify, which derives the archive from the chain)."""
    out = []
    for row in store.rows("SELECT * FROM audit_log ORDER BY seq"):
        try:
            out.append(_to_entry(row))
        except ValueError:     # a detail that is no JSON any more: verify_chain names it
            continue
    return out


def contains_anchor(store: Store, seq: int, digest: str) -> bool:
    found = store.row("SELECT hash FROM audit_log WHERE seq = ?", (seq,))
    return found is not None and found["hash"] == digest


def count(store: Store) -> int:
    """How many entries the audit log holds."""
    return store.scalar("SELECT count(*) FROM audit_log") or 0
