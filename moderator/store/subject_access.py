"""Subject access (AVG art. 15): everything the moderator stores about one person.

:func:`collect` gathers the person record, accounts, children and consents, group
memberships, posts and comments with every revision (text where it is still present),
flags they reported or that concern their items, incidents about them with their
timelines and hard copy references, timeline events that name them, access log lines
that concern them, and audit entries about them. Reading it, and writing it as JSON and
a Dutch PDF, is :mod:`moderator.services.subject_access`'s work (the AVG coordinator's,
logged); this module only queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moderator.errors import NotFound
from moderator.store.db import Store
from moderator.store.incidents import timeline_key


@dataclass(frozen=True)
class PersonHit:
    id: str
    name: str
    role: str
    school_id: str
    school_name: str
    groups: tuple[str, ...] = ()      # group names (member or administrator)
    children: tuple[str, ...] = ()    # names of the children they are guardian of


@dataclass(frozen=True)
class SubjectReport:
    person_id: str
    name: str
    generated_at: str
    generated_by: str
    data: dict[str, Any]     # JSON-ready, the sections listed in the module docstring

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.data.items() if isinstance(v, list)}


def find_people(store: Store, query: str, limit: int = 50) -> list[PersonHit]:
    """People whose id or name contains ``query`` (for picking the data subject)."""
    query = (query or "").strip()
    if not query:
        return []
    like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = store.rows(
        "SELECT p.id, p.name, p.role, p.school_id, s.name AS school_name FROM people p"
        " JOIN schools s ON s.id = p.school_id"
        " WHERE p.id = ? OR p.name LIKE ? ESCAPE '\\' ORDER BY p.name, p.id LIMIT ?",
        (query, like, limit))
    hits = []
    for r in rows:
        groups = tuple(g["name"] for g in store.rows(
            "SELECT DISTINCT g.name FROM groups g WHERE g.id IN (SELECT group_id FROM"
            " group_members WHERE person_id = ? UNION SELECT group_id FROM group_admins"
            " WHERE person_id = ?) ORDER BY g.name", (r["id"], r["id"])))
        children = tuple(c["name"] for c in store.rows(
            "SELECT u.name FROM guardians gd JOIN pupils u ON u.id = gd.pupil_id"
            " WHERE gd.person_id = ? ORDER BY u.name", (r["id"],)))
        hits.append(PersonHit(r["id"], r["name"], r["role"], r["school_id"], r["school_name"],
                              groups, children))
    return hits


def _dicts(rows) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


def _json_field(record: dict, key: str) -> None:
    try:
        record[key] = json.loads(record[key]) if record.get(key) else record.get(key)
    except (TypeError, ValueError):
        pass


def _revisions(store: Store, item: str) -> list[dict[str, Any]]:
    return _dicts(store.rows("SELECT rev, title, body, recorded_at FROM revisions WHERE item = ?"
                             " ORDER BY rev", (item,)))


def collect(store: Store, person_id: str) -> dict[str, Any]:
    """Everything stored about ``person_id`` as JSON-ready data (no permission check,
    no logging: callers go through :mod:`moderator.services.subject_access`)."""
    person = store.row("SELECT p.*, s.name AS school_name FROM people p"
                       " JOIN schools s ON s.id = p.school_id WHERE p.id = ?", (person_id,))
    if person is None:
        raise NotFound(f"Persoon {person_id!r} bestaat niet.")
    data: dict[str, Any] = {"person": dict(person)}
    data["accounts"] = _dicts(store.rows(
        "SELECT username, role, school_id, disabled, created_at FROM accounts WHERE person_id = ?",
        (person_id,)))
    children = _dicts(store.rows(
        "SELECT u.id, u.name, u.group_id, g.name AS group_name FROM guardians gd"
        " JOIN pupils u ON u.id = gd.pupil_id JOIN groups g ON g.id = u.group_id"
        " WHERE gd.person_id = ? ORDER BY u.name", (person_id,)))
    for child in children:
        child["consents"] = _dicts(store.rows(
            "SELECT school_year, portal_photo, portal_name, website, signed_on FROM consents"
            " WHERE pupil_id = ? ORDER BY school_year", (child["id"],)))
    data["children"] = children
    data["groups"] = _dicts(store.rows(
        "SELECT g.id, g.name, 'member' AS as_role FROM group_members m JOIN groups g"
        " ON g.id = m.group_id WHERE m.person_id = ?"
        " UNION ALL SELECT g.id, g.name, 'admin' FROM group_admins a JOIN groups g"
        " ON g.id = a.group_id WHERE a.person_id = ? ORDER BY 2", (person_id, person_id)))

    posts = _dicts(store.rows(
        "SELECT p.id, p.group_id, g.name AS group_name, p.created_at, p.title, p.body,"
        " p.comments_enabled, p.deleted_at, p.deleted_by FROM posts p JOIN groups g"
        " ON g.id = p.group_id WHERE p.author_id = ? ORDER BY p.created_at, p.id", (person_id,)))
    for post in posts:
        post["revisions"] = _revisions(store, f"post:{post['id']}")
        post["media"] = _dicts(store.rows("SELECT id, kind, file FROM media WHERE post_id = ?"
                                          " ORDER BY id", (post["id"],)))
    data["posts"] = posts
    comments = _dicts(store.rows(
        "SELECT id, post_id, created_at, body, deleted_at, deleted_by FROM comments"
        " WHERE author_id = ? ORDER BY created_at, id", (person_id,)))
    for comment in comments:
        comment["revisions"] = _revisions(store, f"comment:{comment['id']}")
    data["comments"] = comments
    # Where the text of a deleted item is kept: the hard copies made when it was deleted.
    # (a comment deleted with its post is in the post's hard copy)
    for kind, records in (("post", posts), ("comment", comments)):
        for record in records:
            items = [f"{kind}:{record['id']}"]
            if kind == "comment" and record.get("post_id"):
                items.append(f"post:{record['post_id']}")
            record["hardcopies"] = _dicts(store.rows(
                f"SELECT path, sha256, created_at FROM hardcopies WHERE item IN"
                f" ({','.join('?' * len(items))}) ORDER BY id", items))

    own_items = [f"post:{p['id']}" for p in posts] + [f"comment:{c['id']}" for c in comments]
    flag_cols = ("id, item, source, reason, reporter_id, note, evidence, created_at, status,"
                 " closed_at, closed_by, close_note")
    data["flags_reported"] = _dicts(store.rows(
        f"SELECT {flag_cols} FROM flags WHERE reporter_id = ? ORDER BY id", (person_id,)))
    about: list[dict[str, Any]] = []
    for start in range(0, len(own_items), 500):
        chunk = own_items[start:start + 500]
        about += _dicts(store.rows(
            f"SELECT {flag_cols} FROM flags WHERE item IN ({','.join('?' * len(chunk))})"
            " ORDER BY id", chunk))
    for flag in about:
        # Who reported someone is the reporter's personal data, not the subject's.
        flag["reporter_id"] = None if flag["reporter_id"] != person_id else person_id
    data["flags_about"] = about
    for flag in data["flags_reported"] + about:
        _json_field(flag, "evidence")

    incidents = _dicts(store.rows(
        "SELECT id, number, school_id, group_id, status, level, opened_at, opened_by, closed_at,"
        " outcome, retention_until, legal_hold, legal_hold_reason FROM incidents"
        " WHERE person_id = ? ORDER BY opened_at, id", (person_id,)))
    for incident in incidents:
        incident["events"] = _dicts(store.rows(
            "SELECT id, kind, at, recorded_at, author, participants, text, measure, refers_to"
            " FROM incident_events WHERE incident_id = ? ORDER BY at, id", (incident["id"],)))
        incident["events"].sort(key=lambda e: timeline_key(e["at"], e["recorded_at"], e["id"]))
        for event in incident["events"]:
            _json_field(event, "participants")
        incident["hardcopies"] = _dicts(store.rows(
            "SELECT item, path, sha256, reason, created_by, created_at FROM hardcopies"
            " WHERE incident_id = ? ORDER BY id", (incident["id"],)))
    data["incidents"] = incidents
    own_incidents = {i["id"] for i in incidents}
    # Timeline events of other incidents that name the person as a participant.
    name = person["name"]
    named = _dicts(store.rows(
        "SELECT e.id, i.number AS incident, e.kind, e.at, e.author, e.participants, e.text"
        " FROM incident_events e JOIN incidents i ON i.id = e.incident_id"
        " WHERE e.participants LIKE ? ESCAPE '\\' ORDER BY e.at, e.id",
        ("%" + json.dumps(name, ensure_ascii=False)[1:-1].replace("%", "\\%")
         .replace("_", "\\_") + "%",)))
    events = []
    for event in named:
        _json_field(event, "participants")
        if isinstance(event["participants"], list) and name in event["participants"]:
            if not any(event["id"] == e["id"] for i in incidents for e in i["events"]):
                events.append(event)
    data["events_named"] = events

    # Letters and notices sent (or drafted) to the person, with the text as filed.
    data["letters"] = _dicts(store.rows(
        "SELECT number, template, recipient_kind, subject, body, status, channel, address,"
        " sent_at, pdf_path, sha256, created_by, created_at FROM letters"
        " WHERE recipient_id = ? ORDER BY created_at, id", (person_id,)))

    marks = ",".join("?" * len(own_incidents)) or "NULL"
    data["access_log"] = _dicts(store.rows(
        f"SELECT id, at, actor, action, incident_id, person_id, detail FROM access_log"
        f" WHERE person_id = ? OR incident_id IN ({marks}) ORDER BY id",
        (person_id, *sorted(own_incidents))))
    for line in data["access_log"]:
        _json_field(line, "detail")
    data["audit_entries"] = _dicts(store.rows(
        "SELECT seq, at, actor, action, subject, school_id, detail FROM audit_log"
        " WHERE subject = ? OR detail LIKE ? ESCAPE '\\' ORDER BY seq",
        (f"person:{person_id}", '%"person":' + json.dumps(person_id, ensure_ascii=False)
         .replace("%", "\\%").replace("_", "\\_") + "%")))
    for entry in data["audit_entries"]:
        _json_field(entry, "detail")
    return data


def collect_person(store: Store, person_id: str) -> dict[str, Any]:
    """The person record alone (id, name, role, school), NotFound when unknown."""
    person = store.row("SELECT id, name, role, school_id FROM people WHERE id = ?", (person_id,))
    if person is None:
        raise NotFound(f"Persoon {person_id!r} bestaat niet.")
    return dict(person)
