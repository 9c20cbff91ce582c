import json

import pytest
from click.testing import CliRunner
from helpers_import import sample_records

from moderator.cli import main
from moderator.services.accounts import authenticate
from moderator.services.importing import import_records
from moderator.store import Store, audit


@pytest.fixture
def db(tmp_path):
    records = sample_records()
    records[4]["name"] = "Meester \x1b[31mBram\x1b[0m [bold]x[/bold] \u202e"
    with Store(tmp_path / "moderator.db") as store:
        import_records(store, enumerate(records, start=1), source="test")
    return tmp_path / "moderator.db"


def run(db, *args, **kwargs):
    return CliRunner().invoke(main, ["--db", str(db), *args], **kwargs)


def test_user_add_with_password_from_the_environment(db):
    result = run(db, "user", "add", "anouk", "--person", "t3", env={"MODERATOR_PASSWORD": "geheim1"})
    assert result.exit_code == 0, result.output
    assert "anouk" in result.stdout and "Leerkracht" in result.stdout
    with Store(db) as store:
        actor = authenticate(store, "anouk", "geheim1")
        assert (actor.role, actor.school_id, actor.admin_groups) == ("teacher", "s1", {"g3"})
        assert audit.entries(store, action="user.add")[0].subject == "account:anouk"


def test_user_add_prompts_for_the_password_twice(db):
    result = run(db, "user", "add", "carla", "--person", "d1", input="geheim2\ngeheim2\n")
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert authenticate(store, "carla", "geheim2").role == "director"
    mismatch = run(db, "user", "add", "carla2", "--person", "d1", input="a1b2c3\nx9y8z7\n")
    assert mismatch.exit_code != 0
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM accounts WHERE username = 'carla2'") == 0


def test_avg_account_has_no_person(db):
    result = run(db, "user", "add", "avg1", "--role", "avg", env={"MODERATOR_PASSWORD": "geheim"})
    assert result.exit_code == 0, result.output
    listed = json.loads(run(db, "user", "list", "--json").stdout)
    assert listed == [{"username": "avg1", "role": "avg", "person": None, "school": None,
                       "name": "avg1", "disabled": False, "locked_until": None}]


@pytest.mark.parametrize("args, message", [
    (["user", "add", "dirk", "--person", "p1"], "alleen personeel krijgt een account"),
    (["user", "add", "x", "--person", "nobody"], "niet gevonden"),
    (["user", "add", "bad name!", "--person", "t3"], "gebruikersnaam"),
    (["user", "add", "x"], "heeft --person nodig"),
])
def test_user_add_refusals_are_one_line_errors(db, args, message):
    result = run(db, *args, env={"MODERATOR_PASSWORD": "geheim"})
    assert result.exit_code in (2, 4)
    assert message in result.stderr and "Traceback" not in result.output
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM accounts") == 0


ADMIN_ENV = {"MODERATOR_PASSWORD": "geheim", "MODERATOR_NEW_PASSWORD": "nieuw1"}


def test_duplicate_username_is_refused(db):
    assert run(db, "user", "add", "carla", "--person", "d1",
               env={"MODERATOR_PASSWORD": "geheim"}).exit_code == 0
    assert run(db, "user", "add", "bram", "--person", "t5", "--user", "carla",
               env=ADMIN_ENV).exit_code == 0
    again = run(db, "user", "add", "bram", "--person", "t5", "--user", "carla", env=ADMIN_ENV)
    assert again.exit_code == 2 and "bestaat al" in again.stderr


def test_user_list_shows_hostile_names_as_text(db, monkeypatch):
    from moderator.cli.common import out_console

    monkeypatch.setattr(out_console, "width", 200)
    run(db, "user", "add", "bram", "--person", "t5", env={"MODERATOR_PASSWORD": "geheim"})
    result = run(db, "user", "list")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "<U+001B>[31mBram" in result.stdout and "[bold]x[/bold]" in result.stdout
    data = json.loads(run(db, "user", "list", "--json").stdout)
    assert data[0]["name"].startswith("Meester \x1b[31mBram")      # JSON keeps the data


def test_user_disable_blocks_login(db):
    run(db, "user", "add", "carla", "--person", "d1", env={"MODERATOR_PASSWORD": "geheim"})
    run(db, "user", "add", "anouk", "--person", "t3", "--user", "carla", env=ADMIN_ENV)
    result = run(db, "user", "disable", "anouk", "--user", "carla", env=ADMIN_ENV)
    assert result.exit_code == 0 and "uitgeschakeld" in result.stdout
    listed = json.loads(run(db, "user", "list", "--json").stdout)
    assert [a["disabled"] for a in listed if a["username"] == "anouk"] == [True]
    refused = run(db, "queue", "--user", "anouk", env={"MODERATOR_PASSWORD": "nieuw1"})
    # The same answer as for a wrong password; the reason is in the audit log only.
    assert refused.exit_code == 3 and "onjuist wachtwoord" in refused.stderr
    assert "uitgeschakeld" not in refused.stderr
    with Store(db) as store:
        assert audit.entries(store, action="login.failed")[0].detail["why"] == "disabled"
    missing = run(db, "user", "disable", "nobody", "--user", "carla", env=ADMIN_ENV)
    assert missing.exit_code == 4 and "niet gevonden" in missing.stderr
    enabled = run(db, "user", "enable", "anouk", "--user", "carla", env=ADMIN_ENV)
    assert enabled.exit_code == 0 and "ingeschakeld" in enabled.stdout
    assert run(db, "queue", "--user", "anouk", env={"MODERATOR_PASSWORD": "nieuw1"}).exit_code == 0


def test_a_script_without_password_gets_a_clear_error_not_an_abort(tmp_path):
    from click.testing import CliRunner

    from moderator.cli import main

    result = CliRunner().invoke(main, ["--db", str(tmp_path / "m.db"), "queue", "--user", "x"],
                                input="")
    assert result.exit_code == 2
    assert "MODERATOR_PASSWORD" in result.output and "Aborted" not in result.output


def test_a_mistyped_database_folder_is_refused_not_created(tmp_path):
    from click.testing import CliRunner

    from moderator.cli import main

    missing = tmp_path / "typo" / "m.db"
    result = CliRunner().invoke(main, ["--db", str(missing), "user", "list"])
    assert result.exit_code == 2 and "bestaat niet" in result.output
    assert not missing.parent.exists()
