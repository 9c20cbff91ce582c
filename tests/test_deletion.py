"""Delete with a hard copy first, dismiss, recovery, and the CLI verbs."""

from __future__ import annotations

import hashlib
import os
import stat

import pypdf
import pytest
from click.testing import CliRunner
from helpers_deletion import (
    AVG,
    DIRECTOR,
    TEACHER3,
    TEACHER5,
    add_comment,
    add_post,
    add_report,
    add_revision,
    add_rule_flag,
)

from moderator.archive import durable
from moderator.archive.hardcopy import HardCopyFacts, item_sha256, render_hardcopy
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.services.deletion import (
    LOCK_NAME,
    _plan,
    delete_item,
    delete_items,
    find_orphans,
    recover,
)
from moderator.services.moderation import dismiss
from moderator.store import audit
from moderator.store.items import item_detail


@pytest.fixture
def store(school_store):
    s = school_store
    add_post(s, "P1", "Jij bent een sukkel", title="Over de juf")
    add_revision(s, "post:P1", 2, "Jij bent echt een sukkel")
    add_comment(s, "C1", "P1", "Eens!")
    add_comment(s, "C2", "P1", "Niet aardig", author="p1")
    add_post(s, "P2", "Morgen gym", author="t3")
    add_comment(s, "C3", "P2", "Mijn kind is ziek, heeft ADHD")
    add_post(s, "P5", "Groep 5 bericht", group="g5", author="t5")
    add_report(s, "post:P1", "abuse", note="Gemeen")
    add_rule_flag(s, "post:P1", "abuse", "sukkel", 15)
    add_report(s, "comment:C1", "abuse")
    add_rule_flag(s, "comment:C3", "confidential", "ADHD", 25)
    return s


def body_of(store, item):
    kind, item_id = item.split(":")
    return store.row(f"SELECT body, deleted_at, deleted_by FROM {kind}s WHERE id = ?", (item_id,))


def test_delete_post_writes_copy_then_removes_text(store):
    result = delete_item(store, "post:P1", "abuse", TEACHER3, note="Na gesprek")
    assert result.incident_number == "INC-2026-0001"
    assert result.hardcopy_path.relative_to(store.archives).parts[:3] == (
        "s1", "2026", "INC-2026-0001")
    data = result.hardcopy_path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == result.sha256
    assert stat.S_IMODE(os.stat(result.hardcopy_path).st_mode) == 0o444
    # The item and its comments are gone from the store, their text only in the copy.
    for item in ("post:P1", "comment:C1", "comment:C2"):
        row = body_of(store, item)
        assert row["body"] is None and row["deleted_at"] and row["deleted_by"] == "juf"
        assert store.scalar("SELECT count(*) FROM revisions WHERE item = ? AND body IS NOT NULL",
                            (item,)) == 0
    assert body_of(store, "comment:C3")["body"]  # another post's comment stays
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(result.hardcopy_path).pages)
    for expected in ("Jij bent een sukkel", "Jij bent echt een sukkel", "Eens!", "Niet aardig",
                     "Na gesprek", "INC-2026-0001", "Juf Anouk", "Gedrag, punt 4", "Gemeen"):
        assert expected in text
    hc = store.row("SELECT * FROM hardcopies")
    assert (hc["item"], hc["sha256"], hc["size"], hc["reason"], hc["note"]) == (
        "post:P1", result.sha256, len(data), "abuse", "Na gesprek")
    assert hc["item_sha256"] in pypdf.PdfReader(result.hardcopy_path).metadata["/Keywords"]
    assert hc["item_sha256"] in text
    # flags closed, queue empty for the item, incident event, audit, no intent left
    assert {r[0] for r in store.rows("SELECT status FROM flags WHERE item IN"
                                     " ('post:P1', 'comment:C1')")} == {"resolved"}
    assert store.scalar("SELECT count(*) FROM queue_items WHERE item IN ('post:P1','comment:C1')") == 0
    event = store.row("SELECT * FROM incident_events")
    assert event["kind"] == "deletion" and event["author"] == "juf"
    (entry,) = audit.entries(store, action="item.delete")
    assert entry.subject == "post:P1" and entry.detail["sha256"] == result.sha256
    assert entry.detail["comments"] == ["comment:C1", "comment:C2"]
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0
    assert not audit.verify_chain(store)


def test_delete_comment_keeps_post_and_extends_incident(store):
    first = delete_item(store, "comment:C2", "abuse", DIRECTOR)
    second = delete_item(store, "post:P1", "abuse", DIRECTOR)  # same author p1: same incident
    assert first.incident_number == second.incident_number == "INC-2026-0001"
    assert store.scalar("SELECT count(*) FROM incident_events") == 2
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(first.hardcopy_path).pages)
    assert "Niet aardig" in text and "Jij bent echt een sukkel" in text  # post as context
    other = delete_item(store, "comment:C3", "confidential", DIRECTOR)  # author p2
    assert other.incident_number == "INC-2026-0002"


@pytest.mark.parametrize("actor", [TEACHER5, AVG])
def test_only_group_admins_and_directors_delete(store, actor):
    with pytest.raises(PermissionDenied):
        delete_item(store, "post:P1", "abuse", actor)
    assert body_of(store, "post:P1")["body"]
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0
    assert not store.archives.exists() or not list(store.archives.rglob("*.pdf"))


def test_second_delete_is_a_clear_conflict(store):
    delete_item(store, "comment:C1", "abuse", TEACHER3)
    with pytest.raises(Conflict, match="al verwijderd op"):
        delete_item(store, "comment:C1", "abuse", TEACHER3)
    delete_item(store, "post:P1", "abuse", TEACHER3)
    with pytest.raises(Conflict, match="al verwijderd op"):  # went with its post
        delete_item(store, "comment:C2", "abuse", TEACHER3)


def test_bad_reason_and_unknown_item(store):
    with pytest.raises(UsageError, match="onbekende redencode"):
        delete_item(store, "post:P1", "ugly", TEACHER3)
    with pytest.raises(UsageError, match="onbekende redencode"):
        delete_item(store, "post:P1", "frequency", TEACHER3)  # group-level, not an item reason
    with pytest.raises(NotFound):
        delete_item(store, "post:nope", "abuse", TEACHER3)


def test_batch_checks_everything_first(store):
    with pytest.raises(PermissionDenied):
        delete_items(store, ["post:P2", "post:P5"], "abuse", TEACHER3)
    assert body_of(store, "post:P2")["body"]  # nothing went
    seen = []
    results = delete_items(store, ["comment:C1", "post:P2"], "abuse", TEACHER3,
                           progress=lambda done, total, r: seen.append((done, total, r.item)))
    assert [r.item for r in results] == ["comment:C1", "post:P2"]
    assert seen == [(1, 2, "comment:C1"), (2, 2, "post:P2")]


def test_render_failure_leaves_item_live_and_no_file(store, monkeypatch):
    import moderator.services.deletion as deletion

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(deletion, "render_hardcopy", boom)
    with pytest.raises(RuntimeError):
        delete_item(store, "post:P1", "abuse", TEACHER3)
    assert body_of(store, "post:P1")["body"] == "Jij bent echt een sukkel"
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0
    assert not store.archives.exists() or not [p for p in store.archives.rglob("*")
                                               if p.is_file() and p.name != LOCK_NAME]


def test_dismiss_needs_a_note_and_closes_flags(store):
    with pytest.raises(UsageError):
        dismiss(store, TEACHER3, "post:P1", "  ")
    with pytest.raises(PermissionDenied):
        dismiss(store, TEACHER5, "post:P1", "ok")
    assert dismiss(store, TEACHER3, "post:P1", "Grapje tussen ouders") == 2
    assert {r[0] for r in store.rows("SELECT close_note FROM flags WHERE item='post:P1'")} == {
        "Grapje tussen ouders"}
    (entry,) = audit.entries(store, action="item.dismiss")
    # The chain keeps the note's hash, not the text (it outlives the dossier).
    assert "note" not in entry.detail and entry.detail["note_sha256"] == hashlib.sha256(
        b"Grapje tussen ouders").hexdigest()
    with pytest.raises(Conflict):
        dismiss(store, TEACHER3, "post:P1", "nog eens")
    assert body_of(store, "post:P1")["body"]


def _interrupted(store, item, *, stage):
    """Simulate a crash: intent committed, then the copy written fully/partially/not."""
    plan = _plan(store, item, "abuse", TEACHER3, "crash")
    final = store.archives / plan.path
    if stage == "none":
        return final
    data = render_hardcopy(plan.detail, plan.facts, plan.digest)
    if stage == "temp":
        durable.make_dirs(final.parent)
        durable.temp_path(final).write_bytes(data[: len(data) // 2])
    elif stage == "truncated":
        durable.make_dirs(final.parent)
        final.write_bytes(data[:-200])
    elif stage == "complete":
        durable.write_durably(final, data)
    return final


@pytest.mark.parametrize("stage", ["none", "temp", "truncated"])
def test_recover_rolls_back_incomplete_copies(store, stage):
    final = _interrupted(store, "post:P1", stage=stage)
    report = recover(store)
    assert report.rolled_back == ("post:P1",) and report.finished == ()
    assert body_of(store, "post:P1")["body"] == "Jij bent echt een sukkel"
    assert not final.exists() and not durable.temp_path(final).exists()
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0
    delete_item(store, "post:P1", "abuse", TEACHER3)  # and it can be deleted afterwards


def test_recover_finishes_a_complete_copy(store):
    final = _interrupted(store, "post:P1", stage="complete")
    report = recover(store)
    assert report.finished == ("post:P1",)
    assert body_of(store, "post:P1")["body"] is None
    hc = store.row("SELECT * FROM hardcopies")
    assert hc["sha256"] == hashlib.sha256(final.read_bytes()).hexdigest()
    assert hc["note"] == "crash"
    (entry,) = audit.entries(store, action="item.delete")
    assert entry.detail["recovered"] is True and entry.actor == "juf"


def test_recover_finishes_an_intent_recorded_without_its_incident_number(store):
    """An intent left by a version that did not record the incident number with it is
    finished in the incident its hard copy's folder names."""
    final = _interrupted(store, "post:P1", stage="complete")
    number = final.parent.name
    store.execute("UPDATE delete_intents SET incident_number = NULL")
    assert recover(store).finished == ("post:P1",)
    assert body_of(store, "post:P1")["body"] is None
    assert store.scalar("SELECT number FROM incidents") == number


def test_recover_reports_orphans(store):
    delete_item(store, "comment:C1", "abuse", TEACHER3)
    stray = store.archives / "s1" / "2026" / "stray.pdf"
    stray.write_bytes(b"%PDF-1.4 not ours")
    assert recover(store).orphans == ("s1/2026/stray.pdf",)
    assert find_orphans(store) == ["s1/2026/stray.pdf"]


def test_copy_made_before_a_new_comment_is_not_committed(store, monkeypatch):
    """A comment arriving between rendering and the transaction would be deleted
    uncopied: the deletion re-renders instead."""
    import moderator.services.deletion as deletion

    real = deletion.render_hardcopy
    calls = []

    def render_then_comment(detail, facts, digest):
        data = real(detail, facts, digest)
        if not calls:
            add_comment(store, "C9", "P1", "Late reactie")
        calls.append(1)
        return data

    monkeypatch.setattr(deletion, "render_hardcopy", render_then_comment)
    result = delete_item(store, "post:P1", "abuse", TEACHER3)
    assert len(calls) == 2
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(result.hardcopy_path).pages)
    assert "Late reactie" in text
    assert find_orphans(store) == []


def test_hash_in_copy_matches_item(store):
    detail = item_detail(store, "comment:C1")
    facts = HardCopyFacts("abuse", TEACHER3, "2026-11-25T10:00:00+01:00", None, "INC-2026-0009",
                          0, "0" * 64)
    data = render_hardcopy(detail, facts)
    assert item_sha256(detail) in pypdf.PdfReader(__import__("io").BytesIO(data)).metadata[
        "/Keywords"]


# -- CLI ----------------------------------------------------------------------------------

@pytest.fixture
def cli_env(store, monkeypatch):
    from moderator.services.accounts import add_account

    add_account(store, "juf", "geheim123", person_id="t3")
    add_account(store, "meester", "geheim123", person_id="t5")
    monkeypatch.setenv("MODERATOR_PASSWORD", "geheim123")
    return ["--db", str(store.path), "--archives", str(store.archives)]


def run(args):
    from moderator.cli import main

    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_cli_delete_batch_prints_incident_and_file(store, cli_env):
    result = run([*cli_env, "delete", "comment:C1", "post:P2", "--reason", "abuse",
                  "--user", "juf", "--note", "zie gesprek"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("comment:C1  INC-2026-0001  ")
    assert lines[1].startswith("post:P2  INC-2026-0002  ") and lines[1].endswith(".pdf")
    again = run([*cli_env, "delete", "comment:C1", "--reason", "abuse", "--user", "juf"])
    assert again.exit_code == 5 and "al verwijderd op" in again.output


def test_cli_delete_refused_and_dismiss_and_comments(store, cli_env):
    refused = run([*cli_env, "delete", "post:P1", "--reason", "abuse", "--user", "meester"])
    assert refused.exit_code == 3
    no_note = run([*cli_env, "dismiss", "post:P1", "--user", "juf"])
    assert no_note.exit_code != 0
    ok = run([*cli_env, "dismiss", "post:P1", "--user", "juf", "--note", "prima"])
    assert ok.exit_code == 0 and "2 signaleringen afgewezen" in ok.output
    off = run([*cli_env, "comments", "off", "post:P2", "--user", "juf"])
    assert off.exit_code == 0
    assert store.scalar("SELECT comments_enabled FROM posts WHERE id='P2'") == 0
    other = run([*cli_env, "comments", "off", "P1", "--user", "meester"])
    assert other.exit_code == 3


def test_cli_start_recovers_interrupted_deletion(store, cli_env):
    _interrupted(store, "post:P1", stage="complete")
    _interrupted(store, "comment:C3", stage="temp")
    result = run([*cli_env, "verify"])
    assert "onderbroken verwijdering van post:P1 afgemaakt" in result.stderr
    assert "onderbroken verwijdering van comment:C3 teruggedraaid" in result.stderr
    assert result.exit_code == 0, result.output
    assert body_of(store, "comment:C3")["body"]


def test_recovery_leaves_a_running_deletion_alone(store, monkeypatch):
    import moderator.services.deletion as deletion

    monkeypatch.setattr(deletion, "LOCK_WAIT_SECONDS", 0.2)
    with deletion._deleting(store):          # another session is mid-deletion
        final = _interrupted(store, "post:P1", stage="temp")
        report = recover(store)
        assert report.finished == report.rolled_back == ()
        assert durable.temp_path(final).exists()
        assert store.scalar("SELECT count(*) FROM delete_intents") == 1
    assert recover(store).rolled_back == ("post:P1",)  # that session died: now it is ours


def test_hostile_item_id_stays_inside_the_archive(store):
    add_post(store, "../../etc/x<b>\x1b", "Hallo")
    result = delete_item(store, "post:../../etc/x<b>\x1b", "abuse", TEACHER3)
    path = result.hardcopy_path.resolve()
    assert path.is_relative_to(store.archives.resolve())
    assert path.parent == (store.archives / "s1" / "2026" / result.incident_number).resolve()
    assert "/" not in path.name.removesuffix(".pdf") and "\x1b" not in str(path)


def test_a_teacher_cannot_dismiss_reports_about_her_own_post(store):
    add_report(store, "post:P2", "negative", note="Gaat over één kind")
    with pytest.raises(PermissionDenied, match="eigen bericht"):
        dismiss(store, TEACHER3, "post:P2", "Niets aan de hand")
    assert store.scalar("SELECT count(*) FROM flags WHERE item='post:P2' AND status='open'") == 1
    assert dismiss(store, DIRECTOR, "post:P2", "Besproken, mag blijven") == 1


def test_a_comment_whose_post_is_in_the_batch_goes_with_the_post(store):
    """Not 'al verwijderd' halfway: the post's hard copy holds the comment."""
    covered = []
    results = delete_items(store, ["comment:C1", "post:P1", "post:P2"], "abuse", TEACHER3,
                           covered=lambda comment, post: covered.append((comment, post)))
    assert [r.item for r in results] == ["post:P1", "post:P2"]
    assert covered == [("comment:C1", "post:P1")]
    assert body_of(store, "comment:C1")["deleted_at"] and body_of(store, "post:P2")["deleted_at"]
    (entry,) = audit.entries(store, action="item.delete", subject="post:P1")
    assert "comment:C1" in entry.detail["comments"]


def test_a_batch_with_a_post_and_its_comment_from_the_cli(store):
    from moderator.cli import main
    from moderator.services.accounts import add_account

    add_account(store, "juf", "geheim123", person_id="t3")
    result = CliRunner().invoke(main, [
        "--db", str(store.path), "--archives", str(store.archives), "delete", "post:P1",
        "comment:C1", "post:P2", "--user", "juf", "--reason", "abuse"],
        env={"MODERATOR_PASSWORD": "geheim123"})
    assert result.exit_code == 0, result.output
    assert "comment:C1  gaat mee met post:P1" in result.stdout


def test_a_read_only_archive_gives_a_dutch_error_and_leaves_nothing(store, tmp_path):
    """chattr +i: not even root may write there (as on a read-only mount)."""
    import shutil
    import subprocess

    from moderator.errors import ArchiveUnavailable

    if shutil.which("chattr") is None:
        pytest.skip("chattr not available")
    store.archives.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["chattr", "+i", str(store.archives)], capture_output=True).returncode:
        pytest.skip("this file system has no immutable flag")
    try:
        with pytest.raises(ArchiveUnavailable, match="niet opslaan.*er is niets verwijderd"):
            delete_item(store, "post:P1", "abuse", TEACHER3)
    finally:
        subprocess.run(["chattr", "-i", str(store.archives)], check=True)
    assert body_of(store, "post:P1")["body"] == "Jij bent echt een sukkel"
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0
    assert [p.name for p in store.archives.iterdir()] in ([], [LOCK_NAME])


def test_a_full_archive_disk_gives_a_dutch_error_and_leaves_nothing(store, monkeypatch):
    import errno

    from moderator.errors import ArchiveUnavailable

    real_write = os.write

    def full(fd, data):
        if os.fstat(fd).st_size == 0 and bytes(data[:4]) == b"%PDF":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(ArchiveUnavailable, match="er is niets verwijderd"):
        delete_item(store, "post:P1", "abuse", TEACHER3)
    monkeypatch.setattr(os, "write", real_write)
    assert body_of(store, "post:P1")["body"] == "Jij bent echt een sukkel"
    assert store.scalar("SELECT count(*) FROM delete_intents") == 0
    left = [] if not store.archives.exists() else [p.name for p in store.archives.rglob("*")]
    assert left in ([], [LOCK_NAME])        # only the deletions' lock file, never a copy


def test_a_failed_durable_write_removes_the_folders_it_made(tmp_path):
    root = tmp_path / "archives"
    root.mkdir()
    with pytest.raises(OSError):       # a name too long for the file system, after mkdir
        durable.write_durably(root / "s1" / "2026" / ("x" * 300 + ".pdf"), b"%PDF")
    assert list(root.iterdir()) == []


def test_a_rolled_back_deletion_leaves_no_empty_incident_folder(store, monkeypatch):
    import moderator.services.deletion as deletion

    def moved(*args, **kwargs):
        raise deletion._Moved("test")

    monkeypatch.setattr(deletion, "_finish", moved)
    with pytest.raises(Conflict):
        delete_item(store, "post:P1", "abuse", TEACHER3)
    left = [] if not store.archives.exists() else [p.name for p in store.archives.rglob("*")]
    assert left in ([], [LOCK_NAME])        # no incident folder, only the lock file
