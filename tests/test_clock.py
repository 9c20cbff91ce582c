"""Dates and times as Dutch school staff type them."""

from datetime import date, time

import pytest

from moderator import clock

NOW = "2026-12-02T10:15:00+01:00"


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setenv("MODERATOR_NOW", NOW)


@pytest.mark.parametrize(("typed", "day", "at"), [
    ("02-12-2026", date(2026, 12, 2), None),
    ("2-12-2026", date(2026, 12, 2), None),
    ("1-12", date(2026, 12, 1), None),
    ("01/12/26", date(2026, 12, 1), None),
    ("1.12.2026", date(2026, 12, 1), None),
    ("01-12-2026 14:30", date(2026, 12, 1), time(14, 30)),
    ("01-12-2026 om 9.05", date(2026, 12, 1), time(9, 5)),
    ("vandaag", date(2026, 12, 2), None),
    ("Vandaag 08:00", date(2026, 12, 2), time(8, 0)),
    ("gisteren 14:00", date(2026, 12, 1), time(14, 0)),
    ("eergisteren", date(2026, 11, 30), None),
    ("nu", date(2026, 12, 2), time(10, 15)),
    ("2026-11-24", date(2026, 11, 24), None),
    ("2026-11-24T09:30", date(2026, 11, 24), time(9, 30)),
    ("2026-11-24 09:30:00", date(2026, 11, 24), time(9, 30)),
    ("2026-11-24T08:30:00+00:00", date(2026, 11, 24), time(9, 30)),
    ("  02-12-2026   ", date(2026, 12, 2), None),
])
def test_accepted_forms(typed, day, at):
    assert clock.parse_input(typed) == (day, at)


@pytest.mark.parametrize("typed", [
    "", "morgenochtend", "31-02-2026", "13-13", "01-12-2026 25:00", "01-12-2026 14:61",
    "2026-13-01", "12/2026", "gisteren laat",
])
def test_refused_forms_say_what_is_accepted(typed):
    with pytest.raises(ValueError) as refused:
        clock.parse_input(typed)
    assert "02-12-2026" in str(refused.value) and "gisteren 14:00" in str(refused.value)


def test_input_moment_is_in_the_foundations_zone():
    moment = clock.input_moment("gisteren 14:00")
    assert moment.isoformat() == "2026-12-01T14:00:00+01:00"
