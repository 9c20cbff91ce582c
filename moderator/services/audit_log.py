"""Reading the audit log and the access log, and the audit anchor: the AVG coordinator's.

Only the AVG coordinator reads these; every read is itself written to the access log.
"""

from __future__ import annotations

from moderator import clock, labels
from moderator.errors import UsageError
from moderator.policy import measures
from moderator.policy.access import Actor, require_avg
from moderator.policy.catalogue import REASONS
from moderator.store import audit, logs
from moderator.store.audit import AuditEntry
from moderator.store.db import Store
from moderator.store.logs import AccessEntry

__all__ = ["AccessEntry", "AuditEntry", "audit_anchor", "detail_line", "display_names",
           "incident_numbers", "read_access_log", "read_audit_log"]


def detail_line(detail: dict | None, names: dict[str, str] | None = None) -> str:
    """A log line's detail in Dutch words: reasons and measures by their labels, items
    by their kind (plain text, untrusted)."""
    codes = {"reason": {code: r.label for code, r in REASONS.items()},
             "measure": {code: m.label for code, m in measures.MEASURES.items()}}
    return labels.describe(detail, names=names, codes=codes)


def _moment(value: str | None, what: str) -> str | None:
    """A period bound as a Dutch user types it (02-12-2026, 2-12, vandaag, gisteren 14:00,
    nu, or ISO), as stored text; UsageError listing the accepted forms otherwise."""
    if not value or not value.strip():
        return None
    try:
        return clock.input_iso(value)
    except ValueError as error:
        raise UsageError(f"{what}: {error}") from None


def read_audit_log(store: Store, actor: Actor, *, actor_name: str | None = None,
                   action: str | None = None, school_id: str | None = None,
                   since: str | None = None, until: str | None = None,
                   subject: str | None = None, limit: int = 200,
                   before_seq: int | None = None) -> list[AuditEntry]:
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
    logs.log_access(store, actor, "audit_log_view", detail={"filters": filters, "rows": len(found)})
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
    result = logs.access_entries(store, incident=incident, person_id=person_id,
                                 actor_name=actor_name, action=action, since=since,
                                 until=until, limit=limit, before_id=before_id)
    filters = {k: v for k, v in (("incident", incident), ("person", person_id),
                                 ("actor", actor_name), ("action", action), ("since", since),
                                 ("until", until), ("before_id", before_id)) if v}
    logs.log_access(store, actor, "access_log_view", detail={"filters": filters, "rows": len(result)})
    return result


def display_names(store: Store, actor: Actor, keys: set[str]) -> dict[str, str]:
    """Real names for the account names and person ids shown in the logs (display only)."""
    require_avg(actor, "het auditlog inzien")
    return logs.display_names(store, keys)


def incident_numbers(store: Store, actor: Actor, ids: set[int]) -> dict[int, str]:
    """Incident numbers for access log lines (display only)."""
    require_avg(actor, "het toegangslog inzien")
    return logs.incident_numbers(store, ids)


def audit_anchor(store: Store, actor: Actor) -> tuple[int, str]:
    """The audit chain head (sequence, hash), to keep outside the database."""
    require_avg(actor, "het anker van het auditlog opvragen")
    seq, digest = audit.head(store)
    logs.log_access(store, actor, "audit_anchor", detail={"seq": seq})
    return seq, digest
