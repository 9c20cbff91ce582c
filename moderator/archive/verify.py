"""Verify the archive: every hard copy, dossier export and letter against its recorded SHA-256,
files nobody recorded, and the audit log's hash chain (optionally against an anchor).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from moderator.archive.durable import is_temp
from moderator.errors import os_reason
from moderator.store import audit
from moderator.store.archive_files import recorded_files
from moderator.store.audit import ChainProblem
from moderator.store.db import Store
from moderator.store.letters import letter_files

WORKERS = 2
CHUNK = 1 << 20
IGNORED_NAMES = {"README.md", ".delete-lock"}   # the deletions' lock file

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileProblem:
    path: str          # relative to the archive folder
    problem: str       # 'missing', 'altered', 'unknown'
    detail: str = ""


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    missing: tuple[FileProblem, ...] = ()
    altered: tuple[FileProblem, ...] = ()
    unknown: tuple[FileProblem, ...] = ()
    chain: tuple[ChainProblem, ...] = ()
    anchor: tuple[int, str] | None = None
    anchor_ok: bool | None = None          # None when no anchor was given
    audit_entries: int = 0
    extra: dict = field(default_factory=dict)
    letters: int = 0                       # of ``checked``, how many were letters

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.unknown or self.chain
                    or self.anchor_ok is False)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "checked": self.checked, "letters": self.letters,
            "audit_entries": self.audit_entries,
            "missing": [p.path for p in self.missing],
            "altered": [{"path": p.path, "detail": p.detail} for p in self.altered],
            "unknown": [p.path for p in self.unknown],
            "chain": [{"seq": c.seq, "problem": c.problem} for c in self.chain],
            "anchor": None if self.anchor is None else
            {"seq": self.anchor[0], "hash": self.anchor[1], "found": self.anchor_ok},
        }


def sha256_file(path: str | os.PathLike, expected_size: int = -1) -> tuple[int, str]:
    """(size, hex digest) of a file. With the expected size the whole file is read in
    one call; os.read and hashlib both release the GIL, so threads hash in parallel."""
    digest = hashlib.sha256()
    size = 0
    want = expected_size + 1 if 0 <= expected_size < (64 << 20) else CHUNK
    fd = os.open(path, os.O_RDONLY)
    try:
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            size += len(chunk)
            digest.update(chunk)
            want = CHUNK
    finally:
        os.close(fd)
    return size, digest.hexdigest()


def parse_anchor(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    digest = digest.strip().lower()
    if not sep or not seq.strip().isdigit() or len(digest) != 64 or any(
            c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"anker moet SEQ:HASH zijn (volgnummer en 64 hexadecimale tekens), niet {value!r}")
    return int(seq), digest


def _unknown(root: Path, known: set[str]) -> list[FileProblem]:
    out: list[FileProblem] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except FileNotFoundError:
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, rel + "/")
            elif entry.name in IGNORED_NAMES or is_temp(Path(entry.name)):
                continue
            elif rel not in known:
                out.append(FileProblem(rel, "unknown", "geen hard copy, export of brief verwijst ernaar"))

    walk(str(root), "")
    return out


def verify_archive(store: Store, progress: Progress | None = None,
                   anchor: tuple[int, str] | None = None) -> VerifyReport:
    """Recompute every recorded file's hash; report missing, altered and unknown files,
    any break in the audit chain, and whether ``anchor`` (seq, hash) is still in the log."""
    root = store.archives
    base = str(root) + os.sep
    recorded = [(f.path, f.size, f.sha256) for f in recorded_files(store)]
    total = len(recorded)
    n_letters = len(letter_files(store))
    missing: list[FileProblem] = []
    altered: list[FileProblem] = []

    def check(entry: tuple[str, int, str]) -> FileProblem | None:
        rel, size, expected = entry
        try:
            actual_size, actual = sha256_file(base + rel, size)
        except FileNotFoundError:
            return FileProblem(rel, "missing", "bestand niet gevonden")
        except OSError as error:
            return FileProblem(rel, "missing", f"onleesbaar ({os_reason(error)})")
        if actual != expected:
            return FileProblem(rel, "altered", f"sha256 {actual} in plaats van {expected}"
                               + (f"; grootte {actual_size} in plaats van {size}" if actual_size != size else ""))
        return None

    done = 0
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for problem in pool.map(check, recorded, chunksize=64):
            done += 1
            if problem is not None:
                (missing if problem.problem == "missing" else altered).append(problem)
            if progress is not None and (done % 256 == 0 or done == total):
                progress(done, total)
    unknown = _unknown(root, {r[0] for r in recorded})
    chain = audit.verify_chain(store)
    anchor_ok = None if anchor is None else audit.contains_anchor(store, *anchor)
    entries = audit.count(store)
    return VerifyReport(total, tuple(missing), tuple(altered), tuple(unknown), tuple(chain),
                        anchor, anchor_ok, entries, letters=n_letters)
