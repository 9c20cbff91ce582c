"""Group checks: posting frequency per group and staff posts outside working hours."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.services.group_report import group_report


@pytest.fixture
def store(school_store):
    s = school_store
    posts = [
        ("a", "g3", "t3", "2026-11-02T10:00:00+01:00"),   # Monday, two posts that day
        ("b", "g3", "t3", "2026-11-02T20:30:00+01:00"),   # ... the second in the evening
        ("c", "g3", "p1", "2026-11-07T22:00:00+01:00"),   # Saturday, but by a parent
        ("d", "g3", "t3", "2026-11-21T09:00:00+01:00"),   # Saturday, by the teacher
        ("e", "g3", "d1", "2026-11-25T07:59:00+01:00"),   # today, before work starts
        ("f", "g5", "t5", "2026-11-09T12:00:00+01:00"),
        ("g", "g5", "t5", "2026-11-16T12:00:00+01:00"),
        ("h", "gs", "d1", "2026-11-02T16:59:00+01:00"),   # just inside working hours
        ("i", "gs", "d1", "2026-11-10T12:00:00+01:00"),
        ("j", "gs", "d1", "2026-11-17T12:00:00+01:00"),
    ]
    with s.write():
        s.executemany("INSERT INTO posts (id, group_id, author_id, created_at, body)"
                      " VALUES (?, ?, ?, ?, 'x')", posts)
        s.execute("INSERT INTO comments (id, post_id, author_id, created_at, body)"
                  " VALUES ('c1', 'f', 't5', '2026-11-09T18:15:00+01:00', 'y')")
    return s


def by_reason(findings, reason):
    return [(f.group_id, f.when, f.detail) for f in findings if f.reason == reason]


def test_frequency_days_with_more_posts_and_weeks_without(store):
    found = group_report(store, since=date(2026, 11, 1))
    freq = by_reason(found, "frequency")
    assert ("g3", "2026-11-02", "2 berichten op één dag (hoogstens 1)") in freq
    # g3: weeks 46 and 47 (9 to 22 November) empty apart from the Saturday post in 47
    weeks = [(g, w) for g, w, d in freq if "geen bericht" in d]
    assert ("g3", "2026-W46") in weeks
    assert ("g3", "2026-W47") not in weeks
    # g5 starts posting on 9 November and posts weekly; gs posts weekly from 2 November
    assert not [w for g, w in weeks if g in ("g5", "gs")]
    assert [f for f in found if f.reason == "frequency" and f.group_id == "g5"] == []


def test_a_run_of_empty_weeks_is_one_finding(store):
    with store.write():
        store.execute("INSERT INTO groups (id, school_id, name, kind)"
                      " VALUES ('g7', 's1', 'Groep 7', 'class')")
    found = group_report(store)          # the school year so far: from Saturday 1 August
    weeks = [(g, w, d) for g, w, d in by_reason(found, "frequency") if "geen bericht" in d]
    # a group that never posted: every whole week up to last week, as one finding
    assert [(w, d) for g, w, d in weeks if g == "g7"] == [
        ("2026-W32 t/m 2026-W47", "geen bericht in 16 weken (2026-08-03 tot 2026-11-23)")]
    # weeks before a group's first post do not count
    assert [w for g, w, d in weeks if g == "g5"] == []


def test_off_hours_staff_only_with_weekends_and_comments(store):
    found = group_report(store, since=date(2026, 11, 1))
    off = {f.item: f.detail for f in found if f.reason == "off_hours"}
    assert set(off) == {"post:b", "post:d", "post:e", "comment:c1"}
    assert "om 20:30, werktijd 08:00-17:00" in off["post:b"]
    assert "weekend" in off["post:d"]
    assert off["comment:c1"].startswith("reactie van Meester Bram")


def test_working_hours_and_frequency_provision_of_the_school(store):
    with store.write():
        store.execute("UPDATE schools SET work_start = '07:30', work_end = '21:00'")
        store.execute("INSERT INTO provisions (school_id, kind, detail, proposed_by, proposed_at,"
                      " status) VALUES ('s1', 'frequency', ?, 'd1', '2026-10-01', 'approved')",
                      (json.dumps({"max_per_day": 2, "min_per_week": 1}),))
    found = group_report(store, "s1", since=date(2026, 11, 1))
    assert {f.item for f in found if f.reason == "off_hours"} == {"post:d"}
    assert not [f for f in found if f.reason == "frequency" and f.when == "2026-11-02"]


def report(store, *args, user="carla"):
    from moderator.services.accounts import add_account

    if store.row("SELECT 1 FROM accounts WHERE username = ?", (user,)) is None:
        if user == "avg":
            add_account(store, user, "geheim", role="avg")
        else:
            add_account(store, user, "geheim", person_id="d1")
    return CliRunner().invoke(main, ["--db", str(store.path), "report", "--user", user,
                                     *args], env={"MODERATOR_PASSWORD": "geheim"})


def test_report_command_json_and_table(store, monkeypatch):
    from moderator.cli import policy

    result = report(store, "--school", "s1", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["reason"] for r in rows} == {"frequency", "off_hours"}
    assert all(r["school_id"] == "s1" for r in rows)
    monkeypatch.setattr(policy, "for_terminal", lambda: True)
    monkeypatch.setattr(policy.out_console, "width", 120)
    result = report(store)
    assert result.exit_code == 0
    assert "Buiten werktijd" in result.output and "Berichtfrequentie" in result.output
    result = report(store, "--school", "nope", user="avg")
    assert result.exit_code == 0 and "Geen bevindingen" in result.output


def test_report_shows_hostile_group_names_as_text(store):
    with store.write():
        store.execute("UPDATE groups SET name = '[red]x[/]\x1b[2J' WHERE id = 'g3'")
    result = report(store)
    assert result.exit_code == 0
    assert "[red]x[/]" in result.output and "\x1b[2J" not in result.output
