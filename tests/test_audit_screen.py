"""The AVG coordinator's screen, driven with the Pilot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, Input, TabbedContent

from moderator.screens.audit import AuditScreen
from moderator.screens.audit_widgets import PromptModal, SafeTable
from moderator.services import audit_log, provisions, retention
from moderator.store import audit
from tests.helpers_avg import AVG, DIRECTOR, HOSTILE, add_incident


class AuditApp(App):
    def __init__(self, store, actor=AVG):
        super().__init__()
        self.store = store
        self.actor = actor

    def on_mount(self) -> None:
        self.push_screen(AuditScreen(self.store, self.actor))


def cells(table: SafeTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_tab(pilot, pane: str) -> AuditScreen:
    screen = pilot.app.screen
    screen.query_one(TabbedContent).active = pane
    await pilot.pause()
    return screen


def select_row(table: SafeTable, key: str) -> None:
    table.move_cursor(row=table.get_row_index(key))


@pytest.fixture
def avg_store(school_store):
    add_incident(school_store)
    with school_store.write():
        audit.append(school_store, HOSTILE, "item.delete", "post:m1", {"note": HOSTILE}, "s1")
    return school_store


async def test_verification_runs_in_a_worker_and_names_the_broken_entry(avg_store):
    s = avg_store
    (Path(s.archives) / "s1/2024/INC-2024-0001/afschrift-2.pdf").chmod(0o644)
    (Path(s.archives) / "s1/2024/INC-2024-0001/afschrift-2.pdf").unlink()
    (Path(s.archives) / "s1/2024/INC-2024-0001/afschrift-1.pdf").chmod(0o666)
    conn = sqlite3.connect(s.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET action = 'niets' WHERE seq = 1")
    conn.commit()
    conn.close()
    async with AuditApp(s).run_test(size=(160, 50)) as pilot:
        await pilot.click("#verify-start")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        rows = cells(pilot.app.screen.query_one("#verify-problems", SafeTable))
        assert ["ontbreekt", "s1/2024/INC-2024-0001/afschrift-2.pdf"] == rows[0][:2]
        assert any(r[0] == "auditlog" and r[1] == "regel 1" for r in rows)
        assert ["rechten", "s1/2024/INC-2024-0001/afschrift-1.pdf"] in [r[:2] for r in rows]
        summary = str(pilot.app.screen.query_one("#verify-summary").render())
        assert "2 bestanden" in summary and "gevonden" in summary
        assert not pilot.app.screen.query_one("#verify-start", Button).disabled
    verifies = s.rows("SELECT actor FROM access_log WHERE action = 'archive_verify'")
    assert [r["actor"] for r in verifies] == ["avg"]      # the service logs it, as for the CLI


async def test_audit_log_shows_hostile_text_literally_and_filters(avg_store):
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "auditlog")
        rows = cells(screen.query_one("#audit-table", SafeTable))
        assert rows[0][2].startswith("account [bold red]x[/]") and "<U+001B>" in rows[0][2]
        screen.query_one("#audit-action", Input).value = "nothing.such"
        await pilot.click("#audit-filter")
        await pilot.pause()
        assert screen.query_one("#audit-table", SafeTable).row_count == 0
    reads = avg_store.rows("SELECT action FROM access_log WHERE actor = 'avg'")
    assert [r["action"] for r in reads] == ["audit_log_view", "audit_log_view"]


async def test_access_log_finds_who_viewed_an_incident(avg_store):
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "accesslog")
        screen.query_one("#access-incident", Input).value = "INC-2024-0001"
        await pilot.click("#access-filter")
        await pilot.pause()
        rows = cells(screen.query_one("#access-table", SafeTable))
        assert [r[:4] for r in rows] == [["04-05-2024 09:00", "account carla", "dossier ingezien",
                                          "INC-2024-0001"]]


async def test_destroying_an_expired_incident_leaves_only_the_record(avg_store):
    s = avg_store
    add_incident(s, "INC-2024-0002", hold="Klacht loopt", item="post:m2")
    async with AuditApp(s).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "retention")
        table = screen.query_one("#retention-table", SafeTable)
        assert table.row_count == 2
        # Under legal hold: refused, and the refusal is in the audit log.
        select_row(table, "INC-2024-0002")
        await pilot.click("#retention-destroy")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PromptModal)
        await pilot.click("#prompt-confirm")
        await pilot.pause()
        assert s.scalar("SELECT COUNT(*) FROM incidents WHERE number = 'INC-2024-0002'") == 1
        assert audit.entries(s, action="incident.destroy_refused")
        # Expired, no hold: destroyed after giving a ground.
        select_row(table, "INC-2024-0001")
        await pilot.click("#retention-destroy")
        await pilot.pause()
        pilot.app.screen.query_one("#prompt-input", Input).value = "termijn verstreken"
        await pilot.press("enter")
        await pilot.pause()
        assert table.row_count == 1
    record = retention.list_destructions(s, AVG)
    assert [(d.incident_number, d.ground) for d in record] == [("INC-2024-0001", "termijn verstreken")]
    assert not (Path(s.archives) / "s1/2024/INC-2024-0001").exists()


async def test_cancelling_the_destroy_dialog_changes_nothing(avg_store):
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "retention")
        select_row(screen.query_one("#retention-table", SafeTable), "INC-2024-0001")
        await pilot.click("#retention-destroy")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert avg_store.scalar("SELECT COUNT(*) FROM incidents") == 1
    assert avg_store.scalar("SELECT COUNT(*) FROM destructions") == 0


async def test_subject_export_from_the_screen(avg_store, tmp_path):
    out = tmp_path / "inzage-uit"
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "subject")
        screen.query_one("#subject-query", Input).value = "Dirk"
        await pilot.click("#subject-search")
        await pilot.pause()
        table = screen.query_one("#subject-table", SafeTable)
        assert cells(table)[0][:2] == ["Ouder Dirk", "ouder"]
        screen.query_one("#subject-out", Input).value = str(out)
        await pilot.click("#subject-export")
        await pilot.pause()
        # First the passages about others are shown (the reporter's note), no export yet.
        assert not out.exists()
        assert screen.query_one("#subject-passages", SafeTable).row_count == 1
        await pilot.click("#subject-export")
        await pilot.pause()
        assert "Ouder Dirk (p1)" in str(screen.query_one("#subject-summary").render())
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".pdf"]
    actions = [r["action"] for r in avg_store.rows("SELECT action FROM access_log WHERE actor = 'avg'")]
    assert actions == ["person_search", "subject_view", "subject_export"]


async def test_approving_a_directors_provision(avg_store):
    p = provisions.propose(avg_store, DIRECTOR, "words", {"reason": "abuse", "words": [HOSTILE]})
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "provisions")
        table = screen.query_one("#provisions-table", SafeTable)
        assert cells(table)[0][4] == "voorgesteld"
        select_row(table, str(p.id))
        await pilot.click("#provision-approve")
        await pilot.pause()
        await pilot.click("#prompt-confirm")
        await pilot.pause()
        assert cells(table)[0][4] == "goedgekeurd"
    assert [x.id for x in provisions.approved_provisions(avg_store, "s1")] == [p.id]


async def test_a_director_gets_no_log_data(avg_store):
    async with AuditApp(avg_store, DIRECTOR).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "auditlog")
        assert screen.query_one("#audit-table", SafeTable).row_count == 0
        await open_tab(pilot, "retention")
        assert screen.query_one("#retention-table", SafeTable).row_count == 0
    assert avg_store.scalar("SELECT COUNT(*) FROM access_log WHERE actor = 'carla' AND action != 'view'") == 0


async def test_verification_tells_a_destroyed_file_from_an_unknown_one(avg_store):
    s = avg_store
    path = Path(s.archives) / "s1/2024/INC-2024-0001/afschrift-1.pdf"
    content = path.read_bytes()
    retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    async with AuditApp(s).run_test(size=(160, 50)) as pilot:
        await pilot.press("ctrl+v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        rows = cells(pilot.app.screen.query_one("#verify-problems", SafeTable))
        assert rows == [["vernietigd, nog aanwezig", "s1/2024/INC-2024-0001/afschrift-1.pdf",
                         "hoort bij het vernietigde dossier INC-2024-0001"]]


async def test_a_bad_period_is_reported_not_crashed(avg_store):
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "auditlog")
        screen.query_one("#audit-since", Input).value = "[b]gisteren[/b]"
        await pilot.click("#audit-filter")
        await pilot.pause()
        notes = [n.message for n in pilot.app._notifications]
        assert any("onbekende datum" in n and "[b]gisteren[/b]" in n for n in notes)


async def test_an_erasure_request_destroys_before_the_term_ends(avg_store):
    s = avg_store
    add_incident(s, "INC-2024-0002", retention_until="2027-06-01T00:00:00+02:00", item="post:m2")
    async with AuditApp(s).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "retention")
        table = screen.query_one("#retention-table", SafeTable)
        select_row(table, "INC-2024-0002")
        await pilot.click("#retention-destroy")
        await pilot.pause()
        await pilot.click("#prompt-confirm")         # without the box: refused
        await pilot.pause()
        assert s.scalar("SELECT COUNT(*) FROM incidents WHERE number = 'INC-2024-0002'") == 1
        select_row(table, "INC-2024-0002")
        await pilot.click("#retention-destroy")
        await pilot.pause()
        await pilot.click("#prompt-check")
        await pilot.click("#prompt-confirm")
        await pilot.pause()
        assert s.scalar("SELECT COUNT(*) FROM incidents WHERE number = 'INC-2024-0002'") == 0
    assert audit.entries(s, action="incident.destroy")[0].detail["erasure_request"] is True


async def test_audit_log_pages_back_with_older(avg_store, monkeypatch):
    import moderator.screens.audit_tabs.base as audit_tabs

    monkeypatch.setattr(audit_tabs, "PAGE", 2)
    with avg_store.write():
        audit.append(avg_store, "carla", "incident.close", "incident:INC-2024-0001")
        audit.append(avg_store, "carla", "incident.note", "incident:INC-2024-0001")
    top = audit.head(avg_store)[0]
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "auditlog")
        table = screen.query_one("#audit-table", SafeTable)
        assert [r[0] for r in cells(table)] == [str(top), str(top - 1)]
        await pilot.click("#audit-more")
        await pilot.pause()
        assert [r[0] for r in cells(table)] == [str(top - n) for n in range(4)]


async def test_an_anchor_taken_earlier_is_checked_and_a_cut_off_log_is_named(avg_store):
    s = avg_store
    async with AuditApp(s).run_test(size=(160, 50)) as pilot:
        await pilot.click("#anchor-show")
        await pilot.pause()
        shown = str(pilot.app.screen.query_one("#anchor-value").render())
        seq, digest = audit_log.audit_anchor(s, AVG)
        assert f"{seq}:{digest}" in shown
        pilot.app.screen.query_one("#verify-anchor", Input).value = f"{seq}:{digest}"
        await pilot.click("#verify-start")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "staat in het auditlog" in str(pilot.app.screen.query_one("#verify-summary").render())
        # Cut the log off behind the anchor (triggers dropped, as an intruder would).
        conn = sqlite3.connect(s.path)
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
        conn.commit()
        conn.close()
        await pilot.click("#verify-start")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        rows = cells(pilot.app.screen.query_one("#verify-problems", SafeTable))
        assert ["anker", f"{seq}:{digest}"] == rows[-1][:2]
        pilot.app.screen.query_one("#verify-anchor", Input).value = "[b]12:nope"
        await pilot.click("#verify-start")
        await pilot.pause()
        assert any("VOLGNUMMER:HASH" in n.message for n in pilot.app._notifications)


# -- what a new user found ------------------------------------------------------------------


async def test_number_keys_and_ctrl_pagedown_switch_tabs_and_help_lists_them(avg_store):
    from moderator.screens.help import HelpScreen, bindings_of

    async with AuditApp(avg_store).run_test(size=(100, 30)) as pilot:
        tabs = pilot.app.screen.query_one(TabbedContent)
        await pilot.press("3")
        await pilot.pause()
        assert tabs.active == "accesslog"
        pilot.app.screen.query_one("#access-table", SafeTable).focus()
        await pilot.pause()
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert tabs.active == "retention"
        await pilot.press("ctrl+pageup", "ctrl+pageup")
        await pilot.pause()
        assert tabs.active == "auditlog"
        screen = pilot.app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        described = [b.description for b in bindings_of(screen)]
        assert "Tabblad Bepalingen" in described and "Tabblad" in described


async def test_filter_placeholders_fit_at_100_columns(avg_store):
    async with AuditApp(avg_store).run_test(size=(100, 30)) as pilot:
        for pane in ("auditlog", "accesslog", "subject"):
            screen = await open_tab(pilot, pane)
            for field in screen.query_one(f"#{pane}").query(Input):
                if field.placeholder:
                    assert field.content_region.width >= len(field.placeholder), field.id


async def test_logs_show_dutch_actions_local_times_and_names(avg_store):
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "auditlog")
        rows = cells(screen.query_one("#audit-table", SafeTable))
        assert rows[0][3] == "item verwijderd"
        assert all("T" not in r[1] and r[1][2] == "-" for r in rows)
        screen = await open_tab(pilot, "accesslog")
        rows = cells(screen.query_one("#access-table", SafeTable))
        view = next(r for r in rows if r[3] == "INC-2024-0001")
        assert view[4] == "Ouder Dirk (ouder)"
        assert view[5] == "notitie: Ouder Dirk gebeld"
        assert not any("{" in r[5] for r in rows)
        screen = await open_tab(pilot, "retention")
        row = cells(screen.query_one("#retention-table", SafeTable))[0]
        assert row[2] == "gesloten" and row[3] == "01-06-2024 10:00"


async def test_people_with_the_same_name_are_told_apart(avg_store):
    with avg_store.write():
        avg_store.execute("INSERT INTO people (id, school_id, name, role) VALUES"
                          " ('p9', 's1', 'Ouder Dirk', 'parent')")
        avg_store.execute("INSERT INTO group_members (group_id, person_id) VALUES ('g5', 'p9')")
    async with AuditApp(avg_store).run_test(size=(160, 50)) as pilot:
        screen = await open_tab(pilot, "subject")
        screen.query_one("#subject-query", Input).value = "Dirk"
        await pilot.click("#subject-search")
        await pilot.pause()
        rows = cells(screen.query_one("#subject-table", SafeTable))
        assert [r[0] for r in rows] == ["Ouder Dirk", "Ouder Dirk"]
        assert rows[0][3] != rows[1][3]
        assert "Groep 5" in rows[1][3]
