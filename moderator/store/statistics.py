"""Counts for the yearly report: aggregates only, never a person or a text.

A year is the calendar year of the stored local timestamp (``substr(at, 1, 4)``), so the
tests can count the same rows with the same SQL. Every function takes the schools to
count and returns one frozen :class:`Count` per (school, key) or the raw durations per
school; the service suppresses small numbers and computes medians.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from moderator.store.db import Store


@dataclass(frozen=True)
class Count:
    school_id: str
    key: str
    n: int


@dataclass(frozen=True)
class School:
    id: str
    name: str


@dataclass(frozen=True)
class Duration:
    school_id: str
    hours: float


def schools(store: Store, only: Collection[str] | None = None) -> list[School]:
    rows = store.rows("SELECT id, name FROM schools ORDER BY name, id")
    return [School(r[0], r[1]) for r in rows if only is None or r[0] in only]


def _in(column: str, ids: Collection[str]) -> tuple[str, list[str]]:
    return f"{column} IN ({', '.join('?' * len(ids))})", list(ids)


def _counts(store: Store, sql: str, year: int, school_ids: Collection[str]) -> list[Count]:
    if not school_ids:
        return []
    where, params = _in("school_id", school_ids)
    rows = store.rows(f"SELECT school_id, key, count(*) FROM ({sql}) WHERE {where}"
                      " GROUP BY school_id, key ORDER BY school_id, key",
                      [str(year), *params])
    return [Count(r[0], r[1] if r[1] is not None else "", int(r[2])) for r in rows]


# -- flags: parent reports and rule findings --------------------------------------------------

def flags_by(store: Store, dimension: str, year: int, school_ids: Collection[str]) -> list[Count]:
    """Flags raised in the year, by 'reason', 'source' or 'status' (the outcome)."""
    if dimension not in ("reason", "source", "status"):
        raise ValueError(dimension)
    return _counts(store, f"SELECT school_id, {dimension} AS key FROM flags"
                          " WHERE substr(created_at, 1, 4) = ?", year, school_ids)


def flagged_items(store: Store, year: int, school_ids: Collection[str]) -> list[Count]:
    """Items with a first flag in the year, by what happened to them: 'deleted',
    'dismissed' or 'open'."""
    return _counts(store, """
        SELECT school_id,
               CASE WHEN sum(status = 'resolved') > 0 THEN 'deleted'
                    WHEN sum(status = 'open') > 0 THEN 'open'
                    ELSE 'dismissed' END AS key
        FROM flags GROUP BY school_id, item
        HAVING substr(min(created_at), 1, 4) = ?""", year, school_ids)


def first_action_hours(store: Store, year: int, school_ids: Collection[str]) -> list[Duration]:
    """Per item first flagged in the year and handled: hours from its first flag to the
    first close (dismissed or deleted)."""
    if not school_ids:
        return []
    where, params = _in("school_id", school_ids)
    rows = store.rows(f"""
        SELECT school_id, (min(julianday(closed_at)) - min(julianday(created_at))) * 24
        FROM flags WHERE {where}
        GROUP BY school_id, item
        HAVING substr(min(created_at), 1, 4) = ? AND min(julianday(closed_at)) IS NOT NULL
        ORDER BY school_id""", [*params, str(year)])
    return [Duration(r[0], max(0.0, float(r[1]))) for r in rows]


# -- dossiers ---------------------------------------------------------------------------------

def incidents_opened(store: Store, year: int, school_ids: Collection[str]) -> list[Count]:
    """Dossiers opened in the year, by level ('internal' or 'external')."""
    return _counts(store, "SELECT school_id, level AS key FROM incidents"
                          " WHERE substr(opened_at, 1, 4) = ?", year, school_ids)


def closing_hours(store: Store, year: int, school_ids: Collection[str]) -> list[Duration]:
    """Dossiers closed in the year: hours from opening to closing."""
    if not school_ids:
        return []
    where, params = _in("school_id", school_ids)
    rows = store.rows(
        "SELECT school_id, (julianday(closed_at) - julianday(opened_at)) * 24 FROM incidents"
        f" WHERE closed_at IS NOT NULL AND substr(closed_at, 1, 4) = ? AND {where}"
        " ORDER BY school_id", [str(year), *params])
    return [Duration(r[0], max(0.0, float(r[1]))) for r in rows]


def events_by_measure(store: Store, kind: str, year: int,
                      school_ids: Collection[str]) -> list[Count]:
    """Measures (kind 'measure') or escalations (kind 'escalation') recorded in the year,
    by measure code."""
    if kind not in ("measure", "escalation"):
        raise ValueError(kind)
    return _counts(store, "SELECT i.school_id AS school_id, e.measure AS key"
                          " FROM incident_events e JOIN incidents i ON i.id = e.incident_id"
                          f" WHERE e.kind = '{kind}' AND substr(e.at, 1, 4) = ?",
                   year, school_ids)


# -- the AVG coordinator's work ---------------------------------------------------------------

def subject_exports(store: Store, year: int, school_ids: Collection[str]) -> list[Count]:
    """Subject access exports (AVG art. 15) made in the year."""
    return _counts(store, "SELECT school_id, 'subject_export' AS key FROM audit_log"
                          " WHERE action = 'subject.export' AND substr(at, 1, 4) = ?",
                   year, school_ids)


def breaches_by_decision(store: Store, year: int, school_ids: Collection[str]) -> list[Count]:
    """Breach records discovered in the year, by the decision on notifying the AP."""
    return _counts(store, "SELECT school_id, coalesce(dpa_decision, 'undecided') AS key"
                          " FROM breaches WHERE substr(discovered_at, 1, 4) = ?",
                   year, school_ids)


def destructions(store: Store, year: int, school_ids: Collection[str]) -> list[Count]:
    """Dossiers destroyed in the year (end of retention or erasure)."""
    return _counts(store, "SELECT school_id, 'destroyed' AS key FROM destructions"
                          " WHERE substr(destroyed_at, 1, 4) = ?", year, school_ids)
