"""Screenshots of the console (pytest-textual-snapshot): `pytest --snapshot-update` renews them."""

from __future__ import annotations

import pytest
from helpers_console import actor, build

from moderator.app import ModeratorApp


@pytest.fixture
def store(fresh_store):
    return build(fresh_store, accounts="fast")


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.2)


def test_queue_screen(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=_settle)


def test_queue_screen_80x24_light(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))

    async def light(pilot):
        pilot.app.theme = "textual-light"
        await pilot.press("down")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=light)


def test_delete_dialog(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))

    async def open_dialog(pilot):
        await _settle(pilot)
        await pilot.press("d")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_dialog)


def test_login_screen_demo(snap_compare, store):
    app = ModeratorApp(store, demo=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_delete_dialog_mixed_reasons(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))

    async def open_dialog(pilot):
        await _settle(pilot)
        await pilot.press("space", "space", "d")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_dialog)


def test_focused_filter_light(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "carla"))

    async def focus_filter(pilot):
        pilot.app.theme = "textual-light"
        await _settle(pilot)
        await pilot.press("slash", "shift+tab")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=focus_filter)
