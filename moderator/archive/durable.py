"""Durable file writes: a file is either absent or complete and on disk.

temp file in the target folder -> write -> fsync -> rename over the final name ->
fsync the folder (and any folder created for it) -> read-only mode. A crash leaves
at most a temp file (``.NAME.tmp``), which recovery removes.
"""

from __future__ import annotations

import os
from pathlib import Path

TEMP_SUFFIX = ".tmp"
READ_ONLY = 0o444


def temp_path(final: Path) -> Path:
    return final.with_name(f".{final.name}{TEMP_SUFFIX}")


def is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its parents, fsyncing each parent that gained an entry.
    Returns the folders it created, outermost first; on failure removes them again."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            try:
                path.mkdir()
            except FileExistsError:
                continue
            created.append(path)
            fsync_dir(path.parent)
    except OSError:
        remove_empty(created)
        raise
    return created


def prune_empty(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents below ``root`` while they are empty (an incident
    folder left by a deletion that was rolled back); never raises."""
    folder, root = Path(folder), Path(root)
    chain = []
    while folder != root and root in folder.parents:
        chain.append(folder)
        folder = folder.parent
    remove_empty(list(reversed(chain)))


def remove_empty(folders: list[Path]) -> None:
    """Remove folders (innermost first) that are still empty; never raises."""
    for path in reversed(folders):
        try:
            path.rmdir()
            fsync_dir(path.parent)
        except OSError:
            return


def write_durably(final: Path, data: bytes, mode: int = READ_ONLY, *,
                  replace: bool = False) -> None:
    """Write ``data`` to ``final`` so that after a crash it is either absent or whole
    (``replace``: or the older file whole). Refuses to replace an existing file unless
    ``replace`` (reports that are made anew, never dossier files)."""
    final = Path(final)
    created = make_dirs(final.parent)
    temp = temp_path(final)
    try:
        if final.exists() and not replace:
            raise FileExistsError(f"{final} bestaat al")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, mode)
        os.replace(temp, final)
        fsync_dir(final.parent)
    except OSError:
        # A full or read-only disk: leave nothing behind, not even the folders made for it.
        try:
            temp.unlink()
        except OSError:
            pass
        remove_empty(created)
        raise


def remove(path: Path) -> bool:
    """Remove a file (read-only or not) and fsync its folder; False if it was absent."""
    path = Path(path)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    fsync_dir(path.parent)
    return True


def remove_empty_dir(folder: Path) -> bool:
    """Remove ``folder`` when it is empty and fsync its parent; False when it is not
    empty or already gone."""
    folder = Path(folder)
    try:
        folder.rmdir()
    except OSError:
        return False
    fsync_dir(folder.parent)
    return True
