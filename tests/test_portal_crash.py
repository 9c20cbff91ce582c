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

from moderator.policy.roles import Actor
from moderator.services import portal_sync
from moderator.services.portal_sync import Backoff
from moderator.store import outbox
from moderator.store.items import set_comments_enabled

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
            set_comments_enabled(school_store, f"P{n}", False, TEACHER3)
            set_comments_enabled(school_store, f"P{n}", True, TEACHER3)
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
