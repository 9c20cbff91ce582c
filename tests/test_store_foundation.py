import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest

from moderator import clock
from moderator.errors import AuthenticationFailed, PermissionDenied, UsageError
from moderator.services.accounts import add_account, authenticate, list_accounts, set_disabled
from moderator.store import Store, audit
from moderator.store.schema import MIGRATIONS


def test_new_database_is_migrated_with_wal_and_foreign_keys(fresh_store):
    assert fresh_store.schema_version == len(MIGRATIONS)
    assert fresh_store.scalar("PRAGMA journal_mode") == "wal"
    assert fresh_store.scalar("PRAGMA foreign_keys") == 1
    with pytest.raises(sqlite3.IntegrityError):
        with fresh_store.write():
            fresh_store.execute("INSERT INTO groups VALUES ('g', 'no-such-school', 'x', 'class')")


def test_reopening_keeps_data_and_version(tmp_path):
    with Store(tmp_path / "m.db") as s:
        with s.write():
            s.execute("INSERT INTO schools (id, name) VALUES ('s', 'School')")
    with Store(tmp_path / "m.db") as s:
        assert s.scalar("SELECT name FROM schools") == "School"
        assert s.schema_version == len(MIGRATIONS)


def test_failed_write_rolls_back_everything(fresh_store):
    with pytest.raises(RuntimeError):
        with fresh_store.write():
            fresh_store.execute("INSERT INTO schools (id, name) VALUES ('s', 'School')")
            audit.append(fresh_store, "x", "test")
            raise RuntimeError("boom")
    assert fresh_store.scalar("SELECT count(*) FROM schools") == 0
    assert fresh_store.scalar("SELECT count(*) FROM audit_log") == 0


def test_audit_chain_verifies_and_names_an_edited_entry(fresh_store):
    with fresh_store.write():
        for i in range(5):
            audit.append(fresh_store, "anna", "test.action", f"thing:{i}", {"i": i})
    assert audit.verify_chain(fresh_store) == []
    seq, digest = audit.head(fresh_store)
    assert seq == 5 and audit.contains_anchor(fresh_store, seq, digest)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        fresh_store.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        fresh_store.execute("DELETE FROM audit_log WHERE seq = 5")
    # A hand edit behind the triggers' back is caught and located.
    fresh_store.execute("DROP TRIGGER audit_log_no_update")
    fresh_store.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    problems = audit.verify_chain(fresh_store)
    assert [p.seq for p in problems] == [3]


def test_audit_chain_catches_a_removed_entry(fresh_store):
    with fresh_store.write():
        for i in range(4):
            audit.append(fresh_store, "anna", "test.action", f"thing:{i}")
    fresh_store.execute("DROP TRIGGER audit_log_no_delete")
    fresh_store.execute("DELETE FROM audit_log WHERE seq = 2")
    problems = audit.verify_chain(fresh_store)
    assert problems and problems[0].seq == 2


def test_accounts_take_role_and_school_from_the_person(school_store):
    teacher = add_account(school_store, "anouk", "geheim1", person_id="t3")
    assert (teacher.role, teacher.school_id) == ("teacher", "s1")
    avg = add_account(school_store, "avg", "geheim1", role="avg")
    assert (avg.role, avg.school_id) == ("avg", None)
    with pytest.raises(UsageError, match="alleen personeel"):
        add_account(school_store, "dirk", "geheim1", person_id="p1")
    assert [a.username for a in list_accounts(school_store)] == ["anouk", "avg"]
    stored = school_store.scalar("SELECT password_hash FROM accounts WHERE username='anouk'")
    assert stored.startswith("$argon2") and "geheim1" not in stored


def test_login_locks_after_five_failures_and_everything_is_audited(school_store, monkeypatch):
    add_account(school_store, "anouk", "geheim1", person_id="t3")
    actor = authenticate(school_store, "anouk", "geheim1")
    assert actor.admin_groups == frozenset({"g3"})
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            authenticate(school_store, "anouk", "fout")
    with pytest.raises(AuthenticationFailed, match="^Onbekende gebruikersnaam of onjuist"):
        authenticate(school_store, "anouk", "geheim1")
    assert audit.entries(school_store, action="login.failed")[0].detail["why"] == "locked"
    # MODERATOR_NOW an hour ahead does not lift the lock: it runs on the real clock.
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-25T11:16:00+01:00")
    with pytest.raises(AuthenticationFailed):
        authenticate(school_store, "anouk", "geheim1")
    real = clock.real_now()
    monkeypatch.setattr(clock, "real_now", lambda: real + timedelta(minutes=16))
    assert authenticate(school_store, "anouk", "geheim1").username == "anouk"
    actions = [e.action for e in reversed(audit.entries(school_store, actor="anouk"))]
    assert actions.count("login.failed") == 7 and actions.count("login") == 2


def test_disabled_account_cannot_log_in_and_teacher_cannot_manage(school_store):
    add_account(school_store, "anouk", "geheim1", person_id="t3")
    add_account(school_store, "bram", "geheim1", person_id="t5")
    teacher = authenticate(school_store, "anouk", "geheim1")
    with pytest.raises(PermissionDenied):
        set_disabled(school_store, "bram", actor=teacher)
    set_disabled(school_store, "bram")
    with pytest.raises(AuthenticationFailed, match="^Onbekende gebruikersnaam of onjuist"):
        authenticate(school_store, "bram", "geheim1")


def test_a_director_manages_the_accounts_of_her_own_school_only(school_store):
    with school_store.write():
        school_store.execute("INSERT INTO schools (id, name) VALUES ('s2', 'De Regenboog')")
        school_store.execute("INSERT INTO people (id, school_id, name, role)"
                             " VALUES ('d2', 's2', 'Directeur Dora', 'director')")
    for username, person in (("carla", "d1"), ("anouk", "t3"), ("dora", "d2")):
        add_account(school_store, username, "geheim1", person_id=person)
    add_account(school_store, "avg", "geheim1", role="avg")
    carla = authenticate(school_store, "carla", "geheim1")
    assert [a.username for a in list_accounts(school_store, actor=carla)] == ["anouk", "carla"]
    add_account(school_store, "bram", "geheim1", person_id="t5", actor=carla)
    set_disabled(school_store, "anouk", actor=carla)
    with pytest.raises(PermissionDenied):
        set_disabled(school_store, "dora", actor=carla)
    with pytest.raises(PermissionDenied):
        add_account(school_store, "avg2", "geheim1", role="avg", actor=carla)
    with pytest.raises(PermissionDenied):
        list_accounts(school_store, actor=authenticate(school_store, "bram", "geheim1"))
    assert [e.actor for e in audit.entries(school_store, action="user.add")][0] == "carla"


def test_store_and_pdf_code_import_without_textual():
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError('textual is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pkgutil, moderator.store, moderator.policy, moderator.archive, moderator.services\n"
        "for pkg in (moderator.store, moderator.policy, moderator.archive, moderator.services):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import moderator.cli\n"
        "assert 'textual' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_failed_login_with_an_unknown_name_does_not_log_what_was_typed(school_store):
    # A name typed into the wrong field may be a password: it must not land in the
    # append-only audit log.
    with pytest.raises(AuthenticationFailed):
        authenticate(school_store, "anoukgeheim1", "x")
    (entry,) = audit.entries(school_store, action="login.failed")
    assert "geheim1" not in entry.subject and "geheim1" not in str(entry.detail)


def test_times_are_dutch_whatever_zone_the_machine_runs_in(monkeypatch):
    from moderator import clock

    monkeypatch.setenv("MODERATOR_NOW", "2026-11-25T09:00:00+00:00")
    assert clock.now_iso() == "2026-11-25T10:00:00+01:00"
    assert clock.display("2026-07-01T08:00:00+00:00") == "01-07-2026 10:00"
    assert clock.display("2026-11-21") == "21-11-2026"          # a bare date stays a date
    assert clock.display("2026-W47") == "2026-W47"              # not a time: unchanged


def test_an_unknown_time_zone_is_a_clear_error(monkeypatch):
    from moderator import clock

    monkeypatch.setenv("MODERATOR_TZ", "Mars/Base")
    with pytest.raises(UsageError, match="MODERATOR_TZ"):
        clock.now()
