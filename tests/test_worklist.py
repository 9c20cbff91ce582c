"""Worklists per role, from the store and from ``moderator due``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers_import import sample_records

from moderator.cli import main
from moderator.errors import PermissionDenied
from moderator.services import measures, scanning
from moderator.services.dossier import add_event, close_incident
from moderator.services.importing import import_records
from moderator.services.worklist import worklist
from moderator.store.accounts import actor_for
from tests.helpers_dossier import PASSWORD, add_staff, simulate_deletion
from tests.test_queue_due import reports

HOSTILE_NAME = "Ouder [bold]Dirk[/] [@click=app.quit]x\x1b[31m\u202e"


@pytest.fixture(autouse=True)
def _no_rule_scan(monkeypatch):
    monkeypatch.setattr(scanning, "scan_items", lambda store, items, **kwargs: 0)


@pytest.fixture
def world(fresh_store, monkeypatch):
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-29T12:00:00+01:00")
    records = [r for r in sample_records() if r["type"] != "report"] + reports()
    import_records(fresh_store, enumerate(records, 1), source="t")
    add_staff(fresh_store)
    with fresh_store.write():
        fresh_store.execute("UPDATE people SET name = ? WHERE id = 'p1'", (HOSTILE_NAME,))
    simulate_deletion(fresh_store, item="comment:c1")           # a threat by p1 in g3
    return fresh_store


def sections(found) -> dict[str, list[str]]:
    return {s.key: [i.subject for i in s.items] for s in found.sections}


def test_director_sees_new_dossier_overdue_threat_and_what_follows(world):
    carla = actor_for(world, "carla")
    found = sections(worklist(world, carla))
    assert found["overdue"] == ["comment:k2"]
    assert found["new"] == ["INC-2026-0001"] and found["escalation"] == ["INC-2026-0001"]
    assert found["close"] == [] and found["measures"] == []
    add_event(world, carla, "INC-2026-0001", "parent_conversation", "Gesproken.")
    measures.record_measure(world, carla, "INC-2026-0001", "read_only", "Alleen lezen.",
                            ends_on="2026-12-04")
    found = sections(worklist(world, carla))
    assert found["new"] == [] and found["close"] == ["INC-2026-0001"]
    assert found["measures"] == ["INC-2026-0001"]
    world.execute("UPDATE incidents SET level = 'external' WHERE number = 'INC-2026-0001'")
    assert sections(worklist(world, carla))["escalation"] == []


def test_teacher_sees_her_groups_only(world):
    anouk, bram = actor_for(world, "anouk"), actor_for(world, "bram")
    found = sections(worklist(world, anouk))
    assert found == {"overdue": ["comment:k2"], "dossiers": ["INC-2026-0001"], "held": []}
    assert sections(worklist(world, bram)) == {"overdue": [], "dossiers": [], "held": []}


def test_avg_sees_expired_retention_terms(world, monkeypatch):
    carla = actor_for(world, "carla")
    close_incident(world, carla, "INC-2026-0001", "Afgerond.", "Ouder niet bereikbaar.")
    avg = actor_for(world, "avg")
    assert sections(worklist(world, avg)) == {"retention": []}
    monkeypatch.setenv("MODERATOR_NOW", "2029-01-05T09:00:00+01:00")
    assert sections(worklist(world, avg)) == {"retention": ["INC-2026-0001"]}


def test_a_school_admin_has_no_worklist(world):
    with pytest.raises(PermissionDenied):
        worklist(world, actor_for(world, "carla").__class__(
            username="x", role="school_admin", person_id=None, school_id="s1", name="x"))


def run(world, *args):
    return CliRunner().invoke(main, ["--db", str(world.path), *args],
                              env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)


def test_due_prints_plain_clean_lines_and_json(world):
    result = run(world, "due", "--user", "carla")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Over de termijn (1)" in out and "comment:k2  Bedreiging in Groep 3" in out
    assert "Nieuwe dossiers (1)" in out
    assert "INC-2026-0001  Ouder [bold]Dirk[/] [@click=app.quit]x<U+001B>[31m<U+202E>" in out
    assert "\x1b" not in out and "\u202e" not in out
    data = json.loads(run(world, "due", "--user", "carla", "--json").output)
    assert {s["key"]: s["total"] for s in data["sections"]}["new"] == 1
    assert run(world, "due", "--user", "bram", "--quiet").output == ""
    assert "Niets dat op u wacht." in run(world, "due", "--user", "bram").output
