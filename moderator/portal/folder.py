"""The ``folder`` connector: actions, receipts and new data as files in one folder.

Layout (every name a reader takes ends in ``.jsonl``; writers use another name first,
fsync, then rename, so a reader only ever sees whole files)::

    DIR/outbox/actions-20261202T101400Z-1.jsonl   one file per delivery, one action a line
    DIR/receipts/*.jsonl                           written by whoever carries them out
    DIR/receipts/read/                             receipts moderator has read
    DIR/incoming/*.jsonl                           portal export files, imported in name order
    DIR/incoming/done/, DIR/incoming/failed/       after import (failed: with NAME.error)

A receipt line is ``{"id", "status": "done" | "refused", "receipt"?, "done_at"?,
"message"?}``; a file with one bad line is refused whole (file and line named).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moderator.errors import InputError, os_reason
from moderator.text import one_line

OUTBOX = "outbox"
RECEIPTS = "receipts"
READ = "read"
INCOMING = "incoming"
DONE = "done"
FAILED = "failed"
SUFFIX = ".jsonl"
ACTION_ID_LENGTH = 30     # 'act-' + 26
MAX_RECEIPT_BYTES = 64 * 1024 * 1024


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_layout(root: str | Path) -> Path:
    """Create the connector's folders (idempotent); returns the root."""
    root = Path(root)
    for sub in (OUTBOX, f"{RECEIPTS}/{READ}", f"{INCOMING}/{DONE}", f"{INCOMING}/{FAILED}"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def write_whole(final: Path, data: bytes) -> None:
    """Temp name (not ending in .jsonl), write, fsync, rename into place, fsync the folder."""
    temp = final.with_name(f".{final.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(temp, final)
    _fsync_dir(final.parent)


def write_delivery(root: str | Path, payloads: list[dict[str, Any]],
                   now: datetime | None = None) -> Path:
    """One delivery file in ``outbox/`` with one action per line, in the given order."""
    folder = ensure_layout(root) / OUTBOX
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    number = 1
    while True:
        final = folder / f"actions-{stamp}-{number}{SUFFIX}"
        if not final.exists() and not final.with_name(f".{final.name}.tmp").exists():
            break
        number += 1
    data = "".join(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n" for p in payloads)
    write_whole(final, data.encode("utf-8"))
    return final


# -- receipts ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    line: int
    id: str
    status: str                     # 'done' or 'refused'
    receipt: Any = None
    done_at: str | None = None
    message: str | None = None


def _complete_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(SUFFIX)
                  and not p.name.startswith("."))


def receipt_files(root: str | Path) -> list[Path]:
    return _complete_files(Path(root) / RECEIPTS)


def read_receipts(path: Path) -> list[Receipt]:
    """Every receipt in one file; the first bad line raises InputError (file and line)."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_RECEIPT_BYTES:
            raise InputError(source, None, "ontvangstbewijzenbestand is te groot")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(source, None, f"kan het bestand niet lezen: {os_reason(error)}") from None
    out: list[Receipt] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InputError(source, number, "geen geldige UTF-8") from None
        except ValueError as error:
            raise InputError(source, number, f"geen geldige JSON (kolom {error.colno})"
                             if hasattr(error, "colno") else "geen geldige JSON") from None
        out.append(_receipt(source, number, value))
    return out


def _receipt(source: str, number: int, value: Any) -> Receipt:
    def bad(message: str) -> InputError:
        return InputError(source, number, message)

    if not isinstance(value, dict):
        raise bad("verwacht een JSON-object per regel")
    action_id = value.get("id")
    if (not isinstance(action_id, str) or not action_id.startswith("act-")
            or len(action_id) != ACTION_ID_LENGTH):
        raise bad(f"'id' moet een actie-id zijn (act- en 26 tekens), niet"
                  f" {one_line(repr(action_id), 60)}")
    status = value.get("status")
    if status not in ("done", "refused"):
        raise bad(f"'status' moet \"done\" of \"refused\" zijn, niet {one_line(repr(status), 60)}")
    for name in ("done_at", "message"):
        if name in value and value[name] is not None and not isinstance(value[name], str):
            raise bad(f"'{name}' moet een tekst zijn")
    if value.get("done_at"):
        try:
            moment = datetime.fromisoformat(value["done_at"])
        except ValueError:
            raise bad(f"'done_at' is geen ISO 8601-tijd: {one_line(value['done_at'], 60)}") from None
        if moment.tzinfo is None:
            raise bad("'done_at' mist de tijdzone (bijvoorbeeld +01:00)")
    receipt = value.get("receipt")
    if receipt is not None and not isinstance(receipt, str | int | float | dict | list):
        raise bad("'receipt' heeft een onbekende vorm")
    return Receipt(number, action_id, status, receipt, value.get("done_at") or None,
                   value.get("message"))


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}-{number}{path.suffix}"
    os.rename(path, target)
    _fsync_dir(folder)
    _fsync_dir(path.parent)
    return target


def mark_read(path: Path) -> Path:
    """Move a receipts file that has been applied into ``receipts/read/``."""
    return _move(path, path.parent / READ)


# -- new data ------------------------------------------------------------------------------

def incoming_files(root: str | Path) -> list[Path]:
    return _complete_files(Path(root) / INCOMING)


def move_done(path: Path) -> Path:
    return _move(path, path.parent / DONE)


def move_failed(path: Path, message: str) -> Path:
    """Into ``incoming/failed/`` with ``NAME.error`` beside it saying what is wrong."""
    target = _move(path, path.parent / FAILED)
    write_whole(target.with_name(target.name + ".error"), (message.rstrip() + "\n").encode("utf-8"))
    return target
