"""School holidays (the export's optional ``holiday`` record) and each school's
working calendar, as :mod:`moderator.policy.deadlines` counts working time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from moderator import clock
from moderator.policy.deadlines import WorkCalendar
from moderator.store.db import Store


@dataclass(frozen=True)
class Holiday:
    start: date
    end: date                 # inclusive
    name: str | None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def holidays_for(store: Store, school_id: str) -> list[Holiday]:
    """A school's holidays, earliest first."""
    return [Holiday(date.fromisoformat(r["start"]), date.fromisoformat(r["end"]), r["name"])
            for r in store.rows('SELECT start, "end", name FROM holidays WHERE school_id = ?'
                                ' ORDER BY start, "end"', (school_id,))]


def school_exists(store: Store, school_id: str) -> bool:
    return store.scalar("SELECT 1 FROM schools WHERE id = ?", (school_id,)) is not None


def calendar_for(store: Store, school_id: str) -> WorkCalendar:
    """The school's working hours, Monday to Friday, without its holidays."""
    row = store.row("SELECT work_start, work_end FROM schools WHERE id = ?", (school_id,))
    start, end = (row["work_start"], row["work_end"]) if row else (None, None)
    return WorkCalendar.of(clock.zone(), start, end,
                           [(h.start, h.end) for h in holidays_for(store, school_id)])
