"""Learning from decisions: marked words on a deleted, unflagged item become a school
provision the AVG coordinator approves; personal data is refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.errors import PermissionDenied, UsageError
from moderator.policy.access import Actor
from moderator.services import learning, provisions
from moderator.services.scanning import school_policy

TEACHER = Actor("anouk", "teacher", "t3", "s1", "Juf Anouk", frozenset({"g3"}))
OTHER_TEACHER = Actor("bram", "teacher", "t5", "s1", "Meester Bram", frozenset({"g5"}))
DIRECTOR = Actor("carla", "director", "d1", "s1", "Directeur Carla")
AVG = Actor("avg", "avg", None, None, "AVG-coördinator")


@pytest.fixture
def store(school_store):
    s = school_store
    with s.write():
        s.execute("INSERT INTO pupils (id, school_id, group_id, name) VALUES"
                  " ('k1', 's1', 'g3', 'Sanne de Vries')")
        s.executemany("INSERT INTO posts (id, group_id, author_id, created_at, body, deleted_at)"
                      " VALUES (?, 'g3', 'p1', '2026-11-20T10:00:00+01:00', ?, ?)", [
                          ("gone", None, "2026-11-21T10:00:00+01:00"),
                          ("live", "Jullie zijn sukkelaars", None),
                          ("flagged", None, "2026-11-21T10:00:00+01:00")])
        s.execute("INSERT INTO flags (item, school_id, group_id, source, reason, created_at)"
                  " VALUES ('post:flagged', 's1', 'g3', 'rule', 'abuse', '2026-11-20T10:00:00+01:00')")
    return s


def test_marked_words_become_an_approved_provision_that_check_flags(store, tmp_path):
    text = "Wat een stelletje zeurpieten zijn het daar"
    assert learning.suggest_words(store, TEACHER, "post:gone", "abuse",
                                  ["Zeurpieten", "zeurpiet*"]).words == ("zeurpieten", "zeurpiet*")
    (open_one,) = learning.open_suggestions(store, DIRECTOR)
    (provision,) = learning.adopt(store, DIRECTOR, [open_one.id])
    assert provision.status == "proposed" and provision.detail["reason"] == "abuse"
    assert learning.open_suggestions(store, DIRECTOR) == []
    provisions.approve(store, AVG, provision.id)
    policy = school_policy(store, "s1")
    assert policy.extra_words["abuse"] == ["zeurpieten", "zeurpiet*"]
    actions = [r["action"] for r in store.rows("SELECT action FROM audit_log ORDER BY rowid")]
    assert "words.suggest" in actions and "words.adopt" in actions
    # `moderator check --school s1` now flags it
    store.close()
    drafts = tmp_path / "d.jsonl"
    drafts.write_text(json.dumps({"id": "1", "text": text}) + "\n", encoding="utf-8")
    db = tmp_path / "moderator.db"
    result = CliRunner().invoke(main, ["--db", str(db), "check", str(drafts), "--school", "s1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reasons"] == ["abuse"]


@pytest.mark.parametrize("word, why", [
    ("sanne", "naam"), ("vieze de vries", "naam"), ("dirk", "naam"),
    ("111222333", "BSN"), ("123 456 782", "BSN"), ("12-03-2015", "datum"),
    ("geboren 3 maart 2016", "datum"),
])
def test_personal_data_is_refused_with_a_dutch_message(store, word, why):
    with pytest.raises(UsageError, match=why):
        learning.suggest_words(store, TEACHER, "post:gone", "abuse", [word])
    assert store.scalar("SELECT COUNT(*) FROM word_suggestions") == 0


def test_only_for_deleted_unflagged_items_by_their_moderators(store):
    with pytest.raises(UsageError, match="verwijderen"):
        learning.suggest_words(store, TEACHER, "post:live", "abuse", ["sukkelaars"])
    with pytest.raises(UsageError, match="detector"):
        learning.suggest_words(store, TEACHER, "post:flagged", "abuse", ["x"])
    with pytest.raises(PermissionDenied):
        learning.suggest_words(store, OTHER_TEACHER, "post:gone", "abuse", ["zeurpiet"])
    found = learning.suggest_words(store, TEACHER, "post:gone", "abuse", ["zeurpiet"])
    with pytest.raises(PermissionDenied):
        learning.adopt(store, TEACHER, [found.id])


def test_deletions_no_detector_flagged_are_counted_per_reason(store):
    with store.write():
        store.execute("INSERT INTO incidents (id, number, school_id, opened_at, opened_by)"
                      " VALUES (1, 'INC-2026-0001', 's1', '2026-11-21T10:00:00+01:00', 'anouk')")
        store.executemany(
            "INSERT INTO hardcopies (incident_id, item, path, size, sha256, item_sha256,"
            " reason, created_by, created_at) VALUES (1, ?, ?, 1, 'x', 'y', ?, 'anouk',"
            " '2026-11-21T10:00:00+01:00')",
            [("post:gone", "a.pdf", "abuse"), ("post:flagged", "b.pdf", "abuse"),
             ("post:live", "c.pdf", "threat")])
    assert learning.missed_by_reason(store, DIRECTOR) == {"abuse": (2, 1), "threat": (1, 1)}
    assert learning.missed_by_reason(store, AVG, "s1") == {"abuse": (2, 1), "threat": (1, 1)}
    assert store.scalar("SELECT COUNT(*) FROM access_log WHERE action = 'missed_deletions'") == 1
    with pytest.raises(PermissionDenied):
        learning.missed_by_reason(store, TEACHER)


def test_cli_end_to_end_delete_mark_adopt_approve_check(school_store, tmp_path, monkeypatch):
    """A message no detector flagged is deleted (with its hard copy), its words marked,
    adopted by the director, approved by the AVG coordinator; `check` then flags it."""
    from helpers_deletion import add_post

    from moderator.services.accounts import add_account

    s = school_store
    add_post(s, "X", "Wat een stelletje zeurpieten hier")
    add_account(s, "juf", "geheim123", person_id="t3")
    add_account(s, "carla", "geheim123", person_id="d1")
    add_account(s, "avg", "geheim123", role="avg")
    monkeypatch.setenv("MODERATOR_PASSWORD", "geheim123")
    env = ["--db", str(s.path), "--archives", str(s.archives)]

    def run(*args):
        return CliRunner().invoke(main, [*env, *args])

    draft = tmp_path / "d.jsonl"
    draft.write_text(json.dumps({"id": "1", "text": "Stelletje zeurpieten"}) + "\n")
    assert json.loads(run("check", str(draft), "--school", "s1").output)["reasons"] == []
    assert run("delete", "post:X", "--reason", "abuse", "--user", "juf").exit_code == 0
    refused = run("words", "suggest", "post:X", "--reason", "abuse", "--word", "Dirk",
                  "--user", "juf")
    assert refused.exit_code != 0 and "persoonsgegevens" in refused.output
    assert "Traceback" not in refused.output
    done = run("words", "suggest", "post:X", "--reason", "abuse", "--word", "zeurpiet*",
               "--user", "juf")
    assert done.exit_code == 0, done.output
    (open_one,) = json.loads(run("words", "list", "--user", "carla", "--json").output)
    adopted = run("words", "adopt", str(open_one["id"]), "--user", "carla")
    assert adopted.exit_code == 0 and "voorgesteld" in adopted.output
    provision_id = adopted.output.split()[1]
    assert run("audit", "provisions", "approve", provision_id, "--user", "avg").exit_code == 0
    assert json.loads(run("check", str(draft), "--school", "s1").output)["reasons"] == ["abuse"]
    missed = json.loads(run("words", "missed", "--user", "carla", "--json").output)
    assert missed == {"abuse": {"deleted": 1, "missed": 1}}
