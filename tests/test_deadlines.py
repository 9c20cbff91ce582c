"""Working time and deadlines through a pinned week with a weekend and a holiday.

The week: Thursday 26 and Friday 27 November 2026 are working days, the weekend
follows, Monday 30 November is a holiday (studiedag), Tuesday 1 December works again.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from moderator import clock
from moderator.policy.deadlines import (
    DeadlineRules,
    WorkCalendar,
    age_label,
    due_at,
    remaining_label,
)

ZONE = clock.zone()
STUDIEDAG = (date(2026, 11, 30), date(2026, 11, 30))
CAL = WorkCalendar.of(ZONE, "08:00", "17:00", [STUDIEDAG])
SHORT = WorkCalendar.of(ZONE, "08:30", "15:00", [STUDIEDAG])


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.mark.parametrize("calendar, arrived, reasons, due", [
    # urgent, inside working hours: end of that working day
    (CAL, "2026-11-26T10:00:00+01:00", ["threat"], "2026-11-26T17:00:00+01:00"),
    (CAL, "2026-11-26T16:59:00+01:00", ["confidential"], "2026-11-26T17:00:00+01:00"),
    # the same moment given in UTC
    (CAL, "2026-11-26T09:30:00+00:00", ["threat"], "2026-11-26T17:00:00+01:00"),
    # urgent, after hours: 12:00 on the next working day
    (CAL, "2026-11-26T18:30:00+01:00", ["threat"], "2026-11-27T12:00:00+01:00"),
    # urgent, before opening on a working day: 12:00 that day
    (CAL, "2026-11-27T06:00:00+01:00", ["threat", "abuse"], "2026-11-27T12:00:00+01:00"),
    # urgent at closing time on Friday: the weekend and the holiday are skipped
    (CAL, "2026-11-27T17:00:00+01:00", ["threat"], "2026-12-01T12:00:00+01:00"),
    (CAL, "2026-11-28T11:00:00+01:00", ["confidential"], "2026-12-01T12:00:00+01:00"),
    (CAL, "2026-11-30T09:00:00+01:00", ["threat"], "2026-12-01T12:00:00+01:00"),
    # other reasons: two working days of working time
    (CAL, "2026-11-26T10:00:00+01:00", ["abuse"], "2026-12-01T10:00:00+01:00"),
    (CAL, "2026-11-27T16:00:00+01:00", ["commercial"], "2026-12-02T16:00:00+01:00"),
    (CAL, "2026-11-28T11:00:00+01:00", ["other"], "2026-12-02T17:00:00+01:00"),
    (CAL, "2026-11-25T08:00:00+01:00", ["abuse"], "2026-11-26T17:00:00+01:00"),
    # a school with shorter hours
    (SHORT, "2026-11-26T14:59:00+01:00", ["threat"], "2026-11-26T15:00:00+01:00"),
    (SHORT, "2026-11-26T15:00:00+01:00", ["threat"], "2026-11-27T12:00:00+01:00"),
    (SHORT, "2026-11-26T08:00:00+01:00", ["abuse"], "2026-11-27T15:00:00+01:00"),
])
def test_due_times(calendar, arrived, reasons, due):
    assert due_at(at(arrived), reasons, calendar) == at(due)


def test_the_foundation_setting_changes_the_terms():
    rules = DeadlineRules(urgent_reasons=frozenset({"threat"}), urgent_next_day="10:00",
                          working_days=1)
    assert due_at(at("2026-11-26T10:00:00+01:00"), ["confidential"], CAL, rules) == \
        at("2026-11-27T10:00:00+01:00")
    assert due_at(at("2026-11-27T20:00:00+01:00"), ["threat"], CAL, rules) == \
        at("2026-12-01T10:00:00+01:00")


def test_working_days_and_hours():
    assert not CAL.is_working_day(date(2026, 11, 28))          # Saturday
    assert not CAL.is_working_day(date(2026, 11, 30))          # holiday
    assert CAL.next_working_day(date(2026, 11, 27)) == date(2026, 12, 1)
    assert CAL.in_working_time(at("2026-11-27T08:00:00+01:00"))
    assert not CAL.in_working_time(at("2026-11-27T17:00:00+01:00"))
    # Friday 16:00 to Tuesday 09:00: one hour on Friday, one on Tuesday
    assert CAL.working_time_between(at("2026-11-27T16:00:00+01:00"),
                                    at("2026-12-01T09:00:00+01:00")).total_seconds() == 7200


def test_a_long_holiday_is_skipped_whole():
    christmas = WorkCalendar.of(ZONE, holidays=[(date(2026, 12, 21), date(2027, 1, 1))])
    assert due_at(at("2026-12-18T17:30:00+01:00"), ["threat"], christmas) == \
        at("2027-01-04T12:00:00+01:00")


@pytest.mark.parametrize("seconds, label", [(0, "0 min"), (59 * 60, "59 min"), (3600, "1 u"),
                                            (47 * 3600, "47 u"), (6 * 86400, "6 d")])
def test_age_labels(seconds, label):
    now = at("2026-11-26T10:00:00+01:00")
    assert age_label(datetime.fromtimestamp(now.timestamp() - seconds, ZONE), now) == label


@pytest.mark.parametrize("until, label", [
    (date(2026, 12, 9), "nog 14 dagen"), (date(2026, 11, 26), "nog 1 dag"),
    (date(2026, 11, 25), "eindigt vandaag"), (date(2026, 11, 20), "verlopen")])
def test_remaining_labels(until, label):
    assert remaining_label(until, date(2026, 11, 25)) == label
