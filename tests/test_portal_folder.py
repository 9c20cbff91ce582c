"""Portal sync through a folder: deliveries, receipts, incoming exports; and the outbox
rules that do not depend on the connector (measures, CLI)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers_deletion import DIRECTOR, HOSTILE, TEACHER3, add_post

from moderator.errors import InputError
from moderator.policy.access import Actor
from moderator.services import portal_sync
from moderator.services.dossier import add_event
from moderator.services.moderation import set_comments
from moderator.store import audit, outbox
from moderator.store.incidents import open_or_extend_incident

OPERATOR = Actor("system:test", "system", None, None, "operator")


@pytest.fixture
def portal(tmp_path):
    return tmp_path / "portal"


@pytest.fixture
def connected(school_store, portal):
    portal_sync.connect(school_store, DIRECTOR, "s1", folder=str(portal))
    add_post(school_store, "a1", "x")
    return school_store


def push(store):
    [report] = portal_sync.push(store, OPERATOR, "s1")
    return report


def outbox_lines(portal) -> list[dict]:
    files = sorted((portal / "outbox").iterdir())
    assert all(f.name.endswith(".jsonl") for f in files)      # no temp names left
    return [json.loads(line) for f in files for line in f.read_text().splitlines()]


def write_receipts(portal, name: str, lines: list) -> None:
    data = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    temp = portal / "receipts" / f".{name}.part"
    temp.write_text(data)
    temp.rename(portal / "receipts" / name)


def test_connect_creates_the_layout(connected, portal):
    for sub in ("outbox", "receipts/read", "incoming/done", "incoming/failed"):
        assert (portal / sub).is_dir()
    assert outbox.get_connector(connected, "s1").folder == str(portal.resolve())


def test_actions_are_delivered_one_file_per_push_and_confirmed_by_receipts(connected, portal):
    set_comments(connected, TEACHER3, "a1", False)
    set_comments(connected, TEACHER3, "a1", True)
    off, on = outbox.list_actions(connected, school_id="s1")
    report = push(connected)
    assert report.delivered == 1
    [file] = (portal / "outbox").iterdir()
    assert file.name.startswith("actions-") and file.name.endswith("Z-1.jsonl")
    # only the first action for the post goes out: the next waits for its receipt
    assert [line["id"] for line in outbox_lines(portal)] == [off.id]
    assert outbox.get_action(connected, off.id).status == "sent"
    assert push(connected).delivered == 0          # nothing new while waiting

    write_receipts(portal, "r1.jsonl", [{"id": off.id, "status": "done", "receipt": "P-1",
                                         "done_at": "2026-12-02T10:14:00+01:00"}])
    report = push(connected)
    assert report.receipts == 1 and report.delivered == 1
    done = outbox.get_action(connected, off.id)
    assert done.status == "done" and done.done_at == "2026-12-02T10:14:00+01:00"
    assert (portal / "receipts" / "read" / "r1.jsonl").exists()
    assert not (portal / "receipts" / "r1.jsonl").exists()
    lines = outbox_lines(portal)
    assert [line["id"] for line in lines] == [off.id, on.id]
    assert lines[1]["target"] == {"post": "a1", "enabled": True}

    write_receipts(portal, "r2.jsonl", [{"id": on.id, "status": "refused",
                                         "message": "Bericht " + HOSTILE[0]}])
    push(connected)
    refused = outbox.get_action(connected, on.id)
    assert refused.status == "refused" and refused.last_error == "Bericht [bold red]x[/]"
    statuses = [e.action for e in audit.entries(connected, subject=f"action:{on.id}")]
    assert statuses == ["portal.action.refused", "portal.action.sent", "portal.action.pending"]


@pytest.mark.parametrize("bad, where", [
    ('{"id": "act-123", "status": "done"}', "actie-id"),
    ('{"id": "ACT", "status": "done"', "geen geldige JSON"),
    ("[1, 2]", "JSON-object"),
    ('{"id": "%s", "status": "gedaan"}', "'status'"),
    ('{"id": "%s", "status": "done", "done_at": "gisteren"}', "'done_at'"),
    ('{"id": "act-0000000000000000000000000Z", "status": "done"}', "onbekende actie"),
])
def test_a_malformed_receipt_file_is_refused_whole(connected, portal, bad, where):
    set_comments(connected, TEACHER3, "a1", False)
    add_post(connected, "a2", "y")
    set_comments(connected, TEACHER3, "a2", False)
    first, second = outbox.list_actions(connected, school_id="s1")
    push(connected)
    before = connected.scalar("SELECT COUNT(*) FROM audit_log")
    bad_line = bad % second.id if "%s" in bad else bad
    write_receipts(portal, "r1.jsonl", [{"id": first.id, "status": "done"}, bad_line])
    report = push(connected)
    assert report.error.startswith(f"{portal.resolve() / 'receipts' / 'r1.jsonl'}:2:")
    assert where in report.error
    assert outbox.get_action(connected, first.id).status == "sent"      # line 1 not applied
    assert (portal / "receipts" / "r1.jsonl").exists()                  # left in place
    assert connected.scalar("SELECT COUNT(*) FROM audit_log") == before


def test_pull_imports_incoming_files_in_name_order(connected, portal):
    good = {"type": "post", "id": "n1", "group": "g3", "author": "p1",
            "created_at": "2026-11-24T10:00:00+01:00", "body": "Nieuw"}
    (portal / "incoming" / "b.jsonl").write_text(
        json.dumps({**good, "id": "n2"}) + "\n" + '{"type": "post", "id": 5}\n')
    (portal / "incoming" / "a.jsonl").write_text(json.dumps(good) + "\n")
    (portal / "incoming" / "c.jsonl.part").write_text("half")      # not ready: ignored
    [report] = portal_sync.pull(connected, OPERATOR, "s1")
    assert report.batches == 1 and report.added == 1 and len(report.failed) == 1
    assert (portal / "incoming" / "done" / "a.jsonl").exists()
    assert (portal / "incoming" / "failed" / "b.jsonl").exists()
    error = (portal / "incoming" / "failed" / "b.jsonl.error").read_text()
    assert "b.jsonl:2:" in error
    assert connected.scalar("SELECT COUNT(*) FROM posts WHERE id IN ('n1', 'n2')") == 1
    assert (portal / "incoming" / "c.jsonl.part").exists()


def test_a_measure_the_portal_carries_out_becomes_restrict_member(connected):
    ref = open_or_extend_incident(connected, school_id="s1", group_id="g3", person_id="p1",
                                  actor="juf")
    add_event(connected, TEACHER3, ref.id, "measure", "Twee weken alleen lezen",
              measure="read_only", at="2026-11-24")
    add_event(connected, TEACHER3, ref.id, "measure", "Uit de groep", measure="group_removal")
    add_event(connected, TEACHER3, ref.id, "measure", "Gewaarschuwd", measure="warning")
    first, second = outbox.list_actions(connected, school_id="s1")
    assert first.kind == second.kind == "restrict_member"
    assert first.target == {"person": "p1", "group": None, "mode": "read_only",
                            "from": "2026-11-24T00:00:00+01:00", "until": None}
    assert second.target["group"] == "g3" and second.target["mode"] == "removed"
    assert first.target_key == second.target_key == "person:p1"
    assert first.incident == ref.number and first.requested_by == "t3"
    assert first.reason is None          # no removal in this dossier: no catalogue reason


def test_actions_wait_without_a_connector(school_store):
    add_post(school_store, "a1", "x")
    set_comments(school_store, TEACHER3, "a1", False)
    [status] = portal_sync.status(school_store)
    assert status.connector is None and status.counts["pending"] == 1
    assert portal_sync.push(school_store, OPERATOR) == []


def test_cli_connect_push_status(connected, portal, tmp_path, monkeypatch):
    from moderator.cli import main
    from moderator.services.accounts import add_account

    add_account(connected, "directie", "geheim-wachtwoord", person_id="d1")
    set_comments(connected, TEACHER3, "a1", False)
    db = str(connected.path)
    monkeypatch.setenv("MODERATOR_PASSWORD", "geheim-wachtwoord")
    runner = CliRunner()
    result = runner.invoke(main, ["--db", db, "portal", "connect", "--school", "s1",
                                  "--folder", str(portal), "--user", "directie"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--db", db, "portal", "push"])
    assert result.exit_code == 0, result.output
    assert "1 actie in de uitmap" in result.output
    result = runner.invoke(main, ["--db", db, "portal", "status", "--json"])
    [school] = json.loads(result.output)
    assert school["counts"]["sent"] == 1 and school["actions"][0]["status"] == "sent"
    write_receipts(portal, "r.jsonl", ['{"id": "act-bad"'])
    result = runner.invoke(main, ["--db", db, "portal", "push"])
    assert result.exit_code == 6 and "r.jsonl:1:" in result.output
    assert "Traceback" not in result.output


def test_a_receipt_file_with_bad_bytes_names_the_line(connected, portal):
    from moderator.portal import folder

    (portal / "receipts" / "x.jsonl").write_bytes(b"\n\xff\xfe\n")
    with pytest.raises(InputError, match=r"x\.jsonl:2: geen geldige UTF-8"):
        folder.read_receipts(portal / "receipts" / "x.jsonl")


def test_the_dossier_timeline_shows_when_the_portal_carried_it_out(connected, portal):
    from moderator.screens.dossier import render_detail
    from moderator.services.deletion import delete_item
    from moderator.services.dossier import get_incident

    result = delete_item(connected, "post:a1", "abuse", TEACHER3)
    push(connected)
    [action] = outbox.list_actions(connected, school_id="s1")
    detail = get_incident(connected, DIRECTOR, result.incident_number, log_view=False)
    shown = str(render_detail(detail, portal_actions=portal_sync.incident_actions(
        connected, DIRECTOR, result.incident_number)))
    assert "In het portaal" in shown and "afgeleverd, wacht op bevestiging" in shown
    write_receipts(portal, "r.jsonl", [{"id": action.id, "status": "done",
                                        "done_at": "2026-12-02T10:14:00+01:00"}])
    push(connected)
    shown = str(render_detail(detail, portal_actions=portal_sync.incident_actions(
        connected, DIRECTOR, result.incident_number)))
    assert "bericht verwijderen post=a1" in shown
    assert "in het portaal uitgevoerd op 02-12-2026 10:14" in shown


def test_the_dossier_export_pdf_says_when_the_portal_carried_it_out(connected, portal):
    from pypdf import PdfReader

    from moderator.services.deletion import delete_item
    from moderator.services.dossier import export_incident

    result = delete_item(connected, "post:a1", "abuse", TEACHER3)
    push(connected)
    [action] = outbox.list_actions(connected, school_id="s1")
    write_receipts(portal, "r.jsonl", [{"id": action.id, "status": "done",
                                        "done_at": "2026-12-02T10:14:00+01:00"}])
    push(connected)
    exported = export_incident(connected, DIRECTOR, result.incident_number)
    path = connected.archives / exported.path
    cover = " ".join(p.extract_text() for p in PdfReader(str(path)).pages[:2])
    assert "In het portaal" in cover
    assert "in het portaal uitgevoerd op 02-12-2026 10:14" in " ".join(cover.split())


def test_the_audit_log_filters_on_every_portal_action(connected):
    set_comments(connected, TEACHER3, "a1", False)
    push(connected)
    found = {e.action for e in audit.entries(connected, action="portal.*")}
    assert found == {"portal.connect", "portal.action.pending", "portal.action.sent"}
    assert all(e.action.startswith("post.") for e in audit.entries(connected, action="post.*"))


def test_status_shows_hostile_portal_text_literally(connected, portal):
    from moderator.cli import main

    hostile = "x\x1b[31m\u202e[bold]y[/]"
    add_post(connected, hostile, "z")
    set_comments(connected, TEACHER3, hostile, False)
    [action] = outbox.list_actions(connected, school_id="s1")
    push(connected)
    write_receipts(portal, "r.jsonl", [{"id": action.id, "status": "refused",
                                        "message": "nee \x1b]0;pwned\x07 " + HOSTILE[1]}])
    push(connected)
    result = CliRunner().invoke(main, ["--db", str(connected.path), "portal", "status"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "<U+001B>[31m<U+202E>[bold]y[/]" in result.output
    assert "nee <U+001B>]0;pwned<U+0007> [@click=app.quit]x[/]" in result.output
    data = json.loads(CliRunner().invoke(
        main, ["--db", str(connected.path), "portal", "status", "--json"]).output)
    assert data[0]["actions"][0]["target"]["post"] == hostile
