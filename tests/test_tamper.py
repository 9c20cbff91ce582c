"""Tampering with the database and the archive together, the way someone holding both
files would: every table row an attacker can recompute is recomputed (and a trigger in
the way is dropped and put back verbatim), so only the hash-chained audit log and its
witness outside the database can tell. ``moderator verify`` must name each case."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers_deletion import DIRECTOR, TEACHER3, add_comment, add_post

from moderator.archive.verify import verify_archive
from moderator.services.deletion import delete_item
from moderator.services.dossier import add_event
from moderator.store import Store, audit, witness
from moderator.store.db import _split_sql
from moderator.store.schema import MIGRATIONS


@pytest.fixture
def archive(school_store):
    s = school_store
    add_post(s, "P1", "Sukkel")
    add_comment(s, "C1", "P1", "Idioot")
    add_post(s, "P2", "Nog een")
    results = [delete_item(s, "comment:C1", "abuse", TEACHER3),
               delete_item(s, "post:P2", "abuse", TEACHER3)]
    number = results[1].incident_number
    add_event(s, DIRECTOR, number, "note", "Ouder gebeld, excuses aangeboden")
    s.witness.flush()      # as a few seconds after the last change
    return s, results


class Attacker:
    """A second connection to the database file, outside the console."""

    def __init__(self, store: Store):
        self.conn = sqlite3.connect(store.path, isolation_level=None)

    def trigger_sql(self, name: str) -> str:
        return self.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                 (name,)).fetchone()[0]

    def around(self, trigger: str, *statements: tuple[str, tuple]) -> None:
        """Drop a trigger, run the statements, put the trigger back exactly as it was."""
        sql = self.trigger_sql(trigger)
        self.conn.execute("BEGIN")
        self.conn.execute(f"DROP TRIGGER {trigger}")
        for statement, params in statements:
            self.conn.execute(statement, params)
        self.conn.execute(sql)
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def run_verify(store: Store, *args: str):
    from moderator.cli import main

    return CliRunner().invoke(main, ["--db", str(store.path), "--archives", str(store.archives),
                                     "verify", *args], catch_exceptions=False)


def kinds(report) -> set[tuple[str, str]]:
    return {(f.kind, f.subject) for f in report.findings}


def test_untouched_archive_is_in_order(archive):
    store, _ = archive
    report = verify_archive(store)
    assert report.ok, report
    result = run_verify(store)
    assert result.exit_code == 0 and "IN ORDE" in result.stdout


def test_a_swapped_hard_copy_with_its_row_updated_to_match_is_caught(archive):
    store, results = archive
    path = results[1].hardcopy_path
    rel = path.relative_to(store.archives).as_posix()
    forged = b"%PDF-1.4 forged hard copy"
    path.chmod(0o644)
    path.write_bytes(forged)
    path.chmod(0o444)
    attacker = Attacker(store)
    attacker.around("hardcopies_no_update", (
        "UPDATE hardcopies SET sha256 = ?, size = ? WHERE path = ?",
        (hashlib.sha256(forged).hexdigest(), len(forged), rel)))
    attacker.close()
    report = verify_archive(store)
    assert [p.path for p in report.altered] == [rel]
    assert ("register", rel) in kinds(report)
    assert not report.chain            # the chain itself is whole
    result = run_verify(store)
    assert result.exit_code == 1
    assert f"GEWIJZIGD  {rel}" in result.stdout and f"REGISTER   {rel}" in result.stdout


def test_a_deleted_hard_copy_with_its_row_deleted_is_caught(archive):
    store, results = archive
    path = results[0].hardcopy_path
    rel = path.relative_to(store.archives).as_posix()
    path.chmod(0o644)
    path.unlink()
    attacker = Attacker(store)
    attacker.around("hardcopies_no_delete", ("DELETE FROM hardcopies WHERE path = ?", (rel,)))
    attacker.close()
    report = verify_archive(store)
    assert [p.path for p in report.missing] == [rel]
    assert ("register", rel) in kinds(report)
    assert run_verify(store).exit_code == 1


def test_the_old_destroying_switch_no_longer_opens_the_dossier(archive):
    store, _ = archive
    event_id = store.scalar("SELECT max(id) FROM incident_events")
    incident_id = store.scalar("SELECT incident_id FROM incident_events WHERE id = ?", (event_id,))
    attacker = Attacker(store)
    attacker.conn.execute("INSERT INTO settings (key, value) VALUES ('destroying', ?)",
                          (str(incident_id),))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        attacker.conn.execute("UPDATE incident_events SET text = 'Vervalst' WHERE id = ?",
                              (event_id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        attacker.conn.execute("DELETE FROM incident_events WHERE id = ?", (event_id,))
    # With the trigger dropped and put back, the change is made, and verify names it.
    attacker.around("incident_events_no_update", (
        "UPDATE incident_events SET text = 'Vervalst' WHERE id = ?", (event_id,)))
    attacker.close()
    report = verify_archive(store)
    assert ("dossier", f"aantekening {event_id}") in kinds(report)
    result = run_verify(store)
    assert result.exit_code == 1 and f"DOSSIER    aantekening {event_id}: inhoud gewijzigd" \
        in result.stdout


def test_a_forged_destruction_record_does_not_excuse_removed_entries(archive):
    store, results = archive
    number = results[1].incident_number
    attacker = Attacker(store)
    attacker.conn.execute(
        "INSERT INTO destructions (incident_number, school_id, destroyed_at, destroyed_by,"
        " ground, n_hardcopies) VALUES (?, 's1', 'x', 'avg', 'x', 0)", (number,))
    removed = [r[0] for r in attacker.conn.execute(
        "SELECT e.id FROM incident_events e JOIN incidents i ON i.id = e.incident_id"
        " WHERE i.number = ?", (number,))]
    attacker.conn.execute("DELETE FROM incident_events WHERE incident_id ="
                          " (SELECT id FROM incidents WHERE number = ?)", (number,))
    attacker.close()
    found = kinds(verify_archive(store))
    assert ("vernietiging", number) in found
    assert {("dossier", f"aantekening {n}") for n in removed} <= found


def test_an_entry_added_behind_the_consoles_back_is_named(archive):
    store, _ = archive
    incident_id = store.scalar("SELECT min(id) FROM incidents")
    attacker = Attacker(store)
    new_id = attacker.conn.execute(
        "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text)"
        " VALUES (?, 'note', 'x', 'x', 'directeur', 'Verzonnen')", (incident_id,)).lastrowid
    attacker.close()
    assert ("dossier", f"aantekening {new_id}") in kinds(verify_archive(store))


@pytest.mark.parametrize("trigger", [
    "audit_log_no_update", "incident_events_no_update", "incident_events_no_delete",
    "hardcopies_no_update", "exports_no_delete", "destructions_no_delete"])
def test_a_dropped_trigger_is_named(archive, trigger):
    store, _ = archive
    attacker = Attacker(store)
    attacker.conn.execute(f"DROP TRIGGER {trigger}")
    attacker.close()
    report = verify_archive(store)
    assert ("schema", trigger) in kinds(report)
    result = run_verify(store)
    assert result.exit_code == 1 and f"SCHEMA     {trigger}: ontbreekt" in result.stdout


def test_a_trigger_replaced_by_a_harmless_one_is_named(archive):
    store, _ = archive
    attacker = Attacker(store)
    attacker.conn.execute("DROP TRIGGER incident_events_no_update")
    attacker.conn.execute("CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON"
                          " incident_events WHEN 0 BEGIN SELECT 1; END")
    attacker.close()
    found = {f.detail for f in verify_archive(store).findings if f.kind == "schema"}
    assert found == {"is vervangen door een andere versie"}


@pytest.mark.parametrize("mode", [0o666, 0o000, 0o644])
def test_a_permission_change_is_named(archive, mode):
    store, results = archive
    path = results[0].hardcopy_path
    rel = path.relative_to(store.archives).as_posix()
    path.chmod(mode)
    report = verify_archive(store)
    assert [(f.kind, f.subject) for f in report.findings] == [("rechten", rel)]
    assert f"{mode:04o}" in report.findings[0].detail
    result = run_verify(store)
    assert result.exit_code == 1 and f"RECHTEN    {rel}: rechten {mode:04o}" in result.stdout


def test_a_cut_tail_is_caught_by_the_witness_without_an_anchor(archive):
    store, _ = archive
    seq, _digest = audit.head(store)
    written = witness.read(store.witness.path)
    assert written.newest is not None and written.newest.seq == seq
    attacker = Attacker(store)
    attacker.around("audit_log_no_delete", ("DELETE FROM audit_log WHERE seq > ?", (seq - 2,)))
    attacker.close()
    report = verify_archive(store)
    assert not report.chain            # what is left is a whole chain
    assert any(f.kind == "getuige" and "afgeknipt" in f.detail for f in report.findings)
    result = run_verify(store)
    assert result.exit_code == 1 and "GETUIGE" in result.stdout and "afgeknipt" in result.stdout


def test_a_rewritten_tail_is_caught_by_the_witness(archive):
    store, _ = archive
    seq, _digest = audit.head(store)
    row = store.row("SELECT * FROM audit_log WHERE seq = ?", (seq,))
    forged = audit.entry_hash(row["prev_hash"], seq, row["at"], "iemand", row["action"],
                              row["subject"], row["school_id"], row["detail"])
    attacker = Attacker(store)
    attacker.around("audit_log_no_update", (
        "UPDATE audit_log SET actor = 'iemand', hash = ? WHERE seq = ?", (forged, seq)))
    attacker.close()
    report = verify_archive(store)
    assert not report.chain
    assert any(f.kind == "getuige" and "herschreven" in f.detail for f in report.findings)


def test_a_removed_witness_is_named(archive):
    store, _ = archive
    store.witness.path.unlink()
    store.witness._written = None
    report = verify_archive(store)
    assert any(f.kind == "getuige" and "ontbreekt" in f.detail for f in report.findings)


def test_a_setting_changed_by_hand_is_named(archive):
    from helpers_deletion import AVG

    from moderator.services.retention import set_retention_years

    store, _ = archive
    set_retention_years(store, AVG, 7)
    assert verify_archive(store).ok
    attacker = Attacker(store)
    attacker.conn.execute("UPDATE settings SET value = '1' WHERE key = 'retention_years'")
    attacker.close()
    assert ("instelling", "retention_years") in kinds(verify_archive(store))


def test_a_destroyed_incident_leaves_a_clean_verify(school_store):
    from moderator.services import retention
    from tests.helpers_avg import AVG, add_incident

    add_incident(school_store)
    assert verify_archive(school_store).ok
    retention.destroy_incident(school_store, AVG, "INC-2024-0001", "bewaartermijn verstreken")
    report = verify_archive(school_store)
    assert report.ok, report
    entry = audit.entries(school_store, action="incident.destroy")[0]
    assert "Dirk" not in json.dumps(entry.detail)


def test_the_temp_file_of_a_deletion_in_progress_is_tolerated_only_in_its_place(archive):
    store, results = archive
    folder = results[1].hardcopy_path.parent
    rel_folder = folder.relative_to(store.archives).as_posix()
    with store.write():
        store.execute("INSERT INTO delete_intents (item, actor, reason, path, created_at)"
                      " VALUES ('post:P1', 'juf', 'abuse', ?, 'x')", (f"{rel_folder}/post-P1-x.pdf",))
    (folder / ".post-P1-x.pdf.tmp").write_bytes(b"%PD")
    (store.archives / "s1" / ".post-P1-x.pdf.tmp").write_bytes(b"%PD")
    assert [p.path for p in verify_archive(store).unknown] == ["s1/.post-P1-x.pdf.tmp"]


def test_an_old_database_without_content_hashes_is_sealed_and_verifiable(tmp_path):
    """A database from before this version: its entries get their hashes in one chained
    seal entry at the upgrade; what it has (files, chain) stays checked."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:4], start=1):
        for statement in _split_sql(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.executescript("""
        INSERT INTO schools (id, name) VALUES ('s1', 'De Klimboom');
        INSERT INTO incidents (number, school_id, opened_at, opened_by)
            VALUES ('INC-2026-0001', 's1', '2026-01-01T00:00:00+01:00', 'juf');
        INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text)
            VALUES (1, 'note', '2026-01-02T00:00:00+01:00', '2026-01-02T00:00:00+01:00',
                    'juf', 'Oude aantekening');
    """)
    conn.close()
    store = Store(db, tmp_path / "archives")
    try:
        assert witness.read(store.witness.path).newest.seq == audit.head(store)[0]
        (seal,) = audit.entries(store, action="integrity.seal")
        assert seal.detail["events"][0][0] == 1 and "Oude" not in json.dumps(seal.detail)
        assert verify_archive(store).ok
        store.execute("DROP TRIGGER incident_events_no_update")
        store.execute("UPDATE incident_events SET text = 'Vervalst'")
        assert ("dossier", "aantekening 1") in kinds(verify_archive(store))
    finally:
        store.close()


def test_the_witness_is_written_late_in_batches_and_on_exit(tmp_path):
    target = tmp_path / "w" / "head.witness"
    w = witness.Witness(target, delay=0.2)
    w.notify(1, "a" * 64)                 # the first head: at once
    assert [x.seq for x in witness.read(target).lines] == [1]
    w.notify(2, "b" * 64)
    w.notify(3, "c" * 64)
    assert [x.seq for x in witness.read(target).lines] == [1]
    deadline = time.monotonic() + 5
    while len(witness.read(target).lines) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [x.seq for x in witness.read(target).lines] == [1, 3]   # the burst: newest only

    # A command-line run leaves its head behind before it exits.
    env = {**os.environ, "MODERATOR_PASSWORD": "geheim", "PYTHONPATH": str(Path.cwd())}
    env.pop("MODERATOR_WITNESS", None)
    base = [sys.executable, "-m", "moderator", "--db", str(tmp_path / "m.db"),
            "--archives", str(tmp_path / "archives")]
    subprocess.run([*base, "user", "add", "avg", "--role", "avg"], env=env, check=True,
                   capture_output=True)
    subprocess.run([*base, "user", "add", "avg2", "--role", "avg", "--user", "avg"],
                   env={**env, "MODERATOR_NEW_PASSWORD": "nieuw1"},
                   check=True, capture_output=True)
    store = Store(tmp_path / "m.db", tmp_path / "archives")
    try:
        head = audit.head(store)
        newest = witness.read(tmp_path / "archives.witness").newest
        assert (newest.seq, newest.hash) == head
    finally:
        store.close()


def test_the_witness_can_live_elsewhere(tmp_path):
    elsewhere = tmp_path / "other-disk" / "moderator.witness"
    base = ["--db", str(tmp_path / "m.db"), "--archives", str(tmp_path / "archives")]
    result = CliRunner().invoke(main_cli(), [*base, "--witness", str(elsewhere), "user", "add",
                                             "avg", "--role", "avg"],
                                env={"MODERATOR_PASSWORD": "geheim"})
    assert result.exit_code == 0, result.output
    assert witness.read(elsewhere).newest.seq >= 1
    ok = CliRunner().invoke(main_cli(), [*base, "verify"], env={"MODERATOR_WITNESS": str(elsewhere)})
    assert ok.exit_code == 0, ok.output
    lost = CliRunner().invoke(main_cli(), [*base, "verify"],    # looks beside the archive
                              env={"MODERATOR_WITNESS": None})
    assert lost.exit_code == 1 and "getuigebestand ontbreekt" in lost.stdout


def main_cli():
    from moderator.cli import main

    return main


def test_a_read_only_database_is_verified_without_writing(archive):
    """A database on a read-only mount (here: the immutable flag, which binds root too)
    is opened read-only for verify and the reading verbs; writing verbs say why not."""
    import shutil

    store, _ = archive
    if shutil.which("chattr") is None:
        pytest.skip("chattr not available")
    store.close()
    folder = store.path.parent
    before = sorted(p.name for p in folder.iterdir())
    if subprocess.run(["chattr", "+i", str(store.path), str(folder)],
                      capture_output=True).returncode:
        pytest.skip("this file system has no immutable flag")
    try:
        base = ["--db", str(store.path), "--archives", str(store.archives)]
        result = CliRunner().invoke(main_cli(), [*base, "verify"])
        assert result.exit_code == 0, result.output
        assert "IN ORDE" in result.stdout
        listed = CliRunner().invoke(main_cli(), [*base, "user", "list", "--json"])
        assert listed.exit_code == 0, listed.output
        refused = CliRunner().invoke(main_cli(), [*base, "queue", "--user", "juf"],
                                     env={"MODERATOR_PASSWORD": "x"})
        assert refused.exit_code == 6 and "alleen-lezen" in refused.stderr
        assert "Traceback" not in refused.output
    finally:
        subprocess.run(["chattr", "-i", str(store.path), str(folder)], check=True)
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("statement, detail", [
    ("UPDATE incidents SET retention_until = '2020-01-01T00:00:00+01:00'", "bewaartermijn"),
    ("UPDATE incidents SET outcome = 'Vervalst'", "uitkomst gewijzigd"),
    ("UPDATE incidents SET legal_hold = 0, legal_hold_reason = NULL", "bewaarplicht"),
    ("UPDATE incidents SET status = 'open'", "weer geopend"),
])
def test_a_closed_dossier_changed_by_hand_is_named(school_store, statement, detail):
    """A retention date moved or a hold lifted by hand would open early destruction."""
    from tests.helpers_avg import add_incident

    add_incident(school_store, hold="Klacht loopt")
    assert verify_archive(school_store).ok
    attacker = Attacker(school_store)
    attacker.conn.execute(statement)
    attacker.close()
    found = [f for f in verify_archive(school_store).findings if f.kind == "dossier"]
    assert [f.subject for f in found] == ["INC-2024-0001"] and detail in found[0].detail


def test_closing_through_the_console_chains_outcome_and_retention(archive):
    from helpers_deletion import DIRECTOR as director

    from moderator.services.dossier import close_incident

    store, results = archive
    close_incident(store, director, results[1].incident_number, "Afgerond",
                   reason_without_conversation="Ouder niet bereikbaar")
    assert verify_archive(store).ok
    attacker = Attacker(store)
    attacker.conn.execute("UPDATE incidents SET outcome = 'Anders' WHERE number = ?",
                          (results[1].incident_number,))
    attacker.close()
    assert any("uitkomst" in f.detail for f in verify_archive(store).findings)


def test_an_entry_appended_to_re_record_a_swapped_copy_is_named(archive):
    """Anyone with the file can extend the chain at its end; re-recording a path (or an
    entry) with new content is named, since the console records each once."""
    store, results = archive
    path = results[1].hardcopy_path
    rel = path.relative_to(store.archives).as_posix()
    forged = b"%PDF-1.4 forged"
    path.chmod(0o644)
    path.write_bytes(forged)
    path.chmod(0o444)
    digest = hashlib.sha256(forged).hexdigest()
    attacker = Attacker(store)
    attacker.around("hardcopies_no_update", (
        "UPDATE hardcopies SET sha256 = ?, size = ? WHERE path = ?", (digest, len(forged), rel)))
    attacker.close()
    with store.write():       # appended with valid hashes, as an attacker can
        audit.append(store, "juf", "item.delete", results[1].item,
                     {"path": rel, "sha256": digest, "size": len(forged)}, "s1")
    report = verify_archive(store)
    assert not report.chain and not report.altered
    assert any(f.subject == rel and "twee keer" in f.detail for f in report.findings)
