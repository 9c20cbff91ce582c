"""Queue search: one page plus the count, as the console asks for them, for searches that
need the trigram index (part of a compound, an author's name), next to baselines measured
in the same run: the page and count without a search, and with a short word that uses only
the word index.

    PYTHONPATH=. python benchmarks/bench_search.py --posts 1000000 --one-school   # 81k items
    PYTHONPATH=. python benchmarks/bench_search.py --db path/to/moderator.db
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from moderator.services.queue import count_queue, list_queue
from moderator.store import Store
from moderator.store.accounts import actor_for
from moderator.store.queue import QueueFilter

PAGE = 60


def page_and_count(store: Store, actor, search: str | None, runs: int) -> tuple[float, int]:
    """Median milliseconds for one page and the count; the number of matches."""
    times = []
    total = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        list_queue(store, actor, QueueFilter(search=search), limit=PAGE)
        total = count_queue(store, actor, QueueFilter(search=search))
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="existing database (else --posts builds one)")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--user", default="directie")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--one-school", action="store_true",
                        help="put every group in the user's school (as bench_console.py), so "
                             "one director's queue holds every flagged item")
    args = parser.parse_args()
    os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")
    if args.db:
        path = Path(args.db)
    else:
        from moderator.demo import load_demo

        path = Path(tempfile.mkdtemp()) / "bench.db"
        t0 = time.perf_counter()
        with Store(path, path.parent / "archives") as store:
            load_demo(store, posts=args.posts)
        print(f"generated {args.posts} posts in {time.perf_counter() - t0:.1f} s")
    store = Store(path, path.parent / "archives")
    actor = actor_for(store, args.user)
    if args.one_school:
        with store.write():
            store.execute("UPDATE groups SET school_id = ?", (actor.school_id,))
            store.execute("UPDATE queue_items SET school_id = ?", (actor.school_id,))
    queued = count_queue(store, actor, QueueFilter())
    author = store.scalar("SELECT p.name FROM queue_items q JOIN people p ON p.id = q.author_id"
                          " LIMIT 1") or "Bakker"
    surname = author.split()[-1]
    print(f"database: {path}; {store.scalar('SELECT count(*) FROM posts')} posts, "
          f"{store.scalar('SELECT count(*) FROM queue_items')} queued items, "
          f"{queued} in {args.user}'s queue; load average {os.getloadavg()[0]:.1f}")
    print(f"{'search':<28} {'page + count':>12} {'matches':>8}")
    cases = [("(none) baseline", None), ("'te' word index baseline", "te"),
             ("'fiets' (compounds)", "fiets"), (f"'{surname}' (author)", surname),
             ("'koop fiets'", "koop fiets")]
    for label, search in cases:
        took, total = page_and_count(store, actor, search, args.runs)
        print(f"{label:<28} {took:>9.1f} ms {total:>8}")
    store.close()


if __name__ == "__main__":
    main()
