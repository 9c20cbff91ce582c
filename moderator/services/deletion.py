"""Delete with a hard copy first: nothing is deleted before its PDF is durably on disk.

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
from moderator.errors import (
    ArchiveUnavailable,
    Conflict,
    NotFound,
    PermissionDenied,
    UsageError,
    os_reason,
)
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.policy.catalogue import REASONS
from moderator.refs import ItemRef
from moderator.services.breaches import propose_for_deletion
from moderator.store import audit, deletions, integrity, outbox
from moderator.store.db import Store
from moderator.store.flags import ItemPlace, close_flags, item_location
from moderator.store.incidents import open_or_extend_incident
from moderator.store.items import ItemDetail, item_detail

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


def _check_item(store: Store, item: str, actor: Actor) -> ItemPlace:
    """Exists, the actor may delete it, not yet deleted, no deletion in progress."""
    ItemRef.parse(item)
    where = item_location(store, item)
    if where is None:
        raise NotFound(f"{item} niet gevonden")
    if not access.may_moderate_group(actor, where.group_id, where.school_id):
        raise PermissionDenied(
            f"{actor.username} mag geen berichten van groep {where.group_id} verwijderen:"
            " dat mogen alleen de beheerders van de groep en de directie van de school")
    if where.deleted_at:
        raise Conflict(f"{item} is al verwijderd op {clock.display(where.deleted_at)}")
    if deletions.intent_pending(store, item):
        raise Conflict(f"{item} wordt al verwijderd (in een andere sessie, of een"
                       " onderbroken verwijdering die bij de volgende start wordt hersteld)")
    return where


def _detail(store: Store, item: str) -> ItemDetail:
    found = item_detail(store, item)
    if found is None:
        raise NotFound(f"{item} niet gevonden")
    return found


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _safe(part: str) -> str:
    cleaned = _UNSAFE.sub("_", part)[:64].lstrip(".")
    return cleaned or "_"


def _incident_year(number: str) -> str:
    parts = number.split("-")
    return parts[1] if len(parts) >= 3 and parts[1].isdigit() else str(clock.now().year)


# The intent and its removal are committed without their own fsync
# (Store.unsynced_write): the step-4 commit (synchronous=FULL) syncs the write-ahead
# log, and with it every earlier transaction, before anything is deleted. If power fails
# before that, the intent may be lost; the item is then still live and at worst an
# unreferenced PDF is left, which recover() and verify report. No text is lost either
# way. Saves one fsync per deletion.


def _plan(store: Store, item: str, reason: str, actor: Actor, note: str | None) -> _Plan:
    """Step 1: check, decide the file name and incident, and commit the intent."""
    if store.in_write:
        raise RuntimeError("delete_item must not run inside another transaction")
    with store.unsynced_write():
        _check_item(store, item, actor)
        detail = _detail(store, item)
        digest = item_sha256(detail)
        number = deletions.predicted_incident_number(store, detail.school_id, detail.author_id)
        seq, head_hash = audit.head(store)
        deleted_at = clock.now_iso()
        path = "/".join([
            _safe(detail.school_id), _incident_year(number), _safe(number),
            f"{detail.kind}-{_safe(detail.id)}-{digest[:8]}.pdf"])
        deletions.add_intent(store, item=item, actor=actor.username, reason=reason, note=note,
                             path=path, created_at=deleted_at, incident_number=number)
    facts = HardCopyFacts(reason=reason, deleter=actor, deleted_at=deleted_at, note=note,
                          incident_number=number, audit_seq=seq, audit_hash=head_hash)
    return _Plan(item, detail, facts, digest, path)


def _abandon(store: Store, item: str, path: str | None) -> None:
    """Roll back an intent: remove what was written for it, keep the item live."""
    if path:
        final = store.archives / path
        try:
            durable.remove(durable.temp_path(final))
            if not deletions.hardcopy_recorded(store, path):
                durable.remove(final)
        except OSError:
            pass       # a read-only disk: nothing of ours can be on it either
        durable.prune_empty(final.parent, store.archives)
    with store.unsynced_write():
        deletions.drop_intent(store, item)


# -- step 4 -------------------------------------------------------------------------------

def _finish(
    store: Store, *, item: str, actor: str, reason: str, note: str | None, path: str,
    deleted_at: str, size: int, sha256: str, digest: str, audit_seq: int, audit_hash: str,
    number: str | None, recovered: bool = False,
) -> str:
    """Step 4, in one transaction. Raises _Moved when the item or the incident is no
    longer what the hard copy says (nothing is then changed)."""
    ref = ItemRef.parse(item)
    kind, item_id = ref.kind, ref.id
    with store.write():
        if not deletions.intent_pending(store, item, path):
            raise _Moved(f"de verwijderopdracht voor {item} is verdwenen")
        where = item_location(store, item)
        if where is None or where.deleted_at:
            raise _Moved(f"{item} bestaat niet meer of is al verwijderd")
        current = _detail(store, item)
        if item_sha256(current) != digest:
            raise _Moved(f"{item} is gewijzigd nadat de hard copy was gemaakt")
        incident = open_or_extend_incident(
            store, school_id=where.school_id, group_id=where.group_id,
            person_id=where.author_id, actor=actor)
        if incident.number != number:
            raise _Moved(f"het incidentnummer voor {item} is veranderd in {incident.number}")
        hardcopy_id = deletions.add_hardcopy(
            store, incident_id=incident.id, item=item, path=path, size=size, sha256=sha256,
            item_sha256=digest, reason=reason, note=note, created_by=actor,
            created_at=deleted_at, audit_seq=audit_seq, audit_hash=audit_hash)
        # Breach register hook (one call, while the text is still readable).
        propose_for_deletion(store, current, reason=reason, actor=actor,
                             deleted_at=deleted_at, incident_number=incident.number)
        deleted_comments: list[str] = []
        if kind == "post":
            deletions.mark_post_deleted(store, item_id, deleted_at=deleted_at, deleted_by=actor)
            deleted_comments = deletions.live_comments(store, item_id)
            for comment_id in deleted_comments:
                deletions.mark_comment_deleted(store, comment_id, deleted_at=deleted_at,
                                               deleted_by=actor)
                close_flags(store, str(ItemRef.comment(comment_id)), "resolved", actor,
                            f"verwijderd met {item}")
        else:
            deletions.mark_comment_deleted(store, item_id, deleted_at=deleted_at,
                                           deleted_by=actor)
        close_flags(store, item, "resolved", actor, note)
        detail = {"item": item, "reason": reason, "hardcopy_id": hardcopy_id, "path": path,
                  "sha256": sha256, "note": note,
                  "comments": [str(ItemRef.comment(c)) for c in deleted_comments]}
        label = REASONS[reason].label if reason in REASONS else reason
        deletions.add_deletion_event(
            store, incident.id, at=deleted_at, author=actor,
            text=f"{'Bericht' if kind == 'post' else 'Reactie'} verwijderd: {label}",
            detail=detail)
        audit.append(store, actor, "item.delete", item,
                     {"reason": reason, "incident": incident.number, "path": path,
                      "sha256": sha256, "size": size, "item_sha256": digest,
                      # The chain keeps ids and hashes only; the note stays in the dossier.
                      "note_sha256": integrity.text_sha256(note),
                      "comments": detail["comments"], "recovered": recovered},
                     where.school_id)
        deletions.drop_intent(store, item)
        # Portal sync: the removal reaches the portal; the hard copy is durable by now.
        outbox.enqueue_removal(store, item=item, school_id=where.school_id,
                               group_id=where.group_id, actor=actor, reason=reason,
                               incident=incident.number)
    return incident.number


# -- public API ---------------------------------------------------------------------------

LOCK_WAIT_SECONDS = 10.0


LOCK_NAME = ".delete-lock"


def _lock_path(store: Store) -> Path:
    """The lock file lives in the archive folder (hidden, skipped by verify), not next to
    the database in the user's working folder."""
    store.archives.mkdir(parents=True, exist_ok=True)
    return store.archives / LOCK_NAME


@contextmanager
def _deleting(store: Store, exclusive: bool = False) -> Iterator[bool]:
    """Deletions in progress hold this file lock shared; recovery takes it exclusive,
    so it never mistakes another session's running deletion for a crashed one (the
    kernel drops the lock of a process that dies). Yields False when recovery could
    not get it within LOCK_WAIT_SECONDS."""
    try:
        fd = os.open(_lock_path(store), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        # A read-only or full archive: nothing has been done yet.
        raise ArchiveUnavailable(
            f"kan de hard copy niet opslaan in {store.archives}: {os_reason(error)};"
            " er is niets verwijderd") from None
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
                audit_hash=plan.facts.audit_hash, number=plan.facts.incident_number)
        except _Moved as moved:
            _abandon(store, item, plan.path)
            if attempt:
                raise Conflict(f"{moved}; er is niets verwijderd, probeer het opnieuw") from None
            continue
        except OSError as error:
            # A full or read-only archive disk: the item stays, nothing is left behind.
            _abandon(store, item, plan.path)
            raise ArchiveUnavailable(
                f"kan de hardcopy van {item} niet opslaan in {store.archives}:"
                f" {os_reason(error)}; er is niets verwijderd") from None
        except BaseException:
            _abandon(store, item, plan.path)
            raise
        return DeletionResult(item, number, final, sha256)
    raise AssertionError("unreachable")


def delete_items(store: Store, items: Iterable[str], reason: str, actor: Actor,
                 note: str | None = None, progress: Progress | None = None,
                 covered: Callable[[str, str], None] | None = None,
                 ) -> list[DeletionResult]:
    """Delete several items, each with its own intent, copy and transaction. Every item
    is checked first, so a typo or a refused item stops the batch before anything goes.
    A comment whose post is in the same batch goes with the post (the post's hard copy
    holds it): it is not deleted twice; ``covered(comment, post)`` is told of it."""
    _check_reason(reason)
    items = list(dict.fromkeys(items))
    for item in items:
        _check_item(store, item, actor)
    posts = {item for item in items if item.startswith("post:")}
    with_post = {item: deletions.parent_post(store, item) for item in items
                 if item.startswith("comment:")}
    batch = [item for item in items if with_post.get(item) not in posts]
    for comment, post in with_post.items():
        if post in posts and covered is not None:
            covered(comment, post)
    results: list[DeletionResult] = []
    for item in batch:
        results.append(delete_item(store, item, reason, actor, note))
        if progress is not None:
            progress(len(results), len(batch), results[-1])
    return results


# -- recovery -----------------------------------------------------------------------------

def _complete_copy(store: Store, intent) -> tuple[bytes, str, int, str] | None:
    """The intent's hard copy if it is whole and belongs to the live item:
    (data, item hash, audit seq, audit hash); None otherwise."""
    from pypdf import PdfReader  # only needed when something was interrupted

    final = store.archives / intent.path
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
    except Exception:    # any parse failure means "not a whole copy"
        return None
    embedded = embedded_item_hash(keywords)
    head = embedded_audit_head(keywords)
    if embedded is None or head is None:
        return None
    try:
        current = item_sha256(_detail(store, intent.item))
    except (NotFound, UsageError):
        return None
    if current != embedded:
        return None
    return data, embedded, head[0], head[1]


def find_orphans(store: Store) -> list[str]:
    """PDF files in the archive that no hard copy, export or letter row refers to."""
    root = store.archives
    if not root.exists():
        return []
    known = deletions.archived_paths(store)
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
    if not deletions.has_intents(store):
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
    for intent in deletions.intents(store):
        item, path = intent.item, intent.path
        copy = _complete_copy(store, intent) if path else None
        if copy is not None:
            data, digest, seq, head_hash = copy
            try:
                _finish(store, item=item, actor=intent.actor, reason=intent.reason,
                        note=intent.note, path=path, deleted_at=intent.created_at,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        digest=digest, audit_seq=seq, audit_hash=head_hash,
                        number=intent.incident_number, recovered=True)
            except _Moved:
                pass
            else:
                durable.remove(durable.temp_path(store.archives / path))
                finished.append(item)
                continue
        _abandon(store, item, path)
        with store.write():
            audit.append(store, "system", "item.delete.rolled_back", item,
                         {"actor": intent.actor, "reason": intent.reason, "path": path})
        rolled_back.append(item)
    return finished, rolled_back
