"""The console with time and ownership, at 80x24 with hostile text: the worklist after
login, due-first order, overdue marks, claim / hand back / assign, a claim race."""

from __future__ import annotations

import pytest
from helpers_console import HOSTILE, PASSWORD, actor, build
from test_app_login import login

from moderator.app import ModeratorApp
from moderator.screens.assign import AssignModal
from moderator.screens.dossier import DossierScreen
from moderator.screens.queue import QueueScreen
from moderator.screens.worklist import WorklistScreen
from moderator.services import claims
from moderator.store import Store
from tests.helpers_dossier import simulate_deletion

SIZE = (80, 24)


@pytest.fixture
def store(fresh_store, monkeypatch):
    build(fresh_store)
    simulate_deletion(fresh_store, item="comment:gone", person_id="p3")   # a hostile name
    # The next day: the threat reported yesterday (due 17:00) is overdue.
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-26T12:00:00+01:00")
    return fresh_store


def lines(screen) -> list[str]:
    options = screen.query_one("#worklist")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_director_gets_her_worklist_at_login_then_the_queue(store):
    app = ModeratorApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "carla", PASSWORD)
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, WorklistScreen)
        shown = lines(screen)
        assert "Over de termijn (1)" in shown and "Nieuwe dossiers (1)" in shown
        assert any(line.startswith("  post:P1  Bedreiging in Groep 3: termijn 25-11-2026 17:00")
                   for line in shown)
        dossier = next(line for line in shown if "INC-2026-0001" in line)
        assert "[@click=app.quit]Ouder[/] <U+001B>[31mX" in dossier
        assert app.is_running
        # enter on the dossier opens it; esc comes back; esc again goes on to the queue
        screen.query_one("#worklist").highlighted = shown.index(dossier)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("escape")
        await pilot.pause(0.1)
        if not isinstance(app.screen, WorklistScreen):      # the dossier's list first
            await pilot.press("escape")
            await pilot.pause(0.1)
        assert isinstance(app.screen, WorklistScreen)
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert isinstance(app.screen, QueueScreen)


async def test_nothing_waiting_means_no_worklist(store):
    app = ModeratorApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "bram", PASSWORD)
        await pilot.pause(0.1)
        assert isinstance(app.screen, QueueScreen)


async def test_overdue_mark_due_first_and_claims_in_the_queue(store):
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        screen = app.screen
        table = screen.table
        assert [e.item for e in table.entries][0] == "post:P1"
        assert str(table.get_cell("post:P1", "age")) == "!1d"
        assert str(table.get_cell("post:P2", "age")) == "1d"
        await pilot.press("t")
        await pilot.pause(0.1)
        assert "termijn eerst" in str(screen.query_one("#queue-count").render())
        dues = [e.due_at for e in table.entries]
        assert dues == sorted(dues)
        # claim the row under the cursor, then another session cannot
        first = table.current.item
        await pilot.press("p")
        await pilot.pause(0.1)
        assert str(table.get_cell(first, "sel")) == "●"
        assert "bij Juf Anouk" in str(screen.query_one("#preview-body").render())
        other = Store(store.path, store.archives)
        try:
            with pytest.raises(Exception, match="al opgepakt door Juf Anouk"):
                claims.claim(other, actor(other, "carla"), first)
        finally:
            other.close()
        await pilot.press("m")                             # mine
        await pilot.pause(0.1)
        assert [e.item for e in table.entries] == [first]
        await pilot.press("p")                             # hand back
        await pilot.pause(0.1)
        assert table.entries == [] or table.entries[0].holder is None
        assert "Teruggegeven" in notes(app)[-1]


async def test_second_console_claiming_gets_a_clear_message(store):
    claims.claim(store, actor(store, "carla"), "post:P1")
    app = ModeratorApp(store, actor=actor(store, "anouk"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        # the row was loaded before carla's claim could show: claim it from a stale row
        assert app.screen.table.current.item == "post:P1"
        await pilot.press("p")
        await pilot.pause(0.1)
        assert any("al opgepakt door Directeur Carla" in n for n in notes(app))


async def test_assign_to_a_colleague(store):
    app = ModeratorApp(store, actor=actor(store, "carla"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        table = app.screen.table
        item = table.current.item                           # post:P1 in Groep 3
        await pilot.press("a")
        await pilot.pause(0.1)
        modal = app.screen
        assert isinstance(modal, AssignModal)
        options = modal.query_one("#colleagues")
        names = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert names == ["Directeur Carla (Directie)", "Juf Anouk (Leerkracht (groepsbeheerder))"]
        options.highlighted = 1
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, QueueScreen)
        assert table.entry(item).holder == "anouk"
        assert str(table.get_cell(item, "sel")) == "○"
        assert "Toegewezen aan Juf Anouk." in notes(app)


def test_hostile_text_is_in_the_build():
    assert "[@click=app.quit]" in HOSTILE


async def test_dossier_shows_remaining_time_and_the_director_ends_a_measure(store):
    from moderator.screens.measure_term import MeasureTermForm
    from moderator.services import measures
    from moderator.store.measure_terms import terms_for_incident

    carla = actor(store, "carla")
    measures.record_measure(store, carla, "INC-2026-0001", "read_only", "Twee weken.",
                            ends_on="2026-12-10")
    app = ModeratorApp(store, actor=carla)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        app.push_screen(DossierScreen(store, carla, incident_id=1))
        await pilot.pause(0.2)
        body = str(app.screen.query_one("#detail-body").render())
        assert "Tijdelijk alleen lezen: vanaf 26-11-2026, nog 14 dagen (tot 10-12-2026)" in body
        await pilot.press("l")
        await pilot.pause(0.1)
        assert isinstance(app.screen, MeasureTermForm)
        await pilot.press("ctrl+s")                        # no reason: refused in the form
        await pilot.pause(0.1)
        assert "reden" in str(app.screen.query_one("#form-error").render())
        app.screen.query_one("#reason").value = "Goed gesprek [bold]x[/]"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DossierScreen)
        body = str(app.screen.query_one("#detail-body").render())
        assert "opgeheven op 26-11-2026" in body
        assert "vervroegd beëindigd. Reden: Goed gesprek [bold]x[/]" in body
    assert terms_for_incident(store, 1)[0].lift_reason == "early"


async def test_a_new_threat_is_announced_to_the_director_at_once(store, monkeypatch):
    from moderator.store.flags import add_flag

    monkeypatch.setattr(QueueScreen, "POLL_SECONDS", 0.1)
    apps = [ModeratorApp(store, actor=actor(store, name)) for name in ("carla", "bram")]
    async with apps[0].run_test(size=SIZE) as pilot, apps[1].run_test(size=SIZE) as other:
        await pilot.pause(0.2)
        await other.pause(0.2)
        writer = Store(store.path, store.archives)
        try:
            add_flag(writer, "comment:C1", "report", "threat", reporter_id="p2",
                     report_id="R9", note="Hij dreigt")
        finally:
            writer.close()
        await pilot.pause(0.5)
        await other.pause(0.5)
        said = notes(apps[0])
        assert any(n.startswith("Nieuw met spoed: bedreiging in Groep 5 (comment:C1); termijn")
                   for n in said), said
        assert not any("sukkel" in n or "dreigt" in n for n in said)   # no message text
        assert not any("spoed" in n for n in notes(apps[1]))            # only the director
        await pilot.pause(0.3)
        assert sum("comment:C1" in n for n in notes(apps[0])) == 1      # once


async def test_the_director_claims_a_dossier_and_hands_it_back(store):
    carla = actor(store, "carla")
    app = ModeratorApp(store, actor=carla)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        app.push_screen(DossierScreen(store, carla, incident_id=1))
        await pilot.pause(0.2)
        await pilot.press("p")
        await pilot.pause(0.1)
        assert claims.held(store, carla, "INC-2026-0001").holder == "carla"
        assert "Dossier INC-2026-0001 staat nu op jouw naam." in notes(app)
        await pilot.press("p")
        await pilot.pause(0.1)
        assert claims.held(store, carla, "INC-2026-0001") is None
