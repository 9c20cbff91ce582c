"""The ``http`` connector: signed requests to the portal's receiver, with httpx.

``POST {base}/actions`` delivers one action (``Idempotency-Key`` = its id),
``GET {base}/actions/{id}`` asks after an accepted one, ``GET {base}/export?since=C``
fetches new portal data. Replies are classified into a :class:`Reply` (what moderator
records); the connection keeps alive between requests. HTTPS with certificate
verification; plain http only to a loopback address. Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from moderator import clock
from moderator.errors import ConnectorError, UsageError
from moderator.portal import signing
from moderator.text import one_line

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = {408, 429}
MAX_MESSAGE = 300
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]

# Requests signed in the current second, in this process (see _fresh_second).
_SIGNED: dict[tuple, int] = {}
_SIGNED_LOCK = threading.Lock()


@dataclass(frozen=True)
class Key:
    key_id: str
    secret: bytes = field(repr=False)


@dataclass(frozen=True)
class Reply:
    """One reply, as moderator records it.

    kind: ``done``, ``accepted``, ``refused``, ``retry`` (408, 429, 5xx, timeout,
    connection error, an unexpected answer), ``auth`` (401/403: the connection fails,
    actions stay pending) or ``unknown`` (404 on GET: the receiver does not know the id)."""

    kind: str
    status_code: int | None = None
    body: dict[str, Any] | None = None
    message: str | None = None
    retry_after: float | None = None

    @property
    def server_wide(self) -> bool:
        """A reply that concerns the receiver, not this action: pause the whole school."""
        return self.kind == "retry" and self.status_code in (None, 429)


def check_url(base_url: str) -> str:
    """HTTPS, or plain http to a loopback address; no query or fragment."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(f"ongeldig portaaladres {one_line(base_url, 200)!r}"
                         " (verwacht https://host/pad)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise UsageError("het portaaladres mag geen query, fragment of inloggegevens bevatten")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise UsageError("gewoon http mag alleen naar dit apparaat (127.0.0.1, ::1, localhost);"
                         " gebruik https")
    return base_url.rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - clock.unix_time())


def _json(response: httpx.Response) -> dict[str, Any] | None:
    try:
        value = json.loads(response.content)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _message(body: dict[str, Any] | None, response: httpx.Response) -> str:
    if body and isinstance(body.get("message"), str):
        return one_line(body["message"], MAX_MESSAGE)
    return f"HTTP {response.status_code}"


class HttpConnector:
    """One school's receiver. ``keys`` newest first: the first signs; on a 401 the next is
    tried (two keys are valid while a secret is being replaced)."""

    def __init__(self, base_url: str, keys: Sequence[Key], *, school: str = "",
                 ca_file: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 verify: ssl.SSLContext | bool | None = None):
        self.base_url = check_url(base_url)
        if not keys:
            raise ConnectorError(f"school {school}: geen sleutel ingesteld voor de koppeling")
        self.keys = list(keys)
        self.school = school
        if urlsplit(self.base_url).scheme == "http":
            verify = False       # plain http (loopback only): no TLS, no certificates to load
        elif verify is None:
            verify = ssl.create_default_context(cafile=ca_file) if ca_file else True
        # TCP_NODELAY: a request's headers and body leave at once instead of waiting
        # for the receiver's delayed ACK (40 ms per request on a kept-alive connection).
        transport = httpx.HTTPTransport(verify=verify, socket_options=NODELAY)
        self.client = httpx.Client(
            transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False,
            trust_env=False, headers={"User-Agent": "moderator-portal-sync/1"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one signed request ---------------------------------------------------------------

    def _send(self, method: str, path: str, body: bytes = b"",
              extra: dict[str, str] | None = None) -> httpx.Response:
        """Send, signed with the first key; on 401/403 try the other keys once each. A
        key that works moves to the front. Transport errors propagate (httpx)."""
        url = self.base_url + path
        response = None
        # A GET gets two rounds: its 401 can be the replay refusal of the same request
        # that another process (one killed mid-pull, say) signed in this same second; a
        # fresh second settles that, while a wrong key or secret is refused again. (A
        # POST's body counts its attempts, so it is never signed twice alike.)
        for index, key in [*enumerate(self.keys)] * (2 if method == "GET" else 1):
            if response is not None and index == 0:
                self._next_second()
            request = self.client.build_request(method, url, content=body or None,
                                                headers=extra or {})
            raw = request.url.raw_path.decode("ascii")
            request.headers.update(signing.headers(key.key_id, key.secret, method, raw, body,
                                                   self._fresh_second(key.key_id, method, raw,
                                                                      body)))
            response = self.client.send(request)
            if response.status_code not in (401, 403):
                if index:
                    self.keys.insert(0, self.keys.pop(index))
                return response
            response.read()
        assert response is not None
        return response

    @staticmethod
    def _next_second() -> None:
        now = clock.unix_time()
        time.sleep(int(now) + 1 - now)

    def _fresh_second(self, key_id: str, method: str, raw: str, body: bytes) -> float:
        """The timestamp to sign with. The receiver refuses a signature it has seen
        (a replay), and the same request signed twice in one second gives the same
        signature: wait for the next second rather than send one that is refused."""
        same = (self.base_url, key_id, method, raw, hashlib.sha256(body).digest())
        with _SIGNED_LOCK:
            now = clock.unix_time()
            second = int(now)
            if _SIGNED.get(same) == second:
                time.sleep(second + 1 - now)
                now = clock.unix_time()
                second = int(now)
            if _SIGNED and next(iter(_SIGNED.values())) != second:
                _SIGNED.clear()          # every entry is from one earlier second
            _SIGNED[same] = second
        return now

    def _transient(self, error: Exception) -> Reply:
        if isinstance(error, httpx.TimeoutException):
            return Reply("retry", message="geen antwoord binnen de tijd (time-out)")
        return Reply("retry", message=f"verbinding mislukt: {one_line(type(error).__name__)}"
                                      f" {one_line(str(error), 200)}")

    def _auth(self, response: httpx.Response) -> Reply:
        ids = ", ".join(k.key_id for k in self.keys)
        return Reply("auth", response.status_code,
                     message=f"het portaal weigert de koppeling (HTTP {response.status_code},"
                             f" sleutel {one_line(ids, 100)}): controleer sleutel en geheim")

    # -- actions ------------------------------------------------------------------------------

    def post_action(self, payload: dict[str, Any]) -> Reply:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")
        try:
            response = self._send("POST", "/actions", body, {
                "Idempotency-Key": payload["id"], "Content-Type": "application/json"})
        except httpx.HTTPError as error:
            return self._transient(error)
        return self._classify(response)

    def get_action(self, action_id: str) -> Reply:
        try:
            response = self._send("GET", f"/actions/{quote(action_id, safe='')}")
        except httpx.HTTPError as error:
            return self._transient(error)
        if response.status_code == 404:
            return Reply("unknown", 404)
        return self._classify(response)

    def _classify(self, response: httpx.Response) -> Reply:
        code = response.status_code
        body = _json(response)
        if code in (401, 403):
            return self._auth(response)
        if code in RETRY_STATUSES or code >= 500:
            return Reply("retry", code, message=f"HTTP {code}",
                         retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        if code == 422:
            return Reply("refused", code, body, message=_message(body, response))
        if code in (200, 201, 202) and body is not None:
            status = body.get("status")
            if status == "done":
                return Reply("done", code, body)
            if status == "accepted":
                return Reply("accepted", code, body)
            if status == "refused":
                return Reply("refused", code, body, message=_message(body, response))
        return Reply("retry", code, message=f"onverwacht antwoord van het portaal (HTTP {code})")

    # -- new data -------------------------------------------------------------------------------

    def export(self, since: str | None) -> tuple[bytes, str | None, str]:
        """One export page: (JSON Lines body, X-Next-Cursor, the request as a source name).
        Raises ConnectorError naming the school when the page cannot be fetched."""
        path = "/export" + (f"?since={quote(since, safe='')}" if since is not None else "")
        source = f"{self.base_url}{path}"
        try:
            response = self._send("GET", path)
        except httpx.HTTPError as error:
            reply = self._transient(error)
            raise ConnectorError(f"school {self.school}: {reply.message} ({source})") from None
        if response.status_code in (401, 403):
            raise ConnectorError(f"school {self.school}: {self._auth(response).message}")
        if response.status_code != 200:
            raise ConnectorError(f"school {self.school}: export gaf HTTP"
                                 f" {response.status_code} ({source})")
        return response.content, response.headers.get("X-Next-Cursor"), source
