"""Verify the archive: every hard copy and export against its SHA-256, unknown files,
the audit log's hash chain and an anchor. The check itself is
:func:`moderator.archive.verify.verify_archive`; this module decides who may run it and
writes every verify by the AVG coordinator to the access log, whether it was started
from the console or from ``moderator verify --user``.

Without a user (``moderator verify`` run by an operator who holds the database file)
the actor is :data:`moderator.policy.access.SYSTEM`.
"""

from __future__ import annotations

from moderator.archive import verify as archive_verify
from moderator.archive.verify import Progress, VerifyReport, sha256_file
from moderator.errors import Conflict, UsageError
from moderator.policy.access import AVG, Actor, may_audit, require
from moderator.services.retention import archive_file
from moderator.store import retention as retention_rows
from moderator.store.archive_files import count_recorded_files
from moderator.store.db import Store
from moderator.store.logs import log_access

__all__ = ["VerifyReport", "count_files", "destroyed_leftovers", "parse_anchor",
           "verify_archive"]


def parse_anchor(value: str) -> tuple[int, str]:
    """``SEQ:HASH`` as (sequence, hash); UsageError naming what is wrong."""
    try:
        return archive_verify.parse_anchor(value)
    except ValueError as error:
        raise UsageError(str(error)) from None


def count_files(store: Store) -> int:
    """How many files a verify will check (hard copies and exports)."""
    return count_recorded_files(store)


def verify_archive(store: Store, actor: Actor, *, anchor: tuple[int, str] | None = None,
                   progress: Progress | None = None) -> VerifyReport:
    """Check the archive and the audit log; the AVG coordinator's verify is logged."""
    require(actor.is_system or may_audit(actor),
            "Alleen de AVG-coördinator mag het archief controleren.")
    if actor.role == AVG:
        log_access(store, actor, "archive_verify")
    return archive_verify.verify_archive(store, progress=progress, anchor=anchor)


def destroyed_leftovers(store: Store, relative_paths: list[str]) -> dict[str, str]:
    """Of the given archive files (e.g. verify's unknown files), those whose SHA-256 is
    in a destruction record: path -> the destroyed incident's number. Such a file was
    destroyed on paper but is (back) on disk."""
    destroyed = retention_rows.destroyed_hashes(store)
    found: dict[str, str] = {}
    if not destroyed:
        return found
    for relative in relative_paths:
        try:
            _size, digest = sha256_file(archive_file(store, relative))
        except (Conflict, OSError):
            continue
        if digest in destroyed:
            found[relative] = destroyed[digest]
    return found
