"""A long import never fails a moderator: the import reads and checks its file without
the write lock, and a write that meets another writer waits with a visible message."""

from __future__ import annotations

import sqlite3
import threading
import time

from click.testing import CliRunner
from helpers_deletion import add_post
from helpers_import import sample_records

from moderator.cli import main
from moderator.services.accounts import add_account
from moderator.services.importing import import_records


def hold_write_lock(path, seconds: float, started: threading.Event) -> threading.Thread:
    """Another process's long write (an import's write phase): a real SQLite lock."""
    def hold():
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread


def test_a_delete_during_another_write_waits_says_so_and_succeeds(school_store):
    s = school_store
    add_post(s, "P1", "Sukkel")
    add_account(s, "juf", "geheim123", person_id="t3")
    started = threading.Event()
    holder = hold_write_lock(s.path, 3.0, started)
    assert started.wait(10)
    began = time.monotonic()
    result = CliRunner().invoke(main, [
        "--db", str(s.path), "--archives", str(s.archives), "delete", "post:P1",
        "--user", "juf", "--reason", "abuse"], env={"MODERATOR_PASSWORD": "geheim123"})
    holder.join()
    assert result.exit_code == 0, result.output
    assert "wachten: een ander proces" in result.stderr and "bezet" not in result.stderr
    assert time.monotonic() - began >= 1.5
    assert s.scalar("SELECT deleted_at FROM posts WHERE id = 'P1'")


def test_the_import_reads_its_file_without_holding_the_write_lock(fresh_store):
    store = fresh_store
    free_while_reading = []

    def records():
        for number, record in enumerate(sample_records(), start=1):
            if number == 5:   # halfway through the file: can someone else write?
                other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
                try:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute("ROLLBACK")
                    free_while_reading.append(True)
                except sqlite3.OperationalError:
                    free_while_reading.append(False)
                finally:
                    other.close()
            yield number, record

    summary = import_records(store, records(), source="test")
    assert free_while_reading == [True]
    assert summary.added["posts"] > 0
