"""verify: hard copies and exports against their hashes, unknown files, the audit chain."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from helpers_deletion import TEACHER3, add_comment, add_post

from moderator.archive.verify import parse_anchor, verify_archive
from moderator.services.deletion import delete_item
from moderator.store import audit


@pytest.fixture
def archive(school_store):
    s = school_store
    add_post(s, "P1", "Sukkel")
    add_comment(s, "C1", "P1", "Idioot")
    add_post(s, "P2", "Nog een")
    results = [delete_item(s, "comment:C1", "abuse", TEACHER3),
               delete_item(s, "post:P2", "abuse", TEACHER3)]
    return s, results


def flip_one_byte(path):
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def run(store, *args):
    from moderator.cli import main

    return CliRunner().invoke(main, ["--db", str(store.path), "--archives", str(store.archives),
                                     "verify", *args], catch_exceptions=False)


def test_clean_archive_passes(archive):
    store, _ = archive
    report = verify_archive(store)
    assert report.ok and report.checked == 2
    result = run(store)
    assert result.exit_code == 0 and "IN ORDE" in result.stdout


def test_no_name_is_ignored_anywhere(archive):
    store, results = archive
    folder = results[1].hardcopy_path.parent
    for rel in ("README.md", "s1/notes.tmp", f"{folder.relative_to(store.archives)}/.x.pdf.tmp"):
        (store.archives / rel).write_text("uitleg")
    assert sorted(p.path for p in verify_archive(store).unknown) == sorted([
        "README.md", "s1/notes.tmp", f"{folder.relative_to(store.archives)}/.x.pdf.tmp"])


def test_one_changed_byte_is_named(archive):
    store, results = archive
    flip_one_byte(results[1].hardcopy_path)
    report = verify_archive(store)
    assert not report.ok
    rel = results[1].hardcopy_path.relative_to(store.archives).as_posix()
    assert [p.path for p in report.altered] == [rel]
    result = run(store)
    assert result.exit_code == 1 and f"GEWIJZIGD  {rel}" in result.stdout


def test_missing_and_unknown_files_are_named(archive):
    store, results = archive
    os.remove(results[0].hardcopy_path)
    stray = results[1].hardcopy_path.parent / "extra.pdf"
    stray.write_bytes(b"%PDF")
    report = verify_archive(store)
    assert [p.path for p in report.missing] == [
        results[0].hardcopy_path.relative_to(store.archives).as_posix()]
    assert [p.path for p in report.unknown] == [stray.relative_to(store.archives).as_posix()]
    out = json.loads(run(store, "--json").stdout)
    assert out["ok"] is False and len(out["missing"]) == 1 and len(out["unknown"]) == 1


def test_exports_are_checked_too(archive):
    from helpers_deletion import DIRECTOR

    from moderator.services.dossier import export_incident

    store, _ = archive
    number = store.scalar("SELECT number FROM incidents LIMIT 1")
    record = export_incident(store, DIRECTOR, number)
    assert verify_archive(store).ok
    path = store.archives / record.path
    flip_one_byte(path)
    os.chmod(path, 0o444)
    assert [p.path for p in verify_archive(store).altered] == [record.path]


def test_an_export_row_written_behind_the_consoles_back_is_named(archive):
    import hashlib

    store, _ = archive
    path = store.archives / "s1" / "dossier.pdf"
    path.write_bytes(b"%PDF export")
    path.chmod(0o444)
    incident = store.scalar("SELECT id FROM incidents LIMIT 1")
    with store.write():
        store.execute("INSERT INTO exports (incident_id, path, size, sha256, created_by, created_at)"
                      " VALUES (?, 's1/dossier.pdf', 11, ?, 'juf', 'x')",
                      (incident, hashlib.sha256(b"%PDF export").hexdigest()))
    report = verify_archive(store)
    assert [p.path for p in report.unknown] == ["s1/dossier.pdf"]
    assert [(f.kind, f.subject) for f in report.findings] == [("register", "s1/dossier.pdf")]


def test_broken_audit_chain_names_the_entry(archive):
    store, _ = archive
    store.execute("DROP TRIGGER audit_log_no_update")
    store.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 3")
    report = verify_archive(store)
    assert [c.seq for c in report.chain] == [3]
    result = run(store)
    assert result.exit_code == 1 and "AUDITLOG   regel 3" in result.stdout


def test_anchor_proves_the_entry_is_still_there(archive):
    store, _ = archive
    seq, digest = audit.head(store)
    assert run(store, "--anchor", f"{seq}:{digest}").exit_code == 0
    missing = run(store, "--anchor", f"{seq + 5}:{digest}")
    assert missing.exit_code == 1 and "NIET GEVONDEN" in missing.stdout
    bad = run(store, "--anchor", "nonsense")
    assert bad.exit_code == 2 and "SEQ:HASH" in bad.output
    with pytest.raises(ValueError):
        parse_anchor("12:abc")


def test_anchor_printed_on_a_hard_copy_is_in_the_log(archive):
    store, _ = archive
    row = store.row("SELECT audit_seq, audit_hash FROM hardcopies ORDER BY id DESC LIMIT 1")
    assert verify_archive(store, anchor=(row["audit_seq"], row["audit_hash"])).anchor_ok


def test_progress_reports_the_total(archive):
    store, _ = archive
    seen = []
    verify_archive(store, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (2, 2)
