"""Screenshots of the worklist and the queue with deadlines and holders, at 80x24 with
hostile text (pytest-textual-snapshot): `pytest --snapshot-update` renews them."""

from __future__ import annotations

import pytest
from helpers_console import actor, build

from moderator.app import ModeratorApp
from moderator.screens.worklist import WorklistScreen
from moderator.services import claims
from tests.helpers_dossier import simulate_deletion


@pytest.fixture
def store(fresh_store, monkeypatch):
    build(fresh_store, accounts="fast")
    simulate_deletion(fresh_store, item="comment:gone", person_id="p3")
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-26T12:00:00+01:00")
    claims.claim(fresh_store, actor(fresh_store, "anouk"), "post:P2")
    return fresh_store


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.2)


def test_worklist_80x24(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "carla"))

    async def open_worklist(pilot):
        await _settle(pilot)
        pilot.app.push_screen(WorklistScreen(store, actor(store, "carla")))
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_worklist)


def test_queue_due_first_80x24(snap_compare, store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))

    async def due_first(pilot):
        await _settle(pilot)
        await pilot.press("t")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=due_first)
