"""The frequency report counts live staff posts only, includes the current week's days and
skips holiday weeks given as date ranges."""

from __future__ import annotations

from datetime import date

from moderator.services.group_report import frequency_findings


def add(s, rows):
    with s.write():
        s.executemany("INSERT INTO posts (id, group_id, author_id, created_at, body, deleted_at)"
                      " VALUES (?, ?, ?, ?, 'x', ?)", rows)


def freq(s, **kw):
    return [(f.group_id, f.when, f.detail) for f in frequency_findings(s, "s1", **kw)
            if f.group_id == "g3"]


def test_only_live_staff_posts_count(school_store):
    add(school_store, [
        ("a", "g3", "t3", "2026-11-02T10:00:00+01:00", None),
        ("b", "g3", "p1", "2026-11-02T11:00:00+01:00", None),                 # a parent
        ("c", "g3", "t3", "2026-11-02T12:00:00+01:00", "2026-11-03T09:00:00+01:00"),  # deleted
        ("d", "g3", "t3", "2026-11-09T10:00:00+01:00", None),
        ("e", "g3", "p1", "2026-11-16T10:00:00+01:00", None),                 # parent only
    ])
    found = freq(school_store, since=date(2026, 11, 1))
    assert not [f for f in found if f[1] == "2026-11-02"]          # 1 staff post that day
    assert ("g3", "2026-W47", "geen bericht in 1 week (2026-11-16 tot 2026-11-23)") in found


def test_the_current_week_counts_for_too_many_posts(school_store):
    # MODERATOR_NOW is Wednesday 25 November 2026
    add(school_store, [("a", "g3", "t3", "2026-11-25T08:30:00+01:00", None),
                       ("b", "g3", "t3", "2026-11-25T09:30:00+01:00", None)])
    found = freq(school_store, since=date(2026, 11, 1))
    assert ("g3", "2026-11-25", "2 berichten op één dag (hoogstens 1)") in found


def test_holiday_weeks_are_skipped(school_store):
    add(school_store, [("a", "g3", "t3", "2026-10-12T10:00:00+02:00", None),
                       ("b", "g3", "t3", "2026-10-26T10:00:00+01:00", None)])
    period = {"since": date(2026, 10, 12), "until": date(2026, 11, 2)}
    assert ("g3", "2026-W43", "geen bericht in 1 week (2026-10-19 tot 2026-10-26)") in freq(
        school_store, **period)
    autumn = [(date(2026, 10, 17), date(2026, 10, 25))]
    assert freq(school_store, **period, holidays=autumn) == []
    # a run of empty weeks goes on across a holiday and counts only school weeks
    add(school_store, [("c", "g3", "t3", "2026-11-30T10:00:00+01:00", None)])
    found = freq(school_store, since=date(2026, 10, 26), until=date(2026, 11, 30),
                 holidays=[(date(2026, 11, 9), date(2026, 11, 13))])
    assert [(w, d) for _, w, d in found] == [
        ("2026-W45 t/m 2026-W48", "geen bericht in 3 weken (2026-11-02 tot 2026-11-30)")]


def test_imported_holidays_are_skipped_without_being_passed(school_store):
    """The report reads the school's own holidays (the export's holiday records): a
    silent holiday week is not reported as empty."""
    add(school_store, [
        ("h1", "g3", "t3", "2026-11-02T10:00:00+01:00", None),
        ("h2", "g3", "t3", "2026-11-16T10:00:00+01:00", None),
    ])
    period = {"since": date(2026, 11, 2), "until": date(2026, 11, 23)}
    assert freq(school_store, **period)            # the week of 9 November is silent
    with school_store.write():
        school_store.execute('INSERT INTO holidays (school_id, start, "end", name)'
                             " VALUES ('s1', '2026-11-07', '2026-11-15', 'Herfstvakantie')")
    assert freq(school_store, **period) == []
