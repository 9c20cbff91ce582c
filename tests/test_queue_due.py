"""The queue with time and ownership: deadlines, age, overdue marks, due-first paging,
mine/unclaimed, and claims (also a race between two stores)."""

from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner
from helpers_import import sample_records

from moderator.cli import main
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.services import claims, clock_tick, scanning
from moderator.services.importing import import_records
from moderator.services.queue import list_queue
from moderator.store import Store
from moderator.store.accounts import actor_for
from moderator.store.queue import QueueFilter
from moderator.store.worktime import now_utc
from tests.helpers_dossier import HOSTILE, PASSWORD, add_staff


@pytest.fixture(autouse=True)
def _no_rule_scan(monkeypatch):
    monkeypatch.setattr(scanning, "scan_items", lambda store, items, **kwargs: 0)


def reports() -> list[dict]:
    """Four reported comments in g3 (Thursday 26 - Saturday 28 November 2026)."""
    records = []
    for cid, reason, when in (("k1", "abuse", "2026-11-26T10:00:00+01:00"),
                              ("k2", "threat", "2026-11-26T18:30:00+01:00"),
                              ("k3", "commercial", "2026-11-27T09:00:00+01:00"),
                              ("k4", "confidential", "2026-11-28T11:00:00+01:00")):
        records.append({"type": "comment", "id": cid, "post": "a1", "author": "p1",
                        "created_at": "2026-11-26T09:00:00+01:00", "body": HOSTILE[0] + cid})
        records.append({"type": "report", "id": "r" + cid, "comment": cid, "reporter": "p2",
                        "reason": reason, "created_at": when})
    return records


@pytest.fixture
def world(fresh_store, monkeypatch):
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-29T12:00:00+01:00")
    records = [r for r in sample_records() if r["type"] != "report"] + reports()
    records.append({"type": "holiday", "school": "s1", "start": "2026-11-30",
                    "end": "2026-11-30", "name": "Studiedag"})
    import_records(fresh_store, enumerate(records, 1), source="t")
    with fresh_store.write():
        fresh_store.execute("INSERT INTO group_admins VALUES ('g3', 'd1')")
    add_staff(fresh_store)
    return fresh_store


def test_due_first_pages_by_deadline(world, monkeypatch):
    anouk = actor_for(world, "anouk")
    flt = QueueFilter(order="due")
    first = list_queue(world, anouk, flt)
    # threat after hours: Friday 12:00; abuse: Tuesday 10:00 (the Monday is a holiday);
    # confidential on Saturday: Tuesday 12:00; commercial Friday 09:00: Wednesday 09:00
    assert [e.item for e in first] == ["comment:k2", "comment:k1", "comment:k4", "comment:k3"]
    assert [e.due_at for e in first] == ["2026-11-27T11:00:00+00:00", "2026-12-01T09:00:00+00:00",
                                         "2026-12-01T11:00:00+00:00", "2026-12-02T08:00:00+00:00"]
    paged, after = [], None
    while page := list_queue(world, anouk, flt, after=after, limit=1):
        paged += page
        after = page[-1].cursor
    assert paged == first
    # severity order is unchanged
    assert [e.item for e in list_queue(world, anouk)][:2] == ["comment:k2", "comment:k4"]


def test_overdue_marks_follow_the_clock(world, monkeypatch):
    anouk = actor_for(world, "anouk")
    now = now_utc()
    overdue = {e.item for e in list_queue(world, anouk) if e.overdue(now)}
    assert overdue == {"comment:k2"}                        # due Friday 12:00
    report = clock_tick.tick(world)
    assert report.overdue == 1 and clock_tick.tick(world).overdue == 0
    monkeypatch.setenv("MODERATOR_NOW", "2026-12-01T12:30:00+01:00")
    assert clock_tick.tick(world).overdue == 2              # k1 (Tue 10:00), k4 (12:00)
    assert world.scalar("SELECT count(*) FROM audit_log WHERE action = 'queue.overdue'") == 2


def test_cli_queue_shows_age_overdue_and_holder(world):
    def run(*args):
        return CliRunner().invoke(main, ["--db", str(world.path), *args],
                                  env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)

    claims.claim(world, actor_for(world, "anouk"), "comment:k1")
    data = json.loads(run("queue", "--user", "carla", "--due-first", "--json").output)
    assert [(d["item"], d["overdue"], d["holder"]) for d in data] == [
        ("comment:k2", True, None), ("comment:k1", False, "anouk"), ("comment:k4", False, None),
        ("comment:k3", False, None)]
    mine = json.loads(run("queue", "--user", "anouk", "--mine", "--json").output)
    assert [d["item"] for d in mine] == ["comment:k1"]
    free = json.loads(run("queue", "--user", "anouk", "--unclaimed", "--json").output)
    assert "comment:k1" not in [d["item"] for d in free] and len(free) == 3
    text = run("queue", "--user", "anouk", "--due-first").output.splitlines()
    assert text[1].split("\t")[7] == "! 2 d"                # k2 waited since Thursday 18:30
    assert text[2].split("\t")[9] == "anouk"


def test_claim_assign_release(world):
    anouk, bram, carla = (actor_for(world, n) for n in ("anouk", "bram", "carla"))
    held = claims.claim(world, anouk, "comment:k1")
    assert held.holder == "anouk"
    with pytest.raises(Conflict, match="al opgepakt door Juf Anouk"):
        claims.claim(world, carla, "comment:k1")
    with pytest.raises(Conflict, match="u heeft comment:k1 al opgepakt"):
        claims.claim(world, anouk, "comment:k1")
    with pytest.raises(NotFound):                     # bram does not administer g3
        claims.claim(world, bram, "comment:k1")
    with pytest.raises(UsageError, match="beheert deze groep niet"):
        claims.assign(world, carla, "comment:k1", "bram")
    with pytest.raises(UsageError, match="geen actief account"):
        claims.assign(world, carla, "comment:k1", "avg")
    assert claims.assign(world, carla, "comment:k2", "anouk").claimed_by == "carla"
    claims.claim(world, carla, "comment:k3")
    with pytest.raises(PermissionDenied, match="alleen die of de directie"):
        claims.release(world, anouk, "comment:k3")
    claims.release(world, anouk, "comment:k2")            # her own
    claims.release(world, carla, "comment:k1")            # the director frees anything
    assert claims.held(world, anouk, "comment:k1") is None
    with pytest.raises(Conflict, match="door niemand opgepakt"):
        claims.release(world, carla, "comment:k1")
    actions = [r[0] for r in world.rows(
        "SELECT action FROM audit_log WHERE action LIKE 'claim.%' ORDER BY seq")]
    assert actions == ["claim.take", "claim.assign", "claim.take", "claim.release",
                       "claim.release"]


def test_two_stores_claiming_the_same_item(world):
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def run(username):
        store = Store(world.path, world.archives)
        try:
            actor = actor_for(store, username)
            barrier.wait()
            try:
                results[username] = "held:" + claims.claim(store, actor, "comment:k3").holder
            except Conflict as error:
                results[username] = str(error)
        finally:
            store.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("anouk", "carla")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winner = next(n for n, r in results.items() if r.startswith("held:"))
    loser = next(n for n in results if n != winner)
    assert results[winner] == f"held:{winner}"
    assert "comment:k3 is al opgepakt door" in results[loser]
    assert world.scalar("SELECT count(*) FROM audit_log WHERE action = 'claim.take'") == 1
