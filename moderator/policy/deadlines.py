"""Working time and deadlines: pure functions, no database, no wall clock.

A school works Monday to Friday within its working hours (the portal's
``working_hours``, default 08:00-17:00), except on its holidays. Flagged items get a
deadline by severity (policy, "Borging en Handhaving": the school acts promptly on what
is harmful; the terms below are the foundation's setting, these are its defaults):

* urgent reasons (threats, confidential pupil data): before the end of the working
  day on which the item arrived; when it arrived outside working hours, by 12:00 on
  the next working day;
* every other reason: two working days of working time after arrival (an item that
  arrives on Monday at 10:00 is due on Wednesday at 10:00; one that arrives on
  Saturday is due on Tuesday at 17:00).

All moments are aware datetimes; working hours are read in the zone the caller gives
(the foundation's zone, :func:`moderator.clock.zone`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

DEFAULT_START = "08:00"
DEFAULT_END = "17:00"
DEFAULT_URGENT_REASONS = ("threat", "confidential")
DEFAULT_URGENT_NEXT_DAY = "12:00"
DEFAULT_WORKING_DAYS = 2
MAX_WORKING_DAYS = 30


def parse_hhmm(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class DeadlineRules:
    """The foundation's deadline setting."""

    urgent_reasons: frozenset[str] = frozenset(DEFAULT_URGENT_REASONS)
    urgent_next_day: str = DEFAULT_URGENT_NEXT_DAY    # by this time on the next working day
    working_days: int = DEFAULT_WORKING_DAYS          # for every other reason

    def is_urgent(self, reasons: Iterable[str]) -> bool:
        return any(r in self.urgent_reasons for r in reasons)


@dataclass(frozen=True)
class WorkCalendar:
    """One school's working days and hours."""

    zone: tzinfo
    start: time = time(8, 0)
    end: time = time(17, 0)
    holidays: tuple[tuple[date, date], ...] = field(default=())   # inclusive ranges

    @classmethod
    def of(cls, zone: tzinfo, start: str | None = None, end: str | None = None,
           holidays: Iterable[tuple[date, date]] = ()) -> WorkCalendar:
        return cls(zone, parse_hhmm(start or DEFAULT_START), parse_hhmm(end or DEFAULT_END),
                   tuple(sorted(holidays)))

    def holiday(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.holidays)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.holiday(day)

    def opens(self, day: date) -> datetime:
        return datetime.combine(day, self.start, tzinfo=self.zone)

    def closes(self, day: date) -> datetime:
        return datetime.combine(day, self.end, tzinfo=self.zone)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += timedelta(days=1)
        for _ in range(3700):          # ten years of holidays is not a calendar
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("geen werkdag gevonden in tien jaar")

    def in_working_time(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return (self.is_working_day(local.date())
                and self.start <= local.time().replace(tzinfo=None) < self.end)

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` when it is working time, else when working time next begins."""
        local = moment.astimezone(self.zone)
        day = local.date()
        if self.is_working_day(day) and local < self.opens(day):
            return self.opens(day)
        if self.in_working_time(local):
            return local
        return self.opens(self.next_working_day(day))

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """The moment when ``amount`` of working time has passed since ``moment``.
        Reaching exactly the end of a day gives that day's closing time."""
        current = self.next_opening(moment)
        left = amount
        while True:
            closing = self.closes(current.date())
            room = closing - current
            if left <= room:
                return current + left
            left -= room
            current = self.opens(self.next_working_day(current.date()))

    def working_time_between(self, first: datetime, last: datetime) -> timedelta:
        """Working time from ``first`` to ``last`` (zero when ``last`` is earlier)."""
        total = timedelta(0)
        current = self.next_opening(first)
        last = last.astimezone(self.zone)
        while current < last:
            closing = self.closes(current.date())
            total += min(closing, last) - current
            if last <= closing:
                break
            current = self.opens(self.next_working_day(current.date()))
        return total

    @property
    def day_length(self) -> timedelta:
        return self.closes(date(2000, 1, 3)) - self.opens(date(2000, 1, 3))


def due_at(arrived: datetime, reasons: Iterable[str], calendar: WorkCalendar,
           rules: DeadlineRules = DeadlineRules()) -> datetime:
    """When an item that arrived at ``arrived`` with these reasons must be handled."""
    if rules.is_urgent(reasons):
        local = arrived.astimezone(calendar.zone)
        if calendar.in_working_time(local):
            return calendar.closes(local.date())
        day = local.date()
        if not (calendar.is_working_day(day) and local < calendar.opens(day)):
            day = calendar.next_working_day(day)
        noon = parse_hhmm(rules.urgent_next_day)
        by = min(max(noon, calendar.start), calendar.end)
        return datetime.combine(day, by, tzinfo=calendar.zone)
    return calendar.add_working_time(arrived, calendar.day_length * rules.working_days)


def age_label(since: datetime, now: datetime) -> str:
    """How long ago, short and Dutch: '5 min', '3 u', '2 d' (wall-clock time)."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} u"
    return f"{seconds // 86400} d"


def remaining_label(until: date, today: date) -> str:
    """Time left until a date, in Dutch: 'nog 3 dagen', 'eindigt vandaag', 'verlopen'."""
    days = (until - today).days
    if days > 1:
        return f"nog {days} dagen"
    if days == 1:
        return "nog 1 dag"
    if days == 0:
        return "eindigt vandaag"
    return "verlopen"
