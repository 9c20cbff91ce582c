"""Every screen and dialog at 80x24: snapshots (pytest-textual-snapshot; renew them with
`pytest --snapshot-update` after looking at the report), and checks that no footer key,
dialog or button lies outside the screen."""

from __future__ import annotations

import pytest
from helpers_console import actor, build
from textual.geometry import Region
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from moderator.app import ModeratorApp
from moderator.policy.access import Actor
from moderator.services.deletion import delete_item

SCREEN = Region(0, 0, 80, 24)


@pytest.fixture
def store(fresh_store):
    s = build(fresh_store, accounts="fast")
    with s.write():
        s.execute("INSERT INTO accounts (username, person_id, role, school_id, password_hash,"
                  " created_at) VALUES ('avg', NULL, 'avg', NULL, 'x',"
                  " '2026-01-01T00:00:00+01:00')")
    delete_item(s, "post:P1", "threat", actor(s, "anouk"), note="Dreigende taal")
    return s


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.2)


def _inside(app) -> list[str]:
    """What on the top screen is cut off by the 80x24 edge: footer keys and buttons."""
    cut = []
    keys = [k for k in app.screen.query(FooterKey) if k.region.width]
    for key in keys:
        if not SCREEN.contains_region(key.region):
            cut.append(f"footer {key.description}")
        elif any(other is not key and other.region.overlaps(key.region) for other in keys):
            cut.append(f"footer {key.description} (covered)")
    for button in app.screen.query(Button):
        if button.display and button.region.width and not SCREEN.contains_region(button.region):
            cut.append(f"button {button.label}")
    return cut


def _app(store, username: str) -> ModeratorApp:
    found: Actor = actor(store, username)
    return ModeratorApp(store, actor=found)


async def _dismiss_dialog(pilot):
    await _settle(pilot)
    await pilot.press("x")
    await _settle(pilot)


async def _delete_dialog(pilot):
    await _settle(pilot)
    await pilot.press("d")
    await _settle(pilot)


async def _dossier(pilot):
    await _settle(pilot)
    await pilot.press("D")
    await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)


async def _audit_log(pilot):
    await _settle(pilot)
    await pilot.press("2")
    await _settle(pilot)


CASES = {
    "queue": ("anouk", _settle),
    "delete dialog": ("anouk", _delete_dialog),
    "dismiss dialog": ("anouk", _dismiss_dialog),
    "dossier": ("carla", _dossier),
    "audit log": ("avg", _audit_log),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_nothing_is_cut_at_80x24(store, case):
    username, steps = CASES[case]
    app = _app(store, username)
    async with app.run_test(size=(80, 24)) as pilot:
        await steps(pilot)
        assert _inside(app) == []


def test_delete_dialog_80x24(snap_compare, store):
    assert snap_compare(_app(store, "anouk"), terminal_size=(80, 24), run_before=_delete_dialog)


def test_dismiss_dialog_80x24(snap_compare, store):
    assert snap_compare(_app(store, "anouk"), terminal_size=(80, 24), run_before=_dismiss_dialog)


def test_dossier_screen_80x24(snap_compare, store):
    assert snap_compare(_app(store, "carla"), terminal_size=(80, 24), run_before=_dossier)


def test_audit_screen_80x24(snap_compare, store):
    assert snap_compare(_app(store, "avg"), terminal_size=(80, 24), run_before=_audit_log)
