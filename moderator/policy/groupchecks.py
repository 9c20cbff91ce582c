"""Group checks: policy rules about a group's traffic rather than one message.

* ``frequency`` (policy "Wat kunnen we plaatsen", punt 9): per group at most one post a
  day and at least one a week. Days with more posts and whole calendar weeks (Monday to
  Sunday, ISO) without a post are reported; consecutive empty weeks form one finding.
  A school's approved ``frequency`` provision ({"max_per_day": n, "min_per_week": n})
  replaces the defaults.
* ``off_hours`` (policy "Gedrag", punt 8): posts and comments by staff (teacher,
  director, school admin) outside the school's working hours (``schools.work_start`` to
  ``work_end``, local time of the timestamp) or at the weekend.

The period is the current school year (``since``/``until`` override it); frequency
counts whole weeks up to the end of last week. Weeks before a group's first post are
not counted; a group that never posted misses every week of the period.

Pure functions over the traffic :mod:`moderator.store.group_traffic` reads; the report as
a user may see it is :mod:`moderator.services.group_report`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from moderator import clock

STAFF_ROLES = ("teacher", "director", "school_admin")
MAX_PER_DAY = 1
MIN_PER_WEEK = 1


@dataclass(frozen=True)
class GroupFinding:
    reason: str            # 'frequency' or 'off_hours'
    school_id: str
    group_id: str
    group_name: str
    when: str              # a day, a week range or a timestamp
    detail: str            # Dutch, for the report (contains portal names: untrusted)
    count: int = 0
    item: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def period(since: date | None, until: date | None) -> tuple[date, date]:
    """The frequency check's period: the school year so far (from 1 August) up to the
    Monday of this week, unless given."""
    today = clock.now().date()
    if since is None:
        start_year = int(clock.school_year(clock.now())[:4])
        since = date(start_year, 8, 1)
    if until is None:
        until = today - timedelta(days=today.weekday())      # Monday of this week
    return since, until


def off_hours_period(since: date | None, until: date | None) -> tuple[date, date]:
    """The off-hours check's period: as :func:`period`, but up to and including today."""
    since, _ = period(since, until)
    if until is None:
        until = clock.now().date() + timedelta(days=1)
    return since, until


def limits(details: Iterable[Any]) -> tuple[int, int]:
    """(most posts a day, fewest a week) after a school's approved ``frequency``
    provisions, oldest first (a later one overrides)."""
    max_day, min_week = MAX_PER_DAY, MIN_PER_WEEK
    for detail in details:
        if isinstance(detail, dict):
            if isinstance(detail.get("max_per_day"), int):
                max_day = detail["max_per_day"]
            if isinstance(detail.get("min_per_week"), int):
                min_week = detail["min_per_week"]
    return max_day, min_week


def _week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _holiday_week(monday: date, holidays: Sequence[tuple[date, date]]) -> bool:
    """True when every school day (Monday to Friday) of the week is in a holiday."""
    return bool(holidays) and all(
        any(first <= monday + timedelta(days=i) <= last for first, last in holidays)
        for i in range(5))


def frequency_findings(groups: Iterable[Any], posts_per_day: Iterable[tuple[str, str, int]],
                       school_limits: dict[str, tuple[int, int]], since: date,
                       until: date, *, day_end: date | None = None,
                       holidays: dict[str, Sequence[tuple[date, date]]] | None = None,
                       ) -> list[GroupFinding]:
    """Days with too many posts and runs of weeks with too few, per group.

    ``groups`` have ``id``, ``name`` and ``school_id``; ``posts_per_day`` is (group id,
    'YYYY-MM-DD', count) of the group's own communication (live staff posts);
    ``school_limits`` maps a school to :func:`limits`. Days with too many posts count up
    to ``day_end`` (default ``until``; the service passes tomorrow, so the current week
    counts too); weeks with too few are whole weeks before ``until``. ``holidays`` maps a
    school to its holidays (first, last day): a week whose school days all fall in one is
    neither counted as empty nor breaks a run of empty weeks."""
    day_end = until if day_end is None else day_end
    holidays = holidays or {}
    days: dict[str, dict[date, int]] = {}
    first_post: dict[str, date] = {}
    for group_id, day_text, n in posts_per_day:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            continue
        first_post[group_id] = min(day, first_post.get(group_id, day))
        if since <= day < day_end:
            days.setdefault(group_id, {})[day] = n
    out: list[GroupFinding] = []
    for group in groups:
        gid, school, name = group.id, group.school_id, group.name
        max_day, min_week = school_limits.get(school, (MAX_PER_DAY, MIN_PER_WEEK))
        per_day = days.get(gid, {})
        for day in sorted(per_day):
            if per_day[day] > max_day:
                out.append(GroupFinding(
                    "frequency", school, gid, name, day.isoformat(),
                    f"{per_day[day]} berichten op één dag (hoogstens {max_day})", per_day[day]))
        start = max(since, first_post.get(gid, since))
        monday = start - timedelta(days=start.weekday())
        if monday < start:            # the first week is only partly in the period
            monday += timedelta(days=7)
        run: list[date] = []
        while monday + timedelta(days=7) <= until:
            count = sum(per_day.get(monday + timedelta(days=i), 0) for i in range(7))
            if count < min_week and not _holiday_week(monday, holidays.get(school, ())):
                run.append(monday)
            if run and (count >= min_week or monday + timedelta(days=14) > until):
                out.append(_empty_weeks(school, gid, name, run, min_week))
                run = []
            monday += timedelta(days=7)
    return out


def _empty_weeks(school: str, gid: str, name: str, run: list[date], min_week: int) -> GroupFinding:
    first, last = run[0], run[-1]
    when = _week_label(first) if first == last else f"{_week_label(first)} t/m {_week_label(last)}"
    n = len(run)
    what = "geen bericht" if min_week == 1 else f"minder dan {min_week} berichten"
    return GroupFinding("frequency", school, gid, name, when,
                        f"{what} in {n} {'week' if n == 1 else 'weken'}"
                        f" ({first.isoformat()} tot {(last + timedelta(days=7)).isoformat()})", n)


def off_hours_findings(messages: Iterable[Any]) -> list[GroupFinding]:
    """One finding per staff message outside working hours. ``messages`` have ``item``,
    ``kind``, ``group_id``, ``group_name``, ``school_id``, ``created_at``, ``author``,
    ``work_start`` and ``work_end``."""
    out: list[GroupFinding] = []
    for m in messages:
        moment = datetime.fromisoformat(m.created_at)
        if moment.weekday() >= 5:
            why = "in het weekend"
        else:
            why = f"om {moment:%H:%M}, werktijd {m.work_start}-{m.work_end}"
        noun = "bericht" if m.kind == "post" else "reactie"
        out.append(GroupFinding("off_hours", m.school_id, m.group_id, m.group_name,
                                m.created_at, f"{noun} van {m.author} {why}", 1, m.item))
    out.sort(key=lambda f: (f.school_id, f.when))
    return out


def report_order(found: list[GroupFinding]) -> list[GroupFinding]:
    """Per school and group, frequency before off-hours, in time order."""
    return sorted(found, key=lambda f: (f.school_id, f.group_name, f.reason, f.when))
