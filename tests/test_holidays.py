"""The export's optional holiday record: validation, import, listing, and deadlines."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers_import import dump, sample_records, write_export

from moderator.cli import main
from moderator.errors import InputError
from moderator.services.importing import import_file
from moderator.store.holidays import holidays_for

HOSTILE_NAME = "Kerst[bold]x[/] [@click=app.quit]\x1b[31m\u202e<img src=\"/etc/passwd\"/>"


def holiday(start="2026-12-21", end="2027-01-01", name="Kerstvakantie", school="s1") -> dict:
    record = {"type": "holiday", "school": school, "start": start, "end": end}
    if name is not None:
        record["name"] = name
    return record


def test_holidays_import_and_list(fresh_store, tmp_path):
    records = [*sample_records(), holiday(), holiday("2026-11-30", "2026-11-30", None)]
    summary = import_file(fresh_store, write_export(tmp_path / "e.jsonl", records))
    assert summary.holidays == 2
    found = holidays_for(fresh_store, "s1")
    assert [(h.start.isoformat(), h.end.isoformat(), h.name) for h in found] == [
        ("2026-11-30", "2026-11-30", None), ("2026-12-21", "2027-01-01", "Kerstvakantie")]
    # re-import: nothing new; a new name for the same dates is an update
    again = import_file(fresh_store, write_export(tmp_path / "e.jsonl", records))
    assert again.holidays == 0
    renamed = [*sample_records(), holiday(name="Wintervakantie")]
    assert import_file(fresh_store, write_export(tmp_path / "f.jsonl", renamed)).updated == 1
    assert holidays_for(fresh_store, "s1")[1].name == "Wintervakantie"


@pytest.mark.parametrize("record, message", [
    (holiday(end="2026-12-20"), "ligt voor de begindatum"),
    (holiday(start="21-12-2026"), "moet een datum zijn"),
    (holiday(end="2026-02-30"), "geen bestaande datum"),
    (holiday(school="nope"), "onbekende school 'nope'"),
    ({"type": "holiday", "school": "s1", "start": "2026-12-21"}, "'end' ontbreekt"),
    (holiday(name=7), "moet een tekst zijn"),
])
def test_bad_holidays_name_the_line_and_change_nothing(fresh_store, tmp_path, record, message):
    import_file(fresh_store, write_export(tmp_path / "a.jsonl"))
    before = dump(fresh_store)
    path = write_export(tmp_path / "b.jsonl", [*sample_records(), record])
    with pytest.raises(InputError) as error:
        import_file(fresh_store, path)
    assert error.value.line == len(sample_records()) + 1
    assert message in str(error.value)
    assert dump(fresh_store) == before


def test_a_holiday_moves_the_deadlines_of_items_already_queued(fresh_store, tmp_path):
    # Reported Friday 27-11 16:00 for abuse: due two working days later.
    records = sample_records()
    records[-3]["body"] = "Gaat de gymles morgen door?"      # no rule flag: only the report
    records[-2]["created_at"] = "2026-11-27T16:00:00+01:00"
    # the commenting parent has a child in that class (else the membership rule flags it)
    at = next(i for i, r in enumerate(records) if r["type"] == "pupil") + 1
    records.insert(at, {"type": "pupil", "id": "k5", "school": "s1", "group": "g5",
                        "name": "Bas", "guardians": ["p2"]})
    import_file(fresh_store, write_export(tmp_path / "a.jsonl", records))
    due = fresh_store.scalar("SELECT due_at FROM queue_items WHERE item = 'comment:c2'")
    assert due == "2026-12-01T15:00:00+00:00"          # Tuesday 16:00 local
    import_file(fresh_store, write_export(tmp_path / "b.jsonl", [
        records[0], holiday("2026-11-30", "2026-11-30", "Studiedag")]))
    due = fresh_store.scalar("SELECT due_at FROM queue_items WHERE item = 'comment:c2'")
    assert due == "2026-12-02T15:00:00+00:00"          # the holiday added a day


def run(store, *args):
    return CliRunner().invoke(main, ["--db", str(store.path), *args], catch_exceptions=False)


def test_cli_lists_holidays_as_json_and_text(fresh_store, tmp_path):
    import_file(fresh_store, write_export(tmp_path / "e.jsonl",
                                          [*sample_records(), holiday(name=HOSTILE_NAME)]))
    result = run(fresh_store, "holidays", "--school", "s1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["working_hours"] == {"start": "08:00", "end": "17:00"}
    assert data["holidays"] == [{"start": "2026-12-21", "end": "2027-01-01", "name": HOSTILE_NAME}]
    text = run(fresh_store, "holidays", "--school", "s1")
    assert text.exit_code == 0
    assert "21-12-2026\t01-01-2027\tKerst[bold]x[/]" in text.output
    assert "\x1b" not in text.output and "\u202e" not in text.output
    unknown = run(fresh_store, "holidays", "--school", "zz")
    assert unknown.exit_code == 4 and "onbekende school" in unknown.output
