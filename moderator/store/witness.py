"""The witness: the audit chain's head, appended to a file outside the database.

After every commit that appended to the chain the new head is queued; a background
timer writes it at most :data:`DELAY` seconds later (batched: only the newest head of a
burst is written), and :meth:`Witness.flush` writes it at once (on close and at exit),
so a command-line run leaves its head behind before it ends. The file only grows: one
line ``SEQ HASH WRITTEN_AT`` per write, fsynced. ``moderator verify`` reads it back and
so catches a cut-off or rewritten tail of the log without an anchor typed by hand.

Default place: beside the archive folder (``<archives>.witness``); ``MODERATOR_WITNESS``
or ``--witness`` chooses another (another disk or machine is better).
"""

from __future__ import annotations

import atexit
import os
import re
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DELAY = 2.0
_LINE = re.compile(r"^(\d+) ([0-9a-f]{64})(?: (\S+))?$")
_LIVE: weakref.WeakSet[Witness] = weakref.WeakSet()


def default_path(archives: Path) -> Path:
    archives = Path(archives)
    return archives.with_name(archives.name + ".witness")


@dataclass(frozen=True)
class WitnessLine:
    number: int          # line number in the file, from 1
    seq: int
    hash: str


@dataclass(frozen=True)
class WitnessFile:
    path: Path
    exists: bool
    lines: tuple[WitnessLine, ...] = ()
    bad_lines: tuple[int, ...] = ()
    error: str | None = None

    @property
    def newest(self) -> WitnessLine | None:
        return max(self.lines, key=lambda w: w.seq) if self.lines else None


def read(path: Path) -> WitnessFile:
    path = Path(path)
    try:
        raw = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return WitnessFile(path, False)
    except OSError as error:
        return WitnessFile(path, True, error=error.strerror or str(error))
    lines, bad = [], []
    for number, text in enumerate(raw.splitlines(), start=1):
        match = _LINE.match(text.strip())
        if match:
            lines.append(WitnessLine(number, int(match.group(1)), match.group(2)))
        elif text.strip():
            bad.append(number)
    return WitnessFile(path, True, tuple(lines), tuple(bad))


class Witness:
    """Appends chain heads to one file, off the critical path."""

    def __init__(self, path: Path, delay: float = DELAY):
        self.path = Path(path)
        self.delay = delay
        self._lock = threading.Lock()
        self._pending: tuple[int, str] | None = None
        self._written: tuple[int, str] | None = None
        self._timer: threading.Timer | None = None
        self.error: str | None = None
        _LIVE.add(self)

    def notify(self, seq: int, digest: str) -> None:
        """Queue a new head; written within ``delay`` seconds (the very first head of a
        new witness file at once, so the file exists from the first change on)."""
        with self._lock:
            self._pending = (seq, digest)
            first = self._written is None and not self.path.exists()
        if first:
            self.flush()
            return
        with self._lock:
            if self._timer is None and self._pending is not None:
                self._timer = threading.Timer(self.delay, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Write the queued head now (no-op when nothing is queued)."""
        with self._lock:
            timer, self._timer = self._timer, None
            if timer is not None and timer is not threading.current_thread():
                timer.cancel()
            head, self._pending = self._pending, None
            if head is None or head == self._written:
                return
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            line = f"{head[0]} {head[1]} {stamp}\n".encode("ascii")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, line)
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as error:
                # Never fail the change that was already committed; verify names a
                # witness that lags behind.
                self.error = error.strerror or str(error)
                return
            self._written = head


@atexit.register
def _flush_all() -> None:
    for witness in list(_LIVE):
        witness.flush()
