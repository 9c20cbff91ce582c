"""A deletion leaves nothing in the user's working folder beside the database: its lock
file lives hidden in the archive folder, and verify does not count it as unknown."""

from __future__ import annotations

from helpers_console import actor, build

from moderator.archive.verify import verify_archive
from moderator.services.deletion import delete_item
from moderator.store import Store


def test_deleting_leaves_no_lock_file_next_to_the_database(tmp_path):
    work = tmp_path / "werkmap"
    work.mkdir()
    store = build(Store(work / "moderator.db", work / "archives"), accounts="fast")
    try:
        delete_item(store, "post:P1", "threat", actor(store, "anouk"), note="Dreigement")
        report = verify_archive(store)
    finally:
        store.close()
    beside = sorted(p.name for p in work.iterdir() if not p.name.startswith("moderator.db"))
    # the archive, and the audit chain's witness beside it (README: keep a copy elsewhere)
    assert beside == ["archives", "archives.witness"]
    assert (work / "archives" / ".delete-lock").exists()
    assert report.ok, report
