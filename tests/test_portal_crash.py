"""SIGKILL during ``moderator portal push``: nothing lost, no action under two ids."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers_deletion import DIRECTOR, TEACHER3, add_post
from helpers_portal import KEY_ID, SECRET, PortalServer

from moderator.policy.access import Actor
from moderator.services import portal_sync
from moderator.services.moderation import set_comments
from moderator.services.portal_sync import Backoff
from moderator.store import outbox

ITERATIONS = 4
N_POSTS = 60
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_killing_a_push_loses_and_duplicates_nothing(school_store, tmp_path):
    server = PortalServer(delay=0.01).start()
    try:
        secret = tmp_path / "secret"
        secret.write_bytes(SECRET)
        portal_sync.connect(school_store, DIRECTOR, "s1", http=server.url, key_id=KEY_ID,
                            secret_file=str(secret))
        for n in range(N_POSTS):
            add_post(school_store, f"P{n}", "x")
            set_comments(school_store, TEACHER3, f"P{n}", False)
            set_comments(school_store, TEACHER3, f"P{n}", True)
        actions = {a.id: a for a in outbox.list_actions(school_store, school_id="s1")}
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        rng = random.Random(13)
        for _ in range(ITERATIONS):
            child = subprocess.Popen(
                [sys.executable, "-m", "moderator", "--db", str(school_store.path),
                 "portal", "push", "--school", "s1"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # kill it while it sends: after a few more requests arrived, at a random moment
            seen = len(server.seen)
            deadline = time.monotonic() + 30
            while len(server.seen) < seen + rng.randint(1, 15) and child.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.1))
            child.send_signal(signal.SIGKILL)
            child.wait()
        operator = Actor("system:test", "system", None, None, "operator")
        portal_sync.push(school_store, operator, "s1", backoff=Backoff(base=0.05), max_wait=5)
    finally:
        server.stop()
    after = {a.id: a for a in outbox.list_actions(school_store, school_id="s1")}
    assert after.keys() == actions.keys()                      # none lost, none added
    assert {a.status for a in after.values()} == {"done"}
    posted = server.post_ids()
    assert len(posted) > len(set(posted))     # the kills did interrupt deliveries
    assert set(posted) == set(actions)                         # every action arrived
    # no decision was ever sent under two ids
    by_decision: dict[tuple, set[str]] = {}
    for seen in server.posts():
        decision = (seen.body["kind"], str(seen.body["target"]), seen.body["seq"])
        by_decision.setdefault(decision, set()).add(seen.key)
    assert all(len(ids) == 1 for ids in by_decision.values())
    # per post, "off" was carried out before "on" was first sent
    first_post = {}
    for index, seen in enumerate(server.posts()):
        first_post.setdefault(seen.key, index)
    for action in actions.values():
        if action.target["enabled"]:
            off = next(a for a in actions.values()
                       if a.target == {"post": action.target["post"], "enabled": False})
            assert first_post[off.id] < first_post[action.id]


@pytest.mark.slow
def test_killing_a_pull_never_leaves_half_a_batch_or_the_cursor_ahead(school_store, tmp_path):
    import json

    pages, per_page = 12, 150
    server = PortalServer(delay=0.02)
    for page in range(pages):
        since = None if page == 0 else f"c{page}"
        lines = [json.dumps({"type": "post", "id": f"N{page}-{i}", "group": "g3",
                             "author": "p1", "created_at": "2026-11-24T10:00:00+01:00",
                             "body": f"Bericht {page}-{i}"}) for i in range(per_page)]
        server.pages[since] = (("\n".join(lines) + "\n").encode(), f"c{page + 1}")
    server.start()
    try:
        secret = tmp_path / "secret"
        secret.write_bytes(SECRET)
        portal_sync.connect(school_store, DIRECTOR, "s1", http=server.url, key_id=KEY_ID,
                            secret_file=str(secret))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        rng = random.Random(7)

        def check() -> int:
            cursor = outbox.get_connector(school_store, "s1").cursor
            done = 0 if cursor is None else int(cursor[1:])
            for page in range(pages):
                n = school_store.scalar("SELECT COUNT(*) FROM posts WHERE id LIKE ?",
                                        (f"N{page}-%",))
                # whole pages only, and none beyond the cursor but the one being fetched
                assert n in (0, per_page), (page, n)
                if page < done:
                    assert n == per_page, ("cursor ahead of what was committed", page)
            return done

        for _ in range(3):
            child = subprocess.Popen(
                [sys.executable, "-m", "moderator", "--db", str(school_store.path),
                 "portal", "pull", "--school", "s1"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seen = len(server.seen)
            deadline = time.monotonic() + 30
            while len(server.seen) < seen + rng.randint(1, 4) and child.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.3))
            child.send_signal(signal.SIGKILL)
            child.wait()
            check()
        operator = Actor("system:test", "system", None, None, "operator")
        portal_sync.pull(school_store, operator, "s1")
    finally:
        server.stop()
    assert check() == pages
    assert school_store.scalar("SELECT COUNT(*) FROM posts WHERE id LIKE 'N%'") == pages * per_page
