"""`moderator demo --posts N`: where the time goes, against a floor measured in the same run.

* floor: generate the N-post data set and drop it (``moderator.benchdata.bench_records``);
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

from moderator import benchdata, demo  # noqa: E402
from moderator.services import scanning  # noqa: E402
from moderator.store import Store  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    floor = 0.0

    def report(label: str, seconds: float) -> None:
        print(f"{label:30} {seconds:8.1f} s   {seconds / floor:6.1f}x floor", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        records = sum(1 for _ in benchdata.bench_records(n, seed))
        floor = time.perf_counter() - started
        report("floor: generate only", floor)

        started = time.perf_counter()
        demo.write_export(Path(folder) / "demo.jsonl", benchdata.bench_records(n, seed))
        report("generate + export JSONL", time.perf_counter() - started)

        marks: dict[str, float] = {}
        real_scan = scanning.scan_items

        def timed_scan(store, items, **kwargs):
            begin = time.perf_counter()
            try:
                return real_scan(store, items, **kwargs)
            finally:
                marks["scan"] = time.perf_counter() - begin
                report("  write (importer, no scan)", begin - marks["write0"])
                report("  rule scan", marks["scan"])

        def on_phase(phase: str, done: int, total: int) -> None:
            if phase == "schrijven":
                marks.setdefault(f"write{done}", time.perf_counter())
                if done == 0:
                    report("  generate + read + check", marks["write0"] - started)

        scanning.scan_items = timed_scan
        store = Store(Path(folder) / "moderator.db")
        started = time.perf_counter()
        summary = demo.import_demo(store, benchdata.bench_records(n, seed), on_phase=on_phase)
        load = time.perf_counter() - started
        scanning.scan_items = real_scan
        open_flags = store.scalar("SELECT count(*) FROM flags WHERE status = 'open'")
        store.close()

    report("load total", load)
    report("  accounts and audit", load - (marks["write1"] - started))
    print(f"posts {n:,}  records {records:,}  comments {summary.comments:,}  "
          f"reports {summary.reports:,}  open flags {open_flags:,}")


if __name__ == "__main__":
    main()
