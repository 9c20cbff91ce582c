"""Request signatures for the http connector.

Every request carries ``X-Moderator-Key-Id``, ``X-Moderator-Timestamp`` (real unix
seconds) and ``X-Moderator-Signature: sha256=<hex>``, an HMAC-SHA256 with the key's shared
secret over the canonical string::

    METHOD \\n path-and-query exactly as sent \\n timestamp \\n hex SHA-256 of the body

(the empty string's hash for a GET). The receiver allows 300 seconds of clock skew and
refuses a signature it has already seen in that window (a replay).
"""

from __future__ import annotations

import hashlib
import hmac

MAX_SKEW_SECONDS = 300
KEY_ID = "X-Moderator-Key-Id"
TIMESTAMP = "X-Moderator-Timestamp"
SIGNATURE = "X-Moderator-Signature"


def canonical_string(method: str, path_and_query: str, timestamp: str, body: bytes) -> str:
    return "\n".join([method.upper(), path_and_query, timestamp,
                      hashlib.sha256(body).hexdigest()])


def signature(secret: bytes, method: str, path_and_query: str, timestamp: str,
              body: bytes) -> str:
    digest = hmac.new(secret, canonical_string(method, path_and_query, timestamp, body).encode(
        "utf-8"), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers(key_id: str, secret: bytes, method: str, path_and_query: str, body: bytes,
            now: float) -> dict[str, str]:
    timestamp = str(int(now))
    return {KEY_ID: key_id, TIMESTAMP: timestamp,
            SIGNATURE: signature(secret, method, path_and_query, timestamp, body)}


def verify(secrets: dict[str, bytes], method: str, path_and_query: str, body: bytes,
           got: dict[str, str], now: float) -> str | None:
    """What a receiver checks: None when valid, else why not (English, for a log)."""
    key_id, timestamp, sent = (got.get(KEY_ID), got.get(TIMESTAMP), got.get(SIGNATURE))
    if not key_id or not timestamp or not sent:
        return "missing signature headers"
    secret = secrets.get(key_id)
    if secret is None:
        return f"unknown key id {key_id!r}"
    try:
        moment = int(timestamp)
    except ValueError:
        return "bad timestamp"
    if abs(now - moment) > MAX_SKEW_SECONDS:
        return "timestamp too far off"
    expected = signature(secret, method, path_and_query, timestamp, body)
    if not hmac.compare_digest(expected, sent):
        return "bad signature"
    return None
