"""Account administration behind a login: `moderator user add|enable|disable|reset`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers_import import sample_records

from moderator.cli import main
from moderator.errors import AuthenticationFailed
from moderator.services.accounts import authenticate
from moderator.services.importing import import_records
from moderator.store import Store, audit

FIRST = {"MODERATOR_PASSWORD": "geheim"}


@pytest.fixture
def db(tmp_path):
    with Store(tmp_path / "moderator.db") as store:
        import_records(store, enumerate(sample_records(), start=1), source="test")
    return tmp_path / "moderator.db"


def run(db, *args, env=None, **kwargs):
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env or {}, **kwargs)


def as_login(password: str = "geheim", new: str = "nieuw1") -> dict:
    return {"MODERATOR_PASSWORD": password, "MODERATOR_NEW_PASSWORD": new}


@pytest.fixture
def admins(db):
    """carla (director of s1) is the first account; she adds teacher anouk; avg is added
    by... nobody but an AVG login may, so the first AVG account comes first in its own db."""
    assert run(db, "user", "add", "carla", "--person", "d1", env=FIRST).exit_code == 0
    assert run(db, "user", "add", "anouk", "--person", "t3", "--user", "carla",
               env=as_login()).exit_code == 0
    return db


def accounts(db) -> set[str]:
    with Store(db) as store:
        return {r[0] for r in store.rows("SELECT username FROM accounts")}


def test_only_the_very_first_account_is_made_without_a_login(admins):
    db = admins
    for args in (["user", "add", "avg2", "--role", "avg"],
                 ["user", "add", "bram", "--person", "t5"]):
        result = run(db, *args, env=as_login())
        assert result.exit_code == 3 and "--user" in result.stderr, result.output
        assert "Traceback" not in result.output
    for args in (["user", "disable", "anouk"], ["user", "enable", "anouk"],
                 ["user", "reset", "anouk"]):
        result = run(db, *args, env=as_login())
        assert result.exit_code == 3 and "--user" in result.stderr, (args, result.output)
    assert accounts(db) == {"carla", "anouk"}
    with Store(db) as store:
        first = audit.entries(store, action="user.add", subject="account:carla")[0]
        assert first.actor == "system" and first.detail["os_user"]


def test_the_audit_log_names_the_login_and_the_os_user(admins):
    with Store(admins) as store:
        entry = audit.entries(store, action="user.add", subject="account:anouk")[0]
    assert entry.actor == "carla" and entry.detail["os_user"]


def test_a_teacher_or_a_wrong_password_cannot_manage_accounts(admins):
    db = admins
    teacher = run(db, "user", "add", "bram", "--person", "t5", "--user", "anouk",
                  env=as_login("nieuw1"))
    assert teacher.exit_code == 3 and "niet beheren" in teacher.stderr
    wrong = run(db, "user", "disable", "anouk", "--user", "carla", env=as_login("fout"))
    assert wrong.exit_code == 3 and "onjuist wachtwoord" in wrong.stderr
    assert accounts(db) == {"carla", "anouk"}
    with Store(db) as store:
        assert store.scalar("SELECT disabled FROM accounts WHERE username = 'anouk'") == 0


def test_avg_accounts_are_made_only_by_the_avg_coordinator(tmp_path, db):
    assert run(db, "user", "add", "avg", "--role", "avg", env=FIRST).exit_code == 0
    assert run(db, "user", "add", "carla", "--person", "d1", "--user", "avg",
               env=as_login()).exit_code == 3          # a school account: the school's job
    ok = run(db, "user", "add", "avg2", "--role", "avg", "--user", "avg", env=as_login())
    assert ok.exit_code == 0, ok.output
    with Store(db) as store:
        assert authenticate(store, "avg2", "nieuw1").role == "avg"
        assert audit.entries(store, action="user.add")[0].actor == "avg"


def test_disable_enable_and_reset_lift_a_lockout(admins):
    db = admins
    with Store(db) as store:
        for _ in range(5):
            with pytest.raises(AuthenticationFailed):
                authenticate(store, "anouk", "fout")
    assert run(db, "queue", "--user", "anouk", env={"MODERATOR_PASSWORD": "nieuw1"}).exit_code == 3
    listed = run(db, "user", "list")
    assert "geblokkeerd tot" in listed.stdout         # how the holder hears of it
    reset = run(db, "user", "reset", "anouk", "--user", "carla", env=as_login(new="anders2"))
    assert reset.exit_code == 0, reset.output
    assert run(db, "queue", "--user", "anouk", env={"MODERATOR_PASSWORD": "anders2"}).exit_code == 0
    with Store(db) as store:
        entry = audit.entries(store, action="user.password")[0]
        assert entry.actor == "carla" and entry.subject == "account:anouk"
