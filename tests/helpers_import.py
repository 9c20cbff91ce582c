"""A small portal export in the contract's form (shared/portal-export.md), for tests."""

from __future__ import annotations

import json
from pathlib import Path

T = "2026-11-20T15:30:00+01:00"


def sample_records() -> list[dict]:
    """One school, two class groups, staff, parents, a pupil, posts, comments, a report."""
    return [
        {"type": "school", "id": "s1", "name": "De Klimboom", "brin": "12AB",
         "working_hours": {"start": "08:00", "end": "17:00"}},
        {"type": "group", "id": "g3", "school": "s1", "name": "Groep 3", "kind": "class"},
        {"type": "group", "id": "g5", "school": "s1", "name": "Groep 5", "kind": "class"},
        {"type": "person", "id": "t3", "school": "s1", "name": "Juf Anouk", "role": "teacher"},
        {"type": "person", "id": "t5", "school": "s1", "name": "Meester Bram", "role": "teacher"},
        {"type": "person", "id": "d1", "school": "s1", "name": "Directeur Carla",
         "role": "director", "email": "carla@example.org"},
        {"type": "person", "id": "p1", "school": "s1", "name": "Ouder Dirk", "role": "parent"},
        {"type": "person", "id": "p2", "school": "s1", "name": "Ouder Eva", "role": "parent"},
        {"type": "admin", "group": "g3", "person": "t3"},
        {"type": "admin", "group": "g5", "person": "t5"},
        {"type": "member", "group": "g3", "person": "p1"},
        {"type": "member", "group": "g5", "person": "p2"},
        {"type": "pupil", "id": "k1", "school": "s1", "group": "g3", "name": "Fleur",
         "guardians": ["p1"]},
        {"type": "consent", "pupil": "k1", "school_year": "2026-2027", "portal_photo": False,
         "portal_name": True, "website": False, "signed_on": "2026-09-01"},
        {"type": "post", "id": "a1", "group": "g3", "author": "t3", "created_at": T,
         "title": "Schoolreisje", "body": "Morgen gaan we naar de dierentuin.",
         "media": [{"id": "m1", "kind": "photo", "file": "bus.jpg", "pupils": ["k1"],
                    "tags": ["recognisable"]}]},
        {"type": "post", "id": "a2", "group": "g5", "author": "t5",
         "created_at": "2026-11-21T09:00:00+01:00", "body": "Gymles gaat niet door."},
        {"type": "comment", "id": "c1", "post": "a1", "author": "p1",
         "created_at": "2026-11-20T16:00:00+01:00", "body": "Wat leuk!"},
        {"type": "comment", "id": "c2", "post": "a2", "author": "p2",
         "created_at": "2026-11-21T10:00:00+01:00", "body": "Die juf is echt een sukkel."},
        {"type": "report", "id": "r1", "comment": "c2", "reporter": "p1", "reason": "abuse",
         "created_at": "2026-11-21T11:00:00+01:00", "note": "Niet netjes."},
        {"type": "report", "id": "r2", "post": "a1", "reporter": "p2", "reason": "photo_consent",
         "created_at": "2026-11-21T12:00:00+01:00"},
    ]


def export_lines(records: list[dict]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in records]


def write_export(path: Path, records: list[dict] | None = None, *,
                 lines: list[str | bytes] | None = None) -> Path:
    """Write records (or raw lines, str or bytes) as a JSON Lines file."""
    if lines is None:
        lines = export_lines(sample_records() if records is None else records)
    data = b"".join((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n"
                    for line in lines)
    path.write_bytes(data)
    return path


def dump(store) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a database before and after."""
    tables = [r[0] for r in store.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'queue_fts_%' ORDER BY name")]
    return {t: sorted(tuple(r) for r in store.rows(f"SELECT * FROM {t}")) for t in tables}
