"""Retention, legal holds and destruction: the AVG coordinator's use cases.

Only the AVG coordinator sets the retention term, reads the incidents under retention,
puts an incident on legal hold and destroys an incident. Every read is written to the
access log, every change (and every refused destruction) to the audit log, in the same
transaction as the change.

Destroying removes the incident's hard copies, exports and letters (each file unlinked and its
folder fsynced through :mod:`moderator.archive.durable`, the incident's folder removed
when empty), their rows, its timeline, the incident itself and the quoted text left in
the flags of the deleted items; the access log lines about it are kept without personal
data, and a destruction record stays (AVG art. 17; a legal hold blocks it, art. 17(3)).
"""

from __future__ import annotations

from pathlib import Path

from moderator import clock
from moderator.archive import durable
from moderator.errors import Conflict, UsageError
from moderator.policy.access import Actor, require_avg
from moderator.store import audit, incidents, integrity, letters, logs
from moderator.store import retention as rows
from moderator.store.db import Store
from moderator.store.retention import (
    DEFAULT_RETENTION_YEARS,
    MAX_RETENTION_YEARS,
    SETTING_KEY,
    Destruction,
    RetentionIncident,
)

__all__ = [
    "DEFAULT_RETENTION_YEARS", "MAX_RETENTION_YEARS", "Destruction", "RetentionIncident",
    "archive_file", "destroy_incident", "get_incident", "list_destructions", "list_retention",
    "retention_years", "set_legal_hold", "set_retention_years",
]


def retention_years(store: Store) -> int:
    """The foundation's retention term in years (a setting, not personal data)."""
    return rows.retention_years(store)


def set_retention_years(store: Store, actor: Actor, years: int) -> int:
    require_avg(actor, "de bewaartermijn instellen")
    if not isinstance(years, int) or not 1 <= years <= MAX_RETENTION_YEARS:
        raise UsageError(f"De bewaartermijn is 1 tot {MAX_RETENTION_YEARS} jaar, niet {years!r}.")
    with store.write():
        old = rows.retention_years(store)
        rows.set_retention_years(store, years)
        audit.append(store, actor.username, "retention.set", f"setting:{SETTING_KEY}",
                     {"from": old, "to": years})
    return years


def get_incident(store: Store, actor: Actor, incident: int | str) -> RetentionIncident:
    require_avg(actor, "bewaartermijnen inzien")
    return rows.find_incident(store, incident)


def list_retention(store: Store, actor: Actor, *, expired_only: bool = False,
                   school_id: str | None = None) -> list[RetentionIncident]:
    """Incidents with their retention state: closed ones first by retention date.
    ``expired_only``: closed incidents whose ``retention_until`` lies in the past."""
    require_avg(actor, "bewaartermijnen inzien")
    found = rows.list_retention(store, school_id=school_id)
    if expired_only:
        found = [r for r in found if r.expired]
    logs.log_access(store, actor, "retention_view",
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
        found = rows.find_incident(store, incident)
        if release and not found.legal_hold:
            raise Conflict(f"Dossier {found.number} heeft geen bewaarplicht.")
        now_iso = clock.now_iso()
        rows.set_legal_hold(store, found.id, hold=not release, reason=reason)
        incidents.insert_event(store, found.id, "legal_hold", at=now_iso, recorded_at=now_iso,
                               author=actor.username, text=reason,
                               detail={"hold": not release})
        # The reason is free text: the chain keeps its hash, the timeline entry the text.
        audit.append(store, actor.username, "incident.hold_release" if release else "incident.hold",
                     f"incident:{found.number}", {"reason_sha256": integrity.text_sha256(reason)},
                     found.school_id)
    return get_incident(store, actor, found.id)


# -- destruction ----------------------------------------------------------------------------


def archive_file(store: Store, relative: str) -> Path:
    """The absolute path of a file the store records, refused when it lies outside the
    archive folder."""
    root = store.archives.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise Conflict(f"Archiefpad {relative!r} ligt buiten de archiefmap.")
    return path


def _refuse(store: Store, actor: Actor, found: RetentionIncident, why: str, ground: str,
            erasure_request: bool) -> None:
    with store.write():
        audit.append(store, actor.username, "incident.destroy_refused", f"incident:{found.number}",
                     {"why": why, "ground": ground, "erasure_request": erasure_request},
                     found.school_id)


def destroy_incident(store: Store, actor: Actor, incident: int | str, ground: str,
                     *, erasure_request: bool = False) -> Destruction:
    """Destroy a closed incident whose retention term has passed (or, with
    ``erasure_request``, on a data subject's request before that). A legal hold blocks it;
    a refusal is audited and raised as :class:`Conflict`."""
    require_avg(actor, "een dossier vernietigen")
    ground = " ".join((ground or "").split())
    if not ground:
        raise UsageError("Vernietigen vraagt een grond, bijvoorbeeld 'bewaartermijn verstreken'.")
    found = rows.find_incident(store, incident)
    number = found.number
    if found.legal_hold:
        _refuse(store, actor, found, "legal_hold", ground, erasure_request)
        raise Conflict(f"Dossier {number} staat onder bewaarplicht ({found.legal_hold_reason});"
                       " vernietigen geweigerd en vastgelegd.")
    if found.status != "closed":
        _refuse(store, actor, found, "not_closed", ground, erasure_request)
        raise Conflict(f"Dossier {number} is niet gesloten; vernietigen geweigerd en vastgelegd.")
    if not erasure_request and not found.expired:
        _refuse(store, actor, found, "retention_running", ground, erasure_request)
        raise Conflict(f"Dossier {number} wordt bewaard tot {clock.display(found.retention_until)};"
                       " vernietigen geweigerd en vastgelegd (eerder alleen op een verzoek tot"
                       " wissing).")

    with store.write():
        found = rows.find_incident(store, found.id)  # re-read inside the lock
        if found.legal_hold:
            raise Conflict(f"Dossier {number} kreeg intussen een bewaarplicht.")
        hardcopies, exports = rows.dossier_files(store, found.id)
        letter_files = letters.remove_for_incident(store, found.id)
        files = [archive_file(store, f.path) for f in (*hardcopies, *exports)]
        files += [archive_file(store, path) for path, _ in letter_files]
        items = sorted({f.item for f in hardcopies if f.item})
        logs.scrub_incident(store, found.id, number)
        # The destruction record first: the append-only triggers let the incident's
        # entries, hard copies and exports go only when it exists (and verify checks it
        # against the chained incident.destroy entry below).
        hashes = [f.sha256 for f in hardcopies]
        destruction_id = rows.record_destruction(
            store, number=number, school_id=found.school_id, destroyed_at=clock.now_iso(),
            destroyed_by=actor.username, ground=ground, hardcopy_sha256=hashes)
        rows.erase_incident(store, found.id, items)
        audit.append(store, actor.username, "incident.destroy", f"incident:{number}", {
            "destruction": destruction_id,
            "ground": ground, "erasure_request": erasure_request,
            "hardcopies": len(hardcopies), "hardcopy_sha256": hashes,
            "export_sha256": [f.sha256 for f in exports],
            "letter_sha256": [digest for _, digest in letter_files],
        }, found.school_id)
        # Files last, still inside the transaction: if one cannot be removed the rows stay
        # and a second attempt finishes the job (files already gone are skipped).
        folders = set()
        for path in files:
            durable.remove(path)
            folders.add(path.parent)
        for folder in sorted(folders):
            durable.remove_empty_dir(folder)  # the incident's own folder, when now empty
    return rows.get_destruction(store, destruction_id)


def list_destructions(store: Store, actor: Actor) -> list[Destruction]:
    require_avg(actor, "vernietigingsverklaringen inzien")
    return rows.list_destructions(store)
