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


def make_dirs(folder: Path) -> None:
    """Create ``folder`` and its parents, fsyncing each parent that gained an entry."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        fsync_dir(path.parent)


def write_durably(final: Path, data: bytes, mode: int = READ_ONLY, *,
                  replace: bool = False) -> None:
    """Write ``data`` to ``final`` so that after a crash it is either absent or whole
    (``replace``: or the older file whole). Refuses to replace an existing file unless
    ``replace`` (reports that are made anew, never dossier files)."""
    final = Path(final)
    make_dirs(final.parent)
    if final.exists() and not replace:
        raise FileExistsError(f"{final} bestaat al")
    temp = temp_path(final)
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
