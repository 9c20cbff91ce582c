"""CLI output a user reads: Dutch errors, tables that fit 80 columns, plain lines in a
pipe, the group report only after login and scoped to the account, and the OS user as
the actor of operator jobs."""

from __future__ import annotations

import getpass
import io

import pytest
from click.testing import CliRunner
from helpers_console import HOSTILE, PASSWORD, build
from rich.console import Console

from moderator.cli import main
from moderator.cli.policy import report_table
from moderator.cli.queue import queue_table
from moderator.services.group_report import report_for
from moderator.services.queue import list_queue
from moderator.store import audit
from moderator.store.accounts import actor_for


@pytest.fixture
def store(fresh_store):
    """The console school s1 plus staff posts outside working hours in g3, g5 and gs,
    and a second school s2 with one of its own."""
    s = build(fresh_store)
    with s.write():
        s.execute("INSERT INTO schools (id, name, brin) VALUES ('s2', 'De Eik', '34CD')")
        s.execute("INSERT INTO groups (id, school_id, name, kind) VALUES ('h1', 's2', 'Groep 1', 'class')")
        s.execute("INSERT INTO people (id, school_id, name, role) VALUES ('t9', 's2', 'Juf Eik', 'teacher')")
        s.executemany("INSERT INTO posts (id, group_id, author_id, created_at, body)"
                      " VALUES (?, ?, ?, ?, 'x')", [
                          ("L3", "g3", "t3", "2026-11-18T21:30:00+01:00"),
                          ("L5", "g5", "t5", "2026-11-18T06:30:00+01:00"),
                          ("LS", "gs", "d1", "2026-11-18T22:00:00+01:00"),
                          ("LE", "h1", "t9", "2026-11-18T23:00:00+01:00")])
        s.execute("UPDATE groups SET name = ? WHERE id = 'g3'", (HOSTILE,))
    return s


def run(store, *args, password=PASSWORD):
    return CliRunner().invoke(main, ["--db", str(store.path), "--archives",
                                     str(store.archives), *args],
                              env={"MODERATOR_PASSWORD": password})


def off_hours_groups(findings):
    return sorted({f.group_id for f in findings if f.reason == "off_hours"})


# -- errors in Dutch ---------------------------------------------------------------------

def test_errors_are_dutch_with_a_dutch_prefix_and_local_times(store):
    missing = run(store, "dismiss", "post:NOPE", "--user", "carla", "--note", "x")
    assert missing.exit_code == 4 and missing.stderr == "fout: post:NOPE niet gevonden\n"
    bad = run(store, "delete", "P1", "--user", "carla", "--reason", "threat")
    assert bad.exit_code == 2 and "item moet post:ID of comment:ID zijn" in bad.stderr
    assert run(store, "delete", "post:P3", "--user", "carla", "--reason", "commercial").exit_code == 0
    again = run(store, "delete", "post:P3", "--user", "carla", "--reason", "commercial")
    # MODERATOR_NOW is 2026-11-25T10:00+01:00 (tests/conftest.py)
    assert again.exit_code == 5
    assert again.stderr.startswith("fout: post:P3 is al verwijderd op 25-11-2026 ")
    assert "T" not in again.stderr.split("op ", 1)[1]          # no raw ISO timestamp
    exists = CliRunner().invoke(main, ["--db", str(store.path), "user", "add", "carla",
                                       "--person", "d1", "--user", "carla"],
                                env={"MODERATOR_PASSWORD": PASSWORD,
                                     "MODERATOR_NEW_PASSWORD": "nieuw1"})
    assert exists.exit_code == 2 and exists.stderr == "fout: account 'carla' bestaat al\n"


def test_verify_speaks_dutch(store):
    result = run(store, "verify")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("0 bestanden gecontroleerd")
    assert result.stdout.splitlines()[-1] == "IN ORDE"


# -- tables that fit, plain lines in a pipe ----------------------------------------------

def render(table, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(table)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [80, 100, 140])
def test_queue_table_fits_the_terminal_one_line_per_item(store, width):
    entries = list_queue(store, actor_for(store, "carla"))
    lines = render(queue_table(entries, len(entries), width), width)
    assert all(len(line.rstrip()) <= width for line in lines)
    rows = [line for line in lines if line.startswith(("post:", "comment:"))]
    assert len(rows) == len(entries) == 6                    # no cell wrapped onto a 2nd line
    assert any("…" in row for row in rows)                    # the excerpt is cut, not wrapped
    head = lines[1]
    assert ("Auteur" in head) == (width >= 110) and "Tekst" in head


def test_queue_in_a_pipe_is_tab_separated_and_clean(store):
    result = run(store, "queue", "--user", "carla")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["item", "groep", "auteur", "geplaatst", "redenen",
                                    "meldingen", "tekst", "wacht", "termijn", "bij"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 6 and all(len(row) == 10 for row in rows)
    p2 = next(row for row in rows if row[0] == "post:P2")
    assert "<U+001B>[2J" in p2[6] and "<U+202E>" in p2[6] and "[bold red]x[/]" in p2[6]
    assert p2[3] == "21-11-2026 09:00"
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_report_table_fits_80_columns(store):
    findings = report_for(store, actor_for(store, "avg"))
    lines = render(report_table(findings, 80), 80)
    assert all(len(line.rstrip()) <= 80 for line in lines)
    assert "School" in lines[1] and "\x1b" not in "".join(lines)


# -- the group report: login and scope ---------------------------------------------------

def test_report_needs_a_login(store):
    result = run(store, "report")
    assert result.exit_code == 2 and "--user" in result.output
    wrong = run(store, "report", "--user", "carla", password="fout")
    assert wrong.exit_code == 3 and "onjuist wachtwoord" in wrong.stderr


def test_report_is_scoped_to_the_account(store):
    assert off_hours_groups(report_for(store, actor_for(store, "carla"))) == ["g3", "g5", "gs"]
    assert off_hours_groups(report_for(store, actor_for(store, "anouk"))) == ["g3"]
    assert off_hours_groups(report_for(store, actor_for(store, "bram"))) == ["g5"]
    everything = report_for(store, actor_for(store, "avg"))
    assert off_hours_groups(everything) == ["g3", "g5", "gs", "h1"]
    assert off_hours_groups(report_for(store, actor_for(store, "avg"), "s2")) == ["h1"]
    logged = store.rows("SELECT actor, action FROM access_log WHERE action = 'group_report'")
    assert [tuple(r) for r in logged] == [("avg", "group_report")] * 2


def test_report_refuses_other_roles_and_other_schools(store):
    admin = run(store, "report", "--user", "fatima")
    assert admin.exit_code == 3 and admin.stderr.startswith("fout: alleen directie")
    other = run(store, "report", "--user", "carla", "--school", "s2")
    assert other.exit_code == 3 and "eigen school" in other.stderr
    teacher = run(store, "report", "--user", "anouk", "--json")
    assert teacher.exit_code == 0 and "Juf Eik" not in teacher.stdout
    assert "Meester Bram" not in teacher.stdout and "Juf Anouk" in teacher.stdout


def test_report_in_a_pipe_is_tab_separated(store):
    result = run(store, "report", "--user", "carla")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "school\tgroep\tcontrole\twanneer\tbevinding"
    rows = [line.split("\t") for line in lines[1:]]
    assert rows and all(len(row) == 5 for row in rows)
    late = next(row for row in rows if "Directeur Carla" in row[4])
    assert late[3] == "18-11-2026 22:00" and late[2] == "Buiten werktijd"
    assert "\x1b" not in result.stdout and "<U+001B>[2J" in result.stdout


# -- operator jobs record the OS user ----------------------------------------------------

def test_import_and_scan_record_the_os_user(fresh_store, tmp_path):
    from helpers_import import write_export

    path = write_export(tmp_path / "export.jsonl")
    db = str(fresh_store.path)
    assert CliRunner().invoke(main, ["--db", db, "import", str(path)]).exit_code == 0
    assert CliRunner().invoke(main, ["--db", db, "scan", "--again"]).exit_code == 0
    who = f"system:{getpass.getuser()}"
    actors = {e.action: e.actor for e in audit.entries(fresh_store, limit=100)}
    assert actors["import"] == who and actors["scan"] == who


def test_help_lists_every_verb_with_its_own_short_help():
    """`moderator --help` lists verbs without importing them; the listed text is each
    command's own short help, so the table cannot drift from the commands."""
    import importlib

    from moderator.cli.group import VERBS

    for name, (module, short) in VERBS.items():
        command = [c for c in importlib.import_module(module).commands if c.name == name]
        assert command, f"{module} has no command {name!r}"
        assert command[0].get_short_help_str(limit=60) == short, name
    listed = {c.name for m in {m for m, _ in VERBS.values()}
              for c in importlib.import_module(m).commands}
    assert listed == set(VERBS), "a command module defines a verb missing from VERBS"


def test_help_does_not_load_the_verbs():
    import subprocess
    import sys

    probe = ("import sys; from click.testing import CliRunner; from moderator.cli import main;"
             " r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output;"
             " assert 'dossier' in r.output and 'verify' in r.output;"
             " print(sorted(m for m in sys.modules if m.startswith('moderator.')"
             " and m.split('.')[1] in ('store', 'services', 'archive', 'screens')"
             " or m.split('.')[0] in ('textual', 'sqlite_utils', 'reportlab')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
