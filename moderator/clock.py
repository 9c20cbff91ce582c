"""The one place that reads the wall clock.

Tests and the demo pin time with the environment variable ``MODERATOR_NOW``
(an ISO 8601 timestamp with offset), so that retention, school years and ages are
reproducible.

The foundation's schools are in the Netherlands: times are recorded and shown in
Europe/Amsterdam (``MODERATOR_TZ`` overrides), whatever zone the machine runs in.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Amsterdam"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    name = os.environ.get("MODERATOR_TZ") or DEFAULT_ZONE
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        from moderator.errors import UsageError

        raise UsageError(f"onbekende tijdzone in MODERATOR_TZ: {name!r}"
                         " (bijvoorbeeld Europe/Amsterdam)") from None


def now() -> datetime:
    pinned = os.environ.get("MODERATOR_NOW")
    if pinned:
        return datetime.fromisoformat(pinned).astimezone(zone())
    return datetime.now(zone())


def local(moment: datetime) -> datetime:
    """A moment in the foundation's time zone, for display."""
    return moment.astimezone(zone())


def display(value: str | None) -> str:
    """A stored ISO timestamp as Dutch users read it: '25-11-2026 14:30'; a bare date
    ('2026-11-25') as '25-11-2026'; anything else unchanged."""
    if not value:
        return ""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        return local(parse(value)).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return value


def now_iso() -> str:
    return now().isoformat(timespec="seconds")


def real_now_iso() -> str:
    """The real time (never pinned by MODERATOR_NOW), for what another system checks
    against its own clock: portal actions' ``requested_at``, request signatures."""
    return datetime.now(zone()).isoformat(timespec="seconds")


def unix_time() -> float:
    """Real unix seconds (never pinned): signatures, retry delays and leases."""
    import time

    return time.time()


def parse(value: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries an offset."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp without offset: {value!r}")
    return parsed


def school_year(moment: datetime) -> str:
    """The Dutch school year a moment falls in; it starts on 1 August."""
    start = moment.year if moment.month >= 8 else moment.year - 1
    return f"{start}-{start + 1}"
