"""Test data for items, hard copies and deletion: rows inserted directly."""

from __future__ import annotations

import json

from moderator.policy.access import Actor
from moderator.store import Store

HOSTILE = [
    "[bold red]x[/]", "[@click=app.quit]x[/]", "\x1b[2J\x1b]0;pwned\x07", "\u202e",
    '<img src="/etc/passwd"/>', "</para>", "<font size=300>", '<a href="http://evil">link</a>',
]

TEACHER3 = Actor("juf", "teacher", "t3", "s1", "Juf Anouk", frozenset({"g3"}))
TEACHER5 = Actor("meester", "teacher", "t5", "s1", "Meester Bram", frozenset({"g5"}))
DIRECTOR = Actor("directeur", "director", "d1", "s1", "Directeur Carla", frozenset({"gs"}))
AVG = Actor("avg", "avg", None, None, "AVG-coördinator")
OTHER_DIRECTOR = Actor("ander", "director", "dx", "s2", "Andere directeur")


def add_post(store: Store, post_id: str, body: str, *, group: str = "g3", author: str = "p1",
             title: str | None = None, created_at: str = "2026-11-20T15:30:00+01:00") -> str:
    with store.write():
        store.execute(
            "INSERT INTO posts (id, group_id, author_id, created_at, title, body)"
            " VALUES (?, ?, ?, ?, ?, ?)", (post_id, group, author, created_at, title, body))
        store.execute("INSERT INTO revisions (item, rev, title, body, recorded_at)"
                      " VALUES (?, 1, ?, ?, ?)", (f"post:{post_id}", title, body, created_at))
    return f"post:{post_id}"


def add_comment(store: Store, comment_id: str, post_id: str, body: str, *, author: str = "p2",
                created_at: str = "2026-11-20T16:00:00+01:00") -> str:
    with store.write():
        store.execute(
            "INSERT INTO comments (id, post_id, author_id, created_at, body)"
            " VALUES (?, ?, ?, ?, ?)", (comment_id, post_id, author, created_at, body))
        store.execute("INSERT INTO revisions (item, rev, title, body, recorded_at)"
                      " VALUES (?, 1, NULL, ?, ?)", (f"comment:{comment_id}", body, created_at))
    return f"comment:{comment_id}"


def add_revision(store: Store, item: str, rev: int, body: str, title: str | None = None,
                 recorded_at: str = "2026-11-21T09:00:00+01:00") -> None:
    kind, item_id = item.split(":", 1)
    with store.write():
        store.execute("INSERT INTO revisions (item, rev, title, body, recorded_at)"
                      " VALUES (?, ?, ?, ?, ?)", (item, rev, title, body, recorded_at))
        store.execute(f"UPDATE {kind}s SET body = ? WHERE id = ?", (body, item_id))


def add_media(store: Store, media_id: str, post_id: str, pupils: list[tuple[str, str, bool | None]],
              *, tags: list[str] | None = None, file: str = "foto.jpg",
              school_year: str = "2026-2027") -> None:
    """pupils: (id, name, consent) with consent None meaning no record for the year."""
    with store.write():
        store.execute("INSERT INTO media (id, post_id, kind, file, tags) VALUES (?, ?, 'photo', ?, ?)",
                      (media_id, post_id, file, json.dumps(tags or [])))
        for pupil_id, name, consent in pupils:
            store.execute("INSERT OR IGNORE INTO pupils (id, school_id, group_id, name)"
                          " VALUES (?, 's1', 'g3', ?)", (pupil_id, name))
            store.execute("INSERT INTO media_pupils VALUES (?, ?)", (media_id, pupil_id))
            if consent is not None:
                store.execute(
                    "INSERT OR REPLACE INTO consents (pupil_id, school_year, portal_photo,"
                    " portal_name, website) VALUES (?, ?, ?, 1, 0)",
                    (pupil_id, school_year, int(consent)))


def add_report(store: Store, item: str, reason: str = "abuse", note: str | None = None,
               reporter: str = "p2") -> int | None:
    from moderator.store.flags import add_flag

    return add_flag(store, item, "report", reason, reporter_id=reporter, note=note,
                    report_id=f"r-{item}-{reason}-{reporter}")


def add_rule_flag(store: Store, item: str, reason: str, text: str, start: int = 0) -> int | None:
    from moderator.store.flags import add_flag

    return add_flag(store, item, "rule", reason,
                    evidence=[{"reason": reason, "start": start, "end": start + len(text),
                               "text": text}])
