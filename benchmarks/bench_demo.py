"""`moderator demo --posts N`: where the time goes, against a floor measured in the same run.

* floor: generate the N-post data set and drop it (``moderator.demo.bench_records``);
* export: generate and write it as JSON Lines (``demo --posts N --export FILE``);
* load: generate and stream it into the importer, with its phases timed separately:
  reading and checking the records, writing them (the importer without the scan),
  and the rule scan; then the three demo accounts.

Usage: python benchmarks/bench_demo.py [N] [SEED]      (default N = 100,000)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")

from moderator import demo  # noqa: E402
from moderator.services import scanning  # noqa: E402
from moderator.store import Store  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        records = sum(1 for _ in demo.bench_records(n, seed))
        floor = time.perf_counter() - started

        started = time.perf_counter()
        demo.write_export(Path(folder) / "demo.jsonl", demo.bench_records(n, seed))
        export = time.perf_counter() - started

        marks: dict[str, float] = {}
        real_scan = scanning.scan_items

        def timed_scan(store, items, **kwargs):
            begin = time.perf_counter()
            try:
                return real_scan(store, items, **kwargs)
            finally:
                marks["scan"] = time.perf_counter() - begin

        def on_phase(phase: str, done: int, total: int) -> None:
            if phase == "schrijven":
                marks.setdefault(f"write{done}", time.perf_counter())

        scanning.scan_items = timed_scan
        store = Store(Path(folder) / "moderator.db")
        started = time.perf_counter()
        summary = demo.import_demo(store, demo.bench_records(n, seed), on_phase=on_phase)
        load = time.perf_counter() - started
        scanning.scan_items = real_scan
        open_flags = store.scalar("SELECT count(*) FROM flags WHERE status = 'open'")
        store.close()

    read = marks["write0"] - started
    write = marks["write1"] - marks["write0"] - marks["scan"]
    print(f"posts {n:,}  records {records:,}  comments {summary.comments:,}  "
          f"reports {summary.reports:,}  open flags {open_flags:,}")
    rows = (("floor: generate only", floor), ("generate + export JSONL", export),
            ("load total", load), ("  generate + read + check", read),
            ("  write (importer, no scan)", write), ("  rule scan", marks["scan"]),
            ("  accounts and audit", load - (marks["write1"] - started)))
    for label, seconds in rows:
        print(f"{label:30} {seconds:8.1f} s   {seconds / floor:6.1f}x floor")


if __name__ == "__main__":
    main()
