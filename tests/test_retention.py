"""Retention term, legal holds, destruction (services.retention), and the AVG
coordinator's log reads (services.audit_log)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.services import audit_log, retention
from moderator.services.verify import destroyed_leftovers
from moderator.store import audit
from tests.helpers_avg import AVG, DIRECTOR, TEACHER, add_incident


def test_retention_term_defaults_to_two_years_and_only_avg_sets_it(school_store):
    s = school_store
    assert retention.retention_years(s) == retention.DEFAULT_RETENTION_YEARS == 2
    with pytest.raises(PermissionDenied):
        retention.set_retention_years(s, DIRECTOR, 5)
    with pytest.raises(UsageError):
        retention.set_retention_years(s, AVG, 0)
    retention.set_retention_years(s, AVG, 7)
    assert retention.retention_years(s) == 7
    entry = audit.entries(s, action="retention.set")[0]
    assert entry.actor == "avg" and entry.detail == {"from": 2, "to": 7}


def test_closing_an_incident_uses_the_retention_setting(school_store):
    from moderator.services.dossier import close_incident
    from moderator.store import retention as retention_rows

    retention.set_retention_years(school_store, AVG, 5)
    assert retention_rows.retention_years(school_store) == 5
    add_incident(school_store, "INC-2026-0001", status="measure", closed_at=None,
                 retention_until=None)
    closed = close_incident(school_store, DIRECTOR, "INC-2026-0001", "Afgesproken")
    assert closed.retention_until == "2031-11-25T10:00:00+01:00"


def test_expired_list_holds_only_closed_incidents_past_their_term(school_store):
    s = school_store
    add_incident(s, "INC-2024-0001")                               # expired
    add_incident(s, "INC-2024-0002", retention_until="2027-01-01T00:00:00+01:00",
                 item="post:m2")                                    # still running
    add_incident(s, "INC-2024-0003", status="measure", closed_at=None,
                 retention_until=None, item="post:m3")              # open
    add_incident(s, "INC-2024-0004", hold="Klacht bij de geschillencommissie",
                 item="post:m4")                                    # expired but on hold
    expired = retention.list_retention(s, AVG, expired_only=True)
    assert [r.number for r in expired] == ["INC-2024-0001", "INC-2024-0004"]
    assert expired[1].legal_hold
    everything = retention.list_retention(s, AVG)
    assert {r.number for r in everything} == {f"INC-2024-000{n}" for n in range(1, 5)}
    with pytest.raises(PermissionDenied):
        retention.list_retention(s, DIRECTOR)


def test_destroy_removes_files_and_personal_data_and_keeps_a_record(school_store):
    s = school_store
    incident_id = add_incident(s)
    files = sorted((Path(s.archives) / "s1" / "2024" / "INC-2024-0001").iterdir())
    hashes = [r["sha256"] for r in s.rows("SELECT sha256 FROM hardcopies ORDER BY id")]
    assert len(files) == 2

    record = retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")

    assert not any(f.exists() for f in files)
    assert not (Path(s.archives) / "s1" / "2024" / "INC-2024-0001").exists()
    for table in ("incidents", "incident_events", "hardcopies", "exports"):
        assert s.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table
    # The access log line stays (who looked, when) but holds no personal data any more.
    line = s.row("SELECT * FROM access_log WHERE actor = 'carla'")
    assert line["incident_id"] is None and line["person_id"] is None
    assert json.loads(line["detail"]) == {"destroyed": True, "incident": "INC-2024-0001"}
    # What the flags still quoted from the deleted message is gone too.
    flag = s.row("SELECT * FROM flags WHERE item = 'post:m1'")
    assert json.loads(flag["evidence"]) == [] and flag["note"] is None
    # The record: what, when, who, ground, number of hard copies and their hashes.
    assert record.incident_number == "INC-2024-0001" and record.destroyed_by == "avg"
    assert record.ground == "bewaartermijn verstreken" and record.n_hardcopies == 2
    assert list(record.hardcopy_sha256) == hashes
    stored = s.row("SELECT * FROM destructions")
    assert "p1" not in json.dumps(dict(stored)) and "Dirk" not in json.dumps(dict(stored))
    entry = audit.entries(s, action="incident.destroy")[0]
    assert entry.subject == "incident:INC-2024-0001" and entry.detail["hardcopy_sha256"] == hashes
    assert audit.verify_chain(s) == []
    assert s.scalar("SELECT COUNT(*) FROM settings WHERE key = 'destroying'") == 0
    assert incident_id not in audit_log.incident_numbers(s, AVG, {incident_id})


def test_legal_hold_blocks_destruction_and_the_refusal_is_logged(school_store):
    s = school_store
    add_incident(s)
    retention.set_legal_hold(s, AVG, "INC-2024-0001", "Klacht loopt bij de geschillencommissie")
    with pytest.raises(Conflict, match="bewaarplicht"):
        retention.destroy_incident(s, AVG, "INC-2024-0001", "verzoek om verwijdering",
                                   erasure_request=True)
    refused = audit.entries(s, action="incident.destroy_refused")
    assert refused and refused[0].detail["why"] == "legal_hold"
    assert refused[0].detail["erasure_request"] is True
    assert s.scalar("SELECT COUNT(*) FROM hardcopies") == 2
    assert all(p.exists() for p in (Path(s.archives) / "s1/2024/INC-2024-0001").iterdir())
    # The hold is on the timeline; releasing it lets the destruction through.
    kinds = [r["kind"] for r in s.rows("SELECT kind FROM incident_events ORDER BY id")]
    assert kinds[-1] == "legal_hold"
    retention.set_legal_hold(s, AVG, "INC-2024-0001", None, release=True)
    retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    assert s.scalar("SELECT COUNT(*) FROM destructions") == 1


def test_a_running_term_or_an_open_incident_refuses_destruction(school_store):
    s = school_store
    add_incident(s, "INC-2024-0001", retention_until="2027-01-01T00:00:00+01:00")
    add_incident(s, "INC-2024-0002", status="measure", closed_at=None, retention_until=None,
                 item="post:m2")
    with pytest.raises(Conflict, match="bewaard tot"):
        retention.destroy_incident(s, AVG, "INC-2024-0001", "opruimen")
    with pytest.raises(Conflict, match="niet gesloten"):
        retention.destroy_incident(s, AVG, "INC-2024-0002", "verzoek", erasure_request=True)
    assert [e.detail["why"] for e in audit.entries(s, action="incident.destroy_refused")] == [
        "not_closed", "retention_running"]
    # An erasure request (AVG art. 17) may go before the term ends.
    retention.destroy_incident(s, AVG, "INC-2024-0001", "verzoek tot wissing", erasure_request=True)
    assert s.scalar("SELECT COUNT(*) FROM incidents") == 1


@pytest.mark.parametrize("actor", [DIRECTOR, TEACHER])
def test_only_avg_destroys_holds_and_reads_logs(school_store, actor):
    s = school_store
    add_incident(s)
    with pytest.raises(PermissionDenied):
        retention.destroy_incident(s, actor, "INC-2024-0001", "weg ermee")
    with pytest.raises(PermissionDenied):
        retention.set_legal_hold(s, actor, "INC-2024-0001", "reden")
    with pytest.raises(PermissionDenied):
        audit_log.read_audit_log(s, actor)
    with pytest.raises(PermissionDenied):
        audit_log.read_access_log(s, actor)
    with pytest.raises(PermissionDenied):
        audit_log.audit_anchor(s, actor)
    assert s.scalar("SELECT COUNT(*) FROM hardcopies") == 2


def test_destruction_needs_a_ground_and_a_file_outside_the_archive_is_refused(school_store):
    s = school_store
    add_incident(s)
    with pytest.raises(UsageError):
        retention.destroy_incident(s, AVG, "INC-2024-0001", "   ")
    with s.write():
        s.execute("DROP TRIGGER hardcopies_no_update")   # an attacker with the file
        s.execute("UPDATE hardcopies SET path = '../../etc/passwd' WHERE id = 1")
    with pytest.raises(Conflict, match="buiten"):
        retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    assert s.scalar("SELECT COUNT(*) FROM incidents") == 1  # nothing half-done


def test_a_second_attempt_finishes_when_a_file_was_already_gone(school_store):
    s = school_store
    add_incident(s)
    first = Path(s.archives) / "s1/2024/INC-2024-0001/afschrift-1.pdf"
    first.chmod(0o644)
    first.unlink()
    retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    assert s.scalar("SELECT n_hardcopies FROM destructions") == 2


def test_audit_and_access_logs_filter_and_every_read_is_logged(school_store):
    s = school_store
    add_incident(s)
    with s.write():
        audit.append(s, "carla", "incident.close", "incident:INC-2024-0001", {}, "s1")
        audit.append(s, "anouk", "item.delete", "post:m1", {}, "s1")
    found = audit_log.read_audit_log(s, AVG, actor_name="carla")
    assert [e.action for e in found] == ["incident.close"]
    assert audit_log.read_audit_log(s, AVG, school_id="s1", action="item.delete")[0].actor == "anouk"
    assert audit_log.read_audit_log(s, AVG, since="2030-01-01") == []
    viewed = audit_log.read_access_log(s, AVG, incident="INC-2024-0001")
    assert [(v.actor, v.action) for v in viewed] == [("carla", "view")]
    actions = [r["action"] for r in s.rows("SELECT action FROM access_log WHERE actor = 'avg'")]
    assert actions == ["audit_log_view"] * 3 + ["access_log_view"]
    # After destruction the lines are still found by the incident number.
    retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    assert [v.actor for v in audit_log.read_access_log(s, AVG, incident="INC-2024-0001")] == ["carla"]


def test_anchor_is_the_chain_head_and_survives_later_entries(school_store):
    s = school_store
    with s.write():
        audit.append(s, "avg", "test.one")
    seq, digest = audit_log.audit_anchor(s, AVG)
    with s.write():
        audit.append(s, "avg", "test.two")
    assert audit.contains_anchor(s, seq, digest)


def test_a_destroyed_file_back_on_disk_is_recognised(school_store):
    s = school_store
    add_incident(s)
    path = Path(s.archives) / "s1/2024/INC-2024-0001/afschrift-1.pdf"
    content = path.read_bytes()
    retention.destroy_incident(s, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    (path.parent / "other.pdf").write_bytes(b"something else")
    rel = "s1/2024/INC-2024-0001/"
    assert destroyed_leftovers(s, [rel + "afschrift-1.pdf", rel + "other.pdf"]) == {
        rel + "afschrift-1.pdf": "INC-2024-0001"}


@pytest.mark.parametrize("bad", ["morgenvroeg", "2026-13-01", "31-02-2026"])
def test_a_period_that_is_not_a_date_is_refused(school_store, bad):
    with pytest.raises(UsageError, match="onbekende datum"):
        audit_log.read_audit_log(school_store, AVG, since=bad)
    with pytest.raises(UsageError, match="onbekende datum"):
        audit_log.read_access_log(school_store, AVG, until=bad)


def test_a_destroyed_incidents_number_is_never_given_out_again(school_store):
    from moderator.store.incidents import open_or_extend_incident

    s = school_store
    add_incident(s, "INC-2026-0001", retention_until="2027-06-01T00:00:00+02:00")
    retention.destroy_incident(s, AVG, "INC-2026-0001", "verzoek tot wissing",
                               erasure_request=True)
    ref = open_or_extend_incident(s, school_id="s1", group_id="g3", person_id="p1", actor="anouk")
    assert ref.number == "INC-2026-0002"


def test_end_to_end_delete_close_export_then_destroy_after_the_term(school_store, monkeypatch):
    """Real hard copy and export files (read-only, in their folders), the real closing
    rules; two years and a day later the AVG coordinator destroys and verify stays green."""
    from moderator.archive.verify import verify_archive
    from moderator.services import dossier as incidents
    from moderator.services.deletion import delete_item
    from moderator.services.dossier import export_incident
    from tests.helpers_deletion import add_post, add_report

    s = school_store
    add_post(s, "m7", "Jullie juf is een [bold]sukkel[/] \x1b[2J")
    add_report(s, "post:m7", "abuse", note="Ouder Eva vindt dit kwetsend")
    result = delete_item(s, "post:m7", "abuse", DIRECTOR, note="schelden")
    number = result.incident_number
    incidents.add_event(s, DIRECTOR, number, "parent_conversation", "Gesprek met Dirk",
                        participants=["Ouder Dirk"])
    incidents.close_incident(s, DIRECTOR, number, "Afgesproken: niet meer schelden")
    export_incident(s, AVG, number)
    files = [p for p in Path(s.archives).rglob("*")
             if p.is_file() and p.name != ".delete-lock"]
    assert len(files) == 2 and verify_archive(s).ok
    hashes = [r["sha256"] for r in s.rows("SELECT sha256 FROM hardcopies")]

    with pytest.raises(Conflict, match="bewaard tot"):
        retention.destroy_incident(s, AVG, number, "bewaartermijn verstreken")
    monkeypatch.setenv("MODERATOR_NOW", "2028-11-26T10:00:00+01:00")
    assert [r.number for r in retention.list_retention(s, AVG, expired_only=True)] == [number]
    record = retention.destroy_incident(s, AVG, number, "bewaartermijn verstreken")

    assert not any(p.exists() for p in files)
    assert list(record.hardcopy_sha256) == hashes
    report = verify_archive(s)
    assert report.ok, report.as_dict()
    for table in ("incidents", "incident_events", "hardcopies", "exports"):
        assert s.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert s.scalar("SELECT COUNT(*) FROM flags WHERE note IS NOT NULL OR evidence != '[]'") == 0
