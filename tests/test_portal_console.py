"""The console and the portal: a deletion reaches the demo-style folder outbox by the
background worker, the header counts what is on its way, the dialog says what happens."""

from __future__ import annotations

import json

import pytest
from helpers_console import actor, build

from moderator.app import ModeratorApp
from moderator.screens.modals import DeleteModal
from moderator.screens.queue import QueueScreen
from moderator.store import outbox


@pytest.fixture
def store(fresh_store):
    return build(fresh_store, accounts="fast")


async def test_a_deletion_reaches_the_folder_outbox_and_the_header_counts_it(
        store, tmp_path, monkeypatch):
    monkeypatch.setattr(QueueScreen, "PUSH_SECONDS", 0.2)
    portal = tmp_path / "portal"
    school = store.scalar("SELECT school_id FROM groups WHERE id = 'g3'")
    from moderator.portal.folder import ensure_layout

    outbox.save_connector(store, school_id=school, kind="folder", actor="test",
                          folder=str(ensure_layout(portal)))
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        assert screen.table.current.item == "post:P1"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteModal)
        hint = " ".join(str(w.render()) for w in app.screen.query(".dialog-hint"))
        assert "portaalmap" in hint and "hardcopy" in hint
        await pilot.press("tab", *"dreigement", "enter")
        await app.workers.wait_for_complete()
        for _ in range(40):                     # the background push, within seconds
            await pilot.pause(0.1)
            if list((portal / "outbox").glob("*.jsonl")):
                break
        [file] = list((portal / "outbox").glob("*.jsonl"))
        [line] = [json.loads(x) for x in file.read_text().splitlines()]
        assert line["kind"] == "remove_post" and line["target"] == {"post": "P1"}
        await pilot.pause(0.3)
        title = str(screen.query_one("#queue-title").render())
        assert "portaal: 1 wachten" in title
    [action] = outbox.list_actions(store)
    assert action.status == "sent"


async def test_the_preview_shows_what_became_of_the_posts_portal_actions(store, monkeypatch):
    monkeypatch.setattr(QueueScreen, "PUSH_SECONDS", 60)
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        assert screen.table.current.item == "post:P1"
        await pilot.press("c")                  # comments off: an action for the portal
        await pilot.pause(0.2)
        shown = str(screen.query_one("#preview-body").render())
        assert "Portaal: reageren aan/uit enabled=False, post=P1" in shown
        assert "wacht op het portaal" in shown
