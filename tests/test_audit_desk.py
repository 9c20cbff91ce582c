"""The AVG coordinator's desk (issue 16): tabs that switch from any focus, the retention
term behind a confirmation, a readable audit log with a detail pane, dossiers opened
read-only from the audit screen."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Input, TabbedContent

from moderator import clock
from moderator.errors import AuthenticationFailed
from moderator.screens.audit import TABS, AuditScreen
from moderator.screens.audit_widgets import ConfirmModal, PromptModal, SafeTable
from moderator.screens.dossier import DossierScreen
from moderator.services import accounts, audit_log, audit_readable, retention
from moderator.store import audit
from tests.helpers_avg import AVG, HOSTILE, add_incident
from tests.test_audit_screen import AuditApp, cells, select_row


@pytest.fixture
def desk_store(school_store):
    add_incident(school_store)
    accounts.add_account(school_store, "carla", "geheim-wachtwoord-1", person_id="d1")
    accounts.add_account(school_store, "avg", "geheim-wachtwoord-2", role="avg")
    return school_store


def focusables(screen: AuditScreen, pane: str) -> list:
    return [w for w in screen.query_one(f"#{pane}").query("*")
            if w.focusable and w.display and not getattr(w, "disabled", False)]


async def settle(pilot, rounds: int = 1) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_tabs_switch_from_every_focusable_widget_of_every_tab(desk_store):
    async with AuditApp(desk_store).run_test(size=(160, 50)) as pilot:
        screen = pilot.app.screen
        tabs = screen.query_one(TabbedContent)
        checked = 0
        for n, pane in enumerate(TABS):
            screen.action_show_tab(pane)
            await settle(pilot)
            widgets = focusables(screen, pane)
            assert widgets, pane
            for widget in widgets:
                nxt = TABS[(n + 1) % len(TABS)]
                prev = TABS[(n - 1) % len(TABS)]
                far = (n + 3) % len(TABS)
                keys = [("ctrl+pagedown", nxt), (f"alt+{far + 1}", TABS[far])]
                if widget is widgets[0]:
                    keys.append(("ctrl+pageup", prev))
                for key, expected in keys:
                    screen.action_show_tab(pane)
                    widget.focus()
                    await settle(pilot)
                    assert pilot.app.focused is widget
                    await pilot.press(key)
                    await settle(pilot, 2)    # no snapping back to the old tab
                    assert tabs.active == expected, (pane, widget, key)
                # A plain digit: into a text field it is typed, elsewhere it switches.
                screen.action_show_tab(pane)
                widget.focus()
                await settle(pilot)
                if isinstance(widget, Input):
                    before = widget.value
                    widget.cursor_position = len(before)
                    await pilot.press(str(far + 1))
                    await settle(pilot)
                    assert tabs.active == pane, (pane, widget)
                    assert widget.value == before + str(far + 1), widget
                else:
                    await pilot.press(str(far + 1))
                    await settle(pilot)
                    assert tabs.active == TABS[far], (pane, widget)
                checked += 1
        assert checked >= 30


async def test_digits_in_the_retention_field_stay_there_and_enter_asks_first(desk_store):
    before = retention.retention_years(desk_store)
    async with AuditApp(desk_store).run_test(size=(160, 50)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = pilot.app.screen
        years = screen.query_one("#retention-years", Input)
        years.focus()
        await pilot.press("1", "2")
        await settle(pilot)
        assert years.value == "12"
        assert screen.query_one(TabbedContent).active == "retention"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmModal)
        assert retention.retention_years(desk_store) == before
        await pilot.press("enter")        # focus starts on "Annuleren"
        await settle(pilot)
        assert pilot.app.screen is screen
        assert retention.retention_years(desk_store) == before
        years.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert retention.retention_years(desk_store) == before
        await pilot.click("#retention-set")
        await settle(pilot)
        await pilot.click("#confirm-yes")
        await settle(pilot)
    assert retention.retention_years(desk_store) == 12
    assert [e.detail for e in audit.entries(desk_store, action="retention.set")] == [
        {"from": before, "to": 12}]


async def test_enter_on_a_retention_row_opens_the_dossier_read_only_and_logs_it(desk_store):
    async with AuditApp(desk_store).run_test(size=(160, 50)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        table = pilot.app.screen.query_one("#retention-table", SafeTable)
        table.focus()
        select_row(table, "INC-2024-0001")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DossierScreen)
        body = str(pilot.app.screen.query_one("#detail-body").render())
        assert "INC-2024-0001" in body
        # read-only: the writing keys are not offered to the coordinator
        assert not pilot.app.screen.check_action("consultation", ())
        assert not pilot.app.screen.check_action("close", ())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AuditScreen)
        # ctrl+o opens a dossier from any tab, from inside a text field too
        await pilot.press("alt+2")
        await settle(pilot)
        pilot.app.screen.query_one("#audit-actor", Input).focus()
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PromptModal)
        pilot.app.screen.query_one("#prompt-input", Input).value = "INC-2024-0001"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DossierScreen)
    views = desk_store.rows("SELECT actor, action FROM access_log WHERE actor = 'avg'"
                            " AND action = 'view'")
    assert len(views) == 2


def _readable(store, **filters):
    return audit_readable.readable_entries(store, AVG, audit_log.read_audit_log(store, AVG,
                                                                                **filters))


def test_the_audit_log_reads_without_codes(desk_store):
    s = desk_store
    with s.write():
        audit.append(s, "carla", "incident.escalation", "incident:INC-2024-0001",
                     {"measure": "police_report", "status": ["measure", "escalated"],
                      "level": ["internal", "external"]}, "s1")
        audit.append(s, "carla", "item.delete", "post:m1",
                     {"reason": "confidential", "incident": "INC-2024-0001"}, "s1")
        audit.append(s, "carla", "post.comments", "post:m1", {"enabled": False}, "s1")
        audit.append(s, "carla", "post.comments", "post:m1", {"enabled": True}, "s1")
        audit.append(s, "system", "scan", detail={"posts": 3, "by_reason": {"threat": 2}})
        audit.append(s, "system:beheer", "import", "file:export.jsonl", {"people": 4})
        audit.append(s, "carla", "incident.open", "incident:INC-2024-0001",
                     {"person": "p1", "group": "g3"}, "s1")
        audit.append(s, "system", "user.add", "account:avg", {"person": None, "role": "avg"})
    rows = _readable(s)
    by_action = {}
    for r in rows:
        by_action.setdefault(r.action, r)
    esc = by_action["escalatie vastgelegd"]
    assert esc.who == "Directeur Carla (Directie)" and esc.subject == "dossier INC-2024-0001"
    assert esc.school == "De Klimboom"
    assert ("maatregel", "Aangifte of melding bij de politie") in esc.fields
    assert ("status", "maatregel → geëscaleerd") in esc.fields
    assert ("niveau", "intern → extern") in esc.fields
    deleted = by_action["item verwijderd"]
    assert ("reden", "Vertrouwelijke leerlinginformatie") in deleted.fields
    assert deleted.subject == "bericht 'Titel' van Ouder Dirk (ouder) (portaalnummer m1)"
    assert "reacties uitgezet" in by_action and "reacties aangezet" in by_action
    assert by_action["automatische controle"].who == "systeem"
    assert ("per reden", "Bedreiging 2") in by_action["automatische controle"].fields
    assert by_action["portaalgegevens geïmporteerd"].who == "systeem (beheerder beheer)"
    opened = by_action["dossier geopend"]
    assert ("persoon", "Ouder Dirk (ouder)") in opened.fields
    assert ("groep", "Groep 3") in opened.fields
    added = by_action["account aangemaakt"]
    assert added.subject == "account van AVG-coördinator (avg)"
    assert ("rol", "AVG-coördinator") in added.fields
    codes = ("police_report", "confidential", "account:", "post:", "system", "teacher",
             "internal", "escalated", "g3", "threat")
    for r in rows:
        shown = " ".join([r.who, r.action, r.subject, r.school, r.summary])
        for code in codes:
            assert code not in shown, (code, shown)


def test_a_lockout_and_an_unlock_are_their_own_entries(desk_store):
    s = desk_store
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(s, "carla", "fout")
    accounts.set_password(s, "carla", "nieuw-wachtwoord-22")
    actions = [r.action for r in _readable(s)]
    assert actions[:3] == ["account gedeblokkeerd", "wachtwoord gewijzigd",
                           "account geblokkeerd"]
    assert actions[3] == "mislukte inlog, account geblokkeerd"
    locked = next(r for r in _readable(s) if r.action == "account geblokkeerd")
    assert locked.subject == "account van Directeur Carla (Directie)"
    # lockouts run on the real clock (MODERATOR_NOW cannot lift them): 15 minutes on
    until = datetime.strptime(dict(locked.fields)["geblokkeerd tot"], "%d-%m-%Y %H:%M")
    expected = clock.local(clock.real_now()).replace(tzinfo=None) + timedelta(minutes=15)
    assert abs((until - expected).total_seconds()) < 120


async def test_enter_on_an_audit_row_shows_every_field_whole(desk_store):
    long_note = "begin " + "lange toelichting " * 30 + HOSTILE + " einde"
    with desk_store.write():
        audit.append(desk_store, "carla", "item.dismiss", "post:m1", {"note": long_note}, "s1")
    async with AuditApp(desk_store).run_test(size=(160, 50)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#audit-table", SafeTable)
        assert cells(table)[0][6].endswith("…")
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        shown = screen.query_one("#audit-detail-body").render()
        plain = str(shown)
        assert "einde" in plain and "lange toelichting " * 30 in plain
        assert "[bold red]x[/] [@click=app.quit]y[/] <U+001B>[2J<U+202E> <font size=300></para>" \
            in plain
        assert "Directeur Carla (Directie)" in plain and "melding afgewezen" in plain
        assert pilot.app.is_running          # the [@click=app.quit] did nothing


async def test_a_request_recorded_passages_decided_and_answered_from_the_screen(desk_store,
                                                                                tmp_path):
    import json

    from moderator.services import subject_requests

    with desk_store.write():
        desk_store.execute("UPDATE flags SET note = ? WHERE reporter_id = 'p2'",
                           ("Eva zag het " + HOSTILE,))
    out = tmp_path / "inzage"
    async with AuditApp(desk_store).run_test(size=(160, 60)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#subject-query", Input).value = "Dirk"
        await pilot.click("#subject-search")
        await settle(pilot)
        await pilot.click("#subject-request-add")
        await settle(pilot)
        pilot.app.screen.query_one("#prompt-input", Input).value = "Ouder Dirk, per e-mail"
        await pilot.press("enter")
        await settle(pilot)
        requests = screen.query_one("#subject-requests", SafeTable)
        assert cells(requests)[0][1:] == ["Ouder Dirk (p1)", "Ouder Dirk, per e-mail",
                                          "25-11-2026", "25-12-2026", "nog 30 dagen"]
        await pilot.click("#subject-passages-load")
        await settle(pilot)
        passages = screen.query_one("#subject-passages", SafeTable)
        row = cells(passages)[0]
        assert row[2] == "toelichting van een melder (een ander)"
        assert "[bold red]x[/]" in row[3] and "<U+001B>" in row[3]
        passages.move_cursor(row=0)
        await pilot.click("#subject-withhold")
        await settle(pilot)
        pilot.app.screen.query_one("#prompt-input", Input).value = "melding van een andere ouder"
        await pilot.press("enter")
        await settle(pilot)
        assert cells(passages)[0][4] == "weglaten: melding van een andere ouder"
        screen.query_one("#subject-out", Input).value = str(out)
        requests.move_cursor(row=0)
        await pilot.click("#subject-export")
        await settle(pilot)
        assert cells(requests)[0][5] == "beantwoord op 25-11-2026"
        assert pilot.app.is_running
    payload = json.loads(next(out.glob("*.json")).read_text("utf-8"))
    assert payload["withheld"][0]["ground"] == "melding van een andere ouder"
    assert "Eva zag het" not in json.dumps(payload, ensure_ascii=False)
    answered = subject_requests.list_requests(desk_store, AVG)[0].request
    assert answered.answered_on == "2026-11-25" and len(answered.withheld) == 1


async def test_the_access_log_shows_people_by_name_and_role(desk_store):
    async with AuditApp(desk_store).run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        rows = cells(pilot.app.screen.query_one("#access-table", SafeTable))
        view = next(r for r in rows if r[3] == "INC-2024-0001")
        assert view[1] == "Directeur Carla (Directie)" and view[4] == "Ouder Dirk (ouder)"
