"""Test data for the console: one school, flagged posts and comments, and accounts."""

from __future__ import annotations

from moderator.services.accounts import add_account
from moderator.store import Store
from moderator.store.accounts import actor_for
from moderator.store.flags import add_flag

HOSTILE = "[bold red]x[/] [@click=app.quit]klik[/] \x1b[2J\x1b]0;pwned\x07 \u202eomgekeerd"
PASSWORD = "geheim123"


def build(s: Store, *, accounts: bool | str = True) -> Store:
    """s1 'De Klimboom': groups g3 (teacher anouk), g5 (teacher bram), gs (director carla).
    Flagged: 3 items in g3, 2 in g5, 1 in gs: the director sees 6, anouk 3."""
    with s.write():
        s.execute("INSERT INTO schools (id, name, brin) VALUES ('s1', 'De Klimboom', '12AB')")
        s.executemany("INSERT INTO groups (id, school_id, name, kind) VALUES (?, 's1', ?, ?)", [
            ("g3", "Groep 3", "class"), ("g5", "Groep 5", "class"),
            ("gs", "Algemene schoolgroep", "school")])
        s.executemany("INSERT INTO people (id, school_id, name, role) VALUES (?, 's1', ?, ?)", [
            ("t3", "Juf Anouk", "teacher"), ("t5", "Meester Bram", "teacher"),
            ("d1", "Directeur Carla", "director"), ("a1", "Beheer Fatima", "school_admin"),
            ("p1", "Ouder Dirk", "parent"), ("p2", "Ouder Eva", "parent"),
            ("p3", "[@click=app.quit]Ouder[/] \x1b[31mX", "parent")])
        s.executemany("INSERT INTO group_admins VALUES (?, ?)", [
            ("g3", "t3"), ("g5", "t5"), ("gs", "d1")])
        s.executemany("INSERT INTO pupils (id, school_id, group_id, name) VALUES (?, 's1', ?, ?)",
                      [("k1", "g3", "Kim"), ("k2", "g3", "Lars")])
        s.executemany("INSERT INTO consents VALUES (?, '2026-2027', ?, 1, 0, '2026-09-01')",
                      [("k1", 1), ("k2", 0)])
        posts = [
            ("P1", "g3", "p1", "2026-11-20T09:00:00+01:00", "Schoolreisje",
             "Wie dat doet krijgt klappen, let maar op."),
            ("P2", "g3", "p3", "2026-11-21T09:00:00+01:00", "Titel",
             HOSTILE + " en verder gewoon tekst"),
            ("P3", "g3", "p2", "2026-11-22T09:00:00+01:00", None, "Te koop: fiets, 50 euro"),
            ("P4", "g5", "p2", "2026-11-23T09:00:00+01:00", None, "Foto van het zwembad"),
            ("P5", "gs", "p1", "2026-11-24T09:00:00+01:00", None, "Algemeen bericht"),
        ]
        s.executemany("INSERT INTO posts (id, group_id, author_id, created_at, title, body)"
                      " VALUES (?, ?, ?, ?, ?, ?)", posts)
        s.executemany("INSERT INTO revisions (item, rev, title, body, recorded_at)"
                      " VALUES (?, 1, ?, ?, ?)",
                      [(f"post:{p[0]}", p[4], p[5], p[3]) for p in posts])
        s.execute("INSERT INTO comments (id, post_id, author_id, created_at, body) VALUES"
                  " ('C1', 'P4', 'p1', '2026-11-23T10:00:00+01:00', 'Wat een sukkel ben jij')")
        s.execute("INSERT INTO media (id, post_id, kind, file, tags) VALUES"
                  " ('M1', 'P4', 'photo', 'zwembad.jpg', '[\"zwembad\"]')")
        s.executemany("INSERT INTO media_pupils VALUES ('M1', ?)", [("k1",), ("k2",)])
        body1 = posts[0][5]
        at = body1.index("klappen")
        add_flag(s, "post:P1", "rule", "threat",
                 evidence=[{"reason": "threat", "start": at, "end": at + 7, "text": "klappen"}])
        add_flag(s, "post:P1", "report", "threat", reporter_id="p2", report_id="R1",
                 note="Dit is echt bedreigend [@click=app.quit]stop[/]")
        add_flag(s, "post:P2", "report", "abuse", reporter_id="p1", report_id="R2",
                 note="Rare tekens")
        add_flag(s, "post:P3", "rule", "commercial",
                 evidence=[{"reason": "commercial", "start": 0, "end": 7, "text": "Te koop"}])
        add_flag(s, "post:P4", "report", "swimwear", reporter_id="p1", report_id="R3")
        add_flag(s, "comment:C1", "rule", "abuse",
                 evidence=[{"reason": "abuse", "start": 10, "end": 16, "text": "sukkel"}])
        add_flag(s, "post:P5", "report", "other", reporter_id="p2", report_id="R4", note="Hm")
    if accounts == "fast":   # no argon2: for tests that pass a logged-in actor
        with s.write():
            s.executemany(
                "INSERT INTO accounts (username, person_id, role, school_id, password_hash,"
                " created_at) VALUES (?, ?, ?, ?, 'x', '2026-01-01T00:00:00+01:00')",
                [("anouk", "t3", "teacher", "s1"), ("bram", "t5", "teacher", "s1"),
                 ("carla", "d1", "director", "s1")])
    elif accounts:
        add_account(s, "anouk", PASSWORD, person_id="t3")
        add_account(s, "bram", PASSWORD, person_id="t5")
        add_account(s, "carla", PASSWORD, person_id="d1")
        add_account(s, "fatima", PASSWORD, person_id="a1")
        add_account(s, "avg", PASSWORD, role="avg")
    return s


def actor(s: Store, username: str):
    return actor_for(s, username)
