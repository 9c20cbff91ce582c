"""Opening the database: WAL, foreign keys, migrations, and write transactions."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from moderator.errors import ReadOnlyDatabase
from moderator.store.schema import MIGRATIONS, SEAL_AT, V_TIME
from moderator.store.witness import Witness, default_path

BUSY_TIMEOUT_MS = 30_000
# A write waits this long for another process's write (a long import) before it gives
# up; after WAIT_NOTICE_SECONDS the store's ``on_wait`` callback is told, once, so the
# user sees why nothing happens yet.
WRITE_WAIT_SECONDS = 15 * 60
WAIT_NOTICE_SECONDS = 1.0


class Store:
    """A connection to the moderator database.

    The driver runs in autocommit mode; :meth:`write` opens ``BEGIN IMMEDIATE`` so a
    writer takes the lock up front (a second console waits instead of failing); nested
    calls join the outer transaction. Hot paths (the import, the queue, the scan) use
    hand-written SQL through :meth:`execute`/:meth:`executemany`; :attr:`db` is a
    sqlite-utils ``Database`` on the same connection for cold-path reads
    (:mod:`moderator.store.counts`).
    """

    def __init__(self, path: str | Path, archives: str | Path | None = None,
                 witness: str | Path | None = None, *, read_only: bool = False,
                 on_wait: Callable[[], None] | None = None):
        self.path = Path(path)
        self.archives = Path(archives) if archives is not None else self.path.parent / "archives"
        self._chain_appended = False
        self.on_wait = on_wait
        self.read_only = read_only
        # Timeline entries written in the open transaction, not yet in an audit entry:
        # (event id, content hash, incident number); see :meth:`event_written`.
        self._pending_events: list[list] = []
        self.witness: Witness | None = None
        if str(self.path) != ":memory:":
            self.witness = Witness(Path(witness) if witness else default_path(self.archives))
        conn = self._connect_read_only() if read_only else sqlite3.connect(
            str(self.path),
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        self.conn = conn
        self._lock = threading.RLock()
        self._depth = 0
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            self.db = sqlite_utils.Database(conn)
            if self.schema_version != len(MIGRATIONS):
                conn.close()
                raise ReadOnlyDatabase(
                    "de database is alleen-lezen en van een oudere versie; open hem eenmaal"
                    " beschrijfbaar om hem bij te werken")
            return
        if str(self.path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        self.db = sqlite_utils.Database(conn)
        self._migrate()

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open without writing anything: ``mode=ro``, or, where not even the WAL index
        can be made (a read-only mount), ``immutable=1``."""
        from urllib.parse import quote

        base = "file:" + quote(str(self.path.resolve()))
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            conn = sqlite3.connect(base + query, uri=True, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError:
                conn.close()
        raise ReadOnlyDatabase(f"kan de database {self.path} niet lezen")

    # -- schema ---------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        with self.write():
            version = self.schema_version
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _split_sql(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
                if number == SEAL_AT and version > 0:
                    from moderator.store.integrity import seal_existing

                    seal_existing(self)
                    # The upgrade starts the witness with the current head (once: later a
                    # removed witness file is named by verify, never silently re-made).
                    self._chain_appended = True
            if 0 < version <= MIGRATIONS.index(V_TIME):
                # Items queued before deadlines existed get theirs from each school's calendar.
                from moderator.store.worktime import recompute_due

                recompute_due(self, only_missing=True)

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Store]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        if self.read_only:
            raise ReadOnlyDatabase(
                "de database is alleen-lezen (bestand of schijf); dit kan alleen met een"
                " beschrijfbare database")
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._begin_immediate()
            self._depth = 1
            try:
                yield self
                if self._pending_events:
                    # Entries no audit entry of this transaction took along: chained now.
                    from moderator.store import audit

                    audit.append(self, "system", "integrity.events", "incident_events")
            except BaseException:
                self._depth = 0
                self._chain_appended = False
                self._pending_events = []
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self._depth = 0
                self.conn.execute("COMMIT")
                self._after_commit()

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, waiting for another writer (a long import) for up to
        WRITE_WAIT_SECONDS instead of failing after the busy timeout; ``on_wait`` is
        called once when the wait is noticeable."""
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(WAIT_NOTICE_SECONDS * 1000)}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            if self.on_wait is not None:
                self.on_wait()
            deadline = time.monotonic() + WRITE_WAIT_SECONDS
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if ("locked" not in str(error) and "busy" not in str(error)) \
                            or time.monotonic() > deadline:
                        raise
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def event_written(self, event_id: int) -> None:
        """Called by the store right after inserting a timeline entry: its content hash
        goes into the next audit entry of this transaction (or one of its own at commit)."""
        from moderator.store.integrity import event_digest

        number = self.scalar("SELECT i.number FROM incident_events e JOIN incidents i"
                             " ON i.id = e.incident_id WHERE e.id = ?", (event_id,))
        self._pending_events.append([event_id, event_digest(self, event_id), number])

    def take_pending_events(self) -> list[list]:
        taken, self._pending_events = self._pending_events, []
        return taken

    def chain_appended(self) -> None:
        """Called by the audit log: after this transaction commits, the new chain head
        goes to the witness."""
        self._chain_appended = True

    def _after_commit(self) -> None:
        if not self._chain_appended:
            return
        self._chain_appended = False
        if self.witness is not None:
            last = self.conn.execute(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            if last is not None:
                self.witness.notify(last[0], last[1])

    @contextmanager
    def unsynced_write(self) -> Iterator[Store]:
        """A write transaction committed without its own fsync (WAL, ``synchronous =
        NORMAL``); the next synced commit makes it durable together with itself. For
        bookkeeping whose loss after a power failure is harmless (a deletion's intent)."""
        with self._lock:
            self.conn.execute("PRAGMA synchronous = NORMAL")
            try:
                with self.write():
                    yield self
            finally:
                self.conn.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def large_cache(self, kib: int = 2 * 1024 * 1024) -> Iterator[Store]:
        """A page cache of up to ``kib`` KiB for one large transaction (an import, a
        scan). With SQLite's default 2 MB every insert into a large database re-reads
        B-tree pages from the WAL: reads grow faster than the data. The cache only takes
        memory as pages are actually read."""
        previous = self.scalar("PRAGMA cache_size")
        self.execute(f"PRAGMA cache_size = {-int(kib)}")
        try:
            yield self
        finally:
            self.execute(f"PRAGMA cache_size = {int(previous)}")

    @property
    def in_write(self) -> bool:
        return self._depth > 0

    # -- queries --------------------------------------------------------------------------

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        with self._lock:
            return self.conn.executemany(sql, rows)

    def rows(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        found = self.row(sql, params)
        return None if found is None else found[0]

    def close(self) -> None:
        if self.witness is not None:
            self.witness.flush()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements

