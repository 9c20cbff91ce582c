"""A real portal receiver for tests: stdlib http.server on 127.0.0.1 in a thread.

It checks every request's signature and timestamp as the contract says (401 otherwise),
refuses a replayed signature, deduplicates actions by id (a repeated id gets the first
final reply), and answers what a test plans: ``server.plan`` is a list of answers used for
the next POSTs in order (then ``server.default``), each one of

    "done" (200), "accepted" (202; GET answers accepted ``polls`` times, then done),
    "refuse" (422), "unauth" (401), "rate" (429 with Retry-After), "error" (500),
    "slow" (done after ``slow_seconds``), "hang" (no answer for ``hang_seconds``).
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from moderator.portal import signing

SECRET = b"test-secret-0123456789abcdef"
KEY_ID = "k1"


@dataclass
class Seen:
    at: float
    method: str
    path: str
    key: str | None
    body: dict | None
    answer: int
    key_id: str | None = None


@dataclass
class PortalServer:
    secrets: dict[str, bytes] = field(default_factory=lambda: {KEY_ID: SECRET})
    prefix: str = ""
    plan: list[str] = field(default_factory=list)
    default: str = "done"
    polls: int = 1
    retry_after: str = "1"
    refuse_message: str = "Bericht bestaat niet in deze groep"
    slow_seconds: float = 0.5
    hang_seconds: float = 2.0
    delay: float = 0.0                      # every request
    pages: dict[str | None, tuple[bytes, str | None]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    final: dict[str, tuple[int, dict]] = field(default_factory=dict)
    accepted: dict[str, int] = field(default_factory=dict)
    forget_accepted: bool = False            # GET then answers 404 (the id is unknown)
    signatures: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, tls: ssl.SSLContext | None = None) -> PortalServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                owner._handle(self, "GET")

            def do_POST(self):
                owner._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}"
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- what the tests read -------------------------------------------------------------------

    def posts(self) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.method == "POST" and s.answer != 401]

    def post_ids(self) -> list[str]:
        return [s.key for s in self.posts()]

    # -- handling ------------------------------------------------------------------------------

    def _reply(self, handler, code: int, body: dict | bytes | None = None,
               headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        handler.send_response(code)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _check(self, handler, method: str, body: bytes) -> str | None:
        got = {name: handler.headers.get(name) for name in
               (signing.KEY_ID, signing.TIMESTAMP, signing.SIGNATURE)}
        problem = signing.verify(self.secrets, method, handler.path, body, got, time.time())
        if problem:
            return problem
        with self.lock:
            now = time.time()
            for sig, at in list(self.signatures.items()):
                if now - at > signing.MAX_SKEW_SECONDS:
                    del self.signatures[sig]
            if got[signing.SIGNATURE] in self.signatures:
                return "replay"
            self.signatures[got[signing.SIGNATURE]] = now
        return None

    def _handle(self, handler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if self.delay:
            time.sleep(self.delay)
        problem = self._check(handler, method, raw)
        path = urlsplit(handler.path).path
        key = handler.headers.get("Idempotency-Key")
        body = json.loads(raw) if raw else None
        if problem:
            with self.lock:
                self.rejected.append(problem)
                self.seen.append(Seen(time.time(), method, path, key, body, 401,
                                      handler.headers.get(signing.KEY_ID)))
            return self._reply(handler, 401, {"error": problem})
        if not path.startswith(self.prefix):
            return self._reply(handler, 404, {})
        path = path[len(self.prefix):]
        if method == "POST" and path == "/actions":
            return self._post(handler, key, body, raw)
        if method == "GET" and path.startswith("/actions/"):
            return self._get(handler, path.rsplit("/", 1)[1])
        if method == "GET" and path == "/export":
            query = parse_qs(urlsplit(handler.path).query)
            since = query.get("since", [None])[0]
            data, cursor = self.pages.get(since, (b"", since))
            with self.lock:
                self.seen.append(Seen(time.time(), method, path, None, None, 200))
            return self._reply(handler, 200, data,
                               {"X-Next-Cursor": cursor} if cursor is not None else {})
        return self._reply(handler, 404, {})

    def _post(self, handler, key: str, body: dict, raw: bytes) -> None:
        if not isinstance(body, dict) or key != body.get("id"):
            return self._reply(handler, 400, {"error": "Idempotency-Key must be the action id"})
        with self.lock:
            if key in self.final:                 # a repeated id: the first reply again
                code, reply = self.final[key]
                self.seen.append(Seen(time.time(), "POST", "/actions", key, body, code))
                answer = None
            else:
                answer = self.plan.pop(0) if self.plan else self.default
        if answer is None:
            return self._reply(handler, code, reply)
        if answer == "hang":
            time.sleep(self.hang_seconds)
            with self.lock:
                self.seen.append(Seen(time.time(), "POST", "/actions", key, body, 0))
            return None
        if answer == "slow":
            time.sleep(self.slow_seconds)
            answer = "done"
        code, reply, headers = {
            "done": (200, {"status": "done", "receipt": f"r-{key}",
                           "done_at": "2026-12-02T10:14:00+01:00"}, {}),
            "accepted": (202, {"status": "accepted"}, {}),
            "refuse": (422, {"status": "refused", "message": self.refuse_message}, {}),
            "unauth": (401, {"error": "no"}, {}),
            "rate": (429, {}, {"Retry-After": self.retry_after}),
            "error": (500, {}, {}),
        }[answer]
        with self.lock:
            if code in (200, 422):
                self.final[key] = (code, reply)
            if code == 202:
                self.accepted[key] = self.polls
            self.seen.append(Seen(time.time(), "POST", "/actions", key, body, code))
        return self._reply(handler, code, reply, headers)

    def _get(self, handler, action_id: str) -> None:
        with self.lock:
            self.seen.append(Seen(time.time(), "GET", f"/actions/{action_id}", action_id, None,
                                  200))
            if action_id in self.final:
                code, reply = self.final[action_id]
                return self._reply(handler, 200, reply)
            if action_id not in self.accepted or self.forget_accepted:
                self.accepted.pop(action_id, None)
                return self._reply(handler, 404, {})
            if self.accepted[action_id] > 0:
                self.accepted[action_id] -= 1
                return self._reply(handler, 200, {"status": "accepted"})
            reply = {"status": "done", "receipt": f"r-{action_id}",
                     "done_at": "2026-12-02T10:14:00+01:00"}
            self.final[action_id] = (200, reply)
        return self._reply(handler, 200, reply)
