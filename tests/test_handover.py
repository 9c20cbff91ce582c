"""Chain of custody (issue 16): a dossier export handed to the police is recorded with
the recipient, their reference, when, by whom and the SHA-256 of what was handed over;
the dossier and the audit log show it."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from click.testing import CliRunner

from moderator.cli import main
from moderator.services import audit_log, audit_readable, dossier
from moderator.store import audit
from tests.helpers_avg import AVG, HOSTILE
from tests.helpers_dossier import PASSWORD, add_staff, simulate_deletion


def run(store, *args):
    return CliRunner().invoke(main, ["--db", str(store.path), "--archives", str(store.archives),
                                     *args], env={"MODERATOR_PASSWORD": PASSWORD,
                                                  "COLUMNS": "300"})


def test_a_handover_to_the_police_is_recorded_shown_and_checked(school_store, monkeypatch):
    from moderator.cli.common import out_console

    monkeypatch.setattr(out_console, "_width", 400)   # the console is made once per process
    s = school_store
    add_staff(s)
    number = simulate_deletion(s)["incident"].number
    refused = run(s, "dossier", "handover", number, "--to", "police", "--reference", "PL123",
                  "--user", "carla")
    assert refused.exit_code != 0 and "exporteer het eerst" in refused.output
    exported = json.loads(run(s, "dossier", "export", number, "--user", "carla", "--json").output)
    done = run(s, "dossier", "handover", number, "--to", "police", "--name",
               "Politie Oost-Brabant " + HOSTILE, "--reference", "PL2026-0815", "--user",
               "carla", "--json")
    assert done.exit_code == 0, done.output
    record = json.loads(done.output)
    assert record["sha256"] == exported["sha256"] == hashlib.sha256(
        (Path(s.archives) / exported["path"]).read_bytes()).hexdigest()
    assert record["reference"] == "PL2026-0815" and record["handed_by"] == "carla"
    assert "\x1b" not in record["recipient"] and "<U+001B>" in record["recipient"]
    shown = run(s, "dossier", "show", number, "--user", "carla")
    assert "PL2026-0815" in shown.output and "(politie)" in shown.output
    assert "\x1b" not in shown.output
    handed = dossier.list_handovers(s, AVG, number)
    assert [(h.recipient_kind, h.reference) for h in handed] == [("police", "PL2026-0815")]
    entry = audit.entries(s, action="incident.handover")[0]
    readable = audit_readable.readable_entries(s, AVG, audit_log.read_audit_log(
        s, AVG, action="incident.handover"))[0]
    assert readable.action == "dossier overgedragen"
    assert ("kenmerk", "PL2026-0815") in readable.fields
    assert ("SHA-256", entry.detail["sha256"]) in readable.fields
    # An export changed after it was made is not handed over as if it were the same.
    path = Path(s.archives) / exported["path"]
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes() + b"x")
    changed = run(s, "dossier", "handover", number, "--to", "lawyer", "--user", "carla")
    assert changed.exit_code != 0 and "gewijzigd" in changed.output
    assert len(dossier.list_handovers(s, AVG, number)) == 1
    teacher = run(s, "dossier", "handover", number, "--to", "police", "--user", "anouk")
    assert teacher.exit_code != 0 and len(dossier.list_handovers(s, AVG, number)) == 1


async def test_a_handover_recorded_from_the_dossier_screen(school_store):
    from textual.widgets import Input, Static

    from moderator.screens.handover_form import HandoverForm
    from tests.test_dossier_screen import DossierApp

    staff = add_staff(school_store)
    incident = simulate_deletion(school_store)["incident"]
    async with DossierApp(school_store, staff["carla"], incident.id).run_test(
            size=(160, 50)) as pilot:
        await pilot.press("t")                 # no export yet: a hint, no form
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HandoverForm)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, HandoverForm)
        form.query_one("#handover-recipient", Input).value = "Politie " + HOSTILE
        form.query_one("#handover-reference", Input).value = "PL-2026-77"
        await pilot.click("#handover-save")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HandoverForm)
        shown = str(pilot.app.screen.query_one("#detail-body", Static).render())
        assert "Overdrachten" in shown and "kenmerk PL-2026-77" in shown
        assert "[bold red]x[/]" in shown and "(politie)" in shown
        assert pilot.app.is_running
    [handed] = dossier.list_handovers(school_store, AVG, incident.id)
    assert handed.reference == "PL-2026-77" and handed.handed_by == "carla"


def test_an_escalation_takes_the_police_registration_number(school_store):
    add_staff(school_store)
    number = simulate_deletion(school_store)["incident"].number
    done = run(school_store, "dossier", "escalate", number, "--user", "carla", "--measure",
               "police_report", "--text", "Aangifte gedaan", "--reference", "PL0815-" + HOSTILE,
               "--json")
    assert done.exit_code == 0, done.output
    reference = json.loads(done.output)["detail"]["reference"]
    assert reference.startswith("PL0815-[bold red]x[/]") and "\x1b" not in reference
    entry = audit.entries(school_store, action="incident.escalation")[0]
    assert entry.detail["reference"] == reference
    wrong = run(school_store, "dossier", "add", number, "--user", "carla", "--kind", "note",
                "--text", "x")
    assert wrong.exit_code == 0


async def test_the_escalation_form_has_a_field_for_the_registration_number(school_store):
    from textual.widgets import Input, Static, TextArea

    from moderator.screens.dossier_forms import DossierForm
    from tests.test_dossier_screen import DossierApp

    staff = add_staff(school_store)
    incident = simulate_deletion(school_store)["incident"]
    async with DossierApp(school_store, staff["carla"], incident.id).run_test(
            size=(160, 50)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, DossierForm)
        form.query_one("#reference", Input).value = "PL2026-123456"
        form.query_one("#text", TextArea).text = "Aangifte gedaan bij de politie"
        await pilot.click("#save")
        await pilot.pause()
        shown = str(pilot.app.screen.query_one("#detail-body", Static).render())
        assert "kenmerk: PL2026-123456" in shown
