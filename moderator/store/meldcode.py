"""The Meldcode track of a dossier: when it started and its recorded steps."""

from __future__ import annotations

from dataclasses import dataclass

from moderator import clock
from moderator.store.db import Store

# The five steps of the Meldcode huiselijk geweld en kindermishandeling (paraphrased).
STEPS = {
    1: "Signalen in kaart gebracht",
    2: "Collega of Veilig Thuis geraadpleegd",
    3: "Gesprek gevoerd",
    4: "Risico gewogen",
    5: "Besluit genomen",
}
DECISIONS = {"report": "melden bij Veilig Thuis", "help": "hulp georganiseerd"}


@dataclass(frozen=True)
class Step:
    step: int
    at: str
    recorded_at: str
    author: str
    text: str
    decision: str | None

    @property
    def label(self) -> str:
        return STEPS[self.step]


@dataclass(frozen=True)
class Track:
    incident_id: int
    started_at: str
    started_by: str
    steps: tuple[Step, ...]

    @property
    def next_step(self) -> int | None:
        done = {s.step for s in self.steps}
        return next((n for n in STEPS if n not in done), None)


def get_track(store: Store, incident_id: int) -> Track | None:
    row = store.row("SELECT * FROM meldcode_tracks WHERE incident_id = ?", (incident_id,))
    if row is None:
        return None
    steps = tuple(Step(r["step"], r["at"], r["recorded_at"], r["author"], r["text"],
                       r["decision"])
                  for r in store.rows("SELECT * FROM meldcode_steps WHERE incident_id = ?"
                                      " ORDER BY step", (incident_id,)))
    return Track(incident_id, row["started_at"], row["started_by"], steps)


def start(store: Store, incident_id: int, by: str) -> bool:
    with store.write():
        cursor = store.execute("INSERT OR IGNORE INTO meldcode_tracks (incident_id, started_at,"
                               " started_by) VALUES (?, ?, ?)", (incident_id, clock.now_iso(), by))
    return cursor.rowcount == 1


def add_step(store: Store, incident_id: int, step: int, at: str, by: str, text: str,
             decision: str | None) -> bool:
    with store.write():
        cursor = store.execute(
            "INSERT OR IGNORE INTO meldcode_steps (incident_id, step, at, recorded_at, author,"
            " text, decision) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (incident_id, step, at, clock.now_iso(), by, text, decision))
    return cursor.rowcount == 1
