"""Opening a database from before deadlines: items already queued get theirs."""

from __future__ import annotations

from moderator.store import Store, db
from moderator.store.schema import MIGRATIONS, V_TIME


def test_queued_items_get_deadlines_when_the_migration_runs(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    monkeypatch.setattr(db, "MIGRATIONS", MIGRATIONS[:MIGRATIONS.index(V_TIME)])
    old = Store(path, tmp_path / "archives")
    with old.write():
        old.execute("INSERT INTO schools (id, name) VALUES ('s1', 'School')")
        old.execute("INSERT INTO groups (id, school_id, name, kind) VALUES ('g', 's1', 'G', 'class')")
        old.execute("INSERT INTO people (id, school_id, name, role) VALUES ('p', 's1', 'P', 'parent')")
        old.execute("INSERT INTO posts (id, group_id, author_id, created_at, body) VALUES"
                    " ('a', 'g', 'p', '2026-11-26T09:00:00+01:00', 'x')")
        old.execute("INSERT INTO flags (item, school_id, group_id, source, reason, created_at)"
                    " VALUES ('post:a', 's1', 'g', 'report', 'threat', '2026-11-26T10:00:00+01:00')")
        old.execute("INSERT INTO queue_items (item, kind, item_id, school_id, group_id, author_id,"
                    " created_at, severity, reasons, sources, n_reports, n_flags, excerpt) VALUES"
                    " ('post:a', 'post', 'a', 's1', 'g', 'p', '2026-11-26T09:00:00+01:00', 100,"
                    " 'threat', 'report', 1, 1, 'x')")
    old.close()
    monkeypatch.setattr(db, "MIGRATIONS", MIGRATIONS)
    new = Store(path, tmp_path / "archives")
    try:
        row = new.row("SELECT flagged_at, due_at FROM queue_items WHERE item = 'post:a'")
        assert tuple(row) == ("2026-11-26T10:00:00+01:00", "2026-11-26T16:00:00+00:00")
        assert new.schema_version == len(MIGRATIONS)
    finally:
        new.close()
