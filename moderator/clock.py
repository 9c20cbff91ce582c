"""The one place that reads the wall clock.

Tests and the demo pin time with the environment variable ``MODERATOR_NOW``
(an ISO 8601 timestamp with offset), so that retention, school years and ages are
reproducible.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    pinned = os.environ.get("MODERATOR_NOW")
    if pinned:
        return datetime.fromisoformat(pinned)
    return datetime.now(UTC).astimezone()


def now_iso() -> str:
    return now().isoformat(timespec="seconds")


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
