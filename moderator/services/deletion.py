"""Delete with a hard copy first, and dismiss (DESIGN.md, "Delete with hard copy").

The order that loses nothing:

1. an intent row in ``delete_intents`` (its own committed transaction), naming the
   file the hard copy will get;
2. render the hard copy;
3. write it durably (temp file, fsync, rename, fsync the folder, read-only);
4. one transaction: the ``hardcopies`` row, the item (and for a post its comments)
   marked deleted with its text removed, flags closed as resolved, the incident
   opened or extended with a deletion event, the audit entry, the intent cleared.

A crash anywhere leaves either a live item (and maybe a stray file) or a finished
deletion; :func:`recover` (run at every start) completes an intent whose hard copy is
whole and rolls back the rest.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from moderator import clock
from moderator.archive import durable
from moderator.archive.hardcopy import (
    HardCopyFacts,
    embedded_audit_head,
    embedded_item_hash,
    item_sha256,
    render_hardcopy,
)
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy.catalogue import REASONS
from moderator.policy.roles import SYSTEM, Actor
from moderator.store import audit, outbox
from moderator.store.db import Store
from moderator.store.flags import close_flags, item_location, parse_item
from moderator.store.incidents import _next_number, open_or_extend_incident
from moderator.store.items import ItemDetail, get_item_detail

Progress = Callable[[int, int, "DeletionResult"], None]


@dataclass(frozen=True)
class DeletionResult:
    item: str
    incident_number: str
    hardcopy_path: Path       # absolute: store.archives / the stored relative path
    sha256: str               # of the PDF file


@dataclass(frozen=True)
class RecoveryReport:
    finished: tuple[str, ...] = ()      # items whose interrupted deletion was completed
    rolled_back: tuple[str, ...] = ()   # items left live; partial files removed
    orphans: tuple[str, ...] = ()       # archive PDFs no row refers to (relative paths)

    @property
    def anything(self) -> bool:
        return bool(self.finished or self.rolled_back or self.orphans)


@dataclass
class _Plan:
    item: str
    detail: ItemDetail
    facts: HardCopyFacts
    digest: str
    path: str                 # relative to store.archives
    retried: bool = field(default=False)


class _Moved(Exception):
    """The world changed between planning and committing: re-plan."""


# -- checks -------------------------------------------------------------------------------

def _check_reason(reason: str) -> None:
    found = REASONS.get(reason)
    if found is None or not found.item_level:
        codes = ", ".join(c for c, r in REASONS.items() if r.item_level)
        raise UsageError(f"onbekende redencode {reason!r} (kies uit: {codes})")


def _check_item(store: Store, item: str, actor: Actor) -> dict:
    """Exists, the actor may delete it, not yet deleted, no deletion in progress."""
    try:
        parse_item(item)
    except ValueError as error:
        raise UsageError(str(error)) from None
    where = item_location(store, item)
    if where is None:
        raise NotFound(f"{item} niet gevonden")
    if not actor.may_moderate_group(where["group_id"], where["school_id"]):
        raise PermissionDenied(
            f"{actor.username} mag geen berichten van groep {where['group_id']} verwijderen:"
            " dat mogen alleen de beheerders van de groep en de directie van de school")
    if where["deleted_at"]:
        raise Conflict(f"{item} is al verwijderd op {clock.display(where['deleted_at'])}")
    if store.row("SELECT 1 FROM delete_intents WHERE item = ?", (item,)):
        raise Conflict(f"{item} wordt al verwijderd (in een andere sessie, of een"
                       " onderbroken verwijdering die bij de volgende start wordt hersteld)")
    return where


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _safe(part: str) -> str:
    cleaned = _UNSAFE.sub("_", part)[:64].lstrip(".")
    return cleaned or "_"


def _predict_incident(store: Store, school_id: str, person_id: str) -> str:
    found = store.scalar(
        "SELECT number FROM incidents WHERE school_id = ? AND person_id IS ?"
        " AND status != 'closed' ORDER BY id DESC LIMIT 1", (school_id, person_id))
    return found or _next_number(store)


def _incident_year(number: str) -> str:
    parts = number.split("-")
    return parts[1] if len(parts) >= 3 and parts[1].isdigit() else str(clock.now().year)


@contextmanager
def _unsynced(store: Store) -> Iterator[None]:
    """A transaction committed without its own fsync (WAL, synchronous=NORMAL).

    Used for the intent and for dropping it: the step-4 commit (synchronous=FULL)
    syncs the write-ahead log, and with it every earlier transaction, before anything
    is deleted. If power fails before that, the intent may be lost; the item is then
    still live and at worst an unreferenced PDF is left, which recover() and
    verify report. No text is lost either way. Saves one fsync per deletion."""
    with store._lock:
        store.execute("PRAGMA synchronous = NORMAL")
        try:
            with store.write():
                yield
        finally:
            store.execute("PRAGMA synchronous = FULL")


def _plan(store: Store, item: str, reason: str, actor: Actor, note: str | None) -> _Plan:
    """Step 1: check, decide the file name and incident, and commit the intent."""
    if store.in_write:
        raise RuntimeError("delete_item must not run inside another transaction")
    with _unsynced(store):
        _check_item(store, item, actor)
        detail = get_item_detail(store, item, actor)
        digest = item_sha256(detail)
        number = _predict_incident(store, detail.school_id, detail.author_id)
        seq, head_hash = audit.head(store)
        deleted_at = clock.now_iso()
        path = "/".join([
            _safe(detail.school_id), _incident_year(number), _safe(number),
            f"{detail.kind}-{_safe(detail.id)}-{digest[:8]}.pdf"])
        store.execute(
            "INSERT INTO delete_intents (item, actor, reason, note, path, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (item, actor.username, reason, note, path, deleted_at))
    facts = HardCopyFacts(reason=reason, deleter=actor, deleted_at=deleted_at, note=note,
                          incident_number=number, audit_seq=seq, audit_hash=head_hash)
    return _Plan(item, detail, facts, digest, path)


def _abandon(store: Store, item: str, path: str | None) -> None:
    """Roll back an intent: remove what was written for it, keep the item live."""
    if path:
        final = store.archives / path
        durable.remove(durable.temp_path(final))
        if not store.row("SELECT 1 FROM hardcopies WHERE path = ?", (path,)):
            durable.remove(final)
    with _unsynced(store):
        store.execute("DELETE FROM delete_intents WHERE item = ?", (item,))


# -- step 4 -------------------------------------------------------------------------------

def _finish(
    store: Store, *, item: str, actor: str, reason: str, note: str | None, path: str,
    deleted_at: str, size: int, sha256: str, digest: str, audit_seq: int, audit_hash: str,
    recovered: bool = False,
) -> str:
    """Step 4, in one transaction. Raises _Moved when the item or the incident is no
    longer what the hard copy says (nothing is then changed)."""
    kind, item_id = parse_item(item)
    number = Path(path).parts[2]
    with store.write():
        if not store.row("SELECT 1 FROM delete_intents WHERE item = ? AND path = ?",
                         (item, path)):
            raise _Moved(f"de verwijderopdracht voor {item} is verdwenen")
        where = item_location(store, item)
        if where is None or where["deleted_at"]:
            raise _Moved(f"{item} bestaat niet meer of is al verwijderd")
        current = get_item_detail(store, item, SYSTEM)
        if item_sha256(current) != digest:
            raise _Moved(f"{item} is gewijzigd nadat de hardcopy was gemaakt")
        incident = open_or_extend_incident(
            store, school_id=where["school_id"], group_id=where["group_id"],
            person_id=where["author_id"], actor=actor)
        if incident.number != number:
            raise _Moved(f"het incidentnummer voor {item} is veranderd in {incident.number}")
        cursor = store.execute(
            "INSERT INTO hardcopies (incident_id, item, path, size, sha256, item_sha256, reason,"
            " note, created_by, created_at, audit_seq, audit_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident.id, item, path, size, sha256, digest, reason, note, actor, deleted_at,
             audit_seq, audit_hash))
        hardcopy_id = cursor.lastrowid
        deleted_comments: list[str] = []
        if kind == "post":
            store.execute("UPDATE posts SET deleted_at = ?, deleted_by = ?, body = NULL,"
                          " title = NULL WHERE id = ?", (deleted_at, actor, item_id))
            store.execute("UPDATE revisions SET body = NULL, title = NULL WHERE item = ?",
                          (item,))
            deleted_comments = [r[0] for r in store.rows(
                "SELECT id FROM comments WHERE post_id = ? AND deleted_at IS NULL ORDER BY id",
                (item_id,))]
            for comment_id in deleted_comments:
                store.execute("UPDATE comments SET deleted_at = ?, deleted_by = ?, body = NULL"
                              " WHERE id = ?", (deleted_at, actor, comment_id))
                store.execute("UPDATE revisions SET body = NULL WHERE item = ?",
                              (f"comment:{comment_id}",))
                close_flags(store, f"comment:{comment_id}", "resolved", actor,
                            f"verwijderd met {item}")
        else:
            store.execute("UPDATE comments SET deleted_at = ?, deleted_by = ?, body = NULL"
                          " WHERE id = ?", (deleted_at, actor, item_id))
            store.execute("UPDATE revisions SET body = NULL WHERE item = ?", (item,))
        close_flags(store, item, "resolved", actor, note)
        detail = {"item": item, "reason": reason, "hardcopy_id": hardcopy_id, "path": path,
                  "sha256": sha256, "note": note,
                  "comments": [f"comment:{c}" for c in deleted_comments]}
        label = REASONS[reason].label if reason in REASONS else reason
        store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text,"
            " detail) VALUES (?, 'deletion', ?, ?, ?, ?, ?)",
            (incident.id, deleted_at, clock.now_iso(), actor,
             f"{'Bericht' if kind == 'post' else 'Reactie'} verwijderd: {label}",
             json.dumps(detail, ensure_ascii=False, sort_keys=True)))
        audit.append(store, actor, "item.delete", item,
                     {"reason": reason, "incident": incident.number, "path": path,
                      "sha256": sha256, "item_sha256": digest, "note": note,
                      "comments": detail["comments"], "recovered": recovered},
                     where["school_id"])
        store.execute("DELETE FROM delete_intents WHERE item = ?", (item,))
        # Portal sync: the removal reaches the portal; the hard copy is durable by now.
        outbox.enqueue_removal(store, item=item, school_id=where["school_id"],
                               group_id=where["group_id"], actor=actor, reason=reason,
                               incident=incident.number)
    return incident.number


# -- public API ---------------------------------------------------------------------------

LOCK_WAIT_SECONDS = 10.0


def _lock_path(store: Store) -> Path:
    return store.path.with_name(store.path.name + ".delete-lock")


@contextmanager
def _deleting(store: Store, exclusive: bool = False) -> Iterator[bool]:
    """Deletions in progress hold this file lock shared; recovery takes it exclusive,
    so it never mistakes another session's running deletion for a crashed one (the
    kernel drops the lock of a process that dies). Yields False when recovery could
    not get it within LOCK_WAIT_SECONDS."""
    fd = os.open(_lock_path(store), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not exclusive:
            fcntl.flock(fd, fcntl.LOCK_SH)
            yield True
            return
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.02)
        yield True
    finally:
        os.close(fd)


def delete_item(store: Store, item: str, reason: str, actor: Actor,
                note: str | None = None) -> DeletionResult:
    """Delete one post or comment after its hard copy is safely on disk."""
    _check_reason(reason)
    note = note if note and note.strip() else None
    with _deleting(store):
        return _delete_locked(store, item, reason, actor, note)


def _delete_locked(store: Store, item: str, reason: str, actor: Actor,
                   note: str | None) -> DeletionResult:
    for attempt in range(2):
        plan = _plan(store, item, reason, actor, note)
        final = store.archives / plan.path
        try:
            data = render_hardcopy(plan.detail, plan.facts, plan.digest)
            durable.write_durably(final, data)
            sha256 = hashlib.sha256(data).hexdigest()
            number = _finish(
                store, item=item, actor=actor.username, reason=reason, note=note,
                path=plan.path, deleted_at=plan.facts.deleted_at, size=len(data),
                sha256=sha256, digest=plan.digest, audit_seq=plan.facts.audit_seq,
                audit_hash=plan.facts.audit_hash)
        except _Moved as moved:
            _abandon(store, item, plan.path)
            if attempt:
                raise Conflict(f"{moved}; er is niets verwijderd, probeer het opnieuw") from None
            continue
        except BaseException:
            _abandon(store, item, plan.path)
            raise
        return DeletionResult(item, number, final, sha256)
    raise AssertionError("unreachable")


def delete_items(store: Store, items: Iterable[str], reason: str, actor: Actor,
                 note: str | None = None, progress: Progress | None = None,
                 ) -> list[DeletionResult]:
    """Delete several items, each with its own intent, copy and transaction. Every item
    is checked first, so a typo or a refused item stops the batch before anything goes."""
    _check_reason(reason)
    items = list(dict.fromkeys(items))
    for item in items:
        _check_item(store, item, actor)
    results: list[DeletionResult] = []
    for item in items:
        results.append(delete_item(store, item, reason, actor, note))
        if progress is not None:
            progress(len(results), len(items), results[-1])
    return results


def dismiss(store: Store, item: str, actor: Actor, note: str) -> int:
    """Close an item's open flags as 'dismissed' with a note; returns how many."""
    if not note or not note.strip():
        raise UsageError("een notitie is verplicht bij afwijzen (waarom blijft het bericht staan?)")
    try:
        parse_item(item)
    except ValueError as error:
        raise UsageError(str(error)) from None
    with store.write():
        where = item_location(store, item)
        if where is None:
            raise NotFound(f"{item} niet gevonden")
        if not actor.may_moderate_group(where["group_id"], where["school_id"]):
            raise PermissionDenied(f"{actor.username} modereert groep {where['group_id']} niet")
        if where["deleted_at"]:
            raise Conflict(f"{item} is al verwijderd op {clock.display(where['deleted_at'])}")
        if where["author_id"] == actor.person_id and not actor.is_director:
            # Nobody judges reports about their own message: the director decides.
            raise PermissionDenied(
                "meldingen over je eigen bericht kun je niet afwijzen; dat beslist de directie")
        closed = close_flags(store, item, "dismissed", actor.username, note)
        if not closed:
            raise Conflict(f"{item} heeft geen open signaleringen (al afgehandeld?)")
        audit.append(store, actor.username, "item.dismiss", item,
                     {"note": note, "flags": closed}, where["school_id"])
    return closed


# -- recovery -----------------------------------------------------------------------------

def _complete_copy(store: Store, intent) -> tuple[bytes, str, int, str] | None:
    """The intent's hard copy if it is whole and belongs to the live item:
    (data, item hash, audit seq, audit hash); None otherwise."""
    from pypdf import PdfReader  # only needed when something was interrupted

    final = store.archives / intent["path"]
    try:
        data = final.read_bytes()
    except OSError:
        return None
    try:
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data), strict=True)
        keywords = (reader.metadata or {}).get("/Keywords")
        if len(reader.pages) < 1:
            return None
    except Exception:  # noqa: BLE001 - any parse failure means "not a whole copy"
        return None
    embedded = embedded_item_hash(keywords)
    head = embedded_audit_head(keywords)
    if embedded is None or head is None:
        return None
    try:
        current = item_sha256(get_item_detail(store, intent["item"], SYSTEM))
    except (NotFound, UsageError):
        return None
    if current != embedded:
        return None
    return data, embedded, head[0], head[1]


def find_orphans(store: Store) -> list[str]:
    """PDF files in the archive that no hardcopies or exports row refers to."""
    root = store.archives
    if not root.exists():
        return []
    known = {r[0] for r in store.rows("SELECT path FROM hardcopies UNION SELECT path FROM exports")}
    out = []
    for path in sorted(root.rglob("*.pdf")):
        if durable.is_temp(path):
            continue
        rel = path.relative_to(root).as_posix()
        if rel not in known:
            out.append(rel)
    return out


def recover(store: Store, *, orphans: bool = True) -> RecoveryReport:
    """Finish or roll back every deletion a crash interrupted; list orphan files.
    Deletions running in other sessions are waited for, never touched."""
    if not has_intents(store):
        return RecoveryReport(orphans=tuple(find_orphans(store)) if orphans else ())
    with _deleting(store, exclusive=True) as locked:
        if not locked:   # another session keeps deleting; the next start recovers
            return RecoveryReport(orphans=tuple(find_orphans(store)) if orphans else ())
        finished, rolled_back = _recover_locked(store)
    return RecoveryReport(tuple(finished), tuple(rolled_back),
                          tuple(find_orphans(store)) if orphans else ())


def _recover_locked(store: Store) -> tuple[list[str], list[str]]:
    finished: list[str] = []
    rolled_back: list[str] = []
    for intent in store.rows("SELECT * FROM delete_intents ORDER BY id"):
        item, path = intent["item"], intent["path"]
        copy = _complete_copy(store, intent) if path else None
        if copy is not None:
            data, digest, seq, head_hash = copy
            try:
                _finish(store, item=item, actor=intent["actor"], reason=intent["reason"],
                        note=intent["note"], path=path, deleted_at=intent["created_at"],
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        digest=digest, audit_seq=seq, audit_hash=head_hash, recovered=True)
            except _Moved:
                pass
            else:
                durable.remove(durable.temp_path(store.archives / path))
                finished.append(item)
                continue
        _abandon(store, item, path)
        with store.write():
            audit.append(store, "system", "item.delete.rolled_back", item,
                         {"actor": intent["actor"], "reason": intent["reason"], "path": path})
        rolled_back.append(item)
    return finished, rolled_back


def has_intents(store: Store) -> bool:
    return store.scalar("SELECT 1 FROM delete_intents LIMIT 1") is not None
