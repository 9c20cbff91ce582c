"""Dates as a Dutch school user types them: in the dossier forms, the dossier list's filter,
the dossier service and the audit log's period (the clock is pinned at 25-11-2026 10:00)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from moderator.errors import UsageError
from moderator.screens.dossier import DossierScreen
from moderator.screens.dossier_forms import DossierForm
from moderator.services import audit_log
from moderator.services.dossier import get_incident, list_incidents, parse_at
from tests.helpers_dossier import add_staff, simulate_deletion
from tests.test_dossier_screen import DossierApp

TYPED = [
    ("24-11-2026", "2026-11-24"),
    ("24-11", "2026-11-24"),
    ("2-11-2026", "2026-11-02"),
    ("24/11/26", "2026-11-24"),
    ("gisteren", "2026-11-24"),
    ("gisteren 14:00", "2026-11-24T14:00:00+01:00"),
    ("24-11-2026 9:30", "2026-11-24T09:30:00+01:00"),
    ("vandaag", "2026-11-25T10:00:00+01:00"),
    ("nu", "2026-11-25T10:00:00+01:00"),
    ("Vandaag 08:15", "2026-11-25T08:15:00+01:00"),
    ("2026-11-24", "2026-11-24"),
    ("2026-11-24T09:30", "2026-11-24T09:30:00+01:00"),
]

WRONG = ["31-02-2026", "morgen", "24-13-2026", "gisteren 25:00", "1-12-2026 T14"]


@pytest.fixture
def staff(school_store):
    return add_staff(school_store)


@pytest.fixture
def deletion(school_store, staff):
    return simulate_deletion(school_store)


@pytest.mark.parametrize(("typed", "stored"), TYPED)
def test_the_service_reads_dutch_dates(typed, stored):
    assert parse_at(typed) == stored


@pytest.mark.parametrize("typed", WRONG)
def test_a_date_not_understood_names_the_accepted_forms(typed):
    with pytest.raises(UsageError) as raised:
        parse_at(typed)
    message = str(raised.value)
    assert "02-12-2026" in message and "gisteren 14:00" in message and "vandaag" in message
    assert "JJJJ" not in message and "T" not in message.replace("'" + typed + "'", "")


@pytest.mark.parametrize("typed", ["26-11-2026", "morgen 9:00".replace("morgen", "26-11"),
                                   "vandaag 23:00"])
def test_a_date_in_the_future_is_refused_in_dutch_date_form(typed):
    with pytest.raises(UsageError, match="toekomst") as raised:
        parse_at(typed)
    assert "-11-2026" in str(raised.value) and "2026-11" not in str(raised.value)


@pytest.mark.parametrize(("typed", "stored"), TYPED)
async def test_the_entry_form_takes_each_typed_form(school_store, staff, deletion, typed, stored):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DossierForm)
        # the form offers today in the form every date on screen has
        assert form.query_one("#at", Input).value == "25-11-2026"
        form.query_one("#at", Input).value = typed
        form.query_one("#text", TextArea).text = "Overleg met de directie."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen), str(
            form.query_one("#form-error", Static).render())
    events = get_incident(school_store, staff["carla"], deletion["incident"].id).events
    assert [e.at for e in events if e.kind == "consultation"] == [stored]


async def test_a_second_wrong_date_is_selected_again_so_the_retype_replaces_it(
        school_store, staff, deletion):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        field = form.query_one("#at", Input)
        form.query_one("#text", TextArea).text = "Overleg."
        field.value = "31-02-2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#form-error", Static).render())
        assert "Onbekende datum '31-02-2026'" in error and "gisteren 14:00" in error
        assert form.focused is field
        await pilot.press(*"32-1")          # replaces the selected text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field.value == "32-1"
        assert app.screen is form and form.focused is field
        await pilot.press(*"gisteren")      # the second error selected it again
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
    events = get_incident(school_store, staff["carla"], deletion["incident"].id).events
    assert [e.at for e in events if e.kind == "consultation"] == ["2026-11-24"]


async def test_the_dossier_list_filter_takes_a_dutch_date_and_keeps_a_wrong_one_selected(
        school_store, staff, deletion):
    app = DossierApp(school_store, staff["carla"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        field = screen.query_one("#f-since", Input)
        field.focus()
        field.value = "26-11"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.summaries == []
        field.focus()
        field.value = "gisteren"
        await pilot.press("enter")
        await pilot.pause()
        assert [s.number for s in screen.summaries] == [deletion["incident"].number]
        field.focus()
        field.value = "2026-13-01"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is field and field.selected_text == "2026-13-01"
        assert any("onbekende datum" in str(n.message) for n in app._notifications)


def test_the_dossier_list_and_the_audit_log_read_dutch_periods(school_store, staff, deletion):
    carla, avg = staff["carla"], staff["avg"]
    assert [s.number for s in list_incidents(school_store, carla, since="25-11-2026")] \
        == [deletion["incident"].number]
    assert list_incidents(school_store, carla, until="24-11") == []
    assert audit_log.read_audit_log(school_store, avg, since="vandaag")
    assert audit_log.read_audit_log(school_store, avg, until="gisteren 23:59") == []
    assert audit_log.read_audit_log(school_store, avg, since="vandaag 09:00",
                                    until="25-11-2026 10:01")  # until: before that moment
    with pytest.raises(UsageError, match="vanaf: onbekende datum 'eergisteravond'"):
        audit_log.read_audit_log(school_store, avg, since="eergisteravond")
    with pytest.raises(UsageError, match="onbekende datum"):
        list_incidents(school_store, carla, since="1-1-1-1")
