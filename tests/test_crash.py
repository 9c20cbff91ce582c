"""Crash safety: a batch delete killed with SIGKILL at random moments, many times.

After every kill, recovery runs; then every item is either still live with its text
intact, or deleted with a hard copy that exists and matches its recorded SHA-256.
Nothing is ever both gone and uncopied.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from helpers_deletion import add_comment, add_post

from moderator.archive import durable
from moderator.services.deletion import find_orphans, recover
from moderator.store import Store, audit

ITERATIONS = 20
N_POSTS = 60       # each with two comments, deleted with the post
N_LONE = 30        # comments deleted on their own (their post stays)

CHILD = r"""
import sys
from moderator.policy.access import Actor
from moderator.services.deletion import delete_items, recover
from moderator.store import Store

store = Store(sys.argv[1], sys.argv[2])
recover(store, orphans=False)
live = [r[0] for r in store.rows(
    "SELECT 'post:' || id FROM posts WHERE deleted_at IS NULL AND id LIKE 'P%'"
    " UNION ALL SELECT 'comment:' || id FROM comments WHERE deleted_at IS NULL AND id LIKE 'L%'"
    " ORDER BY 1")]
actor = Actor("juf", "teacher", "t3", "s1", "Juf Anouk", frozenset({"g3"}))
print("ready", len(live), flush=True)
delete_items(store, live, "abuse", actor, note="crash test",
             progress=lambda done, total, result: print("deleted", flush=True))
print("done", flush=True)
"""


def original(item_id: str) -> str:
    return f"Tekst van {item_id}: jij bent een sukkel"


@pytest.fixture
def crash_store(school_store):
    s = school_store
    for i in range(N_POSTS):
        add_post(s, f"P{i:03d}", original(f"P{i:03d}"), author="p1" if i % 2 else "p2")
        add_comment(s, f"C{i:03d}a", f"P{i:03d}", original(f"C{i:03d}a"))
        add_comment(s, f"C{i:03d}b", f"P{i:03d}", original(f"C{i:03d}b"), author="p1")
    for i in range(N_LONE):
        add_post(s, f"Q{i:03d}", original(f"Q{i:03d}"), author="t3")
        add_comment(s, f"L{i:03d}", f"Q{i:03d}", original(f"L{i:03d}"))
    return s


def check_invariant(store: Store, note: str) -> int:
    """Every item live and intact, or deleted with a verified hard copy. Returns how
    many items are deleted."""
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0, note
    copies = {r["item"]: r for r in store.rows("SELECT * FROM hardcopies")}
    deleted = 0
    rows = [("post", r) for r in store.rows("SELECT * FROM posts")] + [
        ("comment", r) for r in store.rows("SELECT * FROM comments")]
    for kind, row in rows:
        item = f"{kind}:{row['id']}"
        if row["deleted_at"] is None:
            assert row["body"] == original(row["id"]), f"{note}: {item} lost its text while live"
            assert store.scalar("SELECT body FROM revisions WHERE item = ?", (item,)) == row["body"]
            continue
        deleted += 1
        assert row["body"] is None, note
        # the copy that holds it: its own, or (comment deleted with its post) the post's
        holder = item if item in copies else f"post:{row['post_id']}" if kind == "comment" else None
        assert holder in copies, f"{note}: {item} is gone but has no hard copy"
        copy = copies[holder]
        path = store.archives / copy["path"]
        assert path.exists(), f"{note}: hard copy of {holder} missing"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == copy["sha256"], note
    assert find_orphans(store) == [], note
    assert not [p for p in store.archives.rglob("*") if durable.is_temp(p)], note
    assert not audit.verify_chain(store), note
    return deleted


@pytest.mark.slow
def test_batch_delete_survives_sigkill_anywhere(crash_store):
    store = crash_store
    seed = int(time.time())
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    finished_runs = kills = 0
    previous = 0
    recovered = {"finished": 0, "rolled_back": 0}
    for iteration in range(ITERATIONS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(store.path), str(store.archives)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        first = child.stdout.readline()
        assert first.startswith("ready"), child.stderr.read()
        # Let a random number of items complete, then kill at a random moment inside
        # the next one (render, durable write, transaction), whatever the machine's speed.
        for _ in range(rng.randint(0, 3)):
            if not child.stdout.readline().startswith("deleted"):
                break
        time.sleep(rng.uniform(0.0, 0.08))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait(timeout=60)
        if child.returncode == 0:
            finished_runs += 1
        else:
            assert child.returncode == -signal.SIGKILL, child.stderr.read()
        report = recover(store)
        recovered["finished"] += len(report.finished)
        recovered["rolled_back"] += len(report.rolled_back)
        note = f"seed {seed}, iteration {iteration}, recovery {report}"
        deleted = check_invariant(store, note)
        assert deleted >= previous, note
        previous = deleted
    assert kills >= ITERATIONS // 2, f"seed {seed}: only {kills} kills landed"
    assert previous > 0
    print(f"seed {seed}: {kills} kills, {finished_runs} runs finished, {previous} items deleted,"
          f" recovery finished {recovered['finished']} and rolled back {recovered['rolled_back']}")
