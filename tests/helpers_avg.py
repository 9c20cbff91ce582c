"""Test data for the AVG coordinator's work, built with direct inserts."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from moderator.policy.access import Actor
from moderator.store import Store, audit, integrity

AVG = Actor(username="avg", role="avg", person_id=None, school_id=None, name="AVG-coördinator")
DIRECTOR = Actor(username="carla", role="director", person_id="d1", school_id="s1",
                 name="Directeur Carla")
TEACHER = Actor(username="anouk", role="teacher", person_id="t3", school_id="s1",
                name="Juf Anouk", admin_groups=frozenset({"g3"}))
OTHER_DIRECTOR = Actor(username="otto", role="director", person_id="d9", school_id="s2",
                       name="Directeur Otto")

HOSTILE = "[bold red]x[/] [@click=app.quit]y[/] \x1b[2J\u202e <font size=300></para>"


def add_incident(store: Store, number: str = "INC-2024-0001", *, person: str = "p1",
                 status: str = "closed", closed_at: str | None = "2024-06-01T10:00:00+02:00",
                 retention_until: str | None = "2026-06-01T10:00:00+02:00",
                 hold: str | None = None, n_hardcopies: int = 2, item: str = "post:m1",
                 body: str = "Jullie juf is een [bold]sukkel[/]") -> int:
    """An incident with deleted post ``item``, ``n_hardcopies`` hard copy files on disk,
    a timeline and an access log line. Returns the incident id."""
    with store.write():
        post_id = item.split(":", 1)[1]
        if store.row("SELECT 1 FROM posts WHERE id = ?", (post_id,)) is None:
            store.execute(
                "INSERT INTO posts (id, group_id, author_id, created_at, title, body, deleted_at,"
                " deleted_by) VALUES (?, 'g3', ?, '2024-05-01T09:00:00+02:00', 'Titel', NULL,"
                " '2024-05-02T09:00:00+02:00', 'anouk')", (post_id, person))
            store.execute("INSERT INTO revisions (item, rev, title, body, recorded_at) VALUES"
                          " (?, 1, 'Titel', NULL, '2024-05-01T09:00:00+02:00')", (item,))
            store.execute(
                "INSERT INTO flags (item, school_id, group_id, source, reason, reporter_id, note,"
                " evidence, created_at, status) VALUES (?, 's1', 'g3', 'report', 'abuse', 'p2',"
                " 'Dit is kwetsend', ?, '2024-05-01T10:00:00+02:00', 'resolved')",
                (item, json.dumps([{"reason": "abuse", "start": 0, "end": 6, "text": "sukkel"}])))
        cursor = store.execute(
            "INSERT INTO incidents (number, school_id, group_id, person_id, status, opened_at,"
            " opened_by, closed_at, outcome, retention_until, legal_hold, legal_hold_reason)"
            " VALUES (?, 's1', 'g3', ?, ?, '2024-05-02T09:00:00+02:00', 'anouk', ?, ?, ?, ?, ?)",
            (number, person, status, closed_at, "Gesprek gevoerd met Ouder Dirk", retention_until,
             1 if hold else 0, hold))
        incident_id = cursor.lastrowid
        store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, participants,"
            " text) VALUES (?, 'parent_conversation', '2024-05-03T09:00:00+02:00',"
            " '2024-05-03T09:00:00+02:00', 'carla', ?, ?)",
            (incident_id, json.dumps(["Ouder Dirk", "Directeur Carla"]),
             "Dirk zegt dat het niet meer gebeurt"))
        # Chained as the console chains them, so verify finds the dossier as recorded.
        if status == "closed":
            audit.append(store, "directeur", "incident.close", f"incident:{number}", {
                "retention_until": retention_until,
                "outcome_sha256": integrity.text_sha256("Gesprek gevoerd met Ouder Dirk")}, "s1")
        if hold:
            audit.append(store, "avg", "incident.hold", f"incident:{number}",
                         {"reason_sha256": integrity.text_sha256(hold)}, "s1")
        store.event_written(store.scalar("SELECT max(id) FROM incident_events"))
        audit.append(store, "anouk", "incident.parent_conversation", f"incident:{number}", {},
                     "s1")
        folder = Path(store.archives) / "s1" / "2024" / number
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(n_hardcopies):
            content = f"%PDF-1.4 hard copy {number} {n} {body}".encode()
            rel = f"s1/2024/{number}/afschrift-{n + 1}.pdf"
            path = Path(store.archives) / rel
            path.write_bytes(content)
            os.chmod(path, 0o444)
            store.execute(
                "INSERT INTO hardcopies (incident_id, item, path, size, sha256, item_sha256,"
                " reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'abuse', 'anouk',"
                " '2024-05-02T09:00:00+02:00')",
                (incident_id, item, rel, len(content), hashlib.sha256(content).hexdigest(),
                 hashlib.sha256(body.encode()).hexdigest()))
            audit.append(store, "anouk", "item.delete", item, {
                "incident": number, "path": rel, "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content), "item_sha256": hashlib.sha256(body.encode()).hexdigest()},
                "s1")
        store.execute(
            "INSERT INTO access_log (at, actor, action, incident_id, person_id, detail) VALUES"
            " ('2024-05-04T09:00:00+02:00', 'carla', 'view', ?, ?, ?)",
            (incident_id, person, json.dumps({"note": "Ouder Dirk gebeld"})))
    return incident_id


def add_second_school(store: Store) -> None:
    with store.write():
        store.execute("INSERT INTO schools (id, name) VALUES ('s2', 'De Vlinder')")
        store.execute("INSERT INTO people (id, school_id, name, role) VALUES"
                      " ('d9', 's2', 'Directeur Otto', 'director')")
