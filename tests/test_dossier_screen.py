"""The dossier screen, pushed by a tiny app as the console will push it."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Select, Static, TextArea

from moderator.screens.dossier import DossierScreen
from moderator.screens.dossier_forms import CloseForm, DossierForm, HardcopyViewer
from moderator.services.dossier import add_event, get_incident
from tests.helpers_dossier import HOSTILE, add_staff, simulate_deletion


class DossierApp(App):
    def __init__(self, store, actor, incident_id=None):
        super().__init__()
        self.store, self.actor, self.incident_id = store, actor, incident_id

    def on_mount(self) -> None:
        self.push_screen(DossierScreen(self.store, self.actor, self.incident_id))


@pytest.fixture
def staff(school_store):
    return add_staff(school_store)


@pytest.fixture
def deletion(school_store, staff):
    return simulate_deletion(school_store, body="Ik weet waar je woont.")


def detail_text(app) -> str:
    return str(app.screen.query_one("#detail-body", Static).render())


def screen_text(app) -> str:
    """The text of every Static on the top screen, tables included."""
    import io

    from rich.console import Console

    out = io.StringIO()
    console = Console(width=200, file=out, color_system=None)
    for widget in app.screen.query(Static):
        console.print(widget.content)
    return out.getvalue()


def views(store) -> int:
    return store.scalar("SELECT COUNT(*) FROM access_log WHERE action = 'view'")


async def fill(pilot, text, **inputs):
    screen = pilot.app.screen
    for selector, value in inputs.items():
        widget = screen.query_one(f"#{selector}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            widget.value = value
    screen.query_one("#text", TextArea).text = text
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_opening_from_the_queue_shows_the_dossier_and_logs_the_view(school_store, staff, deletion):
    number = deletion["incident"].number
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = detail_text(app)
        assert number in shown and "Ouder Dirk" in shown and "Verwijdering" in shown
        assert deletion["sha256"][:16] in shown
        assert views(school_store) == 1
        await pilot.press("down", "up")  # moving the cursor is not a view
        assert views(school_store) == 1


async def test_teacher_records_the_talk_with_the_parent(school_store, staff, deletion):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, DossierForm)
        await fill(pilot, "Afgesproken: geen berichten meer over de juf.",
                   participants="Juf Anouk, Ouder Dirk", at="2026-11-24")
        assert isinstance(app.screen, DossierScreen)
        assert "Ouder gesproken" in detail_text(app)
        assert "Afgesproken: geen berichten" in detail_text(app)
    detail = get_incident(school_store, staff["carla"], deletion["incident"].id)
    assert detail.status == "parent_spoken"
    assert detail.events[0].participants == ("Juf Anouk", "Ouder Dirk")


async def test_teacher_cannot_escalate_or_close_and_sees_only_internal_measures(
        school_store, staff, deletion):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.check_action("escalate", ()) is False
        assert screen.check_action("close", ()) is False
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("m")
        await pilot.pause()
        options = [value for _, value in app.screen.query_one("#measure", Select)._options]
        assert "police_report" not in options and "warning" in options
    assert get_incident(school_store, staff["carla"], deletion["incident"].id).level == "internal"


async def test_director_escalates_to_the_police_and_exports(school_store, staff, deletion):
    app = DossierApp(school_store, staff["carla"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await fill(pilot, "Overleg met juf Anouk", participants="Juf Anouk, Directeur Carla")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#measure", Select).value == "police_report"
        await fill(pilot, "Melding bij de wijkagent", measure="police_report")
        assert "Geëscaleerd" in detail_text(app) and "extern" in detail_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert "Exports" in detail_text(app)
        exported = school_store.scalar("SELECT path FROM exports")
        full = str((school_store.archives / exported).resolve())
        assert any(full in str(n.message) for n in app._notifications)  # where to find it
    assert school_store.scalar("SELECT COUNT(*) FROM exports") == 1
    detail = get_incident(school_store, staff["carla"], deletion["incident"].id)
    assert (detail.status, detail.level) == ("escalated", "external")


async def test_closing_without_a_talk_asks_the_reason(school_store, staff, deletion):
    app = DossierApp(school_store, staff["carla"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CloseForm)
        app.screen.query_one("#outcome", TextArea).text = "Rustig geworden"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CloseForm)  # the reason is missing
        app.screen.query_one("#why", Input).value = "Ouder is verhuisd"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
        assert "Gesloten" in detail_text(app) and "Ouder is verhuisd" in detail_text(app)
        assert app.screen.check_action("escalate", ()) is None


async def test_a_correction_points_at_the_old_entry(school_store, staff, deletion):
    old = add_event(school_store, staff["anouk"], deletion["incident"].id, "note", "Dinsdag gebeld")
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        await fill(pilot, "Het was woensdag", refers=old.id)
        assert "gecorrigeerd in aantekening" in detail_text(app)
    events = get_incident(school_store, staff["anouk"], deletion["incident"].id).events
    assert [e.refers_to for e in events if e.kind == "correction"] == [old.id]


async def test_hard_copies_are_readable_inside_the_console(school_store, staff, deletion):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HardcopyViewer)
        texts = " ".join(str(s.render()) for s in app.screen.query(".hardcopy-text"))
        assert "Ik weet waar je woont." in texts
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)


async def test_filters_narrow_the_list(school_store, staff, deletion):
    simulate_deletion(school_store, item="post:p9", person_id="p2", group_id="g5", actor="bram")
    add_event(school_store, staff["carla"], deletion["incident"].id, "consultation", "Overleg")
    app = DossierApp(school_store, staff["carla"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#dossier-list", DataTable)
        assert table.row_count == 2
        app.screen.query_one("#f-status", Select).value = "consultation"
        await pilot.pause()
        assert table.row_count == 1
        app.screen.query_one("#f-status", Select).clear()
        app.screen.query_one("#f-person", Select).value = "p2"
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert "Ouder Eva" in detail_text(app)
        assert views(school_store) == 1


async def test_avg_reads_but_cannot_write(school_store, staff, deletion):
    app = DossierApp(school_store, staff["avg"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert deletion["incident"].number in detail_text(app)
        for action in ("note", "parent_conversation", "escalate", "close"):
            assert app.screen.check_action(action, ()) is False
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
    assert school_store.scalar("SELECT actor FROM access_log WHERE action = 'view'") == "avg"


async def test_hostile_portal_text_stays_text(school_store, staff):
    with school_store.write():
        school_store.execute("UPDATE people SET name = ? WHERE id = 'p1'", ("".join(HOSTILE),))
    deletion = simulate_deletion(school_store)
    add_event(school_store, staff["anouk"], deletion["incident"].id, "note", "\n".join(HOSTILE),
              participants=HOSTILE)
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = detail_text(app)
        assert "[bold red]x[/]" in shown and "[@click=app.quit]x[/]" in shown
        assert "<U+001B>" in shown and "\x1b" not in shown
        assert app.is_running


class PaletteApp(DossierApp):
    from moderator.commands import ScreenCommands

    COMMANDS = App.COMMANDS | {ScreenCommands}


async def test_actions_are_in_the_command_palette(school_store, staff, deletion):
    app = PaletteApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Gesprek ouder")
        from textual.widgets import OptionList

        for _ in range(100):  # the palette searches in a worker: wait for its hits
            await pilot.pause()
            if app.screen.query_one(OptionList).option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DossierForm) and app.screen.kind == "parent_conversation"


# -- what a new user found ------------------------------------------------------------------


async def test_entry_form_starts_in_the_first_field_and_tab_walks_the_fields(
        school_store, staff, deletion):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DossierForm)
        assert form.focused is form.query_one("#at", Input)
        await pilot.press("tab")
        assert form.focused is form.query_one("#participants", Input)
        await pilot.press("tab")
        assert form.focused is form.query_one("#text", TextArea)


async def test_a_future_date_keeps_the_form_open_with_the_message_and_the_text(
        school_store, staff, deletion):
    app = DossierApp(school_store, staff["anouk"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await fill(pilot, "Gesprek met vader gevoerd.", at="2027-01-01")
        form = app.screen
        assert isinstance(form, DossierForm)
        assert "toekomst" in str(form.query_one("#form-error", Static).render())
        assert form.query_one("#text", TextArea).text == "Gesprek met vader gevoerd."
        form.query_one("#text", TextArea).text = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierForm)
        assert "Schrijf op" in str(form.query_one("#form-error", Static).render())
        form.query_one("#at", Input).value = "2026-11-24"
        form.query_one("#text", TextArea).text = "Gesprek met vader gevoerd."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
    assert get_incident(school_store, staff["carla"], deletion["incident"].id).status \
        == "parent_spoken"


async def test_an_error_from_the_store_keeps_the_form_open(school_store, staff, deletion):
    app = DossierApp(school_store, staff["carla"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CloseForm)
        form.query_one("#outcome", TextArea).text = "Afgehandeld."
        form.query_one("#why", Input).value = "Ouder niet bereikbaar."
        # meanwhile someone else closes the dossier
        from moderator.services.dossier import close_incident

        close_incident(school_store, staff["carla"], deletion["incident"].id, "Al gedaan.",
                       "Elders afgehandeld.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "al gesloten" in str(form.query_one("#form-error", Static).render())
        assert form.query_one("#outcome", TextArea).text == "Afgehandeld."


@pytest.mark.parametrize("day", ["2026-11-25", "2026-11-24"])
async def test_the_timeline_follows_what_happened(school_store, staff, monkeypatch, day):
    monkeypatch.setenv("MODERATOR_NOW", f"{day}T23:11:00+01:00")
    found = simulate_deletion(school_store)
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-25T23:40:00+01:00")
    add_event(school_store, staff["carla"], found["incident"].id, "consultation",
              "Overleg over de bedreiging", at=day)
    add_event(school_store, staff["carla"], found["incident"].id, "note", "Later genoteerd")
    detail = get_incident(school_store, staff["carla"], found["incident"].id)
    assert [e.kind for e in detail.events] == ["deletion", "consultation", "note"]
    app = DossierApp(school_store, staff["carla"], found["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = detail_text(app)
        assert shown.index("Verwijdering") < shown.index("Overleg leerkracht") \
            < shown.index("Notitie")


async def test_dates_are_dutch_and_names_are_real_names(school_store, staff, deletion):
    app = DossierApp(school_store, staff["carla"], deletion["incident"].id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = detail_text(app)
        assert "25-11-2026 10:00" in shown and "2026-11-25" not in shown
        assert "door Juf Anouk" in shown and "door anouk" not in shown
        assert "Hard copies in het dossier" in shown and "Kopie" not in shown
        title = str(app.screen.query_one("#dossier-title", Static).render())
        assert "1 dossier gevonden" in title
        row = app.screen.query_one("#dossier-list", DataTable).get_row_at(0)
        assert "25-11-2026" in [str(c) for c in row]


async def test_question_mark_opens_help_and_the_footer_fits_at_100_columns(
        school_store, staff, deletion):
    from textual.widgets import Footer

    from moderator.screens.help import HelpScreen

    app = DossierApp(school_store, staff["carla"], deletion["incident"].id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        keys = {k.key: k for k in app.screen.query_one(Footer).query("FooterKey")}
        for key in ("s", "e", "h", "question_mark"):     # x, b and esc: in help
            assert key in keys, key
            assert keys[key].region.right <= 100 and keys[key].region.width > 0, key
        assert "Hard copies" in keys["h"].description
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Escaleren" in screen_text(app) and "Correctie" in screen_text(app)
