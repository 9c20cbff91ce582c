"""``moderator dossier ...``: the same workflow and rules from the command line."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from moderator.cli import main
from moderator.store import Store
from tests.helpers_dossier import PASSWORD, add_staff, simulate_deletion


@pytest.fixture
def world(school_store, tmp_path):
    add_staff(school_store)
    deletion = simulate_deletion(school_store)
    return {"db": str(school_store.path), "archives": str(school_store.archives),
            "number": deletion["incident"].number, "deletion": deletion, "tmp": tmp_path}


def run(world, *args):
    runner = CliRunner()
    return runner.invoke(main, ["--db", world["db"], "--archives", world["archives"], *args],
                         env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)


def test_the_workflow_from_the_command_line(world):
    n = world["number"]
    talk = run(world, "dossier", "add", n, "--user", "anouk", "--kind", "parent_conversation",
               "--text", "Gesprek gevoerd; afspraken gemaakt.", "--participants",
               "Juf Anouk, Ouder Dirk", "--at", "2026-11-24", "--json")
    assert talk.exit_code == 0, talk.output
    assert json.loads(talk.output)["participants"] == ["Juf Anouk", "Ouder Dirk"]
    assert run(world, "dossier", "add", n, "--user", "carla", "--kind", "consultation",
               "--text", "Overleg met juf Anouk").exit_code == 0
    escalated = run(world, "dossier", "escalate", n, "--user", "carla", "--measure",
                    "police_report", "--text", "Aangifte gedaan")
    assert escalated.exit_code == 0, escalated.output
    shown = json.loads(run(world, "dossier", "show", n, "--user", "carla", "--json").output)
    assert (shown["status"], shown["level"]) == ("escalated", "external")
    assert [e["kind"] for e in shown["timeline"]] == [
        "parent_conversation", "deletion", "consultation", "escalation"]
    out = world["tmp"] / "dossier.pdf"
    exported = run(world, "dossier", "export", n, "--user", "carla", "--out", str(out), "--json")
    assert exported.exit_code == 0, exported.output
    record = json.loads(exported.output)
    reader = PdfReader(str(out))
    digests = [hashlib.sha256(c).hexdigest() for cs in reader.attachments.values() for c in cs]
    assert digests == [world["deletion"]["sha256"]]
    assert hashlib.sha256(out.read_bytes()).hexdigest() == record["sha256"]
    closed = run(world, "dossier", "close", n, "--user", "carla", "--outcome", "Afgerond")
    assert closed.exit_code == 0, closed.output
    assert "25-11-2028" in closed.output          # retention date, Dutch format


def test_a_teacher_trying_to_escalate_is_refused_with_exit_3(world):
    result = run(world, "dossier", "escalate", world["number"], "--user", "anouk",
                 "--measure", "police_report", "--text", "Aangifte")
    assert result.exit_code == 3
    assert "Alleen de directie kan extern handhaven" in result.output
    assert "Traceback" not in result.output
    as_measure = run(world, "dossier", "add", world["number"], "--user", "anouk", "--kind",
                     "measure", "--measure", "legal", "--text", "Advocaat")
    assert as_measure.exit_code == 3
    store = Store(world["db"])
    assert store.scalar("SELECT level FROM incidents") == "internal"
    store.close()


def test_closing_without_a_talk_needs_a_reason(world):
    refused = run(world, "dossier", "close", world["number"], "--user", "carla", "--outcome", "Klaar")
    assert refused.exit_code == 2 and "gesprek met de ouder" in refused.output
    ok = run(world, "dossier", "close", world["number"], "--user", "carla", "--outcome", "Klaar",
             "--without-conversation", "Ouder weigert elk gesprek")
    assert ok.exit_code == 0, ok.output


def test_list_is_scoped_to_the_teachers_groups(world):
    assert json.loads(run(world, "dossier", "list", "--user", "anouk", "--json").output)[0][
        "number"] == world["number"]
    assert json.loads(run(world, "dossier", "list", "--user", "bram", "--json").output) == []
    table = run(world, "dossier", "list", "--user", "carla")
    assert world["number"] in table.output and "Ouder" in table.output


def test_show_prints_the_timeline_and_hard_copy_text(world):
    run(world, "dossier", "add", world["number"], "--user", "anouk", "--kind", "note",
        "--text", "[bold red]x[/] \x1b[2J")
    shown = run(world, "dossier", "show", world["number"], "--user", "anouk", "--hardcopy-text")
    assert shown.exit_code == 0, shown.output
    assert "[bold red]x[/]" in shown.output and "\x1b[2J" not in shown.output
    assert "Ik weet waar je woont." in shown.output
    assert world["deletion"]["sha256"] in shown.output


def test_unknown_dossier_and_bad_date_exit_cleanly(world):
    missing = run(world, "dossier", "show", "INC-2026-9999", "--user", "carla")
    assert missing.exit_code == 4
    bad = run(world, "dossier", "add", world["number"], "--user", "anouk", "--kind", "note",
              "--text", "x", "--at", "gisteravond")
    assert bad.exit_code == 2 and "onbekende datum" in bad.output and "vandaag" in bad.output


def test_a_correction_refers_to_the_entry(world):
    first = json.loads(run(world, "dossier", "add", world["number"], "--user", "anouk", "--kind",
                           "note", "--text", "Dinsdag", "--json").output)
    fix = run(world, "dossier", "add", world["number"], "--user", "anouk", "--kind", "correction",
              "--text", "Woensdag", "--refers-to", str(first["id"]), "--json")
    assert json.loads(fix.output)["refers_to"] == first["id"]
