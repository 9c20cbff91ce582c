"""Delete latency per item (render + durable write + transactions), median over N
items, next to a bare render of the same documents measured in the same run.

    python benchmarks/bench_delete.py [N]

Aim: median delete < 20 ms and < 1.5x the bare render.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")

from moderator.archive.hardcopy import HardCopyFacts, render_hardcopy  # noqa: E402
from moderator.policy.access import Actor  # noqa: E402
from moderator.services.deletion import delete_item  # noqa: E402
from moderator.store import Store, audit  # noqa: E402
from moderator.store.flags import add_flag  # noqa: E402
from moderator.store.items import item_detail  # noqa: E402

TEACHER = Actor("juf", "teacher", "t1", "s1", "Juf Anouk", frozenset({"g1"}))


def seed(store: Store, n: int) -> list[str]:
    with store.write():
        store.execute("INSERT INTO schools (id, name) VALUES ('s1', 'De Klimboom')")
        store.execute("INSERT INTO groups VALUES ('g1', 's1', 'Groep 3', 'class')")
        store.executemany("INSERT INTO people (id, school_id, name, role) VALUES (?, 's1', ?, ?)",
                          [("t1", "Juf Anouk", "teacher")] +
                          [(f"p{i}", f"Ouder {i}", "parent") for i in range(50)])
        for i in range(n):
            at = f"2026-11-{1 + i % 20:02d}T15:{i % 60:02d}:00+01:00"
            body = (f"Bericht {i}: wat een sukkels zijn het daar, echt waar. " * 3).strip()
            store.execute("INSERT INTO posts (id, group_id, author_id, created_at, title, body)"
                          " VALUES (?, 'g1', ?, ?, ?, ?)", (f"P{i}", f"p{i % 50}", at,
                                                              "Over de schoolreis", body))
            store.execute("INSERT INTO revisions VALUES (?, 1, ?, ?, ?)",
                          (f"post:P{i}", "Over de schoolreis", body, at))
            for j in range(2):
                cbody = f"Reactie {j} op {i}: helemaal mee eens!"
                store.execute("INSERT INTO comments (id, post_id, author_id, created_at, body)"
                              " VALUES (?, ?, ?, ?, ?)", (f"C{i}-{j}", f"P{i}", f"p{(i + j + 1) % 50}",
                                                          at, cbody))
                store.execute("INSERT INTO revisions VALUES (?, 1, NULL, ?, ?)",
                              (f"comment:C{i}-{j}", cbody, at))
            add_flag(store, f"post:P{i}", "report", "abuse", reporter_id=f"p{(i + 7) % 50}",
                     report_id=f"r{i}", note="Dit is kwetsend")
            add_flag(store, f"post:P{i}", "rule", "abuse",
                     evidence=[{"reason": "abuse", "start": 25, "end": 32, "text": "sukkels"}])
    return [f"post:P{i}" for i in range(n)]


def fsync_baseline(folder: Path, n: int) -> list[float]:
    """One fsync'ed file write plus a folder fsync: the floor a durable write costs here."""
    out = []
    fd_dir = os.open(folder, os.O_RDONLY)
    for i in range(n):
        t0 = time.perf_counter()
        fd = os.open(folder / f"sync{i}", os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, b"x" * 60_000)
        os.fsync(fd)
        os.close(fd)
        os.fsync(fd_dir)
        out.append(time.perf_counter() - t0)
    os.close(fd_dir)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        store = Store(Path(tmp) / "bench.db", Path(tmp) / "archives")
        items = seed(store, n)
        # warm up fonts and code paths
        detail0 = item_detail(store, items[0])
        seq, head = audit.head(store)
        facts = HardCopyFacts("abuse", TEACHER, "2026-11-25T10:00:00+01:00", None,
                              "INC-2026-0001", seq, head)
        render_hardcopy(detail0, facts)
        renders, deletes = [], []
        for item in items:   # bare render of each document first (the item still live)
            detail = item_detail(store, item)
            t0 = time.perf_counter()
            render_hardcopy(detail, facts)
            renders.append(time.perf_counter() - t0)
        for item in items:
            t0 = time.perf_counter()
            delete_item(store, item, "abuse", TEACHER)
            deletes.append(time.perf_counter() - t0)
        store.close()
        syncs = fsync_baseline(Path(tmp), 50)
    r, d = statistics.median(renders) * 1000, statistics.median(deletes) * 1000
    print(f"items: {n} (post + 2 comments + report + rule flag each)")
    print(f"bare render     median {r:7.2f} ms")
    print(f"delete_item     median {d:7.2f} ms  (p90 {sorted(deletes)[int(n * .9)] * 1000:.2f} ms)")
    print(f"ratio delete/render   {d / r:5.2f}x   (aim < 1.5x; aim delete < 20 ms)")
    f = statistics.median(syncs) * 1000
    print(f"disk floor: write+fsync file+fsync folder median {f:.2f} ms "
          f"(a deletion needs this plus one fsync'ed SQLite commit)")


if __name__ == "__main__":
    main()
