"""The breach register's rows (AVG art. 33(5)).

One record per deletion that exposed personal data: the ``item`` column is UNIQUE, so
two sessions finishing the same deletion can never propose it twice. People are kept by
id; :func:`names` resolves them for the screen only. Access is the service's business
(:mod:`moderator.services.breaches`); every function that writes joins the caller's
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from moderator import clock
from moderator.store.db import Store


@dataclass(frozen=True)
class Breach:
    id: int
    number: str
    item: str
    school_id: str
    group_id: str | None
    incident_number: str | None
    reason: str
    bsn: bool
    discovered_at: str
    proposed_by: str
    visible_from: str | None
    visible_until: str | None
    audience: int | None
    n_records: int
    data_description: str
    categories: tuple[str, ...]
    pupil_ids: tuple[str, ...]
    parent_ids: tuple[str, ...]
    risk: str | None
    risk_note: str
    consequences: str
    measures: str
    contact: str
    dpa_decision: str | None
    dpa_reason: str
    dpa_decided_at: str | None
    dpa_decided_by: str | None
    dpa_reference: str | None
    informed: str | None
    informed_how: str
    status: str
    closed_at: str | None
    closed_by: str | None
    closing_note: str
    updated_at: str

    @property
    def decided(self) -> bool:
        return self.dpa_decision is not None

    @property
    def n_people(self) -> int:
        return len(self.pupil_ids) + len(self.parent_ids)

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key in ("categories", "pupil_ids", "parent_ids"):
            out[key] = list(out[key])
        return out


_LISTS = ("categories", "pupil_ids", "parent_ids")

# Columns the service may change after the proposal.
EDITABLE = frozenset({
    "data_description", "categories", "pupil_ids", "parent_ids", "visible_from",
    "visible_until", "audience", "n_records", "risk", "risk_note", "consequences",
    "measures", "contact", "dpa_decision", "dpa_reason", "dpa_decided_at", "dpa_decided_by",
    "dpa_reference", "informed", "informed_how", "status", "closed_at", "closed_by",
    "closing_note",
})


def _breach(row: Any) -> Breach:
    values = {key: row[key] for key in row.keys()}
    for key in _LISTS:
        values[key] = tuple(json.loads(values[key] or "[]"))
    values["bsn"] = bool(values["bsn"])
    return Breach(**values)


def next_number(store: Store) -> str:
    prefix = f"DL-{clock.now().year}-"
    last = store.scalar("SELECT number FROM breaches WHERE number LIKE ?"
                        " ORDER BY number DESC LIMIT 1", (prefix + "%",))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def propose(store: Store, *, item: str, school_id: str, group_id: str | None,
            incident_number: str | None, reason: str, bsn: bool, discovered_at: str,
            proposed_by: str, visible_from: str | None, visible_until: str | None,
            audience: int | None, n_records: int, categories: Iterable[str],
            pupil_ids: Iterable[str]) -> Breach | None:
    """Insert the proposal for a deletion; None when this item already has one (another
    session proposed it first: the UNIQUE item column decides)."""
    with store.write():
        cursor = store.execute(
            "INSERT INTO breaches (number, item, school_id, group_id, incident_number, reason,"
            " bsn, discovered_at, proposed_by, visible_from, visible_until, audience,"
            " n_records, categories, pupil_ids, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(item) DO NOTHING",
            (next_number(store), item, school_id, group_id, incident_number, reason,
             int(bsn), discovered_at, proposed_by, visible_from, visible_until, audience,
             n_records, json.dumps(sorted(set(categories))),
             json.dumps(sorted(set(pupil_ids))), clock.now_iso()))
        if not cursor.rowcount:
            return None
        return get(store, int(cursor.lastrowid))


def get(store: Store, ref: int | str) -> Breach | None:
    """By id or by number ('DL-2026-0001')."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        row = store.row("SELECT * FROM breaches WHERE id = ?", (int(ref),))
    else:
        row = store.row("SELECT * FROM breaches WHERE number = ?", (ref,))
    return None if row is None else _breach(row)


def for_item(store: Store, item: str) -> Breach | None:
    row = store.row("SELECT * FROM breaches WHERE item = ?", (item,))
    return None if row is None else _breach(row)


def list_breaches(store: Store, *, schools: Collection[str] | None = None,
                  open_only: bool = False, undecided_only: bool = False) -> list[Breach]:
    """Oldest discovery first (the most urgent deadline on top)."""
    where, params = [], []
    if schools is not None:
        where.append(f"school_id IN ({', '.join('?' * len(schools))})")
        params.extend(schools)
    if open_only:
        where.append("status != 'closed'")
    if undecided_only:
        where.append("dpa_decision IS NULL")
    sql = "SELECT * FROM breaches"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_breach(r) for r in store.rows(sql + " ORDER BY discovered_at, id", params)]


def update(store: Store, breach_id: int, changes: Mapping[str, Any]) -> Breach:
    """Set the given columns (names from :data:`EDITABLE`); lists are stored as JSON."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        found = get(store, breach_id)
        assert found is not None
        return found
    values = {k: (json.dumps(list(v)) if k in _LISTS else v) for k, v in changes.items()}
    values["updated_at"] = clock.now_iso()
    columns = ", ".join(f"{k} = ?" for k in values)
    with store.write():
        store.execute(f"UPDATE breaches SET {columns} WHERE id = ?",  # noqa: S608 - names whitelisted
                      (*values.values(), breach_id))
        found = get(store, breach_id)
    assert found is not None
    return found


# -- facts the proposal and the coordinator need ------------------------------------------

def group_member_count(store: Store, group_id: str | None) -> int | None:
    if group_id is None:
        return None
    return int(store.scalar("SELECT count(*) FROM group_members WHERE group_id = ?",
                            (group_id,)))


def roster(store: Store, school_id: str, group_id: str | None) -> list[tuple[str, str]]:
    """(id, name) of the pupils a message in this group can name: the class for a class
    group, the whole school otherwise (as the individual_child detector reads it)."""
    kind = store.scalar("SELECT kind FROM groups WHERE id = ?", (group_id,))
    if kind == "class":
        rows = store.rows("SELECT id, name FROM pupils WHERE group_id = ? ORDER BY id",
                          (group_id,))
    else:
        rows = store.rows("SELECT id, name FROM pupils WHERE school_id = ? ORDER BY id",
                          (school_id,))
    return [(r[0], r[1]) for r in rows]


def unknown_pupils(store: Store, school_id: str, ids: Iterable[str]) -> list[str]:
    """The ids that are not pupils of this school."""
    ids = list(dict.fromkeys(ids))
    known = {r[0] for r in store.rows(
        f"SELECT id FROM pupils WHERE school_id = ? AND id IN ({', '.join('?' * len(ids))})",
        (school_id, *ids))} if ids else set()
    return [i for i in ids if i not in known]


def unknown_parents(store: Store, school_id: str, ids: Iterable[str]) -> list[str]:
    """The ids that are not parents of this school."""
    ids = list(dict.fromkeys(ids))
    known = {r[0] for r in store.rows(
        "SELECT id FROM people WHERE school_id = ? AND role = 'parent'"
        f" AND id IN ({', '.join('?' * len(ids))})", (school_id, *ids))} if ids else set()
    return [i for i in ids if i not in known]


def names(store: Store, pupil_ids: Iterable[str], parent_ids: Iterable[str]) -> dict[str, str]:
    """id -> name for the screen (never for the register, its CSV or its PDF)."""
    out: dict[str, str] = {}
    pupils, parents = list(pupil_ids), list(parent_ids)
    if pupils:
        out.update((r[0], r[1]) for r in store.rows(
            f"SELECT id, name FROM pupils WHERE id IN ({', '.join('?' * len(pupils))})", pupils))
    if parents:
        out.update((r[0], r[1]) for r in store.rows(
            f"SELECT id, name FROM people WHERE id IN ({', '.join('?' * len(parents))})",
            parents))
    return out


def school_name(store: Store, school_id: str) -> str:
    return store.scalar("SELECT name FROM schools WHERE id = ?", (school_id,)) or school_id
