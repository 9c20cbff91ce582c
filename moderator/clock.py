"""The one place that reads the wall clock.

Tests and the demo pin time with the environment variable ``MODERATOR_NOW``
(an ISO 8601 timestamp with offset), so that retention, school years and ages are
reproducible.

The foundation's schools are in the Netherlands: times are recorded and shown in
Europe/Amsterdam (``MODERATOR_TZ`` overrides), whatever zone the machine runs in.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
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


def real_now() -> datetime:
    """The wall clock, whatever ``MODERATOR_NOW`` says: for security timers (login
    lockouts), which an environment variable must not move."""
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


# -- dates and times as Dutch users type them ------------------------------------------------

INPUT_FORMS = ("02-12-2026", "2-12", "vandaag", "gisteren 14:00", "nu", "2026-12-02")
INPUT_HELP = ("gebruik bijvoorbeeld 02-12-2026, 2-12, 02-12-2026 14:30, vandaag, "
              "gisteren 14:00 of nu")

_RELATIVE = {"vandaag": 0, "gisteren": 1, "eergisteren": 2}
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?:\s*uur)?")


def _time_part(raw: str, whole: str) -> time | None:
    raw = raw.strip()
    if not raw:
        return None
    found = _TIME.fullmatch(raw)
    if not found:
        raise ValueError(f"onbekende tijd in {whole!r}; {INPUT_HELP}")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"onbekende tijd in {whole!r}; {INPUT_HELP}")
    return time(hour, minute)


def parse_input(value: str) -> tuple[date, time | None]:
    """A date, and a time when one was given, as a Dutch user types it: ``02-12-2026``,
    ``2-12`` (this year), ``2/12/26``, ``vandaag``, ``gisteren 14:00``, ``nu``, or ISO
    (``2026-12-02``, ``2026-12-02T14:00``). Raises ValueError with a Dutch message that
    lists the accepted forms."""
    whole = " ".join(str(value).split())
    raw = whole.lower().replace("t", " ", 1) if re.match(r"\d{4}-\d{2}-\d{2}t", whole.lower()) \
        else whole.lower()
    if not raw:
        raise ValueError(f"geen datum; {INPUT_HELP}")
    today = now()
    if raw == "nu":
        return today.date(), today.time().replace(second=0, microsecond=0)
    head, _, rest = raw.partition(" ")
    if head in _RELATIVE:
        return today.date() - timedelta(days=_RELATIVE[head]), _time_part(rest, whole)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", head)
    dmy = _DMY.fullmatch(head)
    try:
        if iso:
            day = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            if rest and re.search(r"[+-]\d{2}:?\d{2}$|z$", rest):
                moment = datetime.fromisoformat(f"{head}T{rest.upper()}").astimezone(zone())
                return moment.date(), moment.time().replace(second=0, microsecond=0)
        elif dmy:
            year = dmy.group(3)
            year_number = today.year if year is None else int(year)
            if year is not None and len(year) == 2:
                year_number += 2000
            day = date(year_number, int(dmy.group(2)), int(dmy.group(1)))
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"onbekende datum {whole!r}; {INPUT_HELP}") from None
    rest = re.sub(r"^(om|:)\s*", "", rest)
    if rest.count(":") == 2:            # ISO seconds: 14:00:00
        rest = rest.rsplit(":", 1)[0]
    return day, _time_part(rest, whole)


def input_moment(value: str) -> datetime:
    """:func:`parse_input` as a moment in the foundation's zone (midnight without a time)."""
    day, at = parse_input(value)
    return datetime.combine(day, at or time(0, 0), tzinfo=zone())


def input_iso(value: str) -> str:
    """:func:`parse_input` as stored text: ``2026-12-02`` for a bare date, an ISO timestamp
    with the foundation's offset when a time was given."""
    day, at = parse_input(value)
    if at is None:
        return day.isoformat()
    return datetime.combine(day, at, tzinfo=zone()).isoformat(timespec="seconds")
