"""Import speed against a floor measured in the same run.

Generates a portal export of N records (default 100,000) in a temporary folder, then:

* floor: read the file, ``json.loads`` every line, and insert the resulting rows with one
  raw ``sqlite3`` ``executemany`` per table in a single transaction (same schema, same
  pragmas: WAL, synchronous FULL, foreign keys on), with no checks at all;
* import: ``moderator.services.importing.import_file`` (every line validated, references
  checked, revisions written, reports turned into flags, audit entry), with the rule
  scan stubbed out because that is the scanner's cost, not the importer's;
* import + scan: the same with the real scan, for information.

Usage: python benchmarks/bench_import.py [N]
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")

from moderator.services import scanning  # noqa: E402
from moderator.services.importing import import_file  # noqa: E402
from moderator.store import Store  # noqa: E402

REPEATS = 3
WORDS = ("de klas gaat morgen naar het museum vergeet niet een lunchpakket mee te nemen"
         " groetjes juf fijne dag allemaal bedankt voor de hulp bij het schoolfeest").split()


def generate(path: Path, n: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    lines: list[str] = []

    def put(record: dict) -> None:
        counts[record["type"]] = counts.get(record["type"], 0) + 1
        lines.append(json.dumps(record, ensure_ascii=False))

    def words(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    def stamp(i: int) -> str:
        return f"2026-{9 + i % 3:02d}-{1 + i % 28:02d}T{8 + i % 9:02d}:{i % 60:02d}:00+01:00"

    put({"type": "school", "id": "s1", "name": "De Klimboom", "brin": "12AB"})
    groups = [f"g{i}" for i in range(40)]
    put({"type": "person", "id": "d1", "school": "s1", "name": "Directeur", "role": "director"})
    for i, g in enumerate(groups):
        put({"type": "group", "id": g, "school": "s1", "name": f"Groep {i}", "kind": "class"})
        put({"type": "person", "id": f"t{i}", "school": "s1", "name": f"Leerkracht {i}",
             "role": "teacher", "email": f"t{i}@example.org"})
        put({"type": "admin", "group": g, "person": f"t{i}"})
    parents = [f"p{i}" for i in range(3000)]
    for i, p in enumerate(parents):
        put({"type": "person", "id": p, "school": "s1", "name": f"Ouder {i}", "role": "parent"})
        put({"type": "member", "group": groups[i % 40], "person": p})
    for i in range(2000):
        put({"type": "pupil", "id": f"k{i}", "school": "s1", "group": groups[i % 40],
             "name": f"Kind {i}", "guardians": [parents[i], parents[(i + 1000) % 3000]]})
        put({"type": "consent", "pupil": f"k{i}", "school_year": "2026-2027",
             "portal_photo": i % 10 != 0, "portal_name": True, "website": i % 2 == 0})
    posts: list[str] = []
    comments: list[str] = []
    i = 0
    while len(lines) < n:
        i += 1
        roll = i % 100
        if roll < 25 or not posts:
            pid = f"a{i}"
            g = rng.randrange(40)
            record = {"type": "post", "id": pid, "group": groups[g], "author": f"t{g}",
                      "created_at": stamp(i), "title": words(3), "body": words(30)}
            if roll == 0:
                record["media"] = [{"id": f"m{i}", "kind": "photo", "file": f"{i}.jpg",
                                    "pupils": [f"k{rng.randrange(2000)}"], "tags": []}]
            posts.append(pid)
            put(record)
        elif roll < 99:
            cid = f"c{i}"
            comments.append(cid)
            put({"type": "comment", "id": cid, "post": rng.choice(posts),
                 "author": rng.choice(parents), "created_at": stamp(i), "body": words(12)})
        else:
            target = ({"comment": rng.choice(comments)} if comments and i % 2
                      else {"post": rng.choice(posts)})
            put({"type": "report", "id": f"r{i}", **target, "reporter": rng.choice(parents),
                 "reason": rng.choice(["abuse", "negative", "other", "commercial"]),
                 "created_at": stamp(i)})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


# -- the floor: parse and insert, nothing else ---------------------------------------------

FLOOR_SQL = {
    "school": ("INSERT INTO schools (id, name, brin) VALUES (?, ?, ?)",
               lambda r: (r["id"], r["name"], r.get("brin"))),
    "group": ("INSERT INTO groups (id, school_id, name, kind) VALUES (?, ?, ?, ?)",
              lambda r: (r["id"], r["school"], r["name"], r["kind"])),
    "person": ("INSERT INTO people (id, school_id, name, role, email) VALUES (?, ?, ?, ?, ?)",
               lambda r: (r["id"], r["school"], r["name"], r["role"], r.get("email"))),
    "admin": ("INSERT INTO group_admins VALUES (?, ?)", lambda r: (r["group"], r["person"])),
    "member": ("INSERT INTO group_members VALUES (?, ?)", lambda r: (r["group"], r["person"])),
    "pupil": ("INSERT INTO pupils (id, school_id, group_id, name) VALUES (?, ?, ?, ?)",
              lambda r: (r["id"], r["school"], r["group"], r["name"])),
    "consent": ("INSERT INTO consents (pupil_id, school_year, portal_photo, portal_name, website)"
                " VALUES (?, ?, ?, ?, ?)",
                lambda r: (r["pupil"], r["school_year"], r["portal_photo"], r["portal_name"],
                           r["website"])),
    "post": ("INSERT INTO posts (id, group_id, author_id, created_at, title, body)"
             " VALUES (?, ?, ?, ?, ?, ?)",
             lambda r: (r["id"], r["group"], r["author"], r["created_at"], r.get("title"),
                        r["body"])),
    "comment": ("INSERT INTO comments (id, post_id, author_id, created_at, body)"
                " VALUES (?, ?, ?, ?, ?)",
                lambda r: (r["id"], r["post"], r["author"], r["created_at"], r["body"])),
    "report": ("INSERT INTO flags (item, school_id, group_id, source, reason, report_id,"
               " reporter_id, created_at) VALUES (?, 's1', 'g0', 'report', ?, ?, ?, ?)",
               lambda r: (f"post:{r['post']}" if r.get("post") else f"comment:{r['comment']}",
                          r["reason"], r["id"], r["reporter"], r["created_at"])),
}


def floor(db: Path, export: Path) -> tuple[float, float]:
    Store(db).close()                              # the schema, nothing else
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    start, cpu = time.perf_counter(), time.process_time()
    rows: dict[str, list] = {kind: [] for kind in FLOOR_SQL}
    with export.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows[record["type"]].append(FLOOR_SQL[record["type"]][1](record))
    conn.execute("BEGIN IMMEDIATE")
    for kind, (sql, _) in FLOOR_SQL.items():
        conn.executemany(sql, rows[kind])
    conn.execute("COMMIT")
    elapsed = (time.perf_counter() - start, time.process_time() - cpu)
    conn.close()
    return elapsed


def run_import(db: Path, export: Path, scan: bool) -> tuple[tuple[float, float], object]:
    real = scanning.scan_items
    if not scan:
        scanning.scan_items = lambda store, items, **kwargs: 0
    try:
        with Store(db) as store:
            start, cpu = time.perf_counter(), time.process_time()
            summary = import_file(store, export)
            return (time.perf_counter() - start, time.process_time() - cpu), summary
    finally:
        scanning.scan_items = real


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        export = tmp_path / "export.jsonl"
        counts = generate(export, n)
        print(f"export: {n:,} records, {export.stat().st_size / 1e6:.1f} MB: "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
        # The machine may be shared: alternate the two runs and keep the best of each,
        # and show CPU time next to wall time (CPU time is what other load disturbs least).
        floors, imports = [], []
        for rep in range(REPEATS):
            floors.append(floor(tmp_path / f"floor{rep}.db", export))
            t, summary = run_import(tmp_path / f"import{rep}.db", export, scan=False)
            imports.append(t)
        t_again, again = run_import(tmp_path / "import0.db", export, scan=False)
        t_full, _ = run_import(tmp_path / "full.db", export, scan=True)
        assert summary.records == n and again.total_added == 0 and again.revisions == 0
        best_floor = (min(t[0] for t in floors), min(t[1] for t in floors))
        best_import = (min(t[0] for t in imports), min(t[1] for t in imports))
        print(f"runs (wall s): floor {', '.join(f'{t[0]:.2f}' for t in floors)};"
              f" import {', '.join(f'{t[0]:.2f}' for t in imports)}; best of {REPEATS} below")
        print(f"{'':54}{'wall s':>8}{'records/s':>11}{'ratio':>7}   {'cpu s':>6}{'ratio':>7}")
        for label, (wall, cpu) in (
            ("floor (json.loads + raw executemany, 1 transaction)", best_floor),
            ("import (validated, revisions, flags, audit; no scan)", best_import),
            ("re-import of the same file (nothing changes)", t_again),
            ("import + real rule scan (information)", t_full),
        ):
            print(f"{label:54}{wall:8.2f}{n / wall:11,.0f}{best_floor[0] / wall:6.2f}x"
                  f"   {cpu:6.2f}{best_floor[1] / cpu:6.2f}x")

if __name__ == "__main__":
    main()
