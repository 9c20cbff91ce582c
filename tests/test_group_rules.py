"""Group rules as queue reasons: membership, name_consent, pupil_results (through the scan)."""

from __future__ import annotations

import json

import pytest

from moderator.policy.catalogue import REASONS
from moderator.services.scanning import scan_all


@pytest.fixture
def store(school_store):
    s = school_store
    with s.write():
        s.executemany("INSERT INTO pupils (id, school_id, group_id, name) VALUES (?, 's1', ?, ?)", [
            ("k1", "g3", "Sanne de Vries"), ("k2", "g3", "Daan Jansen"),
            ("k3", "g5", "Lotte Bakker"), ("k4", "g5", "Roos Smit")])
        s.executemany("INSERT INTO guardians (pupil_id, person_id) VALUES (?, ?)",
                      [("k1", "p1"), ("k3", "p2")])
        s.executemany("INSERT INTO consents (pupil_id, school_year, portal_photo, portal_name,"
                      " website) VALUES (?, ?, 1, ?, 0)", [
            ("k1", "2026-2027", 1), ("k2", "2026-2027", 0), ("k2", "2025-2026", 1),
            ("k3", "2026-2027", 1), ("k4", "2026-2027", 1)])
    return s


def post(s, pid, body, group="g3", author="t3", at="2026-11-20T10:00:00+01:00", comments=1):
    with s.write():
        s.execute("INSERT INTO posts (id, group_id, author_id, created_at, body, comments_enabled)"
                  " VALUES (?, ?, ?, ?, ?, ?)", (pid, group, author, at, body, comments))
        s.execute("INSERT INTO revisions (item, rev, body, recorded_at) VALUES (?, 1, ?, ?)",
                  (f"post:{pid}", body, at))


def comment(s, cid, post_id, body, author):
    with s.write():
        s.execute("INSERT INTO comments (id, post_id, author_id, created_at, body) VALUES"
                  " (?, ?, ?, '2026-11-20T11:00:00+01:00', ?)", (cid, post_id, author, body))
        s.execute("INSERT INTO revisions (item, rev, body, recorded_at)"
                  " VALUES (?, 1, ?, '2026-11-20T11:00:00+01:00')", (f"comment:{cid}", body))


def flags(s):
    return {(r["item"], r["reason"]): json.loads(r["evidence"]) for r in s.rows(
        "SELECT item, reason, evidence FROM flags WHERE source = 'rule'")}


def queue(s):
    return {r["item"]: json.loads(r["reasons"]) if r["reasons"].startswith("[") else r["reasons"]
            for r in s.rows("SELECT * FROM queue_items")}


def test_catalogue_has_the_group_reasons_with_dutch_labels_and_sections():
    assert REASONS["membership"].section.startswith("Waar gaan we van uit?")
    assert REASONS["name_consent"].label == "Naam zonder toestemming"
    assert REASONS["pupil_results"].section == "Gedrag, punt 5"


def test_membership_rules(store):
    post(store, "ok", "Morgen gym, vergeet de spullen niet.")                 # teacher, own group
    post(store, "own", "Wie rijdt er mee naar de kinderboerderij?", author="p1")   # child in g3
    post(store, "nochild", "Wie rijdt er mee naar de kinderboerderij?", author="p2")  # child in g5
    post(store, "school", "Fijne vakantie allemaal!", group="gs", author="t3")
    post(store, "director", "Fijne vakantie allemaal!", group="gs", author="d1")
    post(store, "closed", "Vrijdag is de school dicht.", comments=0)
    comment(store, "c1", "closed", "Dank voor het bericht", "p1")
    comment(store, "c2", "ok", "Dank je wel!", "p1")
    scan_all(store)
    found = flags(store)
    membership = {item: ev[0]["rule"] for (item, reason), ev in found.items()
                  if reason == "membership"}
    assert membership == {"post:nochild": "no_child", "post:school": "school_group",
                          "comment:c1": "comments_off"}
    assert all(ev[0]["text"] for (_, r), ev in found.items() if r == "membership")
    items = {r["item"] for r in store.rows("SELECT item FROM queue_items")}
    assert {"post:nochild", "post:school", "comment:c1"} <= items


def test_name_consent_per_school_year(store):
    post(store, "a", "Wat knap gedaan, Daan Jansen en Sanne de Vries!")
    post(store, "b", "Wat knap gedaan, Daan Jansen en Sanne de Vries!", at="2026-05-20T10:00:00+02:00")
    post(store, "c", "Sanne de Vries en Lotte Bakker hebben gewonnen.")
    scan_all(store)
    found = flags(store)
    (ev,) = found[("post:a", "name_consent")]
    assert (ev["text"], ev["start"], ev["field"]) == ("Daan Jansen", 17, "body")
    assert ("post:b", "name_consent") not in found          # consent given that year
    assert ("post:c", "name_consent") not in found


def test_pupil_results_become_queue_items(store):
    post(store, "a", "Roos had als enige een 10 voor de rekentoets!", group="g5")
    post(store, "b", "Uitslag dictee: Sanne de Vries 8, Daan Jansen 6,5.")
    post(store, "c", "We hadden als groep een 10 voor het opruimen!")
    scan_all(store)
    found = flags(store)
    assert ("post:a", "pupil_results") in found and ("post:b", "pupil_results") in found
    assert not any(item == "post:c" for item, _ in found)


def test_the_demo_queue_shows_the_group_reasons(tmp_path):
    from moderator.demo import ensure_demo
    from moderator.store import Store

    store = Store(tmp_path / "demo.db")
    try:
        assert ensure_demo(store) is True
        reasons = {r["reason"] for r in store.rows(
            "SELECT DISTINCT f.reason FROM flags f JOIN queue_items q ON q.item = f.item"
            " WHERE f.status = 'open'")}
        assert {"membership", "name_consent", "pupil_results"} <= reasons
        rules = {json.loads(r["evidence"])[0]["rule"] for r in store.rows(
            "SELECT evidence FROM flags WHERE reason = 'membership'")}
        assert {"no_child", "school_group"} <= rules
    finally:
        store.close()
