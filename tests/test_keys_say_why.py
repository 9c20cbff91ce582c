"""Keys that may not act say why, before anything is typed; the footer shows what the role
can do; End goes to the last dossier."""

from __future__ import annotations

import pytest
from helpers_console import actor, build
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from moderator.app import ModeratorApp
from moderator.screens.dossier import DossierScreen
from moderator.screens.modals import DismissModal
from moderator.screens.queue import QueueScreen
from moderator.services.dossier import close_incident
from moderator.store.flags import add_flag
from tests.helpers_dossier import add_staff, simulate_deletion
from tests.test_dossier_screen import DossierApp


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def staff(school_store):
    return add_staff(school_store)


@pytest.fixture
def deletion(school_store, staff):
    return simulate_deletion(school_store)


@pytest.mark.parametrize(("key", "why"), [
    ("s", "afsluiten doet de directie"), ("e", "Escaleren"), ("x", "Exporteren doet")])
async def test_a_teachers_director_keys_say_who_does_it(school_store, staff, deletion, key, why):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
        assert any(why in n for n in notes(app)), notes(app)


async def test_the_directors_footer_shows_escalate_and_the_teachers_does_not(
        school_store, staff, deletion):
    for who, shown in (("carla", True), ("anouk", False)):
        app = DossierApp(school_store, staff[who], deletion["incident"].id)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await pilot.pause(0.1)
            footer = {key.description for key in app.screen.query(FooterKey)}
            assert ("Escaleren" in footer) is shown, footer


@pytest.mark.parametrize("key", ["o", "c", "m", "e", "s"])
async def test_entry_keys_on_a_closed_dossier_say_it_is_closed(
        school_store, staff, deletion, key):
    close_incident(school_store, staff["carla"], deletion["incident"].id, "Afgehandeld.",
                   "Ouder niet bereikbaar.")
    app = DossierApp(school_store, staff["carla"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
        assert any("is afgesloten" in n and "notitie (n)" in n for n in notes(app)), notes(app)


async def test_keys_without_a_chosen_dossier_ask_to_choose_one(school_store, staff, deletion):
    app = DossierApp(school_store, staff["carla"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert any("Kies eerst een dossier" in n for n in notes(app))


async def test_end_goes_to_the_last_dossier(school_store, staff):
    for n in range(2):     # two people of the small school: two dossiers
        simulate_deletion(school_store, item=f"comment:c{n}", person_id=f"p{n + 1}")
    app = DossierApp(school_store, staff["carla"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#dossier-list", DataTable)
        table.focus()
        assert table.row_count >= 2 and table.cursor_row == 0
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_dismissing_a_report_about_ones_own_message_is_refused_before_the_note(
        fresh_store):
    store = build(fresh_store, accounts="fast")
    with store.write():
        store.execute("INSERT INTO posts (id, group_id, author_id, created_at, title, body)"
                      " VALUES ('P9', 'g3', 't3', '2026-11-24T20:00:00+01:00', 'Eigen',"
                      " 'Bericht van de juf zelf')")
        add_flag(store, "post:P9", "report", "threat", reporter_id="p1", report_id="R9")
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        screen.table.move_cursor(row=screen.table.get_row_index("post:P9"))
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, DismissModal)
        assert any("eigen bericht" in n for n in notes(app))
        screen.table.move_cursor(row=screen.table.get_row_index("post:P3"))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DismissModal)      # someone else's: the dialog opens
