"""The files the store records in the archive folder: hard copies and dossier exports,
each with its size and SHA-256 (what ``moderator verify`` checks the disk against)."""

from __future__ import annotations

from dataclasses import dataclass

from moderator.store.db import Store


@dataclass(frozen=True)
class RecordedFile:
    path: str        # relative to store.archives
    size: int
    sha256: str


def recorded_files(store: Store) -> list[RecordedFile]:
    """Every hard copy, export and letter, ordered by path."""
    return [RecordedFile(r["path"], r["size"], r["sha256"]) for r in store.rows(
        "SELECT path, size, sha256 FROM hardcopies UNION ALL"
        " SELECT path, size, sha256 FROM exports UNION ALL"
        " SELECT pdf_path, size, sha256 FROM letters ORDER BY path")]


def count_recorded_files(store: Store) -> int:
    return store.scalar(
        "SELECT (SELECT count(*) FROM hardcopies) + (SELECT count(*) FROM exports)"
        " + (SELECT count(*) FROM letters)") or 0
