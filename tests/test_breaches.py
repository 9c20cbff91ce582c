"""The breach register: proposed by deletions that expose personal data, completed by
the AVG coordinator, with the 72-hour deadline for the decision on notifying the AP."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from moderator.cli import main
from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.policy.access import SYSTEM
from moderator.services import breaches
from moderator.services.accounts import add_account
from moderator.services.deletion import delete_item
from moderator.services.queue import get_item_detail
from moderator.store import Store
from tests.helpers_deletion import AVG, DIRECTOR, HOSTILE, TEACHER3, add_media, add_post

BSN = "111222333"          # passes the 11-check
NOT_BSN = "111222334"


@pytest.fixture
def store(school_store):
    with school_store.write():
        school_store.executemany("INSERT INTO group_members VALUES (?, ?)",
                                 [("g3", "p1"), ("g3", "p2"), ("g3", "t3")])
    return school_store


def _count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM breaches")


def _audit(store: Store, action: str) -> list[str]:
    return [r[0] for r in store.rows("SELECT subject FROM audit_log WHERE action = ?"
                                     " ORDER BY seq", (action,))]


# -- proposals ------------------------------------------------------------------------------

def test_deleting_for_a_personal_data_reason_or_with_a_bsn_proposes_a_breach(store):
    delete_item(store, add_post(store, "a1", "wat een kutschool"), "abuse", TEACHER3)
    delete_item(store, add_post(store, "a2", f"nummer {NOT_BSN} van de bibliotheek"), "abuse",
                TEACHER3)
    assert _count(store) == 0          # no personal data: nothing proposed

    delete_item(store, add_post(store, "a3", f"Het BSN van Tim is {BSN}"), "abuse", TEACHER3)
    with store.write():
        store.execute("INSERT INTO pupils (id, school_id, group_id, name)"
                      " VALUES ('u9', 's1', 'g3', 'Noor de Wit')")
    delete_item(store, add_post(store, "a4", "Noor krijgt Ritalin"), "confidential", TEACHER3)
    item = add_post(store, "a5", "Zwemles!")
    add_media(store, "m1", "a5", [("u1", "Tim Jansen", False), ("u2", "Sara Bakker", True)])
    delete_item(store, item, "photo_consent", TEACHER3)

    found = {b.item: b for b in breaches.list_breaches(store, AVG)}
    assert set(found) == {"post:a3", "post:a4", "post:a5"}
    bsn = found["post:a3"]
    assert bsn.bsn and bsn.categories == ("bsn",) and bsn.reason == "abuse"
    assert bsn.audience == 3                        # the group's members
    assert bsn.visible_from == "2026-11-20T15:30:00+01:00"
    assert bsn.visible_until == bsn.discovered_at == "2026-11-25T10:00:00+01:00"
    assert bsn.incident_number == "INC-2026-0001" and bsn.proposed_by == "juf"
    assert found["post:a4"].categories == ("health",)
    assert found["post:a4"].pupil_ids == ("u9",)             # named in the text
    assert found["post:a5"].pupil_ids == ("u1", "u2")       # in the photo; by id
    assert _audit(store, "breach.propose") == [bsn.number, found["post:a4"].number,
                                               found["post:a5"].number]
    # The text is gone from the database, the proposal stayed.
    assert store.scalar("SELECT body FROM posts WHERE id = 'a3'") is None


def test_a_breach_is_proposed_once_even_when_two_connections_delete_at_once(store, tmp_path):
    item = add_post(store, "a1", f"BSN {BSN}")
    other = Store(store.path, store.archives)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run(connection: Store) -> None:
        barrier.wait()
        try:
            outcomes.append(delete_item(connection, item, "confidential", TEACHER3))
        except Conflict as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in (store, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(not isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    assert _count(store) == 1

    # The register itself refuses a second proposal for the same deletion, whichever
    # connection asks (the UNIQUE item column, not a check in Python).
    detail = get_item_detail(store, SYSTEM, "post:a1")
    for connection in (store, other):
        assert breaches.propose_for_deletion(
            connection, detail, reason="confidential", actor="juf",
            deleted_at="2026-11-25T10:00:00+01:00", incident_number="INC-2026-0001") is None
    from moderator.store import breaches as register
    with other.write():
        assert register.propose(
            other, item="post:a1", school_id="s1", group_id="g3", incident_number=None,
            reason="confidential", bsn=True, discovered_at="2026-11-25T10:00:00+01:00",
            proposed_by="x", visible_from=None, visible_until=None, audience=None, n_records=1,
            categories=["bsn"], pupil_ids=[]) is None
    assert _count(store) == 1 and len(_audit(store, "breach.propose")) == 1
    other.close()


# -- the 72 hours ---------------------------------------------------------------------------

def test_the_72_hours_run_through_the_weekend_and_the_change_to_winter_time(store, monkeypatch):
    # Friday 23 October 2026, 16:00 summer time; winter time starts Sunday 25 October.
    monkeypatch.setenv("MODERATOR_NOW", "2026-10-23T16:00:00+02:00")
    delete_item(store, add_post(store, "a1", f"BSN {BSN}"), "abuse", TEACHER3)
    (breach,) = breaches.list_breaches(store, AVG)

    due = breaches.deadline(breach)
    # 72 real hours: Monday 15:00 on the clock (an hour of the weekend went back).
    assert due.due.isoformat() == "2026-10-26T15:00:00+01:00"
    assert "26-10-2026 15:00" in due.label()

    monkeypatch.setenv("MODERATOR_NOW", "2026-10-26T14:30:00+01:00")   # Monday
    due = breaches.deadline(breach)
    assert not due.overdue and due.label().startswith("nog 0 u 30 min")

    monkeypatch.setenv("MODERATOR_NOW", "2026-10-26T15:45:00+01:00")
    due = breaches.deadline(breach)
    assert due.overdue and due.label().startswith("VERLOPEN sinds 0 u 45 min")
    assert due.short() == "VERLOPEN 0 u"

    breaches.update_breach(store, AVG, breach.number, risk="low")
    decided = breaches.decide(store, AVG, breach.number, notify=True, reference="M-2026-1")
    due = breaches.deadline(decided)
    assert due.decided and not due.overdue and due.decided_late
    assert due.label() == "besloten (na de termijn van 26-10-2026 15:00)"


def test_the_deadline_is_shown_until_decided_in_the_cli(store, monkeypatch, tmp_path):
    add_account(store, "avg", "geheim", role="avg")
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-20T09:00:00+01:00")
    delete_item(store, add_post(store, "a1", f"BSN {BSN}",
                                created_at="2026-11-19T10:00:00+01:00"), "abuse", TEACHER3)
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-23T10:00:00+01:00")   # Monday, 73 h later
    run = _runner(tmp_path)
    listed = run("breach", "list")
    assert listed.exit_code == 0, listed.output
    assert "VERLOPEN 1 u" in listed.output and "23-11-2026 09:00" in listed.output
    (row,) = json.loads(run("breach", "list", "--json").output)
    assert row["overdue"] is True and row["deadline"] == "2026-11-23T09:00:00+01:00"
    run("breach", "update", "DL-2026-0001", "--risk", "none")
    run("breach", "decide", "DL-2026-0001", "--no-notify", "--reason", "alleen leerkracht zag het")
    (row,) = json.loads(run("breach", "list", "--json").output)
    assert row["overdue"] is False and row["decided_late"] is True


# -- completing -----------------------------------------------------------------------------

def test_the_coordinator_completes_decides_and_closes_with_every_step_logged(store):
    delete_item(store, add_post(store, "a1", f"BSN van Tim {BSN}"), "abuse", TEACHER3)
    with store.write():
        store.execute("INSERT INTO pupils (id, school_id, group_id, name)"
                      " VALUES ('u1', 's1', 'g3', 'Tim Jansen')")
    number = "DL-2026-0001"

    with pytest.raises(UsageError, match="risico"):
        breaches.decide(store, AVG, number, notify=True, reference="M-1")
    with pytest.raises(UsageError, match="geen leerling"):
        breaches.update_breach(store, AVG, number, pupil_ids=["nobody"])
    with pytest.raises(UsageError, match="ouder"):
        breaches.update_breach(store, AVG, number, parent_ids=["t3"])
    breaches.update_breach(store, AVG, number, data_description="BSN van een leerling",
                           pupil_ids=["u1"], parent_ids=["p1"], risk="high",
                           consequences="identiteitsfraude", contact="AVG-coördinator, 010-1234")
    with pytest.raises(UsageError, match="geen risico"):
        breaches.decide(store, AVG, number, notify=False, reason="klein")
    with pytest.raises(UsageError, match="kenmerk"):
        breaches.decide(store, AVG, number, notify=True)
    breaches.decide(store, AVG, number, notify=True, reference="M-2026-0042")
    with pytest.raises(Conflict):
        breaches.decide(store, AVG, number, notify=True, reference="M-2")
    with pytest.raises(UsageError, match="maatregelen"):
        breaches.close_breach(store, AVG, number)
    breaches.update_breach(store, AVG, number, measures="bericht verwijderd; ouders gebeld",
                           informed="no")
    with pytest.raises(UsageError, match="art. 34"):
        breaches.close_breach(store, AVG, number)
    breaches.update_breach(store, AVG, number, informed="yes", informed_how="brief en gesprek")
    closed = breaches.close_breach(store, AVG, number, "afgehandeld")
    assert closed.status == "closed" and closed.dpa_reference == "M-2026-0042"
    with pytest.raises(Conflict):
        breaches.update_breach(store, AVG, number, measures="nog iets")

    view = breaches.show_breach(store, AVG, number)
    assert view.names == {"u1": "Tim Jansen", "p1": "Ouder Dirk"}
    assert _audit(store, "breach.update") == [number] * 3
    assert _audit(store, "breach.decide") == [number] and _audit(store, "breach.close") == [number]
    reads = [r[0] for r in store.rows("SELECT action FROM access_log WHERE actor = 'avg'")]
    assert "breach_view" in reads
    # Nothing half-written by the refused calls: the register row holds what was accepted.
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'breach.%'") == 6


@pytest.mark.parametrize("actor", [DIRECTOR, TEACHER3])
def test_only_the_avg_coordinator_handles_the_register(store, actor):
    delete_item(store, add_post(store, "a1", f"BSN {BSN}"), "abuse", TEACHER3)
    for call in (lambda: breaches.list_breaches(store, actor),
                 lambda: breaches.show_breach(store, actor, "DL-2026-0001"),
                 lambda: breaches.update_breach(store, actor, "DL-2026-0001", risk="none")):
        with pytest.raises(PermissionDenied, match="AVG-coördinator"):
            call()


# -- hostile text everywhere ----------------------------------------------------------------

def _runner(tmp_path):
    def invoke(*args: str, user: str = "avg"):
        argv = ["--db", str(tmp_path / "moderator.db"), "--archives", str(tmp_path / "archives"),
                *args, "--user", user]
        return CliRunner().invoke(main, argv, env={"MODERATOR_PASSWORD": "geheim"})
    return invoke


def test_hostile_text_in_every_field_stays_text_in_the_cli_json_csv_and_pdf(store, tmp_path):
    add_account(store, "avg", "geheim", role="avg")
    hostile = " ".join(HOSTILE) + "\r\n=HYPERLINK(\"http://evil\")"
    with store.write():
        store.execute("UPDATE people SET name = ? WHERE id = 'p1'", ("Dirk " + hostile,))
    delete_item(store, add_post(store, "a1", f"{hostile} BSN {BSN}"), "abuse", TEACHER3)
    run = _runner(tmp_path)
    fields = ["--data", hostile, "--risk-note", hostile, "--consequences", hostile,
              "--measures", hostile, "--contact", hostile, "--informed-how", hostile]
    result = run("breach", "update", "DL-2026-0001", *fields, "--parent", "p1",
                 "--risk", "low", "--informed", "yes")
    assert result.exit_code == 0, result.output
    result = run("breach", "decide", "DL-2026-0001", "--notify", "--reference", hostile,
                 "--reason", hostile)
    assert result.exit_code == 0, result.output
    result = run("breach", "close", "DL-2026-0001", "--note", hostile)
    assert result.exit_code == 0, result.output

    for args in (("breach", "show", "DL-2026-0001"), ("breach", "list")):
        out = run(*args).output
        assert "\x1b" not in out and "\u202e" not in out and "\r" not in out, args
    shown = run("breach", "show", "DL-2026-0001").output
    assert "[bold red]x[/]" in shown and "<U+001B>" in shown and "<U+202E>" in shown

    raw = run("breach", "show", "DL-2026-0001", "--json").output
    assert "\x1b" not in raw and "\u202e" not in raw
    data = json.loads(raw)
    for key in ("data_description", "risk_note", "consequences", "measures", "contact",
                "informed_how", "dpa_reference", "dpa_reason", "closing_note"):
        assert data[key] == hostile, key            # exact values for scripts
    assert data["names"]["p1"] == "Dirk " + hostile

    result = run("breach", "export", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    csv_bytes = (tmp_path / "out" / "datalekkenregister-2026-11-25.csv").read_bytes()
    csv_text = csv_bytes.decode("utf-8-sig")
    assert "\x1b" not in csv_text and "\u202e" not in csv_text
    (row,) = list(csv.DictReader(io.StringIO(csv_text), delimiter=";"))
    assert row["ouders_ids"] == "p1" and "Dirk" not in csv_text     # ids, no names
    assert row["maatregelen"].startswith("[bold red]x[/]")
    assert not any(v.startswith(("=", "+", "@")) for v in row.values())

    reader = PdfReader(tmp_path / "out" / "datalekkenregister-2026-11-25.pdf")
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert '<img src="/etc/passwd"/>' in pdf and "[@click=app.quit]x[/]" in pdf
    assert "Dirk" not in pdf and "Ouder Dirk" not in pdf
    for label in ("Aard van de inbreuk", "Categorieën persoonsgegevens",
                  "Betrokkenen (categorieën, aantal)", "Waarschijnlijke gevolgen",
                  "Maatregelen (genomen of voorgesteld)", "Contactpersoon",
                  "Datum van de inbreuk", "Datum van ontdekking", "Betrokkenen geïnformeerd"):
        assert label in pdf, label
    assert "burgerservicenummer" in pdf and "ongeveer 1 persoon" in pdf
    images = [x for page in reader.pages for x in page.images]
    assert images == []
    exported = store.scalar("SELECT count(*) FROM audit_log WHERE action = 'breach.export'")
    assert exported == 1


# -- the console ----------------------------------------------------------------------------

async def test_the_console_lists_the_deadline_and_completes_a_record(store, monkeypatch):
    from textual.app import App
    from textual.widgets import Input, Select, Static

    from moderator.screens.audit import AuditScreen
    from moderator.screens.audit_widgets import PromptModal, SafeTable
    from moderator.screens.breaches import BreachForm, BreachScreen, DecisionForm

    monkeypatch.setenv("MODERATOR_NOW", "2026-11-20T09:00:00+01:00")
    hostile = " ".join(HOSTILE)
    with store.write():
        store.execute("UPDATE people SET name = ? WHERE id = 'p1'", ("Dirk " + hostile,))
    delete_item(store, add_post(store, "a1", f"BSN {BSN}"), "abuse", TEACHER3)
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-23T10:00:00+01:00")    # 73 hours later

    class AuditApp(App):
        def on_mount(self) -> None:
            self.push_screen(AuditScreen(store, AVG))

    async with AuditApp().run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        notes = [str(n.message) for n in pilot.app._notifications]
        assert any("1 datalek wacht" in n and "VERLOPEN" in n for n in notes), notes
        await pilot.press("ctrl+b")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, BreachScreen)
        table = screen.query_one("#breach-table", SafeTable)
        row = [str(c) for c in table.get_row_at(0)]
        assert row[0] == "DL-2026-0001" and row[4] == "VERLOPEN 1 u"
        assert "1 over de termijn" in str(screen.query_one("#breach-summary", Static).render())

        await pilot.press("a")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, BreachForm)
        form.query_one("#form-risk", Select).value = "none"
        form.query_one("#form-measures", Input).value = hostile
        form.query_one("#form-parent_ids", Input).value = "p1"
        form.query_one("#form-informed", Select).value = "not_needed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        breach = breaches.show_breach(store, AVG, "DL-2026-0001").breach
        assert breach.risk == "none" and breach.measures == hostile
        assert breach.parent_ids == ("p1",)

        detail = screen.query_one("#breach-detail", Static).render()
        shown = str(detail)
        assert "[bold red]x[/]" in shown and "<U+001B>" in shown and "Dirk" in shown
        assert "\x1b" not in shown

        await pilot.press("b")
        await pilot.pause()
        decision = pilot.app.screen
        assert isinstance(decision, DecisionForm)
        decision.query_one("#decision-choice", Select).value = "no_notify"
        decision.query_one("#decision-reason", Input).value = "alleen de leerkracht zag het"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [str(c) for c in table.get_row_at(0)][4] == "te laat besloten"

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PromptModal)
        await pilot.click("#prompt-confirm")
        await pilot.pause()
        assert breaches.show_breach(store, AVG, "DL-2026-0001").breach.status == "closed"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AuditScreen)
    assert _audit(store, "breach.close") == ["DL-2026-0001"]


def test_bad_input_gets_a_dutch_error_and_changes_nothing(store, tmp_path):
    add_account(store, "avg", "geheim", role="avg")
    add_account(store, "carla", "geheim", person_id="d1")
    delete_item(store, add_post(store, "a1", f"BSN {BSN}"), "abuse", TEACHER3)
    before = store.row("SELECT * FROM breaches")
    changes = "SELECT count(*) FROM audit_log WHERE action LIKE 'breach.%'"
    seq = store.scalar(changes)
    run = _runner(tmp_path)
    cases = [
        (("breach", "update", "DL-2026-0001", "--visible-from", "gisteren", "--risk", "low"),
         2, "geen geldige datum"),
        (("breach", "update", "DL-2026-0001", "--pupil", "u-onbekend"), 2, "geen leerling"),
        (("breach", "decide", "DL-2026-0001", "--notify", "--reference", "M-1"), 2,
         "beoordeel eerst het risico"),
        (("breach", "close", "DL-2026-0001"), 2, "afsluiten kan nog niet"),
        (("breach", "show", "DL-2099-0042"), 4, "niet gevonden"),
    ]
    for args, code, message in cases:
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.output and "Traceback" not in result.output, args
    refused = run("breach", "list", user="carla")
    assert refused.exit_code == 3 and "AVG-coördinator" in refused.output
    assert tuple(store.row("SELECT * FROM breaches")) == tuple(before)
    assert store.scalar(changes) == seq == 1           # the proposal only


def test_a_bsn_in_an_earlier_version_or_in_a_comment_deleted_with_the_post_counts(store):
    from tests.helpers_deletion import add_comment, add_revision

    edited = add_post(store, "a1", f"BSN van Tim: {BSN}")
    add_revision(store, edited, 2, "BSN weggehaald")
    delete_item(store, edited, "abuse", TEACHER3)
    post = add_post(store, "a2", "Wie weet het BSN-nummer voor de zwemles?")
    add_comment(store, "c1", "a2", f"Dat is {BSN}")
    delete_item(store, post, "abuse", TEACHER3)
    assert {b.item for b in breaches.list_breaches(store, AVG)} == {"post:a1", "post:a2"}
