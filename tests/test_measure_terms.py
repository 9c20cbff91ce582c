"""Measures with an end: recorded with a term, lifted by the clock tick exactly once
(also with two ticks at once), ended early or extended by the director."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.services import clock_tick, measures
from moderator.services.dossier import get_incident
from moderator.store import Store
from moderator.store.measure_terms import get_term
from tests.helpers_dossier import HOSTILE, PASSWORD, add_staff, simulate_deletion

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(school_store):
    staff = add_staff(school_store)
    number = simulate_deletion(school_store)["incident"].number
    return school_store, staff, number


def lifts(store, number):
    detail = get_incident(store, world_actor(store), number, log_view=False)
    return [e for e in detail.events if e.detail.get("lifts")]


def world_actor(store):
    from moderator.store.accounts import actor_for
    return actor_for(store, "carla")


def audit_count(store, action):
    return store.scalar("SELECT count(*) FROM audit_log WHERE action = ?", (action,))


def test_a_two_week_read_only_ends_by_itself_on_the_right_day(world, monkeypatch):
    store, staff, number = world
    event = measures.record_measure(store, staff["carla"], number, "read_only",
                                    "Twee weken alleen lezen.",
                                    ends_on=measures.weeks_from_today(2))
    term = get_term(store, event.id)
    assert (term.starts_on.isoformat(), term.ends_on.isoformat()) == ("2026-11-25", "2026-12-09")
    monkeypatch.setenv("MODERATOR_NOW", "2026-12-08T23:59:00+01:00")
    assert clock_tick.tick(store).lifted == ()
    assert get_term(store, event.id).active
    monkeypatch.setenv("MODERATOR_NOW", "2026-12-09T00:05:00+01:00")
    report = clock_tick.tick(store)
    assert report.lifted == (f"{number}: Tijdelijk alleen lezen",)
    assert clock_tick.tick(store).lifted == ()          # a second tick does nothing
    term = get_term(store, event.id)
    assert (term.status, term.lift_reason) == ("lifted", "expired")
    entries = lifts(store, number)
    assert len(entries) == 1
    assert entries[0].text == "Tijdelijk alleen lezen opgeheven: de einddatum 09-12-2026 is bereikt."
    assert audit_count(store, "measure.lift") == 1


def test_a_term_is_required_for_restrictions_only(world):
    store, staff, number = world
    with pytest.raises(UsageError, match="einddatum"):
        measures.record_measure(store, staff["anouk"], number, "read_only", "Alleen lezen.")
    with pytest.raises(UsageError, match="looptijd"):
        measures.record_measure(store, staff["anouk"], number, "warning", "Let op.",
                                ends_on="2026-12-01")
    with pytest.raises(UsageError, match="na de begindatum"):
        measures.record_measure(store, staff["anouk"], number, "comments_off", "Uit.",
                                ends_on="25-11-2026")
    with pytest.raises(UsageError, match="ongeldige einddatum"):
        measures.record_measure(store, staff["anouk"], number, "comments_off", "Uit.",
                                ends_on="morgen")
    open_ended = measures.record_measure(store, staff["anouk"], number, "group_removal",
                                         "Uit de groep.", until_further_notice=True)
    assert get_term(store, open_ended.id).ends_on is None
    assert measures.record_measure(store, staff["anouk"], number, "warning", "Let op.")
    assert audit_count(store, "measure.term") == 1


def test_the_director_ends_early_or_extends(world):
    store, staff, number = world
    event = measures.record_measure(store, staff["anouk"], number, "comments_off",
                                    "Reageren uit.", ends_on="2026-12-09")
    with pytest.raises(PermissionDenied):
        measures.end_early(store, staff["anouk"], event.id, "Gesprek was goed.")
    with pytest.raises(UsageError, match="na 09-12-2026"):
        measures.extend(store, staff["carla"], event.id, "2026-12-01")
    longer = measures.extend(store, staff["carla"], event.id, "2026-12-23",
                             reason=HOSTILE[0])
    assert longer.ends_on.isoformat() == "2026-12-23"
    ended = measures.end_early(store, staff["carla"], event.id, "Gesprek was goed.")
    assert (ended.status, ended.lift_reason, ended.lifted_by) == ("lifted", "early", "carla")
    with pytest.raises(Conflict):
        measures.end_early(store, staff["carla"], event.id, "nog eens")
    texts = [e.text for e in get_incident(store, staff["carla"], number, log_view=False).events]
    assert "Reageren uitgezet voor deze ouder verlengd tot 23-12-2026. Reden: [bold red]x[/]" in texts
    assert ("Reageren uitgezet voor deze ouder vervroegd beëindigd. Reden: Gesprek was goed."
            in texts)
    assert audit_count(store, "measure.extend") == 1 and audit_count(store, "measure.lift") == 1


def test_two_ticks_at_once_lift_once(world, monkeypatch):
    store, staff, number = world
    for code in ("read_only", "comments_off"):
        measures.record_measure(store, staff["carla"], number, code, "Tijdelijk.",
                                ends_on="2026-11-30")
    monkeypatch.setenv("MODERATOR_NOW", "2026-12-01T09:00:00+01:00")
    barrier = threading.Barrier(2)
    reports = []

    def run():
        other = Store(store.path, store.archives)
        try:
            barrier.wait()
            reports.append(clock_tick.tick(other))
        finally:
            other.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(len(r.lifted) for r in reports) == [0, 2]
    assert len(lifts(store, number)) == 2
    assert audit_count(store, "measure.lift") == 2


def test_two_tick_processes_at_once_lift_once(world, tmp_path):
    store, staff, number = world
    measures.record_measure(store, staff["carla"], number, "read_only", "Tijdelijk.",
                            ends_on="2026-11-30")
    env = {**os.environ, "MODERATOR_NOW": "2026-12-01T09:00:00+01:00",
           "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "moderator", "--db", str(store.path), "tick", "--json"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    lifted = sorted(len(json.loads(out)["lifted"]) for out, _ in outputs)
    assert lifted == [0, 1]
    assert len(lifts(store, number)) == 1
    assert audit_count(store, "measure.lift") == 1


def test_cli_records_a_term_and_shows_the_remaining_time(world):
    store, staff, number = world

    def run(*args):
        return CliRunner().invoke(main, ["--db", str(store.path), *args],
                                  env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)

    missing = run("dossier", "add", number, "--user", "carla", "--kind", "measure",
                  "--measure", "read_only", "--text", "Alleen lezen.")
    assert missing.exit_code == 2 and "einddatum" in missing.output
    added = run("dossier", "add", number, "--user", "carla", "--kind", "measure",
                "--measure", "read_only", "--text", "Alleen lezen.", "--weeks", "2", "--json")
    assert added.exit_code == 0, added.output
    event = json.loads(added.output)["id"]
    shown = json.loads(run("dossier", "show", number, "--user", "carla", "--json").output)
    assert shown["measures"][0]["remaining"] == "nog 14 dagen (tot 09-12-2026)"
    text = run("dossier", "show", number, "--user", "carla").output
    assert "Tijdelijk alleen lezen: vanaf 25-11-2026, nog 14 dagen (tot 09-12-2026)" in text
    refused = run("measure", "end", str(event), "--user", "anouk", "--reason", "klaar")
    assert refused.exit_code == 3
    extended = run("measure", "extend", str(event), "--user", "carla", "--until-further-notice")
    assert extended.exit_code == 0 and "loopt tot nader order" in extended.output


def test_a_measure_that_ends_tells_the_portal_to_lift_its_restriction(world, monkeypatch):
    """Portal sync: recording read-only queues a restrict_member action; when the tick ends
    the measure, a lift_restriction for exactly that action is queued, once."""
    from moderator.store import outbox

    store, staff, number = world
    measures.record_measure(store, staff["carla"], number, "read_only", "Twee weken.",
                            ends_on=measures.weeks_from_today(2))
    [restrict] = [a for a in outbox.list_actions(store, school_id="s1")
                  if a.kind == "restrict_member"]
    assert restrict.target["mode"] == "read_only" and restrict.incident == number
    monkeypatch.setenv("MODERATOR_NOW", "2026-12-09T00:05:00+01:00")
    clock_tick.tick(store)
    clock_tick.tick(store)
    lifts = [a for a in outbox.list_actions(store, school_id="s1")
             if a.kind == "lift_restriction"]
    assert [a.target for a in lifts] == [{"restriction": restrict.id}]
    assert lifts[0].seq > restrict.seq
