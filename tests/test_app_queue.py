"""The queue screen: what each role sees, every action, filters, hostile text, two sessions."""

from __future__ import annotations

import pytest
from helpers_console import actor, build
from rich.text import Text

from moderator.app import ModeratorApp
from moderator.screens.help import HelpScreen
from moderator.screens.modals import DeleteModal, DismissModal
from moderator.screens.queue import QueueScreen
from moderator.store import Store
from moderator.widgets.preview import highlighted


@pytest.fixture
def store(fresh_store):
    return build(fresh_store, accounts="fast")


async def open_queue(app, pilot) -> QueueScreen:
    await pilot.pause()
    await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, QueueScreen)
    return screen


def rows(screen: QueueScreen) -> list[str]:
    return [e.item for e in screen.table.entries]


def count_label(screen: QueueScreen) -> str:
    return str(screen.query_one("#queue-count").render())


def preview_text(screen: QueueScreen) -> str:
    return str(screen.query_one("#preview-body").render())


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_teacher_sees_only_their_groups_director_the_school(store):
    for username, expected in (("anouk", 3), ("carla", 6)):
        app = ModeratorApp(store, actor=actor(store, username))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_queue(app, pilot)
            assert screen.table.row_count == expected
            assert count_label(screen) == f"{expected} van {expected} meldingen"
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        assert {e.group_id for e in screen.table.entries} == {"g3"}


async def test_rows_ordered_by_severity_then_age(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        assert rows(screen) == ["post:P1", "post:P4", "post:P2", "comment:C1", "post:P3",
                                "post:P5"]
        first = screen.table.get_row("post:P1")
        assert "Bedreiging" in str(first[2]) and "Groep 3" in str(first[3])


async def test_delete_makes_a_hard_copy_and_the_row_leaves(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        assert screen.table.current.item == "post:P1"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteModal)
        await pilot.press("tab", *"dreigement", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert "post:P1" not in rows(screen)
        assert count_label(screen) == "2 van 2 meldingen"
        assert any("INC-2026-0001" in n for n in notes(app))
    copy = store.row("SELECT path, reason, note FROM hardcopies WHERE item = 'post:P1'")
    assert (copy["reason"], copy["note"]) == ("threat", "dreigement")
    assert (store.archives / copy["path"]).is_file()


async def test_delete_dialog_cancel_deletes_nothing(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert len(rows(screen)) == 3
    assert store.scalar("SELECT count(*) FROM hardcopies") == 0


async def test_multi_select_deletes_together(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("space", "down", "space")      # P1 and P2 (P4 skipped)
        await pilot.pause()
        assert screen.table.selected == {"post:P1", "post:P2"}
        assert "2 gekozen" in count_label(screen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteModal)
        assert len(app.screen.entries) == 2
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(screen) == ["post:P4", "comment:C1", "post:P3", "post:P5"]
        assert screen.table.selected == set()
    assert store.scalar("SELECT count(*) FROM hardcopies") == 2


async def test_dismiss_needs_a_note_and_closes_the_flags(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("down", "down")                 # P3, the bicycle
        assert screen.table.current.item == "post:P3"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DismissModal)
        await pilot.press("enter")                         # empty note: refused
        await pilot.pause()
        assert isinstance(app.screen, DismissModal)
        await pilot.press(*"tweedehands binnen de klas mag", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert rows(screen) == ["post:P1", "post:P2"]
    assert store.scalar("SELECT status FROM flags WHERE item = 'post:P3'") == "dismissed"
    assert store.scalar("SELECT count(*) FROM hardcopies") == 0


async def test_comments_off_on_the_post_of_a_comment(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("down", "down", "down")
        await pilot.pause(0.2)
        assert screen.table.current.item == "comment:C1"
        await pilot.press("c")
        await pilot.pause()
        assert store.scalar("SELECT comments_enabled FROM posts WHERE id = 'P4'") == 0
        assert any("staan uit" in n for n in notes(app))
        await pilot.press("up", "up")
        await pilot.pause(0.2)
        assert screen.table.current.item == "post:P4"
        assert "reacties: uit" in preview_text(screen)


@pytest.mark.parametrize(("selector", "value", "expected"), [
    ("#f-group", "g5", ["post:P4", "comment:C1"]),
    ("#f-reason", "abuse", ["post:P2", "comment:C1"]),
    ("#f-source", "rule", ["post:P1", "comment:C1", "post:P3"]),
])
async def test_filters(store, selector, value, expected):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        screen.query_one(selector).value = value
        await pilot.pause()
        assert rows(screen) == expected
        assert count_label(screen) == f"{len(expected)} van 6 meldingen"


async def test_search_with_the_keyboard(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("slash", *"fiets", "enter")
        await pilot.pause()
        assert rows(screen) == ["post:P3"]
        assert count_label(screen) == "1 van 6 meldingen"
        assert app.focused is screen.table
        await pilot.pause(0.2)
        assert "Te koop" in preview_text(screen)


async def test_preview_shows_flags_evidence_context_media_and_consent(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        shown = preview_text(screen)
        assert "Wie dat doet krijgt klappen" in shown
        assert "Dit is echt bedreigend [@click=app.quit]stop[/]" in shown   # reporter note
        assert "Ouder Eva" in shown                                          # reporter
        await pilot.press("down")
        await pilot.pause(0.2)
        shown = preview_text(screen)
        assert "zwembad.jpg" in shown
        assert "Kim: toestemming" in shown and "Lars: GEEN toestemming" in shown
        assert "Wat een sukkel ben jij" in shown                             # the thread


def test_evidence_highlight_survives_cleaning():
    raw = "a\x1b\u202eb zeg klappen nu"
    start = raw.index("klappen")
    shown = highlighted(raw, [(start, start + 7)])
    assert shown.plain == "a<U+001B><U+202E>b zeg klappen nu"
    styled = [shown.plain[s.start:s.end] for s in shown.spans if "reverse" in str(s.style)]
    assert styled == ["klappen"]


async def test_hostile_text_is_shown_literally_and_clicking_it_does_nothing(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("down")
        await pilot.pause(0.2)
        assert screen.table.current.item == "post:P2"
        shown = preview_text(screen)
        assert "[bold red]x[/] [@click=app.quit]klik[/]" in shown
        assert "<U+001B>[2J<U+001B>]0;pwned<U+0007>" in shown and "<U+202E>" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        author = screen.table.get_row("post:P2")[4]
        assert isinstance(author, Text) and author.plain.startswith("[@click=app")
        body = screen.query_one("#preview-body")
        lines = shown.splitlines()
        for y in (1, 5):              # the author line and the body (below deadline and holder)
            assert "[@click=app.quit]" in lines[y]
            for x in range(0, 44, 3):                     # covers every 4-letter word
                await pilot.click(body, offset=(x, y))
        for x in range(60, 99, 4):                        # the excerpt column
            await pilot.click(screen.table, offset=(x, 2))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert isinstance(app.screen, QueueScreen)


async def test_a_change_in_another_session_shows_without_restart(store, monkeypatch):
    monkeypatch.setattr(QueueScreen, "POLL_SECONDS", 0.1)
    from moderator.services.moderation import dismiss

    other = Store(store.path, store.archives)
    try:
        app = ModeratorApp(store, actor=actor(store, "carla"))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_queue(app, pilot)
            assert len(rows(screen)) == 6
            dismiss(other, actor(other, "carla"), "post:P5", "elders beoordeeld")
            await pilot.pause(0.4)
            assert "post:P5" not in rows(screen)
            assert count_label(screen) == "5 van 5 meldingen"
    finally:
        other.close()


async def test_an_item_handled_elsewhere_gives_a_clear_message(store, monkeypatch):
    # The key must reach the screen before the periodic check notices the change; on a
    # loaded machine the deletion below can take longer than the poll interval.
    monkeypatch.setattr(QueueScreen, "POLL_SECONDS", 3600.0)
    from moderator.services.deletion import delete_item

    other = Store(store.path, store.archives)
    try:
        app = ModeratorApp(store, actor=actor(store, "anouk"))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_queue(app, pilot)
            assert screen.table.current.item == "post:P1"
            delete_item(other, "post:P1", "threat", actor(other, "carla"))
            await pilot.press("x")                        # before the periodic check
            await pilot.pause()
            assert isinstance(app.screen, QueueScreen)   # no dialog for a gone item
            assert any("elders afgehandeld" in n for n in notes(app))
            assert "post:P1" not in rows(screen)
            await pilot.press("d")                        # now on the next row: works
            await pilot.pause()
            assert isinstance(app.screen, DeleteModal)
    finally:
        other.close()


async def test_help_screen_lists_the_keys(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = app.export_screenshot()
        for label in ("Verwijder", "Afwijzen", "Reacties", "Kies", "Dossier", "Zoek"):
            assert label in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_command_palette_runs_screen_actions(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Afwijzen")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DismissModal)


async def test_every_binding_has_an_id_and_a_description():
    from moderator.screens.login import LoginScreen
    from moderator.screens.notice import NoticeScreen
    from moderator.widgets.queue_table import QueueTable

    for cls in (QueueScreen, LoginScreen, DeleteModal, DismissModal, HelpScreen, NoticeScreen,
                QueueTable, ModeratorApp):
        for binding in cls.BINDINGS:
            assert binding.id and binding.description, (cls.__name__, binding.key)


async def test_paging_appends_rows_as_the_cursor_nears_the_end(store):
    from moderator.store.flags import add_flag

    with store.write():
        store.executemany(
            "INSERT INTO posts (id, group_id, author_id, created_at, body) VALUES (?, 'g3', 'p1',"
            " '2026-11-01T09:00:00+01:00', 'nog een fiets te koop')",
            [(f"X{i:03d}",) for i in range(60)])
        for i in range(60):
            add_flag(store, f"post:X{i:03d}", "rule", "commercial")
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        screen.table.page_size = 20
        screen.table.reload()
        assert screen.table.row_count == 20
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert screen.table.row_count == 20               # far from the end: nothing read
        await pilot.press(*["down"] * 6)
        await pilot.pause()
        assert screen.table.row_count == 40               # near the end: next page
        for _ in range(3):
            await pilot.press("end")
            await pilot.pause()
        assert screen.table.row_count == 63
        assert len(set(rows(screen))) == 63
        assert count_label(screen) == "63 van 63 meldingen"


async def test_open_the_authors_incident(store):
    from moderator.services.deletion import delete_item

    delete_item(store, "post:P1", "threat", actor(store, "carla"))   # p1 now has an incident
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        assert screen.table.current.item == "post:P4"          # by p2: no incident yet
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is screen
        assert any("nog geen incident" in n for n in notes(app))
        await pilot.press("end")                               # P5, by p1
        await pilot.pause(0.2)
        assert screen.table.current.item == "post:P5"
        assert "INC-2026-0001" in preview_text(screen)         # earlier incidents
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "DossierScreen"


async def test_deleted_elsewhere_while_the_dialog_was_open(store):
    from moderator.services.deletion import delete_item

    other = Store(store.path, store.archives)
    try:
        app = ModeratorApp(store, actor=actor(store, "anouk"))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_queue(app, pilot)
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DeleteModal)
            delete_item(other, "post:P1", "threat", actor(other, "carla"))
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, QueueScreen)
            assert any("niet verwijderd" in n and "al elders afgehandeld" in n
                       for n in notes(app))
            assert "post:P1" not in rows(screen)
    finally:
        other.close()
    assert store.scalar("SELECT count(*) FROM hardcopies WHERE item = 'post:P1'") == 1


async def test_large_queue_counts_in_the_background(store, monkeypatch):
    from moderator.screens import queue as queue_screen

    monkeypatch.setattr(queue_screen, "SYNC_COUNT_LIMIT", 0)
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        screen.query_one("#f-group").value = "g5"
        await pilot.pause()
        assert rows(screen) == ["post:P4", "comment:C1"]
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert count_label(screen) == "2 van 6 meldingen"


async def test_after_deleting_the_last_item_the_dossier_list_is_one_key_away(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "post:P1" not in rows(screen)
        done = next(n for n in notes(app) if "verwijderd" in n)
        assert "INC-2026-0001" in done and "met D" in done
        path = store.scalar("SELECT path FROM hardcopies WHERE item = 'post:P1'")
        assert str((store.archives / path).resolve()) in done        # the full path
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "DossierScreen"
        assert "INC-2026-0001" in app.export_screenshot()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_selected_items_with_different_reasons_each_keep_their_own(store):
    from moderator.screens.modals import OWN

    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("space", "space")                          # P1 threat, P2 abuse
        assert screen.table.selected == {"post:P1", "post:P2"}
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DeleteModal)
        assert dialog.query_one("#reason").value == OWN
        listed = str(dialog.query_one("#items").render())
        assert "→ Bedreiging" in listed and "→ Schelden of beledigen" in listed
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    got = {r["item"]: r["reason"] for r in store.rows("SELECT item, reason FROM hardcopies")}
    assert got == {"post:P1": "threat", "post:P2": "abuse"}


async def test_one_reason_for_all_only_when_chosen(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("space", "space")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#reason").value = "negative"
        await pilot.pause()
        listed = str(dialog.query_one("#items").render())
        assert listed.count("→ Negatief of schadelijk") == 2
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.table.selected == set()
    reasons = {r["reason"] for r in store.rows("SELECT reason FROM hardcopies")}
    assert reasons == {"negative"}


async def test_items_with_the_same_reason_get_the_plain_reason_list(store):
    from moderator.screens.modals import OWN

    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        screen.query_one("#f-reason").value = "abuse"
        await pilot.pause()
        await pilot.press("space", "space", "d")
        await pilot.pause()
        select = app.screen.query_one("#reason")
        assert select.value == "abuse"
        assert OWN not in [value for _, value in select._options]


async def test_palette_and_footer_speak_dutch(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Thema" in titles and "Schermafdruk" in titles
        assert not {"Keys", "Quit", "Theme", "Screenshot", "Maximize"} & set(titles)
        palette = [k for k in app.screen.query("FooterKey") if k.action == "command_palette"]
        assert [k.description for k in palette] == ["Opdrachten"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one("CommandInput").placeholder == "Zoek een opdracht…"


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_footer_labels_are_not_cut(store, size):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=size) as pilot:
        screen = await open_queue(app, pilot)
        footer = app.screen.query_one("Footer")
        keys = [k for k in footer.query("FooterKey") if k.display]
        assert keys
        for key in keys:
            assert key.region.right <= size[0]
            assert key.size.width >= len(f"{key.key_display} {key.description}"), key.description
        palette = next(k for k in keys if k.action == "command_palette")
        assert max(k.region.right for k in keys if k is not palette) <= palette.region.x
        assert {k.description for k in keys} >= {"Verwijder", "Dossiers", "Help", "Opdrachten"}
        assert screen is app.screen


async def test_space_selects_and_moves_on_a_second_space_selects_the_next(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("space")
        assert screen.table.selected == {"post:P1"}
        assert screen.table.current.item == "post:P2"
        await pilot.press("up", "space")                             # back and unselect
        assert screen.table.selected == set()
        assert "ga door" in next(b.tooltip for b in QueueScreen.BINDINGS
                                 if b.action == "toggle_select")


async def test_one_key_clears_all_filters_and_the_search(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        screen.query_one("#f-group").value = "g3"
        await pilot.press("slash", *"fiets", "enter")
        await pilot.pause()
        assert rows(screen) == ["post:P3"]
        assert count_label(screen) == "1 van 6 meldingen"
        await pilot.press("w")
        await pilot.pause()
        assert len(rows(screen)) == 6
        assert screen.query_one("#f-search").value == ""
        assert screen.query_one("#f-group").is_blank()
        assert app.focused is screen.table


async def test_counts_are_singular_for_one(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        for item in rows(screen)[1:]:
            from moderator.services.moderation import dismiss
            dismiss(store, actor(store, "carla"), item, "test")
        screen.reload_queue()
        await pilot.pause()
        assert count_label(screen) == "1 van 1 melding"


async def test_the_warning_goes_once_the_dismissal_succeeds(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert any("Schrijf kort op" in n for n in notes(app))
        await pilot.press(*"geen probleem", "enter")
        await pilot.pause()
        assert not any("Schrijf kort op" in n for n in notes(app))
        assert any("afgewezen" in n for n in notes(app))


async def test_a_short_queue_leaves_the_room_to_the_preview(store):
    long_note = "Deze toelichting is lang genoeg om over meerdere regels te lopen " * 3
    from moderator.store.flags import add_flag

    add_flag(store, "post:P3", "report", "commercial", reporter_id="p1", report_id="R9",
             note=long_note)
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        table, preview = screen.table, screen.query_one("#preview")
        assert table.size.height <= table.row_count + 2
        assert preview.size.height > 15
        await pilot.press("end")
        await pilot.pause(0.2)
        lines = preview_text(screen).splitlines()
        at = next(i for i, line in enumerate(lines) if "toelichting:" in line and "lang" in line)
        assert lines[at + 1].startswith(" " * 15) and lines[at + 1].strip()


async def test_media_tags_in_dutch(store):
    with store.write():
        store.execute("UPDATE media SET tags = '[\"swimwear\", \"recognisable\"]'")
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("down")
        await pilot.pause(0.2)
        assert "labels: zwemkleding, leerling herkenbaar in beeld" in preview_text(screen)


async def test_screenshot_command_saves_and_says_where_in_dutch(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        command = next(c for c in app.get_system_commands(screen) if c.title == "Schermafdruk")
        command.callback()
        await pilot.pause(0.3)
        saved = list(tmp_path.glob("*.svg"))
        assert len(saved) == 1
        assert any(f"Schermafdruk bewaard: {saved[0]}" in n for n in notes(app))
