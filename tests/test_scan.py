"""Scanning imported items: rule flags with evidence, idempotence, revisions, school
provisions, media checks, the audit entry, `moderator scan`, and the demo."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.services.scanning import check_post_media, scan_all, scan_items
from moderator.store import audit


@pytest.fixture
def store(school_store):
    s = school_store
    with s.write():
        s.executemany("INSERT INTO pupils (id, school_id, group_id, name) VALUES (?, 's1', ?, ?)", [
            ("k1", "g3", "Sanne de Vries"), ("k2", "g3", "Daan Jansen"),
            ("k3", "g5", "Lotte Bakker"), ("k4", "g5", "Sanne Smit")])
        s.executemany("INSERT INTO consents (pupil_id, school_year, portal_photo, portal_name,"
                      " website) VALUES (?, ?, ?, 1, 1)", [
            ("k1", "2026-2027", 1), ("k2", "2026-2027", 0), ("k3", "2025-2026", 1)])
        # the parents who comment have a child in the class (membership rule)
        s.executemany("INSERT INTO guardians (pupil_id, person_id) VALUES (?, ?)",
                      [("k1", "p1"), ("k2", "p2")])
    return s


def add_post(s, pid, body, *, group="g3", author="d1", at="2026-11-20T10:00:00+01:00",
             title=None):
    with s.write():
        s.execute("INSERT INTO posts (id, group_id, author_id, created_at, title, body)"
                  " VALUES (?, ?, ?, ?, ?, ?)", (pid, group, author, at, title, body))
        s.execute("INSERT INTO revisions (item, rev, title, body, recorded_at)"
                  " VALUES (?, 1, ?, ?, ?)", (f"post:{pid}", title, body, at))


def add_comment(s, cid, post, body, author="p2"):
    with s.write():
        s.execute("INSERT INTO comments (id, post_id, author_id, created_at, body)"
                  " VALUES (?, ?, ?, '2026-11-20T11:00:00+01:00', ?)", (cid, post, author, body))
        s.execute("INSERT INTO revisions (item, rev, body, recorded_at)"
                  " VALUES (?, 1, ?, '2026-11-20T11:00:00+01:00')", (f"comment:{cid}", body))


def add_media(s, mid, post, pupils=(), tags=()):
    with s.write():
        s.execute("INSERT INTO media (id, post_id, kind, file, tags) VALUES (?, ?, 'photo', ?, ?)",
                  (mid, post, f"{mid}.jpg", json.dumps(list(tags))))
        s.executemany("INSERT INTO media_pupils VALUES (?, ?)", [(mid, p) for p in pupils])


def rule_flags(s, item=None):
    sql = "SELECT item, reason, evidence FROM flags WHERE source = 'rule'"
    rows = s.rows(sql + (" AND item = ?" if item else "") + " ORDER BY item, reason",
                  (item,) if item else ())
    return [(r["item"], r["reason"], json.loads(r["evidence"])) for r in rows]


def test_scan_opens_rule_flags_with_evidence_and_feeds_the_queue(store):
    add_post(store, "a", "Fijne herfstvakantie allemaal!", title="Vakantie")
    add_post(store, "b", "Wat een kutschool. Ik weet waar je woont.", title="Te koop: fiets")
    add_comment(store, "c1", "a", "Daan Jansen heeft weer ADHD-medicatie nodig")
    result = scan_all(store)
    assert (result.posts, result.comments, result.flags) == (2, 1, 5)
    flags = {(item, reason): ev for item, reason, ev in rule_flags(store)}
    assert set(flags) == {("post:b", "abuse"), ("post:b", "threat"), ("post:b", "commercial"),
                          ("comment:c1", "individual_child"), ("comment:c1", "confidential")}
    (commercial,) = flags[("post:b", "commercial")]
    assert commercial == {"reason": "commercial", "start": 0, "end": 7, "text": "Te koop",
                          "field": "title"}
    (abuse,) = flags[("post:b", "abuse")]
    body = "Wat een kutschool. Ik weet waar je woont."
    assert body[abuse["start"]:abuse["end"]] == "kutschool" and abuse["field"] == "body"
    queue = {r["item"]: r["reasons"] for r in store.rows("SELECT item, reasons FROM queue_items")}
    assert queue == {"post:b": "threat abuse commercial",
                     "comment:c1": "confidential individual_child"}
    entries = audit.entries(store, action="scan")     # one per batch (posts, comments)
    assert {e.actor for e in entries} == {"system"}
    assert sum(e.detail["flags"] for e in entries) == 5
    assert sum(e.detail["posts"] + e.detail["comments"] for e in entries) == 3
    assert sum(e.detail["by_reason"].get("abuse", 0) for e in entries) == 1


def test_scan_is_idempotent_and_rescans_new_revisions_only(store):
    add_post(store, "a", "Wat een kutschool")
    assert scan_all(store).flags == 1
    again = scan_all(store)
    assert (again.items, again.flags) == (0, 0)
    assert scan_items(store, ["post:a"]) == 0
    # an edit: a new revision is scanned again, the old flag is not duplicated
    with store.write():
        store.execute("UPDATE posts SET body = ? WHERE id = 'a'",
                      ("Wat een kutschool, stem op de PVV",))
        store.execute("INSERT INTO revisions (item, rev, body, recorded_at) VALUES"
                      " ('post:a', 2, 'x', '2026-11-21T10:00:00+01:00')")
    result = scan_all(store)
    assert (result.posts, result.flags) == (1, 1)
    assert [r for _, r, _ in rule_flags(store)] == ["abuse", "political_religious"]
    assert store.scalar("SELECT scanned_rev FROM posts WHERE id = 'a'") == 2
    # the open flag's evidence follows the new text
    with store.write():
        store.execute("UPDATE posts SET body = 'Nou, wat een kutschool' WHERE id = 'a'")
        store.execute("INSERT INTO revisions (item, rev, body, recorded_at) VALUES"
                      " ('post:a', 3, 'x', '2026-11-22T10:00:00+01:00')")
    assert scan_all(store).flags == 0
    (evidence,) = [ev for _, r, ev in rule_flags(store) if r == "abuse"]
    assert [(e["start"], e["end"], e["text"]) for e in evidence] == [(13, 22, "kutschool")]


def test_scan_items_runs_inside_the_callers_transaction(store):
    add_post(store, "a", "Wat een kutschool")
    add_post(store, "b", "Tering zeg")
    with store.write():
        store.execute("UPDATE posts SET deleted_at = '2026-11-21', body = NULL WHERE id = 'b'")
        assert scan_items(store, ["post:a", "post:b"]) == 1
        assert store.in_write
    assert [i for i, _, _ in rule_flags(store)] == ["post:a"]
    with pytest.raises(ValueError):
        scan_items(store, ["photo:1"])


def test_dismissed_rule_flag_is_not_reopened(store):
    add_post(store, "a", "Wat een kutschool")
    scan_all(store)
    with store.write():
        store.execute("UPDATE flags SET status = 'dismissed'")
        store.execute("UPDATE posts SET scanned_rev = 0")
    assert scan_all(store).flags == 0
    assert store.scalar("SELECT COUNT(*) FROM flags WHERE status = 'open'") == 0


def test_school_provisions_apply(store):
    with store.write():
        for kind, detail, status in (
            ("words", {"reason": "abuse", "words": ["sufferd*"]}, "approved"),
            ("words", {"reason": "commercial", "words": ["loterij*"]}, "proposed"),
            ("identity", {"allow": ["political_religious"]}, "approved"),
        ):
            store.execute("INSERT INTO provisions (school_id, kind, detail, proposed_by,"
                          " proposed_at, status) VALUES ('s1', ?, ?, 'd1', '2026-11-01', ?)",
                          (kind, json.dumps(detail), status))
    add_post(store, "a", "Jezus houdt van jou. Die sufferds van de ouderraad! Loterijtickets!")
    scan_all(store)
    assert [r for _, r, _ in rule_flags(store)] == ["abuse"]
    # a provision approved later applies to what was scanned before with --again
    with store.write():
        store.execute("UPDATE provisions SET status = 'approved' WHERE kind = 'words'")
    assert scan_all(store).items == 0
    result = CliRunner().invoke(main, ["--db", str(store.path), "scan", "--again", "--json"])
    assert json.loads(result.output)["flags"] == 1
    assert [r for _, r, _ in rule_flags(store)] == ["abuse", "commercial"]


def test_roster_is_the_group_for_a_class_and_the_school_otherwise(store):
    add_post(store, "a", "Lotte was vandaag erg onrustig", group="g5")
    add_post(store, "b", "Lotte was vandaag erg onrustig", group="g3")
    add_post(store, "c", "Sanne heeft een tekening gemaakt", group="g3")
    add_post(store, "d", "Sanne heeft een tekening gemaakt", group="gs")   # two Sannes in school
    add_post(store, "e", "Lotte Bakker heeft een tekening gemaakt", group="gs")
    add_post(store, "f", "Daan heeft een tekening gemaakt", group="g3", title="Sanne en")
    add_post(store, "g", "heeft een tekening gemaakt", group="g3", title="Knap van Daan")
    scan_all(store)
    assert [i for i, r, _ in rule_flags(store)] == ["post:a", "post:c", "post:e", "post:g"]
    (ev,) = rule_flags(store, "post:g")[0][2]
    assert (ev["field"], ev["start"], ev["end"], ev["text"]) == ("title", 9, 13, "Daan")


def test_media_checks_photo_consent_per_school_year_and_swimwear(store):
    add_post(store, "a", "Foto's van de gymles")
    add_media(store, "m1", "a", pupils=["k1", "k2", "k3"])   # k2 refused, k3 only last year
    add_media(store, "m2", "a", tags=["recognisable", "swimwear"])
    add_post(store, "b", "Foto van vorig schooljaar", at="2026-07-15T10:00:00+02:00")
    add_media(store, "m3", "b", pupils=["k3"])                # consent for 2025-2026: fine
    findings = check_post_media(store, "a")
    assert sorted((f.reason, f.pupil_id) for f in findings) == [
        ("photo_consent", "k2"), ("photo_consent", "k3"), ("swimwear", None)]
    assert check_post_media(store, "b") == []
    scan_all(store)
    flags = {(i, r): ev for i, r, ev in rule_flags(store)}
    assert set(flags) == {("post:a", "photo_consent"), ("post:a", "swimwear")}
    assert sorted(ev["pupil"] for ev in flags[("post:a", "photo_consent")]) == ["k2", "k3"]
    assert "2026-2027" in flags[("post:a", "photo_consent")][0]["text"]
    assert flags[("post:a", "swimwear")][0]["media"] == "m2"


def test_scan_command_prints_counts(store, tmp_path):
    add_post(store, "a", "Wat een kutschool")
    db = str(store.path)
    result = CliRunner().invoke(main, ["--db", db, "scan", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"posts": 1, "comments": 0, "flags": 1,
                                         "by_reason": {"abuse": 1}}
    result = CliRunner().invoke(main, ["--db", db, "scan", "--school", "s1"])
    assert result.exit_code == 0 and "0 berichten" in result.output


def test_demo_violations_are_flagged_and_hard_negatives_are_not(fresh_store):
    from moderator import demo_data
    from moderator.demo import load_demo

    load_demo(fresh_store)
    scan_all(fresh_store)
    reasons = {r["reason"] for r in fresh_store.rows(
        "SELECT DISTINCT reason FROM flags WHERE source = 'rule'")}
    expected = {"abuse", "discrimination", "threat", "sexual", "commercial",
                "political_religious", "individual_child", "confidential", "photo_consent",
                "swimwear"}
    assert expected <= reasons
    flagged = [r["body"] or "" for r in fresh_store.rows(
        "SELECT p.body FROM flags f JOIN posts p ON 'post:' || p.id = f.item"
        " WHERE f.source = 'rule' UNION ALL SELECT c.body FROM flags f JOIN comments c"
        " ON 'comment:' || c.id = f.item WHERE f.source = 'rule'")]
    for _title, body, _who in demo_data.HARD_NEGATIVES:
        start = _fixed_part(body)
        assert not any(start in text for text in flagged), body
    # every violating text of a text code in the demo is flagged with its code
    checked = 0
    for code, texts in demo_data.VIOLATIONS.items():
        if code not in expected:
            continue
        for text in texts:
            start = _fixed_part(text)
            items = [r["item"] for r in fresh_store.rows(
                "SELECT 'post:' || id AS item FROM posts WHERE instr(body, ?) > 0 UNION ALL"
                " SELECT 'comment:' || id FROM comments WHERE instr(body, ?) > 0",
                (start, start))] if start else []
            for item in items:
                assert code in {r for _, r, _ in rule_flags(fresh_store, item)}, (code, text)
                checked += 1
    assert checked >= 15


def _fixed_part(template: str) -> str:
    """The longest piece of a demo text template without placeholders."""
    return max(re.split(r"\{[^}]*\}", template), key=len)[:40]


def test_check_command_applies_a_schools_provisions(store):
    with store.write():
        store.execute("INSERT INTO provisions (school_id, kind, detail, proposed_by, proposed_at,"
                      " status) VALUES ('s1', 'words', ?, 'd1', '2026-11-01', 'approved')",
                      (json.dumps({"reason": "abuse", "words": ["sufferd*"]}),))
    draft = '{"id": 1, "text": "Wat een sufferds"}\n'
    db = str(store.path)
    plain = CliRunner().invoke(main, ["--db", db, "check"], input=draft)
    school = CliRunner().invoke(main, ["--db", db, "check", "--school", "s1"], input=draft)
    assert json.loads(plain.output)["reasons"] == []
    assert json.loads(school.output)["reasons"] == ["abuse"]
