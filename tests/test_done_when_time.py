"""Issue 'Time and ownership', done when: as the demo director, the worklist shows the
new dossier and an overdue threat; she assigns the item to the teacher and records a
two-week read-only measure; two weeks on, one tick has ended it and the timeline says so."""

from __future__ import annotations

from moderator.demo import ensure_demo
from moderator.services import claims, clock_tick, measures
from moderator.services.deletion import delete_item
from moderator.services.dossier import get_incident
from moderator.services.queue import list_queue
from moderator.services.worklist import worklist
from moderator.store import Store
from moderator.store.accounts import actor_for
from moderator.store.queue import QueueFilter


def test_the_demo_scenario(tmp_path, monkeypatch):
    monkeypatch.setenv("MODERATOR_NOW", "2026-12-02T09:00:00+01:00")
    store = Store(tmp_path / "moderator.db", tmp_path / "archives")
    try:
        assert ensure_demo(store)
        teacher, director = actor_for(store, "leerkracht"), actor_for(store, "directie")
        threats = list_queue(store, teacher, QueueFilter(reason="threat", order="due"))
        confidential = list_queue(store, teacher, QueueFilter(reason="confidential"))
        deleted = delete_item(store, confidential[0].item, "confidential", teacher)
        found = {s.key: [i.subject for i in s.items] for s in worklist(store, director).sections}
        assert deleted.incident_number in found["new"]
        assert threats[0].item in found["overdue"]
        held = claims.assign(store, director, threats[0].item, "leerkracht")
        assert held.holder == "leerkracht"
        event = measures.record_measure(store, director, deleted.incident_number, "read_only",
                                        "Twee weken alleen lezen.",
                                        ends_on=measures.weeks_from_today(2))
        monkeypatch.setenv("MODERATOR_NOW", "2026-12-16T07:00:00+01:00")
        report = clock_tick.tick(store)
        assert report.lifted == (f"{deleted.incident_number}: Tijdelijk alleen lezen",)
        timeline = get_incident(store, director, deleted.incident_number, log_view=False).events
        assert timeline[-1].text == ("Tijdelijk alleen lezen opgeheven: de einddatum 16-12-2026"
                                     " is bereikt.")
        assert timeline[-1].detail["lifts"] == event.id
    finally:
        store.close()
