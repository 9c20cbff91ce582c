"""Letters and notices (table ``letters``) and the per-school settings they use
(letterhead, SMTP, templates folder) in the ``settings`` table.

A letter row is written once with its text and the SHA-256 of its filed PDF; afterwards
only its delivery fields change (status, channel, address, message id, error, attempts,
sent_at). Access checks live in the service (moderator.services.letters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moderator import clock
from moderator.store.db import Store

STATUSES = ("draft", "sent", "failed", "unknown", "printed")
RECIPIENT_KINDS = ("author", "reporter", "guardian")
CHANNELS = ("email", "print")


@dataclass(frozen=True)
class Letter:
    id: int
    number: str
    incident_id: int | None
    incident_number: str | None
    item: str | None
    school_id: str
    template: str
    recipient_id: str
    recipient_name: str
    recipient_kind: str
    subject: str
    body: str
    pdf_path: str
    sha256: str
    size: int
    status: str
    channel: str | None
    address: str | None
    message_id: str | None
    error: str | None
    attempts: int
    sent_at: str | None
    created_by: str
    created_at: str
    group_id: str | None = None


@dataclass(frozen=True)
class Contact:
    """A portal person as a letter addresses them."""

    id: str
    school_id: str
    name: str
    role: str
    email: str | None


_SELECT = """
SELECT l.*, p.name AS recipient_name, i.number AS incident_number,
    COALESCE(i.group_id, CASE
        WHEN l.item LIKE 'post:%' THEN
            (SELECT group_id FROM posts WHERE id = substr(l.item, 6))
        WHEN l.item LIKE 'comment:%' THEN
            (SELECT pc.group_id FROM comments c JOIN posts pc ON pc.id = c.post_id
             WHERE c.id = substr(l.item, 9))
    END) AS group_id
FROM letters l
JOIN people p ON p.id = l.recipient_id
LEFT JOIN incidents i ON i.id = l.incident_id
"""


def _letter(row: Any) -> Letter:
    return Letter(
        id=row["id"], number=row["number"], incident_id=row["incident_id"],
        incident_number=row["incident_number"], item=row["item"], school_id=row["school_id"],
        template=row["template"], recipient_id=row["recipient_id"],
        recipient_name=row["recipient_name"], recipient_kind=row["recipient_kind"],
        subject=row["subject"], body=row["body"], pdf_path=row["pdf_path"],
        sha256=row["sha256"], size=row["size"], status=row["status"], channel=row["channel"],
        address=row["address"], message_id=row["message_id"], error=row["error"],
        attempts=row["attempts"], sent_at=row["sent_at"], created_by=row["created_by"],
        created_at=row["created_at"], group_id=row["group_id"])


def next_number(store: Store) -> str:
    """The next letter number of this year: 'BRF-2026-0001'."""
    prefix = f"BRF-{clock.now().year}-"
    last = store.scalar("SELECT number FROM letters WHERE number LIKE ? ORDER BY number DESC"
                        " LIMIT 1", (prefix + "%",))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def insert_letter(store: Store, *, number: str, incident_id: int | None, item: str | None,
                  school_id: str, template: str, recipient_id: str, recipient_kind: str,
                  subject: str, body: str, pdf_path: str, sha256: str, size: int,
                  created_by: str, created_at: str) -> int:
    with store.write():
        cursor = store.execute(
            "INSERT INTO letters (number, incident_id, item, school_id, template, recipient_id,"
            " recipient_kind, subject, body, pdf_path, sha256, size, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, incident_id, item, school_id, template, recipient_id, recipient_kind,
             subject, body, pdf_path, sha256, size, created_by, created_at))
        return cursor.lastrowid


def get_letter(store: Store, ref: int | str) -> Letter | None:
    """A letter by id or number ('BRF-2026-0001')."""
    raw = str(ref).strip()
    if raw.isdigit():
        row = store.row(_SELECT + " WHERE l.id = ?", (int(raw),))
    else:
        row = store.row(_SELECT + " WHERE l.number = ?", (raw.upper(),))
    return _letter(row) if row else None


def list_letters(store: Store, *, school_id: str | None = None, incident_id: int | None = None,
                 recipient_id: str | None = None, item: str | None = None,
                 status: str | None = None) -> list[Letter]:
    where, params = [], []
    for column, value in (("l.school_id", school_id), ("l.incident_id", incident_id),
                          ("l.recipient_id", recipient_id), ("l.item", item),
                          ("l.status", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return [_letter(r) for r in store.rows(sql + " ORDER BY l.created_at, l.id", params)]


def update_delivery(store: Store, letter_id: int, *, status: str, channel: str | None = None,
                    address: str | None = None, message_id: str | None = None,
                    error: str | None = None, sent_at: str | None = None,
                    attempt: bool = False) -> None:
    """Change a letter's delivery fields (the text and PDF never change)."""
    if status not in STATUSES:
        raise ValueError(f"unknown letter status {status!r}")
    with store.write():
        store.execute(
            "UPDATE letters SET status = ?, channel = COALESCE(?, channel),"
            " address = COALESCE(?, address), message_id = COALESCE(?, message_id), error = ?,"
            " sent_at = COALESCE(?, sent_at), attempts = attempts + ? WHERE id = ?",
            (status, channel, address, message_id, error, sent_at, 1 if attempt else 0,
             letter_id))


def letter_files(store: Store) -> list[tuple[str, int, str]]:
    """(path, size, sha256) of every filed letter, for verify."""
    return [(r["pdf_path"], r["size"], r["sha256"])
            for r in store.rows("SELECT pdf_path, size, sha256 FROM letters ORDER BY pdf_path")]


def remove_for_incident(store: Store, incident_id: int) -> list[tuple[str, str]]:
    """Delete an incident's letter rows (retention destroy); returns (path, sha256) of
    their files for the caller to remove. Call inside the destroy transaction."""
    with store.write():
        rows = [(r["pdf_path"], r["sha256"]) for r in store.rows(
            "SELECT pdf_path, sha256 FROM letters WHERE incident_id = ? ORDER BY id",
            (incident_id,))]
        store.execute("DELETE FROM letters WHERE incident_id = ?", (incident_id,))
    return rows


# -- people around a letter ----------------------------------------------------------------

def contact(store: Store, person_id: str) -> Contact | None:
    row = store.row("SELECT id, school_id, name, role, email FROM people WHERE id = ?",
                    (person_id,))
    if row is None:
        return None
    return Contact(row["id"], row["school_id"], row["name"], row["role"], row["email"])


def is_guardian_in_school(store: Store, person_id: str, school_id: str) -> bool:
    return store.scalar(
        "SELECT 1 FROM guardians gd JOIN pupils u ON u.id = gd.pupil_id"
        " WHERE gd.person_id = ? AND u.school_id = ? LIMIT 1", (person_id, school_id)) is not None


def guardians_of_pupils_in(store: Store, school_id: str, group_id: str | None) -> list[str]:
    """Guardians of the pupils of a class group (or the whole school)."""
    if group_id:
        rows = store.rows("SELECT DISTINCT gd.person_id FROM guardians gd JOIN pupils u"
                          " ON u.id = gd.pupil_id WHERE u.group_id = ? ORDER BY 1", (group_id,))
    else:
        rows = store.rows("SELECT DISTINCT gd.person_id FROM guardians gd JOIN pupils u"
                          " ON u.id = gd.pupil_id WHERE u.school_id = ? ORDER BY 1", (school_id,))
    return [r[0] for r in rows]


def reporters_of(store: Store, items: list[str]) -> list[str]:
    """People who reported any of ``items`` (parent reports), in order of first report."""
    if not items:
        return []
    marks = ",".join("?" * len(items))
    rows = store.rows(
        f"SELECT reporter_id, MIN(id) AS first FROM flags WHERE item IN ({marks})"
        " AND source = 'report' AND reporter_id IS NOT NULL GROUP BY reporter_id"
        " ORDER BY first", items)
    return [r["reporter_id"] for r in rows]


def report_dates(store: Store, person_id: str, items: list[str]) -> list[str]:
    if not items:
        return []
    marks = ",".join("?" * len(items))
    return [r[0] for r in store.rows(
        f"SELECT created_at FROM flags WHERE reporter_id = ? AND item IN ({marks})"
        " ORDER BY created_at", (person_id, *items))]


def has_consultation(store: Store, incident_id: int) -> bool:
    return store.scalar("SELECT 1 FROM incident_events WHERE incident_id = ?"
                        " AND kind = 'consultation' LIMIT 1", (incident_id,)) is not None


def incident_of_item(store: Store, item: str) -> int | None:
    """The incident whose hard copy holds ``item`` (a comment deleted with its post counts)."""
    found = store.scalar("SELECT incident_id FROM hardcopies WHERE item = ? ORDER BY id DESC"
                         " LIMIT 1", (item,))
    if found is None and item.startswith("comment:"):
        post = store.scalar("SELECT post_id FROM comments WHERE id = ?", (item.split(":", 1)[1],))
        if post is not None:
            found = store.scalar("SELECT incident_id FROM hardcopies WHERE item = ?"
                                 " ORDER BY id DESC LIMIT 1", (f"post:{post}",))
    return found


def group_name(store: Store, group_id: str | None) -> str | None:
    if not group_id:
        return None
    return store.scalar("SELECT name FROM groups WHERE id = ?", (group_id,))


def director_name(store: Store, school_id: str) -> str | None:
    """The name of the school's (first) director in the portal data."""
    return store.scalar("SELECT name FROM people WHERE school_id = ? AND role = 'director'"
                        " ORDER BY id LIMIT 1", (school_id,))


def school_name(store: Store, school_id: str) -> str | None:
    return store.scalar("SELECT name FROM schools WHERE id = ?", (school_id,))


# -- per-school settings ----------------------------------------------------------------------

def _key(school_id: str, name: str) -> str:
    return f"school:{school_id}:{name}"


def school_setting(store: Store, school_id: str, name: str) -> dict[str, Any]:
    """A school's setting ``name`` ('letterhead', 'smtp', 'letters'), {} when unset."""
    value = store.scalar("SELECT value FROM settings WHERE key = ?", (_key(school_id, name),))
    if not value:
        return {}
    try:
        loaded = json.loads(value)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def set_school_setting(store: Store, school_id: str, name: str, value: dict[str, Any]) -> None:
    with store.write():
        store.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                      " DO UPDATE SET value = excluded.value",
                      (_key(school_id, name), json.dumps(value, ensure_ascii=False,
                                                         sort_keys=True)))
