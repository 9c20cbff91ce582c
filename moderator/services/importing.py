"""Importing a portal export: check and write every record, scan what is new or
changed, and log it, all in one transaction (all or nothing).

Every import, also one that adds nothing, appends one ``import`` entry to the audit log
with the file name and the counts. Imports run as the operator (whoever holds the
database file); there is no per-school access check.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterable
from pathlib import Path

from moderator.policy.access import SYSTEM, Actor
from moderator.services import scanning
from moderator.store import audit, importer
from moderator.store.db import Store
from moderator.store.importer import ImportSummary, Progress
from moderator.store.limits import import_limits


def import_file(store: Store, path: str | Path, *, actor: Actor = SYSTEM,
                progress: Progress | None = None) -> ImportSummary:
    """Import one export file, all or nothing. Raises InputError (exit code 2)."""
    source = str(path)
    total, records = importer.read_records(path, source, import_limits(store).max_line_bytes)
    return import_records(store, records, source=source, actor=actor, progress=progress,
                          total=total)


def import_records(store: Store, records: Iterable[tuple[int, dict]], *, source: str,
                   actor: Actor = SYSTEM, progress: Progress | None = None,
                   total: int = 0) -> ImportSummary:
    """Import already parsed records ``(line number, dict)``, all or nothing."""
    # The whole file is held in memory as many small containers; the cyclic garbage
    # collector would walk them over and over while they are built (none are cycles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Read (and parse) the whole file before taking the write lock, so a long file
        # keeps the database free for moderators while it is read.
        records = list(records)
        with store.large_cache(), store.write():
            summary, school_id = importer.write_records(store, records, source=source,
                                                        progress=progress, total=total)
            if progress is not None:
                progress("scannen", 0, 1)
            if summary.items:
                summary = dataclasses.replace(
                    summary, rule_flags=scanning.scan_items(store, summary.items,
                                                      actor=actor.username))
            detail = summary.as_dict()
            detail["file"] = detail.pop("source")
            audit.append(store, actor.username, "import", f"file:{Path(source).name}", detail,
                         school_id)
            if progress is not None:
                progress("schrijven", 1, 1)
    finally:
        if collecting:
            gc.enable()
    return summary
