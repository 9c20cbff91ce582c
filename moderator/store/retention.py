"""Retention, legal holds and destruction of incidents; the AVG coordinator's log reads.

Only the AVG coordinator (role ``avg``) may read the audit and access logs, set the
retention term, put an incident on legal hold and destroy an incident. Every read here
is itself written to the access log, every change to the audit log.

Retention term: the foundation setting ``retention_years`` (table ``settings``), default
:data:`DEFAULT_RETENTION_YEARS`. Dutch law sets no fixed term for these dossiers and no
sector selection list covers them; the common practice for pupil files is two years after
leaving, so that is the default. Closing an incident sets ``retention_until`` from it.

Destroying an incident removes its hard copies, exports and letters (files: made writable, unlinked,
folder fsynced), their rows, its timeline, the incident itself and the quoted text left in
the flags of the deleted items; the access log lines about it are kept without personal
data. A row in ``destructions`` records what, when, by whom, on what ground, and the number
and SHA-256 of the destroyed hard copies, so ``moderator verify`` can tell a destroyed file
from a missing one. A legal hold blocks destruction (AVG art. 17(3)); a refused
destruction is itself written to the audit log.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from moderator import clock
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy.roles import AVG, Actor
from moderator.store import audit
from moderator.store.access import AccessEntry, log_access
from moderator.store.db import Store
from moderator.store.flags import drop_queue_row
from moderator.store.incidents import destroying
from moderator.store.letters import remove_for_incident as remove_letters_for_incident
from moderator.store.paging import newest_first

SETTING_KEY = "retention_years"
DEFAULT_RETENTION_YEARS = 2
MAX_RETENTION_YEARS = 30


def require_avg(actor: Actor, what: str) -> None:
    if actor.role != AVG:
        raise PermissionDenied(f"Alleen de AVG-coördinator mag {what}.")


# -- the retention term ---------------------------------------------------------------------


def retention_years(store: Store) -> int:
    """The foundation's retention term in years (setting ``retention_years``, default 2)."""
    value = store.scalar("SELECT value FROM settings WHERE key = ?", (SETTING_KEY,))
    try:
        years = int(value) if value is not None else DEFAULT_RETENTION_YEARS
    except ValueError:
        return DEFAULT_RETENTION_YEARS
    return years if years > 0 else DEFAULT_RETENTION_YEARS


def set_retention_years(store: Store, actor: Actor, years: int) -> int:
    require_avg(actor, "de bewaartermijn instellen")
    if not isinstance(years, int) or not 1 <= years <= MAX_RETENTION_YEARS:
        raise UsageError(f"De bewaartermijn is 1 tot {MAX_RETENTION_YEARS} jaar, niet {years!r}.")
    with store.write():
        old = retention_years(store)
        store.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                      " DO UPDATE SET value = excluded.value", (SETTING_KEY, str(years)))
        audit.append(store, actor.username, "retention.set", f"setting:{SETTING_KEY}",
                     {"from": old, "to": years})
    return years


def retention_until(closed_at: datetime, years: int) -> str:
    """The moment a dossier closed at ``closed_at`` may be destroyed (29 Feb -> 28 Feb)."""
    try:
        until = closed_at.replace(year=closed_at.year + years)
    except ValueError:
        until = closed_at.replace(year=closed_at.year + years, day=28)
    return until.isoformat(timespec="seconds")


# -- incidents under retention --------------------------------------------------------------


@dataclass(frozen=True)
class RetentionIncident:
    id: int
    number: str
    school_id: str
    school_name: str
    status: str
    closed_at: str | None
    retention_until: str | None
    legal_hold: bool
    legal_hold_reason: str | None
    n_hardcopies: int
    expired: bool


@dataclass(frozen=True)
class Destruction:
    id: int
    incident_number: str
    school_id: str
    destroyed_at: str
    destroyed_by: str
    ground: str
    n_hardcopies: int
    hardcopy_sha256: tuple[str, ...]


def _is_expired(row, now: datetime) -> bool:
    if row["status"] != "closed" or not row["retention_until"]:
        return False
    try:
        return clock.parse(row["retention_until"]) < now
    except ValueError:
        return False


_INCIDENT_SELECT = (
    "SELECT i.*, s.name AS school_name,"
    " (SELECT COUNT(*) FROM hardcopies h WHERE h.incident_id = i.id) AS n_hardcopies"
    " FROM incidents i JOIN schools s ON s.id = i.school_id"
)


def _retention_incident(row, now: datetime) -> RetentionIncident:
    return RetentionIncident(
        id=row["id"], number=row["number"], school_id=row["school_id"],
        school_name=row["school_name"], status=row["status"], closed_at=row["closed_at"],
        retention_until=row["retention_until"], legal_hold=bool(row["legal_hold"]),
        legal_hold_reason=row["legal_hold_reason"], n_hardcopies=row["n_hardcopies"],
        expired=_is_expired(row, now))


def _find_incident(store: Store, incident: int | str):
    if isinstance(incident, int) or (isinstance(incident, str) and incident.isdigit()):
        row = store.row(_INCIDENT_SELECT + " WHERE i.id = ?", (int(incident),))
    else:
        row = store.row(_INCIDENT_SELECT + " WHERE i.number = ?", (str(incident).strip(),))
    if row is None:
        raise NotFound(f"Dossier {incident!r} bestaat niet.")
    return row


def get_incident(store: Store, actor: Actor, incident: int | str) -> RetentionIncident:
    require_avg(actor, "bewaartermijnen inzien")
    return _retention_incident(_find_incident(store, incident), clock.now())


def list_retention(store: Store, actor: Actor, *, expired_only: bool = False,
                   school_id: str | None = None) -> list[RetentionIncident]:
    """Incidents with their retention state: closed ones first by retention date.
    ``expired_only``: closed incidents whose ``retention_until`` lies in the past."""
    require_avg(actor, "bewaartermijnen inzien")
    sql = _INCIDENT_SELECT
    params: list = []
    if school_id:
        sql += " WHERE i.school_id = ?"
        params.append(school_id)
    sql += " ORDER BY i.status != 'closed', i.retention_until IS NULL, i.retention_until, i.number"
    now = clock.now()
    found = [_retention_incident(r, now) for r in store.rows(sql, params)]
    if expired_only:
        found = [r for r in found if r.expired]
    log_access(store, actor, "retention_view",
               detail={"expired_only": expired_only, "school": school_id, "rows": len(found)})
    return found


def set_legal_hold(store: Store, actor: Actor, incident: int | str, reason: str | None,
                   *, release: bool = False) -> RetentionIncident:
    """Put an incident on legal hold (blocks destruction) or release it; both audited and
    recorded on the incident's timeline."""
    require_avg(actor, "een bewaarplicht instellen of opheffen")
    reason = (reason or "").strip()
    if not release and not reason:
        raise UsageError("Een bewaarplicht heeft een reden nodig.")
    with store.write():
        row = _find_incident(store, incident)
        if release and not row["legal_hold"]:
            raise Conflict(f"Dossier {row['number']} heeft geen bewaarplicht.")
        now_iso = clock.now_iso()
        store.execute("UPDATE incidents SET legal_hold = ?, legal_hold_reason = ? WHERE id = ?",
                      (0 if release else 1, None if release else reason, row["id"]))
        store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text, detail)"
            " VALUES (?, 'legal_hold', ?, ?, ?, ?, ?)",
            (row["id"], now_iso, now_iso, actor.username, reason,
             json.dumps({"hold": not release}, sort_keys=True)))
        audit.append(store, actor.username, "incident.hold_release" if release else "incident.hold",
                     f"incident:{row['number']}", {"reason": reason}, row["school_id"])
    return get_incident(store, actor, row["id"])


# -- destruction ----------------------------------------------------------------------------


def _archive_file(store: Store, relative: str) -> Path:
    root = store.archives.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise Conflict(f"Archiefpad {relative!r} ligt buiten de archiefmap.")
    return path


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_file(path: Path) -> bool:
    """Make writable, unlink. False when it was already gone."""
    try:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    except FileNotFoundError:
        return False
    os.unlink(path)
    return True


def _refuse(store: Store, actor: Actor, row, why: str, ground: str, erasure_request: bool) -> None:
    with store.write():
        audit.append(store, actor.username, "incident.destroy_refused", f"incident:{row['number']}",
                     {"why": why, "ground": ground, "erasure_request": erasure_request},
                     row["school_id"])


def destroy_incident(store: Store, actor: Actor, incident: int | str, ground: str,
                     *, erasure_request: bool = False) -> Destruction:
    """Destroy a closed incident whose retention term has passed (or, with
    ``erasure_request``, on a data subject's request before that). A legal hold blocks it;
    a refusal is audited and raised as :class:`Conflict`."""
    require_avg(actor, "een dossier vernietigen")
    ground = " ".join((ground or "").split())
    if not ground:
        raise UsageError("Vernietigen vraagt een grond, bijvoorbeeld 'bewaartermijn verstreken'.")
    row = _find_incident(store, incident)
    number = row["number"]
    if row["legal_hold"]:
        _refuse(store, actor, row, "legal_hold", ground, erasure_request)
        raise Conflict(f"Dossier {number} staat onder bewaarplicht ({row['legal_hold_reason']});"
                       " vernietigen geweigerd en vastgelegd.")
    if row["status"] != "closed":
        _refuse(store, actor, row, "not_closed", ground, erasure_request)
        raise Conflict(f"Dossier {number} is niet gesloten; vernietigen geweigerd en vastgelegd.")
    if not erasure_request and not _is_expired(row, clock.now()):
        _refuse(store, actor, row, "retention_running", ground, erasure_request)
        raise Conflict(f"Dossier {number} wordt bewaard tot {clock.display(row['retention_until'])}; vernietigen"
                       " geweigerd en vastgelegd (eerder alleen op een verzoek tot wissing).")

    with destroying(store, row["id"]):
        row = _find_incident(store, row["id"])  # re-read inside the lock
        if row["legal_hold"]:
            raise Conflict(f"Dossier {number} kreeg intussen een bewaarplicht.")
        incident_id = row["id"]
        hardcopies = store.rows("SELECT item, path, sha256 FROM hardcopies WHERE incident_id = ?"
                                " ORDER BY id", (incident_id,))
        exports = store.rows("SELECT path, sha256 FROM exports WHERE incident_id = ? ORDER BY id",
                             (incident_id,))
        letters = [{"path": path, "sha256": digest}
                   for path, digest in remove_letters_for_incident(store, incident_id)]
        files = [_archive_file(store, r["path"]) for r in (*hardcopies, *exports, *letters)]
        items = sorted({r["item"] for r in hardcopies})
        now_iso = clock.now_iso()

        # Access log lines about the incident stay (who looked, when) without personal data.
        store.execute("UPDATE access_log SET incident_id = NULL, person_id = NULL, detail = ?"
                      " WHERE incident_id = ?",
                      (json.dumps({"incident": number, "destroyed": True}, sort_keys=True),
                       incident_id))
        # The deleted items' text lived only in the dossier: drop what flags still quote.
        for item in items:
            store.execute("UPDATE flags SET evidence = '[]', note = NULL, close_note = NULL"
                          " WHERE item = ?", (item,))
            store.execute("UPDATE revisions SET title = NULL, body = NULL WHERE item = ?", (item,))
            drop_queue_row(store, item)
            kind, _, item_id = item.partition(":")
            if kind == "post":
                store.execute("UPDATE posts SET title = NULL, body = NULL WHERE id = ?"
                              " AND deleted_at IS NOT NULL", (item_id,))
            elif kind == "comment":
                store.execute("UPDATE comments SET body = NULL WHERE id = ?"
                              " AND deleted_at IS NOT NULL", (item_id,))
        store.execute("UPDATE incident_events SET refers_to = NULL WHERE incident_id = ?",
                      (incident_id,))
        store.execute("DELETE FROM incident_events WHERE incident_id = ?", (incident_id,))
        store.execute("DELETE FROM hardcopies WHERE incident_id = ?", (incident_id,))
        store.execute("DELETE FROM exports WHERE incident_id = ?", (incident_id,))
        store.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))
        hashes = [r["sha256"] for r in hardcopies]
        cursor = store.execute(
            "INSERT INTO destructions (incident_number, school_id, destroyed_at, destroyed_by,"
            " ground, n_hardcopies, hardcopy_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, row["school_id"], now_iso, actor.username, ground, len(hardcopies),
             json.dumps(hashes)))
        audit.append(store, actor.username, "incident.destroy", f"incident:{number}", {
            "ground": ground, "erasure_request": erasure_request,
            "hardcopies": len(hardcopies), "hardcopy_sha256": hashes,
            "export_sha256": [r["sha256"] for r in exports],
            "letter_sha256": [r["sha256"] for r in letters],
        }, row["school_id"])
        # Files last, still inside the transaction: if one cannot be removed the rows stay
        # and a second attempt finishes the job (files already gone are skipped).
        folders = set()
        for path in files:
            _remove_file(path)
            folders.add(path.parent)
        for folder in folders:
            fsync_dir(folder)
            try:
                folder.rmdir()  # the incident's own folder, when now empty
                fsync_dir(folder.parent)
            except OSError:
                pass
        destruction_id = cursor.lastrowid
    return _destruction(store.row("SELECT * FROM destructions WHERE id = ?", (destruction_id,)))


def _destruction(row) -> Destruction:
    return Destruction(
        id=row["id"], incident_number=row["incident_number"], school_id=row["school_id"],
        destroyed_at=row["destroyed_at"], destroyed_by=row["destroyed_by"], ground=row["ground"],
        n_hardcopies=row["n_hardcopies"],
        hardcopy_sha256=tuple(json.loads(row["hardcopy_sha256"] or "[]")))


def list_destructions(store: Store, actor: Actor) -> list[Destruction]:
    require_avg(actor, "vernietigingsverklaringen inzien")
    return [_destruction(r) for r in
            store.rows("SELECT * FROM destructions ORDER BY destroyed_at DESC, id DESC")]


def destroyed_leftovers(store: Store, relative_paths: list[str]) -> dict[str, str]:
    """Of the given archive files (e.g. verify's unknown files), those whose SHA-256 is
    in a destruction record: path -> the destroyed incident's number. Such a file was
    destroyed on paper but is (back) on disk."""
    destroyed: dict[str, str] = {}
    for row in store.rows("SELECT incident_number, hardcopy_sha256 FROM destructions"):
        for digest in json.loads(row["hardcopy_sha256"] or "[]"):
            destroyed[digest] = row["incident_number"]
    found: dict[str, str] = {}
    if not destroyed:
        return found
    for relative in relative_paths:
        try:
            path = _archive_file(store, relative)
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except (Conflict, OSError):
            continue
        if digest.hexdigest() in destroyed:
            found[relative] = destroyed[digest.hexdigest()]
    return found


def _moment(value: str | None, what: str) -> str | None:
    """A period bound: YYYY-MM-DD or an ISO 8601 timestamp; UsageError otherwise."""
    if not value:
        return None
    value = value.strip()
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what}: {value!r} is geen datum (JJJJ-MM-DD) of ISO-tijdstip.") from None
    return value


# -- reading the logs -----------------------------------------------------------------------


def read_audit_log(store: Store, actor: Actor, *, actor_name: str | None = None,
                   action: str | None = None, school_id: str | None = None,
                   since: str | None = None, until: str | None = None,
                   subject: str | None = None, limit: int = 200,
                   before_seq: int | None = None) -> list[audit.AuditEntry]:
    """The audit log, newest first, filtered (``since``/``until``: ISO dates or timestamps)."""
    require_avg(actor, "het auditlog inzien")
    since, until = _moment(since, "vanaf"), _moment(until, "tot")
    found = audit.entries(store, actor=actor_name or None, action=action or None,
                          school_id=school_id or None, since=since or None,
                          until=until or None, subject=subject or None, limit=limit,
                          before_seq=before_seq)
    filters = {k: v for k, v in (("actor", actor_name), ("action", action), ("school", school_id),
                                 ("since", since), ("until", until), ("subject", subject),
                                 ("before_seq", before_seq)) if v}
    log_access(store, actor, "audit_log_view", detail={"filters": filters, "rows": len(found)})
    return found


def read_access_log(store: Store, actor: Actor, *, incident: int | str | None = None,
                    person_id: str | None = None, actor_name: str | None = None,
                    action: str | None = None, since: str | None = None,
                    until: str | None = None, limit: int = 200,
                    before_id: int | None = None) -> list[AccessEntry]:
    """Who viewed or exported which dossier or person's data when, newest first.
    ``incident``: an incident number or id (lines of a destroyed incident match by number)."""
    require_avg(actor, "het toegangslog inzien")
    since, until = _moment(since, "vanaf"), _moment(until, "tot")
    where, params = [], []
    if incident not in (None, ""):
        number = str(incident).strip()
        found = store.row("SELECT id, number FROM incidents WHERE number = ? OR id = ?",
                          (number, int(number) if number.isdigit() else -1))
        if found is not None:
            where.append("(incident_id = ? OR json_extract(detail, '$.incident') = ?)")
            params += [found["id"], found["number"]]
        else:
            where.append("json_extract(detail, '$.incident') = ?")
            params.append(number)
    rows = newest_first(
        store, "access_log", "id", where=where, params=params, since=since, until=until,
        before=before_id, limit=limit,
        equals=(("person_id", person_id), ("actor", actor_name), ("action", action)))
    result = [AccessEntry(id=r["id"], at=r["at"], actor=r["actor"], action=r["action"],
                          incident_id=r["incident_id"], person_id=r["person_id"],
                          detail=json.loads(r["detail"] or "{}")) for r in rows]
    filters = {k: v for k, v in (("incident", incident), ("person", person_id),
                                 ("actor", actor_name), ("action", action), ("since", since),
                                 ("until", until), ("before_id", before_id)) if v}
    log_access(store, actor, "access_log_view", detail={"filters": filters, "rows": len(result)})
    return result


def display_names(store: Store, keys: set[str]) -> dict[str, str]:
    """Real names for account names and person ids in the logs (display only); a key
    with no name is left out, so callers fall back to the key."""
    keys = {k for k in keys if k}
    if not keys:
        return {}
    found: dict[str, str] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT id, name FROM people WHERE id IN ({marks})", chunk):
            found[r["id"]] = r["name"]
        for r in store.rows(
                f"SELECT a.username, a.role, p.name FROM accounts a LEFT JOIN people p"
                f" ON p.id = a.person_id WHERE a.username IN ({marks})", chunk):
            if r["name"]:
                found[r["username"]] = r["name"]
            elif r["role"] == "avg":
                found[r["username"]] = f"AVG-coördinator ({r['username']})"
    return found


def incident_numbers(store: Store, ids: set[int]) -> dict[int, str]:
    """Incident numbers for access log lines (display only)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r["number"] for r in
            store.rows(f"SELECT id, number FROM incidents WHERE id IN ({marks})", sorted(ids))}


def audit_anchor(store: Store, actor: Actor) -> tuple[int, str]:
    """The audit chain head (sequence, hash), to keep outside the database."""
    require_avg(actor, "het anker van het auditlog opvragen")
    seq, digest = audit.head(store)
    log_access(store, actor, "audit_anchor", detail={"seq": seq})
    return seq, digest
