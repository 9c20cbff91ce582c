"""A school's working calendar (holidays, working hours) and the foundation's deadline
terms, as use cases."""

from __future__ import annotations

from dataclasses import dataclass

from moderator.errors import NotFound, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.policy.deadlines import MAX_WORKING_DAYS, DeadlineRules, parse_hhmm
from moderator.store import audit, worktime
from moderator.store.db import Store
from moderator.store.holidays import Holiday, holidays_for, school_exists


@dataclass(frozen=True)
class SchoolCalendar:
    school_id: str
    work_start: str
    work_end: str
    holidays: tuple[Holiday, ...]


def school_calendar(store: Store, actor: Actor, school_id: str) -> SchoolCalendar:
    if not school_exists(store, school_id):
        raise NotFound(f"onbekende school {school_id!r}")
    if not access.may_see_calendar(actor, school_id):
        raise PermissionDenied("u ziet alleen de vakanties van uw eigen school")
    start, end = worktime.working_hours(store, school_id)
    return SchoolCalendar(school_id, start, end, tuple(holidays_for(store, school_id)))


def deadline_rules(store: Store) -> DeadlineRules:
    return worktime.deadline_rules(store)


def set_deadline_rules(store: Store, actor: Actor, *, working_days: int | None = None,
                       urgent_next_day: str | None = None) -> DeadlineRules:
    """Change the foundation's deadline terms; every queue deadline is recomputed."""
    if not access.may_set_deadlines(actor):
        raise PermissionDenied("Alleen de AVG-coördinator stelt de termijnen van de stichting in.")
    old = worktime.deadline_rules(store)
    days = old.working_days if working_days is None else working_days
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise UsageError(f"de termijn is 1 tot {MAX_WORKING_DAYS} werkdagen, niet {days}")
    noon = old.urgent_next_day if urgent_next_day is None else urgent_next_day.strip()
    try:
        parse_hhmm(noon)
        if len(noon) != 5:
            raise ValueError
    except ValueError:
        raise UsageError(f"ongeldige tijd {noon!r} (gebruik UU:MM, bijvoorbeeld 12:00)") from None
    new = DeadlineRules(old.urgent_reasons, noon, days)
    with store.write():
        worktime.save_deadline_rules(store, new)
        audit.append(store, actor.username, "deadlines.set", f"setting:{worktime.SETTING_KEY}", {
            "from": [old.working_days, old.urgent_next_day],
            "to": [new.working_days, new.urgent_next_day]})
    return new


def now_utc() -> str:
    """Now in UTC, as queue deadlines are stored (they sort as text)."""
    return worktime.now_utc()
