"""A parent's objection: recorded in the dossier, decided by the director within the
term; a late decision is marked late."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.services import objections
from moderator.services.dossier import get_incident
from moderator.services.worklist import worklist
from tests.helpers_dossier import HOSTILE, PASSWORD, add_staff, simulate_deletion


@pytest.fixture
def world(school_store):
    staff = add_staff(school_store)
    number = simulate_deletion(school_store)["incident"].number
    return school_store, staff, number


def test_objection_decided_on_time_and_late(world, monkeypatch):
    store, staff, number = world
    first = objections.record(store, staff["anouk"], number, "photo",
                              "Ouder wil de foto van haar zoon weg. " + HOSTILE[0],
                              received_on="2026-11-20")
    assert first.due_on.isoformat() == "2027-01-01"          # six weeks
    second = objections.record(store, staff["anouk"], number, "measure", "Te zwaar.")
    with pytest.raises(PermissionDenied):
        objections.decide(store, staff["anouk"], first.id, "upheld", "Foto verwijderd.")
    decided = objections.decide(store, staff["carla"], first.id, "upheld", "Foto verwijderd.")
    assert decided.decision == "upheld" and not decided.late(decided.decided_on)
    with pytest.raises(Conflict):
        objections.decide(store, staff["carla"], first.id, "rejected", "Toch niet.")
    with pytest.raises(UsageError):
        objections.decide(store, staff["carla"], second.id, "upheld", "")
    monkeypatch.setenv("MODERATOR_NOW", "2027-01-20T10:00:00+01:00")
    items = {s.key: [i.text for i in s.items] for s in worklist(store, staff["carla"]).sections}
    assert items["objections"] == [f"bezwaar {second.id} tegen een maatregel: beslissen"
                                   " uiterlijk 06-01-2027 (te laat)"]
    late = objections.decide(store, staff["carla"], second.id, "rejected", "Passend.")
    assert late.late(late.decided_on)
    texts = [e.text for e in get_incident(store, staff["carla"], number, log_view=False).events]
    assert any(t.startswith("Bezwaar tegen een foto van hun kind (ontvangen 20-11-2026,"
                            " beslissen uiterlijk 01-01-2027): Ouder wil") for t in texts)
    assert ("Besluit op bezwaar tegen een maatregel: ongegrond. Te laat: de termijn liep tot"
            " 06-01-2027. Reden: Passend.") in texts
    actions = [r[0] for r in store.rows("SELECT action FROM audit_log WHERE action LIKE"
                                        " 'objection.%' ORDER BY seq")]
    assert actions == ["objection.record", "objection.record", "objection.decide",
                       "objection.decide"]


def test_cli_objections(world):
    store, staff, number = world

    def run(*args):
        return CliRunner().invoke(main, ["--db", str(store.path), *args],
                                  env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)

    added = run("objection", "add", number, "--user", "anouk", "--subject", "removal",
                "--text", "Onterecht verwijderd \x1b[31m\u202e [bold]x[/]")
    assert added.exit_code == 0 and "beslissen uiterlijk 06-01-2027" in added.output
    listed = run("objection", "list", "--user", "carla").output
    assert "1  INC-2026-0001  een verwijdering: beslissen uiterlijk 06-01-2027" in listed
    assert "<U+001B>[31m<U+202E> [bold]x[/]" in listed and "\x1b" not in listed
    assert run("objection", "list", "--user", "anouk").exit_code == 3
    decided = run("objection", "decide", "1", "--user", "carla", "--decision", "rejected",
                  "--reason", "Terecht verwijderd.")
    assert decided.exit_code == 0 and "Bezwaar 1: ongegrond." in decided.output
