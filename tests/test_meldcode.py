"""The Meldcode track: five steps in order, director writes, director and AVG read
(every read in the access log), teachers see nothing of it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.services import meldcode
from moderator.services.dossier import get_incident
from tests.helpers_dossier import HOSTILE, PASSWORD, add_staff, simulate_deletion

STEPS = ["Blauwe plekken gezien, kind vertelt over ruzie thuis.", "Intern begeleider en"
         " Veilig Thuis geraadpleegd.", "Gesprek met moeder.", "Risico ingeschat als"
         " acuut.", "Melding gedaan bij Veilig Thuis."]


@pytest.fixture
def world(school_store):
    staff = add_staff(school_store)
    number = simulate_deletion(school_store)["incident"].number
    return school_store, staff, number


def test_the_five_steps_in_order(world):
    store, staff, number = world
    with pytest.raises(PermissionDenied):
        meldcode.start(store, staff["anouk"], number)
    with pytest.raises(Conflict, match="niet op het Meldcode-traject"):
        meldcode.record_step(store, staff["carla"], number, 1, STEPS[0])
    meldcode.start(store, staff["carla"], number)
    with pytest.raises(Conflict, match="de volgende stap is 1"):
        meldcode.record_step(store, staff["carla"], number, 2, STEPS[1])
    for step, body in enumerate(STEPS[:4], start=1):
        meldcode.record_step(store, staff["carla"], number, step, body, at="2026-11-24")
    with pytest.raises(UsageError, match="besluit"):
        meldcode.record_step(store, staff["carla"], number, 5, STEPS[4])
    track = meldcode.record_step(store, staff["carla"], number, 5, STEPS[4] + HOSTILE[0],
                                 decision="report")
    assert [s.step for s in track.steps] == [1, 2, 3, 4, 5] and track.next_step is None
    assert track.steps[4].decision == "report"
    # the teacher of the group reads the dossier but not the track
    with pytest.raises(PermissionDenied):
        meldcode.read_track(store, staff["anouk"], number)
    texts = [e.text for e in get_incident(store, staff["anouk"], number, log_view=False).events]
    assert not any("Veilig Thuis" in t for t in texts)
    assert meldcode.read_track(store, staff["avg"], number).steps[0].text == STEPS[0]
    reads = store.scalar("SELECT count(*) FROM access_log WHERE action = 'meldcode_view'")
    assert reads == 1
    audit = store.rows("SELECT detail FROM audit_log WHERE action = 'meldcode.step'")
    assert len(audit) == 5 and not any("Veilig" in r[0] for r in audit)   # no content


def test_cli_meldcode(world):
    store, staff, number = world

    def run(*args):
        return CliRunner().invoke(main, ["--db", str(store.path), *args],
                                  env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)

    assert run("meldcode", "start", number, "--user", "carla").exit_code == 0
    step = run("meldcode", "step", number, "--user", "carla", "--step", "1", "--text",
               "Signalen \x1b[31m\u202e [bold]x[/]")
    assert step.exit_code == 0, step.output
    assert "<U+001B>[31m<U+202E> [bold]x[/]" in step.output and "\x1b" not in step.output
    assert "Volgende stap: 2. Collega of Veilig Thuis geraadpleegd" in step.output
    assert run("meldcode", "show", number, "--user", "anouk").exit_code == 3
    shown = json.loads(run("meldcode", "show", number, "--user", "avg", "--json").output)
    assert shown["next_step"] == 2 and shown["steps"][0]["label"] == "Signalen in kaart gebracht"
