"""The foundation's deadline terms: shown, changed by the AVG coordinator only, and every
queue deadline follows."""

from __future__ import annotations

import json

from click.testing import CliRunner
from helpers_import import sample_records

from moderator.cli import main
from moderator.services.importing import import_records
from tests.helpers_dossier import PASSWORD, add_staff


def test_deadlines_shown_and_changed(fresh_store):
    records = sample_records()
    records[-3]["body"] = "Gaat de gymles morgen door?"
    import_records(fresh_store, enumerate(records, 1), source="t")
    add_staff(fresh_store)

    def run(*args):
        return CliRunner().invoke(main, ["--db", str(fresh_store.path), *args],
                                  env={"MODERATOR_PASSWORD": PASSWORD}, catch_exceptions=False)

    shown = json.loads(run("deadlines", "--json").output)
    assert shown == {"urgent_reasons": ["confidential", "threat"], "urgent_next_day": "12:00",
                     "working_days": 2, "objection_days": 42}
    due = "SELECT due_at FROM queue_items WHERE item = 'comment:c2'"
    assert fresh_store.scalar(due) == "2026-11-24T16:00:00+00:00"    # Sat 21-11: Tue 17:00
    refused = run("deadlines", "--user", "carla", "--working-days", "3")
    assert refused.exit_code == 3 and "AVG-coördinator" in refused.output
    bad = run("deadlines", "--user", "avg", "--urgent-by", "12h")
    assert bad.exit_code == 2 and "ongeldige tijd" in bad.output
    changed = run("deadlines", "--user", "avg", "--working-days", "3", "--objection-days",
                  "28", "--json")
    assert json.loads(changed.output)["working_days"] == 3
    assert fresh_store.scalar(due) == "2026-11-25T16:00:00+00:00"
    assert fresh_store.scalar("SELECT count(*) FROM audit_log WHERE action = 'deadlines.set'") == 2
    assert "Bezwaren: besluit binnen 28 dagen." in run("deadlines").output
