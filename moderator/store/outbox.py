"""The portal outbox: actions that carry moderation decisions into the portal.

An action is created by the decision that causes it, inside that decision's
transaction (:func:`enqueue_removal`, :func:`enqueue_comments`, :func:`enqueue_measure`),
so a decision and its action commit together or not at all. A deletion creates its
action in the transaction that runs after the hard copy is durably on disk, so no action
exists before its hard copy does.

Each action has an id (``act-`` + 26 characters) that is never reused and serves as the
idempotency key, and a ``seq`` that strictly increases per school. Actions for one target
(a post, a comment, a person: ``target_key``) go out in ``seq`` order, the next only after
the previous is done or refused (:func:`due_actions`). Every change of status is written to
the audit log in the same transaction.

Each school has at most one connector (``http`` or ``folder``). Its row names where the
shared secrets are read (a file or an environment variable); a secret itself is never
stored. The row also holds the export cursor and the sending lease.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from moderator import clock
from moderator.errors import Conflict, NotFound
from moderator.policy import measures
from moderator.store import audit
from moderator.store.db import Store
from moderator.text import one_line

STATUSES = ("pending", "sent", "accepted", "done", "refused", "failing")
OPEN_STATUSES = ("pending", "sent", "accepted", "failing")
FINAL_STATUSES = ("done", "refused")
KINDS = ("remove_post", "remove_comment", "remove_media", "set_comments",
         "restrict_member", "lift_restriction")
SYSTEM_REQUESTER = "system"
MAX_ERROR = 500

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_action_id() -> str:
    """``act-`` + 26 Crockford base32 characters: 48 bits of milliseconds, then 80 random
    bits (a ULID), so ids sort roughly by creation and never repeat."""
    value = (int(clock.unix_time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "act-" + "".join(reversed(chars))


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Action:
    id: str
    seq: int
    school_id: str
    group_id: str | None
    kind: str
    target: dict[str, Any]
    target_key: str
    reason: str | None
    incident: str | None
    requested_by: str
    requested_at: str
    status: str
    attempts: int
    next_attempt_at: float | None
    last_error: str | None
    receipt: dict[str, Any] | None
    done_at: str | None
    replaces: str | None
    resolved_by: str | None
    resolved_at: str | None
    resolved_note: str | None

    def payload(self, *, attempt: bool = False) -> dict[str, Any]:
        """The JSON object the contract defines, as sent to the portal. With ``attempt``
        it carries the optional field ``attempt`` (1 for the first delivery), so a quick
        retry is never signed exactly like the request before it (a replay)."""
        out = {
            "id": self.id, "seq": self.seq, "school": self.school_id, "kind": self.kind,
            "target": self.target, "reason": self.reason, "incident": self.incident,
            "requested_by": self.requested_by, "requested_at": self.requested_at,
        }
        if attempt:
            out["attempt"] = self.attempts + 1
        return out

    @property
    def needs_attention(self) -> bool:
        """Refused and nobody has acted on it yet."""
        return self.status == "refused" and self.resolved_by is None


def _action(row: Any) -> Action:
    return Action(
        id=row["id"], seq=row["seq"], school_id=row["school_id"], group_id=row["group_id"],
        kind=row["kind"], target=json.loads(row["target"]), target_key=row["target_key"],
        reason=row["reason"], incident=row["incident"], requested_by=row["requested_by"],
        requested_at=row["requested_at"], status=row["status"], attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"], last_error=row["last_error"],
        receipt=json.loads(row["receipt"]) if row["receipt"] else None,
        done_at=row["done_at"], replaces=row["replaces"], resolved_by=row["resolved_by"],
        resolved_at=row["resolved_at"], resolved_note=row["resolved_note"],
    )


# -- creating actions (inside the decision's transaction) --------------------------------

def _requester(store: Store, username: str) -> str:
    person = store.scalar("SELECT person_id FROM accounts WHERE username = ?", (username,))
    return person or SYSTEM_REQUESTER


def _target_key(kind: str, target: dict[str, Any], store: Store) -> str:
    if kind in ("remove_post", "set_comments", "remove_media"):
        return f"post:{target['post']}"
    if kind == "remove_comment":
        return f"comment:{target['comment']}"
    if kind == "restrict_member":
        return f"person:{target['person']}"
    if kind == "lift_restriction":
        person = store.scalar(
            "SELECT json_extract(target, '$.person') FROM portal_actions WHERE id = ?",
            (target["restriction"],))
        return f"person:{person}"
    raise ValueError(f"unknown action kind {kind!r}")


def enqueue(
    store: Store, *, school_id: str, group_id: str | None, kind: str, target: dict[str, Any],
    actor: str, reason: str | None = None, incident: str | None = None,
    requested_by: str | None = None,
) -> Action:
    """Create one pending action and its audit entry (joins the caller's transaction)."""
    if kind not in KINDS:
        raise ValueError(f"unknown action kind {kind!r}")
    with store.write():
        seq = (store.scalar("SELECT MAX(seq) FROM portal_actions WHERE school_id = ?",
                            (school_id,)) or 0) + 1
        action_id = new_action_id()
        key = _target_key(kind, target, store)
        who = requested_by or _requester(store, actor)
        store.execute(
            "INSERT INTO portal_actions (id, seq, school_id, group_id, kind, target, target_key,"
            " reason, incident, requested_by, requested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (action_id, seq, school_id, group_id, kind, canonical(target), key, reason,
             incident, who, clock.real_now_iso()))
        audit.append(store, actor, "portal.action.pending", f"action:{action_id}",
                     {"kind": kind, "target": target, "seq": seq, "incident": incident},
                     school_id)
    return get_action(store, action_id)


def enqueue_removal(store: Store, *, item: str, school_id: str, group_id: str, actor: str,
                    reason: str, incident: str) -> Action:
    """``remove_post`` / ``remove_comment`` for a deleted item (a post's comments go with it)."""
    kind, item_id = item.split(":", 1)
    if kind == "post":
        return enqueue(store, school_id=school_id, group_id=group_id, kind="remove_post",
                       target={"post": item_id}, actor=actor, reason=reason, incident=incident)
    return enqueue(store, school_id=school_id, group_id=group_id, kind="remove_comment",
                   target={"comment": item_id}, actor=actor, reason=reason, incident=incident)


def enqueue_comments(store: Store, *, post_id: str, enabled: bool, school_id: str,
                     group_id: str, actor: str, person_id: str | None = None) -> Action:
    """``set_comments`` when a moderator turns comments on a post off or on."""
    return enqueue(store, school_id=school_id, group_id=group_id, kind="set_comments",
                   target={"post": post_id, "enabled": bool(enabled)}, actor=actor,
                   requested_by=person_id)


def _as_moment(value: str) -> str:
    """A dossier date ('2026-11-24') or timestamp as an ISO time with offset."""
    if len(value) == 10:
        day = date.fromisoformat(value)
        return datetime.combine(day, time(0), tzinfo=clock.zone()).isoformat(timespec="seconds")
    return value


def enqueue_measure(store: Store, *, measure: str, person_id: str | None, group_id: str | None,
                    school_id: str, actor: str, incident: str, start: str,
                    until: str | None = None, actor_person: str | None = None) -> Action | None:
    """``restrict_member`` for a recorded measure that the portal must carry out
    (read-only, no comments, removal from a group); None for other measures."""
    restriction = measures.portal_restriction(measure)
    if restriction is None or person_id is None:
        return None
    mode, per_group = restriction
    target = {"person": person_id, "group": group_id if per_group else None, "mode": mode,
              "from": _as_moment(start), "until": until}
    # The reason is a catalogue code: the one of the dossier's latest removal, if any.
    reason = store.scalar(
        "SELECT h.reason FROM hardcopies h JOIN incidents i ON i.id = h.incident_id"
        " WHERE i.number = ? ORDER BY h.id DESC LIMIT 1", (incident,))
    return enqueue(store, school_id=school_id, group_id=group_id, kind="restrict_member",
                   target=target, actor=actor, reason=reason, incident=incident,
                   requested_by=actor_person)


def enqueue_lift(store: Store, *, incident: str, person_id: str | None, measure: str,
                 school_id: str, actor: str) -> Action | None:
    """``lift_restriction`` for the newest ``restrict_member`` of this dossier, person and
    mode that is not lifted yet (a measure that ended or was ended early); None when
    the portal was never told to restrict."""
    restriction = measures.portal_restriction(measure)
    if restriction is None or person_id is None:
        return None
    mode, _ = restriction
    found = store.row(
        "SELECT r.id, r.group_id FROM portal_actions r WHERE r.kind = 'restrict_member'"
        " AND r.incident = ? AND json_extract(r.target, '$.person') = ?"
        " AND json_extract(r.target, '$.mode') = ? AND NOT EXISTS (SELECT 1 FROM portal_actions l"
        "  WHERE l.kind = 'lift_restriction' AND json_extract(l.target, '$.restriction') = r.id)"
        " ORDER BY r.seq DESC LIMIT 1", (incident, person_id, mode))
    if found is None:
        return None
    return enqueue(store, school_id=school_id, group_id=found["group_id"],
                   kind="lift_restriction", target={"restriction": found["id"]}, actor=actor,
                   incident=incident)


# -- reading -----------------------------------------------------------------------------

def get_action(store: Store, action_id: str) -> Action:
    row = store.row("SELECT * FROM portal_actions WHERE id = ?", (action_id,))
    if row is None:
        raise NotFound(f"portaalactie {one_line(action_id, 60)} niet gevonden")
    return _action(row)


def find_actions(store: Store, ids: Iterable[str]) -> dict[str, Action]:
    ids = list(ids)
    if not ids:
        return {}
    rows = store.rows("SELECT * FROM portal_actions WHERE id IN (SELECT value FROM json_each(?))",
                      (json.dumps(ids),))
    return {row["id"]: _action(row) for row in rows}


def list_actions(store: Store, *, school_id: str | None = None,
                 statuses: Sequence[str] | None = None, target_key: str | None = None,
                 limit: int = 500) -> list[Action]:
    where, params = ["1"], []
    if school_id is not None:
        where.append("school_id = ?")
        params.append(school_id)
    if statuses:
        where.append("status IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(statuses)))
    if target_key is not None:
        where.append("target_key = ?")
        params.append(target_key)
    rows = store.rows(f"SELECT * FROM portal_actions WHERE {' AND '.join(where)}"
                      " ORDER BY school_id, seq LIMIT ?", (*params, limit))
    return [_action(row) for row in rows]


def counts(store: Store, school_id: str | None = None) -> dict[str, int]:
    """Actions per status (refused ones only while nobody has acted on them)."""
    where = "" if school_id is None else " AND school_id = ?"
    params = () if school_id is None else (school_id,)
    found = {status: 0 for status in STATUSES}
    for row in store.rows(
            "SELECT status, COUNT(*) AS n FROM portal_actions WHERE (status != 'refused'"
            f" OR resolved_by IS NULL){where} GROUP BY status", params):
        found[row["status"]] = row["n"]
    return found


HTTP_DUE = ("pending", "failing", "accepted", "sent")   # 'sent': left by a folder connector


def due_actions(store: Store, school_id: str, now: float, limit: int = 100,
                statuses: Sequence[str] = HTTP_DUE) -> list[Action]:
    """Actions that may be sent (or asked after) now, in ``seq`` order: due, and every
    earlier action for the same target is done or refused. At most one per target."""
    rows = store.rows(
        "SELECT a.* FROM portal_actions a WHERE a.school_id = ?"
        " AND a.status IN (SELECT value FROM json_each(?))"
        " AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= ?)"
        " AND NOT EXISTS (SELECT 1 FROM portal_actions b WHERE b.school_id = a.school_id"
        "   AND b.target_key = a.target_key AND b.seq < a.seq"
        "   AND b.status NOT IN ('done', 'refused'))"
        " ORDER BY a.seq LIMIT ?", (school_id, json.dumps(list(statuses)), now, limit))
    return [_action(row) for row in rows]


def next_due_at(store: Store, school_id: str,
                statuses: Sequence[str] = HTTP_DUE) -> float | None:
    """When the earliest waiting action that is first in line for its target becomes due
    (None: nothing waits). Actions behind an earlier one for the same target wait for it."""
    row = store.row(
        "SELECT MIN(COALESCE(a.next_attempt_at, 0)) AS at, COUNT(*) AS n FROM portal_actions a"
        " WHERE a.school_id = ? AND a.status IN (SELECT value FROM json_each(?))"
        " AND NOT EXISTS (SELECT 1 FROM portal_actions b WHERE b.school_id = a.school_id"
        "   AND b.target_key = a.target_key AND b.seq < a.seq"
        "   AND b.status NOT IN ('done', 'refused'))",
        (school_id, json.dumps(list(statuses))))
    return None if not row or not row["n"] else float(row["at"])


def actions_for_targets(store: Store, keys: Iterable[str]) -> dict[str, list[Action]]:
    """Every action per target key ('post:ID', 'comment:ID', 'person:ID'), in seq order."""
    keys = list(keys)
    out: dict[str, list[Action]] = {key: [] for key in keys}
    if not keys:
        return out
    for row in store.rows(
            "SELECT * FROM portal_actions WHERE target_key IN (SELECT value FROM json_each(?))"
            " ORDER BY seq", (json.dumps(keys),)):
        out[row["target_key"]].append(_action(row))
    return out


def actions_for_incident(store: Store, number: str) -> list[Action]:
    return [_action(row) for row in store.rows(
        "SELECT * FROM portal_actions WHERE incident = ? ORDER BY seq", (number,))]


# -- recording what happened ---------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt (or receipt) says about an action."""

    action_id: str
    status: str                       # one of STATUSES
    attempted: bool = True            # counts as an attempt
    next_attempt_at: float | None = None
    error: str | None = None
    receipt: dict[str, Any] | None = None
    done_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)   # for the audit entry


def record(store: Store, actor: str, outcomes: Iterable[Outcome]) -> list[Action]:
    """Apply outcomes in one transaction, with an audit entry for every change of status.
    An action already done or refused stays so (a repeated receipt changes nothing)."""
    changed: list[Action] = []
    with store.write():
        for outcome in outcomes:
            if outcome.status not in STATUSES:
                raise ValueError(f"unknown status {outcome.status!r}")
            row = store.row("SELECT * FROM portal_actions WHERE id = ?", (outcome.action_id,))
            if row is None or row["status"] in FINAL_STATUSES:
                continue
            error = one_line(outcome.error, MAX_ERROR) if outcome.error else None
            final = outcome.status in FINAL_STATUSES
            store.execute(
                "UPDATE portal_actions SET status = ?, attempts = attempts + ?,"
                " next_attempt_at = ?, last_error = ?, receipt = COALESCE(?, receipt),"
                " done_at = COALESCE(?, done_at) WHERE id = ?",
                (outcome.status, 1 if outcome.attempted else 0,
                 None if final else outcome.next_attempt_at,
                 error if outcome.status != "done" else None,
                 canonical(outcome.receipt) if outcome.receipt is not None else None,
                 outcome.done_at, outcome.action_id))
            if outcome.status != row["status"]:
                detail: dict[str, Any] = {"from": row["status"], "kind": row["kind"],
                                          "attempts": row["attempts"] + int(outcome.attempted)}
                if error:
                    detail["error"] = error
                if outcome.done_at:
                    detail["done_at"] = outcome.done_at
                detail.update(outcome.extra)
                audit.append(store, actor, f"portal.action.{outcome.status}",
                             f"action:{outcome.action_id}", detail, row["school_id"])
            changed.append(_action(store.row("SELECT * FROM portal_actions WHERE id = ?",
                                             (outcome.action_id,))))
    return changed


def count_attempts(store: Store, ids: Sequence[str], delta: int = 1) -> None:
    """Count delivery attempts before they are made (committed first), so a delivery
    repeated after a crash carries a higher ``attempt`` and is never signed exactly like
    the one before it; ``delta=-1`` takes back what was counted but not sent."""
    if not ids:
        return
    with store.write():
        store.execute("UPDATE portal_actions SET attempts = MAX(0, attempts + ?)"
                      " WHERE id IN (SELECT value FROM json_each(?))",
                      (delta, json.dumps(list(ids))))


def retry_as_new(store: Store, action_id: str, actor: str) -> Action:
    """A refused action sent again under a new id and seq; the old one is marked handled."""
    with store.write():
        old = get_action(store, action_id)
        if not old.needs_attention:
            raise Conflict(f"portaalactie {old.id} is niet geweigerd of al afgehandeld"
                           f" (status {old.status})")
        new = enqueue(store, school_id=old.school_id, group_id=old.group_id, kind=old.kind,
                      target=old.target, actor=actor, reason=old.reason, incident=old.incident,
                      requested_by=_requester(store, actor))
        store.execute("UPDATE portal_actions SET replaces = ? WHERE id = ?", (old.id, new.id))
        store.execute("UPDATE portal_actions SET resolved_by = ?, resolved_at = ?,"
                      " resolved_note = ? WHERE id = ?",
                      (actor, clock.now_iso(), f"opnieuw verstuurd als {new.id}", old.id))
        audit.append(store, actor, "portal.action.retried", f"action:{old.id}",
                     {"new": new.id, "seq": new.seq}, old.school_id)
    return get_action(store, new.id)


def mark_done_by_hand(store: Store, action_id: str, actor: str, note: str) -> Action:
    """Someone carried the action out in the portal by hand: done, with their note."""
    with store.write():
        old = get_action(store, action_id)
        if old.status == "done" or (old.status == "refused" and old.resolved_by):
            raise Conflict(f"portaalactie {old.id} is al afgehandeld (status {old.status})")
        now = clock.now_iso()
        store.execute(
            "UPDATE portal_actions SET status = 'done', done_at = ?, next_attempt_at = NULL,"
            " resolved_by = ?, resolved_at = ?, resolved_note = ? WHERE id = ?",
            (now, actor, now, note, old.id))
        audit.append(store, actor, "portal.action.done", f"action:{old.id}",
                     {"from": old.status, "kind": old.kind, "by_hand": True,
                      "note": one_line(note, 300)}, old.school_id)
    return get_action(store, old.id)


# -- connectors ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SecretRef:
    """Where a shared secret is read at use: a file or an environment variable."""

    key_id: str
    secret_file: str | None = None
    secret_env: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"key_id": self.key_id}
        if self.secret_file:
            out["secret_file"] = self.secret_file
        if self.secret_env:
            out["secret_env"] = self.secret_env
        return out


@dataclass(frozen=True)
class Connector:
    school_id: str
    kind: str
    base_url: str | None
    folder: str | None
    ca_file: str | None
    keys: tuple[SecretRef, ...]
    cursor: str | None
    last_error: str | None
    last_error_at: str | None
    last_ok_at: str | None
    configured_by: str
    configured_at: str
    lease_owner: str | None
    lease_until: float | None


def _connector(row: Any) -> Connector:
    keys = tuple(SecretRef(k["key_id"], k.get("secret_file"), k.get("secret_env"))
                 for k in json.loads(row["keys"]))
    return Connector(
        school_id=row["school_id"], kind=row["kind"], base_url=row["base_url"],
        folder=row["folder"], ca_file=row["ca_file"], keys=keys, cursor=row["cursor"],
        last_error=row["last_error"], last_error_at=row["last_error_at"],
        last_ok_at=row["last_ok_at"], configured_by=row["configured_by"],
        configured_at=row["configured_at"], lease_owner=row["lease_owner"],
        lease_until=row["lease_until"])


def get_connector(store: Store, school_id: str) -> Connector | None:
    row = store.row("SELECT * FROM portal_connectors WHERE school_id = ?", (school_id,))
    return _connector(row) if row else None


def list_connectors(store: Store) -> list[Connector]:
    return [_connector(r) for r in store.rows(
        "SELECT * FROM portal_connectors ORDER BY school_id")]


def school_exists(store: Store, school_id: str) -> bool:
    return store.scalar("SELECT 1 FROM schools WHERE id = ?", (school_id,)) is not None


def schools_with_actions(store: Store) -> list[str]:
    return [r[0] for r in store.rows("SELECT DISTINCT school_id FROM portal_actions ORDER BY 1")]


def save_connector(store: Store, *, school_id: str, kind: str, actor: str,
                   base_url: str | None = None, folder: str | None = None,
                   ca_file: str | None = None, keys: Sequence[SecretRef] = ()) -> Connector:
    """Create or replace the school's connector (the cursor is kept while the kind and
    address stay the same). Audit-logged without any secret: only where it is read."""
    with store.write():
        old = get_connector(store, school_id)
        cursor = old.cursor if old and (old.kind, old.base_url, old.folder) == (
            kind, base_url, folder) else None
        now = clock.now_iso()
        store.execute(
            "INSERT INTO portal_connectors (school_id, kind, base_url, folder, ca_file, keys,"
            " cursor, configured_by, configured_at) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(school_id) DO UPDATE SET kind = excluded.kind,"
            " base_url = excluded.base_url, folder = excluded.folder,"
            " ca_file = excluded.ca_file, keys = excluded.keys, cursor = excluded.cursor,"
            " last_error = NULL, last_error_at = NULL, configured_by = excluded.configured_by,"
            " configured_at = excluded.configured_at",
            (school_id, kind, base_url, folder, ca_file,
             canonical([k.as_dict() for k in keys]), cursor, actor, now))
        audit.append(store, actor, "portal.connect", f"school:{school_id}",
                     {"kind": kind, "base_url": base_url, "folder": folder, "ca_file": ca_file,
                      "keys": [k.as_dict() for k in keys],
                      "replaced": old.kind if old else None}, school_id)
    return get_connector(store, school_id)


def set_connector_state(store: Store, school_id: str, *, error: str | None,
                        actor: str = "system") -> None:
    """Remember whether the connection works; a change is audit-logged."""
    with store.write():
        old = store.row("SELECT last_error FROM portal_connectors WHERE school_id = ?",
                        (school_id,))
        if old is None:
            return
        now = clock.now_iso()
        message = one_line(error, MAX_ERROR) if error else None
        if message:
            store.execute("UPDATE portal_connectors SET last_error = ?, last_error_at = ?"
                          " WHERE school_id = ?", (message, now, school_id))
        else:
            store.execute("UPDATE portal_connectors SET last_error = NULL, last_error_at = NULL,"
                          " last_ok_at = ? WHERE school_id = ?", (now, school_id))
        if (old["last_error"] or None) != message:
            audit.append(store, actor, "portal.connection.failing" if message
                         else "portal.connection.ok", f"school:{school_id}",
                         {"error": message} if message else {}, school_id)


def set_cursor(store: Store, school_id: str, cursor: str | None) -> None:
    """Store the export cursor; call inside the transaction that committed the batch."""
    with store.write():
        store.execute("UPDATE portal_connectors SET cursor = ? WHERE school_id = ?",
                      (cursor, school_id))


# -- the sending lease -------------------------------------------------------------------------

def lease_owner_id() -> str:
    return f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(4)}"


def _holder_gone(owner: str) -> bool:
    """True when the lease holder was a process on this machine that no longer runs
    (killed): its lease need not run out first."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != os.uname().nodename or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def take_lease(store: Store, school_id: str, owner: str, seconds: float) -> bool:
    """Take or renew the school's sending lease; False while another owner holds it."""
    now = clock.unix_time()
    with store.write():
        row = store.row("SELECT lease_owner, lease_until FROM portal_connectors"
                        " WHERE school_id = ?", (school_id,))
        if row is None:
            return False
        if (row["lease_owner"] not in (None, owner) and row["lease_until"] is not None
                and row["lease_until"] > now and not _holder_gone(row["lease_owner"])):
            return False
        store.execute("UPDATE portal_connectors SET lease_owner = ?, lease_until = ?"
                      " WHERE school_id = ?", (owner, now + seconds, school_id))
    return True


def release_lease(store: Store, school_id: str, owner: str) -> None:
    with store.write():
        store.execute("UPDATE portal_connectors SET lease_owner = NULL, lease_until = NULL"
                      " WHERE school_id = ? AND lease_owner = ?", (school_id, owner))
