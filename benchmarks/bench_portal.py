"""Portal sync speed against baselines measured in the same run.

* push: N pending actions to a loopback receiver that answers at once, next to a bare
  httpx loop sending the same requests (same bodies, same keep-alive connection) to the
  same receiver. Aim: >= 0.8x the bare loop.
* pull (with ``--pull M``): an export of M records served as one page over loopback and
  pulled, next to ``moderator import`` of the same file into a fresh database (the rule
  scan runs in both). Aim: pull <= 1.1x the import's time.

    python benchmarks/bench_portal.py [N] [--pull M]   # default N = 10,000
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")

import httpx  # noqa: E402

from moderator.policy.access import Actor  # noqa: E402
from moderator.portal import signing  # noqa: E402
from moderator.portal.http_api import NODELAY  # noqa: E402
from moderator.services import portal_sync  # noqa: E402
from moderator.store import Store, outbox  # noqa: E402

SECRET = b"bench-secret"
REPEATS = 3
OPERATOR = Actor("system:bench", "system", None, None, "bench")


class Receiver(BaseHTTPRequestHandler):
    """Answers every POST at once with 200 done (no checks: the same cost for both)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        key = self.headers.get("Idempotency-Key", "")
        body = json.dumps({"status": "done", "receipt": f"r-{key}",
                           "done_at": "2026-11-25T10:00:00+01:00"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def seed(store: Store, n: int) -> None:
    with store.write():
        store.execute("INSERT INTO schools (id, name) VALUES ('s1', 'Bench')")
        for i in range(n):
            outbox.enqueue(store, school_id="s1", group_id="g1", kind="set_comments",
                           target={"post": f"P{i}", "enabled": False}, actor="bench",
                           requested_by="t1")


def bare_loop(url: str, payloads: list[dict]) -> float:
    """The same POSTs with httpx on one keep-alive connection, signed the same way."""
    started = time.perf_counter()
    transport = httpx.HTTPTransport(socket_options=NODELAY)    # as moderator's connector
    with httpx.Client(transport=transport) as client:
        for payload in payloads:
            body = json.dumps(payload, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")).encode()
            headers = signing.headers("k1", SECRET, "POST", "/actions", body, time.time())
            headers.update({"Idempotency-Key": payload["id"], "Content-Type": "application/json"})
            response = client.post(url + "/actions", content=body, headers=headers)
            response.json()
    return time.perf_counter() - started


class ExportReceiver(Receiver):
    """Serves one export page (the file in ``page``) and then an empty one."""

    page: bytes = b""

    def do_GET(self):
        first = "since=" not in self.path
        body = self.page if first else b""
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Next-Cursor", "c1")
        self.end_headers()
        self.wfile.write(body)


def bench_pull(m: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_import import generate

    from moderator.services.importing import import_file

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.jsonl"
        generate(export, m)
        ExportReceiver.page = export.read_bytes()
        server = ThreadingHTTPServer(("127.0.0.1", 0), ExportReceiver)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        secret = Path(tmp) / "secret"
        secret.write_bytes(SECRET)

        warm = Path(tmp) / "warm.jsonl"       # word lists and detectors compiled once
        generate(warm, 500)
        store = Store(Path(tmp) / "warm.db", Path(tmp) / "a0")
        import_file(store, warm, actor=OPERATOR)
        store.close()

        imports, pulls = [], []
        for run in range(REPEATS):          # alternating, best of each: load on the machine varies
            store = Store(Path(tmp) / f"import{run}.db", Path(tmp) / f"a1-{run}")
            started = time.perf_counter()
            summary = import_file(store, export, actor=OPERATOR)
            imports.append(time.perf_counter() - started)
            store.close()

            store = Store(Path(tmp) / f"pull{run}.db", Path(tmp) / f"a2-{run}")
            with store.write():
                store.execute("INSERT INTO schools (id, name) VALUES ('s1', 'De Klimboom')")
                outbox.save_connector(store, school_id="s1", kind="http", actor="bench",
                                      base_url=url, keys=[outbox.SecretRef("k1", str(secret))])
            started = time.perf_counter()
            [report] = portal_sync.pull(store, OPERATOR, "s1")
            pulls.append(time.perf_counter() - started)
            assert report.records == summary.records, (report, summary.records)
            store.close()
        imported, pulled = min(imports), min(pulls)
        server.shutdown()
    print(f"records: {m:,}")
    print(f"moderator import of the file: {imported:.2f} s ({m / imported:,.0f} records/s)")
    print(f"moderator portal pull over loopback: {pulled:.2f} s ({m / pulled:,.0f} records/s)")
    print(f"ratio: pull takes {pulled / imported:.2f}x the import (aim <= 1.1x)")


def main() -> None:
    args = sys.argv[1:]
    if "--pull" in args:
        at = args.index("--pull")
        bench_pull(int(args[at + 1]))
        del args[at:at + 2]
        if not args:
            return
    n = int(args[0]) if args else 10_000
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        secret = Path(tmp) / "secret"
        secret.write_bytes(SECRET)
        store = Store(Path(tmp) / "bench.db", Path(tmp) / "archives")
        seed(store, n)
        with store.write():
            outbox.save_connector(store, school_id="s1", kind="http", actor="bench",
                                  base_url=url, keys=[outbox.SecretRef("k1", str(secret))])
        payloads = [a.payload(attempt=True) for a in outbox.list_actions(store, limit=n)]

        bare = bare_loop(url, payloads)
        started = time.perf_counter()
        [report] = portal_sync.push(store, OPERATOR, "s1")
        pushed = time.perf_counter() - started
        assert report.done == n, report
        assert outbox.counts(store, "s1")["done"] == n
        store.close()
    server.shutdown()
    print(f"actions: {n:,}")
    print(f"bare httpx loop (same requests, keep-alive): {n / bare:,.0f} req/s ({bare:.2f} s)")
    print(f"moderator portal push (lease, order, record, audit): {n / pushed:,.0f} actions/s"
          f" ({pushed:.2f} s)")
    print(f"ratio: {bare / pushed:.2f}x of the bare loop (aim >= 0.8x)")


if __name__ == "__main__":
    main()
