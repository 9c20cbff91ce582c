"""The dossier service and its store: visibility, timeline entries, escalation rules, closure."""

from __future__ import annotations

import sqlite3

import pytest

from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.services.dossier import (
    add_event,
    close_incident,
    escalate,
    get_incident,
    incidents_for_person,
    list_incidents,
)
from moderator.store import audit
from tests.helpers_dossier import add_staff, simulate_deletion


@pytest.fixture
def staff(school_store):
    return add_staff(school_store)


@pytest.fixture
def incident(school_store, staff):
    return simulate_deletion(school_store)["incident"]


def access(store, action="view"):
    return store.rows("SELECT actor, incident_id FROM access_log WHERE action = ?", (action,))


def test_teacher_sees_incidents_of_her_groups_only(school_store, staff, incident):
    other = simulate_deletion(school_store, item="post:x", person_id="p2", group_id="g5",
                              actor="bram")["incident"]
    anouk = [i.number for i in list_incidents(school_store, staff["anouk"])]
    bram = [i.number for i in list_incidents(school_store, staff["bram"])]
    carla = [i.number for i in list_incidents(school_store, staff["carla"])]
    assert anouk == [incident.number]
    assert bram == [other.number]
    assert sorted(carla) == sorted([incident.number, other.number])
    with pytest.raises(PermissionDenied):
        get_incident(school_store, staff["bram"], incident.id)


def test_director_of_another_school_sees_nothing(school_store, staff, incident):
    with school_store.write():
        school_store.execute("INSERT INTO schools (id, name) VALUES ('s2', 'De Eik')")
        school_store.execute("INSERT INTO people (id, school_id, name, role) VALUES ('d2', 's2', 'Dir Eik', 'director')")
    from moderator.services.accounts import add_account
    from moderator.store.accounts import actor_for
    add_account(school_store, "eik", "geheim1", person_id="d2")
    eik = actor_for(school_store, "eik")
    assert list_incidents(school_store, eik) == []
    with pytest.raises(PermissionDenied):
        get_incident(school_store, eik, incident.number)


def test_every_view_is_written_to_the_access_log(school_store, staff, incident):
    detail = get_incident(school_store, staff["anouk"], incident.number)
    assert detail.number == incident.number and len(detail.hardcopies) == 1
    assert [tuple(r) for r in access(school_store)] == [("anouk", incident.id)]
    get_incident(school_store, staff["anouk"], incident.id, log_view=False)
    assert len(access(school_store)) == 1


def test_avg_reads_every_school_read_only_and_every_read_is_logged(school_store, staff, incident):
    avg = staff["avg"]
    assert [i.number for i in list_incidents(school_store, avg)] == [incident.number]
    assert len(access(school_store, "list")) == 1
    get_incident(school_store, avg, incident.id)
    assert [tuple(r) for r in access(school_store)] == [("avg", incident.id)]
    with pytest.raises(PermissionDenied, match="alleen"):
        add_event(school_store, avg, incident.id, "note", "mag niet")
    with pytest.raises(PermissionDenied):
        close_incident(school_store, avg, incident.id, "klaar", "geen reden")


def test_the_talk_with_the_parent_moves_the_status_and_is_audited(school_store, staff, incident):
    event = add_event(school_store, staff["anouk"], incident.id, "parent_conversation",
                      "Gesproken over de toon; afgesproken dat het niet weer gebeurt.",
                      participants="Juf Anouk, Ouder Dirk", at="2026-11-24")
    assert event.participants == ("Juf Anouk", "Ouder Dirk")
    assert event.at == "2026-11-24" and event.author_name == "Juf Anouk"
    detail = get_incident(school_store, staff["carla"], incident.id)
    assert detail.status == "parent_spoken"
    assert [e.kind for e in detail.events] == ["parent_conversation", "deletion"]
    entry = audit.entries(school_store, action="incident.parent_conversation")[0]
    assert entry.subject == f"incident:{incident.number}"
    assert "toon" not in str(entry.detail)  # no free text in the hash chain
    assert audit.verify_chain(school_store) == []


def test_status_moves_forward_with_the_entries(school_store, staff, incident):
    carla = staff["carla"]
    add_event(school_store, carla, incident.id, "consultation", "Overleg", participants=["Anouk", "Carla"])
    assert get_incident(school_store, carla, incident.id).status == "consultation"
    add_event(school_store, carla, incident.id, "measure", "Waarschuwing gegeven", measure="warning")
    summary = get_incident(school_store, carla, incident.id)
    assert (summary.status, summary.level) == ("measure", "internal")
    add_event(school_store, carla, incident.id, "consultation", "Nog eens overleg")
    assert get_incident(school_store, carla, incident.id).status == "measure"  # never back
    escalate(school_store, carla, incident.id, "police_report", "Aangifte gedaan")
    summary = get_incident(school_store, carla, incident.id)
    assert (summary.status, summary.level) == ("escalated", "external")


def test_teacher_may_take_internal_measures_but_not_external(school_store, staff, incident):
    anouk = staff["anouk"]
    add_event(school_store, anouk, incident.id, "measure", "Reageren uit", measure="comments_off")
    for kind in ("measure", "escalation"):
        with pytest.raises(PermissionDenied, match="Alleen de directie"):
            add_event(school_store, anouk, incident.id, kind, "Aangifte", measure="police_report")
    detail = get_incident(school_store, staff["carla"], incident.id)
    assert (detail.status, detail.level) == ("measure", "internal")
    assert [e.measure for e in detail.events if e.kind == "measure"] == ["comments_off"]


@pytest.mark.parametrize("kind, measure, message", [
    ("escalation", "warning", "externe maatregel"),
    ("measure", None, "kies een maatregel"),
    ("measure", "jail", "onbekende maatregel"),
    ("note", "warning", "geen maatregel"),
    ("closure", None, "close"),
    ("deletion", None, "onbekende soort"),
])
def test_entries_with_the_wrong_measure_are_refused(school_store, staff, incident, kind, measure, message):
    with pytest.raises(UsageError, match=message):
        add_event(school_store, staff["carla"], incident.id, kind, "tekst", measure=measure)
    assert get_incident(school_store, staff["carla"], incident.id).n_events == 1


@pytest.mark.parametrize("at", ["2027-01-01", "morgen", "2026-13-01"])
def test_dates_in_the_future_or_unreadable_are_refused(school_store, staff, incident, at):
    with pytest.raises(UsageError):
        add_event(school_store, staff["anouk"], incident.id, "note", "x", at=at)


def test_empty_text_is_refused(school_store, staff, incident):
    with pytest.raises(UsageError, match="leeg"):
        add_event(school_store, staff["anouk"], incident.id, "note", "   ")


def test_entries_are_append_only_and_corrections_refer_to_them(school_store, staff, incident):
    anouk = staff["anouk"]
    wrong = add_event(school_store, anouk, incident.id, "note", "Gesprek op dinsdag")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        school_store.execute("UPDATE incident_events SET text = 'x' WHERE id = ?", (wrong.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        school_store.execute("DELETE FROM incident_events WHERE id = ?", (wrong.id,))
    with pytest.raises(UsageError, match="refers-to"):
        add_event(school_store, anouk, incident.id, "correction", "Was woensdag")
    fix = add_event(school_store, anouk, incident.id, "correction", "Was woensdag", refers_to=wrong.id)
    assert fix.refers_to == wrong.id
    events = {e.id: e for e in get_incident(school_store, anouk, incident.id).events}
    assert events[wrong.id].corrected_by == (fix.id,)
    assert events[wrong.id].text == "Gesprek op dinsdag"


def test_a_correction_cannot_point_into_another_dossier(school_store, staff, incident):
    other = simulate_deletion(school_store, item="post:y", person_id="p2")["incident"]
    note = add_event(school_store, staff["carla"], other.id, "note", "x")
    with pytest.raises(NotFound):
        add_event(school_store, staff["carla"], incident.id, "correction", "y", refers_to=note.id)


def test_no_settings_row_switches_the_append_only_entries_off(school_store, staff, incident):
    """The old escape (settings 'destroying' = incident id) opens nothing any more: text
    is never updated, and entries go only with a destruction record."""
    with school_store.write():
        school_store.execute("INSERT INTO settings (key, value) VALUES ('destroying', ?)",
                             (str(incident.id),))
    with pytest.raises(sqlite3.IntegrityError):
        school_store.execute("UPDATE incident_events SET text = 'vervalst' WHERE incident_id = ?",
                             (incident.id,))
    with pytest.raises(sqlite3.IntegrityError):
        school_store.execute("DELETE FROM incident_events WHERE incident_id = ?", (incident.id,))
    assert school_store.scalar("SELECT COUNT(*) FROM incident_events WHERE incident_id = ?",
                               (incident.id,)) > 0


def test_closing_needs_a_talk_with_the_parent_or_the_directors_reason(school_store, staff, incident):
    carla = staff["carla"]
    with pytest.raises(UsageError, match="gesprek met de ouder"):
        close_incident(school_store, carla, incident.id, "Opgelost")
    closed = close_incident(school_store, carla, incident.id, "Opgelost",
                            reason_without_conversation="Ouder niet bereikbaar; verhuisd.")
    assert closed.status == "closed"
    closure = get_incident(school_store, carla, incident.id).events[-1]
    assert closure.kind == "closure"
    assert closure.detail["without_conversation"] == "Ouder niet bereikbaar; verhuisd."


def test_closing_sets_the_retention_date_from_the_setting(school_store, staff, incident):
    carla = staff["carla"]
    add_event(school_store, staff["anouk"], incident.id, "parent_conversation", "Gesprek")
    with school_store.write():
        school_store.execute("INSERT INTO settings VALUES ('retention_years', '5')")
    closed = close_incident(school_store, carla, incident.id, "Afspraken nagekomen")
    assert closed.closed_at == "2026-11-25T10:00:00+01:00"
    assert closed.retention_until == "2031-11-25T10:00:00+01:00"
    assert closed.outcome == "Afspraken nagekomen"
    with pytest.raises(Conflict):
        add_event(school_store, carla, incident.id, "measure", "x", measure="warning")
    add_event(school_store, carla, incident.id, "note", "Na afsluiting nog gebeld")
    assert get_incident(school_store, carla, incident.id).status == "closed"
    with pytest.raises(Conflict):
        close_incident(school_store, carla, incident.id, "Nog eens")


def test_default_retention_is_two_years(school_store, staff, incident):
    add_event(school_store, staff["anouk"], incident.id, "parent_conversation", "Gesprek")
    closed = close_incident(school_store, staff["carla"], incident.id, "Klaar")
    assert closed.retention_until.startswith("2028-11-25")


def test_only_the_director_closes(school_store, staff, incident):
    add_event(school_store, staff["anouk"], incident.id, "parent_conversation", "Gesprek")
    with pytest.raises(PermissionDenied, match="directie"):
        close_incident(school_store, staff["anouk"], incident.id, "Klaar")


def test_a_new_deletion_after_closure_opens_a_new_incident(school_store, staff, incident):
    add_event(school_store, staff["anouk"], incident.id, "parent_conversation", "Gesprek")
    close_incident(school_store, staff["carla"], incident.id, "Klaar")
    again = simulate_deletion(school_store, item="comment:c9")["incident"]
    assert again.created and again.number != incident.number
    numbers = [i.number for i in incidents_for_person(school_store, staff["carla"], "p1")]
    assert sorted(numbers) == sorted([incident.number, again.number])


def test_filters(school_store, staff, incident):
    other = simulate_deletion(school_store, item="post:y", person_id="p2", group_id="g5")["incident"]
    carla = staff["carla"]
    add_event(school_store, carla, other.id, "consultation", "Overleg")
    assert [i.number for i in list_incidents(school_store, carla, status="consultation")] == [other.number]
    assert [i.number for i in list_incidents(school_store, carla, group_id="g3")] == [incident.number]
    assert [i.number for i in list_incidents(school_store, carla, person_id="p2")] == [other.number]
    assert len(list_incidents(school_store, carla, since="2026-11-25", until="2026-11-25")) == 2
    assert list_incidents(school_store, carla, until="2026-11-24") == []
    with pytest.raises(UsageError):
        list_incidents(school_store, carla, status="weg")
    with pytest.raises(UsageError, match="onbekende datum"):
        list_incidents(school_store, carla, since="gisteravond")


def test_hostile_text_is_stored_as_text_with_controls_made_visible(school_store, staff, incident):
    event = add_event(school_store, staff["anouk"], incident.id, "note",
                      "[bold red]x[/] \x1b[2J \u202e <font size=300>", participants=["\x1b]0;pwned\x07"])
    assert "\x1b" not in event.text and "<U+001B>" in event.text
    assert "[bold red]x[/]" in event.text and "<font size=300>" in event.text
    assert "\x07" not in event.participants[0]
