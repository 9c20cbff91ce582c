"""The audit log as a person reads it: every code as its Dutch label, every id as a name.

One place for the screen (moderator/screens/audit_tabs/auditlog.py) and the CLI
(``moderator audit log``). The log itself keeps its codes (it is hash-chained); this
module only translates for display. Plain text out: the edges make Rich ``Text`` of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moderator import clock, labels
from moderator.policy import catalogue, measures
from moderator.policy.access import Actor, require_avg
from moderator.store import directory
from moderator.store.audit import AuditEntry
from moderator.store.db import Store

__all__ = ["ReadableEntry", "readable_entries"]


@dataclass(frozen=True)
class ReadableEntry:
    seq: int
    at: str                               # DD-MM-YYYY HH:MM, Dutch local time
    who: str                              # "Directeur Carla (directie)", "systeem", ...
    action: str                           # Dutch label
    subject: str                          # "dossier INC-2026-0001", "bericht 'Titel' van ..."
    school: str                           # school name
    fields: tuple[tuple[str, str], ...]   # (Dutch label, whole value)
    hash: str

    @property
    def summary(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.fields)


LOGIN_FAILURES = {"unknown": "onbekende gebruikersnaam", "disabled": "account uitgeschakeld",
                  "locked": "account geblokkeerd", "password": "onjuist wachtwoord"}

LEVELS = {"internal": "intern", "external": "extern"}

# Counts in import and scan details.
COUNT_LABELS = {
    "admins": "groepsbeheerders", "comments": "reacties", "consents": "toestemmingen",
    "groups": "groepen", "guardians": "ouderkoppelingen", "items": "berichten en reacties",
    "media": "foto's en video's", "members": "groepsleden", "people": "personen",
    "posts": "berichten", "pupils": "leerlingen", "records": "regels", "reports": "meldingen",
    "revisions": "nieuwe versies", "rule_flags": "signaleringen", "schools": "scholen",
    "still_deleted": "nog verwijderd", "unchanged": "ongewijzigd", "updated": "bijgewerkt",
    "flags": "signaleringen",
}

# Detail keys with their Dutch names, in display order; keys not listed come last.
FIELD_LABELS = {
    "reason": "reden", "by_reason": "per reden", "measure": "maatregel", "ground": "grond",
    "why": "oorzaak", "locked_until": "geblokkeerd tot", "enabled": "reacties",
    "person": "persoon", "role": "rol", "group": "groep", "school": "school",
    "incident": "dossier", "status": "status", "level": "niveau", "event": "aantekening",
    "refers_to": "verwijst naar aantekening", "participants": "deelnemers",
    "note": "notitie", "erasure_request": "verzoek tot wissing", "from": "van", "to": "naar",
    "retention_until": "bewaren tot", "without_conversation": "zonder gesprek met de ouder",
    "kind": "soort", "detail": "inhoud", "words": "woorden", "actor": "uitgevoerd door",
    "recipient": "ontvanger", "reference": "kenmerk", "handed_at": "overgedragen op",
    "requester": "aanvrager", "received_on": "ontvangen op", "answered_on": "beantwoord op",
    "deadline": "uiterste datum", "withheld": "weggelaten passages",
    "export": "export", "path": "bestand", "size": "grootte (bytes)",
    "sha256": "SHA-256", "item_sha256": "SHA-256 van de tekst", "json_sha256": "SHA-256 JSON",
    "pdf_sha256": "SHA-256 PDF", "hardcopies": "hard copies",
    "hardcopy_sha256": "SHA-256 hard copies", "export_sha256": "SHA-256 exports",
    "recovered": "hersteld na onderbreking", "file": "bestand", "filters": "filters",
    "rows": "regels", "counts": "aantallen", "flags": "signaleringen",
    "failures": "mislukte pogingen op rij",
}
_ORDER = {key: n for n, key in enumerate(FIELD_LABELS)}


def who_label(name: str, d: directory.Directory) -> str:
    """An account or process as a person reads it: name and role, never an account code."""
    if name == "system":
        return "systeem"
    if name.startswith("system:"):
        return f"systeem (beheerder {name.partition(':')[2]})"
    if name in ("-", "", "?"):
        return "onbekend account"
    account = d.accounts.get(name)
    if account is None:
        person = d.people.get(name)
        return f"{person.name} ({labels.role(person.role)})" if person else f"account {name}"
    role = labels.account_role(account.role)
    if account.name:
        return f"{account.name} ({role})"
    return f"{role} ({name})" if account.role == "avg" else f"account {name} ({role})"


def _person(pid: Any, d: directory.Directory) -> str:
    if not pid:
        return "geen"
    person = d.people.get(str(pid))
    return f"{person.name} ({labels.role(person.role)})" if person else f"persoon {pid}"


def _item(ref: str, d: directory.Directory) -> str:
    kind, _, ident = ref.partition(":")
    noun = {"post": "bericht", "comment": "reactie"}.get(kind, kind)
    found = d.items.get(ref)
    if found is None:
        return f"{noun} {ident}"
    title = f" bij '{found.title}'" if kind == "comment" and found.title else (
        f" '{found.title}'" if found.title else "")
    author = d.people.get(found.author_id or "")
    by = f" van {author.name} ({labels.role(author.role)})" if author else ""
    return f"{noun}{title}{by} (portaalnummer {ident})"


def _subject(subject: str, d: directory.Directory) -> str:
    kind, _, ident = subject.partition(":")
    if not subject:
        return ""
    if kind == "account":
        return "onbekend account" if ident == "?" else f"account van {who_label(ident, d)}"
    if kind == "person":
        return _person(ident, d)
    if kind == "incident":
        return f"dossier {ident}"
    if kind in ("post", "comment"):
        return _item(subject, d)
    if kind == "provision":
        return f"schoolbepaling {ident}"
    if kind == "setting":
        return "bewaartermijn" if ident == "retention_years" else f"instelling {ident}"
    if kind == "file":
        return f"bestand {ident}"
    if kind == "request":
        return f"inzageverzoek {ident}"
    return subject


def _reason(code: Any) -> str:
    found = catalogue.REASONS.get(str(code))
    return found.label if found else str(code)


def _pair(value: Any, fn) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{fn(value[0])} → {fn(value[1])}" if value[0] != value[1] else fn(value[1])
    return fn(value)


def _value(key: str, value: Any, action: str, d: directory.Directory) -> str:
    if isinstance(value, bool):
        if key == "enabled":
            return "aan" if value else "uit"
        return "ja" if value else "nee"
    if key == "reason":
        return ", ".join(_reason(v) for v in value) if isinstance(value, list) else _reason(value)
    if key == "by_reason" and isinstance(value, dict):
        return ", ".join(f"{_reason(k)} {v}" for k, v in value.items())
    if key == "measure":
        return measures.label(str(value))
    if key == "why":
        return LOGIN_FAILURES.get(str(value), str(value))
    if key in ("locked_until", "retention_until", "handed_at"):
        return clock.display(str(value))
    if key in ("received_on", "answered_on", "deadline"):
        return clock.display(str(value))[:10]
    if key in ("person", "requester"):
        return _person(value, d)
    if key == "actor":
        return who_label(str(value), d)
    if key == "role":
        return labels.account_role(value) if action.startswith("user.") else labels.role(value)
    if key == "group":
        return d.groups.get(str(value), f"groep {value}")
    if key == "school":
        return d.schools.get(str(value), f"school {value}")
    if key == "status":
        return _pair(value, labels.status)
    if key == "level":
        return _pair(value, lambda v: LEVELS.get(v or "", v or "geen"))
    if key == "kind" and action.startswith("provision."):
        return labels.provision_kind(value)
    if key == "detail" and isinstance(value, dict):
        return "; ".join(f"{FIELD_LABELS.get(k, k)}: {_value(k, v, action, d)}"
                         for k, v in value.items())
    if key == "counts" and isinstance(value, dict):
        return ", ".join(f"{COUNT_LABELS.get(k, k)} {v}" for k, v in value.items() if v) or "geen"
    if key == "filters" and isinstance(value, dict):
        return ", ".join(f"{FIELD_LABELS.get(k, k)} {v}" for k, v in value.items()) or "geen"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "geen"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _fields(entry: AuditEntry, d: directory.Directory) -> tuple[tuple[str, str], ...]:
    detail = dict(entry.detail or {})
    if entry.action in ("import", "scan"):
        counts = {k: detail.pop(k) for k in list(detail) if k in COUNT_LABELS and
                  isinstance(detail[k], int)}
        if counts:
            detail["counts"] = counts
    out = []
    for key in sorted(detail, key=lambda k: (_ORDER.get(k, len(_ORDER)), k)):
        value = detail[key]
        if value is None or value == "" or value == [] or value == {}:
            continue
        out.append((FIELD_LABELS.get(key, key), _value(key, value, entry.action, d)))
    return tuple(out)


def _action(entry: AuditEntry) -> str:
    if entry.action == "post.comments":
        return "reacties aangezet" if entry.detail.get("enabled") else "reacties uitgezet"
    if entry.action == "login.failed" and entry.detail.get("locked_until"):
        return "mislukte inlog, account geblokkeerd"
    return labels.audit_action(entry.action)


def readable_entries(store: Store, actor: Actor, entries: list[AuditEntry]) -> list[ReadableEntry]:
    """``entries`` (read with services.audit_log.read_audit_log) as a person reads them."""
    require_avg(actor, "het auditlog inzien")
    accounts: set[str] = set()
    people: set[str] = set()
    groups: set[str] = set()
    schools: set[str] = set()
    items: set[str] = set()
    for e in entries:
        accounts.add(e.actor)
        if e.school_id:
            schools.add(e.school_id)
        kind, _, ident = e.subject.partition(":")
        if kind == "account":
            accounts.add(ident)
        elif kind == "person":
            people.add(ident)
        elif kind in ("post", "comment"):
            items.add(e.subject)
        detail = e.detail or {}
        for key in ("person", "requester"):
            if detail.get(key):
                people.add(str(detail[key]))
        if detail.get("actor"):
            accounts.add(str(detail["actor"]))
        if detail.get("group"):
            groups.add(str(detail["group"]))
        if detail.get("school"):
            schools.add(str(detail["school"]))
    d = directory.lookup(store, accounts=accounts, people=people | accounts, groups=groups,
                         schools=schools, items=items)
    return [ReadableEntry(
        seq=e.seq, at=clock.display(e.at), who=who_label(e.actor, d), action=_action(e),
        subject=_subject(e.subject, d),
        school=d.schools.get(e.school_id, e.school_id) if e.school_id else "",
        fields=_fields(e, d), hash=e.hash) for e in entries]


def people_labels(store: Store, actor: Actor, *, accounts: set[str] = frozenset(),
                  people: set[str] = frozenset()) -> tuple[dict[str, str], dict[str, str]]:
    """Display labels for the access log: accounts and person ids as names with roles."""
    require_avg(actor, "het toegangslog inzien")
    d = directory.lookup(store, accounts=accounts, people=set(people) | set(accounts))
    return ({a: who_label(a, d) for a in accounts if a},
            {p: _person(p, d) for p in people if p})
