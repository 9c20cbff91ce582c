"""Destroying a dossier after its retention term also removes its measure terms,
objections and Meldcode track (they hold personal data)."""

from __future__ import annotations

from moderator.services import measures, meldcode, objections
from moderator.services.dossier import close_incident
from moderator.services.retention import destroy_incident
from tests.helpers_dossier import add_staff, simulate_deletion


def test_destroy_takes_the_time_records_along(school_store, monkeypatch):
    store = school_store
    staff = add_staff(store)
    number = simulate_deletion(store)["incident"].number
    carla = staff["carla"]
    measures.record_measure(store, carla, number, "read_only", "Alleen lezen.",
                            ends_on="2026-12-09")
    objections.record(store, carla, number, "measure", "Te zwaar.")
    meldcode.start(store, carla, number)
    meldcode.record_step(store, carla, number, 1, "Signalen.")
    close_incident(store, carla, number, "Afgerond.", "Ouder wilde geen gesprek.")
    monkeypatch.setenv("MODERATOR_NOW", "2029-12-01T10:00:00+01:00")
    destroy_incident(store, staff["avg"], number, "bewaartermijn verstreken")
    for table in ("measure_terms", "objections", "meldcode_tracks", "meldcode_steps",
                  "incidents"):
        assert store.scalar(f"SELECT count(*) FROM {table}") == 0, table
